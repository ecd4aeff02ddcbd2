"""Roll valid submissions up: FORM B per program, Ringkasan, Capaian, IKM, P3DN — with a trail for every number.

Every number is a :class:`Nilai`: its value, the rule that produced it and the
source cells (file, sheet, cell, value) it was computed from. The writer puts
the value in the rollup and the trail in the Jejak Data sheet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import udfs
from macros.konsolidasi.collect import Kiriman
from workbooks.compute import Sheet, derive
from workbooks.forms._cols import RE_KEGIATAN_A, RE_PROGRAM_A
from workbooks.masters import PROGRAM
from workbooks.reader import SheetData
from workbooks.units import Unit


@dataclass(frozen=True)
class Sumber:
    file: str
    sheet: str
    cell: str
    value: Any


@dataclass
class Nilai:
    value: Any
    rumus: str = ""
    sources: list[Sumber] = field(default_factory=list)


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and v == v else 0.0


def pooled(values: list[Nilai], weights: list[Nilai], rumus: str = "rata-rata tertimbang pagu") -> Nilai:
    v = udfs.rata_tertimbang([x.value for x in values], [w.value for w in weights])
    return Nilai(None if isinstance(v, udfs.NilaiGalat) else v, rumus,
                 [s for x in (*values, *weights) for s in x.sources])


def total(values: list[Nilai], rumus: str = "jumlah") -> Nilai:
    return Nilai(sum(_num(x.value) for x in values), rumus, [s for x in values for s in x.sources])


@dataclass
class OutputRow:
    eselon1: str
    program: str
    kegiatan: str
    kegiatan_nama: str
    satker: str
    kode: str
    nama: str
    satuan: str
    lokasi: str
    pagu: Nilai
    phln: Nilai
    rupiah: Nilai
    keu_s: Nilai
    keu_r: Nilai
    fis_s: Nilai
    fis_r: Nilai


def _cell_nilai(k: Kiriman, sd: SheetData, view: Sheet, table: str, i: int, key: str) -> Nilai:
    td = sd.tables[table]
    v = view.value(table, i, key)
    v = v if isinstance(v, (int, float)) else 0.0  # '-' and blanks count as 0 in FORM A (V02)
    return Nilai(v, "salin", [Sumber(k.path.name, sd.name, td.cell_lists[key][i], v)])


def output_rows(k: Kiriman, units: dict[str, Unit]) -> list[OutputRow]:
    """The FORM A output rows of one valid submission, with effective (computed) values."""
    assert k.data is not None
    meta = k.data.meta
    unit = units.get(meta.satker) if meta else None
    eselon1 = (meta.eselon1 if meta and meta.eselon1 else "") or (unit.eselon1 if unit else "") or "(tanpa eselon I)"
    out = []
    for sd in k.data.sheets_of("form-a"):
        view, _ = derive(sd)
        prog = re.match(RE_PROGRAM_A, str(sd.fields["program"].value or "")) if "program" in sd.fields else None
        keg = re.match(RE_KEGIATAN_A, str(sd.fields["kegiatan"].value or "")) if "kegiatan" in sd.fields else None
        kode_keg = sd.kegiatan or (keg.group(1) if keg else "")
        ang, rea = sd.tables["anggaran"], sd.tables["realisasi"]
        rea_at = {r - rea.number_row - 1: j for j, r in enumerate(rea.rows)}
        for i, row in enumerate(ang.rows):
            j = rea_at.get(row - ang.number_row - 1)
            if j is None:
                continue
            pick = lambda t, n, key: _cell_nilai(k, sd, view, t, n, key)  # noqa: E731
            out.append(OutputRow(
                eselon1=eselon1, program=prog.group(3) if prog else "??", kegiatan=kode_keg,
                kegiatan_nama=keg.group(2).strip() if keg else "", satker=meta.satker if meta else "",
                kode=str(view.value("anggaran", i, "c1_output_kode") or ""),
                nama=str(view.value("anggaran", i, "c1_output_nama") or ""),
                satuan=str(view.value("anggaran", i, "c7_satuan") or ""),
                lokasi=str(view.value("realisasi", j, "c14_lokasi") or ""),
                pagu=pick("anggaran", i, "c5_total_rp000"), phln=pick("anggaran", i, "c3_phln_rp000"),
                rupiah=pick("anggaran", i, "c4_rupiah_rp000"),
                keu_s=pick("realisasi", j, "c10_sd_keu_S"), keu_r=pick("realisasi", j, "c11_sd_keu_R"),
                fis_s=pick("realisasi", j, "c12_sd_fis_S"), fis_r=pick("realisasi", j, "c13_sd_fis_R"),
            ))
    return out


def _join(items: list[str], sep: str) -> str:
    seen: list[str] = []
    for x in items:
        for part in (p.strip() for p in x.split(",")) if sep == ", " else (x.strip(),):
            if part and part not in seen:
                seen.append(part)
    return sep.join(seen)


@dataclass
class KegiatanB:
    kode: str
    nama: str
    phln: Nilai
    rm: Nilai
    total: Nilai
    pen_s: Nilai
    pen_r: Nilai
    narasi: str
    satuan: str
    out_s: Nilai
    out_r: Nilai
    lokasi: str
    satker: list[str]


@dataclass
class FormB:
    eselon1: str
    program: str
    rows: list[KegiatanB]
    jumlah: dict[str, Nilai]

    @property
    def program_nama(self) -> str:
        return f"{self.program}. {PROGRAM.get(self.program, '')}".strip()


def form_b(rows: list[OutputRow]) -> list[FormB]:
    """FORM B per (eselon I, program): one row per kegiatan over its satkers' output rows (R3)."""
    by_prog: dict[tuple[str, str], dict[str, list[OutputRow]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_prog[(r.eselon1, r.program)][r.kegiatan].append(r)
    out = []
    for (es1, prog), kegs in sorted(by_prog.items()):
        krows = []
        for kode, rs in sorted(kegs.items()):
            pagu = [r.pagu for r in rs]
            krows.append(KegiatanB(
                kode=kode, nama=next((r.kegiatan_nama for r in rs if r.kegiatan_nama), ""),
                phln=total([r.phln for r in rs]), rm=total([r.rupiah for r in rs]), total=total(pagu),
                pen_s=pooled([r.keu_s for r in rs], pagu), pen_r=pooled([r.keu_r for r in rs], pagu),
                narasi=_join([r.nama for r in rs], "; "), satuan=_join([r.satuan for r in rs], "; "),
                out_s=pooled([r.fis_s for r in rs], pagu), out_r=pooled([r.fis_r for r in rs], pagu),
                lokasi=_join([r.lokasi for r in rs], ", "), satker=sorted({r.satker for r in rs}),
            ))
        pagu = [k.total for k in krows]
        jumlah = {"c3_phln_rp000": total([k.phln for k in krows]), "c4_rm_rp000": total([k.rm for k in krows]),
                  "c5_total_rp000": total(pagu)}
        for key, attr in (("c6_penyerapan_S_pct", "pen_s"), ("c7_penyerapan_R_pct", "pen_r"),
                          ("c10_output_S_pct", "out_s"), ("c11_output_R_pct", "out_r")):
            jumlah[key] = pooled([getattr(k, attr) for k in krows], pagu)
        out.append(FormB(es1, prog, krows, jumlah))
    return out


@dataclass
class Indikator:
    satker: str
    sasaran: str
    indikator: str
    satuan: str
    target: Nilai
    realisasi: Nilai
    capaian: Nilai
    predikat: str


def capaian_rows(k: Kiriman) -> list[Indikator]:
    """Indicators of the Pengukuran / Perjanjian Kinerja sheets, capaian recomputed (never the typed one)."""
    assert k.data is not None
    out = []
    spec = {"pengukuran-rencana-aksi": ("c2_sasaran_strategis", "c3_indikator_kinerja", "c4_satuan", "c4_target",
                                        "c5_realisasi", "c11_polaritas"),
            "perjanjian-kinerja": ("c2_sasaran", "c3_indikator", "c4_satuan", "c6_target", "c7_realisasi",
                                   "c5_polaritas")}
    for sd in k.data.sheets:
        keys = spec.get(sd.layout.form)
        if not keys:
            continue
        sas, ind, sat, tgt, real, pol = keys
        td = sd.tables["indikator"]
        for i in range(len(td.rows)):
            t, r = td.values.at[i, tgt], td.values.at[i, real]
            src_t = Sumber(k.path.name, sd.name, td.cell_lists[tgt][i], t)
            src_r = Sumber(k.path.name, sd.name, td.cell_lists[real][i], r)
            c = udfs.capaian(t, r, td.values.at[i, pol] or "maksimal") if r == r and r is not None else None
            c = None if isinstance(c, udfs.NilaiGalat) else c
            out.append(Indikator(
                satker=k.satker, sasaran=str(td.values.at[i, sas] or ""), indikator=str(td.values.at[i, ind] or ""),
                satuan=str(td.values.at[i, sat] or ""), target=Nilai(t, "salin", [src_t]),
                realisasi=Nilai(None if r != r else r, "salin", [src_r]),
                capaian=Nilai(c, "capaian (R7)", [src_t, src_r]),
                predikat=udfs.predikat(c, "pemda") if c is not None else "",
            ))
    return out


def p3dn_rows(k: Kiriman) -> list[tuple[str, Nilai, Nilai, Nilai]]:
    """Per submission with a P3DN sheet: (satker, realisasi P3DN akun terpilih, pagu akun terpilih, %)."""
    assert k.data is not None
    out = []
    for sd in k.data.sheets_of("p3dn"):
        view, _ = derive(sd)
        td = sd.tables["akun"]
        real, pagu = [], []
        for i in range(len(td.rows)):
            if str(td.values.at[i, "c2_akun"]) not in udfs.AKUN_TERPILIH:
                continue
            real.append(_cell_nilai(k, sd, view, "akun", i, "c8_realisasi_p3dn_rp"))
            pagu.append(_cell_nilai(k, sd, view, "akun", i, "c4_pagu_rp"))
        if not pagu:
            continue
        r, p = total(real), total(pagu)
        pct = udfs.rasio_gabungan([x.value for x in real], [x.value for x in pagu])
        out.append((k.satker, r, p, Nilai(None if isinstance(pct, udfs.NilaiGalat) else pct,
                                           "Σ realisasi P3DN / Σ pagu akun terpilih", r.sources + p.sources)))
    return out


def skm_rows(k: Kiriman) -> list[tuple[str, str, list[list[Any]], Nilai]]:
    """Per submission with survey answers: (satker, metode, answers, indeks)."""
    assert k.data is not None
    out = []
    for sd in k.data.sheets_of("skm"):
        td = sd.tables["jawaban"]
        if not td.rows:
            continue
        metode = str(sd.fields["metode"].value or "permenpanrb-14-2017") if "metode" in sd.fields else "permenpanrb-14-2017"
        keys = [c.key for c in td.table.columns[1:]]
        answers = [[td.values.at[i, key] for key in keys] for i in range(len(td.rows))]
        idx = udfs.ikm(answers, metode)
        first, last = td.cell_lists[keys[0]][0], td.cell_lists[keys[-1]][-1]
        src = [Sumber(k.path.name, sd.name, f"{first}:{last}", f"{len(answers)} kuesioner")]
        out.append((k.satker, metode, answers, Nilai(None if isinstance(idx, udfs.NilaiGalat) else idx,
                                                     "Indeks Kepuasan Masyarakat (R13)", src)))
    return out
