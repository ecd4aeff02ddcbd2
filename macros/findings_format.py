"""The one description of kinerja's findings sheets, shared by every front end.

Two sheets carry a validation's outcome inside the workbook:

- "Hasil Validasi": a title, a colour legend, then one row per finding (rule code
  and short title, severity, sheet, cell with a link, values found/expected at the
  precision of the form, message);
- the very hidden marks sheet: one row per marked cell with the fill and whether a
  note was already there, so clearing the marks (or validating again) restores
  the cell instead of stacking marks.

Both are declared here once, as columns with a key, a header and a width, like
the forms' layouts. The openpyxl front end (:mod:`macros.apply_file`), the xlwings
front end (``addin/kerja.py``) and the task pane (``kinerja.js``) write and read
them through this description; readers look columns up by header text, so an
older or reordered sheet still reads right.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


from macros.plan import Finding, Plan, Severity
from workbooks.numbers import format_id
from macros.validation.catalogue import CATALOGUE


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    width: float


@dataclass(frozen=True)
class SheetFormat:
    name: str
    columns: tuple[SheetColumn, ...]
    header_row: int  # 1-based row of the headers; data follows

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def position(self, key: str) -> int:
        """1-based column of ``key``."""
        return next(i for i, c in enumerate(self.columns, start=1) if c.key == key)

    def find_header(self, grid: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
        """(0-based row index, key → 0-based column) of the header row in ``grid``, found by header text."""
        by_header = {_norm(c.header): c.key for c in self.columns}
        need = {self.columns[0].key, self.columns[1].key}
        for r, row in enumerate(grid[:12]):
            found = {by_header[_norm(v)]: j for j, v in enumerate(row or []) if _norm(v) in by_header}
            if need <= found.keys():
                return r, found
        return None

    def records(self, grid: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """The data rows of ``grid`` as dicts by key (columns found by header)."""
        head = self.find_header(grid)
        if head is None:
            return []
        r0, cols = head
        out = []
        for row in grid[r0 + 1:]:
            row = list(row or [])
            rec = {k: (row[j] if j < len(row) else None) for k, j in cols.items()}
            if any(v not in (None, "") for v in rec.values()):
                out.append(rec)
        return out


def _norm(v: Any) -> str:
    return " ".join(str(v).split()).casefold() if v is not None else ""


def _cols(*spec: tuple[str, str, float]) -> tuple[SheetColumn, ...]:
    return tuple(SheetColumn(*s) for s in spec)


HASIL = SheetFormat("Hasil Validasi", _cols(
    ("no", "No", 5),
    ("aturan", "Aturan", 7),
    ("judul", "Judul aturan", 40),
    ("tingkat", "Tingkat", 11),
    ("lembar", "Lembar", 18),
    ("sel", "Sel", 7),
    ("kolom", "Kolom", 28),
    ("ditemukan", "Nilai ditemukan", 18),
    ("seharusnya", "Nilai seharusnya", 18),
    ("pesan", "Pesan", 90),
), header_row=5)

TANDA = SheetFormat("_kinerja_tanda", _cols(
    ("lembar", "Lembar", 18),
    ("sel", "Sel", 7),
    ("warna_asli", "Warna asli", 12),  # "#RRGGBB" of the solid fill before marking, "" none
    ("catatan_asli", "Catatan asli", 12),  # "ya" when the cell had someone else's note (kept as is)
), header_row=1)

AUTHOR = "kinerja"
FILL = {Severity.GALAT: "FFC7CE", Severity.PERINGATAN: "FFEB9C", Severity.INFO: "DDEBF7"}
HEADER_FILL = "D9E1F2"
# The colour legend under the title: (row, column key, text, severity whose fill the cell shows)
LEGEND = (
    (2, "no", "Arti warna:", None),
    (2, "judul", "merah = galat (menghalangi konsolidasi)", Severity.GALAT),
    (3, "judul", "kuning = peringatan (tidak menghalangi)", Severity.PERINGATAN),
)


def legend_cells() -> list[tuple[int, int, str, Severity | None]]:
    """(row, column, text, severity), 1-based, of the legend cells."""
    return [(r, HASIL.position(key), text, sev) for r, key, text, sev in LEGEND]


def title(plan: Plan) -> str:
    return f"HASIL VALIDASI — {plan.galat} galat, {plan.peringatan} peringatan"


# --- values at the precision of the form, the Indonesian way -----------------

NumberFormat = Callable[[str, str], "str | None"]  # (sheet, cell) → the cell's Excel number format


def _decimals(number_format: str | None) -> tuple[int, int] | None:
    """(minimum, maximum) decimals an Excel number format shows; None for text/General."""
    if not number_format or number_format == "@" or number_format.lower() == "general":
        return None
    first = re.sub(r'"[^"]*"|\\.', "", number_format.split(";")[0])
    if "." not in first:
        return 0, 0
    frac = re.match(r"[0#?]*", first.split(".", 1)[1]).group(0)
    return frac.count("0"), len(frac)


def shown(value: Any, number_format: str | None = None) -> Any:
    """A finding's value as the form shows it: numbers as Indonesian text (``0,99``, ``1.234.567``)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(str(shown(v, number_format)) for v in value)
    if isinstance(value, numbers.Integral):
        places = _decimals(number_format)
        return str(int(value)) if places is None else format_id(int(value), 0, 0)
    if isinstance(value, numbers.Real):
        x = float(value)
        if x != x:
            return "kosong"
        return format_id(x, *(_decimals(number_format) or (0, 2)))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- the grids front ends write -------------------------------------------------

