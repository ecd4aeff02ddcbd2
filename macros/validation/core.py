"""Validasi: every problem of a submission, each on its cell, in Bahasa Indonesia.

Phase 1 reads every cell (the reader's parse results): text where a number
belongs, Excel errors, numbers typed as text. Phase 2 runs pandera schemas
derived from the layouts, lazily, so one run reports every type, range,
format, required and uniqueness problem. Phase 3 checks the logic: every
derived cell that holds a typed value against its rule (computed by
:mod:`workbooks.compute` with the same functions as the formulas), then the
form-level, cross-form and cross-quarter rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from openpyxl.utils import get_column_letter

import udfs
from macros.plan import Counted, Finding, Plan, Severity, marks_for
from macros.validation.rules import ATURAN, angka
from workbooks.compute import Sheet, derive
from workbooks.compute import present as _present
from workbooks.forms._cols import RE_DIPA
from workbooks.model import Column, Jenis, Layout, Peran, Table
from workbooks.meta import ROLLUP_FORM
from workbooks.reader import BacaGagal, SheetData, TableData, WorkbookData, read_workbook, shown
from workbooks.verify import expected_formulas, normalise

TOL_PCT = 0.01
RULE_OF_CALC = {"kumulatif": "V10", "kontribusi": "V08", "tertimbang": "V09", "sum": "V07", "jumlah": "V07",
                "capaian": "V11", "salin": "V05b", "p3dn": "V24", "nrr": "V25", "ikm": "V25",
                "ikm_konversi": "V25", "ikm_mutu": "V25", "ikm_sampel": "V25"}


@dataclass
class Hasil(Counted):
    """The outcome of validating one workbook."""

    file: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.galat == 0

    def plan(self) -> Plan:
        return Plan(findings=list(self.findings), marks=marks_for(self.findings))


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.items: list[Finding] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, rule: str, address: str, column: str, found: Any, expected: Any, message: str,
            severity: Severity | None = None) -> None:
        sheet, _, cell = address.rpartition("!")
        key = (rule, sheet, cell)
        if key in self.seen:
            return
        self.seen.add(key)
        self.items.append(Finding(rule, severity or ATURAN[rule].severity, sheet, cell, column, found, expected,
                                  message, self.file))


# --- phase 1: cells ----------------------------------------------------------

def _phase_cells(sd: SheetData, out: _Collector) -> None:
    def check(parsed, address: str, label: str, raw: Any) -> None:
        if parsed is None:
            return
        if parsed.status == "bukan-angka":
            out.add("V01", address, label, raw, "angka",
                    f"{label}: berisi teks {angka(str(raw))} padahal harus angka. Ketik angkanya saja "
                    "(mis. 30,52) atau '-' bila tidak ada nilai.")
        elif parsed.status == "galat-excel":
            out.add("V01", address, label, raw, "angka",
                    f"{label}: berisi galat Excel {raw}. Periksa rumus atau isian yang menjadi dasarnya.")
        elif parsed.status == "tidak-wajar":
            out.add("V29", address, label, str(raw), "angka wajar",
                    f"{label}: {angka(raw if isinstance(raw, str) else str(raw))} bukan angka yang wajar untuk "
                    "kolom ini (tak hingga atau melampaui batas satuannya). Periksa isiannya.")
        elif parsed.status == "teks-angka":
            out.add("V03", address, label, raw, parsed.value,
                    f"{label}: angka {angka(str(raw))} disimpan sebagai teks; dibaca {angka(parsed.value)}. "
                    "Ketik ulang sebagai angka agar rumus ikut menghitungnya.")
        if parsed.ambigu:
            out.add("V03", address, label, raw, parsed.value,
                    f"{label}: pemisah pada {angka(str(raw))} meragukan (ribuan atau desimal?); dibaca "
                    f"{angka(parsed.value)}. Tulis dengan format Indonesia, mis. 1.279 atau 1,279 sesuai maksudnya.")

    for key, cv in sd.fields.items():
        check(cv.parsed, cv.address, sd.layout.field(key).label, cv.raw)
    for td in sd.tables.values():
        for (i, key), parsed in td.parsed.items():
            check(parsed, td.address(i, key), td.table.column(key).label, td.raw_value(i, key))
        for key, cv in (td.total or {}).items():
            check(cv.parsed, cv.address, f"{td.table.total.label} {td.table.column(key).label}", cv.raw)  # type: ignore[union-attr]


# --- phase 2: pandera schemas derived from the layout --------------------------

_AS_ZERO = (Jenis.PERSEN, Jenis.RP, Jenis.RP000)


_SCHEMAS: dict[int, pa.DataFrameSchema] = {}


def schema_for(table: Table) -> pa.DataFrameSchema:
    """The pandera schema of a table, derived from its layout columns (input columns only)."""
    if id(table) not in _SCHEMAS:  # layouts are module-level constants: build each schema once
        _SCHEMAS[id(table)] = _build_schema(table)
    return _SCHEMAS[id(table)]


def _build_schema(table: Table) -> pa.DataFrameSchema:
    cols: dict[str, pa.Column] = {}
    for c in table.columns:
        if c.peran is Peran.TURUNAN:
            continue
        checks = []
        if c.jenis.numeric and (c.lo is not None or c.hi is not None):
            lo = c.lo if c.lo is not None else -math.inf
            hi = c.hi if c.hi is not None else math.inf
            checks.append(pa.Check.in_range(lo, hi))
        if c.pattern:
            checks.append(pa.Check.str_matches(c.pattern))
        cols[c.key] = pa.Column(float if c.jenis.numeric else None, checks, nullable=not c.required,
                                required=False)
    unique = [k for k in table.row_key if k in cols] or None
    return pa.DataFrameSchema(cols, unique=unique, report_duplicates="all")


def _frame_for_schema(td: TableData) -> pd.DataFrame:
    """Typed values, with placeholders ('-') as 0 where the forms sum them (V02)."""
    df = td.values.copy()
    for c in td.table.columns:
        if c.jenis in _AS_ZERO:
            mask = [td.parsed.get((i, c.key)) is not None and td.parsed[(i, c.key)].status == "placeholder"
                    for i in range(len(df))]
            df.loc[mask, c.key] = 0.0
        if c.jenis.numeric:
            bad = [td.parsed.get((i, c.key)) is not None and not td.parsed[(i, c.key)].ok for i in range(len(df))]
            df.loc[bad, c.key] = math.nan  # already reported in phase 1; do not report as missing
            if c.required:
                df.loc[bad, c.key] = 0.0
    return df


def _range_text(c: Column) -> str:
    if c.lo is not None and c.hi is not None:
        return f"{angka(c.lo)} sampai {angka(c.hi)}"
    return f"paling kecil {angka(c.lo)}" if c.lo is not None else f"paling besar {angka(c.hi)}"


def _phase_schema(sd: SheetData, out: _Collector) -> None:
    for td in sd.tables.values():
        if not len(td.rows):
            continue
        try:
            schema_for(td.table).validate(_frame_for_schema(td), lazy=True)
        except pa.errors.SchemaErrors as err:
            for case in err.failure_cases.itertuples(index=False):
                col, check, idx, value = case.column, str(case.check), case.index, case.failure_case
                if idx is None or (isinstance(idx, float) and math.isnan(idx)) or col not in td.values.columns:
                    continue
                i = int(idx)
                c = td.table.column(col)
                address = td.address(i, col)
                if check.startswith("in_range"):
                    what = "realisasi di atas 100 %" if c.jenis is Jenis.PERSEN and (value or 0) > 100 else "di luar rentang"
                    out.add("V04", address, c.label, value, _range_text(c),
                            f"{c.label}: {angka(value)} {what}; yang sah {_range_text(c)}. Periksa angkanya.")
                elif check.startswith("str_matches"):
                    out.add("V05", address, c.label, value, c.help or c.pattern,
                            f"{c.label}: kode {angka(value)} tidak sesuai format ({c.help or c.pattern}).")
                elif check == "not_nullable":
                    out.add("V06", address, c.label, None, "terisi",
                            f"{c.label}: wajib diisi pada baris ini. Isi nilainya, atau '-' bila memang tidak ada.")
                elif "uniqueness" in check:
                    out.add("V22", address, c.label, value, "unik",
                            f"{c.label}: {angka(value)} muncul lebih dari sekali. Gabungkan barisnya atau perbaiki kodenya.")


def _phase_fields(sd: SheetData, out: _Collector) -> None:
    for f in sd.layout.fields:
        cv = sd.fields.get(f.key)
        if cv is None:
            continue
        if f.required and f.peran is not Peran.TURUNAN and not _present(cv.value):
            out.add("V06", cv.address, f.label, None, "terisi", f"{f.label}: wajib diisi.")
        elif f.pattern and isinstance(cv.value, str) and not re.match(f.pattern, cv.value):
            out.add("V05", cv.address, f.label, cv.value, f.help or f.pattern,
                    f"{f.label}: {angka(cv.value)} tidak sesuai format ({f.help or f.pattern}).")
        elif f.jenis.numeric and cv.value is not None and ((f.lo is not None and cv.value < f.lo) or
                                                           (f.hi is not None and cv.value > f.hi)):
            out.add("V04", cv.address, f.label, cv.value, "", f"{f.label}: {angka(cv.value)} di luar rentang.")


# --- completeness (V00) ------------------------------------------------------

def _first_empty(sd: SheetData) -> tuple[str, str] | None:
    """(address, label) of the first empty required cell of a form not filled in, else None.

    Not filled in: an identity field (``Layout.identitas``) is empty, or a required table
    (``Table.wajib``) has no row with a value in any of its ``filled_by`` columns.
    """
    for key in sd.layout.identitas:
        cv = sd.fields.get(key)
        if cv is not None and not _present(cv.value):
            return cv.address, sd.layout.field(key).label
    for td in sd.tables.values():
        t = td.table
        if not t.wajib or any(_present(v) for k in t.filled_by for v in td.values[k]):
            continue
        key = t.filled_by[0]
        col = td.col_index[key]
        return f"{td.sheet}!{get_column_letter(col)}{td.number_row + 1}", t.column(key).label
    return None


def _untouched(sd: SheetData) -> bool:
    """No table of the sheet has a filled row (prefilled rows do not count)."""
    return not any(_present(v) for td in sd.tables.values() for k in td.table.filled_by for v in td.values[k])


def _phase_completeness(sd: SheetData, in_paket: bool, out: _Collector) -> None:
    if in_paket and sd.layout.opsional_dalam_paket and _untouched(sd):
        return  # e.g. SKM outside survey time
    hit = _first_empty(sd)
    if hit is not None:
        address, label = hit
        out.add("V00", address, label, None, "terisi",
                f"Form belum diisi: {label} kosong (lembar '{sd.name}'). Isi identitas laporan dan sedikitnya "
                "satu baris tabel sebelum validasi dan pengiriman.")


# --- phase 3: derived cells -------------------------------------------------

def _matches(jenis: Jenis, typed: Any, computed: Any) -> tuple[bool, bool]:
    """(matches, matches only when truncated)."""
    if not jenis.numeric:
        return str(typed).strip() == ("" if computed is None else str(computed).strip()), False
    t = typed if isinstance(typed, (int, float)) else None
    if t is None or computed is None or not isinstance(computed, (int, float)):
        return (t is None and computed is None) or (t == 0 and computed is None), False
    if jenis in (Jenis.RP, Jenis.RP000, Jenis.CACAH):
        return abs(t - computed) < 0.5, False
    if abs(t - computed) <= TOL_PCT + 1e-9:
        return True, False
    decimals = 0 if float(t).is_integer() else min(len(repr(float(t)).split(".")[1]), 4)
    if decimals < 2 and udfs.bulat(computed, decimals) == t:  # printed at a coarser precision, rounded half-up
        return True, False
    trunc = math.floor(computed * 10 ** decimals) / 10 ** decimals
    return False, abs(trunc - t) < 1e-9


def _derived_cell(sd: SheetData, view: Sheet, d: Any) -> tuple[Jenis, str, Any, Any]:
    """(type, label, rule, value the cell holds) of a derived cell."""
    if d.table is None:
        f = sd.layout.field(d.key)
        cv = sd.fields.get(d.key)
        return f.jenis, f.label, f.rule, cv.value if cv else None
    td = sd.tables[d.table]
    c = td.table.column(d.key)
    if d.row is None:
        cv = (td.total or {}).get(d.key)
        return (c.jenis, f"{td.table.total.label} {c.label}", td.table.total.rules[d.key],  # type: ignore[union-attr]
                cv.value if cv else None)
    return c.jenis, c.label, c.rule, view.typed(d.table, d.row, d.key)


def _phase_derived(sd: SheetData, view: Sheet, derived: list, out: _Collector) -> None:
    for d in derived:
        if not d.address:
            continue
        jenis, label, rule, typed = _derived_cell(sd, view, d)
        if not _present(typed) or sd.is_formula(d.address):
            continue  # a formula computes it, or nothing was typed
        ok, truncated = _matches(jenis, typed, d.value)
        if ok:
            continue
        rid = RULE_OF_CALC.get(rule.fn, "V07") if rule else "V07"
        if rid == "V11" and truncated:
            rid = "V11b"
        expected = d.value if d.value is not None else "tidak dapat dihitung"
        why = rule.doc if rule and rule.doc else ATURAN[rid].judul
        out.add(rid, d.address, label, typed, expected,
                f"{label}: tertulis {angka(typed)}, seharusnya {angka(expected)} ({why}). "
                "Sel ini dihitung otomatis: gunakan Pulihkan Rumus (pita Kinerja, atau `kinerja pulihkan`) agar "
                "rumusnya kembali, atau perbaiki data dasarnya.")


def _phase_total_rows(sd: SheetData, out: _Collector) -> None:
    for td in sd.tables.values():
        t = td.table
        if not t.total or not td.rows:
            continue
        if td.total is None:
            out.add("V06b", f"{td.sheet}!{td.cells.iat[len(td.rows) - 1, 0]}", t.total.label, None, "ada",
                    f"Baris {t.total.label} tabel tidak ditemukan. Jangan hapus baris {t.total.label}.")
            continue
        cells = list(td.total.values())
        if all(not _present(cv.value) and sd.is_formula(cv.address) is False for cv in cells):
            first = cells[0]
            out.add("V06b", first.address, t.total.label, None, "terisi",
                    f"Baris {t.total.label} kosong. Kembalikan rumusnya (buat ulang dari templat kinerja) agar "
                    f"{t.total.label} dihitung.")


# --- phase 3: derived cells verified, not trusted ------------------------------

_RESTORE = "Rumus sel terhitung tidak boleh diganti: gunakan Pulihkan Rumus (pita Kinerja atau `kinerja pulihkan`)."


def _phase_formulas(sd: SheetData, view: Sheet, derived: list, out: _Collector) -> None:
    """A derived cell holding a formula must hold the layout's formula, and its cached value what it computes to."""
    if sd.formula_text is None:
        return  # values only (e.g. grids sent by a front end): nothing to compare
    expected = expected_formulas(sd)
    for d in derived:
        if not d.address:
            continue
        cell = d.address.rsplit("!", 1)[-1]
        text = sd.formula_text.get(cell)
        if text is None:
            continue  # typed or empty: the typed-value checks apply
        jenis, label, rule, cached = _derived_cell(sd, view, d)
        want = expected.get(cell)
        if want and normalise(text) not in want:
            out.add("V28", d.address, label, "=" + text[:120], "rumus templat",
                    f"{label}: rumus sel ini diganti ({angka('=' + text[:60])}), bukan rumus form. {_RESTORE}")
            continue
        if not _present(cached) or isinstance(cached, str) and cached.strip().startswith("#"):
            continue  # no cached result (saved without recalculation) or an error value (reported in phase 1)
        ok, _ = _matches(jenis, cached, d.value)
        if not ok:
            exp = d.value if d.value is not None else "tidak dapat dihitung"
            out.add("V28", d.address, label, cached, exp,
                    f"{label}: nilai tersimpan {angka(cached)} tidak sama dengan hasil rumusnya {angka(exp)}; "
                    f"berkas disunting di luar Excel atau dipalsukan. {_RESTORE}")


