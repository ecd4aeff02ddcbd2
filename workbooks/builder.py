"""Template builder: a layout becomes a sheet that looks like the official form.

Title block, "label : value" fields, merged multi-level headers, the numbered
column row, input cells unlocked and shaded, derived cells locked with
formulas, data validation, sheet protection without a password, print set-up
and the signature block. A hidden metadata sheet identifies the workbook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from workbooks.forms import LAYOUT_VERSION, LAYOUTS, PAKET_FORMS, PAKET_TRIWULAN
from workbooks.masters import LISTS, OPSI, ROMAWI, label_pilihan
from workbooks.meta import META_SHEET, Meta, SheetInfo
from workbooks.model import Column, Field, Jenis, Layout, Peran, Rule
from workbooks.placement import SheetPlace, TablePlace, place
from workbooks.rules import formula
from workbooks.teks import put

LIST_SHEET = "_daftar"
FILL_INPUT = PatternFill("solid", fgColor="FFF2CC")
FILL_DERIVED = PatternFill("solid", fgColor="EDEDED")
FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_C = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_L = Alignment(horizontal="left", vertical="top", wrap_text=True)
NUM_R = Alignment(horizontal="right", vertical="top")
CODE_C = Alignment(horizontal="center", vertical="top", wrap_text=True)

# "_)" leaves a little room after a right-aligned number, so it never runs into the text of the next cell
NUMBER_FORMATS = {
    Jenis.RP: '#,##0_);-#,##0_);"-"_)',
    Jenis.RP000: '#,##0_);-#,##0_);"-"_)',
    Jenis.CACAH: '#,##0_);-#,##0_);"-"_)',
    Jenis.PERSEN: '0.00_);-0.00_);"-"_)',
    Jenis.ANGKA: "General",
    Jenis.TANGGAL: "DD/MM/YYYY",
}


@dataclass(frozen=True)
class Typed:
    """A value typed over a formula cell (as people do), kept as a value."""

    value: Any


@dataclass
class SheetValues:
    """Values to write into a sheet: fields, table rows, signature lines."""

    fields: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    totals: dict[str, dict[str, Any]] = field(default_factory=dict)  # only Typed values are honoured


def context(meta: Meta) -> dict[str, str]:
    return {
        "tahun": "" if meta.tahun is None else str(meta.tahun),
        "triwulan_romawi": ROMAWI.get(meta.triwulan or 0, ""),
        "satker_nama": meta.satker_nama.upper(),
        "satker": meta.satker,
    }


def _fmt(text: str, ctx: Mapping[str, str]) -> str:
    return text.format_map(ctx).strip() if "{" in text else text


def _style_value(cell, jenis: Jenis, peran: Peran) -> None:
    cell.border = BORDER
    cell.number_format = NUMBER_FORMATS.get(jenis, "@" if jenis in (Jenis.KODE,) else "General")
    if jenis is Jenis.ANGKA and peran is Peran.TURUNAN:  # a computed index prints as the form does: 3.66
        cell.number_format = "0.00_)"
    cell.alignment = NUM_R if jenis.numeric else WRAP_L
    if jenis is Jenis.ANGKA:  # target/realisasi values (General format) centred, clear of the unit beside them
        cell.alignment = CODE_C
    if peran is Peran.TURUNAN:
        cell.fill = FILL_DERIVED
        cell.protection = Protection(locked=True)
    else:
        cell.fill = FILL_INPUT
        cell.protection = Protection(locked=False)


def _write(cell, value: Any) -> None:
    put(cell, value.value if isinstance(value, Typed) else value)  # data is never a formula


class _Renderer:
    """Turns rule refs into A1 text for one sheet."""

    def __init__(self, sp: SheetPlace):
        self.sp = sp

    def row_ref(self, tp: TablePlace, i: int, ref: str) -> str:
        if ref.startswith("@"):
            return self._field_abs(ref[1:])
        if ref.endswith("[]"):  # a whole column (of this or another table) in a row rule, absolute
            return _absolute(self.col_ref(tp, ref[:-2]))
        if ":" in ref:  # a span of this row: "c9_t1:c13_t5"
            k1, k2 = ref.split(":")
            return f"{tp.cell(k1, i)}:{tp.cell(k2, i)}"
        if "." in ref:
            tkey, key = ref.split(".", 1)
            other = self.sp.tables[tkey]
            return _coded(other.cell(key, i), other.table.column(key).pilihan)
        return _coded(tp.cell(ref, i), tp.table.column(ref).pilihan)

    def col_ref(self, tp: TablePlace | None, ref: str) -> str:
        if ref.startswith("@"):
            return self._field_abs(ref[1:])
        if "." in ref:
            tkey, key = ref.split(".", 1)
            tp = self.sp.tables[tkey]
        assert tp is not None
        if ":" in ref:
            k1, k2 = ref.split(".", 1)[1].split(":")
            return tp.block_range(k1, k2)
        return tp.column_range(ref.split(".")[-1])

    def _field_abs(self, key: str) -> str:
        cell = self.sp.field_cell(key)
        letters = "".join(ch for ch in cell if ch.isalpha())
        return _coded(f"${letters}${cell[len(letters):]}", self.sp.layout.field(key).pilihan)


def _absolute(rng: str) -> str:
    """``B5:B9`` → ``$B$5:$B$9``."""
    return ":".join(re.sub(r"^([A-Z]+)(\d+)$", r"$\1$\2", part) for part in rng.split(":"))


def _coded(ref: str, pilihan: str | None) -> str:
    """A reference to a dropdown cell showing words, as the code the rules compute with (masters.OPSI)."""
    opsi = OPSI.get(pilihan or "")
    if not opsi:
        return ref
    codes = ",".join(f'"{k}"' for k, _ in opsi)
    labels = ",".join(f'"{label}"' for _, label in opsi)
    return f'IF({ref}="","",IFERROR(INDEX({{{codes}}},MATCH({ref},{{{labels}}},0)),{ref}))'


def _header_blocks(columns: Sequence[Column], levels: int) -> list[tuple[int, int, int, int, str]]:
    """Merged header rectangles: (level0, col0, level1, col1, text), 0-based."""
    def hdr(c: Column, l: int) -> str:
        return c.headers[l] if l < len(c.headers) else ""

    def extent(c: Column, l: int) -> int:
        k = l
        while k + 1 < levels and hdr(c, k + 1) == "":
            k += 1
        return k

    blocks = []
    for l in range(levels):
        i = 0
        while i < len(columns):
            c = columns[i]
            text = hdr(c, l)
            if not text:
                i += 1
                continue
            j = i
            while (j + 1 < len(columns) and columns[j + 1].headers[: l + 1] == c.headers[: l + 1]
                   and extent(columns[j + 1], l) == extent(c, l)):
                j += 1
            blocks.append((l, i, extent(c, l), j, text))
            i = j + 1
    return blocks


class _ValidationSet:
    """Collects one DataValidation per distinct rule to keep the file small."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.by_key: dict[tuple, DataValidation] = {}

    def add(self, ref: str, key: tuple, make) -> None:
        dv = self.by_key.get(key)
        if dv is None:
            dv = make()
            self.by_key[key] = dv
            self.ws.add_data_validation(dv)
        dv.add(ref)


