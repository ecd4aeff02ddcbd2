"""Bulk rows: many plain rows of an openpyxl worksheet, written straight as sheet XML.

openpyxl makes a ``Cell`` object per value and serialises each one through lxml, about 30 µs a cell; the
rollup's Jejak Data holds a million cells for 200 packages, so that was most of a konsolidasi re-run.
:class:`BulkRows` keeps such rows as tuples below the sheet's own cells, and :class:`ExcelWriter` (a
drop-in for openpyxl's) writes them with the same bytes openpyxl would write for the same cells appended
with :func:`workbooks.teks.append`: every text is text (never a formula), characters XML cannot hold are
replaced, texts are cut at Excel's 32.767 characters, and values of other types than text, number and
truth value go through an openpyxl ``Cell`` of their own (dates get their number format as before).
The sheets' own openpyxl cells are written as text too where they hold a text, a number, a truth value
or nothing (styled), each sheet streamed into the archive; other cells are written by openpyxl.
tests/test_xlsx_rows.py compares the XML with openpyxl's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.cell._writer import write_cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer import excel
from openpyxl.packaging.relationship import Relationship, RelationshipList
from openpyxl.xml.constants import PKG_REL_NS, REL_NS
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.xml.functions import Element, fromstring, tostring, xmlfile

from workbooks import teks

_ATTR = "_kinerja_bulk_rows"
# Excel's limits of one worksheet ("Excel specifications and limits", Microsoft): a sheet past them is repaired
# (its links dropped) or not opened. Read at call time (tests set small ones); :meth:`BulkRows.room` applies them.
MAX_ROWS = 1_048_576
MAX_LINKS = 65_530
_MAX_TEXT = 32767  # Excel's cell text limit (openpyxl cuts there too)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # as lxml escapes text


class BulkRows:
    """Rows appended below ``ws``'s own cells, kept until the workbook is written by :class:`ExcelWriter`.
    Cells of these rows are not openpyxl cells: write nothing else into them."""

    def __init__(self, ws: Worksheet) -> None:
        if getattr(ws, _ATTR, None) is not None:
            raise ValueError(f"{ws.title}: bulk rows already started")
        self.ws = ws
        self.first = ws._current_row + 1  # noqa: SLF001 - the row ws.append would write next
        # per row, per cell: None (empty), the cell's XML after its reference, or an openpyxl Cell
        self.rows: list[tuple[str | Cell | None, ...]] = []
        self.styled: dict[tuple[int, int], StyleArray] = {}  # (row, column) -> style of a linked cell
        self.special: set[int] = set()  # rows with a style or an openpyxl Cell
        self.links: list[tuple[int, int, str]] = []  # (row, column, target)
        self._texts: dict[str, str] = {}  # a text's XML (texts repeat: sheets, rules, files)
        self._shapes: dict[Any, str] = {}  # a row's XML as a str.format template, by the row's empty cells
        self._later = False  # a value for an openpyxl Cell was seen (see cells)
        self._fonts: dict[int, StyleArray] = {}  # id of a link font -> its style
        self._kept: list[Font] = []  # the fonts of _fonts, alive while their ids are keys
        setattr(ws, _ATTR, self)

    @property
    def next_row(self) -> int:
        return self.first + len(self.rows)

    def room(self) -> tuple[int, int]:
        """The rows and links Excel's limits of a sheet (:data:`MAX_ROWS`, :data:`MAX_LINKS`) leave for more
        bulk rows. Links of the sheet's own cells are not counted."""
        return MAX_ROWS - self.next_row + 1, MAX_LINKS - len(self.links)

    def append(self, row: Iterable[Any]) -> int:
        """Add a row (values as :func:`workbooks.teks.append` writes them); returns its row number."""
        return self.append_cells(self.cells(row))

    def cells(self, values: Iterable[Any]) -> tuple[Any, ...]:
        """``values`` as cells of a row, for :meth:`append_cells`: a run of values shared by many rows (the
        Jejak Data rows of one rollup cell) is converted once."""
        texts = self._texts
        cells: list[Any] = []
        for v in values:
            t = type(v)
            if t is str:
                x = texts.get(v)
                if x is None:
                    x = texts[v] = _text_xml(teks.bersih(v)[:_MAX_TEXT])
            elif v is None:
                x = None
            elif t is float or t is int:
                x = f' t="n"><v>{"%.16g" % v if v - v == 0 else ""}</v></c>'  # NaN and infinity: empty
            elif t is bool:
                x = f' t="b"><v>{int(v)}</v></c>'
            else:  # dates and the like: openpyxl decides type and number format, once the cell is placed
                x = _Later(v)
                self._later = True
            cells.append(x)
        return tuple(cells)

    def append_cells(self, cells: tuple[Any, ...]) -> int:
        """Add a row of :meth:`cells` (joined with ``+``); returns its row number."""
        r = self.first + len(self.rows)
        if self._later and any(type(x) is _Later for x in cells):
            cells = tuple(self._cell(r, j, x.value) if type(x) is _Later else x for j, x in enumerate(cells))
            self.special.add(r)
        self.rows.append(cells)
        return r

    def _cell(self, row: int, j: int, value: Any) -> Cell:
        cell = Cell(self.ws, row=row, column=j + 1, value=teks.bersih(value))
        if teks.formula_like(cell.value):
            cell.data_type = "s"
        return cell

    def link(self, row: int, column: int, target: str, font: Font) -> None:
        """A hyperlink on a cell of these rows, shown in ``font`` (as ``cell.hyperlink``, ``cell.font``)."""
        i = row - self.first
        cells = self.rows[i]
        value = cells[column - 1] if column <= len(cells) else None
        self.links.append((row, column, target))
        self.special.add(row)
        if isinstance(value, Cell):  # a value openpyxl writes for us: its own font
            value.font = font
            return
        if value is None:  # an empty cell shows its link's target (as openpyxl's cell.hyperlink)
            filled = [*cells, *[None] * (column - len(cells))]
            filled[column - 1] = _text_xml(teks.bersih(target)[:_MAX_TEXT])
            self.rows[i] = tuple(filled)
        style = self._fonts.get(id(font))
        if style is None:  # registered once per font (openpyxl hashes a Font on every assignment)
            style = StyleArray()
            style.fontId = self.ws.parent._fonts.add(font)  # noqa: SLF001 - as cell.font = font
            self._fonts[id(font)] = style
            self._kept.append(font)
        self.styled[(row, column)] = style

    # --- writing ---

    def xml(self, rows: Sequence[tuple[str | Cell | None, ...]], first: int) -> str:
        """The ``<row>`` elements of ``rows`` (the first one is row ``first``), as openpyxl writes them."""
        letters = [get_column_letter(j) for j in range(1, max(map(len, rows), default=0) + 1)]
        out: list[str] = []
        shapes = self._shapes
        for i, row in enumerate(rows):
            r = first + i
            if r in self.special:
                out.append(self._special_row(row, r, letters))
                continue
            shape = tuple(x is None for x in row) if None in row else len(row)
            template = shapes.get(shape)
            if template is None:  # the row's XML with its number as {0} and its cells' XML as {1}, {2}, …
                empty = shape if type(shape) is tuple else (False,) * shape
                template = shapes[shape] = "".join(
                    ['<row r="{0}">', *(f'<c r="{get_column_letter(j + 1)}{{0}}"{{{j + 1}}}'
                                        for j, e in enumerate(empty) if not e), "</row>"])
            out.append(template.format(r, *row))
        return "".join(out)

    def _special_row(self, row: tuple[str | Cell | None, ...], r: int, letters: list[str]) -> str:
        out = [f'<row r="{r}">']
        cell_styles = self.ws.parent._cell_styles  # noqa: SLF001
        for j, x in enumerate(row):
            style = self.styled.get((r, j + 1))
            s = f' s="{cell_styles.add(style)}"' if style is not None else ""  # registered as openpyxl does
            if isinstance(x, Cell):
                out.append(_openpyxl_xml(x, self.ws))
            elif x is not None:
                out.append(f'<c r="{letters[j]}{r}"{s}{x}')
            elif s:
                out.append(f'<c r="{letters[j]}{r}"{s} t="n"></c>')
        out.append("</row>")
        return "".join(out)

    @property
    def width(self) -> int:
        return max(map(len, self.rows), default=0)


