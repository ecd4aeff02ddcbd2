"""Build the Laporan Kinerja model (BAB II and BAB III tables) from the gathered workbooks.

Pure: it reads :class:`~macros.laporan.kumpul.Masukan` (workbooks already read and
validated) and returns a :class:`~macros.laporan.model.Laporan`. Every figure is
read from a cell or computed with the :mod:`udfs` functions the forms' own
formulas use, and carries the cells it came from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Any

import udfs
from macros.laporan.angka import BELUM, Angka, Sumber, angka
from macros.laporan.kumpul import Lembar, Masukan
from macros.laporan.model import (BAB3, Baris, Indikator, Kendala, Laporan, RenstraIndikator, Riwayat, Sasaran, Tabel,
                                  nomor)
from udfs.errors import NilaiGalat
from udfs.sakip import CARA_AGREGAT, kunci_kelompok, nama_basis
from workbooks.compute import Sheet, derive, present
from workbooks.forms.alki import ALKI
from workbooks.forms.form_a import FORM_A
from workbooks.forms.p3dn import P3DN
from workbooks.forms.pengukuran import PENGUKURAN
from workbooks.forms.perjanjian_kinerja import PERJANJIAN_KINERJA
from workbooks.forms.rencana_aksi import RENCANA_AKSI
from workbooks.forms.renstra import RENSTRA
from workbooks.forms.renstra import TARGET as TARGET_RENSTRA
from workbooks.forms.skm import SKM
from workbooks.masters import label_pilihan
from workbooks.model import Key, Table

# the forms' tables and fields this module reads (a renamed key fails at import)
PG = PENGUKURAN.indikator
PK = PERJANJIAN_KINERJA.indikator
RA = RENCANA_AKSI.indikator
RS = RENSTRA.indikator
FA_ANG, FA_REA, FA_KEN = FORM_A.anggaran, FORM_A.realisasi, FORM_A.kendala
AL = ALKI.komponen
P3 = P3DN.akun
SK = SKM.jawaban
_PROGRAM, _KEGIATAN = FORM_A.field("program").key, FORM_A.field("kegiatan").key
_METODE, _IKM, _IKM_KONVERSI, _IKM_MUTU = (SKM.field(k).key for k in ("metode", "ikm", "ikm_konversi", "ikm_mutu"))
_PERIODE = RENSTRA.field("periode").key
_PK_AGREGAT, _PK_CAPAIAN_AGREGAT, _PK_AGREGAT_SERAPAN, _PK_SERAPAN_AGREGAT = (
    PERJANJIAN_KINERJA.field(k).key
    for k in ("agregat", "capaian_agregat_pct", "agregat_serapan", "serapan_agregat_pct"))
_RA_ANTARA = tuple(k for k in RA.keys if k.endswith("_target_antara_pct"))  # TW I … IV

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
SKALA_PREDIKAT = "pemda"  # capaian kinerja: > 90 sangat baik, > 75 baik, > 65 cukup, > 50 kurang, else sangat kurang
CATATAN_PREDIKAT = ("Predikat capaian: > 90 % sangat baik, > 75–90 % baik, > 65–75 % cukup, > 50–65 % kurang, "
                    "≤ 50 % sangat kurang.")


def norm(nama: Any) -> str:
    """An indicator or sasaran name for matching: case, spacing and end punctuation ignored."""
    return re.sub(r"\s+", " ", str(nama or "")).strip().strip(".;:").casefold()


def _teks(v: Any) -> str:
    return str(v).strip() if present(v) else ""


def _sumber(lb: Lembar, address: str) -> Sumber:
    sheet, _, cell = address.rpartition("!")
    return Sumber(lb.nama_berkas, sheet or lb.data.name, cell)


def _num(v: Any) -> float | None:
    if isinstance(v, NilaiGalat) or isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


class _Baca:
    """One sheet's effective values (typed, else computed) as :class:`Angka` with their cells.

    Columns are named by their layout keys (``PENGUKURAN.indikator.c5_realisasi``), which know their table."""

    def __init__(self, lb: Lembar):
        self.lb = lb
        self.view: Sheet = derive(lb.data)[0]

    def cell(self, key: Key, i: int) -> Sumber:
        return _sumber(self.lb, self.lb.data.tables[key.table].address(i, key))

    def n(self, key: Key, i: int, *, desimal: int | None = None, rumus: str = "") -> Angka | None:
        at = (key.table, i, str(key))
        v = self.view.computed[at] if at in self.view.computed else self.view.value(key.table, i, key)
        return angka(_num(v), (self.cell(key, i),), desimal=desimal, rumus=rumus)

    def t(self, key: Key, i: int) -> str:
        return _teks(self.view.value(key.table, i, key))

    def total(self, key: Key, *, desimal: int | None = None) -> Angka | None:
        v = self.view.computed.get((key.table, None, str(key)))
        cv = (self.lb.data.tables[key.table].total or {}).get(key)
        return angka(_num(v), (_sumber(self.lb, cv.address),) if cv else (), desimal=desimal)

    def field(self, key: str, *, desimal: int | None = None, rumus: str = "") -> Angka | None:
        v = self.view.computed.get((None, None, key), self.view.value(None, None, key))
        cv = self.lb.data.fields.get(key)
        return angka(_num(v), (_sumber(self.lb, cv.address),) if cv else (), desimal=desimal, rumus=rumus)

    def teks(self, key: str) -> str:
        """A field's text."""
        return _teks(self.view.value(None, None, key))

    def rows(self, table: Table) -> range:
        return range(len(self.lb.data.tables[table.key].rows))

    def named(self, table: Table, name_key: str) -> Iterator[tuple[int, str]]:
        """(row position, indicator name) of every row that names its indicator."""
        for i in self.rows(table):
            if nama := self.t(name_key, i):
                yield i, nama


def _predikat(c: Angka | None) -> str:
    if c is None:
        return ""
    p = udfs.predikat(c.nilai, SKALA_PREDIKAT)
    return "" if isinstance(p, NilaiGalat) else str(p).lower()


def _capaian_of(target: Angka | None, realisasi: Angka | None, polaritas: str, sumber: tuple[Sumber, ...]
                ) -> Angka | None:
    """Capaian (R7) computed with udfs.capaian, the function the forms' Capaian cells call."""
    if target is None or realisasi is None:
        return None
    v = udfs.capaian(target.nilai, realisasi.nilai, polaritas or "maksimal")
    rumus = f"capaian = KINERJA.CAPAIAN(target; realisasi; \"{polaritas or 'maksimal'}\")"
    return angka(_num(v), sumber + target.sumber + realisasi.sumber, desimal=2, rumus=rumus)


def _latest(lbs: list[Lembar]) -> Lembar | None:
    return max(lbs, key=lambda lb: lb.triwulan or 0) if lbs else None


# --- indicators -----------------------------------------------------------------------------