def _list_ref(name: str) -> str:
    idx = list(LISTS).index(name)
    col = get_column_letter(idx + 1)
    return f"{quote_sheetname(LIST_SHEET)}!${col}$1:${col}${len(LISTS[name])}"


def _validation(dvs: _ValidationSet, ref: str, jenis: Jenis, lo, hi, pattern: str | None, pilihan: str | None,
                label: str, first_cell: str, strict_list: bool = True) -> None:
    if pilihan:
        dvs.add(ref, ("list", pilihan, strict_list), lambda: DataValidation(
            type="list", formula1=_list_ref(pilihan), allow_blank=True, showErrorMessage=strict_list,
            errorTitle="Pilihan tidak dikenal", error=f"Pilih salah satu isi daftar untuk {label}."))
        return
    if jenis.numeric and (lo is not None or hi is not None):
        lo_, hi_ = lo if lo is not None else -1e15, hi if hi is not None else 1e15
        op = "between"
        dvs.add(ref, ("num", jenis, lo_, hi_), lambda: DataValidation(
            type="whole" if jenis is Jenis.CACAH else "decimal", operator=op, formula1=str(lo_), formula2=str(hi_),
            allow_blank=True, showErrorMessage=True, errorTitle="Nilai di luar rentang",
            error=(f"{label}: isi angka {lo_:g} sampai {hi_:g}." if hi is not None else
                   f"{label}: isi angka tidak negatif.")))
        return
    if pattern:
        n = {"^[A-Z]{3}$": 3, r"^\d{3}$": 3, r"^\d{4}$": 4, r"^\d{6}$": 6, "^[A-Z]{2}$": 2}.get(pattern)
        if n is None:
            return
        rel = first_cell
        dvs.add(ref, ("len", pattern, ref), lambda: DataValidation(
            type="custom", formula1=f'OR({rel}="",LEN({rel})={n})', allow_blank=True, showErrorMessage=True,
            errorTitle="Format kode salah", error=f"{label}: kode harus {n} karakter."))


