"""Phase 1: every numeric cell as the reader parsed it (text where a number belongs, Excel errors,
numbers typed as text, ambiguous separators, implausible magnitudes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from macros.validation.catalogue import angka
from macros.validation.findings import Findings
from workbooks.reader import SheetData


def check_cell(parsed: Any, address: str, label: str, raw: Any, out: Findings) -> None:
    """Report what the reader found wrong with one parsed cell (None: not a numeric cell)."""
    if parsed is None:
        return
    if parsed.status == "bukan-angka" and isinstance(raw, dt.date):  # datetime too: Excel took '12.5' for 12 May
        out.add("V01", address, label, raw, "angka", "tanggal", label=label, raw=f"{raw:%d-%m-%Y}")
    elif parsed.status == "bukan-angka":
        out.add("V01", address, label, raw, "angka", label=label, raw=angka(str(raw)))
    elif parsed.status == "galat-excel":
        out.add("V01", address, label, raw, "angka", "galat", label=label, raw=raw)
    elif parsed.status == "tidak-wajar":
        out.add("V29", address, label, str(raw), "angka wajar", label=label,
                raw=angka(raw if isinstance(raw, str) else str(raw)))
    elif parsed.status == "teks-angka":
        out.add("V03", address, label, raw, parsed.value, label=label, raw=angka(str(raw)), value=angka(parsed.value))
    if parsed.ambigu:
        out.add("V03", address, label, raw, parsed.value, "ambigu", label=label, raw=angka(str(raw)),
                value=angka(parsed.value))


def check_cells(sd: SheetData, out: Findings) -> None:
    """Phase 1 over every field, table cell and Total cell of a sheet."""
    for key, cv in sd.fields.items():
        check_cell(cv.parsed, cv.address, sd.layout.field(key).label, cv.raw, out)
    for td in sd.tables.values():
        for (i, key), parsed in td.parsed.items():
            check_cell(parsed, td.address(i, key), td.table.column(key).label, td.raw_value(i, key), out)
        total = td.table.total.label if td.table.total else ""
        for key, cv in (td.total or {}).items():
            check_cell(cv.parsed, cv.address, f"{total} {td.table.column(key).label}", cv.raw, out)
