"""Roll the winning sheets of the valid submissions up, with the udfs rules.

FORM B per (Eselon I, program): one row per kegiatan over its satkers' FORM A
output rows (pagu summed; penyerapan and output % weighted by the output pagu,
never from the FORM A Jumlah, which is divided by the satker pagu), and the
Jumlah row weighted by kegiatan pagu (R3). An Eselon I's own FORM B counts for
a program only when no satker FORM A covers it. Then the Ringkasan figures,
capaian per indicator, Indeks Kepuasan Masyarakat, P3DN (ratio of sums) and
the Status Pengiriman of every unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import udfs
from macros.konsolidasi.collect import (DITOLAK, KOSONG, LEDGER, PERIODE_LAIN, ROLLUP_LAMA, SEBAGIAN, STAMP,
                                       UNKNOWN, UNREAD, Kiriman)
from macros.konsolidasi.deadline import Kalender
from macros.konsolidasi.extract import Bagian, Indikator, OutputRow
from macros.konsolidasi.trail import INDEKS, KONVERSI, RATA, Nilai, copy, jumlah, rasio, tertimbang
from workbooks.checks import weighted_columns
from workbooks.forms import FORMS_TAHUNAN
from workbooks.forms.form_b import KEGIATAN as FORM_B_KEGIATAN
from workbooks.masters import PROGRAM
from workbooks.units import Unit

TIDAK_DIPAKAI = "tidak dipakai"
REVISI = "revisi setelah diterima"  # a file awaiting the verifier, not used (macros.konsolidasi.verifikasi)
PCT = ("pen_s", "pen_r", "out_s", "out_r")  # the four weighted percentages of a FORM B row
FORM_B_PCT = dict(zip(PCT, weighted_columns(FORM_B_KEGIATAN)))  # FORM B columns whose Jumlah is weighted
_ROW_PCT = dict(zip(PCT, ("keu_s", "keu_r", "fis_s", "fis_r")))


@dataclass
class KegiatanB:
    kode: str
    nama: str
    phln: Nilai
    rm: Nilai
    total: Nilai
    pct: dict[str, Nilai]  # keys of PCT
    narasi: str
    satuan: str
    lokasi: str
    units: list[str]


@dataclass
class FormB:
    eselon1: str
    program: str
    program_nama: str
    rows: list[KegiatanB]
    jumlah: dict[str, Nilai]  # phln, rm, total and the keys of PCT
    dipa: list[str]
    units: list[str]

    @property
    def judul_program(self) -> str:
        return f"{self.program}. {self.program_nama}".strip()


@dataclass
class Ringkas:
    """One Ringkasan line: pagu and the four weighted percentages."""

    eselon1: str
    program: str
    pagu: Nilai
    pct: dict[str, Nilai]


@dataclass
class StatusUnit:
    unit: Unit
    terdaftar: bool
    diterima: bool = False
    validasi: str = ""  # valid / ditolak
    terlambat: bool | None = None  # None: not known from a trusted time
    waktu: dt.datetime | None = None  # trusted arrival time (aware)
    sumber: str = ""  # where ``waktu`` comes from: collect.STAMP, collect.LEDGER or collect.UNKNOWN
    hari_ke: int | None = None
    batas: dt.date | None = None
    berkas: list[str] = field(default_factory=list)
    keterangan: str = ""
    kunci: str = ""  # the files the verifier's decision covers (macros.konsolidasi.verifikasi)
    keputusan: str = ""  # the verifier's decision in force: Diterima / Dikembalikan / — / ""
    catatan: str = ""  # the verifier's note
    verifikasi: str = ""  # dikembalikan / diterima / revisi setelah diterima / ""
    warna: str = ""  # hijau / kuning / merah


@dataclass
class CapaianUnit:
    unit: Unit
    sumber: str  # form name
    sasaran: list[tuple[str, list[Indikator], Nilai]]  # (sasaran, indicators, mean capaian)


@dataclass
class SurveiUnit:
    unit: Unit
    metode: str
    kuesioner: int
    indeks: Nilai
    konversi: Nilai
    mutu: str


@dataclass
class P3dnUnit:
    unit: Unit
    pagu: Nilai
    pdn: Nilai
    tkdn: Nilai
    realisasi: Nilai
    pct: Nilai


@dataclass
class Rollup:
    tahun: int | None
    triwulan: int | None
    forms_b: list[FormB]
    eselon: list[Ringkas]
    program: list[Ringkas]
    semua: Ringkas | None
    status: list[StatusUnit]
    capaian: list[CapaianUnit]
    survei: list[SurveiUnit]
    survei_total: list[SurveiUnit]
    p3dn: list[P3dnUnit]
    p3dn_total: P3dnUnit | None


def _first(items: list[str]) -> list[str]:
    """Unique, in order of first appearance."""
    return list(dict.fromkeys(x for x in items if x))


def _join(texts: list[str], sep: str) -> str:
    parts = [p.strip() for t in texts for p in (t.split(",") if sep == ", " else [t])]
    return sep.join(_first([p.rstrip(";").strip() for p in parts]))


def unit_of(k: Kiriman, units: dict[str, Unit]) -> Unit:
    """The sender as the unit list knows it (the list's Eselon I wins), else as the file says."""
    ident = k.ident
    assert ident is not None
    u = units.get(k.unit)
    if u is None and not k.unit and ident.nama:
        u = next((x for x in units.values() if x.nama.casefold() == ident.nama.casefold()), None)
    if u is None:
        return Unit(k.unit, ident.nama, ident.eselon1, "")
    return u if u.eselon1 else Unit(u.kode, u.nama, ident.eselon1, u.provinsi)


@dataclass
class Contribution:
    """One output row of a satker (or kegiatan row of an Eselon I's FORM B), with who it belongs to."""

    eselon1: str
    unit: str
    dipa: tuple[str, ...]
    row: OutputRow


def _kegiatan(kode: str, rs: list[Contribution]) -> KegiatanB:
    pagu = [r.row.pagu for r in rs]
    return KegiatanB(
        kode=kode, nama=next((r.row.kegiatan_nama for r in rs if r.row.kegiatan_nama), ""),
        phln=jumlah([r.row.phln for r in rs]), rm=jumlah([r.row.rupiah for r in rs]), total=jumlah(pagu),
        pct={p: tertimbang([getattr(r.row, _ROW_PCT[p]) for r in rs], pagu) for p in PCT},
        narasi=_join([r.row.nama for r in rs], "; "), satuan=_join([r.row.satuan for r in rs], "; "),
        lokasi=_join([r.row.lokasi for r in rs], ", "), units=sorted({r.unit for r in rs}))


def form_b(rows: list[Contribution]) -> list[FormB]:
    """FORM B per (Eselon I, program): kegiatan rows over output rows, Jumlah over kegiatan rows (R3)."""
    by_prog: dict[tuple[str, str], dict[str, list[Contribution]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_prog[(r.eselon1, r.row.program)][r.row.kegiatan].append(r)
    out = []
    for (es1, prog), kegs in sorted(by_prog.items()):
        krows = [_kegiatan(kode, rs) for kode, rs in sorted(kegs.items())]
        pagu = [k.total for k in krows]
        jml = {"phln": jumlah([k.phln for k in krows]), "rm": jumlah([k.rm for k in krows]), "total": jumlah(pagu)}
        jml.update({p: tertimbang([k.pct[p] for k in krows], pagu) for p in PCT})
        every = [r for rs in kegs.values() for r in rs]
        nama = next((r.row.program_nama for r in every if r.row.program_nama), "") or PROGRAM.get(prog, "")
        out.append(FormB(es1, prog, nama, krows, jml, sorted({d for r in every for d in r.dipa}),
                         sorted({r.unit for r in every})))
    return out


def output_rows(kiriman: list[Kiriman], units: dict[str, Unit]) -> list[Contribution]:
    """Output rows of the winning FORM A sheets, and an Eselon I's FORM B rows for programs no FORM A covers."""
    rows: list[Contribution] = []
    own: list[tuple[Kiriman, Bagian, Contribution]] = []
    for k in kiriman:
        u = unit_of(k, units) if k.ident else None
        for b in k.dipakai:
            for r in b.rows:
                item = Contribution((u.eselon1 or "(tanpa Eselon I)") if u else "", u.kode if u else "", b.dipa, r)
                if b.form == "form-a":
                    rows.append(item)
                else:
                    own.append((k, b, item))
    covered = {(r.eselon1, r.row.program) for r in rows}
    for k, b, item in own:
        if (item.eselon1, item.row.program) in covered:
            if b.dipakai:
                b.dipakai = False
                note = (f"lembar {b.sheet} (FORM B program {item.row.program}) tidak dihitung: program ini sudah "
                        "dihitung dari FORM A satker")
                k.alasan = "; ".join(x for x in (k.alasan, note) if x)
                k.status = SEBAGIAN if k.dipakai else TIDAK_DIPAKAI
            continue
        rows.append(item)
    return rows


def _ringkasan(forms: list[FormB]) -> tuple[list[Ringkas], list[Ringkas], Ringkas | None]:
    program = [Ringkas(fb.eselon1, fb.judul_program, copy(fb.jumlah["total"]),
                       {p: copy(fb.jumlah[p]) for p in PCT}) for fb in forms]

    def pooled(label: str, items: list[Ringkas]) -> Ringkas:
        pagu = [x.pagu for x in items]
        return Ringkas(label, "", jumlah(pagu), {p: tertimbang([x.pct[p] for x in items], pagu) for p in PCT})

    by_es: dict[str, list[Ringkas]] = defaultdict(list)
    for r in program:
        by_es[r.eselon1].append(r)
    eselon = [pooled(es, rs) for es, rs in sorted(by_es.items())]
    return eselon, program, pooled("Semua Eselon I", eselon) if eselon else None


def _status(kiriman: list[Kiriman], units: dict[str, Unit], listed: bool, tahun: int | None,
            triwulan: int | None, kalender: Kalender) -> list[StatusUnit]:
    files: dict[str, list[Kiriman]] = defaultdict(list)
    senders: dict[str, Unit] = {}
    for k in kiriman:
        if k.ident is None or k.form in FORMS_TAHUNAN or k.status in ("", *UNREAD, KOSONG, PERIODE_LAIN, ROLLUP_LAMA):
            continue
        u = unit_of(k, units)
        senders.setdefault(u.kode or k.rel, u)
        files[u.kode or k.rel].append(k)
    out = []
    for kode in sorted(set(units) | set(senders), key=lambda c: (c not in units, (units.get(c) or senders[c]).eselon1,
                                                                   c)):
        st = StatusUnit(units.get(kode) or senders[kode], terdaftar=kode in units)
        ks = files.get(kode, [])
        st.berkas = [k.rel for k in ks]
        current = [k for k in ks if (any(not b.digantikan for b in k.bagian) or not k.bagian) and k.status != REVISI]
        trusted = [k for k in current if not k.tolak]  # a refused identity or stamp does not speak for the unit
        current = trusted or current
        if not current:
            st.keterangan = "belum mengirim laporan triwulan" if st.terdaftar else ""
            out.append(st)
            continue
        st.diterima = True
        st.validasi = "ditolak" if any(k.status == DITOLAK for k in current) else "valid"
        known = [k for k in current if k.waktu_kirim is not None]
        last = max(known, key=lambda k: (k.waktu_kirim, k.rel)) if known else None
        st.waktu, st.sumber = (last.waktu_kirim, last.sumber_waktu) if last else (None, UNKNOWN)
        if tahun and triwulan:
            form = "form-b" if all(k.form == "form-b" for k in current) else "form-a"
            st.batas = kalender.deadline(form, tahun, triwulan)
            st.terlambat = _late(last, st.batas) if last else None
            if st.terlambat is False and len(known) < len(current):
                st.terlambat = None  # another current file has no trusted time
            if last and last.stamp:
                st.hari_ke = kalender.hari_ke(tahun, triwulan, last.stamp.date())
        notes = [] if st.terdaftar else ["tidak ada dalam daftar unit" if listed else "pengirim bukan satker"]
        if len(known) < len(current):
            notes.append("waktu kirim tidak diketahui (tanpa cap Siapkan Kiriman, belum tercatat di buku besar); "
                         "ketepatan waktu tidak dinilai" if not known else
                         "sebagian berkas tanpa waktu kirim yang dapat dipercaya")
        elif last and last.sumber_waktu == LEDGER:
            notes.append(f"waktu kirim = {LEDGER} (tanpa {STAMP})")
        st.keterangan = "; ".join(notes)
        out.append(st)
    return out


def _late(k: Kiriman, batas: dt.date) -> bool | None:
    """Late by a trusted time only: the stamp's own date; for a time the ledger saw, on time when it was
    there by the deadline, late when a run after the deadline did not have it yet, else unknown."""
    if k.stamp is not None:
        return k.stamp.date() > batas
    if k.seen is not None:
        if k.seen.date() <= batas:
            return False
        return True if k.seen_after is not None and k.seen_after.date() > batas else None
    return None


def _capaian(kiriman: list[Kiriman], units: dict[str, Unit]) -> list[CapaianUnit]:
    out = []
    for k in kiriman:
        for b in k.dipakai:
            if not b.indikator:
                continue
            groups: dict[str, list[Indikator]] = defaultdict(list)
            for ind in b.indikator:
                groups[ind.sasaran].append(ind)
            sas = []
            for s, inds in groups.items():
                caps = [i.capaian for i in inds if i.capaian.value is not None]
                mean = udfs.capaian_rata([c.value for c in caps]) if caps else None
                sas.append((s, inds, Nilai(None if isinstance(mean, udfs.NilaiGalat) else mean, RATA,
                                           tuple(("nilai", c) for c in caps))))
            nama = "Perjanjian Kinerja" if b.form == "perjanjian-kinerja" else "Pengukuran Rencana Aksi"
            out.append(CapaianUnit(unit_of(k, units), nama, sas))
    return sorted(out, key=lambda c: (c.unit.eselon1, c.unit.kode, c.sumber))


def _survei(kiriman: list[Kiriman], units: dict[str, Unit]) -> tuple[list[SurveiUnit], list[SurveiUnit]]:
    rows, answers = [], defaultdict(list)
    for k in kiriman:
        for b in k.dipakai:
            if b.survei is None:
                continue
            s = b.survei
            conv = udfs.ikm_konversi(s.indeks.value) if s.indeks.value is not None else None
            conv = None if isinstance(conv, udfs.NilaiGalat) else conv
            rows.append(SurveiUnit(unit_of(k, units), s.metode, len(s.jawaban), s.indeks,
                                   Nilai(conv, KONVERSI, (("nilai", s.indeks),)), _mutu(s.indeks.value, s.metode)))
            # whole answers as floats, as udfs.ikm takes them (udfs._args.as_number) without a check per cell
            answers[s.metode].extend([float(v) if type(v) is int else v for v in row] for row in s.jawaban)
    rows.sort(key=lambda r: (r.unit.eselon1, r.unit.kode))
    totals = []
    for metode, ans in sorted(answers.items()):
        idx = udfs.ikm(ans, metode)
        idx = None if isinstance(idx, udfs.NilaiGalat) else idx
        conv = udfs.ikm_konversi(idx) if idx is not None else None
        n = Nilai(idx, f"{INDEKS}, seluruh kuesioner", tuple(("nilai", r.indeks) for r in rows if r.metode == metode))
        totals.append(SurveiUnit(Unit("", "Semua unit", "", ""), metode, len(ans), n,
                                 Nilai(None if isinstance(conv, udfs.NilaiGalat) else conv, KONVERSI, (("nilai", n),)),
                                 _mutu(idx, metode)))
    return rows, totals


def _mutu(idx: float | None, metode: str) -> str:
    m = udfs.ikm_mutu(idx, metode) if idx is not None else ""
    return "" if isinstance(m, udfs.NilaiGalat) else str(m)


def _p3dn_pct(realisasi: Nilai, pagu: Nilai) -> Nilai:
    return rasio([realisasi], [pagu], "P3DN: Σ realisasi PDN + TKDN / Σ pagu akun terpilih × 100 (R12)", udfs.p3dn)


def _p3dn(kiriman: list[Kiriman], units: dict[str, Unit]) -> tuple[list[P3dnUnit], P3dnUnit | None]:
    rows = []
    for k in kiriman:
        for b in k.dipakai:
            if b.p3dn is None:
                continue
            p = b.p3dn
            pagu, real = jumlah(p.pagu), jumlah(p.realisasi)
            rows.append(P3dnUnit(unit_of(k, units), pagu, jumlah(p.pdn), jumlah(p.tkdn), real, _p3dn_pct(real, pagu)))
    rows.sort(key=lambda r: (r.unit.eselon1, r.unit.kode))
    if not rows:
        return rows, None
    sums = [jumlah([getattr(r, a) for r in rows]) for a in ("pagu", "pdn", "tkdn", "realisasi")]
    return rows, P3dnUnit(Unit("", "Semua unit", "", ""), *sums, _p3dn_pct(sums[3], sums[0]))


def build(kiriman: list[Kiriman], units: dict[str, Unit], listed: bool, tahun: int | None, triwulan: int | None,
          kalender: Kalender) -> Rollup:
    """Everything the rollup workbook shows, from the resolved submissions."""
    forms = form_b(output_rows(kiriman, units))
    eselon, program, semua = _ringkasan(forms)
    survei, survei_total = _survei(kiriman, units)
    p3, p3_total = _p3dn(kiriman, units)
    return Rollup(tahun, triwulan, forms, eselon, program, semua,
                  _status(kiriman, units, listed, tahun, triwulan, kalender), _capaian(kiriman, units),
                  survei, survei_total, p3, p3_total)


__all__ = ["FORM_B_PCT", "PCT", "TIDAK_DIPAKAI", "FormB", "Rollup", "build", "form_b", "output_rows", "unit_of"]