def _measured(b: _Baca, i: int, target_key: str, realisasi_key: str, polaritas_key: str, capaian_key: str
              ) -> tuple[Angka | None, Angka | None, str, Angka | None]:
    """Target, realisasi, polaritas and the capaian recomputed from them, of one indicator row."""
    target, realisasi = b.n(target_key, i), b.n(realisasi_key, i)
    pol = b.t(polaritas_key, i) or "maksimal"
    cap = _capaian_of(target, realisasi, pol, (b.cell(capaian_key, i),))
    return target, realisasi, pol, cap


def _from_pengukuran(lb: Lembar) -> list[Indikator]:
    b = _Baca(lb)
    out = []
    for i, nama in b.named(PG, PG.c3_indikator_kinerja):
        target, realisasi, pol, cap = _measured(b, i, PG.c4_target, PG.c5_realisasi, PG.c11_polaritas,
                                                PG.c12_capaian_pct)
        no = b.n(PG.c1_no, i)
        out.append(Indikator(
            no=no.teks if no else "", sasaran=b.t(PG.c2_sasaran_strategis, i), nama=nama,
            satuan=b.t(PG.c4_satuan, i), polaritas=pol, target=target, realisasi=realisasi,
            capaian=cap, kendala=b.t(PG.c10_kendala, i),
            realisasi_kegiatan=b.t(PG.c9_realisasi_kegiatan, i)))
    return out


def _from_pk(lb: Lembar) -> list[Indikator]:
    b = _Baca(lb)
    out = []
    for i, nama in b.named(PK, PK.c3_indikator):
        target, realisasi, pol, cap = _measured(b, i, PK.c6_target, PK.c7_realisasi, PK.c5_polaritas,
                                                PK.c8_capaian_pct)
        out.append(Indikator(no=b.t(PK.c1_kode, i), sasaran=b.t(PK.c2_sasaran, i),
                             nama=nama, satuan=b.t(PK.c4_satuan, i), polaritas=pol, target=target,
                             realisasi=realisasi, capaian=cap, pk_baris=i))
    return out


def _pk_tahun(m: Masukan) -> Lembar | None:
    """The year's Perjanjian Kinerja (the latest submission), if given."""
    pks = m.of("perjanjian-kinerja")
    return pks[-1] if pks else None


def _from_rencana_aksi(lb: Lembar) -> list[Indikator]:
    b = _Baca(lb)
    out = []
    for i, nama in b.named(RA, RA.c3_indikator):
        no = b.n(RA.c1_no, i)
        out.append(Indikator(no=no.teks if no else "", sasaran=b.t(RA.c2_sasaran, i), nama=nama,
                             satuan=b.t(RA.c4_satuan, i), polaritas="maksimal",
                             target=b.n(RA.c4_target, i), realisasi=None, capaian=None))
    return out


def _indikator(m: Masukan) -> tuple[list[Indikator], int | None, str]:
    """The year's indicators (latest Pengukuran, else Perjanjian Kinerja, else Rencana Aksi)."""
    peng = _latest(m.of("pengukuran-rencana-aksi"))
    pk = _pk_tahun(m)
    ra = m.of("rencana-aksi")[-1] if m.of("rencana-aksi") else None
    per_tw: dict[int, dict[str, tuple[Angka | None, Angka | None]]] = {}
    for lb in m.of("pengukuran-rencana-aksi"):
        if lb.triwulan:
            per_tw[lb.triwulan] = {norm(x.nama): (x.realisasi, x.capaian) for x in _from_pengukuran(lb)}
    if peng is not None:
        inds, asal = _from_pengukuran(peng), f"Pengukuran Rencana Aksi Triwulan {ROMAWI.get(peng.triwulan or 0, '?')}"
        if pk is not None:  # a realisasi the quarter left blank may be in the year's Perjanjian Kinerja
            by_name = {norm(x.nama): x for x in _from_pk(pk)}
            for k, x in enumerate(inds):
                alt = by_name.get(norm(x.nama))
                if x.realisasi is None and alt is not None and alt.realisasi is not None:
                    inds[k] = Indikator(x.no, x.sasaran, x.nama, x.satuan or alt.satuan, alt.polaritas, alt.target,
                                        alt.realisasi, alt.capaian, kendala=x.kendala,
                                        realisasi_kegiatan=x.realisasi_kegiatan, pk_baris=alt.pk_baris)
    elif pk is not None:
        inds, asal = _from_pk(pk), "Perjanjian Kinerja"
        per_tw = _pk_triwulan(pk)
    elif ra is not None:
        inds, asal = _from_rencana_aksi(ra), "Rencana Aksi (tanpa realisasi)"
    else:
        return [], None, ""
    for x in inds:
        x.predikat = _predikat(x.capaian)
        x.per_tw = {tw: d[norm(x.nama)] for tw, d in per_tw.items() if norm(x.nama) in d}
    return inds, (peng.triwulan if peng else None), asal


_PK_TW = tuple(k for k in PK.keys if re.fullmatch(r"c\d+_realisasi_tw[1-4]", k))  # Realisasi TW I … IV


def _pk_triwulan(lb: Lembar) -> dict[int, dict[str, tuple[Angka | None, Angka | None]]]:
    """The quarters' realisasi a Perjanjian Kinerja records (and their capaian against its target)."""
    b = _Baca(lb)
    out: dict[int, dict[str, tuple[Angka | None, Angka | None]]] = {}
    for i in b.rows(PK):
        nama = b.t(PK.c3_indikator, i)
        target = b.n(PK.c6_target, i)
        pol = b.t(PK.c5_polaritas, i) or "maksimal"
        for tw, key in enumerate(_PK_TW, 1):
            r = b.n(key, i)
            if nama and r is not None:
                out.setdefault(tw, {})[norm(nama)] = (r, _capaian_of(target, r, pol, ()))
    return out


def _riwayat(m: Masukan, inds: list[Indikator]) -> list[int]:
    """Attach the earlier years' Perjanjian Kinerja figures; returns the years found (at most three)."""
    by_year: dict[int, Lembar] = {}
    for lb in m.pk_lalu:
        by_year[lb.tahun] = lb  # later submissions were gathered last
    years = sorted(by_year)[-3:]
    tables = {y: {norm(x.nama): x for x in _from_pk(by_year[y])} for y in years}
    for ind in inds:
        for y in years:
            old = tables[y].get(norm(ind.nama))
            if old is not None:
                ind.riwayat.append(Riwayat(y, old.target, old.realisasi, old.capaian))
    return [y for y in years if any(r.tahun == y for ind in inds for r in ind.riwayat)]