class _Later:
    """A value openpyxl writes (a date, say): made a Cell when its row is known."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _text_xml(v: str) -> str:
    """A text cell's XML after its reference, as openpyxl writes it (an error code is an error cell)."""
    if v in ERROR_CODES:
        return f' t="e"><v>{v}</v></c>'
    if not v:
        return ' t="inlineStr"></c>'
    space = ' xml:space="preserve"' if v != v.strip() else ""
    return f' t="inlineStr"><is><t{space}>{v.translate(_ESCAPE)}</t></is></c>'


def _cell_xml(cell: Cell, styled: bool, ws: Worksheet) -> str:
    """One cell as openpyxl's ``write_cell`` writes it: texts, numbers, truth values and empty styled cells
    directly, anything else (formulas, dates, error values, links, merged parts) by openpyxl itself."""
    v, t = cell._value, cell.data_type  # noqa: SLF001
    kind = type(v)
    x = None
    if type(cell) is Cell and cell._hyperlink is None:  # noqa: SLF001
        if t == "s" and kind is str and v not in ERROR_CODES:
            x = _text_xml(v)
        elif t == "n" and (kind is int or kind is float):
            x = f' t="n"><v>{"%.16g" % v if v - v == 0 else ""}</v></c>'
        elif t == "b" and kind is bool:
            x = f' t="b"><v>{int(v)}</v></c>'
        elif v is None and t in ("n", "s"):
            x = ' t="inlineStr"></c>' if t == "s" else ' t="n"></c>'
    if x is None:
        return _openpyxl_xml(cell, ws)
    return f'<c r="{cell.coordinate}" s="{cell.style_id}"{x}' if styled else f'<c r="{cell.coordinate}"{x}'