def _phase_below_total(sd: SheetData, out: _Collector) -> None:
    for td in sd.tables.values():
        for key, cell, raw in td.below_total:
            c = td.table.column(key)
            out.add("V31", f"{td.sheet}!{cell}", c.label, raw, "kosong",
                    f"{c.label}: {angka(raw)} diketik di bawah baris {td.table.total.label} "  # type: ignore[union-attr]
                    "sehingga tidak dihitung. Sisipkan baris di atas baris Jumlah lalu pindahkan isinya ke sana.")


def _pairings(table) -> list[tuple[str, str, str]]:
    """(this key column, other table, other key column) for row-key columns copied from another table."""
    out = []
    for c in table.columns:
        if c.rule is not None and c.rule.fn == "salin" and c.key in table.row_key and "." in c.rule.args[0]:
            other, okey = c.rule.args[0].split(".", 1)
            out.append((c.key, other, okey))
    return out


def _phase_pairs(sd: SheetData, view: Sheet, out: _Collector) -> None:
    """Paired tables (FORM A II and III) pair rows by key: every row has its twin holding the same key."""
    for tkey, td in sd.tables.items():
        for key, other, okey in _pairings(td.table):
            if other not in sd.tables:
                continue
            od = sd.tables[other]
            theirs = {row - od.number_row - 1: i for i, row in enumerate(od.rows)}
            mine = {row - td.number_row - 1: i for i, row in enumerate(td.rows)}
            label, olabel = td.table.title or tkey, od.table.title or other
            held = {str(view.value(tkey, i, key)).strip() for i in range(len(td.rows)) if _present(view.value(tkey, i, key))}
            for off, i in mine.items():
                code = view.value(tkey, i, key)
                j = theirs.get(off)
                twin = od.values.at[j, okey] if j is not None else None
                if not _present(twin) or (_present(code) and str(code).strip() != str(twin).strip()):
                    out.add("V30", td.address(i, key), td.table.column(key).label, code, twin,
                            f"Baris ini ({label}) tidak berpasangan dengan baris {olabel} yang sejajar "
                            f"(berisi {angka(twin) if _present(twin) else 'kosong'}). Sisipkan atau hapus baris di "
                            "kedua tabel bersamaan agar setiap output tetap sebaris.")
            for off, j in theirs.items():
                code = od.values.at[j, okey]
                if _present(code) and off not in mine and str(code).strip() not in held:
                    out.add("V30", od.address(j, okey), od.table.column(okey).label, code, "baris pasangan",
                            f"Output {angka(code)} di {olabel} tidak punya baris di {label}. Isi barisnya di "
                            f"{label} (sejajar dengan barisnya di {olabel}), atau hapus outputnya dari kedua tabel.")