class _PkKelompok:
    """The year's Perjanjian Kinerja as the laporan's grouping of indicators (R9): each row's kode sasaran and
    Kode Tujuan, and the group means and aggregates the PK derives (read from its derived-value view, as
    validation does: the laporan never computes a second mean of the same group)."""

    def __init__(self, lb: Lembar):
        self.b = _Baca(lb)
        self.baris = dict(self.b.named(PK, PK.c3_indikator))  # row position -> indicator name
        self.by_name = {norm(nama): i for i, nama in self.baris.items()}
        self.ada_tujuan = any(self.b.t(PK.c10_tujuan, i) for i in self.baris)

    def kode(self, key: Key, x: Indikator) -> str:
        """The code ``x``'s PK row holds in column ``key`` ("" when the PK does not list the indicator)."""
        i = x.pk_baris if x.pk_baris is not None else self.by_name.get(norm(x.nama))
        return "" if i is None else self.b.t(key, i)

    def rata(self, kode_key: Key, rata_key: Key, kunci: str, members: list[Indikator], label: str
             ) -> tuple[bool, Angka | None]:
        """The PK's mean of group ``kunci`` (its cell on the group's first row) when ``members`` are exactly the
        group's PK rows and carry the PK's own capaian; (False, None) otherwise."""
        rows = [i for i in self.baris if kunci_kelompok(self.b.t(kode_key, i)) == kunci]
        if not rows or {x.pk_baris for x in members} != set(rows) or len(members) != len(rows):
            return False, None
        return True, self.b.n(rata_key, rows[0], desimal=2,
                              rumus=f"rata-rata capaian {label} pada Perjanjian Kinerja (R9)")

    def cara(self, key: str) -> str:
        """The code of an aggregation choice of the PK's header (empty: the rule's default, rata-rata persentase)."""
        return str(nama_basis(self.b.teks(key), CARA_AGREGAT, CARA_AGREGAT[0]))

    def semua(self, inds: list[Indikator]) -> bool:
        """Whether ``inds`` are exactly the PK's indicators with the PK's own capaian."""
        return len(inds) == len(self.baris) and {x.pk_baris for x in inds} == set(self.baris)


def _kelompok(inds: list[Indikator], label: Sequence[str], judul: Sequence[str], kode: Sequence[str],
              pk: _PkKelompok | None, kolom: tuple[Key, Key] | None, kata: str) -> list[Sasaran]:
    """``inds`` grouped by ``label`` (a code or name per indicator, "" = no group; compared as the PK's rule
    compares them), in order of first appearance, each with its mean capaian (R9): the Perjanjian Kinerja's
    derived cell (``kolom``: its code and mean columns) when the group is exactly one PK group carrying the PK's
    capaian, else udfs.capaian_rata_kelompok (the function the PK's rule calls) over the laporan's capaian."""
    groups: dict[str, list[int]] = {}
    for n, g in enumerate(label):
        if kunci_kelompok(g):
            groups.setdefault(kunci_kelompok(g), []).append(n)
    caps = [x.capaian.nilai if x.capaian is not None else None for x in inds]
    out = []
    for kunci, idx in groups.items():
        members = [inds[n] for n in idx]
        dari_pk, rata = pk.rata(*kolom, kunci, members, kata) if pk and kolom else (False, None)
        if not dari_pk:
            isi = [x.capaian for x in members if x.capaian is not None]
            v = udfs.capaian_rata_kelompok(caps, list(label), label[idx[0]])
            rata = angka(_num(v), tuple(s for c in isi for s in c.sumber[:1]), desimal=2,
                         rumus=f"rata-rata capaian {len(isi)} indikator {kata} (R9)")
        out.append(Sasaran(judul[idx[0]], members, rata, kode=kode[idx[0]], dari_pk=dari_pk))
    return out


def _sasaran(inds: list[Indikator], pk: _PkKelompok | None) -> list[Sasaran]:
    """Sasaran groups: by the PK's kode sasaran when the PK gives one for every indicator, else by sasaran name."""
    kode = [pk.kode(PK.c1_kode, x) if pk else "" for x in inds]
    if not all(kode):
        kode = [""] * len(inds)
    label = [k or norm(x.sasaran) or "(sasaran tidak diisi)" for k, x in zip(kode, inds)]
    judul = [x.sasaran or "(sasaran tidak diisi)" for x in inds]
    return _kelompok(inds, label, judul, kode, pk, (PK.c1_kode, PK.c9_capaian_sasaran_pct), "sasaran")


def _tujuan(inds: list[Indikator], pk: _PkKelompok | None) -> list[Sasaran]:
    """Tujuan groups: the PK's Kode Tujuan column when it is filled (then each indicator's ``tujuan`` is its
    code), else the Renstra's tujuan attached by :func:`_renstra`."""
    if pk is not None and pk.ada_tujuan:
        for x in inds:
            x.tujuan = pk.kode(PK.c10_tujuan, x)
        kode = [x.tujuan for x in inds]
        return _kelompok(inds, kode, kode, kode, pk, (PK.c10_tujuan, PK.c11_capaian_tujuan_pct), "tujuan")
    nama = [x.tujuan for x in inds]
    return _kelompok(inds, nama, nama, [""] * len(inds), None, None, "tujuan")


def _rata(inds: list[Indikator], pk: _PkKelompok | None) -> Angka | None:
    """The mean capaian of all indicators (R9): the PK's Capaian Agregat when the indicators are the PK's and it
    is declared a rata-rata persentase, else udfs.capaian_agregat (the function of that PK field's rule)."""
    if pk is not None and pk.semua(inds) and pk.cara(_PK_AGREGAT) == CARA_AGREGAT[0]:
        return pk.b.field(_PK_CAPAIAN_AGREGAT, desimal=2, rumus="rata-rata capaian indikator pada Perjanjian "
                          "Kinerja (R9)")
    isi = [x.capaian for x in inds if x.capaian is not None]
    if not isi:
        return None
    v = udfs.capaian_agregat([c.nilai for c in isi], [None] * len(isi), [None] * len(isi), CARA_AGREGAT[0])
    return angka(_num(v), tuple(s for c in isi for s in c.sumber[:1]), desimal=2,
                 rumus=f"rata-rata capaian {len(isi)} indikator (R9)")


# --- renstra (issue 12) -----------------------------------------------------------------------

_RE_TAHUN = re.compile(r"(20\d\d)")


def _periode(lb: Lembar) -> tuple[int | None, int | None]:
    cv = lb.data.fields.get(_PERIODE)
    years = [int(y) for y in _RE_TAHUN.findall(str(cv.value if cv else "") or "")]
    return (min(years), max(years)) if years else (None, None)


def _renstra_lembar(m: Masukan) -> Lembar | None:
    """The Renstra the laporan uses: the latest whose period covers the year, else the latest given."""
    covering = [lb for lb in m.renstra
                if (p := _periode(lb))[0] is not None and p[0] <= m.tahun <= p[1]]  # type: ignore[operator]
    return (covering or m.renstra or [None])[-1]