def _openpyxl_xml(cell: Cell, ws: Worksheet) -> str:
    import io

    buf = io.BytesIO()
    with xmlfile(buf) as xf:
        write_cell(xf, ws, cell, cell.has_style)
    return buf.getvalue().decode("ascii")


def bulk_rows(ws: Worksheet) -> BulkRows | None:
    return getattr(ws, _ATTR, None)


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, with the sheet's rows written as text (:func:`_cell_xml`) and its bulk
    rows, if any, after its own rows."""

    def __init__(self, ws: Worksheet, bulk: BulkRows | None, out: Any) -> None:
        self.bulk, self.raw = bulk, out
        super().__init__(ws, out)

    def write_dimensions(self) -> None:
        b = self.bulk
        if b is None:
            return super().write_dimensions()
        cells = list(self.ws._cells)  # noqa: SLF001
        rows = [r for r, _ in cells] + ([b.first, b.next_row - 1] if b.rows else [])
        cols = [c for _, c in cells] + ([1, b.width] if b.rows and b.width else [])
        if not rows or not cols:
            return super().write_dimensions()
        from openpyxl.worksheet.dimensions import SheetDimension

        ref = f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"
        self.xf.send(SheetDimension(ref).to_tree())

    def write_rows(self) -> None:
        b = self.bulk
        rows = self.rows()
        bulk = b is not None and bool(b.rows)
        if not rows and not bulk:
            return super().write_rows()
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            xf.flush()
            out: list[str] = []
            for row_idx, row in rows:
                if bulk and row_idx >= b.first:  # type: ignore[union-attr]
                    raise ValueError(f"{self.ws.title}: cell in row {row_idx}, among the bulk rows")
                out.append(self._row_xml(row, row_idx))
            self.raw.write("".join(out).encode("ascii", "xmlcharrefreplace"))
            step = 4096
            for i in range(0, len(b.rows) if bulk else 0, step):  # type: ignore[union-attr]
                text = b.xml(b.rows[i:i + step], b.first + i)  # type: ignore[union-attr]
                self.raw.write(text.encode("ascii", "xmlcharrefreplace"))
        self.xf.send(None)

    def _row_xml(self, row: list[Cell], r: int) -> str:
        """A row of openpyxl cells as openpyxl's ``write_row`` writes it."""
        ws = self.ws
        attrs = {"r": f"{r}"}
        dims = ws.row_dimensions.get(r)
        if dims is not None:
            attrs.update(dims)
        parts = [f'<row r="{r}">' if len(attrs) == 1 else tostring(Element("row", attrs)).decode("ascii")[:-2] + ">"]
        for cell in row:
            if cell._comment is not None:  # noqa: SLF001
                ws._comments.append(CommentRecord.from_cell(cell))  # noqa: SLF001
            styled = cell.has_style
            if cell._value is None and not styled and not cell._comment:  # noqa: SLF001
                continue
            parts.append(_cell_xml(cell, styled, ws))
        parts.append("</row>")
        return "".join(parts)

    def write_hyperlinks(self) -> None:
        """The sheet's own links as openpyxl writes them, then the bulk rows' links (openpyxl's objects took
        0,45 s for 8.480 links: its relationship list copies itself on every append)."""
        own = self.ws._hyperlinks  # noqa: SLF001 - filled while openpyxl wrote the own rows
        links = sorted(self.bulk.links) if self.bulk is not None else []
        if not links:
            return super().write_hyperlinks()
        for link in own:
            if link.target:
                rel = Relationship(type="hyperlink", TargetMode="External", Target=link.target)
                self._rels.append(rel)
                link.id = rel.id
        first = len(self._rels)
        xf = self.xf.send(True)
        xf.flush()
        parts = ["<hyperlinks>", *(tostring(link.to_tree()).decode("ascii") for link in own)]
        parts += [f'<hyperlink xmlns:r="{REL_NS}" ref="{get_column_letter(c)}{r}" r:id="rId{first + i}"/>'
                  for i, (r, c, _) in enumerate(links, start=1)]
        parts.append("</hyperlinks>")
        self.raw.write("".join(parts).encode("ascii"))
        self.xf.send(None)
        self._rels = _Rels(self._rels, [t for _, _, t in links])


