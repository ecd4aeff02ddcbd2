"""Action "Tambah Baris": more data rows inside a table, inserted as Excel inserts them.

Inserting rows shifts everything below them, the way Excel does: cells,
merged ranges, row heights, formulas on every sheet (a range that spans the
insertion point grows), defined names (the signature block's), data
validations, conditional formats, page breaks, print area and print titles. The new rows
then get what a template row has: the format of the row above (merged spans
included) and the formula of every derived cell, rendered from the layout.

In Excel, Excel itself does the inserting; :func:`new_rows_plan` gives the
add-in the formulas for the new rows. :func:`add_rows_file` is the file
version (``kinerja tambah-baris``).
"""

from __future__ import annotations

import copy
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.merge import MergedCellRange

from macros.apply_file import apply_plan, open_copy
from macros.files import save_atomic
from macros.plan import Plan, Write
from macros.pulihkan import live_place
from workbooks.builder import derived_formulas
from workbooks.model import Layout
from workbooks.reader import SheetData, read_workbook

MAX_JUMLAH = 200
_PART = re.compile(r"(\$?)([A-Za-z]{1,3})?(\$?)(\d+)?")


class TambahBarisGagal(ValueError):
    """The rows cannot be added (message in Bahasa Indonesia)."""


# --- shifting references, as Excel does on insert -------------------------------------------------

def shift_ref(ref: str, at: int, n: int, grow: int | None = None) -> str:
    """``ref`` (A1, A1:B5, $7:$8, no sheet name) after inserting ``n`` rows at row ``at``.

    Row numbers from ``at`` down move by ``n``, so a range spanning the insertion point grows.
    ``grow``: a range that ends exactly on this row (and starts above it) grows too, which Excel
    does not do for rows inserted right under a range; :func:`add_rows_file` uses it to keep the
    last row of a table inside its Total and validations.
    """
    parts = ref.split(":")
    if len(parts) > 2:
        return ref
    matches = [_PART.fullmatch(p) for p in parts]
    if any(m is None or not (m.group(2) or m.group(4)) for m in matches):
        return ref  # a name, an error value, …
    rows = [int(m.group(4)) if m.group(4) else None for m in matches]  # type: ignore[union-attr]
    out = []
    for k, m in enumerate(matches):
        r = rows[k]
        if r is not None:
            ends_on_grow = (k == 1 and grow is not None and r == grow and rows[0] is not None and rows[0] < grow)
            if r >= at or ends_on_grow:
                r += n
        d1, col, d2 = m.group(1), m.group(2) or "", m.group(3)  # type: ignore[union-attr]
        out.append(f"{d1}{col}{d2}{'' if r is None else r}")
    return ":".join(out)


def _unquote(sheet: str) -> str:
    return sheet[1:-1].replace("''", "'") if sheet.startswith("'") and sheet.endswith("'") else sheet


def shift_formula(text: str, host: str | None, target: str, at: int, n: int, grow: int | None = None) -> str:
    """A formula (with or without "=") whose references into sheet ``target`` follow an insertion there.

    ``host``: the sheet holding the formula (its unqualified references point there); None for
    defined names, whose references always name their sheet.
    """
    eq = text.startswith("=")
    tok = Tokenizer(text if eq else "=" + text)
    changed = False
    for t in tok.items:
        if t.type != Token.OPERAND or t.subtype != Token.RANGE:
            continue
        sheet, bang, ref = t.value.rpartition("!")
        applies = _unquote(sheet) == target if bang else host == target
        if applies:
            new = shift_ref(ref, at, n, grow)
            if new != ref:
                t.value = f"{sheet}{bang}{new}"
                changed = True
    if not changed:
        return text
    body = "".join(t.value for t in tok.items)
    return "=" + body if eq else body


