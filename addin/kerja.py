"""Run the core's actions on a book open in Excel (xlwings object model), applying their plans.

The same functions serve xlwings Server (a remote book built from the JSON Office.js
sends) and classic xlwings on Windows (``xw.Book.caller()``): both expose sheets,
ranges, colours, notes and sheet creation the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from macros.hitung_ulang import recalculate
from macros.kiriman import KirimanDitolak, prepare_submission
from macros.plan import Plan, Severity
from macros.validation import validate
from workbooks.builder import FILL_DERIVED, FILL_INPUT
from workbooks.meta import META_SHEET
from workbooks.model import Peran
from workbooks.reader import BacaGagal, WorkbookData, grid_source, read_source

SHEET_HASIL = "Hasil Validasi"
SHEET_TANDA = "_kinerja_tanda"
COLOUR = {Severity.GALAT: "#FFC7CE", Severity.PERINGATAN: "#FFEB9C", Severity.INFO: "#DDEBF7"}


class PesanPengguna(Exception):
    """A message for the user in Bahasa Indonesia (front ends show it as is)."""


def _grids(book: Any) -> dict[str, list[list[Any]]]:
    api = getattr(book, "api", None)
    if isinstance(api, dict) and "sheets" in api:  # xlwings Server: the payload Office.js sent
        return {s["name"]: s.get("values") or [[]] for s in api["sheets"]}
    out = {}
    for sheet in book.sheets:  # classic xlwings: read each used range from A1
        last = sheet.used_range.last_cell
        values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, empty=None).value
        out[sheet.name] = values
    return out


def _names(book: Any) -> dict[str, dict[str, str]]:
    """Sheet-scoped defined names (the signature cells) per sheet."""
    out: dict[str, dict[str, str]] = {}
    api = getattr(book, "api", None)
    if isinstance(api, dict):  # xlwings Server payload
        sheets = [s["name"] for s in api.get("sheets", [])]
        for n in api.get("names", []):
            if n.get("book_scope") or n.get("sheet_index") is None or not n.get("address"):
                continue
            out.setdefault(sheets[n["sheet_index"]], {})[n["name"].split("!")[-1]] = n["address"]
        return out
    for n in book.names:  # classic xlwings
        try:
            rng = n.refers_to_range
        except Exception:  # noqa: BLE001 - names that are not ranges are not ours
            continue
        out.setdefault(rng.sheet.name, {})[n.name.split("!")[-1]] = rng.address
    return out


def read_book(book: Any) -> WorkbookData:
    try:
        return read_source(grid_source(str(book.name), _grids(book), _names(book)))
    except BacaGagal as exc:
        raise PesanPengguna(str(exc)) from exc


def _original_fill(data: WorkbookData, sheet: str, cell: str) -> str:
    """The template fill of a cell: shaded input, grey derived, none elsewhere."""
    sd = next((s for s in data.sheets if s.name == sheet), None)
    if sd is None:
        return ""
    for f in sd.layout.fields:
        cv = sd.fields.get(f.key)
        if cv and cv.cell == cell:
            return "#" + (FILL_DERIVED if f.peran is Peran.TURUNAN else FILL_INPUT).fgColor.rgb[-6:]
    for td in sd.tables.values():
        for key, cells in td.cell_lists.items():
            if cell in cells:
                derived = td.table.column(key).peran is Peran.TURUNAN
                return "#" + (FILL_DERIVED if derived else FILL_INPUT).fgColor.rgb[-6:]
        if td.total and any(cv.cell == cell for cv in td.total.values()):
            return "#" + FILL_DERIVED.fgColor.rgb[-6:]
    return ""


def _sheet(book: Any, name: str) -> Any | None:
    return next((s for s in book.sheets if s.name == name), None)


def clear_marks(book: Any, data: WorkbookData | None = None) -> int:
    """Remove kinerja's marks (fills and notes) and the findings sheet; returns the cells restored."""
    data = data or read_book(book)
    tanda = _sheet(book, SHEET_TANDA)
    n = 0
    if tanda is not None:
        rows = tanda.used_range.value or []
        rows = rows if isinstance(rows[0], list) else [rows]
        for row in rows:
            if not row or not row[0]:
                continue
            sheet, cell = row[0], row[1]
            target = _sheet(book, sheet)
            if target is None:
                continue
            fill = _original_fill(data, sheet, cell)
            target[cell].color = fill or None
            try:
                if target[cell].note is not None:
                    target[cell].note.delete()
            except NotImplementedError:
                pass
            n += 1
        tanda.delete()
    hasil = _sheet(book, SHEET_HASIL)
    if hasil is not None:
        hasil.delete()
    return n