def _renstra(m: Masukan, inds: list[Indikator]) -> tuple[int | None, str]:
    """Attach each indicator's Renstra targets (the report year's and the period's end) when a Renstra
    workbook is present. Returns (final year of the period, reason when not available)."""
    lb = _renstra_lembar(m)
    if lb is None:
        return None, "buku kerja Renstra tidak ada di folder"
    awal, akhir = _periode(lb)
    b = _Baca(lb)
    k = m.tahun - awal + 1 if awal is not None else None
    key_tahun = TARGET_RENSTRA[k - 1] if k and 1 <= k <= len(TARGET_RENSTRA) else None
    by_name, tujuan_of, tujuan = {}, {}, ""
    for i in b.rows(RS):
        tujuan = b.t(RS.c2_tujuan, i) or tujuan  # merged over its indicators: carried down
        nama = b.t(RS.c4_indikator, i)
        if nama:
            by_name[norm(nama)] = i
            tujuan_of[i] = tujuan
    found = 0
    for x in inds:
        i = by_name.get(norm(x.nama))
        if i is None:
            continue
        found += 1
        x.tujuan = tujuan_of.get(i, "")
        tt = b.n(getattr(RS, key_tahun), i) if key_tahun else None  # the report year's column
        ct = _capaian_of(tt, x.realisasi, x.polaritas, ()) if tt is not None else None
        if ct is not None:
            ct = Angka(ct.nilai, 2, ct.sumber, "capaian = realisasi tahun ini terhadap target Renstra tahun ini (R7)")
        x.renstra = RenstraIndikator(tt, ct, b.n(RS.c19_target_akhir, i),
                                     b.n(RS.c21_capaian_pct, i, desimal=2), akhir)
    if not found:
        return None, f"indikator tahun ini tidak ditemukan pada Renstra '{lb.nama_berkas}'"
    return akhir or 0, ""


def _nama_berbeda(asal: Lembar, tabel: Table, kunci: Key, lain: Lembar, tabel_lain: Table, kunci_lain: Key,
                  bentuk: str, akibat: str) -> list[str]:
    """A warning per indicator of ``asal`` that ``lain`` (the year's PK or the Renstra) does not list by name
    (rows pair by name: a typo or a word left out silently unpairs them), with the most similar name ``lain``
    lists and its cell."""
    a, b = _Baca(asal), _Baca(lain)
    names = {norm(n): (i, n) for i, n in b.named(tabel_lain, kunci_lain)}
    out = []
    for i, nama in a.named(tabel, kunci):
        if norm(nama) in names:
            continue
        pesan = f"Indikator '{nama}' ({a.cell(kunci, i)}) tidak ada di {bentuk} {lain.nama_berkas}"
        mirip = difflib.get_close_matches(norm(nama), list(names), n=1, cutoff=0.8)
        if mirip:
            j, n = names[mirip[0]]
            c = b.cell(kunci_lain, j)
            pesan += f"; yang mirip: '{n}' ({c.lembar}!{c.sel})"
        out.append(f"{pesan}. Samakan penulisan namanya: {akibat}.")
    return out


def _peringatan_nama(m: Masukan, renstra_ada: bool) -> list[str]:
    """Indicators of the year's Pengukuran (else its PK) that the year's PK or the Renstra does not list by name."""
    peng, pk, rs = _latest(m.of("pengukuran-rencana-aksi")), _pk_tahun(m), _renstra_lembar(m)
    out = []
    if peng is not None and pk is not None:
        out += _nama_berbeda(peng, PG, PG.c3_indikator_kinerja, pk, PK, PK.c3_indikator, "Perjanjian Kinerja",
                             "kode sasaran, Kode Tujuan dan rata-rata Perjanjian Kinerja tidak berlaku untuknya")
    asal, tabel, kunci = (peng, PG, PG.c3_indikator_kinerja) if peng is not None else (pk, PK, PK.c3_indikator)
    if renstra_ada and rs is not None and asal is not None:
        out += _nama_berbeda(asal, tabel, kunci, rs, RS, RS.c4_indikator, "Renstra",
                             "target Renstra dan capaian jangka menengahnya tidak tercantum pada Tabel "
                             + nomor("renstra"))
    return out


# --- tables -----------------------------------------------------------------------------------

def _tw_label(tw: int | None) -> str:
    return f" (s.d. Triwulan {ROMAWI[tw]})" if tw else ""


def _tabel_pk(m: Masukan, inds: list[Indikator], sas: list[Sasaran]) -> Tabel:
    t = Tabel("2.1", f"Perjanjian Kinerja Tahun {m.tahun}", ["No", "Sasaran / Indikator Kinerja", "Satuan", "Target"])
    if not inds:
        return t.belum("Perjanjian Kinerja, Rencana Aksi dan Pengukuran tahun ini tidak ada di folder.")
    for s in sas:
        t.baris.append(Baris([s.kode, s.nama, "", ""], "kelompok"))
        for x in s.indikator:
            t.baris.append(Baris([x.no, x.nama, x.satuan, x.target], indikator=x.nama))
    src = "Perjanjian Kinerja" if m.of("perjanjian-kinerja") else (
        "Rencana Aksi" if m.of("rencana-aksi") else "Pengukuran Rencana Aksi")
    t.catatan = f"Sumber: {src}."
    return t


def _tabel_rencana_aksi(m: Masukan) -> Tabel:
    t = Tabel("2.2", f"Rencana Aksi: Target Antara per Triwulan Tahun {m.tahun}",
              ["Indikator Kinerja", "Target", "Target Antara TW I (%)", "Target Antara TW II (%)",
               "Target Antara TW III (%)", "Target Antara TW IV (%)"])
    ra = m.of("rencana-aksi")
    if not ra:
        return t.belum("Rencana Aksi tahun ini tidak ada di folder.")
    lb = ra[-1]
    b = _Baca(lb)
    for i, nama in b.named(RA, RA.c3_indikator):
        t.baris.append(Baris([nama, b.n(RA.c4_target, i), *[b.n(k, i) for k in _RA_ANTARA]], indikator=nama))
    t.catatan = "Sumber: Rencana Aksi Perjanjian Kinerja. Target antara adalah kemajuan kumulatif."
    return t


