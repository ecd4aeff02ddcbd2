"""Rule V00: a form not filled in (identity empty, or no filled row in a required table) is a galat."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from addin.cli import app
from macros.kiriman import KirimanDitolak, prepare_submission
from macros.validation import validate
from macros.validation import CATALOGUE
from tests.synth import Output, Paket, write
from workbooks.forms import FORM_IDS, LAYOUTS
from workbooks.placement import place
from workbooks.reader import read_workbook

runner = CliRunner()


def _expected_cell(form: str) -> tuple[str, str]:
    """(sheet, cell) of the first empty required cell of a blank template, from the layout."""
    lay = LAYOUTS["form-a" if form == "paket-triwulan" else form]
    sp = place(lay)
    if lay.identitas:
        return lay.sheet, sp.field_cell(lay.identitas[0])
    t = next(t for t in lay.tables if t.wajib)
    return lay.sheet, sp.tables[t.key].cell(t.filled_by[0], 0)


@pytest.mark.parametrize("form", FORM_IDS)
def test_blank_template_fails_with_belum_diisi_on_the_right_cell(form, tmp_path):
    path = tmp_path / f"{form}.xlsx"
    assert runner.invoke(app, ["templat", form, "-o", str(path), "--tahun", "2023", "--triwulan", "2"]).exit_code == 0
    js = tmp_path / "hasil.json"
    r = runner.invoke(app, ["validasi", str(path), "--json", str(js)])
    assert r.exit_code == 1, r.output
    assert "belum diisi" in r.output
    temuan = json.loads(js.read_text())[0]["temuan"]
    v00 = [f for f in temuan if f["rule"] == "V00"]
    sheet, cell = _expected_cell(form)
    assert (v00[0]["sheet"], v00[0]["cell"]) == (sheet, cell)
    assert all(f["severity"] == "galat" for f in v00)
    if form == "paket-triwulan":  # FORM A, ALKI and PENGUKURAN must be filled; SKM and P3DN may wait
        assert [f["sheet"] for f in v00] == ["FORM A", "ALKI", "PENGUKURAN"]


def test_identity_filled_but_table_empty_points_at_first_data_row(tmp_path):
    path = tmp_path / "pk.xlsx"
    runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(path), "--tahun", "2023"])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    sp = place(LAYOUTS["perjanjian-kinerja"])
    wb["PERJANJIAN KINERJA"][sp.field_cell("unit_organisasi")] = "Balai Contoh"
    wb["PERJANJIAN KINERJA"][sp.tables["indikator"].cell("c7_realisasi", 0)] = 5  # an optional cell: not a filled row
    wb.save(path)
    h = validate(path)
    v00 = [f for f in h.findings if f.rule == "V00"]
    assert [(f.sheet, f.cell) for f in v00] == [("PERJANJIAN KINERJA", sp.tables["indikator"].cell("c1_kode", 0))]
    assert "belum diisi" in v00[0].message


def test_rule_is_in_the_catalogue():
    assert CATALOGUE["V00"].title == "Form belum diisi" and CATALOGUE["V00"].severity == "galat"


def test_paket_with_one_empty_form_a_sheet_fails(tmp_path):
    p = Paket()
    p.kegiatan["6043"] = [Output("QDI", 1000, (0, 0, 0, 0), (1, 1, 1, 1))]

    def empty_6043(values):
        del values["FORM A 6043"]  # the sheet stays as the template drew it

    path = write(p, tmp_path / "paket.xlsx", mutate=empty_6043)
    h = validate(path)
    v00 = [f for f in h.findings if f.rule == "V00"]
    assert [f.sheet for f in v00] == ["FORM A 6043"]
    assert not h.valid
    with pytest.raises(KirimanDitolak):  # Siapkan Kiriman refuses any galat, V00 included
        prepare_submission(read_workbook(path))


def test_clean_synthetic_and_demo_workbooks_have_no_v00(tmp_path, demo_dir):
    p = Paket(skm=[[3, 4, 3, 3, 4, 3, 3, 4, 3]] * 5, p3dn=[("521211", 1000, 400, 100)])
    paths = [write(Paket(), tmp_path / "a.xlsx"), write(p, tmp_path / "b.xlsx", typed_derived=True),
             *sorted(demo_dir.glob("*.xlsx"))]
    assert len(paths) == 7
    for path in paths:
        assert [f for f in validate(path).findings if f.rule == "V00"] == [], path.name


def test_an_untouched_optional_sheet_is_fine_in_a_package_but_a_started_one_is_checked(tmp_path):
    def start_skm(values):
        from workbooks.builder import SheetValues

        values["SKM"] = SheetValues(tables={"jawaban": [{"c1_responden": 1, "u01": 3}]})

    h = validate(write(Paket(), tmp_path / "skm.xlsx", mutate=start_skm))
    v00 = [f for f in h.findings if f.rule == "V00"]
    assert [(f.sheet, f.column) for f in v00] == [("SKM", "Metode")]