def insert_rows_like_excel(wb: Workbook, sheet: str, at: int, n: int, grow: int | None = None,
                           format_from_above: bool = True) -> None:
    """Insert ``n`` empty rows at row ``at`` of ``sheet`` and shift everything below, as Excel does.

    openpyxl's ``insert_rows`` moves cells only; merged ranges, row heights, formulas, names,
    validations, conditional formats, page breaks and print settings are shifted here. The new rows take
    the format (style and height) of the row above, Excel's "format same as above".
    """
    ws = wb[sheet]
    merged = [mr.coord for mr in ws.merged_cells.ranges]
    ws.merged_cells = MultiCellRange()
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None and r >= at}
    ws.insert_rows(at, n)
    for coord in merged:  # the merged cells' placeholders moved with the cells; only the ranges move here
        new = shift_ref(coord, at, n, grow)
        (_, r0, _, r1), (_, s0, _, s1) = range_boundaries(coord), range_boundaries(new)
        if s1 - s0 != r1 - r0:
            ws.merge_cells(new)  # a range that grew needs placeholders in the new rows
        else:
            ws.merged_cells.add(MergedCellRange(ws, new))
    for r in heights:
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        ws.row_dimensions[r + n].height = h
    for other in wb.worksheets:
        for row in other.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.value = shift_formula(cell.value, other.title, sheet, at, n, grow)
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange(" ".join(shift_ref(str(r), at, n, grow) for r in dv.sqref.ranges))
        for attr in ("formula1", "formula2"):
            if getattr(dv, attr):
                setattr(dv, attr, shift_formula(getattr(dv, attr), sheet, sheet, at, n, grow))
    cfs = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        sqref = " ".join(shift_ref(str(r), at, n, grow) for r in cf.sqref.ranges)
        for rule in cf.rules:
            rule.formula = [shift_formula(f, sheet, sheet, at, n, grow) for f in rule.formula or ()]
            cfs.add(sqref, rule)
    ws.conditional_formatting = cfs
    for names in (wb.defined_names, *(w.defined_names for w in wb.worksheets)):
        for dn in names.values():
            if dn.attr_text:
                dn.attr_text = shift_formula(dn.attr_text, None, sheet, at, n, grow)
    for brk in ws.row_breaks.brk:  # a page break after row id belongs to the row under it
        if brk.id is not None and brk.id >= at - 1:
            brk.id += n
    if ws.print_area:
        ws.print_area = [shift_ref(a.rpartition("!")[2], at, n, grow) for a in ws.print_area.split(",")]
    if ws.print_title_rows:
        ws.print_title_rows = shift_ref(ws.print_title_rows, at, n, grow).replace("$", "")
    if format_from_above and at > 1:
        copy_row_format(ws, at - 1, range(at, at + n))


def copy_row_format(ws, source: int, rows: Iterable[int], merges: bool = False,
                    columns: tuple[int, int] | None = None) -> None:
    """Give ``rows`` the style and height of row ``source`` (and its one-row merged spans, if ``merges``)."""
    lo, hi = columns or (1, ws.max_column)
    height = ws.row_dimensions[source].height if source in ws.row_dimensions else None
    spans = [mr for mr in ws.merged_cells.ranges
             if merges and mr.min_row == mr.max_row == source and lo <= mr.min_col and mr.max_col <= hi]
    for r in rows:
        for c in range(lo, hi + 1):
            src = ws.cell(source, c)
            if src.has_style:
                ws.cell(r, c)._style = copy.copy(src._style)
        if height is not None:
            ws.row_dimensions[r].height = height
        for mr in spans:
            ws.merge_cells(start_row=r, start_column=mr.min_col, end_row=r, end_column=mr.max_col)


# --- the action ---------------------------------------------------------------------------------

def aligned_tables(layout: Layout, key: str) -> list[str]:
    """``key`` and the tables whose rows pair with its rows by position (row rules reaching across)."""
    linked = {key}
    for t in layout.tables:
        for c in t.columns:
            for ref in c.rule.args if c.rule else ():
                if "." in ref and not ref.startswith(("'", "@")) and not ref.endswith("[]"):  # [] = whole column
                    other = ref.split(".", 1)[0]
                    if key in (t.key, other):
                        linked |= {t.key, other}
    return [t.key for t in layout.tables if t.key in linked]


def _last_row(sd: SheetData, key: str) -> int:
    """The last data row of a table: above its Total row, else above the blank rows the template leaves
    before the next table (one) or the signature block (two)."""
    td = sd.tables[key]
    if td.total_row:
        return td.total_row - 1
    gap = 2 if key == list(sd.tables)[-1] else 1
    return max(td.area_end - gap, *td.rows, td.number_row + 1)