def _tabel_capaian(m: Masukan, inds: list[Indikator], sas: list[Sasaran], tujuan: list[Sasaran],
                   rata: Angka | None, tw: int | None, asal: str) -> Tabel:
    t = Tabel(nomor("capaian"), f"Target, Realisasi dan Capaian Indikator Kinerja Tahun {m.tahun}{_tw_label(tw)}",
              ["No", "Sasaran / Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian (%)", "Predikat"])
    if not inds:
        return t.belum("Perjanjian Kinerja, Rencana Aksi dan Pengukuran tahun ini tidak ada di folder.")
    for s in sas:
        t.baris.append(Baris([s.kode, s.nama, "", "", "", "", ""], "kelompok"))
        for x in s.indikator:
            t.baris.append(Baris([x.no, x.nama, x.satuan, x.target, x.realisasi if x.realisasi else BELUM,
                                  x.capaian, x.predikat], indikator=x.nama))
        t.baris.append(Baris(["", f"Rata-rata capaian sasaran {s.kode}".strip(), "", "", "", s.capaian,
                              _predikat(s.capaian)], "jumlah"))
    t.baris.append(Baris(["", "Rata-rata capaian seluruh indikator", "", "", "", rata, _predikat(rata)], "jumlah"))
    for g in tujuan:
        t.baris.append(Baris(["", f"Rata-rata capaian tujuan: {g.nama}", "", "", "", g.capaian, _predikat(g.capaian)],
                             "jumlah"))
    catatan_rata = ("rata-rata sasaran = kolom Rata-rata Capaian Sasaran Perjanjian Kinerja (per kode sasaran, R9)"
                    if any(g.dari_pk for g in sas) else "rata-rata sasaran = rata-rata capaian indikatornya (R9)")
    if not tujuan:
        catatan_tujuan = "rata-rata capaian tujuan memerlukan Kode Tujuan pada Perjanjian Kinerja atau Renstra"
    elif any(g.dari_pk for g in tujuan):
        catatan_tujuan = "rata-rata tujuan = kolom Rata-rata Capaian Tujuan Perjanjian Kinerja (per Kode Tujuan)"
    elif tujuan[0].kode:
        catatan_tujuan = ("rata-rata tujuan = rata-rata capaian indikator yang melayaninya menurut kolom Kode Tujuan "
                          "Perjanjian Kinerja")
    else:
        catatan_tujuan = "rata-rata tujuan = rata-rata capaian indikator yang melayaninya menurut Renstra"
    t.catatan = (f"Sumber: {asal}. Capaian dihitung sesuai polaritas indikator (R7); {catatan_rata}; "
                 f"{catatan_tujuan}; indikator tanpa realisasi tidak ikut dirata-ratakan. {CATATAN_PREDIKAT}")
    return t


def _tabel_triwulan(m: Masukan, inds: list[Indikator]) -> Tabel:
    t = Tabel(nomor("triwulan"), f"Realisasi dan Capaian per Triwulan Tahun {m.tahun}",
              ["Indikator Kinerja", "Target", *[f"Realisasi TW {ROMAWI[k]}" for k in range(1, 5)],
               *[f"Capaian TW {ROMAWI[k]} (%)" for k in range(1, 5)]])
    ada = {k for x in inds for k in x.per_tw}
    if not ada:
        return t.belum("Pengukuran Rencana Aksi triwulanan (atau realisasi triwulan pada Perjanjian Kinerja) tahun "
                       "ini tidak ada di folder.")
    hilang = [ROMAWI[k] for k in range(1, 5) if k not in ada]
    for x in inds:
        kosong = ["-" if k in ada else BELUM for k in range(1, 5)]  # measured that quarter, or not at all
        real = [(x.per_tw[k][0] or "-") if k in x.per_tw else kosong[k - 1] for k in range(1, 5)]
        cap = [(x.per_tw[k][1] or "-") if k in x.per_tw else kosong[k - 1] for k in range(1, 5)]
        t.baris.append(Baris([x.nama, x.target, *real, *cap], indikator=x.nama))
    t.catatan = ("Sumber: Pengukuran Rencana Aksi setiap triwulan (realisasi nilai indikator s.d. triwulan itu)."
                 if m.of("pengukuran-rencana-aksi") else "Sumber: realisasi per triwulan pada Perjanjian Kinerja.")
    if hilang:
        t.catatan += f" Triwulan {', '.join(hilang)}: {BELUM}."
    return t


def _tabel_perbandingan(m: Masukan, inds: list[Indikator], years: list[int]) -> Tabel:
    cols = ["Indikator Kinerja", "Satuan"]
    for y in [*years, m.tahun]:
        cols += [f"Realisasi {y}", f"Capaian {y} (%)"]
    t = Tabel(nomor("perbandingan"), "Perbandingan Realisasi dan Capaian dengan Tahun Sebelumnya", cols)
    if not years:
        return t.belum(f"Perjanjian Kinerja tahun sebelum {m.tahun} tidak ada di folder.")
    for x in inds:
        row: list[Any] = [x.nama, x.satuan]
        for y in years:
            r = next((r for r in x.riwayat if r.tahun == y), None)
            row += [r.realisasi if r and r.realisasi else "-", r.capaian if r and r.capaian else "-"]
        row += [x.realisasi or "-", x.capaian or "-"]
        t.baris.append(Baris(row, indikator=x.nama))
    t.catatan = (f"Sumber tahun {', '.join(map(str, years))}: Perjanjian Kinerja tahun itu; tahun {m.tahun}: "
                 f"Tabel {nomor('capaian')}.")
    return t


def _tabel_renstra(m: Masukan, inds: list[Indikator], akhir: int | None, alasan: str) -> Tabel:
    ujung = f" ({akhir})" if akhir else ""
    t = Tabel(nomor("renstra"), "Capaian terhadap Target Jangka Menengah (Renstra)",
              ["Indikator Kinerja", "Satuan", f"Target Renstra {m.tahun}", f"Realisasi {m.tahun}",
               f"Capaian terhadap Target Renstra {m.tahun} (%)", f"Target Akhir Periode Renstra{ujung}",
               "Capaian Jangka Menengah (%)"])
    if akhir is None:
        return t.belum(f"{alasan[0].upper()}{alasan[1:]}." if alasan else "Renstra tidak tersedia.")
    for x in inds:
        r = x.renstra
        if r is None:
            t.baris.append(Baris([x.nama, x.satuan, BELUM, x.realisasi or "-", "-", BELUM, "-"], indikator=x.nama))
            continue
        t.baris.append(Baris([x.nama, x.satuan, r.target_tahun or BELUM, x.realisasi or "-", r.capaian_tahun or "-",
                              r.target_akhir or BELUM, r.capaian_akhir or "-"], indikator=x.nama))
    t.catatan = ("Sumber: Renstra (target per tahun, target akhir periode dan capaian jangka menengah menurut basis "
                 f"indikatornya); realisasi tahun ini dari Tabel {nomor('capaian')}.")
    return t


def _rp(a: Angka | None, keu: Angka | None, ribu: bool) -> Angka | None:
    """Realisasi (Rp) = pagu × realisasi keuangan (%) / 100."""
    if a is None:
        return None
    pct = keu.nilai if keu is not None else 0.0
    pagu = a.nilai * (1000 if ribu else 1)
    return angka(pagu * pct / 100, a.sumber + (keu.sumber if keu else ()), desimal=0,
                 rumus="pagu × realisasi keuangan (%) / 100")


