"""What the rollup needs from one submission (runs in the worker processes).

From a read workbook: who sent it and for which period (the metadata sheet,
else the form's own fields), and one :class:`Bagian` per form sheet with its
records: FORM A output rows, an Eselon I's FORM B kegiatan rows, Pengukuran /
Perjanjian Kinerja indicators, P3DN and survey answers, each read through the form's rollup map
(``Layout.rollup``, declared in its module under ``workbooks/forms``). Every number is a
:class:`~macros.konsolidasi.trail.Nilai` leaf that remembers its cell; derived
cells without a cached value (files saved by openpyxl) get their computed
value from :func:`workbooks.compute.derive`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

import udfs
from macros.konsolidasi import eselon1
from macros.konsolidasi.trail import CAPAIAN, INDEKS, Nilai, Sumber, leaf
from workbooks.checks import Rollup
from workbooks.compute import Sheet, derive
from workbooks.forms import FORMS_TAHUNAN
from workbooks.forms._cols import RE_DIPA, RE_KEGIATAN_A, RE_PROGRAM_A, RE_PROGRAM_B, RE_UNIT_A
from workbooks.reader import SheetData, WorkbookData

_ROMAWI = {"I": 1, "II": 2, "III": 3, "IV": 4}
RE_JUDUL = r"TRIWULAN\s+(IV|III|II|I)\s+(?:TAHUN\s+ANGGARAN|TA\.?)\s+(\d{4})"


@dataclass
class Identitas:
    """Who sent a submission and for which period."""

    unit: str = ""  # satker code; the Eselon I abbreviation for its own forms (FORM B, its PK)
    nama: str = ""
    eselon1: str = ""
    tahun: int | None = None
    triwulan: int | None = None
    waktu_kirim: str = ""  # ISO, stamped by "Siapkan Kiriman"
    form: str = ""
    dari_meta: bool = False


@dataclass
class OutputRow:
    """One FORM A output row (or one kegiatan row of an Eselon I's own FORM B)."""

    program: str
    program_nama: str
    kegiatan: str
    kegiatan_nama: str
    nama: str  # output name (FORM B: its narasi)
    satuan: str
    lokasi: str
    phln: Nilai
    rupiah: Nilai
    pagu: Nilai
    keu_s: Nilai
    keu_r: Nilai
    fis_s: Nilai
    fis_r: Nilai


@dataclass
class Indikator:
    sasaran: str
    indikator: str
    satuan: str
    polaritas: str
    target: Nilai
    realisasi: Nilai
    capaian: Nilai
    predikat: str


@dataclass
class P3dn:
    pagu: list[Nilai]  # akun terpilih only
    pdn: list[Nilai]
    tkdn: list[Nilai]
    realisasi: list[Nilai]  # PDN + TKDN per akun


@dataclass
class Survei:
    metode: str
    jawaban: list[list[Any]]
    indeks: Nilai


@dataclass
class Bagian:
    """One form sheet of a submission: the unit of duplicate resolution."""

    sheet: str
    form: str
    kegiatan: str = ""
    program: str = ""
    dipa: tuple[str, ...] = ()
    rows: list[OutputRow] = field(default_factory=list)
    indikator: list[Indikator] = field(default_factory=list)
    p3dn: P3dn | None = None
    survei: Survei | None = None
    dipakai: bool = False  # set by collect.resolve
    digantikan: str = ""  # the newer file that replaced this sheet


def _clean(v: Any) -> Any:
    if isinstance(v, float):
        if v != v:
            return None
        return int(v) if v.is_integer() else v
    return v


def _text(v: Any) -> str:
    v = _clean(v)
    return "" if v is None else str(v).strip()


class _Cells:
    """Leaves of one sheet: effective values (typed, else computed) with their addresses."""

    def __init__(self, file: str, sd: SheetData):
        self.file, self.sd = file, sd
        self.view: Sheet = derive(sd)[0]

    def leaf(self, table: str, i: int, key: str) -> Nilai:
        v = _clean(self.view.value(table, i, key))
        if isinstance(v, str) and not v.strip():
            v = None
        return leaf(self.file, self.sd.name, self.sd.tables[table].cell_lists[key][i], v)

    def text(self, table: str, i: int, key: str) -> str:
        return _text(self.view.value(table, i, key))

    def field(self, key: str) -> str:
        cv = self.sd.fields.get(key)
        return _text(cv.value) if cv else ""


def _dipa_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r",\s*(?=(?:SP\s*)?DIPA|\d{3}\.)", text or "") if p.strip())