def _identity(sd: SheetData, satker: str, out: _Collector) -> None:
    """The satker code in the metadata and in field I.1 "(247246) NAMA" must agree."""
    unit = sd.fields.get("unit_organisasi")
    code = re.match(r"^\s*\((\d{6})\)", unit.value) if unit and isinstance(unit.value, str) else None
    if satker and code and code.group(1) != satker:
        out.add("V27", unit.address, sd.layout.field("unit_organisasi").label, code.group(1), satker,  # type: ignore[union-attr]
                f"Kode satker pada isian Unit Organisasi ({code.group(1)}) berbeda dengan kode satker berkas "
                f"({satker}). Laporan satu satker tidak boleh diberi label satker lain; buat berkas dari templat "
                "satker yang benar.")


# --- phase 3: form rules -------------------------------------------------------

def _col(td: TableData, key: str) -> list[Any]:
    return td.values[key].tolist()


def _fisik_s_equals_r(td: TableData, s_key: str, r_key: str, out: _Collector) -> None:
    s, r = _col(td, s_key), _col(td, r_key)
    pairs = [(a, b) for a, b in zip(s, r) if _present(a) or _present(b)]
    if len(pairs) >= 2 and any((a or 0) != 0 for a, _ in pairs) and all(a == b for a, b in pairs):
        c = td.table.column(r_key)
        out.add("V14", td.address(0, r_key), c.label, "S = R", "S dan R diisi terpisah",
                f"{c.label}: fisik S sama dengan R di semua {len(pairs)} baris. Target fisik mungkin diisi "
                "belakangan dari realisasi; isi S sesuai rencana awal.")