def _pagu(a: Angka | None, ribu: bool) -> Angka | None:
    if a is None:
        return None
    return angka(a.nilai * (1000 if ribu else 1), a.sumber, desimal=0, rumus="pagu (Rp ribu) × 1.000" if ribu else "")


def _jumlah(items: list[Angka | None], rumus: str = "jumlah") -> Angka | None:
    isi = [x for x in items if x is not None]
    if not isi:
        return None
    return angka(sum(x.nilai for x in isi), tuple(s for x in isi for s in x.sumber), desimal=0, rumus=rumus)


def _serapan(real: Angka | None, pagu: Angka | None) -> Angka | None:
    if real is None or pagu is None:
        return None
    v = udfs.penyerapan(real.nilai, pagu.nilai)
    return angka(_num(v), real.sumber, desimal=2, rumus="serapan = realisasi / pagu × 100 (R4)")


class _Anggaran:
    def __init__(self) -> None:
        self.rows: list[Baris] = []
        self.efisiensi: list[Baris] = []
        self.pagu: list[Angka | None] = []
        self.real: list[Angka | None] = []
        self.sumber = ""


def _label(v: Any) -> str:
    return "-" if isinstance(v, NilaiGalat) or v is None else str(v)


def _bpkp(capaian: Angka | None, serapan: Angka | None, efektif: str, nama: str, target: Angka | None = None
          ) -> Baris:
    """An efficiency table row: efisien and the efficiency ratio with udfs.efisien / udfs.rasio_efisiensi (BPKP)."""
    efisien, rasio = "-", None
    if capaian is not None and serapan is not None:
        efisien = _label(udfs.efisien(capaian.nilai, serapan.nilai))
        rasio = angka(_num(udfs.rasio_efisiensi(capaian.nilai, serapan.nilai)), capaian.sumber + serapan.sumber,
                      desimal=2, rumus="(capaian − serapan) / capaian × 100 (R10)")
    return Baris([nama, target or "-", capaian or "-", serapan or "-", efektif, efisien, rasio or "-"])


def _efektif(fis_r: Angka | None, fis_s: Angka | None, keu_r: Angka | None, nama: str) -> Baris:
    """An output: efektif when realisasi fisik reaches its target (capaian fisik ≥ 100 %), efisien when
    realisasi fisik (% of the year's volume) exceeds realisasi keuangan (% of its pagu)."""
    efektif = "-"
    if fis_r is not None and fis_s is not None and fis_s.nilai:
        efektif = _label(udfs.efektif(fis_r.nilai / fis_s.nilai * 100))
    return _bpkp(fis_r, keu_r, efektif, nama, fis_s)


def _efisiensi_pk(pk: _PkKelompok | None) -> list[Baris]:
    """Per indicator, from the year's Perjanjian Kinerja where it records the serapan of the indicator's budget,
    and the PK's capaian agregat against its serapan anggaran agregat (each by the PK's declared choice)."""
    if pk is None:
        return []
    b = pk.b
    out = []
    for i in b.rows(PK):
        serapan = b.n(PK.c20_serapan_pct, i, desimal=2)
        nama = b.t(PK.c3_indikator, i)
        if serapan is None or not nama:
            continue
        out.append(Baris([f"Indikator {nama}", "-", b.n(PK.c8_capaian_pct, i, desimal=2) or "-", serapan,
                          b.t(PK.c21_efektif, i) or "-", b.t(PK.c22_efisien, i) or "-",
                          b.n(PK.c23_rasio_efisiensi_pct, i, desimal=2) or "-"], indikator=nama))
    serapan = b.field(_PK_SERAPAN_AGREGAT, desimal=2)
    capaian = b.field(_PK_CAPAIAN_AGREGAT, desimal=2)
    if out and serapan is not None and capaian is not None:
        cara, cara_serapan = (str(label_pilihan(PERJANJIAN_KINERJA.field(k).pilihan, pk.cara(k)))
                              .split(" — ")[0].lower() for k in (_PK_AGREGAT, _PK_AGREGAT_SERAPAN))
        row = _bpkp(capaian, serapan, _label(udfs.efektif(capaian.nilai)),
                    f"Perjanjian Kinerja: capaian agregat ({cara}) terhadap serapan anggaran agregat ({cara_serapan})")
        row.jenis = "jumlah"
        out.append(row)
    return out


def _anggaran_form_a(lbs: list[Lembar]) -> _Anggaran:
    out = _Anggaran()
    tw = max(lb.triwulan or 0 for lb in lbs)
    chosen = [lb for lb in lbs if (lb.triwulan or 0) == tw]
    by_keg: dict[str, Lembar] = {}
    for lb in chosen:
        by_keg[lb.data.kegiatan or lb.data.name] = lb
    programs: dict[str, list[Lembar]] = {}
    for lb in by_keg.values():
        b = _Baca(lb)
        programs.setdefault(b.teks(_PROGRAM), []).append(lb)
    for prog, kegs in programs.items():
        out.rows.append(Baris(["", prog or "(program tidak diisi)", "", "", ""], "kelompok"))
        for lb in kegs:
            b = _Baca(lb)
            keg = b.teks(_KEGIATAN) or lb.data.kegiatan
            out_rows, pagus, reals = [], [], []
            rea = lb.data.tables[FA_REA.key]
            ang = lb.data.tables[FA_ANG.key]
            for i in b.rows(FA_ANG):
                kode = b.t(FA_ANG.c1_output_kode, i)
                nama = b.t(FA_ANG.c1_output_nama, i)
                if not kode and not nama:
                    continue
                j = rea.offsets.get(ang.offset(i))
                keu = b.n(FA_REA.c11_sd_keu_R, j, desimal=2) if j is not None else None
                fis_r = b.n(FA_REA.c13_sd_fis_R, j, desimal=2) if j is not None else None
                fis_s = b.n(FA_REA.c12_sd_fis_S, j, desimal=2) if j is not None else None
                pagu = _pagu(b.n(FA_ANG.c5_total_rp000, i), True)
                real = _rp(b.n(FA_ANG.c5_total_rp000, i), keu, True)
                pagus.append(pagu)
                reals.append(real)
                out_rows.append(Baris([kode, nama, pagu or "-", real or "-", keu or "-"]))
                out.efisiensi.append(_efektif(fis_r, fis_s, keu, f"{kode} {nama}".strip()))
            p, r = _jumlah(pagus), _jumlah(reals)
            out.rows.append(Baris([lb.data.kegiatan, keg, p or "-", r or "-", _serapan(r, p) or "-"], "jumlah"))
            out.rows += out_rows
            out.pagu += pagus
            out.real += reals
    out.sumber = (f"FORM A Triwulan {ROMAWI.get(tw, '?')} (pagu bagian II, realisasi keuangan s.d. triwulan ini "
                  "bagian III)")
    return out


