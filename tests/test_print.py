"""Templates print like the official forms: sections on their own pages, whole header words, rows tall enough.

The unit tests check the print set-up the builder writes; the PDF tests print the demo and synthetic
workbooks with LibreOffice (one run for all) and read the pages back with ``pdftotext -layout``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from macros.demo import load_demo
from tests.libreoffice import convert_many
from tests.synth import Paket, write
from tests.test_udfs import _answers
from workbooks.builder import build_workbook, column_widths, text_width, wrapped_lines
from workbooks.forms import FORM_IDS, LAYOUTS
from workbooks.meta import Meta

PAKET = "247246_BSPJI-Manado_2023_TW2_paket-triwulan"


def _header_words() -> set[str]:
    return {w for lay in LAYOUTS.values() for t in lay.tables for c in t.columns for h in c.headers
            for w in h.split() if len(w) >= 4 and "{" not in w}


# --- unit level: what the builder writes ------------------------------------------------------------

@pytest.mark.parametrize("form", FORM_IDS)
def test_no_header_word_is_wider_than_its_columns(form):
    wb, places = build_workbook(Meta(form=form, versi="", tahun=2023, triwulan=2, kegiatan=("6077",)))
    for name, sp in places.items():
        ws = wb[name]
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width for j in range(1, sp.width + 1)]
        assert widths == column_widths(sp, {"triwulan_romawi": "II", "tahun": "2023"})
        for tp in sp.tables.values():
            for rng in ws.merged_cells.ranges:
                if not (tp.header_row <= rng.min_row and rng.max_row < tp.number_row):
                    continue
                text = ws.cell(rng.min_row, rng.min_col).value or ""
                room = sum(widths[rng.min_col - 1: rng.max_col])
                for word in text.split():
                    assert text_width(word, bold=True) + 1 <= room, (form, word, room)


def test_form_a_sections_start_their_own_pages_without_a_repeated_title():
    wb, places = build_workbook(Meta(form="form-a", versi="", tahun=2023, triwulan=2, kegiatan=("6077",)))
    ws, sp = wb["FORM A"], places["FORM A"]
    assert not ws.print_title_rows  # section II's header must not repeat over sections III and IV
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    assert breaks == [sp.tables["realisasi"].title_row - 1, sp.tables["kendala"].title_row - 1]


@pytest.mark.parametrize("form", ["alki", "skm", "p3dn", "rencana-aksi", "pengukuran-rencana-aksi",
                                  "perjanjian-kinerja", "form-b"])
def test_single_table_forms_repeat_their_own_header(form):
    wb, places = build_workbook(Meta(form=form, versi="", tahun=2023, triwulan=2))
    (name, sp), = places.items()
    tp = next(iter(sp.tables.values()))
    assert wb[name].print_title_rows == f"${tp.header_row}:${tp.number_row}"
    assert not wb[name].row_breaks.brk


def test_rows_are_tall_enough_for_their_wrapped_text_copied_text_included():
    book = load_demo("bspji_manado_2023_tw2_paket.json")
    wb, places = build_workbook(book.meta, book.printed)
    ws, sp = wb["FORM A 6042"], places["FORM A 6042"]
    widths = column_widths(sp)
    for key, name_col in (("anggaran", "c1_output_nama"), ("realisasi", "c1_output_nama")):
        tp = sp.tables[key]
        room = sum(widths[tp.col(name_col) - 1: tp.col_end(name_col)])
        # section III shows section II's names through a formula: its rows must be as tall
        name = book.printed["FORM A 6042"].tables["anggaran"][0]["c1_output_nama"]
        lines = wrapped_lines(name, room)
        assert lines >= 2
        assert (ws.row_dimensions[tp.first_row].height or 15) >= 13 * lines


def test_wrapped_lines_breaks_at_words():
    assert wrapped_lines("Sosialisasi dan Diseminasi", 40) == 1
    assert wrapped_lines("Sosialisasi dan Diseminasi", 14) == 3
    assert wrapped_lines("a\nb", 40) == 2
    assert wrapped_lines(None, 5) == 1


# --- LibreOffice print ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(demo_dir, tmp_path_factory):
    """pdftotext -layout pages of every printed workbook, by file stem."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required")
    d = tmp_path_factory.mktemp("print")
    files = sorted(demo_dir.glob("*.xlsx"))
    files.append(write(Paket(skm=_answers([105, 101, 100, 116, 102, 105, 106, 105, 115], 29),
                             p3dn=[("521211", 100_000_000, 60_000_000, 5_000_000)]), d / "sintetis.xlsx"))
    for form in ("skm", "p3dn", "form-b"):
        wb, _ = build_workbook(Meta(form=form, versi="", tahun=2023, triwulan=2))
        wb.save(d / f"kosong_{form}.xlsx")
        files.append(d / f"kosong_{form}.xlsx")
    wb, _ = build_workbook(Meta(form="form-a", versi="", tahun=2023, triwulan=2, kegiatan=("6077",)), baris=30)
    wb.save(d / "form-a_30_baris.xlsx")
    files.append(d / "form-a_30_baris.xlsx")
    out = {}
    for pdf in convert_many(files, "pdf", d / "pdf"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True, timeout=120).stdout
        out[pdf.stem] = [p for p in text.split("\f") if p.strip()]
    return out


