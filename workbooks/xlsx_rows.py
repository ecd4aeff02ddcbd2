"""Bulk rows: many plain rows of an openpyxl worksheet, written straight as sheet XML.

openpyxl makes a ``Cell`` object per value and serialises each one through lxml, about 30 µs a cell; the
rollup's Jejak Data holds a million cells for 200 packages, so that was most of a konsolidasi re-run.
:class:`BulkRows` keeps such rows as tuples below the sheet's own cells, and :class:`ExcelWriter` (a
drop-in for openpyxl's) writes them with the same bytes openpyxl would write for the same cells appended
with :func:`workbooks.teks.append`: every text is text (never a formula), characters XML cannot hold are
replaced, texts are cut at Excel's 32.767 characters, and values of other types than text, number and
truth value go through an openpyxl ``Cell`` of their own (dates get their number format as before).
tests/test_xlsx_rows.py compares the XML with openpyxl's own.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.cell._writer import write_cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer import excel
from openpyxl.xml.functions import xmlfile

from workbooks import teks

_ATTR = "_kinerja_bulk_rows"
_MAX_TEXT = 32767  # Excel's cell text limit (openpyxl cuts there too)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # as lxml escapes text


class BulkRows:
    """Rows appended below ``ws``'s own cells, kept as tuples until the workbook is written by
    :class:`ExcelWriter`. Cells of these rows are not openpyxl cells: write nothing else into them."""

    def __init__(self, ws: Worksheet) -> None:
        if getattr(ws, _ATTR, None) is not None:
            raise ValueError(f"{ws.title}: bulk rows already started")
        self.ws = ws
        self.first = ws._current_row + 1  # noqa: SLF001 - the row ws.append would write next
        self.rows: list[tuple[Any, ...]] = []
        self.styled: dict[tuple[int, int], StyleArray] = {}  # (row, column) -> style of a linked cell
        self.links: list[tuple[int, int, str]] = []  # (row, column, target)
        setattr(ws, _ATTR, self)

    @property
    def next_row(self) -> int:
        return self.first + len(self.rows)

    def append(self, row: Iterable[Any]) -> int:
        """Add a row (values as :func:`workbooks.teks.append` writes them); returns its row number."""
        values = []
        for v in row:
            t = type(v)
            if t is str:
                v = teks.bersih(v)[:_MAX_TEXT]
            elif v is not None and t is not int and t is not float and t is not bool:
                v = self._cell(len(self.rows), len(values), v)  # dates and the like: openpyxl decides
            values.append(v)
        self.rows.append(tuple(values))
        return self.first + len(self.rows) - 1

    def _cell(self, i: int, j: int, value: Any) -> Cell:
        cell = Cell(self.ws, row=self.first + i, column=j + 1, value=teks.bersih(value))
        if teks.formula_like(cell.value):
            cell.data_type = "s"
        return cell

    def link(self, row: int, column: int, target: str, font: Font) -> None:
        """A hyperlink on a cell of these rows, shown in ``font`` (as ``cell.hyperlink``, ``cell.font``)."""
        i = row - self.first
        values = self.rows[i]
        value = values[column - 1] if column <= len(values) else None
        self.links.append((row, column, target))
        if isinstance(value, Cell):  # a value openpyxl writes for us: its own font
            value.font = font
            return
        if value is None:  # an empty cell shows its link's target (as openpyxl's cell.hyperlink)
            cells = [*values, *[None] * (column - len(values))]
            cells[column - 1] = teks.bersih(target)[:_MAX_TEXT]
            self.rows[i] = tuple(cells)
        style = StyleArray()
        style.fontId = self.ws.parent._fonts.add(font)  # noqa: SLF001 - how openpyxl registers a cell font
        self.styled[(row, column)] = style

    # --- writing ---

    def xml(self, rows: Sequence[tuple[Any, ...]], first: int) -> str:
        """The ``<row>`` elements of ``rows`` (the first one is row ``first``), as openpyxl writes them."""
        letters = [get_column_letter(j) for j in range(1, max(map(len, rows), default=0) + 1)]
        styled, wb = self.styled, self.ws.parent
        out: list[str] = []
        for i, row in enumerate(rows):
            r = first + i
            out.append(f'<row r="{r}">')
            for j, v in enumerate(row):
                style = styled.get((r, j + 1)) if styled else None
                if v is None and style is None:
                    continue
                s = f' s="{wb._cell_styles.add(style)}"' if style is not None else ""  # noqa: SLF001
                out.append(_cell_xml(f"{letters[j]}{r}", s, v, self.ws))
            out.append("</row>")
        return "".join(out)

    def hyperlinks(self) -> list[Hyperlink]:
        """The links in the order openpyxl lists them (by row, then column)."""
        return [Hyperlink(ref=f"{get_column_letter(c)}{r}", target=t) for r, c, t in sorted(self.links)]

    @property
    def width(self) -> int:
        return max(map(len, self.rows), default=0)


def _cell_xml(ref: str, s: str, v: Any, ws: Worksheet) -> str:
    t = type(v)
    if t is str:
        if v in ERROR_CODES:
            return f'<c r="{ref}"{s} t="e"><v>{v}</v></c>'
        if not v:
            return f'<c r="{ref}"{s} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if v != v.strip() else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{v.translate(_ESCAPE)}</t></is></c>'
    if t is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>'
    if t is int or t is float:
        text = "" if v != v or v in (float("inf"), float("-inf")) else "%.16g" % v
        return f'<c r="{ref}"{s} t="n"><v>{text}</v></c>'
    if v is None:
        return f'<c r="{ref}"{s} t="n"></c>' if s else ""
    return _openpyxl_xml(v, ws)  # a Cell made by BulkRows._cell


def _openpyxl_xml(cell: Cell, ws: Worksheet) -> str:
    import io

    buf = io.BytesIO()
    with xmlfile(buf) as xf:
        write_cell(xf, ws, cell, cell.has_style)
    return buf.getvalue().decode("ascii")


def bulk_rows(ws: Worksheet) -> BulkRows | None:
    return getattr(ws, _ATTR, None)


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, with the sheet's bulk rows after its own rows."""

    def __init__(self, ws: Worksheet, bulk: BulkRows, out: Any) -> None:
        self.bulk, self.raw = bulk, out
        super().__init__(ws, out)

    def write_dimensions(self) -> None:
        cells = list(self.ws._cells)  # noqa: SLF001
        b = self.bulk
        rows = [r for r, _ in cells] + ([b.first, b.next_row - 1] if b.rows else [])
        cols = [c for _, c in cells] + ([1, b.width] if b.rows and b.width else [])
        if not rows or not cols:
            return super().write_dimensions()
        from openpyxl.worksheet.dimensions import SheetDimension

        ref = f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"
        self.xf.send(SheetDimension(ref).to_tree())

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        b = self.bulk
        with xf.element("sheetData"):
            for row_idx, row in self.rows():
                if row_idx >= b.first and b.rows:
                    raise ValueError(f"{self.ws.title}: cell in row {row_idx}, among the bulk rows")
                self.write_row(xf, row, row_idx)
            xf.flush()
            step = 4096
            for i in range(0, len(b.rows), step):
                text = b.xml(b.rows[i:i + step], b.first + i)
                self.raw.write(text.encode("ascii", "xmlcharrefreplace"))
        self.ws._hyperlinks.extend(b.hyperlinks())  # noqa: SLF001 - written with the sheet's own links
        self.xf.send(None)


class ExcelWriter(excel.ExcelWriter):
    """openpyxl's workbook writer; sheets with :class:`BulkRows` get them written too."""

    def write_worksheet(self, ws: Worksheet) -> None:
        bulk = bulk_rows(ws)
        if bulk is None:
            return super().write_worksheet(ws)
        ws._drawing = SpreadsheetDrawing()  # noqa: SLF001 - as openpyxl's write_worksheet
        ws._drawing.charts = ws._charts  # noqa: SLF001
        ws._drawing.images = ws._images  # noqa: SLF001
        fd, path = tempfile.mkstemp(prefix="kinerja-", suffix=".xml")
        try:
            with os.fdopen(fd, "wb") as out:
                writer = _SheetWriter(ws, bulk, out)
                writer.write()
            ws._rels = writer._rels  # noqa: SLF001
            self._archive.write(path, ws.path[1:])
        finally:
            os.unlink(path)
        self.manifest.append(ws)