def _span_cells(ws: Worksheet, tp: TablePlace, c: Column, r: int):
    """The cell of column ``c`` in row ``r``, merged over its span, with borders on every part."""
    c0, c1 = tp.col(c.key), tp.col_end(c.key)
    for j in range(c0, c1 + 1):
        ws.cell(r, j).border = BORDER
    if c1 > c0:
        ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)
    return ws.cell(r, c0)


# --- print geometry: column widths, wrapped lines, row heights --------------------------------------
# Widths are in Excel column units (about one digit of the default font). Text is measured per character
# class, generously enough for LibreOffice's substitute fonts (DejaVu Sans is wider than Calibri).
_NARROW = frozenset("iljtfrI.,:;'!|()[]/- ")
_WIDE = frozenset("mwMW@%")
CELL_PAD = 1.0  # width units a cell loses to its margins
LINE_PT = 13.5  # points per line of wrapped 11 pt text (LibreOffice ~12.8, Excel ~15 but narrower font)


def text_width(text: str, bold: bool = False) -> float:
    """Estimated width of ``text`` on one line, in column units."""
    w = sum(0.6 if ch in _NARROW else 1.55 if ch in _WIDE else 1.2 if ch.isupper() else 1.0 for ch in text)
    return w * (1.1 if bold else 1.0)


def wrapped_lines(text: Any, width: float, bold: bool = False) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in a cell ``width`` units wide."""
    if isinstance(text, Typed):
        text = text.value
    if text is None or text == "":
        return 1
    room = max(width - CELL_PAD, 1.0)
    space = text_width(" ", bold)
    lines = 0
    for para in str(text).split("\n"):
        n, used = 1, 0.0
        for word in para.split():
            w = text_width(word, bold)
            if w > room:  # a word longer than the cell breaks inside (widths are chosen to avoid this)
                n += int(w // room) + (1 if used else 0)
                used = w % room
            elif used and used + space + w > room:
                n, used = n + 1, w
            else:
                used += (space if used else 0.0) + w
        lines += n
    return lines


def _height(lines: int) -> float | None:
    return None if lines <= 1 else LINE_PT * min(lines, 30) + 1.5


def _fit_height(ws: Worksheet, row: int, texts: Sequence[tuple[Any, float]]) -> None:
    """Row height for wrapped text (neither Excel nor LibreOffice auto-fits merged cells)."""
    h = _height(max([wrapped_lines(v, width) for v, width in texts if width], default=1))
    if h is not None:
        ws.row_dimensions[row].height = max(h, ws.row_dimensions[row].height or 0)


class _Widest(dict):
    """Title/header placeholders for measuring when the values are not known: as wide as they get."""

    def __missing__(self, key: str) -> str:
        return "0000"


def column_widths(sp: SheetPlace, ctx: Mapping[str, str] | None = None) -> list[float]:
    """Widths of the sheet's columns: the layout's, widened so that no header word breaks.

    A header merged over several columns needs its longest word to fit in their sum; a shortfall is
    spread evenly over those columns.
    """
    grid = sp.layout.grid
    widths = [c.width for c in grid.columns] if grid else []
    widths += [12.0] * (sp.width - len(widths))
    for tp in sp.tables.values():
        cols = tp.table.columns
        for _, c0, _, c1, text in _header_blocks(cols, tp.table.levels):
            a, b = tp.col(cols[c0].key), tp.col_end(cols[c1].key)
            need = max(text_width(w, bold=True) for w in _fmt(text, _Widest(ctx or {})).split()) + CELL_PAD + 0.5
            have = sum(widths[a - 1: b])
            if have < need:
                for j in range(a - 1, b):
                    widths[j] += (need - have) / (b - a + 1)
    return [round(w, 2) for w in widths]


def _shown(c: Column, given: Mapping[str, Any], i: int, linked: Mapping[str, Sequence[Mapping[str, Any]]]) -> Any:
    """What a data cell shows: its value, or for a copy from another table ("salin") that table's value."""
    v = given.get(c.key)
    if v is None and c.rule is not None and c.rule.fn == "salin" and "." in c.rule.args[0]:
        tkey, key = c.rule.args[0].split(".", 1)
        rows = linked.get(tkey, ())
        v = rows[i].get(key) if i < len(rows) else None
    return label_pilihan(c.pilihan, v) if v is not None else None


