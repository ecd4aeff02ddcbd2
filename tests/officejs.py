"""Office.js simulated on a file: apply the actions an xlwings Server script returns, as Excel would."""

from __future__ import annotations

import copy

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.protection import SheetProtection

from macros.tambah_baris import insert_rows_like_excel


def addr(a: dict) -> str:
    return f"{get_column_letter(a['start_column'] + 1)}{a['start_row'] + 1}"


class OfficeJsRefused(Exception):
    """What Excel answers when an action touches a protected sheet."""


def _protected(ws) -> bool:
    return bool(ws.protection.sheet)


def apply_actions(path, actions: list[dict], out) -> openpyxl.Workbook:
    """Apply the actions xlwings returns, the way Office.js would, to a copy of the workbook.

    Like Excel, formatting or writing a locked cell of a protected sheet is refused, unless
    the sheet was unprotected first through kinerja.js's callbacks (``runMacro``), which
    protect it again with the same options afterwards.
    """
    wb = openpyxl.load_workbook(path)
    order = list(wb.sheetnames)
    saved: dict[str, SheetProtection] = {}

    def check(ws, what: str, cell=None) -> None:
        if not _protected(ws):
            return
        if what == "format" and ws.protection.formatCells:
            raise OfficeJsRefused(f"The cell or chart you're trying to change is on a protected sheet ({ws.title}).")
        if what == "value" and cell.protection.locked:
            raise OfficeJsRefused(f"The cell is protected ({ws.title}!{cell.coordinate}).")

    for a in actions:
        f = a["func"]
        ws = wb[order[a["sheet_position"]]] if a.get("sheet_position") is not None else None
        if f == "addSheet":
            ix, name = a["args"]
            wb.create_sheet(name, ix)
            order.insert(ix, name)
        elif f == "sheetDelete":
            if ws.sheet_state == "veryHidden":  # Worksheet.delete: InvalidOperation on a very hidden sheet
                raise OfficeJsRefused(f"A very hidden sheet cannot be deleted ({ws.title}).")
            del wb[ws.title]
            order.remove(ws.title)
        elif f == "setValues":  # Excel reads "=…" as a formula; a leading apostrophe makes the rest text
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    cell = ws.cell(a["start_row"] + i + 1, a["start_column"] + j + 1)
                    check(ws, "value", cell)
                    if v == "":  # Excel: writing "" empties the cell
                        v = None
                    cell.value = v[1:] if isinstance(v, str) and v.startswith("'") else v
                    if isinstance(v, str) and v.startswith("'"):
                        cell.data_type = "s"
        elif f == "setFormula":
            values = a["values"] if isinstance(a["values"], list) else [[a["values"]]]
            for i, row in enumerate(values):
                for j, v in enumerate(row):
                    cell = ws.cell(a["start_row"] + i + 1, a["start_column"] + j + 1)
                    check(ws, "value", cell)
                    cell.value = v
        elif f == "rangeInsert":  # whole rows, as Excel inserts them (everything below shifts)
            assert a["args"][0] == "down" and a["column_count"] == 16384, a
            check(ws, "format")
            insert_rows_like_excel(wb, ws.title, a["start_row"] + 1, a["row_count"])
        elif f == "copyFromRange":  # "All": values, formulas, styles and data validation of the source
            src_ws = wb[order[a["args"][0]]]
            (c0, r0, c1, r1) = range_boundaries(a["args"][1].replace("$", ""))
            assert a["args"][2] == "All" and r0 == r1, a
            check(ws, "format")
            dest = a["start_row"] + 1
            for col in range(c0, min(c1, src_ws.max_column) + 1):
                source, cell = src_ws.cell(r0, col), ws.cell(dest, col)
                check(ws, "value", cell)
                cell.value = source.value
                cell._style = copy.copy(source._style)
            for dv in ws.data_validations.dataValidation:
                for col in range(c0, min(c1, src_ws.max_column) + 1):
                    if src_ws.cell(r0, col).coordinate in dv.sqref:
                        dv.sqref.add(ws.cell(dest, col).coordinate)
        elif f == "rangeClearContents":
            for row in range(a["start_row"], a["start_row"] + a["row_count"]):
                for col in range(a["start_column"], min(a["start_column"] + a["column_count"], ws.max_column)):
                    cell = ws.cell(row + 1, col + 1)
                    check(ws, "value", cell)
                    cell.value = None
        elif f == "setRangeColor":
            check(ws, "format")
            color = a["args"][0] if isinstance(a["args"], list) else a["args"]
            for row in range(a["start_row"], a["start_row"] + a["row_count"]):
                for col in range(a["start_column"], a["start_column"] + a["column_count"]):
                    ws.cell(row + 1, col + 1).fill = (
                        openpyxl.styles.PatternFill("solid", fgColor=color.lstrip("#")) if color
                        else openpyxl.styles.PatternFill(fill_type=None))
        elif f == "addNote":
            check(ws, "format")
            ws[addr(a)].comment = openpyxl.comments.Comment(a["args"][1], "kinerja")
        elif f == "deleteNote":
            check(ws, "format")
            ws[addr(a)].comment = None
        elif f == "addHyperlink":
            ws[addr(a)].hyperlink = a["args"][0]
        elif f == "setSheetVisibility":  # xlwings sends "Visible" or "Hidden"
            ws.sheet_state = {"Visible": "visible", "Hidden": "hidden"}[a["args"][0]]
        elif f == "setFontProperty" and a["args"][0] == "bold":
            ws[addr(a)].font = openpyxl.styles.Font(bold=a["args"][1])
        elif f == "setColumnWidth":
            ws.column_dimensions[get_column_letter(a["start_column"] + 1)].width = a["args"][0]
        elif f == "runMacro":
            name, sheet = a["args"]
            target = wb[sheet]
            if name == "kinerjaBukaProteksi" and _protected(target):
                saved[sheet] = copy.copy(target.protection)
                target.protection = SheetProtection(sheet=False)
            elif name == "kinerjaKunciLagi" and sheet in saved:
                target.protection = saved.pop(sheet)
            elif name == "kinerjaSembunyikan":
                target.sheet_state = "veryHidden"
            elif name not in ("kinerjaBukaProteksi", "kinerjaKunciLagi"):
                raise AssertionError(f"kinerja.js registers no callback {name}")
        elif f not in ("alert", "setWrapText", "setVerticalAlignment"):
            raise AssertionError(f"action {f} is not simulated here")
    wb.save(out)
    return wb
