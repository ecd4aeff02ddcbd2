"""Pulihkan Rumus: derived cells typed over get their formulas back, from the layout."""

from __future__ import annotations

import hashlib

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from addin.cli import app
from macros.pulihkan import restore_plan
from macros.validation import validate
from tests.synth import Paket, write
from workbooks.builder import build_workbook, derived_formulas
from workbooks.forms import LAYOUTS
from workbooks.placement import place
from workbooks.reader import read_workbook

runner = CliRunner()

FA = place(LAYOUTS["form-a"])
ALKI = place(LAYOUTS["alki"], {"komponen": 12})
SKM = place(LAYOUTS["skm"])
P3DN = place(LAYOUTS["p3dn"])
# (sheet, cell, typed value): a row cell, a total, a copied cell, a field rule, UDF cells
TYPED = (
    ("FORM A 6077", FA.tables["realisasi"].cell("c10_sd_keu_S", 0), 99),
    ("FORM A 6077", FA.tables["anggaran"].cell("c5_total_rp000", 1), 5),
    ("FORM A 6077", FA.tables["anggaran"].cell("c5_total_rp000", 4), 123),  # a row holding no other data
    ("FORM A 6077", f"{FA.tables['realisasi'].letter('c11_sd_keu_R')}{FA.tables['realisasi'].total_row}", 1.5),
    ("FORM A 6042", FA.tables["realisasi"].cell("c1_output_kode", 0), "QDI"),
    ("ALKI", ALKI.field_cell("pagu_alki_rp"), 123),
    ("SKM", SKM.field_cell("ikm"), 3.99),
    ("SKM", SKM.field_cell("ikm_mutu"), "A"),
    ("P3DN", P3DN.tables["akun"].cell("c9_p3dn_pct", 0), 12.5),
)


@pytest.fixture(scope="module")
def typed_over(tmp_path_factory):
    """A clean package and a copy with derived cells typed over; written once, read-only for the tests."""
    tmp_path = tmp_path_factory.mktemp("ketik")
    p = Paket(skm=[[3, 4, 3, 3, 4, 3, 3, 4, 3]] * 5, p3dn=[("521211", 1000, 400, 100), ("521219", 3000, 200, 0)])
    clean = write(p, tmp_path / "bersih.xlsx")
    assert validate(clean).findings == []
    wb = load_workbook(clean)
    for sheet, cell, v in TYPED:
        assert str(wb[sheet][cell].value).startswith("="), (sheet, cell)
        wb[sheet][cell] = v
    wb.save(tmp_path / "ketik.xlsx")
    return clean, tmp_path / "ketik.xlsx"


def test_typed_over_cells_get_the_advice(typed_over):
    _, path = typed_over
    h = validate(path)
    flagged = {(f.sheet, f.cell) for f in h.findings if "gunakan Pulihkan Rumus" in f.message}
    assert {(s, c) for s, c, _ in TYPED} <= flagged
    empty_row = next(f for f in h.findings if f.cell == TYPED[2][1])
    assert empty_row.rule == "V28" and "baris tanpa data" in empty_row.message and "123" in empty_row.message