def _table_at(sd: SheetData, row: int) -> str:
    for key, td in sd.tables.items():
        if td.number_row < row <= _last_row(sd, key):
            return key
    where = "; ".join(f"{td.table.title or key}: baris {td.number_row + 1}–{_last_row(sd, key)}"
                      for key, td in sd.tables.items())
    raise TambahBarisGagal(f"Lembar '{sd.name}': baris {row} bukan baris data tabel ({where}). Pilih baris di "
                           "dalam tabel; baris baru disisipkan di bawahnya.")


def new_rows_plan(sd: SheetData, rows: Sequence[int]) -> Plan:
    """The formulas of the derived cells in ``rows`` (1-based rows just inserted inside tables of ``sd``).

    For the add-in: Excel has inserted the rows (and copied the format of the row above);
    this is what a template row has besides: every derived cell's formula.
    """
    sp = live_place(sd)
    positions: dict[str, list[int]] = {}
    for r in rows:
        for key, tp in sp.tables.items():
            if tp.first_row <= r <= tp.last_row:
                positions.setdefault(key, []).append(r - tp.first_row)
    plan = Plan(clear_marks=False, findings_sheet=False)
    plan.writes = [Write(sd.name, a1, f) for a1, f in derived_formulas(sp, positions).items()]
    return plan


def add_rows_file(src: str | Path, out: str | Path, sheet: str, after: int, n: int) -> tuple[Path, Plan]:
    """Write a copy of ``src`` with ``n`` rows inserted under row ``after`` of ``sheet`` (inside its table)."""
    src, out = Path(src), Path(out)
    if out.resolve() == src.resolve():
        raise TambahBarisGagal(f"Berkas keluaran sama dengan berkas masukan ({src.name}); berkas asli tidak diubah. "
                               "Pilih nama lain untuk -o.")
    if not 1 <= n <= MAX_JUMLAH:
        raise TambahBarisGagal(f"Jumlah baris {n} tidak sah: isi 1 sampai {MAX_JUMLAH}.")
    data = read_workbook(src)
    sd = next((s for s in data.sheets if s.name == sheet), None) or next(  # Excel's sheet names ignore case
        (s for s in data.sheets if s.name.casefold() == sheet.strip().casefold()), None)
    if sd is None:
        names = ", ".join(f"'{s.name}'" for s in data.sheets)
        raise TambahBarisGagal(f"{src.name}: lembar form '{sheet}' tidak ada. Lembar form: {names}.")
    sheet = sd.name
    key = _table_at(sd, after)
    offset = after - sd.tables[key].number_row
    targets = []  # (after row, table) in every table paired with this one, same position
    for k in aligned_tables(sd.layout, key):
        targets.append((min(sd.tables[k].number_row + offset, _last_row(sd, k)), k))
    wb = open_copy(src)
    ws = wb[sheet]
    for r, k in sorted(targets, reverse=True):  # bottom first: the rows above keep their numbers
        insert_rows_like_excel(wb, sheet, r + 1, n, grow=r, format_from_above=False)
        cols = sd.tables[k].col_index
        copy_row_format(ws, r, range(r + 1, r + 1 + n), merges=True,
                        columns=(min(cols.values()), max(cols.values()) + sd.tables[k].table.columns[-1].span - 1))
    new_rows = [r + 1 + j + n * sum(1 for r2, _ in targets if r2 < r) for r, _ in targets for j in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / f"baru{src.suffix}"
        wb.save(probe)
        sd2 = next(s for s in read_workbook(probe).sheets if s.name == sheet)
    plan = new_rows_plan(sd2, new_rows)
    apply_plan(wb, plan)
    tables = ", ".join(sd.tables[k].table.title or k for _, k in sorted(targets))
    plan.messages.append(f"Tambah Baris: {n} baris disisipkan di bawah baris {after} lembar '{sheet}' ({tables}); "
                         f"{len(plan.writes)} rumus sel turunan diisi. Jalankan Validasi lagi.")
    return save_atomic(wb, out), plan
