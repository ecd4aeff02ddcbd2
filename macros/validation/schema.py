"""Phase 2: pandera schemas derived from the layouts (types, ranges, code formats, required cells, unique
row keys), run lazily so one pass reports every problem; and the same checks on the "label : value" fields.

Each pandera check is named with its rule id; the built-in checks pandera adds itself (``not_nullable``, the
row-key uniqueness) map to theirs. A failure case of any other check is a bug in kinerja and raises.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from macros.validation.catalogue import angka
from macros.validation.findings import Findings
from workbooks.compute import present
from workbooks.masters import OPSI, pilihan_sah
from workbooks.model import Column, Field, Jenis, Peran, Table
from workbooks.reader import SheetData, TableData

RANGE, FORMAT = "V04", "V05"
CHOICE = "V05-pilihan"  # a dropdown column holding something outside its list (reported as V05)
BUILT_IN = {"not_nullable": "V06", "multiple_fields_uniqueness": "V22", "field_uniqueness": "V22"}
_AS_ZERO = (Jenis.PERSEN, Jenis.RP, Jenis.RP000)
_SCHEMAS: dict[int, pa.DataFrameSchema] = {}
_COLUMNS: dict[int, tuple[dict[str, pa.Column], list[str] | None]] = {}
_PART = "__bagian"  # which table of a stack a row came from (in no check but the row keys' uniqueness)


class UnknownFailure(RuntimeError):
    """A schema failure no rule accounts for (a bug in the derived schema, never a user error)."""


def schema_for(table: Table) -> pa.DataFrameSchema:
    """The pandera schema of a table, derived from its layout columns (input columns only)."""
    if id(table) not in _SCHEMAS:  # layouts are module-level constants: build each schema once
        cols, unique = _schema_columns(table)
        _SCHEMAS[id(table)] = pa.DataFrameSchema(cols, unique=unique, report_duplicates="all")
    return _SCHEMAS[id(table)]


def _schema_columns(table: Table) -> tuple[dict[str, pa.Column], list[str] | None]:
    """The columns of the table's schema and its unique row key."""
    if id(table) not in _COLUMNS:
        _COLUMNS[id(table)] = _build_columns(table)
    return _COLUMNS[id(table)]


def _build_columns(table: Table) -> tuple[dict[str, pa.Column], list[str] | None]:
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
    return cols, unique


def _typed(td: TableData, keys: set[str] | None = None) -> dict[str, pd.Series]:
    """Typed values per column (of ``keys``, else all), with placeholders ('-') as 0 where the forms sum
    them (V02); cells phase 1 reported are blank (0 where required, so they are not reported again as missing)."""
    placeholder: dict[str, list[int]] = {}
    bad: dict[str, list[int]] = {}
    for (i, key), p in td.parsed.items():
        if p.status == "placeholder":
            placeholder.setdefault(key, []).append(i)
        elif not p.ok:
            bad.setdefault(key, []).append(i)
    columns = {}
    for c in td.table.columns:
        if keys is not None and c.key not in keys:
            continue
        col = td.values[c.key]
        if c.jenis.numeric and (c.key in placeholder or c.key in bad):
            arr = col.to_numpy(dtype="float64", copy=True)
            if c.jenis in _AS_ZERO and c.key in placeholder:
                arr[placeholder[c.key]] = 0.0
            arr[bad.get(c.key, [])] = 0.0 if c.required else math.nan
            col = pd.Series(arr, index=col.index, name=c.key)
        columns[c.key] = col
    return columns


def frame_for_schema(td: TableData) -> pd.DataFrame:
    """The table's values as the schema checks them (:func:`_typed`)."""
    return pd.DataFrame(_typed(td), columns=td.values.columns)


def range_text(c: Column | Field) -> str:
    """The valid range of a column's or a field's numbers ("0 sampai 100", "paling kecil 1")."""
    if c.lo is not None and c.hi is not None:
        return f"{angka(c.lo)} sampai {angka(c.hi)}"
    return f"paling kecil {angka(c.lo)}" if c.lo is not None else f"paling besar {angka(c.hi)}"


def report_range(c: Column | Field, address: str, value: object, out: Findings) -> None:
    """V04 at ``address``: a column's or a field's number outside its valid range."""
    what = "realisasi di atas 100 %" if c.jenis is Jenis.PERSEN and (value or 0) > 100 else "di luar rentang"
    out.add(RANGE, address, c.label, value, range_text(c), label=c.label, value=angka(value), what=what,
            range=range_text(c))


def rule_of_failure(check: str) -> str:
    """The rule id of a pandera failure case's check; raises :class:`UnknownFailure` for any other check."""
    if check in (RANGE, FORMAT, CHOICE):
        return check
    if check in BUILT_IN:
        return BUILT_IN[check]
    raise UnknownFailure(f"pandera check {check!r} has no rule")