def _dipa(sd: SheetData, tahun: int | None, satker: str, out: _Collector) -> None:
    cv = sd.fields.get("nomor_dipa")
    if cv is None or not isinstance(cv.value, str):
        return
    parts = [p.strip() for p in re.split(r",\s*(?=(?:SP\s*)?DIPA|\d{3}\.)", cv.value) if p.strip()]
    for part in parts:
        m = re.match(RE_DIPA, part)
        if not m:
            out.add("V05", cv.address, "Nomor Surat Pengesahan DIPA", part, "SP DIPA-019.07.2.247246/2023",
                    f"Nomor DIPA {angka(part)} tidak sesuai format SP DIPA-BA.ES.K.SATKER/TAHUN.")
            continue
        year, dipa_satker = int(m.group(5)), m.group(4)
        if tahun and year != tahun:
            out.add("V15", cv.address, "Nomor Surat Pengesahan DIPA", year, tahun,
                    f"Nomor DIPA {angka(part)} bertahun {year}, padahal laporan tahun {tahun}. Gunakan DIPA tahun berjalan.")
        if satker and dipa_satker != satker and sd.layout.form == "form-a":
            out.add("V15", cv.address, "Nomor Surat Pengesahan DIPA", dipa_satker, satker,
                    f"Kode satker pada nomor DIPA ({dipa_satker}) berbeda dengan satker laporan ({satker}).")