class _Rels:
    """A bulk sheet's relationships: openpyxl's list (its own links), one per bulk link, then whatever
    openpyxl appends later (drawing, comments), numbered on as openpyxl numbers them."""

    def __init__(self, own: RelationshipList, targets: list[str]) -> None:
        self.own, self.targets, self.later = own, targets, []

    def __len__(self) -> int:
        return len(self.own) + len(self.targets) + len(self.later)

    def __iter__(self) -> Iterator[Relationship]:
        return iter([*self.own, *self.later])

    def append(self, rel: Relationship) -> None:
        self.later.append(rel)
        if not rel.Id:
            rel.Id = f"rId{len(self)}"

    def get(self, key: str) -> Relationship:
        return next(r for r in self if r.Id == key)

    def to_tree(self) -> Any:
        esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
        table = str.maketrans(esc)
        n = len(self.own)
        parts = [f'<Relationships xmlns="{PKG_REL_NS}">', *(tostring(r.to_tree()).decode("ascii") for r in self.own)]
        parts += [f'<Relationship Type="{REL_NS}/hyperlink" Target="{t.translate(table)}" TargetMode="External" '
                  f'Id="rId{n + i}"/>' for i, t in enumerate(self.targets, start=1)]
        parts += [tostring(r.to_tree()).decode("ascii") for r in self.later]
        parts.append("</Relationships>")
        return fromstring("".join(parts).encode("utf-8"))  # serialised again by openpyxl, as its own list


class ExcelWriter(excel.ExcelWriter):
    """openpyxl's workbook writer, its sheets' cells written as text (the bytes openpyxl writes, without an
    lxml element per cell); sheets with :class:`BulkRows` get them written too."""

    def write_worksheet(self, ws: Worksheet) -> None:
        if self.workbook.write_only:
            return super().write_worksheet(ws)
        bulk = bulk_rows(ws)
        ws._drawing = SpreadsheetDrawing()  # noqa: SLF001 - as openpyxl's write_worksheet
        ws._drawing.charts = ws._charts  # noqa: SLF001
        ws._drawing.images = ws._images  # noqa: SLF001
        with self._archive.open(ws.path[1:], "w") as out:  # streamed into the archive (no copy of the sheet)
            writer = _SheetWriter(ws, bulk, out)
            writer.write()
        ws._rels = writer._rels  # noqa: SLF001
        self.manifest.append(ws)
