"""LAPORAN.docx (python-docx): Ikhtisar Eksekutif, BAB I–IV, the tables and the narrative.

Staff paste from it or extend it; the numbers are the workbooks' and the text
quotes exactly the table cells (both print :attr:`Angka.teks`).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from macros.files import write_bytes_atomic
from macros.laporan.angka import BELUM, Angka
from macros.laporan.model import Laporan, Tabel, nomor
from macros.laporan.narasi import nama_sasaran, paragraf_indikator, paragraf_sasaran
from macros.laporan.susun import ROMAWI
from workbooks.teks import bersih


def _shade(cell, color: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _text(cell, teks: str, *, bold: bool = False, italic: bool = False, right: bool = False, size: float = 8) -> None:
    p = cell.paragraphs[0]
    run = p.add_run(bersih(teks))
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    p.paragraph_format.space_after = Pt(0)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


CM_PER_HURUF, PADDING_CM = 0.2, 0.3  # 8 pt Arial, bold headers
LEBAR_TEGAK, LEBAR_MELINTANG = 17.0, 25.7  # A4 less 2 cm margins, portrait and landscape
KOLOM_TEGAK = 7  # wider tables get a landscape page


def _lebar(t: Tabel, total: float) -> list[float]:
    """Column widths (cm): numbers and short texts get what they need on one line (headers by their longest
    word); columns holding long texts share the rest in proportion to their longest text."""
    need, flex = [], []
    for j, k in enumerate(t.kolom):
        fixed = max((len(x) for x in k.split()), default=4) + 1
        longest = 0
        for b in t.baris:
            if b.jenis == "kelompok" or j >= len(b.sel):
                continue
            v = b.sel[j]
            text = v.teks if isinstance(v, Angka) else str(v or "-")
            if text != BELUM:  # wraps on its words
                longest = max(longest, len(text))
            fixed = max(fixed, len(text) if isinstance(v, Angka) or len(text) <= 12 else
                        max((len(x) for x in text.split()), default=0))
        need.append(fixed * CM_PER_HURUF + PADDING_CM)
        flex.append(float(min(longest, 60)) if longest > 12 else 0.0)
    rest = total - sum(need)
    if rest <= 0 or not any(flex):
        return [total * x / sum(need) for x in need]
    return [n + rest * f / sum(flex) for n, f in zip(need, flex)]


def _halaman(doc, melintang: bool) -> None:
    """Start a new page section, landscape or portrait."""
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE if melintang else WD_ORIENT.PORTRAIT
    long_, short = Cm(29.7), Cm(21.0)
    sec.page_width, sec.page_height = (long_, short) if melintang else (short, long_)


def _tabel(doc, t: Tabel) -> None:
    melintang = len(t.kolom) > KOLOM_TEGAK and t.tersedia
    if melintang:
        _halaman(doc, True)
    cap = doc.add_paragraph(style="Caption")
    cap.add_run(t.label).bold = True
    n = len(t.kolom)
    tbl = doc.add_table(rows=1, cols=n)
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    lebar = _lebar(t, LEBAR_MELINTANG if melintang else LEBAR_TEGAK)
    for j, k in enumerate(t.kolom):
        c = tbl.rows[0].cells[j]
        _text(c, k, bold=True)
        _shade(c, "D9E1F2")
    _repeat_header(tbl.rows[0])
    if not t.tersedia:
        row = tbl.add_row()
        merged = row.cells[0].merge(row.cells[n - 1]) if n > 1 else row.cells[0]
        _text(merged, BELUM, italic=True)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for b in t.baris:
        row = tbl.add_row()
        if b.jenis == "kelompok" and n > 2:  # a heading row (sasaran, program): its text across the table
            label = next((str(v) for v in b.sel[1:] if isinstance(v, str) and v), "")
            merged = row.cells[1].merge(row.cells[n - 1])
            _text(merged, label, bold=True)
            if isinstance(b.sel[0], str) and b.sel[0]:  # the group's code (kode sasaran)
                _text(row.cells[0], b.sel[0], bold=True)
            for c in (row.cells[0], merged):
                _shade(c, "F2F2F2")
            continue
        for j, v in enumerate(b.sel):
            c = row.cells[j]
            if isinstance(v, Angka):
                _text(c, v.teks, bold=b.jenis != "isi", right=True)
            else:
                _text(c, "-" if v is None else str(v), bold=b.jenis != "isi")
            if b.jenis == "kelompok":
                _shade(c, "F2F2F2")
    for j, col in enumerate(tbl.columns):  # the grid LibreOffice lays out by
        col.width = Cm(lebar[j])
    for row in tbl.rows:  # the cell widths Word lays out by (a merged cell keeps its span's total)
        cells = row.cells
        for j, c in enumerate(cells):
            span = sum(lebar[k] for k in range(len(cells)) if cells[k]._tc is c._tc)
            c.width = Cm(span)
    if t.catatan:
        p = doc.add_paragraph()
        r = p.add_run(t.catatan)
        r.italic, r.font.size = True, Pt(8)
    if melintang:
        _halaman(doc, False)


def _ringkas(lap: Laporan) -> str:
    r = lap.ringkasan
    pos = f" s.d. Triwulan {ROMAWI[lap.triwulan]}" if lap.triwulan and lap.triwulan < 4 else ""
    kal = [f"Laporan Kinerja {lap.nama_unit} tahun {lap.tahun}{pos} memuat {len(lap.sasaran)} sasaran dan "
           f"{len(lap.indikator)} indikator kinerja."]
    rata = r.get("rata")
    if isinstance(rata, Angka):
        kal.append(f"Rata-rata capaian indikator yang telah terukur {rata.teks} %.")
    ser, pagu, real = r.get("serapan"), r.get("pagu"), r.get("realisasi")
    if isinstance(ser, Angka) and isinstance(pagu, Angka) and isinstance(real, Angka):
        kal.append(f"Realisasi anggaran Rp {real.teks} dari pagu Rp {pagu.teks} (serapan {ser.teks} %).")
    return " ".join(kal)


def dokumen(lap: Laporan):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    doc.core_properties.title = f"Laporan Kinerja Tahun {lap.tahun} {lap.nama_unit}"
    doc.core_properties.language = "id-ID"

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"LAPORAN KINERJA TAHUN {lap.tahun}\n{lap.nama_unit.upper()}")
    run.bold, run.font.size = True, Pt(14)
    if lap.triwulan and lap.triwulan < 4:
        sub = doc.add_paragraph(f"Posisi data: s.d. Triwulan {ROMAWI[lap.triwulan]}")
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("IKHTISAR EKSEKUTIF", level=1)
    doc.add_paragraph(_ringkas(lap))
    _tabel(doc, lap.ikhtisar)

    doc.add_heading("BAB I PENDAHULUAN", level=1)
    doc.add_paragraph(
        f"Laporan Kinerja ini disusun sesuai Peraturan Menteri PANRB Nomor 53 Tahun 2014 sebagai "
        f"pertanggungjawaban kinerja {lap.nama_unit} tahun {lap.tahun}. Seluruh angka dalam laporan ini dihitung "
        "dari buku kerja kinerja berikut (sumber setiap angka tercantum pada lembar Jejak Data berkas .xlsx "
        "pendamping):")
    for b in lap.berkas:
        doc.add_paragraph(b, style="List Bullet")
    if lap.catatan:
        doc.add_paragraph("Data yang belum tersedia:")
        for c in lap.catatan:
            doc.add_paragraph(c, style="List Bullet")

    doc.add_heading("BAB II PERENCANAAN KINERJA", level=1)
    doc.add_paragraph(f"Perencanaan kinerja tahun {lap.tahun} dituangkan dalam Perjanjian Kinerja dan Rencana "
                      "Aksi berikut.")
    for t in lap.bab2:
        _tabel(doc, t)

    tabel = {t.nomor: t for t in lap.bab3}
    doc.add_heading("BAB III AKUNTABILITAS KINERJA", level=1)
    doc.add_heading("A. Capaian Kinerja", level=2)
    doc.add_heading("1. Target, realisasi dan capaian tahun ini", level=3)
    _tabel(doc, tabel[nomor("capaian")])
    for s in lap.sasaran:
        doc.add_heading(f"{nama_sasaran(s)}: {s.nama}", level=4)
        doc.add_paragraph(paragraf_sasaran(s))
        for x in s.indikator:
            doc.add_paragraph(paragraf_indikator(x, lap))
            if x.kendala and x.kendala.strip("- "):
                p = doc.add_paragraph()
                p.add_run("Kendala dan tindak lanjut: ").italic = True
                p.add_run(bersih(x.kendala))
    _tabel(doc, tabel[nomor("triwulan")])
    doc.add_heading("2. Perbandingan dengan tahun sebelumnya", level=3)
    _tabel(doc, tabel[nomor("perbandingan")])
    doc.add_heading("3. Perbandingan dengan target jangka menengah (Renstra)", level=3)
    _tabel(doc, tabel[nomor("renstra")])
    doc.add_heading("4. Analisis penyebab keberhasilan/kegagalan dan upaya", level=3)
    _tabel(doc, tabel[nomor("kendala")])
    doc.add_heading("5. Efisiensi penggunaan sumber daya", level=3)
    _tabel(doc, tabel[nomor("efisiensi")])
    doc.add_heading("B. Realisasi Anggaran", level=2)
    _tabel(doc, tabel[nomor("anggaran")])
    doc.add_heading("C. Program Pendukung", level=2)
    _tabel(doc, tabel[nomor("p3dn")])
    _tabel(doc, tabel[nomor("ikm")])

    doc.add_heading("BAB IV PENUTUP", level=1)
    doc.add_paragraph(_ringkas(lap) + f" Kendala dan upaya tindak lanjut diuraikan pada Tabel {nomor('kendala')}; "
                      "angka dalam laporan ini dapat ditelusuri ke sel sumbernya pada lembar Jejak Data.")
    return doc


def tulis_docx(lap: Laporan, path: str | Path) -> Path:
    """Write LAPORAN.docx atomically."""
    buf = io.BytesIO()
    dokumen(lap).save(buf)
    return write_bytes_atomic(buf.getvalue(), path)
