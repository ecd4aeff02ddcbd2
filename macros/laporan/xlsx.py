"""LAPORAN.xlsx: the report's tables as a workbook, one sheet per part, plus the Jejak Data sheet.

Figures are written as numbers with a number format (Excel and LibreOffice show
them with the reader's locale separators: 1.234,56 in Indonesian), texts from
the submissions through :mod:`workbooks.teks` (never a formula). No formulas
are written: every figure is a value with its lineage on *Jejak Data*.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from macros.files import save_atomic
from macros.laporan.angka import BELUM, Angka
from macros.laporan.model import Laporan, Tabel
from workbooks.teks import put

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="D9E1F2")
_GROUP = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _widths(t: Tabel) -> list[float]:
    out = []
    for j, k in enumerate(t.kolom):
        longest = max([len(k) * 0.6] + [len(b.sel[j]) if isinstance(b.sel[j], str) else 12 for b in t.baris])
        out.append(max(8.0, min(48.0, longest + 2)))
    return out


def _tinggi(ws, widths: dict[int, float], top: int, bottom: int) -> None:
    """Row heights for wrapped text (spreadsheets do not grow rows written by openpyxl)."""
    for r in range(top, bottom):
        lines = 1
        for c in ws[r]:
            if isinstance(c.value, str) and c.alignment.wrap_text:
                w = widths.get(c.column, 10)
                lines = max(lines, -(-len(c.value) // max(1, int(w * 1.1))))
        if lines > 1:
            ws.row_dimensions[r].height = 13.5 * lines


def _tulis_tabel(ws, r: int, t: Tabel, jejak: list[list]) -> int:
    """Write ``t`` from row ``r``; returns the next free row."""
    put(ws.cell(r, 1), t.label).font = Font(bold=True, size=11)
    r += 1
    for j, k in enumerate(t.kolom, 1):
        c = put(ws.cell(r, j), k)
        c.font, c.fill, c.border, c.alignment = Font(bold=True), _HEAD, _BOX, Alignment(wrap_text=True,
                                                                                       horizontal="center",
                                                                                       vertical="center")
    r += 1
    if not t.tersedia:
        put(ws.cell(r, 1), BELUM)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(1, len(t.kolom)))
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(r, 1).font = Font(italic=True)
        r += 1
    for b in t.baris:
        label = next((s for s in b.sel if isinstance(s, str) and s and not s.isdigit()), "")
        for j, v in enumerate(b.sel, 1):
            c = ws.cell(r, j)
            if isinstance(v, Angka):
                c.value = float(v.bulat)
                c.number_format = v.format_excel
                c.alignment = Alignment(horizontal="right", vertical="top")
                for s in v.sumber or (None,):
                    jejak.append([t.label, b.indikator or label, t.kolom[j - 1], float(v.bulat), v.teks,
                                  s.berkas if s else "", s.lembar if s else "", s.sel if s else "", v.rumus])
            else:
                put(c, "-" if v is None else v)
                c.alignment = _WRAP
            c.border = _BOX
            if b.jenis == "kelompok":
                c.font, c.fill = Font(bold=True), _GROUP
            elif b.jenis == "jumlah":
                c.font = Font(bold=True)
        r += 1
    if t.catatan:
        put(ws.cell(r, 1), t.catatan).font = Font(italic=True, size=9)
        r += 1
    return r + 1


def _sheet(wb: Workbook, title: str, judul: list[str], tabel: list[Tabel], jejak: list[list]) -> None:
    ws = wb.create_sheet(title)
    r = 1
    for line in judul:
        put(ws.cell(r, 1), line).font = Font(bold=True, size=12)
        r += 1
    r += 1
    top = r
    widths: dict[int, float] = {}
    for t in tabel:
        for j, w in enumerate(_widths(t), 1):
            widths[j] = max(widths.get(j, 0), w)
        r = _tulis_tabel(ws, r, t, jejak)
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w
    _tinggi(ws, widths, top, r)
    ws.sheet_view.showGridLines = False
    _cetak(ws)


def _cetak(ws) -> None:
    """A4 landscape, every column on the page width (pages run down as long as needed)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def buku_kerja(lap: Laporan) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    jejak: list[list] = []
    judul = [f"LAPORAN KINERJA TAHUN {lap.tahun}", lap.nama_unit.upper()]
    _sheet(wb, "Ikhtisar", [*judul, "IKHTISAR EKSEKUTIF"], [lap.ikhtisar], jejak)
    _sheet(wb, "BAB II", [*judul, "BAB II PERENCANAAN KINERJA"], lap.bab2, jejak)
    _sheet(wb, "BAB III", [*judul, "BAB III AKUNTABILITAS KINERJA"], lap.bab3, jejak)
    ws = wb.create_sheet("Jejak Data")
    head = ["Tabel", "Baris", "Kolom", "Nilai", "Tertulis", "Berkas", "Lembar", "Sel", "Perhitungan"]
    for j, k in enumerate(head, 1):
        c = put(ws.cell(1, j), k)
        c.font, c.fill, c.border = Font(bold=True), _HEAD, _BOX
    for i, row in enumerate(jejak, 2):
        for j, v in enumerate(row, 1):
            c = put(ws.cell(i, j), v)
            if j == 4:
                c.number_format = "General"
    for j, w in enumerate((34, 48, 24, 16, 16, 44, 20, 8, 44), 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{max(1, len(jejak) + 1)}"
    _cetak(ws)
    ws.print_title_rows = "1:1"  # the column titles on every printed page
    return wb


def tulis_xlsx(lap: Laporan, path: str | Path) -> Path:
    """Write LAPORAN.xlsx atomically."""
    return save_atomic(buku_kerja(lap), path)
