"""Where a layout lands on a sheet: rows and columns of every part.

The template builder writes to these positions and tests fill them as a user
would; the reader never relies on them (it finds tables by their numbered
column row), so a sheet with rows inserted still reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from workbooks.model import Layout, Table


@dataclass(frozen=True)
class TablePlace:
    table: Table
    title_row: int | None
    header_row: int  # first header row
    number_row: int
    first_row: int  # first data row
    n_rows: int
    total_row: int | None
    first_col: int = 1

    @property
    def last_row(self) -> int:
        return self.first_row + self.n_rows - 1

    def col(self, key: str) -> int:
        offset = 0
        for c in self.table.columns:
            if c.key == key:
                return self.first_col + offset
            offset += c.span
        raise KeyError(key)

    def col_end(self, key: str) -> int:
        return self.col(key) + self.table.column(key).span - 1

    def letter(self, key: str) -> str:
        return get_column_letter(self.col(key))

    def cell(self, key: str, i: int) -> str:
        """A1 address of data row ``i`` (0-based) in column ``key``."""
        return f"{self.letter(key)}{self.first_row + i}"

    def column_range(self, key: str, absolute: bool = False) -> str:
        L = self.letter(key)
        d = "$" if absolute else ""
        return f"{d}{L}{d}{self.first_row}:{d}{L}{d}{self.last_row}"

    def block_range(self, k1: str, k2: str) -> str:
        return f"{self.letter(k1)}{self.first_row}:{self.letter(k2)}{self.last_row}"


@dataclass(frozen=True)
class SheetPlace:
    layout: Layout
    title_rows: tuple[int, ...]
    field_rows: dict[str, int]
    label_span: int  # columns used by field labels; values start after
    tables: dict[str, TablePlace]
    signature_rows: dict[str, int]
    signature_col: int
    width: int

    def field_cell(self, key: str) -> str:
        if key in self.field_rows:
            return f"{get_column_letter(self.label_span + 1)}{self.field_rows[key]}"
        return f"{get_column_letter(self.signature_col)}{self.signature_rows[key]}"

    @property
    def last_row(self) -> int:
        return max(self.signature_rows.values(), default=max(t.total_row or t.last_row for t in self.tables.values()))


def _label_span(layout: Layout) -> int:
    grid = layout.grid
    widths = [c.width for c in grid.columns] if grid else [12.0] * 8
    longest = max((len(f"{f.number} {f.label} :") for f in layout.fields), default=30)
    total, n = 0.0, 0
    for w in widths:
        total += w
        n += 1
        if total >= longest * 0.92:
            break
    return max(1, min(n, len(widths) - 1))


def place(layout: Layout, rows: dict[str, int] | None = None) -> SheetPlace:
    """Positions of every part of ``layout``; ``rows`` overrides data-row counts."""
    rows = rows or {}
    r = 1
    title_rows = []
    for _ in layout.title:
        title_rows.append(r)
        r += 1
    r += 1
    field_rows = {}
    for f in layout.fields:
        field_rows[f.key] = r
        r += 1
    if layout.fields:
        r += 1
    tables = {}
    for t in layout.tables:
        title_row = None
        if t.title:
            title_row = r
            r += 1
        header_row = r
        number_row = header_row + t.levels
        first = number_row + 1
        n = max(rows.get(t.key, t.rows), len(t.prefill), 1)
        total_row = first + n if t.total else None
        tables[t.key] = TablePlace(t, title_row, header_row, number_row, first, n, total_row)
        r = (total_row or first + n - 1) + 2
    width = layout.width
    sig_col = max(1, width - 2)
    sig_rows = {}
    if layout.signature:
        r += 1
        for off, f in zip((0, 1, 5), layout.signature):
            sig_rows[f.key] = r + off
    return SheetPlace(layout, tuple(title_rows), field_rows, _label_span(layout), tables, sig_rows, sig_col, width)
