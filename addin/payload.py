"""The JSON body Office.js sends to a script, built from a workbook file (tests, benchmarks, support).

Every sheet's values from A1 (hidden sheets too; dates as ISO text), its notes and the
sheet-scoped defined names, as xlwings' Office.js client collects them.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlwings as xw
from python_calamine import CalamineWorkbook


def payload(path: Path, sheet: str | None = None, selection: str = "A1") -> dict:
    """The JSON Office.js sends for a script: every sheet's values from A1 (hidden sheets too).

    ``sheet`` and ``selection``: the active sheet (default the first) and the selected range on it.
    """
    wb = CalamineWorkbook.from_path(str(path))
    owb = openpyxl.load_workbook(path)
    sheets = []
    for name in wb.sheet_names:
        notes = [{"address": c.coordinate, "text": c.comment.text} for row in owb[name].iter_rows() for c in row
                 if c.comment is not None]
        values = wb.get_sheet_by_name(name).to_python(skip_empty_area=False) or [[""]]
        values = [[v.isoformat() if hasattr(v, "isoformat") else v for v in row] for row in values]
        sheets.append({"name": name, "values": values, "pictures": [], "tables": [], "charts": [], "shapes": [],
                       "pivot_tables": [], "notes": notes, "notes_supported": True, "visibility": "Visible"})
    names = []
    for i, ws in enumerate(owb.worksheets):
        for key, dn in ws.defined_names.items():
            address = dn.attr_text.split("!")[-1]
            names.append({"name": key, "book_scope": False, "scope_sheet_index": i, "scope_sheet_name": ws.title,
                          "sheet_index": i, "address": address, "refers_to": "=" + dn.attr_text})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": wb.sheet_names.index(sheet) if sheet else 0,
                     "selection": selection}, "names": names,
            "sheets": sheets}


