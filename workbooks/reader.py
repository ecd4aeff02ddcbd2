"""Reader: a filled workbook back into typed tables, each value with its cell.

Tables are found by their numbered column row, not by fixed row numbers, so a
form with rows inserted above still reads; fields by their label text. Values
are read with python-calamine (cached results of formulas included) and every
number goes through :func:`workbooks.numbers.parse_number`.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from workbooks.forms import LAYOUTS, PAKET_FORMS, PAKET_TRIWULAN
from workbooks.masters import kode_pilihan
from workbooks.meta import META_SHEET, ROLLUP_FORM, Meta, MetaTidakSah, SheetInfo
from workbooks.model import Column, Field, Jenis, Layout, Peran, Table
from workbooks.numbers import Parsed, parse_within, plain
from workbooks.package import LIMITS, Limits, PackageError, check_package

Grid = list[list[Any]]
MAX_BELOW_TOTAL = 50  # cells reported under a Total row, per table
HEADING_ROWS = 6  # a form's title block lies in its first rows


class BacaGagal(Exception):
    """The file cannot be read as a kinerja form (message in Bahasa Indonesia)."""


@dataclass(frozen=True)
class CellValue:
    value: Any  # typed: float | str | date | None
    raw: Any  # as stored in the cell
    address: str  # "Sheet!C12"
    parsed: Parsed | None = None  # for numeric cells

    @property
    def cell(self) -> str:
        return self.address.rsplit("!", 1)[-1]


@dataclass
class TableData:
    table: Table
    sheet: str
    number_row: int  # 1-based Excel row
    rows: list[int]  # 1-based Excel rows of the data rows read
    values: pd.DataFrame  # typed values, one column per layout key
    parsed: dict[tuple[int, str], Parsed]  # (row position, key) -> parse of a numeric cell that is neither
    # empty nor a plain number: text, placeholder, number typed as text, error value, ambiguous, implausible
    total: dict[str, CellValue] | None
    total_row: int | None
    col_index: dict[str, int]  # layout key -> 1-based Excel column
    cell_lists: dict[str, list[str]] = field(default_factory=dict)  # A1 address of each value, per key
    raw_lists: dict[str, list[Any]] = field(default_factory=dict)  # each value as stored in its cell, per key
    area_end: int = 0  # 1-based last row of the data area (above the Total row, next table or signature)
    below_total: list[tuple[str, str, Any]] = field(default_factory=list)  # (key, A1, raw) filled under Total
    derived_only: list[tuple[str, str, Any]] = field(default_factory=list)  # (key, A1, raw) derived, row w/o data

    @property
    def raw(self) -> pd.DataFrame:
        """The values as stored in the cells, as a frame (built on demand)."""
        return pd.DataFrame(self.raw_lists, columns=self.values.columns, dtype=object)

    @property
    def cells(self) -> pd.DataFrame:
        """The A1 address of each value, as a frame (built on demand)."""
        return pd.DataFrame(self.cell_lists, columns=self.values.columns)

    def address(self, i: int, key: str) -> str:
        return f"{self.sheet}!{self.cell_lists[key][i]}"

    def offset(self, i: int) -> int:
        """How far row ``i`` sits below the table's first data row (rows pair across tables by it)."""
        return self.rows[i] - self.number_row - 1

    @functools.cached_property
    def offsets(self) -> dict[int, int]:
        """{offset below the first data row: row position} (see :meth:`offset`)."""
        return {r - self.number_row - 1: i for i, r in enumerate(self.rows)}

    def raw_value(self, i: int, key: str) -> Any:
        return self.raw_lists[key][i]

    def cell(self, i: int, key: str) -> CellValue:
        return CellValue(self.values.at[i, key], self.raw_value(i, key), self.address(i, key),
                         self.parsed.get((i, key)))


@dataclass
class SheetData:
    name: str
    layout: Layout
    kegiatan: str
    fields: dict[str, CellValue]
    tables: dict[str, TableData]
    signature: dict[str, CellValue] = field(default_factory=dict)
    formulas: set[str] | None = None  # A1 cells holding a formula; None when the source cannot tell
    formula_text: dict[str, str] | None = None  # A1 -> formula text (no "="); None when the source cannot tell
    heading: tuple[str, ...] = ()  # the texts of the sheet's first rows (its title block)

    def is_formula(self, address: str) -> bool | None:
        """Whether the cell (``Sheet!A1`` or ``A1``) holds a formula; None when unknown."""
        if self.formulas is None:
            return None
        return address.rsplit("!", 1)[-1] in self.formulas


@dataclass
class FormCopy:
    """A sheet the metadata does not list but recognised as a form (a form sheet copied in Excel, e.g.
    'FORM A 6077 (2)'): never read as a form, so its data would be lost without a word."""

    name: str
    layout: Layout
    data: SheetData | None  # the sheet read as ``layout``; None when it cannot be read so


@dataclass
class WorkbookData:
    path: Path
    meta: Meta | None
    sheets: list[SheetData]
    other_sheets: list[str]
    copies: list[FormCopy] = field(default_factory=list)  # sheets not in the metadata recognised as a form

    def sheets_of(self, form: str) -> list[SheetData]:
        return [s for s in self.sheets if s.layout.form == form]

    @property
    def form(self) -> str:
        if self.meta:
            return self.meta.form
        forms = {s.layout.form for s in self.sheets}
        return forms.pop() if len(forms) == 1 else PAKET_TRIWULAN


# --- cell helpers ------------------------------------------------------------

