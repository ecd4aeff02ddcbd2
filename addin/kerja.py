"""Run the core's actions on a book open in Excel (xlwings object model), applying their plans.

The same functions serve xlwings Server (a remote book built from the JSON Office.js
sends) and classic xlwings on Windows (``xw.Book.caller()``): both expose sheets,
ranges, colours, notes and sheet creation the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any

from macros.findings_format import (
    FILL,
    HASIL,
    HEADER_FILL,
    TANDA,
    Tanda,
    hasil_grid,
    hasil_links,
    legend_cells,
    read_tanda,
    tanda_grid,
)
from macros.hitung_ulang import recalculate
from macros.kiriman import KirimanDitolak, prepare_submission
from macros.plan import Plan, Write
from macros.pulihkan import restore_plan, sheet_formulas
from macros.tambah_baris import MAX_JUMLAH, TambahBarisGagal, aligned_tables, new_rows_plan, shift_ref
from macros.tambah_baris import _table_at  # the one Indonesian message for a row outside the tables
from macros.validation import validate
from workbooks.builder import FILL_DERIVED, FILL_INPUT, NUMBER_FORMATS
from workbooks.compute import derive, present
from workbooks.meta import META_SHEET
from workbooks.model import Jenis, Peran
from workbooks.reader import BacaGagal, SheetData, WorkbookData, grid_source, read_source
from workbooks.teks import bersih, formula_like

SHEET_HASIL = HASIL.name
SHEET_TANDA = TANDA.name
COLOUR = {k: "#" + v for k, v in FILL.items()}
# Office.js callbacks registered by kinerja.js (xlwings "runMacro" actions)
JS_UNPROTECT = "kinerjaBukaProteksi"
JS_PROTECT = "kinerjaKunciLagi"
JS_VERY_HIDDEN = "kinerjaSembunyikan"
XL_SHEET_VERY_HIDDEN = 2  # xlSheetVeryHidden, classic xlwings (COM)


PESAN_GAGAL = ("Maaf, proses gagal karena kesalahan di kinerja. Simpan berkas, lalu coba lagi; bila berulang, "
               "kirimkan berkas ini ke admin kinerja.")


class PesanPengguna(Exception):
    """A message for the user in Bahasa Indonesia (front ends show it as is)."""


def _remote(book: Any) -> bool:
    """True for xlwings Server (a book built from the payload Office.js sent)."""
    api = getattr(book, "api", None)
    return isinstance(api, dict) and "sheets" in api


def _grids(book: Any) -> dict[str, list[list[Any]]]:
    if _remote(book):
        return {s["name"]: s.get("values") or [[]] for s in book.api["sheets"]}
    out = {}
    for sheet in book.sheets:  # classic xlwings: read each used range from A1
        last = sheet.used_range.last_cell
        values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, empty=None).value
        out[sheet.name] = values
    return out


def _names(book: Any) -> dict[str, dict[str, str]]:
    """Sheet-scoped defined names (the signature cells) per sheet."""
    out: dict[str, dict[str, str]] = {}
    if _remote(book):
        sheets = [s["name"] for s in book.api.get("sheets", [])]
        for n in book.api.get("names", []):
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


def _cell_kind(data: WorkbookData, sheet: str, cell: str) -> tuple[Jenis, Peran] | None:
    """What the layout says a cell is (type and role); None for cells outside fields and tables."""
    sd = next((s for s in data.sheets if s.name == sheet), None)
    if sd is None:
        return None
    for fields, values in ((sd.layout.fields, sd.fields), (sd.layout.signature, sd.signature)):
        for f in fields:
            cv = values.get(f.key)
            if cv and cv.cell == cell:
                return f.jenis, f.peran
    for td in sd.tables.values():
        for key, cells in td.cell_lists.items():
            if cell in cells:
                col = td.table.column(key)
                return col.jenis, col.peran
        if td.total:
            for key, cv in td.total.items():
                if cv.cell == cell:
                    return td.table.column(key).jenis, Peran.TURUNAN
    return None


def _original_fill(data: WorkbookData, sheet: str, cell: str) -> str:
    """The template fill of a cell: shaded input, grey derived, none elsewhere."""
    kind = _cell_kind(data, sheet, cell)
    if kind is None:
        return ""
    return "#" + (FILL_DERIVED if kind[1] is Peran.TURUNAN else FILL_INPUT).fgColor.rgb[-6:]


def _number_format(data: WorkbookData):
    """(sheet, cell) → the number format the template gives that cell (see workbooks.builder)."""
    def number_format(sheet: str, cell: str) -> str | None:
        kind = _cell_kind(data, sheet, cell)
        if kind is None:
            return None
        return NUMBER_FORMATS.get(kind[0], "@" if kind[0] is Jenis.KODE else "General")
    return number_format


def _sheet(book: Any, name: str) -> Any | None:
    return next((s for s in book.sheets if s.name == name), None)


@contextmanager
def unprotected(book: Any, names: Iterable[str]):
    """Lift sheet protection around changes to ``names``, then put the same protection back.

    The templates forbid "format cells", so marking a protected sheet would fail.
    Under Office.js the unprotect/protect happen in kinerja.js (``runMacro``
    callbacks that remember each sheet's protection options); classic xlwings
    does the same through the COM object model.
    """
    names = [n for n in dict.fromkeys(names) if _sheet(book, n) is not None]
    if _remote(book):
        for n in names:
            book.app.macro(JS_UNPROTECT)(n)
        yield
        for n in names:
            book.app.macro(JS_PROTECT)(n)
        return
    restore = []  # classic xlwings (Windows COM)
    try:
        for n in names:
            ws = _sheet(book, n).api
            if not ws.ProtectContents:
                continue
            p = ws.Protection
            allow = {k: getattr(p, k) for k in (
                "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
                "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
                "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")}
            try:
                ws.Unprotect()
            except Exception as exc:  # noqa: BLE001 - a password: the user has to lift it
                raise PesanPengguna(
                    f"Lembar '{n}' dikunci dengan kata sandi. Buka proteksinya (Tinjau › Buka Proteksi Lembar), "
                    "lalu jalankan lagi.") from exc
            restore.append((ws, allow))
        yield
    finally:
        for ws, allow in restore:
            ws.Protect(DrawingObjects=True, Contents=True, Scenarios=True, **allow)


def _tanda(book: Any) -> list[Tanda]:
    tanda = _sheet(book, SHEET_TANDA)
    if tanda is None:
        return []
    grid = _grids(book).get(SHEET_TANDA) if _remote(book) else tanda.used_range.options(ndim=2).value
    return read_tanda(grid)


def _clear(book: Any, data: WorkbookData, tanda: list[Tanda]) -> int:
    n = 0
    for t in tanda:
        target = _sheet(book, t.sheet)
        if target is None:
            continue
        rng = target[t.cell]
        # marks sheets of old add-in versions recorded no fill: the template's is restored
        fill = t.fill if t.fill is not None else _original_fill(data, t.sheet, t.cell)
        rng.color = fill or None
        if not t.had_note:
            try:
                if rng.note is not None:
                    rng.note.delete()
            except NotImplementedError:
                pass
        n += 1
    if (marks := _sheet(book, SHEET_TANDA)) is not None:
        marks.visible = False  # only hidden: Excel refuses to delete a very hidden sheet (Office.js)
        marks.delete()
    hasil = _sheet(book, SHEET_HASIL)
    if hasil is not None:
        hasil.delete()
    return n


def clear_marks(book: Any, data: WorkbookData | None = None) -> int:
    """Remove kinerja's marks (fills and notes) and the findings sheet; returns the cells restored."""
    data = data or read_book(book)
    tanda = _tanda(book)
    with unprotected(book, [t.sheet for t in tanda]):
        return _clear(book, data, tanda)


def apply_plan(book: Any, plan: Plan, data: WorkbookData) -> None:
    """Apply ``plan`` to an open book: fills, notes, the findings sheet, writes and metadata."""
    old = _tanda(book) if plan.clear_marks else []
    touched = [t.sheet for t in old] + [m.sheet for m in plan.marks if m.cell] + [w.sheet for w in plan.writes]
    with unprotected(book, touched):
        if plan.clear_marks:
            _clear(book, data, old)
        marked = []
        for m in plan.marks:
            target = _sheet(book, m.sheet)
            if target is None or not m.cell:
                continue
            rng = target[m.cell]
            had_note = _has_note(rng)
            marked.append(Tanda(m.sheet, m.cell, _original_fill(data, m.sheet, m.cell), had_note))
            rng.color = COLOUR[m.severity]
            if not had_note:  # someone else's note stays; the findings sheet lists ours
                try:
                    rng.add_note(m.note)
                except NotImplementedError:  # notes need ExcelApi 1.18; the findings sheet still lists it
                    pass
        for w in plan.writes:
            rng = _sheet(book, w.sheet)[w.cell]
            if isinstance(w.value, str) and w.value.startswith("="):
                rng.formula = w.value  # Office.js Range.formulas: English names, comma separators, as rendered
            else:
                rng.value = w.value
    if plan.meta:
        meta = _sheet(book, META_SHEET)
        grid = _grids(book).get(META_SHEET, [])
        rows = {str(r[0]): i + 1 for i, r in enumerate(grid) if r and r[0]}
        for k, v in plan.meta.items():
            row = rows.get(k) or len(grid) + 1
            meta[f"A{row}"].value = [[k, v]]
    if marked:
        tanda = book.sheets.add(SHEET_TANDA, after=book.sheets[len(book.sheets) - 1])
        tanda["A1"].value = [[_as_text(v) for v in row] for row in tanda_grid(marked)]
        _very_hidden(book, tanda)
    if plan.findings_sheet:
        _findings_sheet(book, plan, data)
    for msg in plan.messages:
        book.app.alert(msg, title="Kinerja")


def _very_hidden(book: Any, sheet: Any) -> None:
    """Hide ``sheet`` as the file front end hides the marks sheet: very hidden, not listed under Unhide.

    xlwings' ``visible = False`` only hides; Office.js sets the visibility in kinerja.js (a ``runMacro``
    callback), classic xlwings through the COM object model.
    """
    if _remote(book):
        book.app.macro(JS_VERY_HIDDEN)(sheet.name)
    else:
        sheet.api.Visible = XL_SHEET_VERY_HIDDEN


def _as_text(v: Any) -> Any:
    """Submitted text stays text in Excel: a leading apostrophe keeps "=…", "+…", "-…", "@…" from becoming a formula."""
    v = bersih(v)
    return "'" + v if formula_like(v) else v


def _has_note(rng: Any) -> bool:
    try:
        return rng.note is not None
    except NotImplementedError:
        return False


def _findings_sheet(book: Any, plan: Plan, data: WorkbookData) -> None:
    """The "Hasil Validasi" sheet, as macros.findings_format describes it (the file front end writes the same)."""
    ws = book.sheets.add(SHEET_HASIL, before=book.sheets[0])
    grid = [[_as_text(v) for v in row] for row in hasil_grid(plan, _number_format(data))]
    ws["A1"].value = grid
    ncols = len(HASIL.columns)
    ws["A1"].font.bold = True
    for r, c, _, severity in legend_cells():
        if severity is not None:
            ws.range((r, c)).color = COLOUR[severity]
    head = ws.range((HASIL.header_row, 1), (HASIL.header_row, ncols))
    head.font.bold = True
    head.color = "#" + HEADER_FILL
    tingkat = HASIL.position("tingkat")
    for i, f in enumerate(plan.findings, start=1):
        ws.range((HASIL.header_row + i, tingkat)).color = COLOUR[f.severity]
    for j, c in enumerate(HASIL.columns, start=1):
        ws.range((1, j)).column_width = c.width
    if plan.findings:
        ws.range((HASIL.header_row + 1, 1), (HASIL.header_row + len(plan.findings), ncols)).vertical_alignment = "top"
        for key in ("judul", "pesan"):
            col = HASIL.position(key)
            ws.range((HASIL.header_row + 1, col), (HASIL.header_row + len(plan.findings), col)).wrap_text = True
    for row, col, f in hasil_links(plan, [s.name for s in book.sheets]):
        ws.range((row, col)).add_hyperlink(f"#'{f.sheet}'!{f.cell}", f.cell, f.message[:250])


# --- the ribbon actions -------------------------------------------------

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


def pulihkan_rumus(book: Any) -> Plan:
    """Put back the formula of every derived cell (macros.pulihkan), marks cleared."""
    data = read_book(book)
    plan = restore_plan(data)
    apply_plan(book, plan, data)
    return plan


def _insertion_points(sd: SheetData, after: int) -> list[tuple[int, str]]:
    """(row under which rows go, table key) in the selected table and every table paired with it by position."""
    try:
        hit = _table_at(sd, after)
    except TambahBarisGagal as exc:
        raise PesanPengguna(str(exc)) from exc
    offset = after - sd.tables[hit].number_row
    out = []
    for k in aligned_tables(sd.layout, hit):
        td = sd.tables[k]
        last = (td.total_row - 1) if td.total_row else td.area_end
        out.append((min(td.number_row + offset, last), k))
    return sorted(out, reverse=True)  # bottom first: the rows above keep their numbers


def tambah_baris(book: Any) -> Plan:
    """Insert rows inside the table under the selection (as many as the selection has rows).

    Excel inserts whole rows, so everything below shifts (merged cells, formulas, names,
    validations); each new row is then a copy of the row above (format, validation), emptied,
    with every derived cell's formula and the Total row's ranges rendered from the layout
    (:func:`macros.tambah_baris.new_rows_plan`).
    """
    data = read_book(book)
    sel = book.selection
    sheet = sel.sheet.name
    sd = next((s for s in data.sheets if s.name == sheet), None)
    if sd is None:
        raise PesanPengguna(f"Lembar '{sheet}' bukan lembar form kinerja. Pilih sel di dalam tabel sebuah form.")
    after, n = sel.row + sel.rows.count - 1, sel.rows.count
    if n > MAX_JUMLAH:
        raise PesanPengguna(f"Pilihan mencakup {n} baris; Tambah Baris menyisipkan paling banyak {MAX_JUMLAH} sekaligus.")
    points = _insertion_points(sd, after)
    # the sheet as it will be once Excel has inserted the rows: read it again from a shifted grid
    grids, names = _grids(book), _names(book)
    grid = [list(r) for r in grids[sheet]]
    width = max((len(r) for r in grid), default=1)
    new_rows: list[int] = []
    for r, _ in points:
        grid[r:r] = [[None] * width for _ in range(n)]
        new_rows = [x + n for x in new_rows] + list(range(r + 1, r + 1 + n))
        names[sheet] = {k: shift_ref(a.replace("$", ""), r + 1, n) for k, a in names.get(sheet, {}).items()}
    grids[sheet] = grid
    try:
        after_insert = read_source(grid_source(str(book.name), grids, names))
        sd2 = next(s for s in after_insert.sheets if s.name == sheet)
        plan = new_rows_plan(sd2, sorted(new_rows))
    except (BacaGagal, TambahBarisGagal) as exc:
        raise PesanPengguna(str(exc)) from exc
    # Excel does not grow a Total's ranges for rows inserted right above it: write the Total formulas
    # again, except where a value was typed over the formula (Validasi reports those)
    typed = _typed_totals(sd)
    formulas = sheet_formulas(sd2)
    for _, k in points:
        for key, cv in (sd2.tables[k].total or {}).items():
            if (k, key) not in typed and cv.cell in formulas:
                plan.writes.append(Write(sheet, cv.cell, formulas[cv.cell]))
    target = _sheet(book, sheet)
    last_col = 16384
    with unprotected(book, [sheet]):
        for r, _ in points:
            target.range((r + 1, 1), (r + n, last_col)).insert("down", "format_from_left_or_above")
        for r in sorted(new_rows):
            row = target.range((r, 1), (r, last_col))
            source = target.range((_source_row(r, new_rows), 1), (_source_row(r, new_rows), last_col))
            if _remote(book):  # Office.js Range.copyFrom(source, "All"): format, validation, merges
                row.copy_from(source, copy_type="All")
            else:  # classic xlwings (COM): Range.Copy(Destination)
                source.api.Copy(row.api)
            row.clear_contents()
        for w in plan.writes:
            target[w.cell].formula = w.value
    tables = ", ".join(sd.tables[k].table.title or k for _, k in sorted(points))
    plan.messages.append(f"Tambah Baris: {n} baris disisipkan di bawah baris {after} lembar '{sheet}' ({tables}); "
                         f"{len(plan.writes)} rumus sel turunan diisi. Jalankan Validasi lagi.")
    for msg in plan.messages:
        book.app.alert(msg, title="Kinerja")
    return plan


def _typed_totals(sd: SheetData) -> set[tuple[str, str]]:
    """(table, column) of Total cells whose value is not what their formula gives (typed over)."""
    computed = {d.address: d.value for d in derive(sd)[1] if d.row is None and d.table}
    out = set()
    for k, td in sd.tables.items():
        for key, cv in (td.total or {}).items():
            if cv.address in computed and not _same(cv.value, computed[cv.address]):
                out.add((k, key))
    return out


def _same(a: Any, b: Any) -> bool:
    if not present(a) or not present(b):
        return present(a) == present(b)
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return str(a).strip() == str(b).strip()


def _source_row(r: int, new_rows: list[int]) -> int:
    """The existing row just above new row ``r`` (the row whose format and validation it copies)."""
    src = r - 1
    while src in new_rows:
        src -= 1
    return src
