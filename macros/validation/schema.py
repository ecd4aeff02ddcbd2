"""Phase 2: pandera schemas derived from the layouts (types, ranges, code formats, required cells, unique
row keys), run lazily so one pass reports every problem; and the same checks on the "label : value" fields.

Each pandera check is named with its rule id; the built-in checks pandera adds itself (``not_nullable``, the
row-key uniqueness) map to theirs. A failure case of any other check is a bug in kinerja and raises.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pandera.pandas as pa

from macros.validation.catalogue import angka
from macros.validation.findings import Findings
from workbooks.compute import present
from workbooks.masters import OPSI, pilihan_sah
from workbooks.model import Column, Jenis, Peran, Table
from workbooks.reader import SheetData, TableData

RANGE, FORMAT = "V04", "V05"
CHOICE = "V05-pilihan"  # a dropdown column holding something outside its list (reported as V05)
BUILT_IN = {"not_nullable": "V06", "multiple_fields_uniqueness": "V22", "field_uniqueness": "V22"}
_AS_ZERO = (Jenis.PERSEN, Jenis.RP, Jenis.RP000)
_SCHEMAS: dict[int, pa.DataFrameSchema] = {}
_PART = "__bagian"  # which table of a stack a row came from (in no check but the row keys' uniqueness)


class UnknownFailure(RuntimeError):
    """A schema failure no rule accounts for (a bug in the derived schema, never a user error)."""


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
            checks.append(pa.Check.in_range(lo, hi, name=RANGE, error=RANGE))
        if c.pattern:
            checks.append(pa.Check.str_matches(c.pattern, name=FORMAT, error=FORMAT))
        if c.pilihan in OPSI:
            checks.append(pa.Check(lambda v, p=c.pilihan: pilihan_sah(p, v), element_wise=True, name=CHOICE,
                                   error=CHOICE))
        cols[c.key] = pa.Column(float if c.jenis.numeric else None, checks, nullable=not c.required,
                                required=False)
    unique = [_PART, *keys] if (keys := [k for k in table.row_key if k in cols]) else None  # within each table
    # A column with no check and blanks allowed cannot fail (frame_for_schema types numeric columns as
    # float64): left out, since pandera's cost is per column.
    cols = {k: col for k, col in cols.items() if col.checks or not col.nullable or k in (unique or ())}
    return pa.DataFrameSchema(cols, unique=unique, report_duplicates="all")


def frame_for_schema(td: TableData) -> pd.DataFrame:
    """Typed values, with placeholders ('-') as 0 where the forms sum them (V02); cells phase 1 reported
    are blank (0 where required, so they are not reported again as missing)."""
    placeholder: dict[str, list[int]] = {}
    bad: dict[str, list[int]] = {}
    for (i, key), p in td.parsed.items():
        if p.status == "placeholder":
            placeholder.setdefault(key, []).append(i)
        elif not p.ok:
            bad.setdefault(key, []).append(i)
    columns = {}
    for c in td.table.columns:
        col = td.values[c.key]
        if c.jenis.numeric and (c.key in placeholder or c.key in bad):
            arr = col.to_numpy(dtype="float64", copy=True)
            if c.jenis in _AS_ZERO and c.key in placeholder:
                arr[placeholder[c.key]] = 0.0
            arr[bad.get(c.key, [])] = 0.0 if c.required else math.nan
            col = pd.Series(arr, index=col.index, name=c.key)
        columns[c.key] = col
    return pd.DataFrame(columns, columns=td.values.columns)


def range_text(c: Column) -> str:
    if c.lo is not None and c.hi is not None:
        return f"{angka(c.lo)} sampai {angka(c.hi)}"
    return f"paling kecil {angka(c.lo)}" if c.lo is not None else f"paling besar {angka(c.hi)}"


def rule_of_failure(check: str) -> str:
    """The rule id of a pandera failure case's check; raises :class:`UnknownFailure` for any other check."""
    if check in (RANGE, FORMAT, CHOICE):
        return check
    if check in BUILT_IN:
        return BUILT_IN[check]
    raise UnknownFailure(f"pandera check {check!r} has no rule")