def _norm(text: Any) -> str:
    s = " ".join(str(text or "").split()).casefold()
    if s[:1].isdigit():
        s = re.sub(r"^\d+\.\s*", "", s)
    return s.rstrip(" :")


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _int_like(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)) and float(v).is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def _date(raw: Any) -> Any:
    """A date from a date cell, an ISO text (Office.js payloads) or an Excel serial number."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 < raw < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
    text = str(raw).strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return text


def _number(raw: Any, hint: Any, bound: float | None) -> tuple[float | None, Parsed]:
    """A number cell's value and parse."""
    p = parse_within(raw, hint, bound)
    return p.value, p


def typed_value(jenis: Jenis, pattern: str | None, raw: Any) -> tuple[Any, Parsed | None]:
    """The typed value of a cell of type ``jenis``."""
    if jenis.numeric:
        return _number(raw, jenis.hint, jenis.batas)  # type: ignore[arg-type]
    return _text_value(jenis, _kode_width(jenis, pattern), raw), None


@functools.lru_cache(maxsize=None)
def _kode_width(jenis: Jenis, pattern: str | None) -> int:
    """The digits a code of ``pattern`` (``^\\d{n}$``) has, restored when a spreadsheet dropped its leading
    zeros; 0 for other columns."""
    m = re.fullmatch(r"\^\\d\{(\d)\}\$", pattern) if jenis is Jenis.KODE and pattern else None
    return int(m.group(1)) if m else 0