def hasil_grid(plan: Plan, number_format: NumberFormat | None = None) -> list[list[Any]]:
    """Every row of the "Hasil Validasi" sheet from A1, each as wide as the header."""
    nf = number_format or (lambda sheet, cell: None)
    width = len(HASIL.columns)
    rows: list[list[Any]] = [[title(plan)]] + [[None] * width for _ in range(HASIL.header_row - 2)]
    for r, c, text, _ in legend_cells():
        rows[r - 1][c - 1] = text
    rows.append(HASIL.headers)
    for i, f in enumerate(plan.findings, start=1):
        fmt = nf(f.sheet, f.cell) if f.cell else None
        rec = {"no": i, "aturan": f.rule, "judul": rule_title(f), "tingkat": str(f.severity), "lembar": f.sheet,
               "sel": f.cell, "kolom": f.column, "ditemukan": shown(f.found, fmt),
               "seharusnya": shown(f.expected, fmt), "pesan": f.message}
        rows.append([rec[c.key] for c in HASIL.columns])
    return [r + [None] * (width - len(r)) for r in rows]


def rule_title(f: Finding) -> str:
    r = CATALOGUE.get(f.rule)
    return r.title if r else ""


def hasil_links(plan: Plan, sheets: Sequence[str]) -> list[tuple[int, int, Finding]]:
    """(row, column, finding), 1-based, of each "Sel" cell that links to its finding's cell."""
    col = HASIL.position("sel")
    return [(HASIL.header_row + i, col, f) for i, f in enumerate(plan.findings, start=1)
            if f.cell and f.sheet in sheets]


def row_lines(f: Finding) -> int:
    """Lines the tallest wrapped cell ("Pesan" or "Judul aturan") of a finding's row takes (for the row height)."""
    def lines(text: str, key: str) -> int:
        per_line = int(next(c.width for c in HASIL.columns if c.key == key)) - 5
        return max(1, -(-len(text) // per_line))

    return max(lines(f.message, "pesan"), lines(rule_title(f), "judul"))


@dataclass(frozen=True)
class Tanda:
    """One marked cell: what to give back when the marks are cleared."""

    sheet: str
    cell: str
    fill: str | None  # "#RRGGBB" of the original solid fill, "" when none, None when not recorded (old add-in)
    had_note: bool  # a note that is not kinerja's was already there (never touched)


def tanda_grid(entries: Sequence[Tanda]) -> list[list[Any]]:
    rows: list[list[Any]] = [TANDA.headers]
    for t in entries:
        rec = {"lembar": t.sheet, "sel": t.cell, "warna_asli": t.fill or "", "catatan_asli": "ya" if t.had_note else ""}
        rows.append([rec[c.key] for c in TANDA.columns])
    return rows


def read_tanda(grid: Sequence[Sequence[Any]] | None) -> list[Tanda]:
    """The marked cells recorded in a marks sheet, whichever front end (or version) wrote it.

    Sheets with the header row are read by header. Older sheets have none: the
    add-in wrote ``sheet, cell``; the file front end ``sheet, cell, fill as JSON,
    had a comment``.
    """
    grid = [list(r or []) for r in (grid or [])]
    if TANDA.find_header(grid) is not None:
        return [Tanda(str(r["lembar"]), str(r["sel"]), _colour(r.get("warna_asli")),
                      _truthy(r.get("catatan_asli"))) for r in TANDA.records(grid) if r.get("lembar") and r.get("sel")]
    out = []
    for row in grid:
        if len(row) < 2 or not row[0] or not row[1]:
            continue
        out.append(Tanda(str(row[0]), str(row[1]), _colour(row[2]) if len(row) > 2 else None,
                         _truthy(row[3] if len(row) > 3 else None)))
    return out


def _colour(v: Any) -> str:
    """ "#RRGGBB" from what a marks sheet holds: a colour, an old JSON fill state, or nothing."""
    if not v:
        return ""
    text = str(v).strip()
    if text.startswith("{"):  # old file front end: {"type": "solid", "fg": "FFEDEDED"}
        try:
            state = json.loads(text)
        except ValueError:
            return ""
        fg = state.get("fg") if state.get("type") else None
        return "#" + fg[-6:].upper() if isinstance(fg, str) and len(fg) >= 6 else ""
    text = text.lstrip("#")
    return "#" + text[-6:].upper() if re.fullmatch(r"[0-9A-Fa-f]{6,8}", text) else ""


def _truthy(v: Any) -> bool:
    return v is True or _norm(v) in ("ya", "true", "1")