def _write_table(ws: Worksheet, sp: SheetPlace, tp: TablePlace, rend: _Renderer, ctx: Mapping[str, str],
                 rows: Sequence[Mapping[str, Any]], totals: Mapping[str, Any], dvs: _ValidationSet,
                 linked: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> None:
    linked = linked or {}
    t = tp.table
    cols = t.columns
    x0, x1 = tp.first_col, tp.first_col + t.ncols - 1
    if tp.title_row:
        ws.cell(tp.title_row, x0, t.title).font = Font(bold=True)
    # headers: merged rectangles over levels and spans
    for l in range(t.levels):
        for j in range(x0, x1 + 1):
            cell = ws.cell(tp.header_row + l, j)
            cell.font = Font(bold=True)
            cell.alignment = WRAP_C
            cell.fill = FILL_HEADER
            cell.border = BORDER
    widths = column_widths(sp, ctx)
    lines = [1] * t.levels
    for l0, c0, l1, c1, text in _header_blocks(cols, t.levels):
        r0, r1 = tp.header_row + l0, tp.header_row + l1
        col0, col1 = tp.col(cols[c0].key), tp.col_end(cols[c1].key)
        ws.cell(r0, col0, _fmt(text, ctx))
        if (r0, col0) != (r1, col1):
            ws.merge_cells(start_row=r0, start_column=col0, end_row=r1, end_column=col1)
        need = wrapped_lines(_fmt(text, ctx), sum(widths[col0 - 1: col1]), bold=True)
        per_row = -(-need // (l1 - l0 + 1))
        for l in range(l0, l1 + 1):
            lines[l] = max(lines[l], int(per_row))
    for l, n in enumerate(lines):
        if n > 1:
            ws.row_dimensions[tp.header_row + l].height = _height(n)
    # numbered column row (merged where one number covers several cells)
    for j in range(x0, x1 + 1):
        cell = ws.cell(tp.number_row, j)
        cell.font = Font(italic=True, size=8)
        cell.alignment = WRAP_C
        cell.border = BORDER
    j = 0
    while j < len(cols):
        k = j
        while k + 1 < len(cols) and cols[k + 1].number == cols[j].number:
            k += 1
        ws.cell(tp.number_row, tp.col(cols[j].key), cols[j].number)
        if tp.col_end(cols[k].key) > tp.col(cols[j].key):
            ws.merge_cells(start_row=tp.number_row, start_column=tp.col(cols[j].key), end_row=tp.number_row,
                           end_column=tp.col_end(cols[k].key))
        j = k + 1
    # data rows
    for i in range(tp.n_rows):
        given = {**(t.prefill[i] if i < len(t.prefill) else {}), **(rows[i] if i < len(rows) else {})}
        r = tp.first_row + i
        _fit_height(ws, r, [(_shown(c, given, i, linked), sum(widths[tp.col(c.key) - 1: tp.col_end(c.key)]))
                            for c in cols if not c.jenis.numeric])
        for c in cols:
            cell = _span_cells(ws, tp, c, r)
            _style_value(cell, c.jenis, c.peran)
            if c.jenis is Jenis.KODE or (c is cols[0] and c.jenis is Jenis.CACAH):  # codes, row numbers
                cell.alignment = CODE_C
            v = given.get(c.key)
            if c.rule is not None and not isinstance(v, Typed):
                cell.value = formula(c.rule, lambda ref: rend.row_ref(tp, i, ref))
            elif v is not None:
                _write(cell, label_pilihan(c.pilihan, v))
    for c in cols:
        if c.peran is not Peran.TURUNAN:
            _validation(dvs, tp.column_range(c.key), c.jenis, c.lo, c.hi, c.pattern, c.pilihan, c.label,
                        tp.cell(c.key, 0))
    # total row
    if tp.total_row and t.total:
        for c in cols:
            cell = _span_cells(ws, tp, c, tp.total_row)
            cell.font = Font(bold=True)
            cell.fill = FILL_DERIVED
            cell.protection = Protection(locked=True)
            cell.number_format = NUMBER_FORMATS.get(c.jenis, "General")
            rule = t.total.rules.get(c.key)
            typed = totals.get(c.key)
            if isinstance(typed, Typed):
                cell.value = typed.value
            elif rule is not None:
                cell.value = formula(rule, lambda ref: rend.col_ref(tp, ref))
            if rule is not None and rule.fn == "nrr":  # a mean of whole answers prints with decimals: 3.62
                cell.number_format = "0.00_)"
        label = ws.cell(tp.total_row, tp.col(t.total.label_key), t.total.label)
        label.alignment = Alignment(horizontal="center")


def _write_field(ws: Worksheet, sp: SheetPlace, f: Field, value: Any, rend: _Renderer, dvs: _ValidationSet) -> None:
    r = sp.field_rows[f.key]
    label = f"{f.number} {f.label}".strip()
    ws.cell(r, 1, f"{label} :")
    if sp.label_span > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=sp.label_span)
    ws.cell(r, 1).alignment = Alignment(vertical="top", wrap_text=True)
    vcol = sp.label_span + 1
    cell = ws.cell(r, vcol)
    if sp.width > vcol:
        ws.merge_cells(start_row=r, start_column=vcol, end_row=r, end_column=sp.width)
    _style_value(cell, f.jenis, f.peran)
    cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=not f.jenis.numeric)
    if f.rule is not None and not isinstance(value, Typed):
        cell.value = formula(f.rule, lambda ref: rend.col_ref(None, ref))
    elif value is not None:
        _write(cell, label_pilihan(f.pilihan, value))
    widths = column_widths(sp)
    shown = label_pilihan(f.pilihan, value) if not f.jenis.numeric else None
    _fit_height(ws, r, [(f"{label} :", sum(widths[: sp.label_span])), (shown, sum(widths[sp.label_span:]))])
    if f.peran is not Peran.TURUNAN:
        _validation(dvs, cell.coordinate, f.jenis, f.lo, f.hi, f.pattern, f.pilihan, f.label, cell.coordinate,
                    strict_list=f.pilihan in ("metode_ikm", "provinsi"))