def _form_a(sd: SheetData, view: Sheet, tahun: int | None, satker: str, out: _Collector) -> None:
    rea, ken = sd.tables["realisasi"], sd.tables["kendala"]
    _fisik_s_equals_r(rea, "c8_ini_fis_S", "c9_ini_fis_R", out)
    unit = sd.fields.get("unit_organisasi")
    code = re.match(r"^\((\d{6})\)", unit.value) if unit and isinstance(unit.value, str) else None
    _dipa(sd, tahun, satker or (code.group(1) if code else ""), out)
    pj, ttd = sd.fields.get("penanggung_jawab"), sd.signature.get("ttd_nama")
    if pj and ttd and _present(pj.value) and _present(ttd.value) and _norm(pj.value) != _norm(ttd.value):
        out.add("V26", ttd.address, "Nama penanda tangan", ttd.value, pj.value,
                f"Nama penanda tangan {angka(ttd.value)} berbeda dengan Penanggung Jawab Kegiatan (I.8) "
                f"{angka(pj.value)}. Samakan penulisannya.")
    ang = sd.tables["anggaran"]
    names = {str(v).casefold() for v in _col(ken, "c2_output") if _present(v)}
    text = " ".join(names)
    for i in range(len(rea.rows)):
        s, r, fs, fr = (view.value("realisasi", i, k) for k in ("c10_sd_keu_S", "c11_sd_keu_R", "c12_sd_fis_S",
                                                                 "c13_sd_fis_R"))
        s, r, fs, fr = (x if isinstance(x, (int, float)) else None for x in (s, r, fs, fr))
        below = any(_present(a) and _present(b) and b < a - TOL_PCT for a, b in ((s, r), (fs, fr)))
        code = rea.values.at[i, "c1_output_kode"]
        off = rea.rows[i] - rea.number_row - 1
        j = next((k for k, row in enumerate(ang.rows) if row - ang.number_row - 1 == off), None)
        name = ang.values.at[j, "c1_output_nama"] if j is not None else rea.values.at[i, "c1_output_nama"]
        if below and not any(_present(x) and str(x).casefold() in text for x in (code, name)):
            out.add("V06k", rea.address(i, "c11_sd_keu_R"), "Kendala", None, "diisi di bagian IV",
                    f"Output {angka(code or name)}: realisasi di bawah sasaran tetapi belum ada kendala dan "
                    "tindak lanjut di bagian IV. Tuliskan kendalanya.")


