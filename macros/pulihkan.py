"""Action "Pulihkan Rumus": put back the formula of every derived cell, from the layout.

A derived cell typed over (a value where the template has a formula) stops
computing. The formulas are rendered as the template renders them
(:func:`workbooks.builder.derived_formulas`), at the positions the sheet has
now: tables are found by their numbered column row, so rows inserted inside a
table get their formulas too, and the Total row's ranges cover every data row.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from macros.apply_file import annotate_copy
from macros.plan import Plan, Write
from workbooks.builder import derived_formulas
from workbooks.placement import SheetPlace, TablePlace, place
from workbooks.reader import SheetData, WorkbookData, cell_index, read_workbook
from workbooks.verify import derived_formula_rows, filled_blank_rows, normalise, table_end


class PulihkanGagal(ValueError):
    """The action cannot run (message in Bahasa Indonesia)."""


def live_place(sd: SheetData) -> SheetPlace:
    """Where the parts of a sheet are now (after rows were inserted or removed), as a :class:`SheetPlace`."""
    base = place(sd.layout)
    tables = {}
    for key, td in sd.tables.items():
        t = td.table
        first = td.number_row + 1
        end = table_end(sd, td) if td.area_end else (td.rows[-1] if td.rows else first)
        first_col = min(td.col_index.values())
        tables[key] = TablePlace(t, None, td.number_row - t.levels, td.number_row, first, max(end - first + 1, 1),
                                 td.total_row if t.total else None, first_col)
    field_rows = {**base.field_rows, **{k: cell_index(cv.address)[0] + 1 for k, cv in sd.fields.items()}}
    sig_rows = {**base.signature_rows, **{k: cell_index(cv.address)[0] + 1 for k, cv in sd.signature.items()}}
    return replace(base, field_rows=field_rows, tables=tables, signature_rows=sig_rows)


def _rows_in_use(sd: SheetData, tp: TablePlace) -> set[int]:
    """Row positions of a table that hold data, or a formula or value in a derived column (the rows that should
    compute). Blank rows stay blank: no formula is written into the blank space of a table."""
    td = sd.tables[tp.table.key]
    rows = {*td.rows, *derived_formula_rows(sd, td), *(cell_index(a1)[0] + 1 for _, a1, _ in filled_blank_rows(sd, td))}
    return {r - tp.first_row for r in rows if tp.first_row <= r <= tp.last_row}


def sheet_formulas(sd: SheetData) -> dict[str, str]:
    """A1 → formula of every derived cell of ``sd`` that should compute, at the sheet's current positions."""
    sp = live_place(sd)
    rows = {key: sorted(_rows_in_use(sd, tp)) for key, tp in sp.tables.items()}
    out = derived_formulas(sp, rows)
    out.update({a1: f for a1, f in derived_formulas(sp).items() if not _is_data_cell(sp, a1)})  # totals, fields
    return out


def _is_data_cell(sp: SheetPlace, a1: str) -> bool:
    r = cell_index(a1)[0] + 1
    return any(tp.first_row <= r <= tp.last_row for tp in sp.tables.values())


def restore_plan(data: WorkbookData) -> Plan:
    """Writes putting back every derived formula; the message counts the cells that did not hold it."""
    plan = Plan(clear_marks=True, findings_sheet=False)
    changed = 0
    for sd in data.sheets:
        texts = sd.formula_text
        for a1, f in sheet_formulas(sd).items():
            plan.writes.append(Write(sd.name, a1, f))
            if texts is None or a1 not in texts or normalise(texts[a1]) != normalise(f):  # as V28 compares
                changed += 1
    plan.messages.append(
        f"Pulihkan Rumus: {len(plan.writes)} sel turunan diperiksa, {changed} dipulihkan"
        + (" (sel ketikan diganti rumus)." if changed else "; semua rumus sudah utuh.")
        + " Jalankan Validasi lagi untuk memeriksa hasilnya."
    )
    return plan


def restore_file(src: str | Path, out: str | Path) -> tuple[Path, Plan]:
    """Write a copy of ``src`` with every derived formula restored; ``src`` is never written."""
    src, out = Path(src), Path(out)
    if out.resolve() == src.resolve():
        raise PulihkanGagal(f"Berkas keluaran sama dengan berkas masukan ({src.name}); berkas asli tidak diubah. "
                            "Pilih nama lain untuk -o.")
    plan = restore_plan(read_workbook(src))
    return annotate_copy(src, plan, out), plan