def _aligned_rows(layout: Layout, values: SheetValues, baris: int | None = None) -> dict[str, int]:
    rows = {t.key: max(t.rows if baris is None else baris, len(values.tables.get(t.key, ()))) for t in layout.tables}
    for t in layout.tables:  # row rules that reach into another table keep both the same length
        for c in t.columns:
            for ref in c.rule.args if c.rule else ():
                if "." in ref and not ref.startswith("'") and not ref.endswith("[]"):
                    other = ref.split(".")[0]
                    n = max(rows[t.key], rows[other])
                    rows[t.key] = rows[other] = n
    return rows


def build_sheet(ws: Worksheet, layout: Layout, meta: Meta, values: SheetValues | None = None,
                baris: int | None = None) -> SheetPlace:
    """Draw ``layout`` on ``ws`` (filled with ``values`` if given; ``baris`` data rows per table)."""
    values = values or SheetValues()
    sp = place(layout, _aligned_rows(layout, values, baris))
    ctx = context(meta)
    rend = _Renderer(sp)
    dvs = _ValidationSet(ws)
    for row, text in zip(sp.title_rows, layout.title):
        cell = ws.cell(row, 1, _fmt(text, ctx))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=sp.width)
        cell.font = Font(bold=True, size=12)
        cell.alignment = Alignment(horizontal="center")
    for f in layout.fields:
        _write_field(ws, sp, f, values.fields.get(f.key), rend, dvs)
    for t in layout.tables:
        tp = sp.tables[t.key]
        _write_table(ws, sp, tp, rend, ctx, values.tables.get(t.key, []), values.totals.get(t.key, {}), dvs,
                     values.tables)
    for f in layout.signature:
        r = sp.signature_rows[f.key]
        cell = ws.cell(r, sp.signature_col, values.fields.get(f.key))
        ws.merge_cells(start_row=r, start_column=sp.signature_col, end_row=r, end_column=sp.width)
        cell.protection = Protection(locked=False)
        cell.alignment = Alignment(horizontal="center")
        cell.fill = FILL_INPUT
        if f.key == "ttd_nama":
            cell.font = Font(bold=True, underline="single")
        if sp.signature_col > 1:  # the line's label left of it, as the paper form prompts "Jabatan"
            label = ws.cell(r, sp.signature_col - 1, f"{f.label} :")
            label.alignment = Alignment(horizontal="right")
            label.font = Font(italic=True, size=9, color="595959")
    for i, w in enumerate(column_widths(sp, ctx)):
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    _page_setup(ws, sp)
    return sp


