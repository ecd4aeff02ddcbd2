"""The file front end: apply a :class:`~macros.plan.Plan` to a workbook with openpyxl.

Marked cells are filled red (galat) or amber (peringatan) and carry a comment;
a "Hasil Validasi" sheet lists every finding with a link to its cell. The
original fill of every marked cell is kept in a hidden sheet, so clearing the
marks (or validating again) restores the workbook instead of stacking marks.
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname

from macros.files import save_atomic
from macros.plan import Plan, Severity
from workbooks.meta import META_SHEET

SHEET_HASIL = "Hasil Validasi"
SHEET_TANDA = "_kinerja_tanda"
AUTHOR = "kinerja"
FILL = {Severity.GALAT: "FFC7CE", Severity.PERINGATAN: "FFEB9C", Severity.INFO: "DDEBF7"}
HEADERS = ("No", "Aturan", "Tingkat", "Lembar", "Sel", "Kolom", "Nilai ditemukan", "Nilai seharusnya", "Pesan")


def _fill_state(cell) -> str:
    f = cell.fill
    if f is None or f.fill_type is None:
        return ""
    return json.dumps({"type": f.fill_type, "fg": f.fgColor.rgb if isinstance(f.fgColor.rgb, str) else None})


def clear_marks(wb: Workbook) -> int:
    """Remove kinerja's marks, comments and findings sheet; returns how many cells were restored."""
    n = 0
    if SHEET_TANDA in wb.sheetnames:
        ws = wb[SHEET_TANDA]
        for sheet, cell, state, had_comment in ws.iter_rows(min_row=1, values_only=True):
            if sheet not in wb.sheetnames:
                continue
            c = wb[sheet][cell]
            if state:
                s = json.loads(state)
                c.fill = PatternFill(s["type"], fgColor=s["fg"] or "FFFFFF")
            else:
                c.fill = PatternFill(fill_type=None)
            if c.comment is not None and c.comment.author == AUTHOR and not had_comment:
                c.comment = None
            n += 1
        del wb[SHEET_TANDA]
    if SHEET_HASIL in wb.sheetnames:
        del wb[SHEET_HASIL]
    return n


def _as_text(v: object) -> object:
    if v is None or isinstance(v, (int, float, str)):
        return v
    return str(v)


def apply_plan(wb: Workbook, plan: Plan) -> None:
    """Apply ``plan`` to ``wb`` in place (marks, comments, findings sheet, writes, metadata)."""
    if plan.clear_marks:
        clear_marks(wb)
    tanda = []
    for m in plan.marks:
        if m.sheet not in wb.sheetnames or not m.cell:
            continue
        c = wb[m.sheet][m.cell]
        tanda.append((m.sheet, m.cell, _fill_state(c), c.comment is not None and c.comment.author != AUTHOR))
        c.fill = PatternFill("solid", fgColor=FILL[m.severity])
        c.comment = Comment(m.note, AUTHOR, width=360, height=140)
    for w in plan.writes:
        wb[w.sheet][w.cell] = w.value
    if plan.meta and META_SHEET in wb.sheetnames:
        ws = wb[META_SHEET]
        rows = {r[0].value: r[0].row for r in ws.iter_rows(min_col=1, max_col=1)}
        for k, v in plan.meta.items():
            row = rows.get(k) or ws.max_row + 1
            ws.cell(row, 1, k)
            ws.cell(row, 2, v)
    if tanda:
        ws = wb.create_sheet(SHEET_TANDA)
        for row in tanda:
            ws.append(list(row))
        ws.sheet_state = "veryHidden"
    if plan.findings_sheet:
        _findings_sheet(wb, plan)


def _findings_sheet(wb: Workbook, plan: Plan) -> None:
    ws = wb.create_sheet(SHEET_HASIL, 0)
    ws.append([f"HASIL VALIDASI — {plan.galat} galat, {plan.peringatan} peringatan"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(list(HEADERS))
    for c in ws[3]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
    for i, f in enumerate(plan.findings, start=1):
        ws.append([i, f.rule, str(f.severity), f.sheet, f.cell, f.column, _as_text(f.found), _as_text(f.expected),
                   f.message])
        row = ws.max_row
        if f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row, 5)
            link.hyperlink = f"#{quote_sheetname(f.sheet)}!{f.cell}"
            link.font = Font(color="0563C1", underline="single")
        ws.cell(row, 3).fill = PatternFill("solid", fgColor=FILL[f.severity])
        ws.cell(row, 9).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 13 * max(1, -(-len(f.message) // 85))  # wrapped message lines
    for col, width in zip("ABCDEFGHI", (5, 8, 11, 18, 7, 28, 18, 18, 90)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "3:3"
    wb.active = 0


def annotate_copy(src: str | Path, plan: Plan, out: str | Path) -> Path:
    """Write a copy of ``src`` with ``plan`` applied; the input file is never opened for writing."""
    src = Path(src)
    wb = load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")
    apply_plan(wb, plan)
    return save_atomic(wb, out)