def _numbers(record: type) -> frozenset[str]:
    """The fields of a record dataclass that hold numbers with their trail (:class:`Nilai`)."""
    return frozenset(f.name for f in fields(record) if str(f.type).startswith(("Nilai", "list[Nilai]")))


def _records(c: _Cells, r: Rollup, numbers: frozenset[str]) -> list[dict[str, Any]]:
    """One dict per row of the rollup's table: each mapped field as a leaf (numbers) or text. A column of
    another table is read from its row at the same position (as the formulas pair them), else left empty."""
    main = c.sd.tables[r.rows.key]
    keys = [k for k in r.fields.values() if not isinstance(k, tuple)]
    at = {t: {row - td.number_row: j for j, row in enumerate(td.rows)}
          for t in {k.table for k in keys if k.table != r.rows.key} for td in (c.sd.tables[t],)}
    out = []
    for i, row in enumerate(main.rows):
        if r.only is not None and c.text(r.rows.key, i, r.only[0]) not in r.only[1]:
            continue
        rec: dict[str, Any] = {}
        for name, key in r.fields.items():
            if isinstance(key, tuple):
                continue
            j = i if key.table == r.rows.key else at[key.table].get(row - main.number_row)
            if name in numbers:
                rec[name] = c.leaf(key.table, j, key) if j is not None else Nilai(None)
            else:
                rec[name] = c.text(key.table, j, key) if j is not None else ""
        out.append(rec)
    return out


_OUTPUT = _numbers(OutputRow)


def _form_a(c: _Cells) -> Bagian:
    sd, r = c.sd, c.sd.layout.rollup
    prog = re.match(RE_PROGRAM_A, c.field(r.from_fields["program"]))
    keg = re.match(RE_KEGIATAN_A, c.field(r.from_fields["kegiatan"]))
    part = Bagian(sd.name, sd.layout.form, kegiatan=sd.kegiatan or (keg.group(1) if keg else ""),
                  program=prog.group(3) if prog else "", dipa=_dipa_list(c.field(r.from_fields["dipa"])))
    for rec in _records(c, r, _OUTPUT):
        part.rows.append(OutputRow(program=part.program, program_nama=prog.group(4).strip() if prog else "",
                                   kegiatan=part.kegiatan, kegiatan_nama=keg.group(2).strip() if keg else "", **rec))
    return part


def _form_b(c: _Cells) -> Bagian:
    r = c.sd.layout.rollup
    prog = re.match(RE_PROGRAM_B, c.field(r.from_fields["program"]))
    part = Bagian(c.sd.name, c.sd.layout.form, program=prog.group(1) if prog else "",
                  dipa=_dipa_list(c.field(r.from_fields["dipa"])))
    for rec in _records(c, r, _OUTPUT):
        part.rows.append(OutputRow(program=part.program, program_nama=prog.group(2).strip() if prog else "", **rec))
    return part


def _capaian(t: Any, r: Any, polaritas: str) -> float | None:
    try:
        v = udfs.capaian(t, r, polaritas or "maksimal")
    except ValueError:  # unknown polaritas: Validasi reports it
        return None
    return None if isinstance(v, udfs.NilaiGalat) or isinstance(v, list) else v


def _indikator(c: _Cells) -> Bagian:
    part = Bagian(c.sd.name, c.sd.layout.form)
    for rec in _records(c, c.sd.layout.rollup, frozenset({"target", "realisasi"})):
        t, r, p = rec["target"], rec["realisasi"], rec["polaritas"]
        cap = _capaian(t.value, r.value, p) if r.value is not None else None
        part.indikator.append(Indikator(
            sasaran=rec["sasaran"], indikator=rec["indikator"], satuan=rec["satuan"], polaritas=p or "maksimal",
            target=t, realisasi=r, capaian=Nilai(cap, CAPAIAN, (("target", t), ("realisasi", r))),
            predikat=udfs.predikat(cap, "pemda") if cap is not None else ""))
    return part