def _norm(v: Any) -> str:
    return re.sub(r"\s+", " ", str(v)).strip().casefold()


def _rencana_aksi(sd: SheetData, out: _Collector) -> None:
    td = sd.tables["indikator"]
    keys = [f"c{5 + 2 * i}_tw{i + 1}_target_antara_pct" for i in range(4)]
    for i in range(len(td.rows)):
        vals = [td.values.at[i, k] for k in keys]
        nums = [v for v in vals if _present(v)]
        problem = None
        if not _present(vals[3]) or vals[3] != 100:
            problem = (keys[3], "Target antara Triwulan IV harus 100.")
        elif any(b < a for a, b in zip(nums, nums[1:])):
            problem = (keys[[k for k, v in zip(keys, vals) if _present(v)][1]], "Target antara turun dari triwulan ke triwulan.")
        else:
            plans = [td.values.at[i, f"c{6 + 2 * n}_tw{n + 1}_rencana_kegiatan"] for n in range(4)]
            gap = next((n for n in range(4) if not _present(vals[n]) and _present(plans[n]) and
                        str(plans[n]).strip() not in ("-", "–")), None)
            if gap is not None:
                problem = (keys[gap], f"Target antara Triwulan {['I', 'II', 'III', 'IV'][gap]} kosong padahal ada "
                                      "rencana kegiatan; isi kemajuan kumulatifnya.")
        if problem:
            key, msg = problem
            out.add("V12", td.address(i, key), td.table.column(key).label, [angka(v) for v in vals],
                    "naik bertahap sampai 100", f"{td.values.at[i, 'c3_indikator']}: {msg}")


_VALUE_UNITS = {"persen", "%", "nilai", "indeks", "level", ""}


