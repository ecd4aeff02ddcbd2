"""V00: a form not filled in (identity empty, or a required table without a filled row); V39/V39b: a copy of a
form sheet that kinerja does not read."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from macros.validation.findings import Findings
from workbooks.compute import present
from workbooks.reader import SheetData, WorkbookData


def first_empty(sd: SheetData) -> tuple[str, str] | None:
    """(address, label) of the first empty required cell of a form not filled in, else None.

    Not filled in: an identity field (``Layout.identitas``) is empty, or a required table
    (``Table.wajib``) has no row with a value in any of its ``filled_by`` columns.
    """
    for key in sd.layout.identitas:
        cv = sd.fields.get(key)
        if cv is not None and not present(cv.value):
            return cv.address, sd.layout.field(key).label
    for td in sd.tables.values():
        t = td.table
        if not t.wajib or any(present(v) for k in t.filled_by for v in td.values[k]):
            continue
        key = t.filled_by[0]
        col = td.col_index[key]
        return f"{td.sheet}!{get_column_letter(col)}{td.number_row + 1}", t.column(key).label
    return None


def untouched(sd: SheetData) -> bool:
    """No table of the sheet has a filled row (prefilled rows do not count)."""
    return not any(present(v) for td in sd.tables.values() for k in td.table.filled_by for v in td.values[k])


def check_completeness(sd: SheetData, in_paket: bool, out: Findings) -> None:
    if in_paket and sd.layout.opsional_dalam_paket and untouched(sd):
        return  # e.g. SKM outside survey time
    hit = first_empty(sd)
    if hit is not None:
        address, label = hit
        out.add("V00", address, label, None, "terisi", label=label, sheet=sd.name)


def check_copies(data: WorkbookData, out: Findings) -> None:
    """V39/V39b: a sheet the metadata does not list but recognised as a form (a form sheet copied in Excel,
    e.g. 'FORM A 6077 (2)') is never read, so its figures would be lost without a word: a galat when it holds
    data (or cannot be read to tell), a peringatan when it is an unfilled copy."""
    for copy in data.copies:
        lay = copy.layout
        rule = "V39b" if copy.data is not None and untouched(copy.data) else "V39"
        out.add(rule, f"{copy.name}!A1", "", copy.name, None, "" if lay.per_kegiatan else "tunggal",
                sheet=copy.name, form=lay.sheet)