def _anggaran_alki(lb: Lembar) -> _Anggaran:
    out = _Anggaran()
    b = _Baca(lb)
    groups: dict[str, list[int]] = {}
    for i in b.rows(AL):
        groups.setdefault(b.t(AL.c2_kegiatan, i), []).append(i)
    for keg, idx in groups.items():
        rows, pagus, reals = [], [], []
        for i in idx:
            pagu = b.n(AL.c7_pagu_rp, i, desimal=0)
            keu = b.n(AL.c9_realisasi_keuangan_pct, i, desimal=2)
            real = _rp(pagu, keu, False)
            pagus.append(pagu)
            reals.append(real)
            kode = ".".join(x for x in (b.t(AL.c3_kro, i), b.t(AL.c4_ro, i),
                                        b.t(AL.c5_komponen, i)) if x)
            nama = b.t(AL.c6_uraian, i)
            rows.append(Baris([kode, nama, pagu or "-", real or "-", keu or "-"]))
            out.efisiensi.append(_efektif(b.n(AL.c11_realisasi_fisik_pct, i, desimal=2),
                                          b.n(AL.c10_target_fisik_pct, i, desimal=2), keu,
                                          f"{kode} {nama}".strip()))
        p, r = _jumlah(pagus), _jumlah(reals)
        out.rows.append(Baris([keg, f"Kegiatan {keg}", p or "-", r or "-", _serapan(r, p) or "-"], "jumlah"))
        out.rows += rows
        out.pagu += pagus
        out.real += reals
    out.sumber = f"ALKI Triwulan {ROMAWI.get(lb.triwulan or 0, '?')} (pagu dan realisasi keuangan per komponen)"
    return out


def _tabel_anggaran(m: Masukan) -> tuple[Tabel, _Anggaran | None]:
    t = Tabel(nomor("anggaran"), f"Realisasi Anggaran per Program dan Kegiatan Tahun {m.tahun}",
              ["Kode", "Program / Kegiatan / Output", "Pagu (Rp)", "Realisasi (Rp)", "Serapan (%)"])
    if m.of("form-a"):
        a = _anggaran_form_a(m.of("form-a"))
    elif m.of("alki"):
        a = _anggaran_alki(_latest(m.of("alki")))  # type: ignore[arg-type]
    else:
        return t.belum("FORM A dan ALKI tahun ini tidak ada di folder."), None
    t.baris = list(a.rows)
    p, r = _jumlah(a.pagu), _jumlah(a.real)
    t.baris.append(Baris(["", "Jumlah", p or "-", r or "-", _serapan(r, p) or "-"], "jumlah"))
    t.catatan = (f"Sumber: {a.sumber}. Realisasi (Rp) = pagu × realisasi keuangan (%); serapan kegiatan dan "
                 "jumlah = Σ realisasi / Σ pagu (R4, R11).")
    return t, a


def _tabel_efisiensi(a: _Anggaran | None, pk: _PkKelompok | None, rata: Angka | None, serapan: Angka | None
                     ) -> Tabel:
    t = Tabel(nomor("efisiensi"), "Efektivitas dan Efisiensi Penggunaan Sumber Daya",
              ["Uraian", "Target Fisik (%)", "Realisasi Fisik / Capaian Kinerja (%)", "Serapan Anggaran (%)",
               "Efektif", "Efisien", "Rasio Efisiensi (%)"])
    per_indikator = _efisiensi_pk(pk)
    if a is None and not per_indikator:
        return t.belum("FORM A, ALKI dan serapan anggaran per indikator (Perjanjian Kinerja) tahun ini tidak ada "
                       "di folder.")
    t.baris = per_indikator + (list(a.efisiensi) if a else [])
    if rata is not None and serapan is not None:
        row = _bpkp(rata, serapan, _label(udfs.efektif(rata.nilai)),
                    "Satker: rata-rata capaian kinerja terhadap serapan anggaran")
        row.jenis = "jumlah"
        t.baris.append(row)
    t.catatan = ("Efektif bila capaian ≥ 100 % (per output: realisasi fisik ≥ target fisik); efisien bila capaian "
                 "(per output: realisasi fisik) > serapan anggaran; rasio efisiensi = (capaian − serapan) / capaian "
                 "× 100 (reviu BPKP). Per indikator dan agregat: Perjanjian Kinerja (serapan = realisasi ÷ pagu "
                 "anggaran indikator; agregat menurut cara yang dipilih di Perjanjian Kinerja); baris satker: "
                 f"rata-rata capaian indikator (Tabel {nomor('capaian')}) dan serapan Tabel {nomor('anggaran')}.")
    return t


def _tabel_p3dn(m: Masukan) -> tuple[Tabel, Angka | None]:
    t = Tabel(nomor("p3dn"), f"Penggunaan Produk Dalam Negeri (P3DN) Tahun {m.tahun}",
              ["Akun", "Uraian", "Pagu (Rp)", "Realisasi PDN (Rp)", "Realisasi TKDN (Rp)", "Realisasi P3DN (Rp)",
               "Capaian P3DN (%)"])
    lb = _latest(m.of("p3dn"))
    if lb is None:
        return t.belum("P3DN tahun ini tidak ada di folder."), None
    b = _Baca(lb)
    for i in b.rows(P3):
        pagu = b.n(P3.c4_pagu_rp, i, desimal=0)
        if pagu is None:
            continue
        t.baris.append(Baris([b.t(P3.c2_akun, i), b.t(P3.c3_uraian, i), pagu,
                              b.n(P3.c5_realisasi_pdn_rp, i, desimal=0) or "-",
                              b.n(P3.c6_realisasi_tkdn_rp, i, desimal=0) or "-",
                              b.n(P3.c8_realisasi_p3dn_rp, i, desimal=0) or "-",
                              b.n(P3.c9_p3dn_pct, i, desimal=2) or "-"]))
    if not t.baris:
        return t.belum("lembar P3DN belum diisi (pagu akun terpilih kosong)."), None
    total = b.total(P3.c9_p3dn_pct, desimal=2)
    t.baris.append(Baris(["", "Jumlah", b.total(P3.c4_pagu_rp, desimal=0) or "-",
                          b.total(P3.c5_realisasi_pdn_rp, desimal=0) or "-",
                          b.total(P3.c6_realisasi_tkdn_rp, desimal=0) or "-",
                          b.total(P3.c8_realisasi_p3dn_rp, desimal=0) or "-", total or "-"], "jumlah"))
    t.catatan = (f"Sumber: P3DN Triwulan {ROMAWI.get(lb.triwulan or 0, '?')}. Capaian = (PDN + TKDN) / pagu akun "
                 "terpilih × 100 (R12).")
    return t, total