# A4 landscape inside the margins _page_setup sets, in points
PAGE_W, PAGE_H = (11.69 - 2 * 0.4) * 72, (8.27 - 2 * 0.5) * 72
DEFAULT_ROW_PT = 15.0


def _page_starts(heights: Sequence[float], scale: float, titles: tuple[int, int] | None,
                 breaks: set[int]) -> list[int]:
    """First row (1-based) of every printed page: rows flow onto a page until it is full or a manual break
    comes; pages after the print-title rows begin with those rows."""
    room = PAGE_H / scale
    title_h = sum(heights[titles[0] - 1: titles[1]]) if titles else 0.0
    starts, used = [1], 0.0
    for r, h in enumerate(heights, start=1):
        if r > 1 and ((r - 1) in breaks or used + h > room):
            starts.append(r)
            used = title_h if titles and r > titles[1] else 0.0
        used += h
    return starts


def _page_breaks(ws: Worksheet, sp: SheetPlace) -> list[int]:
    """Manual row breaks (break after the row): each section of a several-table sheet starts a page, so no
    page shows one section under another's header; a section that would not fit on the page it shares
    starts its own; the signature block is not split over two pages.

    Pagination is simulated at the fit-to-width scales of Excel (column width w → 5.25w + 3.75 pt) and of
    LibreOffice (7w pt); a break is added where either would split.
    """
    units = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, sp.width + 1)]
    scales = [min(1.0, int(PAGE_W / w * 100) / 100) for w in (sum(units) * 5.25 + 3.75 * len(units),
                                                              sum(units) * 7.0)]
    heights = [ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, sp.last_row + 1)]
    tables = list(sp.tables.values())
    titles = (tables[0].header_row, tables[0].number_row) if len(tables) == 1 else None
    top = {t.table.key: (t.title_row or t.header_row) for t in tables}
    breaks = {top[t.table.key] - 1 for t in tables[1:]}
    blocks = [(top[t.table.key], t.total_row or t.last_row) for t in tables[:1] if len(tables) > 1]
    if sp.signature_rows:
        blocks.append((min(sp.signature_rows.values()), max(sp.signature_rows.values())))
    for first, last in blocks:
        for scale in scales:
            starts = _page_starts(heights, scale, titles, breaks)
            if any(first < p <= last for p in starts) and first not in starts:
                breaks.add(first - 1)
    return sorted(breaks)


def _page_setup(ws: Worksheet, sp: SheetPlace) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    tables = list(sp.tables.values())
    if len(tables) == 1:  # one table: its header repeats on every page
        ws.print_title_rows = f"{tables[0].header_row}:{tables[0].number_row}"
        ws.freeze_panes = f"A{tables[0].first_row}"
    for row in _page_breaks(ws, sp):
        ws.row_breaks.append(Break(id=row))
    ws.print_area = f"A1:{get_column_letter(sp.width)}{sp.last_row}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    ws.protection.autoFilter = False
    ws.sheet_view.zoomScale = 90


def _signature_names(wb: Workbook, ws: Worksheet, sp: SheetPlace) -> None:
    """Sheet-scoped names on the signature cells, so they are found after rows are inserted."""
    idx = wb.sheetnames.index(ws.title)
    for key, row in sp.signature_rows.items():
        ref = f"{quote_sheetname(ws.title)}!${get_column_letter(sp.signature_col)}${row}"
        ws.defined_names[key] = DefinedName(key, attr_text=ref, localSheetId=idx)


