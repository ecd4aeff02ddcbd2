"""The file front end: apply a :class:`~macros.plan.Plan` to a workbook with openpyxl.

Marked cells are filled red (galat) or amber (peringatan) and carry a comment;
a "Hasil Validasi" sheet lists every finding with a link to its cell. The
original fill of every marked cell is kept in a hidden sheet, so clearing the
marks (or validating again) restores the workbook instead of stacking marks.
Both sheets follow :mod:`macros.findings_format`, as the add-in's do.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from macros.files import save_atomic
from macros.findings_format import (
    AUTHOR,
    FILL,
    HASIL,
    HEADER_FILL,
    TANDA,
    Tanda,
    hasil_grid,
    hasil_links,
    legend_cells,
    read_tanda,
    row_lines,
    tanda_grid,
)
from macros.plan import Plan
from workbooks.meta import META_SHEET
from workbooks.teks import append, bersih, put

SHEET_HASIL = HASIL.name
SHEET_TANDA = TANDA.name


def _fill_colour(cell) -> str:
    """ "#RRGGBB" of a cell's solid fill, "" when it has none."""
    f = cell.fill
    rgb = f.fgColor.rgb if f is not None and f.fill_type == "solid" else None
    return "#" + rgb[-6:].upper() if isinstance(rgb, str) else ""


def _solid(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#"))


def clear_marks(wb: Workbook) -> int:
    """Remove kinerja's marks, notes and findings sheet; returns how many cells were restored.

    Reads the marks sheet whichever front end wrote it (see :mod:`macros.findings_format`).
    """
    n = 0
    if SHEET_TANDA in wb.sheetnames:
        ws = wb[SHEET_TANDA]
        for t in read_tanda(list(ws.iter_rows(values_only=True))):
            if t.sheet not in wb.sheetnames:
                continue
            c = wb[t.sheet][t.cell]
            c.fill = _solid(t.fill) if t.fill else PatternFill(fill_type=None)
            if c.comment is not None and not t.had_note:
                c.comment = None
            n += 1
        del wb[SHEET_TANDA]
    if SHEET_HASIL in wb.sheetnames:
        del wb[SHEET_HASIL]
    return n


def apply_plan(wb: Workbook, plan: Plan) -> None:
    """Apply ``plan`` to ``wb`` in place (marks, notes, findings sheet, writes, metadata).

    Sheet protection does not stop openpyxl; the protection itself is kept as it was.
    """
    if plan.clear_marks:
        clear_marks(wb)
    tanda = []
    for m in plan.marks:
        if m.sheet not in wb.sheetnames or not m.cell:
            continue
        c = wb[m.sheet][m.cell]
        had_note = c.comment is not None and c.comment.author != AUTHOR
        tanda.append(Tanda(m.sheet, m.cell, _fill_colour(c), had_note))
        c.fill = _solid(FILL[m.severity])
        if not had_note:  # someone else's note stays; the findings sheet lists ours
            c.comment = Comment(bersih(m.note), AUTHOR, width=360, height=140)
    for w in plan.writes:
        wb[w.sheet][w.cell] = w.value
    if plan.meta and META_SHEET in wb.sheetnames:
        ws = wb[META_SHEET]
        rows = {r[0].value: r[0].row for r in ws.iter_rows(min_col=1, max_col=1)}
        for k, v in plan.meta.items():
            row = rows.get(k) or ws.max_row + 1
            ws.cell(row, 1, k)
            put(ws.cell(row, 2), v)
    if tanda:
        ws = wb.create_sheet(SHEET_TANDA)
        for row in tanda_grid(tanda):
            append(ws, row)
        ws.sheet_state = "veryHidden"
    if plan.findings_sheet:
        _findings_sheet(wb, plan)


def _findings_sheet(wb: Workbook, plan: Plan) -> None:
    ws = wb.create_sheet(SHEET_HASIL, 0)

    def number_format(sheet: str, cell: str) -> str | None:
        return wb[sheet][cell].number_format if sheet in wb.sheetnames else None

    for row in hasil_grid(plan, number_format):
        append(ws, row)  # submitted text (found values, names) stays text
    ws["A1"].font = Font(bold=True, size=12)
    for r, c, _, severity in legend_cells():
        if severity is not None:
            ws.cell(r, c).fill = _solid(FILL[severity])
    head = HASIL.header_row
    for c in ws[head]:
        c.font = Font(bold=True)
        c.fill = _solid(HEADER_FILL)
    tingkat, pesan, judul = HASIL.position("tingkat"), HASIL.position("pesan"), HASIL.position("judul")
    for i, f in enumerate(plan.findings, start=1):
        row = head + i
        ws.cell(row, tingkat).fill = _solid(FILL[f.severity])
        for col in range(1, len(HASIL.columns) + 1):
            ws.cell(row, col).alignment = Alignment(wrap_text=col in (pesan, judul), vertical="top")
        ws.row_dimensions[row].height = 13 * row_lines(f)
    for row, col, f in hasil_links(plan, wb.sheetnames):
        link = ws.cell(row, col)
        link.hyperlink = f"#{quote_sheetname(f.sheet)}!{f.cell}"
        link.font = Font(color="0563C1", underline="single")
    for j, c in enumerate(HASIL.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = c.width
    ws.freeze_panes = f"A{head + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{head}:{head}"
    wb.active = 0


def open_copy(src: str | Path) -> Workbook:
    """A submission loaded for writing a changed copy (macros of an .xlsm kept); ``src`` itself is never written."""
    src = Path(src)
    return load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")


def annotate_copy(src: str | Path, plan: Plan, out: str | Path) -> Path:
    """Write a copy of ``src`` with ``plan`` applied; the input file is never opened for writing."""
    wb = open_copy(src)
    apply_plan(wb, plan)
    return save_atomic(wb, out)