def report_failure(td: TableData | SchemaInput, rule: str, i: int, key: str, value: object,
                   out: Findings) -> None:
    c = td.table.column(key)
    address = td.address(i, key)
    if rule == RANGE:
        report_range(c, address, value, out)
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


class SchemaInput:
    """What the schema of one table with data checks: the columns it checks, typed (:func:`_typed`), without
    the column groups the unit does not carry (:func:`absent_groups`), and the address of each value.

    It pickles small (konsolidasi's workers send it to the run, which checks the tables of every file
    together): the columns as numpy arrays with their dtypes (a column checked only for blanks as its blanks),
    the addresses as each column's letter and the rows, the table as its place in
    :data:`~workbooks.forms.LAYOUTS`; it does not pickle when its table has no such place (:attr:`portable`).
    """

    __slots__ = ("table", "sheet", "absent", "rows", "columns", "dtypes", "cells")

    def __init__(self, table: Table, sheet: str, absent: frozenset[str], rows: list[int],
                 columns: dict[str, np.ndarray], dtypes: dict[str, object], cells: dict[str, str | list[str]]) -> None:
        self.table, self.sheet, self.absent, self.rows = table, sheet, absent, rows  # rows: Excel rows
        self.columns, self.dtypes, self.cells = columns, dtypes, cells

    @classmethod
    def of(cls, td: TableData) -> SchemaInput:
        absent = frozenset(absent_groups(td))
        checked, unique = _schema_columns(td.table)
        keys = {c.key for c in td.table.columns if c.key in checked and c.kelompok not in absent}
        typed = _typed(td, keys)
        columns = {}
        for k, col in typed.items():
            arr = col.to_numpy(copy=True)
            if arr.dtype == object and not checked[k].checks and k not in (unique or ()):  # blanks only
                arr[~pd.isna(arr)] = ""
            columns[k] = arr
        return cls(td.table, td.sheet, absent, td.rows, columns, {k: col.dtype for k, col in typed.items()},
                   {k: _letter(td.cell_lists[k], td.rows) for k in typed})

    def address(self, i: int, key: str) -> str:
        cells = self.cells[key]
        return f"{self.sheet}!{cells}{self.rows[i]}" if isinstance(cells, str) else f"{self.sheet}!{cells[i]}"

    @property
    def portable(self) -> bool:
        return id(self.table) in _places()

    def __reduce__(self) -> tuple:
        return _restored, (*_places()[id(self.table)], self.sheet, self.absent, self.rows, self.columns,
                           self.dtypes, self.cells)


def _letter(cells: list[str], rows: list[int]) -> str | list[str]:
    """A column's cell addresses as its letter when they are that letter on each of ``rows``, else as given."""
    letter = cells[0].rstrip("0123456789") if cells else ""
    return letter if cells == [f"{letter}{r}" for r in rows] else cells


def _places() -> dict[int, tuple[str, str]]:
    """{id(table): (form, table key)} of every layout table."""
    if not _PLACES:
        from workbooks.forms import LAYOUTS

        _PLACES.update({id(t): (lay.form, t.key) for lay in LAYOUTS.values() for t in lay.tables})
    return _PLACES


_PLACES: dict[int, tuple[str, str]] = {}


def _restored(form: str, table: str, *rest: object) -> SchemaInput:
    from workbooks.forms import LAYOUTS

    return SchemaInput(LAYOUTS[form].table(table), *rest)  # type: ignore[arg-type]


def schema_inputs(sheets: list[SheetData]) -> list[tuple[TableData, SchemaInput]]:
    """The schema input of every table with data of ``sheets``, in order."""
    return [(td, SchemaInput.of(td)) for sd in sheets for td in sd.tables.values() if len(td.rows)]


def table_failures(tables: list[SchemaInput]) -> list[list[Failure]]:
    """The schema failures of one workbook's tables (``tables``, from :func:`schema_inputs`), in order; what
    checking them raised is raised."""
    (found,) = stacked_failures([tables])
    if isinstance(found, Exception):
        raise found
    return found


