"""Rows as users need them: rows inserted inside tables (by Excel or by Tambah Baris) read and validate."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string
from typer.testing import CliRunner

from addin.cli import app
from macros.contoh import sheet_values
from macros.tambah_baris import insert_rows_like_excel, new_rows_plan, shift_formula, shift_ref
from macros.validation import validate
from tests.synth import Output, Paket
from workbooks.builder import build_workbook, derived_formulas
from workbooks.forms import LAYOUTS
from workbooks.placement import place
from workbooks.reader import read_workbook

runner = CliRunner()
FA = place(LAYOUTS["form-a"])
ANG, REA = FA.tables["anggaran"], FA.tables["realisasi"]


def excel_insert(wb, sheet: str, at: int, n: int) -> None:
    """Insert rows the way Excel's Insert does (openpyxl's insert_rows alone moves only the cells):
    everything below shifts (merged ranges, formulas, defined names, validations, print area), a
    range spanning the insertion point grows, and the new rows are empty with the format of the row above."""
    insert_rows_like_excel(wb, sheet, at, n)


def test_shift_like_excel():
    assert shift_ref("E22:E27", 24, 2) == "E22:E29"  # inside: the range grows
    assert shift_ref("E22:E27", 28, 2) == "E22:E27"  # right under it: Excel leaves it
    assert shift_ref("E22:E27", 28, 2, grow=27) == "E22:E29"  # Tambah Baris under the last row keeps it inside
    assert shift_ref("$M$58", 30, 3) == "$M$61" and shift_ref("$19:$21", 30, 3) == "$19:$21"
    f = "=IF(N($E$16)=0,\"\",SUMPRODUCT(G22:G27,'FORM A'!K35:K40)/$E$16)"
    assert shift_formula(f, "FORM A", "FORM A", 24, 2) == "=IF(N($E$16)=0,\"\",SUMPRODUCT(G22:G29,'FORM A'!K37:K42)/$E$16)"
    assert shift_formula(f, "ALKI", "FORM A", 24, 2) == "=IF(N($E$16)=0,\"\",SUMPRODUCT(G22:G27,'FORM A'!K37:K42)/$E$16)"


def _paket_with_qdi():
    """The synthetic paket whose kegiatan 6077 has three outputs (ALKI and pagu satker include QDI)."""
    p = Paket()
    p.kegiatan["6077"].insert(1, Output("QDI", 106885, (0.0, 0.0, 0.0, 0.0), (18.06, 18.0, 15.0, 15.5)))
    return p


def _without_qdi(values):
    """The same paket as typed before the user had room for QDI in FORM A 6077 (sections II and III)."""
    sv = values["FORM A 6077"]
    return [t.pop(1) for t in (sv.tables["anggaran"], sv.tables["realisasi"])]


def test_excel_inserted_rows_are_read_and_validate_clean(tmp_path):
    p = _paket_with_qdi()
    meta, values = sheet_values(p)
    qdi_ang, qdi_rea = _without_qdi(values)
    wb, _ = build_workbook(meta, values)
    ws = wb["FORM A 6077"]
    names = {k: v.attr_text for k, v in ws.defined_names.items()}
    n_merged = len(ws.merged_cells.ranges)
    breaks = [b.id for b in ws.row_breaks.brk]  # page breaks before sections III and IV
    # the user inserts one row under AEF in section III, then one under AEF in section II (Excel, no macro)
    excel_insert(wb, "FORM A 6077", REA.first_row + 1, 1)
    excel_insert(wb, "FORM A 6077", ANG.first_row + 1, 1)
    # everything below moved: total formulas grew, names, validations and print area shifted
    assert ws[f"G{ANG.total_row + 1}"].value == f"=SUM(G{ANG.first_row}:G{ANG.last_row + 1})"
    total = ws[f"K{REA.total_row + 2}"].value
    assert f"G{ANG.first_row}:G{ANG.last_row + 1}" in total and f"K{REA.first_row + 1}:K{REA.last_row + 2}" in total
    assert ws[f"K{REA.first_row + 3}"].value == f"=N(C{REA.first_row + 3})+N(G{REA.first_row + 3})"  # its own row
    sig = int(names["ttd_nama"].rsplit("$", 1)[1])
    assert ws.defined_names["ttd_nama"].attr_text.endswith(f"${sig + 2}")
    assert ws.print_area.endswith(f"${sig + 2}") and len(ws.merged_cells.ranges) == n_merged
    assert [b.id for b in ws.row_breaks.brk] == [b + (1 if b < REA.first_row else 2) for b in breaks]
    lokasi = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "O" in str(dv.sqref))
    assert str(lokasi.sqref) == f"O{REA.first_row + 1}:O{REA.last_row + 2}"
    new, above = ws.cell(ANG.first_row + 1, 5), ws.cell(ANG.first_row, 5)  # format same as above
    assert (new.fill.fgColor.rgb, new.border.left.style, new.number_format, new.protection.locked) == (
        above.fill.fgColor.rgb, "thin", above.number_format, False)
    assert ws.cell(ANG.first_row + 1, 7).value is None  # Excel does not copy formulas
    # the user types QDI into the new rows (inputs only; the derived cells stay empty)
    r_ang, r_rea = ANG.first_row + 1, REA.first_row + 2
    for key, v in qdi_ang.items():
        ws[f"{ANG.letter(key)}{r_ang}"] = v
    for key, v in qdi_rea.items():
        ws[f"{REA.letter(key)}{r_rea}"] = v
    path = tmp_path / "disisipkan.xlsx"
    wb.save(path)
    sd = next(s for s in read_workbook(path).sheets if s.name == "FORM A 6077")
    assert sd.tables["anggaran"].values["c1_output_kode"].tolist() == ["AEF", "QDI", "BAD"]
    assert sd.tables["anggaran"].rows == [ANG.first_row, r_ang, ANG.first_row + 2]
    assert sd.tables["realisasi"].values["c7_ini_keu_R"].tolist() == [21.0, 18.0, 9.01]
    assert sd.signature["ttd_nama"].value == p.penanggung_jawab
    # Excel copied no formula: each derived cell of the two rows is a V28b peringatan (not refused), and only that
    warned = validate(path)
    assert warned.valid and {(f.rule, f.severity) for f in warned.findings} == {("V28b", "peringatan")}
    assert {coordinate_from_string(f.cell)[1] for f in warned.findings} == {r_ang, r_rea}
    # the same file whose defined names were lost: the signature block is still not data
    wb = load_workbook(path)
    for w in wb.worksheets:
        for k in list(w.defined_names):
            del w.defined_names[k]
    wb.save(tmp_path / "tanpa-nama.xlsx")
    sd2 = next(s for s in read_workbook(tmp_path / "tanpa-nama.xlsx").sheets if s.name == "FORM A 6077")
    assert sd2.tables["kendala"].rows == sd.tables["kendala"].rows and len(sd.tables["kendala"].rows) == 3
    assert sd2.signature["ttd_nama"].value == p.penanggung_jawab
    assert [(f.rule, f.cell) for f in validate(tmp_path / "tanpa-nama.xlsx").findings] == [
        (f.rule, f.cell) for f in warned.findings]


def test_signature_of_a_table_without_total_is_not_data_without_names(tmp_path):
    from macros.templat import template_meta
    from workbooks.builder import SheetValues

    rows = [{"c1_kode": f"SP{i}", "c2_sasaran": "s", "c3_indikator": f"ind {i}", "c4_satuan": "%", "c6_target": 80,
             "c7_realisasi": 70 + i} for i in range(12)]  # every row of the table filled
    sig = {"ttd_tempat_tanggal": "Manado, 30 Juni 2023", "ttd_jabatan": "Kepala", "ttd_nama": "Budi"}
    wb, _ = build_workbook(template_meta("perjanjian-kinerja", tahun=2023), {"PERJANJIAN KINERJA": SheetValues(
        fields={"unit_organisasi": "Balai", **sig}, tables={"indikator": rows})})
    ws = wb["PERJANJIAN KINERJA"]
    excel_insert(wb, "PERJANJIAN KINERJA", 12, 2)
    for k in list(ws.defined_names):
        del ws.defined_names[k]
    wb.save(tmp_path / "pk.xlsx")
    sd = read_workbook(tmp_path / "pk.xlsx").sheets[0]
    assert len(sd.tables["indikator"].rows) == 12
    assert {k: v.value for k, v in sd.signature.items()} == sig
    assert validate(tmp_path / "pk.xlsx").findings == []


def test_new_rows_plan_gives_the_template_formulas():
    from macros.templat import template_meta

    wb, _ = build_workbook(template_meta("perjanjian-kinerja", tahun=2023))
    tp = place(LAYOUTS["perjanjian-kinerja"]).tables["indikator"]
    excel_insert(wb, "PERJANJIAN KINERJA", tp.first_row + 5, 3)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        wb.save(Path(tmp) / "x.xlsx")
        sd = read_workbook(Path(tmp) / "x.xlsx").sheets[0]
    new = range(tp.first_row + 5, tp.first_row + 8)
    plan = new_rows_plan(sd, new)
    want = derived_formulas(place(LAYOUTS["perjanjian-kinerja"], {"indikator": 15}))
    cols = [tp.letter(c.key) for c in tp.table.columns if c.rule is not None]  # every derived column
    assert {w.cell: w.value for w in plan.writes} == {f"{c}{r}": want[f"{c}{r}"] for r in new for c in cols}
    assert all(w.sheet == "PERJANJIAN KINERJA" for w in plan.writes)


@pytest.fixture(scope="module")
def paket_written(tmp_path_factory):
    """The paket without QDI, built once for the module (each test works on its own copy)."""
    p = _paket_with_qdi()
    meta, values = sheet_values(p)
    qdi = _without_qdi(values)
    wb, _ = build_workbook(meta, values)
    path = tmp_path_factory.mktemp("paket") / "paket.xlsx"
    wb.save(path)
    return path, qdi


@pytest.fixture()
def paket_file(paket_written, tmp_path):
    src, qdi = paket_written
    path = tmp_path / "paket.xlsx"
    shutil.copy(src, path)
    return path, qdi


@pytest.mark.parametrize("after", [ANG.first_row, ANG.last_row])
def test_tambah_baris_cli_inserts_in_paired_tables_and_fills_formulas(paket_file, tmp_path, after):
    src, (qdi_ang, qdi_rea) = paket_file
    before = src.read_bytes()
    out = tmp_path / "tambah.xlsx"
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "FORM A 6077", "--setelah-baris", str(after),
                            "--jumlah", "2", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert src.read_bytes() == before
    ws = load_workbook(out)["FORM A 6077"]
    k = after - ANG.first_row  # row position; paired section III row
    new_ang, new_rea = after + 1, REA.first_row + k + 2 + 1
    assert ws[f"G{new_ang}"].value == f"=N(D{new_ang})+N(E{new_ang})"
    assert ws[f"A{new_rea}"].value == f'=IF(A{new_ang}="","",A{new_ang})'
    assert ws[f"K{new_rea}"].value == f"=N(C{new_rea})+N(G{new_rea})"
    assert ws[f"G{ANG.total_row + 2}"].value == f"=SUM(G{ANG.first_row}:G{ANG.last_row + 2})"  # Total covers the new rows
    assert any(str(m) == f"E{new_ang}:F{new_ang}" for m in ws.merged_cells.ranges)  # spans copied
    dv = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "O" in str(dv.sqref))
    assert str(dv.sqref) == f"O{REA.first_row + 2}:O{REA.last_row + 4}"
    assert validate(out).findings == []
    # QDI typed into the first new rows: still consistent
    wb = load_workbook(out)
    ws = wb["FORM A 6077"]
    for key, v in qdi_ang.items():
        ws[f"{ANG.letter(key)}{new_ang}"] = v
    for key, v in qdi_rea.items():
        ws[f"{REA.letter(key)}{new_rea}"] = v
    wb.save(tmp_path / "isi.xlsx")
    sd = next(s for s in read_workbook(tmp_path / "isi.xlsx").sheets if s.name == "FORM A 6077")
    assert "QDI" in sd.tables["anggaran"].values["c1_output_kode"].tolist()
    assert validate(tmp_path / "isi.xlsx").findings == []


def test_tambah_baris_refuses_rows_outside_tables_and_the_input_as_output(paket_file, tmp_path):
    src, _ = paket_file
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "FORM A 6077", "--setelah-baris", "3",
                            "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "bukan baris data tabel" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "FORM Z", "--setelah-baris", "30",
                            "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "tidak ada" in r.output
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "ALKI", "--setelah-baris", "20", "-o", str(src)])
    assert r.exit_code == 2 and "sama dengan berkas masukan" in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_tambah_baris_takes_the_sheet_name_as_excel_does(paket_file, tmp_path):
    """Excel's sheet names ignore case: '--lembar "form a 6077"' is the sheet FORM A 6077."""
    src, _ = paket_file
    out = tmp_path / "kecil.xlsx"
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "form a 6077 ", "--setelah-baris", str(ANG.first_row),
                            "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "lembar 'FORM A 6077'" in " ".join(r.output.split())
    ws = load_workbook(out)["FORM A 6077"]
    new = ANG.first_row + 1
    assert ws[f"G{new}"].value == f"=N(D{new})+N(E{new})"



def test_tambah_baris_under_the_last_row_of_a_table_without_total(paket_file, tmp_path):
    src, _ = paket_file
    ken = FA.tables["kendala"]
    sig = int(load_workbook(src)["FORM A 6077"].defined_names["ttd_nama"].attr_text.rsplit("$", 1)[1])
    out = tmp_path / "kendala.xlsx"
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "FORM A 6077", "--setelah-baris", str(ken.last_row),
                            "--jumlah", "2", "-o", str(out)])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out)["FORM A 6077"]
    new = ken.last_row + 1
    spans = {str(m) for m in ws.merged_cells.ranges}
    assert {f"C{new}:G{new}", f"H{new}:L{new}", f"M{new}:O{new}", f"C{new + 1}:G{new + 1}"} <= spans
    assert ws.defined_names["ttd_nama"].attr_text.endswith(f"${sig + 2}")
    r = runner.invoke(app, ["tambah-baris", str(src), "--lembar", "FORM A 6077", "--setelah-baris",
                            str(ken.last_row + 1), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and f"baris {ken.first_row}–{ken.last_row})" in r.output.replace("\n", " ")