def _lists_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(LIST_SHEET)
    for j, (name, items) in enumerate(LISTS.items(), start=1):
        for i, item in enumerate(items, start=1):
            ws.cell(i, j, item)
    ws.sheet_state = "hidden"


def _xlwings_conf(wb: Workbook) -> None:
    """Classic xlwings on Windows reads this sheet: our UDFs and the macros' module."""
    ws = wb.create_sheet("xlwings.conf")
    for i, (k, v) in enumerate((("UDF Modules", "udfs.excel"), ("Show Console", "False")), start=1):
        ws.cell(i, 1, k)
        ws.cell(i, 2, v)
    ws.sheet_state = "hidden"


def _meta_sheet(wb: Workbook, meta: Meta) -> None:
    ws = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(meta.rows(), start=1):
        ws.cell(i, 1, k)
        ws.cell(i, 2, v).number_format = "@"
    ws.sheet_state = "veryHidden"


def sheet_plan(form: str, kegiatan: Sequence[str]) -> list[tuple[str, Layout, str]]:
    """(sheet name, layout, kegiatan) for each sheet of ``form``."""
    if form == PAKET_TRIWULAN:
        fa = LAYOUTS["form-a"]
        out = [(f"{fa.sheet} {k}", fa, k) for k in (kegiatan or ("",))]
        out = [(name.strip(), lay, k) for name, lay, k in out]
        return out + [(LAYOUTS[f].sheet, LAYOUTS[f], "") for f in PAKET_FORMS]
    lay = LAYOUTS[form]
    if lay.per_kegiatan and len(kegiatan) > 1:
        return [(f"{lay.sheet} {k}", lay, k) for k in kegiatan]
    return [(lay.sheet, lay, kegiatan[0] if kegiatan else "")]


def build_workbook(meta: Meta, values: Mapping[str, SheetValues] | None = None,
                   baris: int | None = None) -> tuple[Workbook, dict[str, SheetPlace]]:
    """A workbook for ``meta.form``; ``values`` maps sheet name to values to fill; ``baris`` sizes every table
    (data rows; the layout's own count when None)."""
    values = values or {}
    wb = Workbook()
    wb.remove(wb.active)
    plan = sheet_plan(meta.form, meta.kegiatan)
    places: dict[str, SheetPlace] = {}
    infos = []
    for name, lay, keg in plan:
        ws = wb.create_sheet(name)
        sheet_meta = meta.with_(kegiatan=(keg,) if keg else meta.kegiatan)
        places[name] = build_sheet(ws, lay, sheet_meta, values.get(name), baris)
        infos.append(SheetInfo(name, lay.form, keg))
    for name, _, _ in plan:
        _signature_names(wb, wb[name], places[name])
    _lists_sheet(wb)
    _xlwings_conf(wb)
    stamp = meta.dibuat or dt.datetime.now().replace(microsecond=0).isoformat()
    _meta_sheet(wb, meta.with_(versi=LAYOUT_VERSION, sheets=tuple(infos), dibuat=stamp))
    wb.active = 0
    return wb, places


def derived_formulas(sp: SheetPlace, rows: Mapping[str, Sequence[int]] | None = None) -> dict[str, str]:
    """A1 address → formula of every derived cell of a sheet laid out at ``sp``, rendered as the template
    renders it: data rows (``rows`` limits them to some row positions per table), total rows and fields."""
    rend = _Renderer(sp)
    out: dict[str, str] = {}
    for key, tp in sp.tables.items():
        t = tp.table
        for i in range(tp.n_rows) if rows is None else rows.get(key, ()):
            for c in t.columns:
                if c.rule is not None:
                    out[tp.cell(c.key, i)] = formula(c.rule, lambda ref, i=i: rend.row_ref(tp, i, ref))
        if rows is None and tp.total_row and t.total:
            for k, rule in t.total.rules.items():
                out[f"{tp.letter(k)}{tp.total_row}"] = formula(rule, lambda ref: rend.col_ref(tp, ref))
    if rows is None:
        for f in sp.layout.fields:
            if f.rule is not None:
                out[sp.field_cell(f.key)] = formula(f.rule, lambda ref: rend.col_ref(None, ref))
    return out
