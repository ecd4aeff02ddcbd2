"""Issue 3: templates whose cells call KINERJA.* compute, evaluated by `formulas` with our UDFs registered.

A derived cell is ``IF(<blank>,"",IFERROR(KINERJA.X(…),<native>))``. These tests build the templates with
the ``KINERJA.*`` part only (``parts="udf"``), so a value can only come from the registered functions;
tests/test_recalc_libreoffice.py checks the native part and the whole cell without the add-in.
"""

from __future__ import annotations

import openpyxl
import pytest

import udfs
from tests.test_udfs import _answers
from udfs.registry import register_formulas
from workbooks import builder, rules
from workbooks.builder import SheetValues, build_workbook
from workbooks.meta import Meta

formulas = pytest.importorskip("formulas")


def _evaluate(path):
    register_formulas()
    model = formulas.ExcelModel().loads(str(path)).finish()
    sol = model.calculate()
    out = {}
    for k, v in sol.items():
        ref = k.split("!")[-1]
        sheet = k.split("]")[-1].split("!")[0].strip("'")
        try:
            out[(sheet.upper(), ref)] = v.value[0][0]
        except (AttributeError, IndexError, TypeError):
            pass
    return out


@pytest.fixture(autouse=True)
def _udf_part_only(monkeypatch):
    monkeypatch.setattr(builder, "formula", lambda rule, render: rules.formula(rule, render, parts="udf"))


def _build(tmp_path, form, values):
    wb, places = build_workbook(Meta(form=form, versi="", tahun=2023, triwulan=2), values)
    path = tmp_path / f"{form}.xlsx"
    wb.save(path)
    return path, places


def test_perjanjian_kinerja_capaian_cells_equal_the_python_function(tmp_path):
    rows = [("SP1", 81, 83.03, "maksimal"), ("SP8", 92, 82.4, "maksimal"), ("SS1", 7, 6.5, "minimal"),
            ("SS2", 3.6, 3.61, "")]
    path, places = _build(tmp_path, "perjanjian-kinerja", {"PERJANJIAN KINERJA": SheetValues(tables={"indikator": [
        {"c1_kode": k, "c2_sasaran": "s", "c3_indikator": "i", "c4_satuan": "x", "c5_polaritas": p or None,
         "c6_target": t, "c7_realisasi": r} for k, t, r, p in rows]})})
    got = _evaluate(path)
    tp = places["PERJANJIAN KINERJA"].tables["indikator"]
    for i, (_, t, r, p) in enumerate(rows):
        assert got[("PERJANJIAN KINERJA", tp.cell("c8_capaian_pct", i))] == pytest.approx(
            udfs.capaian(t, r, p or "maksimal"))
    assert got[("PERJANJIAN KINERJA", tp.cell("c8_capaian_pct", len(rows)))] == ""  # an empty row stays empty


def test_skm_indeks_cells_equal_the_python_function(tmp_path):
    answers = _answers([105, 101, 100, 116, 102, 105, 106, 105, 115], 29)
    keys = [f"u{i:02d}" for i in range(1, 10)]
    path, places = _build(tmp_path, "skm", {"SKM": SheetValues(
        fields={"metode": "permenpanrb-14-2017", "populasi": 254},
        tables={"jawaban": [{"c1_responden": n + 1, **dict(zip(keys, row))} for n, row in enumerate(answers)]})})
    got = _evaluate(path)
    sp = places["SKM"]
    assert got[("SKM", sp.field_cell("ikm"))] == pytest.approx(udfs.ikm(answers)) == pytest.approx(955 / 261)
    assert got[("SKM", sp.field_cell("ikm_konversi"))] == pytest.approx(91.4751, abs=1e-4)
    assert got[("SKM", sp.field_cell("ikm_mutu"))] == "A (Sangat Baik)"
    assert got[("SKM", sp.field_cell("sampel_minimal"))] == 153
    tp = sp.tables["jawaban"]
    assert got[("SKM", f"{tp.letter('u01')}{tp.total_row}")] == pytest.approx(105 / 29)