def _p3dn(c: _Cells) -> Bagian:
    part = Bagian(c.sd.name, c.sd.layout.form)
    p = P3dn([], [], [], [])
    for rec in _records(c, c.sd.layout.rollup, _numbers(P3dn)):
        if all(rec[k].value is None for k in ("pagu", "pdn", "tkdn")):  # an empty prefilled akun row
            continue  # (its P3DN cell computes 0)
        for k in ("pagu", "pdn", "tkdn", "realisasi"):
            getattr(p, k).append(rec[k])
    if p.pagu:
        part.p3dn = p
    return part


def _survei(c: _Cells) -> Bagian:
    r = c.sd.layout.rollup
    part = Bagian(c.sd.name, c.sd.layout.form)
    td = c.sd.tables[r.rows.key]
    if not td.rows:
        return part
    metode = c.field(r.from_fields["metode"]) or "permenpanrb-14-2017"
    n = len(udfs.METODE.get(metode, udfs.METODE["permenpanrb-14-2017"]))
    keys = r.fields["jawaban"][:n]
    jawaban = [[_clean(c.view.value(r.rows.key, i, k)) for k in keys] for i in range(len(td.rows))]
    idx = udfs.ikm(jawaban, metode)
    rng = f"{td.cell_lists[keys[0]][0]}:{td.cell_lists[keys[-1]][-1]}"
    origin = Sumber(c.file, c.sd.name, rng, f"{len(jawaban)} kuesioner")
    part.survei = Survei(metode, jawaban, Nilai(None if isinstance(idx, udfs.NilaiGalat) else idx, INDEKS,
                                                origin=origin))
    return part


_PARTS = {"form-a": _form_a, "form-b": _form_b, "indikator": _indikator, "p3dn": _p3dn, "survei": _survei}


def bagian(data: WorkbookData, file: str) -> list[Bagian]:
    """One :class:`Bagian` per form sheet (forms the rollup does not use still count for duplicates)."""
    out = []
    for sd in data.sheets:
        r = sd.layout.rollup
        fn = _PARTS.get(sd.layout.form) or (_PARTS.get(r.record) if r is not None else None)
        out.append(fn(_Cells(file, sd)) if fn else Bagian(sd.name, sd.layout.form))
    return out


def identitas(data: WorkbookData, judul: str = "") -> Identitas:
    """From the metadata sheet; what it leaves blank (or a form without one) from the form's own fields:
    I.1 "(satker) NAMA", the DIPA number (Eselon I code, satker, year), FORM B's Unit Organisasi, the title."""
    m = data.meta
    ident = Identitas(m.satker, m.satker_nama, m.eselon1, m.tahun, m.triwulan, m.waktu_kirim, m.form, True) if m \
        else Identitas(form=data.form)
    for sd in data.sheets:
        fields = {k: _text(v.value) for k, v in sd.fields.items()}
        if (u := re.match(RE_UNIT_A, fields.get("unit_organisasi", ""))) and not ident.unit:
            ident.unit, ident.nama = u.group(1), ident.nama or u.group(2).strip()
        elif not ident.nama and fields.get("unit_organisasi"):
            ident.nama = fields["unit_organisasi"]
        for dipa in _dipa_list(fields.get("nomor_dipa", "")):
            if d := re.match(RE_DIPA, dipa):
                ident.eselon1 = ident.eselon1 or eselon1.by_code(d.group(2))
                ident.tahun = ident.tahun or int(d.group(5))
                if sd.layout.form == "form-a":
                    ident.unit = ident.unit or d.group(4)
    ident.eselon1 = ident.eselon1 or eselon1.by_name(ident.nama)
    if ident.form in ("form-b", *FORMS_TAHUNAN) and not ident.unit:  # an Eselon I's own forms
        ident.unit = ident.eselon1
    if (j := re.search(RE_JUDUL, judul.upper())) and not ident.triwulan:
        ident.triwulan, ident.tahun = _ROMAWI[j.group(1)], ident.tahun or int(j.group(2))
    return ident


def judul(data: WorkbookData) -> str:
    """The title block of the first form sheet (a form without metadata names its quarter there)."""
    if not data.sheets:
        return ""
    return " ".join(v for v in data.sheets[0].heading if re.search(RE_JUDUL, v.upper()))


def identitas_of(data: WorkbookData) -> Identitas:
    """A workbook's identity as konsolidasi reads it: the metadata, else the form's fields and title block."""
    return identitas(data, "" if data.meta else judul(data))