def report_failure(td: TableData, rule: str, i: int, key: str, value: object, out: Findings) -> None:
    c = td.table.column(key)
    address = td.address(i, key)
    if rule == RANGE:
        what = "realisasi di atas 100 %" if c.jenis is Jenis.PERSEN and (value or 0) > 100 else "di luar rentang"
        out.add(rule, address, c.label, value, range_text(c), label=c.label, value=angka(value), what=what,
                range=range_text(c))
    elif rule == CHOICE:
        choices = "; ".join(label for _, label in OPSI[c.pilihan])
        out.add(FORMAT, address, c.label, value, choices, label=c.label, value=angka(value),
                format=f"salah satu pilihan daftar ({choices})")
    elif rule == FORMAT:
        out.add(rule, address, c.label, value, c.help or c.pattern, label=c.label, value=angka(value),
                format=c.help or c.pattern)
    elif rule == "V06":
        out.add(rule, address, c.label, None, "terisi", label=c.label)
    else:
        out.add(rule, address, c.label, value, "unik", label=c.label, value=angka(value))


def absent_groups(td: TableData) -> set[str]:
    """The column groups (:attr:`Column.kelompok`, e.g. fisik) the unit does not carry: every cell of every
    input column of the group is empty in the whole table."""
    groups: dict[str, bool] = {}
    for c in td.table.columns:
        if c.kelompok and c.peran is not Peran.TURUNAN:
            filled = any(present(v) for v in td.values[c.key].tolist())
            groups[c.kelompok] = groups.get(c.kelompok, False) or filled
    return {g for g, filled in groups.items() if not filled}


Failure = tuple[str, int, str, object]  # (rule, row position, key, value)


def schema_failures(sheets: list[SheetData]) -> dict[int, list[Failure]]:
    """The schema failures of every table of ``sheets`` ({id(table data): failures, in pandera's order}).

    pandera's cost is per column, not per row: the tables of one layout table (FORM A's realisasi on each
    kegiatan sheet) are validated as one stacked frame, row keys unique within each table. A column group
    the unit does not carry at all (fisik) is left out: its columns are not reported missing.
    """
    stacks: dict[tuple[int, frozenset[str]], list[TableData]] = {}
    for sd in sheets:
        for td in sd.tables.values():
            if len(td.rows):
                stacks.setdefault((id(td.table), frozenset(absent_groups(td))), []).append(td)
    out: dict[int, list[Failure]] = {}
    for (_, absent), tds in stacks.items():
        frames = []
        for n, td in enumerate(tds):
            frame = frame_for_schema(td)
            if absent:
                frame = frame.drop(columns=[c.key for c in td.table.columns if c.kelompok in absent and c.key in frame])
            frames.append(frame.assign(**{_PART: n}))
            out[id(td)] = []
        stacked = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        starts = [0]
        for f in frames:
            starts.append(starts[-1] + len(f))
        try:
            schema_for(tds[0].table).validate(stacked, lazy=True)
        except pa.errors.SchemaErrors as err:
            for case in err.failure_cases.itertuples(index=False):
                if case.column == _PART:
                    continue
                rule = rule_of_failure(str(case.check))
                idx = case.index
                if idx is None or (isinstance(idx, float) and math.isnan(idx)):
                    raise UnknownFailure(f"{tds[0].table.key}.{case.column}: {case.check} without a row")
                n = int(stacked.at[int(idx), _PART])
                out[id(tds[n])].append((rule, int(idx) - starts[n], str(case.column), case.failure_case))
    return out




def check_schema(sd: SheetData, out: Findings, failures: dict[int, list[Failure]] | None = None) -> None:
    """Phase 2 over every table of a sheet (``failures``: from :func:`schema_failures` of the whole workbook)."""
    failures = schema_failures([sd]) if failures is None else failures
    for td in sd.tables.values():
        for rule, i, key, value in failures.get(id(td), ()):
            report_failure(td, rule, i, key, value, out)


def check_fields(sd: SheetData, out: Findings) -> None:
    """Required, format and range of the "label : value" fields."""
    carried = {f.kelompok for f in sd.layout.fields if f.kelompok and f.key in sd.fields
                and present(sd.fields[f.key].value)}
    for f in sd.layout.fields:
        cv = sd.fields.get(f.key)
        if cv is None:
            continue
        if f.kelompok and f.kelompok not in carried:  # e.g. no fungsi code at all: checked on what it has
            continue
        if f.required and f.peran is not Peran.TURUNAN and not present(cv.value):
            out.add("V06", cv.address, f.label, None, "terisi", "isian", label=f.label)
        elif f.pattern and isinstance(cv.value, str) and not re.match(f.pattern, cv.value):
            out.add("V05", cv.address, f.label, cv.value, f.help or f.pattern, "isian", label=f.label,
                    value=angka(cv.value), format=f.help or f.pattern)
        elif f.jenis.numeric and cv.value is not None and ((f.lo is not None and cv.value < f.lo) or
                                                           (f.hi is not None and cv.value > f.hi)):
            out.add("V04", cv.address, f.label, cv.value, "", "isian", label=f.label, value=angka(cv.value))