def stacked_failures(units: list[list[SchemaInput]]) -> list[list[list[Failure]] | Exception]:
    """The schema failures of the tables of several workbooks (``units``): ``result[u][j]`` lists those of
    table ``j`` of workbook ``u``; ``result[u]`` is the exception its check raised, if any.

    pandera's cost is per column, not per row: the tables of one layout table (FORM A's realisasi on each
    kegiatan sheet, of every workbook) are validated as one stacked frame, row keys unique within each
    table. A column group a unit does not carry at all (fisik) is left out: its columns are not reported
    missing. Each workbook gets its failures in the order validating its own tables alone gives, so its
    findings never depend on the workbooks checked with it; a stack that fails is checked workbook by workbook.
    """
    out: list[list[list[Failure]] | Exception] = [[[] for _ in inputs] for inputs in units]
    stacks: dict[tuple, list[tuple[int, list[int]]]] = {}  # one layout table -> [(workbook, its tables)]
    for u, inputs in enumerate(units):
        own: dict[tuple, list[int]] = {}
        for j, si in enumerate(inputs):
            own.setdefault((id(si.table), si.absent), []).append(j)
        for key, js in own.items():  # tables of other dtypes stack as pandas does (:func:`_frame`), alone
            same = all(inputs[j].dtypes == inputs[js[0]].dtypes for j in js)
            stacks.setdefault((*key, tuple(inputs[js[0]].dtypes.items()) if same else u), []).append((u, js))
    for members in stacks.values():
        try:
            _check_stack(units, members, out)
        except Exception as exc:  # noqa: BLE001 - each workbook on its own: its own failure, or its findings
            if len(members) == 1:
                u = members[0][0]
                out[u] = out[u] if isinstance(out[u], Exception) else exc
                continue
            for member in members:
                try:
                    _check_stack(units, [member], out)
                except Exception as exc:  # noqa: BLE001
                    u = member[0]
                    out[u] = out[u] if isinstance(out[u], Exception) else exc
    return out


def _check_stack(units: list[list[SchemaInput]], members: list[tuple[int, list[int]]],
                 out: list[list[list[Failure]] | Exception]) -> None:
    """Validate the tables ``members`` names as one frame; their failures into ``out`` (all or none)."""
    members = [(u, js) for u, js in members if not isinstance(out[u], Exception)]
    if not members:
        return
    at = [(u, j) for u, js in members for j in js]
    inputs = [units[u][j] for u, j in at]
    frame, starts = _frame(inputs)
    try:
        schema_for(inputs[0].table).validate(frame, lazy=True)
        return
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    if len(members) == 1:
        by_unit = [cases]
    else:  # pandera sorts its failure cases by an unstable sort: each workbook's as if validated alone
        cases = cases.sort_index()  # pandera's order before its sort (its index then)
        rows = cases["index"]
        if rows.isna().any():
            raise UnknownFailure(f"{inputs[0].table.key}: a failure case without a row")
        unit = np.asarray([u for u, _ in at])[frame[_PART].to_numpy()][rows.to_numpy(dtype="int64")]
        by_unit = []
        for u, _ in members:
            own = cases[unit == u].reset_index(drop=True)
            by_unit.append(own.sort_values("schema_context", ascending=False) if len(own) else own)
    found: dict[int, list[Failure]] = {}
    for own in by_unit:
        for case in own.itertuples(index=False):
            if case.column == _PART:
                continue
            rule = rule_of_failure(str(case.check))
            idx = case.index
            if idx is None or (isinstance(idx, float) and math.isnan(idx)):
                raise UnknownFailure(f"{inputs[0].table.key}.{case.column}: {case.check} without a row")
            n = int(frame.at[int(idx), _PART])
            found.setdefault(n, []).append((rule, int(idx) - starts[n], str(case.column), case.failure_case))
    for n, failures in found.items():
        u, j = at[n]
        out[u][j] = failures  # type: ignore[index]


def _frame(inputs: list[SchemaInput]) -> tuple[pd.DataFrame, list[int]]:
    """The inputs' columns as one frame, with which input each row comes from (:data:`_PART`); and
    the first row of each input."""
    starts = [0]
    for si in inputs:
        starts.append(starts[-1] + len(si.rows))
    part = np.repeat(np.arange(len(inputs)), [len(si.rows) for si in inputs])
    first = inputs[0]
    if all(si.dtypes == first.dtypes for si in inputs):
        columns = {k: pd.Series(np.concatenate([si.columns[k] for si in inputs]) if len(inputs) > 1 else arr,
                                dtype=first.dtypes[k]) for k, arr in first.columns.items()}
        return pd.DataFrame({**columns, _PART: part}), starts
    frames = [pd.DataFrame({k: pd.Series(arr, dtype=si.dtypes[k]) for k, arr in si.columns.items()})
              for si in inputs]
    return pd.concat(frames, ignore_index=True).assign(**{_PART: part}), starts


def check_schema(sd: SheetData, out: Findings) -> None:
    """Phase 2 over every table of one sheet on its own (:func:`~macros.validation.core.check_workbook` checks
    a workbook's tables together)."""
    tables = [si for _, si in schema_inputs([sd])]
    for si, failures in zip(tables, table_failures(tables)):
        for rule, i, key, value in failures:
            report_failure(si, rule, i, key, value, out)


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
            report_range(f, cv.address, cv.value, out)