def test_pulihkan_restores_every_formula_and_validasi_is_clean(typed_over, tmp_path):
    clean, path = typed_over
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = tmp_path / "pulih.xlsx"
    r = runner.invoke(app, ["pulihkan", str(path), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"{len(TYPED)} dipulihkan" in r.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the input is never modified
    assert validate(out).findings == []
    want, got = load_workbook(clean), load_workbook(out)
    for sheet, cell, _ in TYPED:
        assert got[sheet][cell].value == want[sheet][cell].value  # the template's own formula
    # running it again changes nothing
    assert "0 dipulihkan" in runner.invoke(app, ["pulihkan", str(out), "-o", str(tmp_path / "lagi.xlsx")]).output


def test_formulas_saved_by_libreoffice_count_as_intact(typed_over, tmp_path):
    """LibreOffice saves add-in function names in lower case (kinerja.capaian): the same formula, which V28
    accepts, so Pulihkan Rumus does not count those cells as typed over."""
    clean, _ = typed_over
    wb = load_workbook(clean)
    lowered = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "KINERJA." in c.value:
                    c.value = c.value.replace("KINERJA.", "kinerja.").replace("$", "")
                    lowered += 1
    wb.save(tmp_path / "lo.xlsx")
    assert lowered > 10 and validate(tmp_path / "lo.xlsx").findings == []
    plan = restore_plan(read_workbook(tmp_path / "lo.xlsx"))
    assert "0 dipulihkan" in plan.messages[0] and "semua rumus sudah utuh" in plan.messages[0]


def test_plan_covers_every_derived_cell_of_a_template(tmp_path):
    from macros.templat import template_meta

    meta = template_meta("paket-triwulan", tahun=2023, triwulan=2, kegiatan=("6077",))
    wb, places = build_workbook(meta)
    wb.save(tmp_path / "t.xlsx")
    plan = restore_plan(read_workbook(tmp_path / "t.xlsx"))
    writes = {(w.sheet, w.cell): w.value for w in plan.writes}
    for name, sp in places.items():
        for a1, f in derived_formulas(sp).items():
            assert writes[(name, a1)] == f == wb[name][a1].value
    assert "0 dipulihkan" in plan.messages[0]


def test_output_equal_to_input_is_refused(typed_over):
    _, path = typed_over
    before = path.read_bytes()
    r = runner.invoke(app, ["pulihkan", str(path), "-o", str(path)])
    assert r.exit_code == 2 and "sama dengan berkas masukan" in " ".join(r.output.split())
    assert path.read_bytes() == before
    r = runner.invoke(app, ["pulihkan", str(path.parent / "tidak-ada.xlsx"), "-o", str(path.parent / "x.xlsx")])
    assert r.exit_code == 2 and "tidak ditemukan" in " ".join(r.output.split()) and "Traceback" not in r.output


def test_restored_formulas_recompute_in_libreoffice(typed_over, tmp_path):
    from python_calamine import CalamineWorkbook

    from tests.libreoffice import recalc, soffice

    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is required: run .ci/setup")
    _, path = typed_over
    out = tmp_path / "pulih.xlsx"
    assert runner.invoke(app, ["pulihkan", str(path), "-o", str(out)]).exit_code == 0
    lo = recalc(out, tmp_path / "lo")
    grid = CalamineWorkbook.from_path(str(lo)).get_sheet_by_name("FORM A 6077").to_python()
    r, c = FA.tables["realisasi"].first_row - 1, FA.tables["realisasi"].col("c10_sd_keu_S") - 1
    assert grid[r][c] == pytest.approx(10.0 + 20.5)  # Paket 6077 AEF: lalu keu S 10 + ini 20,5
    r, c = FA.tables["anggaran"].first_row, FA.tables["anggaran"].col("c5_total_rp000") - 1
    assert grid[r][c] == pytest.approx(548888)  # BAD: PHLN "-" + Rupiah 548.888


def test_pulihkan_fills_rows_inserted_by_excel(tmp_path):
    from macros.tambah_baris import insert_rows_like_excel
    from macros.templat import template_meta
    from workbooks.builder import SheetValues

    lay = LAYOUTS["perjanjian-kinerja"]
    rows = [{"c1_kode": "SP1", "c2_sasaran": "s", "c3_indikator": f"ind {i}", "c4_satuan": "%", "c6_target": 80,
             "c7_realisasi": 70 + i} for i in range(3)]
    wb, _ = build_workbook(template_meta("perjanjian-kinerja", tahun=2023), {
        "PERJANJIAN KINERJA": SheetValues(fields={"unit_organisasi": "Balai"}, tables={"indikator": rows})})
    tp = place(lay).tables["indikator"]
    insert_rows_like_excel(wb, "PERJANJIAN KINERJA", tp.first_row + 1, 1)  # as Excel inserts: no formula
    ws = wb["PERJANJIAN KINERJA"]
    new = tp.first_row + 1
    for key, v in {"c1_kode": "SP2", "c2_sasaran": "s", "c3_indikator": "baru", "c4_satuan": "%", "c6_target": 50,
                   "c7_realisasi": 40}.items():
        ws[f"{tp.letter(key)}{new}"] = v
    assert ws[f"H{new}"].value is None
    wb.save(tmp_path / "sisip.xlsx")
    r = runner.invoke(app, ["pulihkan", str(tmp_path / "sisip.xlsx"), "-o", str(tmp_path / "pulih.xlsx")])
    n_derived = sum(c.rule is not None for c in tp.table.columns)  # the new row's derived cells
    assert r.exit_code == 0 and f"{n_derived} dipulihkan" in r.output, r.output
    want = derived_formulas(place(lay, {"indikator": 13}))
    got = load_workbook(tmp_path / "pulih.xlsx")["PERJANJIAN KINERJA"]
    assert [got[f"H{r}"].value for r in range(tp.first_row, tp.first_row + 4)] == \
        [want[f"H{r}"] for r in range(tp.first_row, tp.first_row + 4)]
    assert validate(tmp_path / "pulih.xlsx").findings == []


def test_typed_over_row_without_data_is_restored_within_the_table_only(tmp_path):
    """RENSTRA's indikator table has no Total row: its area runs on to the next table's title. A row whose derived
    cells are all typed over is restored; a number typed in the blank row under the template's rows is not the
    table's and gets no formula (nor a V28 finding)."""
    from macros.templat import template_meta

    lay = LAYOUTS["renstra"]
    tp = place(lay).tables["indikator"]
    wb, _ = build_workbook(template_meta("renstra", tahun=2023))
    ws = wb[lay.sheet]
    derived = [c.key for c in tp.table.columns if c.rule is not None]
    row = tp.first_row + 2
    template = {k: ws[f"{tp.letter(k)}{row}"].value for k in derived}
    assert all(str(f).startswith("=") for f in template.values())
    for n, k in enumerate(derived):
        ws[f"{tp.letter(k)}{row}"] = 100 + n
    below = f"{tp.letter(derived[-1])}{tp.first_row + tp.table.rows}"  # the blank row before the next title
    assert ws[below].value is None
    ws[below] = 9
    wb.save(tmp_path / "ketik.xlsx")
    found = {(f.rule, f.cell) for f in validate(tmp_path / "ketik.xlsx").findings}
    assert {("V28", f"{tp.letter(k)}{row}") for k in derived} <= found
    assert not any(c == below for _, c in found)
    r = runner.invoke(app, ["pulihkan", str(tmp_path / "ketik.xlsx"), "-o", str(tmp_path / "pulih.xlsx")])
    assert r.exit_code == 0 and f"{len(derived)} dipulihkan" in r.output, r.output
    got = load_workbook(tmp_path / "pulih.xlsx")[lay.sheet]
    assert {k: got[f"{tp.letter(k)}{row}"].value for k in derived} == template
    assert got[below].value == 9


def test_output_onto_a_folder_is_refused_in_indonesian(typed_over, tmp_path):
    """pulihkan and tambah-baris -o naming an existing folder: the Indonesian reason and exit 2, not an OutputError
    traceback (8d39ce7); the folder and the input stay as they were."""
    _, path = typed_over
    before = path.read_bytes()
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    for args in (["pulihkan", str(path), "-o", str(folder)],
                 ["tambah-baris", str(path), "--lembar", "FORM A 6077", "--setelah-baris", "22", "-o", str(folder)]):
        r = runner.invoke(app, args)
        text = " ".join(r.output.split())
        assert r.exit_code == 2 and "tidak dapat ditulis" in text and "folder" in text, r.output
        assert r.exception is None or isinstance(r.exception, SystemExit)
    assert list(folder.iterdir()) == [] and path.read_bytes() == before