def _tabel_ikm(m: Masukan) -> tuple[Tabel, Angka | None]:
    t = Tabel(nomor("ikm"), f"Indeks Kepuasan Masyarakat Tahun {m.tahun}",
              ["Metode", "Jumlah Responden", "IKM (1–4)", "IKM Unit Pelayanan (25–100)", "Mutu Pelayanan"])
    filled = [lb for lb in m.of("skm") if lb.data.tables[SK.key].rows]
    lb = _latest(filled)
    if lb is None:
        return t.belum("Survei Kepuasan Masyarakat tahun ini belum diisi atau tidak ada di folder."), None
    b = _Baca(lb)
    n = angka(float(len(lb.data.tables[SK.key].rows)), (b.cell(SK.c1_responden, 0),), desimal=0,
              rumus="jumlah baris jawaban")
    ikm = b.field(_IKM, desimal=2)
    t.baris.append(Baris([b.teks(_METODE), n, ikm or "-", b.field(_IKM_KONVERSI, desimal=2) or "-",
                          b.teks(_IKM_MUTU) or "-"]))
    t.catatan = f"Sumber: SKM Triwulan {ROMAWI.get(lb.triwulan or 0, '?')} (R13/R14)."
    return t, ikm


def _kendala(m: Masukan, inds: list[Indikator]) -> list[Kendala]:
    out = [Kendala(f"Indikator {x.nama}", x.kendala, "") for x in inds if x.kendala and x.kendala.strip("- ")]
    fa = m.of("form-a")
    if fa:
        tw = max(lb.triwulan or 0 for lb in fa)
        for lb in fa:
            if (lb.triwulan or 0) != tw:
                continue
            b = _Baca(lb)
            for i in b.rows(FA_KEN):
                k, u = b.t(FA_KEN.c3_kendala, i), b.t(FA_KEN.c4_tindak_lanjut, i)
                if k or u:
                    out.append(Kendala(f"FORM A {lb.data.kegiatan} — {b.t(FA_KEN.c2_output, i)}".strip(" —"),
                                       k, u))
    return out


def _tabel_kendala(ks: list[Kendala]) -> Tabel:
    t = Tabel(nomor("kendala"), "Kendala dan Upaya Tindak Lanjut",
              ["No", "Indikator / Output", "Kendala", "Upaya / Tindak Lanjut"])
    if not ks:
        return t.belum("kolom kendala Pengukuran Rencana Aksi dan FORM A bagian IV kosong.")
    for n, k in enumerate(ks, 1):
        t.baris.append(Baris([str(n), k.sumber, k.kendala or "-", k.upaya or "-"]))
    t.catatan = "Sumber: kolom Kendala/Permasalahan Pengukuran Rencana Aksi dan FORM A bagian IV."
    return t


def _hitung(n: int, rumus: str) -> Angka:
    return Angka(float(n), 0, (), rumus)


def _ikhtisar(m: Masukan, inds: list[Indikator], sas: list[Sasaran], rata: Angka | None, tw: int | None,
              pagu: Angka | None, real: Angka | None, serapan: Angka | None, p3dn: Angka | None, ikm: Angka | None
              ) -> Tabel:
    t = Tabel("i", f"Ikhtisar Kinerja Tahun {m.tahun}{_tw_label(tw)}", ["Uraian", "Nilai"])
    dengan = [x for x in inds if x.capaian is not None]
    t31 = f"Tabel {nomor('capaian')}"
    rows: list[tuple[str, Any]] = [
        ("Jumlah sasaran", _hitung(len(sas), f"jumlah sasaran pada {t31}")),
        ("Jumlah indikator kinerja", _hitung(len(inds), f"jumlah indikator pada {t31}")),
        ("Indikator dengan realisasi terukur", _hitung(len(dengan), f"indikator bercapaian pada {t31}")),
        ("Indikator dengan capaian ≥ 100 %", _hitung(sum(1 for x in dengan if x.capaian and x.capaian.nilai >= 100),
                                                     f"indikator bercapaian ≥ 100 % pada {t31}")),
        ("Rata-rata capaian indikator (%)", rata or BELUM),
        ("Pagu anggaran (Rp)", pagu or BELUM),
        ("Realisasi anggaran (Rp)", real or BELUM),
        ("Serapan anggaran (%)", serapan or BELUM),
        ("Capaian P3DN (%)", p3dn or BELUM),
        ("Indeks Kepuasan Masyarakat (1–4)", ikm or BELUM),
    ]
    t.baris = [Baris([u, v]) for u, v in rows]
    return t


def susun(m: Masukan) -> Laporan:
    """The Laporan Kinerja of ``m``'s unit and year."""
    inds, tw, asal = _indikator(m)
    years = _riwayat(m, inds)
    akhir, alasan = _renstra(m, inds)
    lb_pk = _pk_tahun(m)
    pk = _PkKelompok(lb_pk) if lb_pk is not None else None
    sas, tujuan, rata = _sasaran(inds, pk), _tujuan(inds, pk), _rata(inds, pk)
    anggaran, a = _tabel_anggaran(m)
    pagu = real = serapan = None
    if a is not None:
        pagu, real = _jumlah(a.pagu), _jumlah(a.real)
        serapan = _serapan(real, pagu)
    p3dn_t, p3dn = _tabel_p3dn(m)
    ikm_t, ikm = _tabel_ikm(m)
    ks = _kendala(m, inds)
    tabel = {"capaian": _tabel_capaian(m, inds, sas, tujuan, rata, tw, asal), "triwulan": _tabel_triwulan(m, inds),
             "perbandingan": _tabel_perbandingan(m, inds, years), "renstra": _tabel_renstra(m, inds, akhir, alasan),
             "kendala": _tabel_kendala(ks), "efisiensi": _tabel_efisiensi(a, pk, rata, serapan),
             "anggaran": anggaran, "p3dn": p3dn_t, "ikm": ikm_t}
    bab3 = [tabel[k] for k in BAB3]  # the document's order, which LAPORAN.xlsx follows too
    catatan = [f"{t.label}: {t.catatan}" for t in bab3 if not t.tersedia]
    return Laporan(
        satker=m.satker, nama_unit=m.nama_unit, tahun=m.tahun, triwulan=tw, indikator=inds, sasaran=sas,
        ikhtisar=_ikhtisar(m, inds, sas, rata, tw, pagu, real, serapan, p3dn, ikm),
        bab2=[_tabel_pk(m, inds, sas), _tabel_rencana_aksi(m)], bab3=bab3, kendala=ks,
        berkas=sorted({shown(w.path.name) for w in m.berkas}), catatan=catatan,
        ringkasan={"rata": rata, "pagu": pagu, "realisasi": real, "serapan": serapan, "p3dn": p3dn, "ikm": ikm,
                   "tahun_lalu": ", ".join(map(str, years))},
        dilewati=list(m.dilewati), peringatan=_peringatan_nama(m, not alasan),
    )


def shown(name: str) -> str:
    from workbooks.reader import shown as _shown

    return _shown(name)