def test_header_words_print_whole(pages):
    words = _header_words()
    assert {"Kegiatan", "Komponen", "Responden"} <= words
    for stem, ps in pages.items():
        tokens = {t for p in ps for t in p.split()}
        fragments = {t for t in tokens if len(t) >= 4 and t not in words and any(
            w.startswith(t) and w != t for w in words)}
        assert fragments == set(), stem
    assert any("Komponen" in p for p in pages[PAKET]) and any("Responden" in p for p in pages["sintetis"])


def test_form_a_section_iii_pages_carry_section_iii_header_only(pages):
    for stem in (PAKET, "sintetis"):
        # a section III row: output code, name, then percentages with two decimals
        section_iii = [p for p in pages[stem] if re.search(r"^\s*[A-Z]{3}\s+[A-Z][a-z].*\s\d{1,3}\.\d{2}\s", p, re.M)]
        assert len(section_iii) == 2, stem  # one per FORM A sheet (two kegiatan)
        for p in section_iii:
            assert "III. TARGET DAN REALISASI" in p and "S.D. Triwulan Lalu (%)" in p
            assert "Anggaran (Rp. 000)" not in p and "Indikator Keluaran" not in p
        for p in pages[stem]:
            if "IV. KENDALA" in p:
                assert "Anggaran (Rp. 000)" not in p and "S.D. Triwulan Lalu" not in p


def test_form_a_section_iii_rows_do_not_overprint(pages):
    book = load_demo("bspji_manado_2023_tw2_paket.json")
    for sheet in ("FORM A 6077", "FORM A 6042"):
        sv = book.printed[sheet]
        rows = [(a["c1_output_kode"], (r.get("c1_output_nama") or a["c1_output_nama"]))
                for a, r in zip(sv.tables["anggaran"], sv.tables["realisasi"])]
        page = next(p for p in pages[PAKET] if "III. TARGET" in p and re.search(rf"^\s*{rows[0][0]}\s", p.split(
            "III. TARGET")[1], re.M))
        lines = page.split("III. TARGET")[1].splitlines()
        starts = [next(i for i, ln in enumerate(lines) if ln.strip().startswith(code + " ")) for code, _ in rows]
        ends = [*starts[1:], next(i for i, ln in enumerate(lines) if "Jumlah" in ln)]
        for (code, name), a, b in zip(rows, starts, ends):
            block = " ".join(lines[a:b])
            assert all(w in block for w in name.split()), (sheet, code)  # the whole name within its own row


def test_alki_row_numbers_stand_clear_of_the_kegiatan_code(pages):
    rows = [ln for p in pages[PAKET] for ln in p.splitlines() if re.match(r"^\s*\d+\s+\d{4}\s+[A-Z]{3}\s", ln)]
    assert len(rows) == 31  # 003:L1413-1452
    for ln in rows:
        assert re.match(r"^\s*\d+\s{2,}\d{4}\s", ln), ln


def test_skm_prints_nrr_and_index_with_decimals(pages):
    text = "\n".join(pages["sintetis"])
    nrr = next(ln for ln in text.splitlines() if ln.strip().startswith("NRR per unsur"))
    assert nrr.split()[3:6] == ["3.62", "3.48", "3.45"]  # 105/29, 101/29, 100/29
    assert re.search(r"Indeks Kepuasan Masyarakat \(1–4\) :\s+3\.66\b", text)
    assert re.search(r"unit pelayanan \(25–100\) :\s+91\.48\b", text)


def test_a_long_section_ii_starts_its_own_page_under_its_header(pages):
    ps = pages["form-a_30_baris"]
    assert "FORMULIR A" in ps[0] and "II. DATA" not in ps[0]  # 30 rows would not fit under section I
    total = [p for p in ps if re.search(r"^\s+Total\s", p, re.M)]
    assert len(total) == 1 and "II. DATA KEUANGAN" in total[0] and "Anggaran (Rp. 000)" in total[0]


def test_signature_blocks_are_not_split_over_pages(pages):
    for p in pages[PAKET]:
        if "Kepala BSPJI Manado" in p:
            assert "Manado, 30 Juni 2023" in p and "Henry Pajow" in p


def test_form_a_section_ii_too_long_for_page_one_starts_page_two():
    wb, places = build_workbook(Meta(form="form-a", versi="", tahun=2023, triwulan=2, kegiatan=("6077",)), baris=30)
    sp = places["FORM A"]
    assert sorted(b.id for b in wb["FORM A"].row_breaks.brk)[0] == sp.tables["anggaran"].title_row - 1