def _text_value(jenis: Jenis, width: int, raw: Any) -> Any:
    """A non-numeric cell's value: None when empty, a date, else its text (a code zero-padded to ``width``)."""
    if _is_empty(raw):
        return None
    if jenis is Jenis.TANGGAL:
        return _date(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    return text.zfill(width) if width and text.isdigit() else text


# --- locating ----------------------------------------------------------------

def find_number_row(grid: Grid, numbers: Sequence[int], start: int = 0) -> tuple[int, dict[int, int]] | None:
    """First row at or after ``start`` whose numeric cells read ``numbers`` in order.

    Returns (row index, {number: column index}) with 0-based indices.
    """
    want = list(numbers)
    for r in range(start, len(grid)):
        row = grid[r]
        seen: list[tuple[int, int]] = []
        for j, v in enumerate(row):
            if _is_empty(v):
                continue
            n = _int_like(v)
            if n is None:
                seen = []
                break
            seen.append((n, j))
        if [n for n, _ in seen] == want:
            return r, {n: j for n, j in seen}
    return None


def _columns(table: Table, number_cols: dict[int, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    offset: dict[int, int] = {}
    for c in table.columns:
        base = number_cols[c.number]
        out[c.key] = base + offset.get(c.number, 0)
        offset[c.number] = offset.get(c.number, 0) + c.span
    return out


def _cell(grid: Grid, r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        v = grid[r][c]
        return None if v == "" else v
    return None


def _addr(sheet: str, r: int, c: int) -> str:
    return f"{sheet}!{get_column_letter(c + 1)}{r + 1}"


def _label_index(grid: Grid, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """Where each ``wanted`` label text (normalised) first appears in a sheet's first six columns (row by row):
    {normalised: (r, j)}; the scan ends once every wanted label is found (they head the sheet)."""
    out: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(grid):
        for j, v in enumerate(row[:6]):
            if isinstance(v, str) and v and (n := _norm(v)) in wanted and n not in out:
                out[n] = (r, j)
                if len(out) == len(wanted):
                    return out
    return out


def _read_field(grid: Grid, sheet: str, f: Field, merged_end: dict[tuple[int, int], int],
                labels: dict[str, tuple[int, int]]) -> CellValue | None:
    at = labels.get(_norm(f.label))
    if at is None:
        return None
    r, j = at
    row = grid[r]
    filled = [k for k in range(j + 1, len(row)) if not _is_empty(row[k])]
    vcol = filled[0] if filled else merged_end.get((r, j), j) + 1
    raw = _cell(grid, r, vcol)
    value, parsed = typed_value(f.jenis, f.pattern, raw)
    return CellValue(kode_pilihan(f.pilihan, value), raw, _addr(sheet, r, vcol), parsed)


def _read_table(grid: Grid, sheet: str, table: Table, number_at: int, number_cols: dict[int, int],
                stop: int) -> TableData:
    cols = _columns(table, number_cols)
    inputs = [c for c in table.columns if c.peran is not Peran.TURUNAN] or list(table.columns)
    label_col = cols[table.total.label_key] if table.total else None
    total_label = _norm(table.total.label) if table.total else None
    input_cols = [cols[c.key] for c in inputs]
    derived_cols = [(c.key, cols[c.key]) for c in table.columns if c.peran is Peran.TURUNAN]
    rows: list[int] = []
    derived_only: list[tuple[str, str, Any]] = []
    total_r: int | None = None
    for r in range(number_at + 1, stop):
        if label_col is not None and isinstance(label := _cell(grid, r, label_col), str) and _norm(label) == total_label:
            total_r = r
            break
        if all(_is_empty(_cell(grid, r, j)) for j in input_cols):
            for key, j in derived_cols:  # a derived cell filled in a row without data (typed over, or a formula)
                if not _is_empty(v := _cell(grid, r, j)):  # bounded by the sheet's checked area
                    derived_only.append((key, f"{get_column_letter(j + 1)}{r + 1}", v))
            continue
        rows.append(r)
    below: list[tuple[str, str, Any]] = []
    if total_r is not None:  # the table ends at its Total row: anything typed under it is not counted
        for r in range(total_r + 1, stop):
            for c in table.columns:
                v = _cell(grid, r, cols[c.key])
                if not _is_empty(v) and len(below) < MAX_BELOW_TOTAL:
                    below.append((c.key, f"{get_column_letter(cols[c.key] + 1)}{r + 1}", v))
    data: dict[str, list[Any]] = {c.key: [] for c in table.columns}
    raw: dict[str, list[Any]] = {c.key: [] for c in table.columns}
    cells: dict[str, list[str]] = {c.key: [] for c in table.columns}
    found: dict[str, dict[int, Parsed]] = {}  # per numeric key, the parses worth reporting (see TableData.parsed)
    for c in table.columns:  # column by column: the column's facts looked up once
        j, letter, key, jenis, pattern, pilihan = cols[c.key], get_column_letter(cols[c.key] + 1), c.key, c.jenis, \
            c.pattern, c.pilihan
        values, raws = data[key], raw[key]
        numeric, hint, bound, width = jenis.numeric, jenis.hint, jenis.batas, _kode_width(jenis, pattern)
        noted: dict[int, Parsed] = {}
        for i, r in enumerate(rows):
            row = grid[r] if r < len(grid) else ()
            v = row[j] if j < len(row) else None
            if v == "":
                v = None
            if not numeric:
                value = _text_value(jenis, width, v)
            elif v is None:  # an empty number cell: nothing to report
                value = None
            elif plain(v, bound):
                value = v  # most cells: parse_within would give the number itself, nothing to report
            else:
                p = parse_within(v, hint, bound)
                value = p.value
                if p.status != "angka" or p.ambigu:
                    noted[i] = p
            values.append(kode_pilihan(pilihan, value) if pilihan else value)
            raws.append(v)
        if noted:
            found[key] = noted
        cells[key] = [f"{letter}{r + 1}" for r in rows]
    parsed = {(i, key): noted[i] for i in range(len(rows)) for key, noted in found.items() if i in noted}
    total = None
    if total_r is not None and table.total:
        total = {}
        for key in table.total.rules:
            c = table.column(key)
            v = _cell(grid, total_r, cols[key])
            value, p = typed_value(c.jenis, c.pattern, v)
            total[key] = CellValue(value, v, _addr(sheet, total_r, cols[key]), p)
    frame = pd.DataFrame({c.key: _floats(data[c.key]) if c.jenis.numeric else _objects(data[c.key])
                          for c in table.columns},
                         columns=[c.key for c in table.columns])
    return TableData(
        table=table, sheet=sheet, number_row=number_at + 1, rows=[r + 1 for r in rows], values=frame,
        parsed=parsed, total=total, total_row=None if total_r is None else total_r + 1,
        col_index={k: v + 1 for k, v in cols.items()}, cell_lists=cells, raw_lists=raw, below_total=below,
        derived_only=derived_only,
    )


def _floats(values: list[Any]) -> np.ndarray:
    """A numeric column: its typed values as float64 (None and anything else not a number: NaN)."""
    try:
        return np.array(values, dtype="float64")
    except (TypeError, ValueError):
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype="float64")


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _merged_end(sheet_obj: Any) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    try:
        for (r0, c0), (_r1, c1) in sheet_obj.merged_cell_ranges or ():
            out[(r0, c0)] = c1
    except Exception:  # merged ranges are a convenience; older files may lack them
        pass
    return out


def read_sheet(grid: Grid, name: str, layout: Layout, kegiatan: str = "",
               merged_end: dict[tuple[int, int], int] | None = None,
               signature: dict[str, tuple[int, int]] | None = None) -> SheetData:
    """Read one sheet laid out as ``layout``; raises :class:`BacaGagal` if a table is missing."""
    merged_end = merged_end or {}
    fields = {}
    labels = _label_index(grid, {_norm(f.label) for f in layout.fields}) if layout.fields else {}
    for f in layout.fields:
        cv = _read_field(grid, name, f, merged_end, labels)
        if cv is not None:
            fields[f.key] = cv
    found: list[tuple[Table, int, dict[int, int]]] = []
    start = 0
    for t in layout.tables:
        hit = find_number_row(grid, t.numbers, start)
        if hit is None:
            raise BacaGagal(
                f"Lembar '{name}': baris nomor kolom tabel {t.title or layout.nama} "
                f"({', '.join(map(str, t.numbers[:3]))}, …, {t.numbers[-1]}) tidak ditemukan. "
                "Gunakan templat kinerja dan jangan ubah baris nomor kolom."
            )
        found.append((t, hit[0], hit[1]))
        start = hit[0] + 1
    if not signature and found:  # the defined names were lost (copied sheet, other spreadsheet): find the block
        signature = _tail_signature(grid, layout, found[-1][1])
    sig_rows = sorted(r for r, _ in (signature or {}).values())
    tables = {}
    for k, (t, at, ncols) in enumerate(found):
        if k + 1 < len(found):
            nxt_t, nxt_at, _ = found[k + 1]
            stop = nxt_at - nxt_t.levels - (1 if nxt_t.title else 0)
        else:
            stop = sig_rows[0] if sig_rows and sig_rows[0] > at else len(grid)
        tables[t.key] = _read_table(grid, name, t, at, ncols, stop)
        tables[t.key].area_end = (tables[t.key].total_row or stop + 1) - 1
    sig = {}
    for f in layout.signature:
        if signature and f.key in signature:
            r, c = signature[f.key]
            raw = _cell(grid, r, c)
            sig[f.key] = CellValue(typed_value(f.jenis, None, raw)[0], raw, _addr(name, r, c))
    heading = tuple(v for row in grid[:HEADING_ROWS] for v in row if isinstance(v, str))
    return SheetData(name, layout, kegiatan, fields, tables, sig, heading=heading)


def _tail_signature(grid: Grid, layout: Layout, after: int) -> dict[str, tuple[int, int]]:
    """The signature block under the last table (number row ``after``) when no defined names mark it.

    The block as the template lays it: its lines at their offsets (0, 1, 5) in the signature column (each
    line's label left of it counts as the line), nothing else in those rows or between them, under at least
    two empty rows, and nothing below it.
    Returns {} when the bottom of the sheet does not look like that (then nothing is taken away).
    """
    if not layout.signature:
        return {}
    from workbooks.placement import place

    sp = place(layout)
    col = sp.signature_col - 1
    first = min(sp.signature_rows.values())
    offsets = {f.key: sp.signature_rows[f.key] - first for f in layout.signature}

    labels = {_norm(f.label) for f in layout.signature}  # the template's prompts left of the lines

    def filled(r: int) -> list[int]:
        """Columns filled in row ``r``; a line's label counts as its line (the block of a blank form is found)."""
        if not 0 <= r < len(grid):
            return []
        return sorted({col if j == col - 1 and _norm(v) in labels else j
                       for j, v in enumerate(grid[r]) if not _is_empty(v)})

    last = next((r for r in range(len(grid) - 1, after, -1) if filled(r)), None)
    if last is None or filled(last) != [col]:
        return {}
    height = max(offsets.values()) + 1
    for off in sorted(set(offsets.values()), reverse=True):
        s = last - off
        if s - 2 <= after or filled(s - 1) or filled(s - 2):
            continue
        if all(filled(r) in ([], [col]) and (r - s in offsets.values() or not filled(r)) for r in range(s, s + height)):
            return {key: (s + o, col) for key, o in offsets.items()}
    return {}


# --- workbook ----------------------------------------------------------------

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xml(z: zipfile.ZipFile, part: str) -> Any:
    """A small package part parsed with defusedxml (DTDs and entities refused)."""
    return DefusedET.fromstring(z.read(part), forbid_dtd=True)


def _col_number(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return col


def _defined_names(root: Any, sheet_names: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet-scoped defined names pointing at one cell: {sheet: {name: (row, col)}} (0-based)."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for dn in root.iterfind(".//m:definedNames/m:definedName", _NS):
        local = dn.get("localSheetId")
        m = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]{1,3})\$?(\d{1,7})", (dn.text or "").strip())
        if local is None or not local.isdigit() or not m or int(local) >= len(sheet_names):
            continue
        out.setdefault(sheet_names[int(local)], {})[dn.get("name", "")] = (int(m.group(3)) - 1,
                                                                           _col_number(m.group(2)) - 1)
    return out


_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*?)(/?)>')
_FILLED = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"(?:[^>]*[^/>])?>')  # a cell tag that is not self-closing
_FORMULA_TAG = re.compile(rb'<f( [^>]*?)?(?:/>|>([^<]*)</f>)')  # a formula element, text without markup
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/>")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_FORMULA = re.compile(rb"<f(\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_SHARED = re.compile(rb'\bsi="(\d+)"')


def _sheet_files(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part inside the package."""
    root = _xml(z, "xl/workbook.xml")
    rels = _xml(z, "xl/_rels/workbook.xml.rels")
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sh in root.iterfind(".//m:sheets/m:sheet", _NS):
        t = target.get(sh.get(_RID), "")
        out[sh.get("name", "")] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return out


@dataclass
class CellScan:
    """What calamine does not tell: error values, formulas and the area the filled cells span (0-based)."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # formula text, without "="
    rows: int = 0  # filled cells reach this many rows …
    cols: int = 0  # … and columns
    last: str = ""  # the farthest filled cell, for messages
    merge_rows: int = 0  # merged ranges reach this many rows …
    merge_cols: int = 0  # … and columns
    merge_last: str = ""  # the farthest merged range, for messages


def scan_sheet(xml: bytes) -> CellScan:
    """Scan a worksheet part's cells (shared formulas translated to each cell).

    One ``findall`` over the filled cell tags gives the area they span; formulas (:func:`_formulas`) and
    error values are found from their own tags. A large sheet of plain values scans in about a second.
    """
    scan = CellScan()
    filled = _FILLED.findall(xml)
    width = {ls: _col_number(ls.decode()) for ls in {ls for ls, _ in filled}}  # column letters -> number
    if filled:
        numbers = [int(r) for _, r in filled]
        top = max(numbers)
        far_row = filled[numbers.index(top)]
        widest = max(width, key=width.__getitem__)
        far_col = next(lr for lr in filled if lr[0] == widest)  # the first cell of the widest column
        scan.rows, scan.cols = top, width[far_col[0]]
        far = far_col if width[far_col[0]] * int(far_col[1]) > width[far_row[0]] * int(far_row[1]) else far_row
        scan.last = (far[0] + far[1]).decode()
    shared: dict[bytes, tuple[str, str]] = {}  # si -> (formula text, origin cell)
    pending: list[tuple[tuple[int, int], str, bytes]] = []

    def at(letters: bytes, row: bytes) -> tuple[int, int]:  # 0-based (row, column)
        if letters not in width:  # not a filled cell's column (a malformed part)
            width[letters] = _col_number(letters.decode())
        return int(row) - 1, width[letters] - 1

    for letters, row, fattrs, raw in _formulas(xml):
        rc = at(letters, row)
        r = rc[0] + 1
        scan.formulas.add(rc)
        text = _unescaped(raw)
        si = _SHARED.search(fattrs) if b"shared" in fattrs else None
        if text:
            scan.texts[rc] = text
            if si:
                shared[si.group(1)] = (text, f"{letters.decode()}{r}")
        elif si:
            pending.append((rc, f"{letters.decode()}{r}", si.group(1)))
    for letters, row, body in _cells_with(xml, b't="e"'):
        rc = at(letters, row)
        v = re.search(rb"<v>([^<]*)</v>", body)
        scan.errors[rc] = v.group(1).decode("utf-8", "replace") if v else "#VALUE!"
    for m in _MERGE.finditer(xml) if b"<mergeCell" in xml else ():
        r1, c1 = int(m.group(4)), _col_number(m.group(3).decode())
        if r1 > scan.merge_rows or c1 > scan.merge_cols:
            scan.merge_rows, scan.merge_cols = max(r1, scan.merge_rows), max(c1, scan.merge_cols)
            scan.merge_last = (m.group(1) + m.group(2) + b":" + m.group(3) + m.group(4)).decode()
    for rc, at, si in pending:
        if si in shared:
            text, origin = shared[si]
            try:
                scan.texts[rc] = Translator("=" + text, origin).translate_formula(at)[1:]
            except Exception:  # noqa: BLE001 - an untranslatable shared formula counts as unknown text
                scan.texts[rc] = ""
    return scan


def _unescaped(raw: bytes) -> str:
    """An element's text with its character references resolved (html.unescape, whose cost is per
    reference, only where more than XML's predefined entities remain)."""
    text = raw.decode("utf-8", "replace")
    if "&" not in text:
        return text
    fast = text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
    return fast.replace("&amp;", "&") if "&" not in fast.replace("&amp;", "") else html.unescape(text)


def _formulas(xml: bytes) -> list[tuple[bytes, bytes, bytes, bytes]]:
    """(column letters, row, ``<f>`` attributes, raw text) of every formula cell, by tag kind (``<f>``,
    ``<f ...>``, ``<f/>``), each kind in document order.

    Each formula element is found by its own tag, its cell from the cell tag that ends where it starts (the
    schema's order: f, v, is). A part where that does not account for every formula tag (a formula after
    the cell's value, markup inside the formula) is scanned tag by tag, cell by cell."""
    found: dict[bytes, list[tuple[bytes, bytes, bytes, bytes]]] = {tag: [] for tag in _FORMULA_TAGS}
    for m in _FORMULA_TAG.finditer(xml):
        at = m.start()
        start = xml.rfind(b"<c ", 0, at)
        cell = _CELL.match(xml, start) if start >= 0 else None
        if cell is None or cell.end() != at or cell.group(4):
            break
        attrs, text = m.group(1), m.group(2)
        kind = b"<f " if attrs is not None else (b"<f>" if text is not None else b"<f/>")
        found[kind].append((cell.group(1), cell.group(2), attrs or b"", text or b""))
    else:
        if sum(map(len, found.values())) == sum(xml.count(tag) for tag in _FORMULA_TAGS):
            return [f for tag in _FORMULA_TAGS for f in found[tag]]
    out = []
    for tag in _FORMULA_TAGS:
        for letters, r, body in _cells_with(xml, tag):
            fm = _FORMULA.search(body)
            out.append((letters, r, (fm.group(1) or b"") if fm else b"", (fm.group(2) or b"") if fm else b""))
    return out


def _cells_with(xml: bytes, tag: bytes) -> Iterator[tuple[str, int, bytes]]:
    """(column letters, row, content) of each filled cell holding ``tag``, in document order."""
    at = xml.find(tag)
    while at >= 0:
        start = xml.rfind(b"<c ", 0, at)
        m = _CELL.match(xml, start) if start >= 0 else None
        end = xml.find(b"</c>", at)
        at = xml.find(tag, at + 1)
        if m is None or m.group(4) or end < 0:
            continue
        yield m.group(1), m.group(2), xml[m.end(): end]


def package_part(name: str) -> bool:
    """The parts the reader reads itself (the workbook, its relations, the worksheets)."""
    return name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels") or (
        name.startswith("xl/worksheets/") and name.endswith(".xml") and name.count("/") == 2)


class _Package:
    """The worksheet parts of a checked file, each scanned once on first use.

    ``content``: the parts :func:`package_part` names, as :func:`workbooks.package.check_package` returned them
    (the archive is then not opened again); None: read from the file.
    """

    def __init__(self, path: Path, content: dict[str, bytes | None] | None = None):
        self.path = path
        self.content = content
        with _zip(path, content) as z:
            self.parts = _sheet_files(z)
            self.present = set(z.namelist())
        self._scans: dict[str, CellScan] = {}

    def scan(self, sheet: str) -> CellScan:
        if sheet not in self._scans:
            part = self.parts.get(sheet, "")
            if part not in self.present:
                raise BacaGagal(f"{shown(self.path.name)}: bagian lembar '{sheet}' ({part or 'tanpa alamat'}) tidak ada "
                                "dalam berkas; berkas rusak atau tidak lengkap. Simpan ulang dari Excel.")
            with _zip(self.path, self.content) as z:
                self._scans[sheet] = scan_sheet(z.read(part))
        return self._scans[sheet]

    def all(self) -> dict[str, CellScan]:
        return {n: self.scan(n) for n in self.parts}


class _Parts:
    """A checked package read like a zip archive: the parts the check kept from memory (those
    :func:`package_part` names), any other from the file."""

    def __init__(self, path: Path, content: dict[str, bytes | None]):
        self.path, self.content = path, content

    def __enter__(self) -> _Parts:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def namelist(self) -> list[str]:
        return list(self.content)

    def read(self, name: str) -> bytes:
        data = self.content[name]  # KeyError for a part the archive lacks, as zipfile raises
        if data is not None:
            return data
        with zipfile.ZipFile(self.path) as z:  # a part outside package_part (a target the rels point elsewhere)
            return z.read(name)


def _zip(path: Path, content: dict[str, bytes | None] | None) -> Any:
    return zipfile.ZipFile(path) if content is None else _Parts(path, content)


def _scan_cells(path: Path) -> dict[str, CellScan]:
    try:
        return _Package(path).all()
    except (KeyError, zipfile.BadZipFile, DefusedET.ParseError, DefusedXmlException, OSError, ValueError, BacaGagal):
        return {}


def _error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Cells holding an Excel error value (#DIV/0! …), which calamine reads as empty."""
    return {name: scan.errors for name, scan in _scan_cells(path).items()}


def _with_errors(grid: Grid, errors: dict[tuple[int, int], str] | None) -> Grid:
    for (r, c), v in (errors or {}).items():
        if r < len(grid) and c < len(grid[r]):
            grid[r][c] = v
    return grid


def identify(grid: Grid) -> Layout | None:
    """Recognise a sheet without metadata by its numbered column rows and header texts."""
    best, best_score = None, 0
    for lay in LAYOUTS.values():
        start, score = 0, 0
        for t in lay.tables:
            hit = find_number_row(grid, t.numbers, start)
            if hit is None:
                score = 0
                break
            at = hit[0]
            above = {_norm(v) for row in grid[max(0, at - t.levels): at] for v in row if isinstance(v, str)}
            headers = {_norm(h) for c in t.columns for h in c.headers if h and "{" not in h}
            score += len(t.numbers) + 3 * len(above & headers)
            start = at + 1
        if score > best_score:
            best, best_score = lay, score
    return best


# Library messages (python-calamine, quick-xml, zip) → Indonesian reasons; the library text never reaches users.
_REASONS = (
    ("unrecognized entity", "memuat entitas XML yang tidak dikenal"),
    ("character reference", "memuat rujukan karakter yang tidak sah (mis. &#xD800;)"),
    ("utf-8", "memuat teks yang bukan UTF-8 yang sah"),
    ("utf8", "memuat teks yang bukan UTF-8 yang sah"),
    ("decode", "memuat teks dengan pengodean yang tidak sah"),
    ("range", "memuat rujukan sel atau rentang gabungan (merge) yang tidak sah"),
    ("dimension", "memuat rujukan sel atau rentang gabungan (merge) yang tidak sah"),
    ("cell", "memuat rujukan sel yang tidak sah"),
    ("worksheetnotfound", "lembarnya tidak ada dalam berkas"),
    ("not found", "bagian yang diperlukan tidak ada dalam berkas"),
    ("zip", "arsip zip rusak"),
    ("eocd", "arsip zip terpotong"),
    ("crc", "checksum CRC tidak cocok"),
    ("password", "dilindungi kata sandi"),
    ("encrypt", "dilindungi kata sandi"),
    ("cfb", "dilindungi kata sandi atau format Excel lama"),
    ("xml", "struktur XML rusak"),
)


def alasan(exc: BaseException) -> str:
    """An Indonesian reason for a library error (never its English text)."""
    text = f"{type(exc).__name__} {exc}".casefold()
    return next((why for key, why in _REASONS if key in text), "isinya rusak atau tidak sesuai format .xlsx")


def open_workbook(path: Path) -> CalamineWorkbook:
    try:
        if not _utf8(str(path)):  # an undecodable file name: calamine takes UTF-8 paths only
            with open(path, "rb") as fh:
                return CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for unreadable files
        msg = str(exc).lower()
        if "password" in msg or "encrypt" in msg or "cfb" in msg:
            raise BacaGagal(f"{shown(path.name)}: berkas dilindungi kata sandi; buka proteksinya lalu simpan ulang.") from exc
        raise BacaGagal(f"{shown(path.name)}: bukan berkas Excel (.xlsx/.xlsm) yang dapat dibaca ({alasan(exc)}).") from exc


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def grid_of(wb: CalamineWorkbook, name: str) -> Grid:
    return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


class _Sheets:
    """Each calamine sheet parsed once (its values and its merged ranges come from the same parse)."""

    def __init__(self, wb: CalamineWorkbook):
        self.wb = wb
        self._parsed: dict[str, Any] = {}

    def __call__(self, name: str) -> Any:
        if name not in self._parsed:
            self._parsed[name] = self.wb.get_sheet_by_name(name)
        return self._parsed[name]


@dataclass
class Source:
    """Where sheets come from: a file read with calamine, or the grids an Excel front end sent."""

    name: str  # file name, for messages
    sheet_names: list[str]
    grid: Any  # Callable[[str], Grid]
    merged: Any = None  # Callable[[str], dict] | None
    signatures: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    formulas: dict[str, set[tuple[int, int]]] | None = None  # None: unknown (values only)
    formula_texts: Any = None  # Callable[[str], dict[(row, col), str]] | None: formula text without "="


def _check_area(path: Path, pkg: _Package, name: str, form: bool = True, limits: Limits = LIMITS) -> CellScan:
    """Refuse a sheet whose filled cells or merged ranges reach beyond the limits (before anything allocates).

    ``form``: the sheet is read as a form (rows, columns and area bounded); otherwise only its area is.
    """
    scan = pkg.scan(name)
    n = lambda x: f"{x:,}".replace(",", ".")  # noqa: E731
    area = scan.rows * scan.cols
    if not form:
        merged = scan.merge_rows * scan.merge_cols
        if max(area, merged) > limits.any_sheet_cells:
            raise BacaGagal(
                f"{shown(path.name)}: lembar '{name}' berisi sel terisi atau gabungan sel sampai "
                f"{scan.last if area >= merged else scan.merge_last}, area {n(max(area, merged))} sel, melebihi batas "
                f"{n(limits.any_sheet_cells)} sel. Hapus isian atau gabungan sel yang tersasar lalu simpan ulang."
            )
        return scan
    if scan.rows > limits.sheet_rows or scan.cols > limits.sheet_cols or area > limits.sheet_cells:
        raise BacaGagal(
            f"{shown(path.name)}: lembar '{name}' berisi sel terisi sampai {scan.last} ({n(scan.rows)} baris × "
            f"{n(scan.cols)} kolom), melebihi batas yang dibaca kinerja ({n(limits.sheet_rows)} baris, "
            f"{n(limits.sheet_cols)} kolom, {n(limits.sheet_cells)} sel). Hapus isian yang tersasar di luar form, "
            "atau bagi datanya ke beberapa berkas, lalu simpan ulang."
        )
    if scan.merge_rows > limits.sheet_rows or scan.merge_cols > limits.sheet_cols:
        raise BacaGagal(
            f"{shown(path.name)}: lembar '{name}' memuat sel gabungan (merge) {scan.merge_last} yang melampaui batas "
            f"yang dibaca kinerja ({n(limits.sheet_rows)} baris, {n(limits.sheet_cols)} kolom). Hapus gabungan sel "
            "itu lalu simpan ulang."
        )
    return scan


def _guarded_grid(path: Path, sheets: _Sheets, pkg: _Package, name: str) -> Grid:
    """A sheet's grid, after checking the area its filled cells span (a stray far cell must not allocate)."""
    scan = _check_area(path, pkg, name)
    try:
        return _with_errors(sheets(name).to_python(skip_empty_area=False), scan.errors)
    except BacaGagal:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine/quick-xml errors, translated
        raise BacaGagal(f"{shown(path.name)}: lembar '{name}' ({pkg.parts.get(name, '')}) tidak dapat dibaca: "
                        f"{alasan(exc)}. Simpan ulang berkas dari Excel atau pindahkan isinya ke templat kinerja.") from exc


def _guarded_merged(path: Path, sheets: _Sheets, pkg: _Package, name: str) -> dict[tuple[int, int], int]:
    _check_area(path, pkg, name)  # the parse is shared with the grid: never before the area is checked
    try:
        return _merged_end(sheets(name))
    except Exception as exc:  # noqa: BLE001 - calamine errors, translated
        raise BacaGagal(f"{shown(path.name)}: lembar '{name}' tidak dapat dibaca: {alasan(exc)}.") from exc


def file_source(path: Path, content: dict[str, bytes | None] | None = None) -> Source:
    """A checked file (see :func:`workbooks.package.check_package`, whose kept ``content`` spares opening the
    archive again) as a :class:`Source`."""
    wb = open_workbook(path)
    try:
        pkg = _Package(path, content)
        with _zip(path, content) as z:
            signatures = _defined_names(_xml(z, "xl/workbook.xml"), list(pkg.parts))
    except (KeyError, zipfile.BadZipFile, DefusedET.ParseError, DefusedXmlException, ValueError) as exc:
        raise BacaGagal(f"{shown(path.name)}: daftar lembar (xl/workbook.xml) tidak dapat dibaca: {alasan(exc)}.") from exc
    names = list(wb.sheet_names)
    sheets = _Sheets(wb)
    for n in pkg.parts:  # every sheet, read or not: whatever opens the file later (openpyxl) allocates them all
        _check_area(path, pkg, n, form=False)
    return Source(
        name=shown(path.name), sheet_names=names,
        grid=lambda n: _guarded_grid(path, sheets, pkg, n),
        merged=lambda n: _guarded_merged(path, sheets, pkg, n),
        signatures={n: signatures[n] for n in names if n in signatures},
        formulas=_LazyFormulas(pkg),  # type: ignore[arg-type]
        formula_texts=lambda n: pkg.scan(n).texts,
    )


class _LazyFormulas(dict):
    """{sheet: formula cells}, scanning a sheet only when asked."""

    def __init__(self, pkg: _Package):
        super().__init__()
        self.pkg = pkg

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self.pkg.scan(name).formulas
        except BacaGagal:
            return default


def cell_index(address: str) -> tuple[int, int]:
    """'$M$58' → (57, 12), 0-based."""
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address.strip().split("!")[-1])
    if not m:
        raise ValueError(address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1


def grid_source(name: str, grids: dict[str, Grid], names: dict[str, dict[str, str]] | None = None) -> Source:
    """Sheets given as value grids (e.g. the book JSON Office.js sends to the add-in).

    ``names``: sheet-scoped defined names per sheet ({sheet: {name: "$M$58"}}), which locate the
    signature block as the file reader does.
    """
    sig = {sheet: {k: cell_index(a) for k, a in d.items()} for sheet, d in (names or {}).items()}
    return Source(name=name, sheet_names=list(grids), grid=lambda n: [list(r) for r in grids[n]], signatures=sig)


def read_workbook(path: str | Path, forms: Iterable[str] | None = None) -> WorkbookData:
    """Read every form sheet of a kinerja workbook file (or a recognisable foreign one)."""
    path = Path(path)
    if not path.exists():
        raise BacaGagal(f"{shown(path)}: berkas tidak ditemukan.")
    if not path.is_file():
        raise BacaGagal(f"{shown(path)}: bukan berkas biasa (folder atau perangkat).")
    try:
        content = check_package(path, keep=package_part)
    except PackageError as exc:
        raise BacaGagal(f"{shown(path.name)}: {exc}") from exc
    try:
        return read_source(file_source(path, content), path, forms)
    except BacaGagal:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file triggers is one message, never a traceback
        raise BacaGagal(f"{shown(path.name)}: berkas tidak dapat dibaca sebagai form kinerja ({alasan(exc)}).") from exc


def shown(name: object) -> str:
    """A file name fit for messages: undecodable bytes and control characters shown as escapes."""
    text = str(name)
    return "".join(ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else f"\\x{ord(ch) & 0xFF:02x}"
                   for ch in text)


def read_source(src: Source, path: Path | None = None, forms: Iterable[str] | None = None) -> WorkbookData:
    """Read the form sheets of ``src`` by its metadata, else by recognising numbered column rows."""
    from workbooks.forms import LAYOUT_VERSION, layout_changed_since

    names = src.sheet_names
    try:
        meta = Meta.from_rows(src.grid(META_SHEET)) if META_SHEET in names else None
    except MetaTidakSah as exc:
        raise BacaGagal(f"{src.name}: metadata kinerja (lembar tersembunyi {META_SHEET}) tidak sah: {exc}. "
                        "Buat ulang berkas dari templat kinerja.") from exc
    if meta is not None and meta.form not in LAYOUTS and meta.form not in (PAKET_TRIWULAN, ROLLUP_FORM):
        raise BacaGagal(f"{src.name}: jenis form '{meta.form[:40]}' pada metadata tidak dikenal. "
                        "Buat ulang berkas dari templat kinerja.")
    if meta is not None and meta.form == ROLLUP_FORM and not meta.sheets:
        raise BacaGagal(f"{src.name}: metadata mengaku hasil konsolidasi tetapi tidak mencantumkan lembarnya.")
    wanted = set(forms) if forms else None
    sheets: list[SheetData] = []

    def parse(name: str, lay: Layout, kegiatan: str, grid: Grid | None = None) -> SheetData:
        """The sheet ``name`` read as ``lay`` (all a copied form sheet needs)."""
        return read_sheet(grid if grid is not None else src.grid(name), name, lay, kegiatan,
                          src.merged(name) if src.merged else None, src.signatures.get(name))

    def read(name: str, lay: Layout, kegiatan: str, grid: Grid | None = None) -> SheetData:
        """A form sheet: messages name the file, formulas as the source knows them."""
        try:
            sd = parse(name, lay, kegiatan, grid)
        except BacaGagal as exc:  # name the file in every message
            older = ""
            if meta is not None and layout_changed_since(meta.versi, lay.form):
                older = (f" Berkas ini dibuat dengan templat versi {meta.versi} (kinerja memakai versi "
                         f"{LAYOUT_VERSION}): pindahkan isinya ke templat baru (`kinerja templat`).")
            if str(exc).startswith(src.name) and not older:
                raise
            named = str(exc) if str(exc).startswith(src.name) else f"{src.name}: {exc}"
            raise BacaGagal(f"{named}{older}") from exc
        if src.formulas is not None:
            sd.formulas = {f"{get_column_letter(c + 1)}{r + 1}" for r, c in src.formulas.get(name, set())}
        if src.formula_texts is not None:
            sd.formula_text = {f"{get_column_letter(c + 1)}{r + 1}": t for (r, c), t in src.formula_texts(name).items()}
        return sd

    if meta is not None:
        if meta.versi and meta.versi.split(".")[0] != LAYOUT_VERSION.split(".")[0]:
            raise BacaGagal(
                f"{src.name}: dibuat dengan versi layout {meta.versi}, sedangkan kinerja memakai versi "
                f"{LAYOUT_VERSION}. Pindahkan isinya ke templat baru (`kinerja templat`)."
            )
        infos = meta.sheets or _default_infos(meta, names)
        listed = {i.sheet for i in infos}
        for info in infos:
            if info.form not in LAYOUTS:
                raise BacaGagal(f"{src.name}: jenis form '{info.form}' tidak dikenal.")
            if info.sheet not in names:
                found = [n for n, lay, _ in _recognised(src, [n for n in names if n not in listed])
                         if lay.form == info.form]
                renamed = found[0] if len(found) == 1 else None  # which of several is not guessed
                raise BacaGagal(
                    f"{src.name}: lembar '{info.sheet}' ({LAYOUTS[info.form].nama}) tidak ada; " + (
                        f"lembar '{renamed}' tampaknya lembar itu yang diganti nama. Kembalikan namanya menjadi "
                        f"'{info.sheet}'." if renamed else
                        "lembar ini mungkin diganti nama atau dihapus. Kembalikan nama lembarnya.")
                )
            if wanted and info.form not in wanted:
                continue
            sheets.append(read(info.sheet, LAYOUTS[info.form], info.kegiatan))
        other = [n for n in names if n not in listed and not n.startswith("_")]
        copies = []  # a rollup's own sheets are not submissions: none of them is a copy
        for name, lay, grid in _recognised(src, other) if meta.form != ROLLUP_FORM else ():
            if wanted and lay.form not in wanted:
                continue
            try:
                copied = parse(name, lay, "", grid)
            except Exception:  # noqa: BLE001 - a copy that cannot be read as its form is still reported, unread
                copied = None
            copies.append(FormCopy(name, lay, copied))
        return WorkbookData(path or Path(src.name), meta, sheets, other, copies)
    other = []
    for name in names:
        if name.startswith("_"):
            continue
        grid = src.grid(name)
        lay = identify(grid)
        if lay is None or (wanted and lay.form not in wanted):
            other.append(name)
            continue
        sheets.append(read(name, lay, "", grid))
    if not sheets:
        raise BacaGagal(f"{src.name}: bukan form kinerja (tidak ada lembar metadata maupun baris nomor kolom "
                        "form yang dikenal).")
    return WorkbookData(path or Path(src.name), None, sheets, other)


def _recognised(src: Source, names: list[str]) -> list[tuple[str, Layout, Grid]]:
    """(name, layout, grid) of each sheet of ``names`` recognised as a form by its numbered column rows
    (:func:`identify`); hidden kinerja sheets (``_``) and unreadable sheets are skipped."""
    found = []
    for name in names:
        if name.startswith("_"):
            continue
        try:
            grid = src.grid(name)
            lay = identify(grid)
        except Exception:  # noqa: BLE001 - an unreadable sheet is no form; the caller reports what it must
            continue
        if lay is not None:
            found.append((name, lay, grid))
    return found


def _default_infos(meta: Meta, names: list[str]) -> tuple[SheetInfo, ...]:
    if meta.form == PAKET_TRIWULAN:
        return tuple(SheetInfo(LAYOUTS[f].sheet, f) for f in PAKET_FORMS)
    return (SheetInfo(LAYOUTS[meta.form].sheet, meta.form),)