def _pengukuran(sd: SheetData, out: _Collector) -> None:
    td = sd.tables["indikator"]
    for i in range(len(td.rows)):
        t, r = td.values.at[i, "c4_target"], td.values.at[i, "c5_realisasi"]
        ta, ra = td.values.at[i, "c6_target_antara_pct"], td.values.at[i, "c8_realisasi_antara_pct"]
        if not all(_present(x) for x in (t, r, ta, ra)):
            continue
        pol = str(td.values.at[i, "c11_polaritas"] or "maksimal")
        satuan = str(td.values.at[i, "c4_satuan"] or "").strip().casefold()
        if satuan not in _VALUE_UNITS:  # a count accumulating to its annual target: antara = R/T×100 (R8)
            want = r / t * 100 if t else None
            if want is not None and abs(ra - want) > 1:
                out.add("V13", td.address(i, "c8_realisasi_antara_pct"), "Realisasi Antara (%)", ra, want,
                        f"{td.values.at[i, 'c3_indikator_kinerja']}: realisasi antara {angka(ra)} %, padahal "
                        f"{angka(r)} dari target {angka(t)} = {angka(udfs.bulat(want))} %.")
            continue
        met = r >= t if not pol.startswith("minimal") else r <= t
        if (ra >= ta and not met) or (ra < ta and met):
            out.add("V13", td.address(i, "c8_realisasi_antara_pct"), "Realisasi Antara (%)", ra, ta,
                    f"{td.values.at[i, 'c3_indikator_kinerja']}: realisasi antara {angka(ra)} % "
                    f"{'mencapai' if ra >= ta else 'di bawah'} target antara {angka(ta)} %, tetapi nilai indikator "
                    f"{angka(r)} {'belum' if not met else 'sudah'} mencapai target {angka(t)}. Periksa kembali.")


def _cross_paket(data: WorkbookData, views: dict[str, Sheet], out: _Collector) -> None:
    alki = next((s for s in data.sheets if s.layout.form == "alki"), None)
    if alki is None:
        return
    k = alki.tables["komponen"]
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in range(len(k.rows)):
        groups[(str(k.values.at[i, "c2_kegiatan"]), str(k.values.at[i, "c3_kro"]))].append(i)
    col = lambda key, idx: [k.values.at[i, key] for i in idx]  # noqa: E731
    for sd in data.sheets_of("form-a"):
        ang, rea = sd.tables["anggaran"], sd.tables["realisasi"]
        keg = sd.kegiatan or (sd.fields["kegiatan"].value or "")[:4] if "kegiatan" in sd.fields else sd.kegiatan
        for i in range(len(ang.rows)):
            kro = ang.values.at[i, "c1_output_kode"]
            idx = groups.get((str(keg), str(kro)))
            if not idx:
                continue
            pagu = views[sd.name].value("anggaran", i, "c5_total_rp000") or 0.0
            alki_pagu = sum(x for x in col("c7_pagu_rp", idx) if _present(x))
            if abs(alki_pagu - pagu * 1000) >= 0.5:
                out.add("V17", ang.address(i, "c4_rupiah_rp000"), "Anggaran Rupiah", pagu, alki_pagu / 1000,
                        f"Output {kro}: pagu FORM A {angka(pagu)} ribu, jumlah pagu komponen ALKI "
                        f"{angka(alki_pagu / 1000)} ribu. Samakan dengan DIPA terakhir.")
            off = ang.rows[i] - ang.number_row - 1
            j = next((n for n, row in enumerate(rea.rows) if row - rea.number_row - 1 == off), None)
            if j is None:
                continue
            for key, src, rid in (("c13_sd_fis_R", "c11_realisasi_fisik_pct", "V18"),
                                  ("c11_sd_keu_R", "c9_realisasi_keuangan_pct", "V18b")):
                mine = views[sd.name].value("realisasi", j, key)
                if not isinstance(mine, (int, float)):
                    continue
                want = udfs.rata_tertimbang(col(src, idx), col("c7_pagu_rp", idx))
                if isinstance(want, udfs.NilaiGalat) or not _present(mine):
                    continue
                if abs(mine - want) > TOL_PCT + 1e-9:
                    label = rea.table.column(key).label
                    out.add(rid, rea.address(j, key), label, mine, want,
                            f"Output {kro}: {label} {angka(mine)}, sedangkan rata-rata tertimbang pagu komponen ALKI "
                            f"{angka(udfs.bulat(want))}. Samakan dengan data ALKI pada tanggal posisi yang sama.")


