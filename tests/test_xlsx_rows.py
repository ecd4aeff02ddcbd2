"""Bulk rows (workbooks/xlsx_rows.py) are written with the bytes openpyxl writes for the same cells."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from workbooks import teks
from workbooks.xlsx_rows import BulkRows, ExcelWriter

LINK = Font(color="0563C1", underline="single")

ROWS = [
    ("FORM B BSKJI 019", "E12", 48488, "jumlah", "nilai", "900001.xlsx", "FORM A 6077", "M58", 12.5),
    ("Ringkasan", "C8", 0.1 + 0.2, "rata-rata", "bobot", "=HYPERLINK(\"http://x\")", "+62", "-1", "@SUM(A1)",
     "\tTAB", "\rCR"),
    ("é–\u00a0ß 中文", " awal", "akhir ", "baris\nbaru", "a&b<c>d\"e'", "#N/A", "#DIV/0!", "=", "", None, True),
    (None, None, "kontrol\x01\x07\x1f", "\ud800lone", "x" * 40000, 1e20, -0.0, 10 ** 20, False, 3),
    ("tanggal", dt.datetime(2023, 7, 4, 9, 30), dt.date(2023, 7, 4), dt.time(9, 15), Decimal("1.25"),
     float("nan"), float("inf")),
    ("pendek",),
    (),
    ("sel", "A1", None, None, None, None, None, None, None, None, None, None, "lebar"),
]
LINKS = [(1, 2, "#'FORM B BSKJI 019'!E12"), (1, 8, "#'FORM A 6077'!M58"), (2, 2, "#Ringkasan!C8"),
         (5, 2, "#Ringkasan!A1"), (7, 1, "#Ringkasan!B2")]


def _workbook(bulk: bool) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Jejak Data"
    head = ws.cell(1, 1, "Lembar")
    head.font, head.fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    ws.cell(1, 3, "Nilai").hyperlink = "#Lain!B2"  # the sheet's own link and comment come first
    ws.cell(1, 4, "Rumus").comment = Comment("lihat Jejak Data", "kinerja")
    ws.freeze_panes = "A2"
    other = wb.create_sheet("Lain")
    other.cell(2, 2, "sesudah").font = Font(italic=True)
    if bulk:
        rows = BulkRows(ws)
        numbers = [rows.append(r) for r in ROWS]
        assert numbers == list(range(2, 2 + len(ROWS)))
        for i, c, target in LINKS:
            rows.link(i + 1, c, target, LINK)
    else:
        for r in ROWS:
            teks.append(ws, r)
        for i, c, target in LINKS:
            cell = ws.cell(i + 1, c)
            cell.hyperlink, cell.font = target, LINK
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        ExcelWriter(wb, archive).write_data()
    return out.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_bulk_rows_are_written_as_openpyxl_writes_the_same_cells():
    plain, bulk = _parts(_workbook(False)), _parts(_workbook(True))
    assert plain.keys() == bulk.keys()
    for name in plain:
        assert bulk[name] == plain[name], name
    sheet = bulk["xl/worksheets/sheet1.xml"].decode()
    assert "<f>" not in sheet and 't="inlineStr"><is><t>=HYPERLINK' in sheet  # text, never a formula
    assert '<dimension ref="A1:M9"/>' in sheet and "&#233;&#8211;" in sheet


def test_bulk_rows_read_back_as_values_links_and_fonts():
    wb = load_workbook(io.BytesIO(_workbook(True)))
    ws = wb["Jejak Data"]
    assert [c.value for c in ws[2]][:9] == list(ROWS[0])
    assert ws["F3"].value == '=HYPERLINK("http://x")' and ws["F3"].data_type == "s"
    assert ws["C5"].value == "kontrol\ufffd\ufffd\ufffd" and ws["D5"].value == "\ufffdlone"
    assert len(ws["E5"].value) == 32767 and ws["F5"].value == 1e20
    assert ws["B6"].value == dt.datetime(2023, 7, 4, 9, 30) and ws["B6"].is_date
    assert ws["B2"].hyperlink.target == "#'FORM B BSKJI 019'!E12" and ws["B2"].font.underline == "single"
    assert ws["A8"].hyperlink.target == ws["A8"].value == "#Ringkasan!B2"  # as openpyxl shows a link alone
    assert ws["A1"].font.bold and wb["Lain"]["B2"].font.italic
    assert ws["C1"].hyperlink.target == "#Lain!B2" and ws["D1"].comment.text == "lihat Jejak Data"


def test_no_cell_may_be_written_among_the_bulk_rows():
    wb = Workbook()
    ws = wb.active
    rows = BulkRows(ws)
    rows.append(("a", 1))
    ws.cell(1, 3, "salah")  # row 1: the bulk rows start there
    with pytest.raises(ValueError, match="among the bulk rows"):
        with zipfile.ZipFile(io.BytesIO(), "w") as archive:
            ExcelWriter(wb, archive).write_data()


def _sheets(writer: type) -> dict[str, bytes]:
    """A workbook with every kind of cell the rollup's sheets hold, written by ``writer``."""
    from openpyxl.styles import Alignment, Protection

    wb = Workbook()
    # pinned, as to_bytes pins them: two writes a second apart must not differ in docProps/core.xml
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 7, 14, 9, 30)
    ws = wb.active
    ws.title = "Status Pengiriman"
    for r, row in enumerate(ROWS, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                teks.put(ws.cell(r, c), teks.bersih(v if not isinstance(v, str) else v[:32767]))
    ws["A1"].font, ws["B1"].fill = Font(bold=True), PatternFill("solid", fgColor="EDEDED")
    ws["C2"].number_format, ws["D2"].alignment = "#,##0.00", Alignment(wrap_text=True, vertical="top")
    ws["E9"].protection = Protection(locked=False)  # a styled empty cell
    ws["F9"].value = "=SUM(A1:A2)"  # a formula
    ws["G9"].value, ws["H9"].value, ws["I9"].value = "#N/A", "#DIV/0!", 1 / 3
    ws["A10"].hyperlink, ws["B10"].hyperlink = "#Ringkasan!A1", "https://contoh.go.id/a?b=1&c=2"
    ws["C10"].comment = Comment("Rincian: lembar Jejak Data baris 5–9.", "kinerja", width=260, height=70)
    ws.merge_cells("D10:F10")
    ws.row_dimensions[2].height = 42
    ws.row_dimensions[11].hidden = True  # a row with dimensions and no cells
    ws.freeze_panes = "A2"
    other = wb.create_sheet("Kosong")  # no cells at all
    other.sheet_state = "hidden"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        writer(wb, archive).write_data()
    return _parts(out.getvalue())


def test_sheets_are_written_with_the_bytes_openpyxl_writes():
    from openpyxl.writer.excel import ExcelWriter as OpenpyxlWriter

    ours, theirs = _sheets(ExcelWriter), _sheets(OpenpyxlWriter)
    assert ours.keys() == theirs.keys()
    for name in theirs:
        assert ours[name] == theirs[name], name
    sheet = ours["xl/worksheets/sheet1.xml"].decode()
    assert '<row r="2" ht="42" customHeight="1">' in sheet and "<f>SUM(A1:A2)</f>" in sheet