def test_p3dn_cells_equal_the_python_function(tmp_path):
    rows = [{"c2_akun": "521211", "c4_pagu_rp": 100_000_000, "c5_realisasi_pdn_rp": 60_000_000,
             "c6_realisasi_tkdn_rp": 5_000_000, "c7_realisasi_impor_rp": 1_000_000},
            {"c2_akun": "532111", "c4_pagu_rp": 250_180_000, "c5_realisasi_pdn_rp": 18_000_000},
            {"c2_akun": "511111", "c4_pagu_rp": 7_572_916_000, "c5_realisasi_pdn_rp": 3_845_278_957}]
    path, places = _build(tmp_path, "p3dn", {"P3DN": SheetValues(tables={"akun": rows})})
    got = _evaluate(path)
    tp = places["P3DN"].tables["akun"]
    total = got[("P3DN", f"{tp.letter('c9_p3dn_pct')}{tp.total_row}")]
    # other akun (511111, gaji) is left out: (65.000.000 + 18.000.000) / 350.180.000
    assert total == pytest.approx(udfs.p3dn([65e6, 18e6, 3845278957], [1e8, 250180000, 7572916000],
                                            ["521211", "532111", "511111"]))
    assert total == pytest.approx(83e6 / 350180000 * 100)
    assert got[("P3DN", tp.cell("c9_p3dn_pct", 0))] == pytest.approx(65.0)


def test_whole_cells_with_the_native_fallback_compute_the_same(tmp_path, monkeypatch):
    """The cell as the builder writes it (KINERJA.* first, native fallback) gives the same capaian."""
    monkeypatch.setattr(builder, "formula", rules.formula)
    rows = [("SP1", 81, 83.03, "maksimal"), ("SS1", 7, 6.5, "minimal"), ("SS2", "80-90", 95, "rentang")]
    path, places = _build(tmp_path, "perjanjian-kinerja", {"PERJANJIAN KINERJA": SheetValues(tables={"indikator": [
        {"c1_kode": k, "c2_sasaran": "s", "c3_indikator": "i", "c4_satuan": "x", "c5_polaritas": p,
         "c6_target": t, "c7_realisasi": r} for k, t, r, p in rows]})})
    tp = places["PERJANJIAN KINERJA"].tables["indikator"]
    text = openpyxl.load_workbook(path)["PERJANJIAN KINERJA"][tp.cell("c8_capaian_pct", 0)].value
    assert text.startswith('=IF(OR(F') and "IFERROR(KINERJA.CAPAIAN(" in text and "CHOOSE(" in text
    got = _evaluate(path)
    for i, (_, t, r, p) in enumerate(rows):
        assert got[("PERJANJIAN KINERJA", tp.cell("c8_capaian_pct", i))] == pytest.approx(udfs.capaian(t, r, p))


EXCEL_2007 = frozenset({
    "ABS", "AND", "AVERAGE", "CHOOSE", "COUNT", "FIND", "IF", "IFERROR", "INDEX", "ISNA", "ISNUMBER", "LEFT",
    "LOWER", "MATCH", "MAX", "MID", "MIN", "N", "NOT", "OR", "REPT", "RIGHT", "ROUND", "SUBSTITUTE", "SUM", "SUMIF",
    "SUMPRODUCT", "TRIM", "VALUE", "AVERAGEIF", "COLUMN", "COUNTIF", "INT", "ROW",
})


def test_templates_use_excel_2007_functions_or_the_xlfn_prefix(monkeypatch):
    from udfs.registry import FUNGSI
    from workbooks.forms import FORM_IDS

    monkeypatch.setattr(builder, "formula", rules.formula)  # the cells as written, native part included
    seen: set[str] = set()
    for form in FORM_IDS:
        wb, _ = build_workbook(Meta(form=form, versi="", tahun=2023, triwulan=2, kegiatan=("6077",)))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        seen |= rules.functions(c.value)
    unknown = {f for f in seen if f not in EXCEL_2007 and f not in FUNGSI and not f.startswith("_xlfn.")}
    assert unknown == set()
    assert {"KINERJA.CAPAIAN", "KINERJA.IKM", "KINERJA.P3DN", "IFERROR", "SUMPRODUCT"} <= seen
    assert rules.xlfn("NUMBERVALUE") == "_xlfn.NUMBERVALUE" and rules.xlfn("SUM") == "SUM"