def _previous(data: WorkbookData, prev: WorkbookData, out: _Collector) -> None:
    prev_by_keg = {s.kegiatan or s.name: s for s in prev.sheets_of("form-a")}
    for sd in data.sheets_of("form-a"):
        p = prev_by_keg.get(sd.kegiatan or sd.name)
        if p is None:
            continue
        pv, _ = derive(p)
        prow = {pv.value("realisasi", i, "c1_output_kode"): i for i in range(len(p.tables["realisasi"].rows))}
        view, _ = derive(sd)
        rea = sd.tables["realisasi"]
        for i in range(len(rea.rows)):
            j = prow.get(view.value("realisasi", i, "c1_output_kode"))
            if j is None:
                continue
            for m, (lalu, sd_key) in enumerate((("c2_lalu_keu_S", "c10_sd_keu_S"), ("c3_lalu_keu_R", "c11_sd_keu_R"),
                                                ("c4_lalu_fis_S", "c12_sd_fis_S"), ("c5_lalu_fis_R", "c13_sd_fis_R"))):
                before = pv.value("realisasi", j, sd_key) or 0.0
                now_lalu = view.value("realisasi", i, lalu) or 0.0
                now_sd = view.value("realisasi", i, sd_key) or 0.0
                label = rea.table.column(lalu).label
                if abs(now_lalu - before) > TOL_PCT + 1e-9:
                    out.add("V19", rea.address(i, lalu), label, now_lalu, before,
                            f"{label}: {angka(now_lalu)}, padahal s.d. triwulan ini pada laporan triwulan lalu "
                            f"{angka(before)}. Salin dari laporan triwulan lalu.")
                if now_sd < before - TOL_PCT:
                    out.add("V10b", rea.address(i, sd_key), rea.table.column(sd_key).label, now_sd, before,
                            f"Nilai kumulatif turun dari {angka(before)} menjadi {angka(now_sd)}.")


def validate(source: str | Path | WorkbookData, previous: str | Path | WorkbookData | None = None) -> Hasil:
    """Validate one workbook (path or data already read). Raises ``BacaGagal`` for unreadable files."""
    data = source if isinstance(source, WorkbookData) else read_workbook(source)
    out = _Collector(shown(data.path.name))
    meta = data.meta
    if meta and meta.form == ROLLUP_FORM:
        raise BacaGagal(f"{out.file}: berkas ini hasil konsolidasi (rollup) kinerja, bukan kiriman satker; "
                        "rollup tidak divalidasi sebagai kiriman.")
    tahun = meta.tahun if meta else None
    satker = meta.satker if meta else ""
    if meta and (meta.triwulan not in (1, 2, 3, 4) and meta.form not in ("rencana-aksi", "perjanjian-kinerja")):
        out.add("V16", f"{data.sheets[0].name}!", "Triwulan", meta.triwulan, "1–4",
                "Triwulan laporan tidak tercatat di metadata. Buat ulang berkas dari templat kinerja.")
    views: dict[str, Sheet] = {}
    for sd in data.sheets:
        _phase_completeness(sd, data.form == "paket-triwulan", out)
        _phase_cells(sd, out)
        if any(td.rows for td in sd.tables.values()) or not sd.tables:
            _phase_fields(sd, out)  # an untouched optional sheet (e.g. SKM outside survey time) is not an error
        _phase_schema(sd, out)
        view, derived = derive(sd)
        views[sd.name] = view
        _phase_derived(sd, view, derived, out)
        _phase_formulas(sd, view, derived, out)
        _phase_total_rows(sd, out)
        _phase_below_total(sd, out)
        _phase_pairs(sd, view, out)
        _identity(sd, satker, out)
        form = sd.layout.form
        if form == "form-a":
            _form_a(sd, view, tahun, satker, out)
        elif form == "form-b":
            _dipa(sd, tahun, "", out)
        elif form == "alki":
            _fisik_s_equals_r(sd.tables["komponen"], "c10_target_fisik_pct", "c11_realisasi_fisik_pct", out)
            _posisi(sd, tahun, meta.triwulan if meta else None, out)
        elif form == "rencana-aksi":
            _rencana_aksi(sd, out)
        elif form == "pengukuran-rencana-aksi":
            _pengukuran(sd, out)
    _cross_paket(data, views, out)
    if previous is not None:
        prev = previous if isinstance(previous, WorkbookData) else read_workbook(previous)
        _previous(data, prev, out)
    return Hasil(out.file, out.items)


def _posisi(sd: SheetData, tahun: int | None, triwulan: int | None, out: _Collector) -> None:
    cv = sd.fields.get("tanggal_posisi")
    if cv is None or not tahun or not triwulan:
        return
    d = cv.value
    if isinstance(d, dt.datetime):
        d = d.date()
    if not isinstance(d, dt.date):
        if _present(d):
            out.add("V16", cv.address, "Posisi per tanggal", d, "tanggal", "Posisi per tanggal harus berupa tanggal.")
        return
    start, end = dt.date(tahun, 3 * triwulan - 2, 1), dt.date(tahun, 3 * triwulan, 30 if triwulan in (2, 3) else 31)
    if not start <= d <= end:
        out.add("V16", cv.address, "Posisi per tanggal", d.isoformat(), f"{start.isoformat()} s.d. {end.isoformat()}",
                f"Tanggal posisi {d:%d-%m-%Y} di luar Triwulan {triwulan} {tahun}.")