def apply_plan(book: Any, plan: Plan, data: WorkbookData) -> None:
    """Apply ``plan`` to an open book: fills, notes, the findings sheet, writes and metadata."""
    if plan.clear_marks:
        clear_marks(book, data)
    marked = []
    for m in plan.marks:
        target = _sheet(book, m.sheet)
        if target is None or not m.cell:
            continue
        rng = target[m.cell]
        rng.color = COLOUR[m.severity]
        try:
            rng.add_note(m.note)
        except NotImplementedError:  # notes need ExcelApi 1.18; the findings sheet still lists it
            pass
        marked.append([m.sheet, m.cell])
    for w in plan.writes:
        _sheet(book, w.sheet)[w.cell].value = w.value
    if plan.meta:
        meta = _sheet(book, META_SHEET)
        grid = _grids(book).get(META_SHEET, [])
        rows = {str(r[0]): i + 1 for i, r in enumerate(grid) if r and r[0]}
        for k, v in plan.meta.items():
            row = rows.get(k) or len(grid) + 1
            meta[f"A{row}"].value = [[k, v]]
    if marked:
        tanda = book.sheets.add(SHEET_TANDA, after=book.sheets[len(book.sheets) - 1])
        tanda["A1"].value = marked
        tanda.visible = False
    if plan.findings_sheet:
        ws = book.sheets.add(SHEET_HASIL, before=book.sheets[0])
        rows = [[f"HASIL VALIDASI — {plan.galat} galat, {plan.peringatan} peringatan"], [],
                ["No", "Aturan", "Tingkat", "Lembar", "Sel", "Kolom", "Nilai ditemukan", "Nilai seharusnya", "Pesan"]]
        width = 9
        for i, f in enumerate(plan.findings, start=1):
            rows.append([i, f.rule, str(f.severity), f.sheet, f.cell, f.column, _text(f.found), _text(f.expected),
                         f.message])
        ws["A1"].value = [r + [None] * (width - len(r)) for r in rows]
        for i, f in enumerate(plan.findings, start=4):
            if f.cell:
                ws[f"E{i}"].add_hyperlink(f"#'{f.sheet}'!{f.cell}", f.cell, f.message[:250])
    for msg in plan.messages:
        book.app.alert(msg, title="Kinerja")


def _text(v: Any) -> Any:
    return v if v is None or isinstance(v, (int, float, str)) else str(v)


# --- the four ribbon actions -------------------------------------------------

def validasi(book: Any) -> Plan:
    data = read_book(book)
    plan = validate(data).plan()
    plan.messages.append(f"Validasi selesai: {plan.galat} galat, {plan.peringatan} peringatan. "
                         "Rincian di lembar 'Hasil Validasi'.")
    apply_plan(book, plan, data)
    return plan


def hapus_tanda(book: Any) -> int:
    n = clear_marks(book)
    book.app.alert(f"{n} tanda validasi dihapus.", title="Kinerja")
    return n


def hitung_ulang(book: Any) -> Plan:
    data = read_book(book)
    plan = recalculate(data)
    apply_plan(book, plan, data)
    return plan


def siapkan_kiriman(book: Any, now: dt.datetime | None = None) -> Plan:
    data = read_book(book)
    try:
        plan = prepare_submission(data, now)
    except KirimanDitolak as exc:
        raise PesanPengguna(str(exc)) from exc
    apply_plan(book, plan, data)
    return plan
