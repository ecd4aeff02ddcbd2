"""Templates really compute: LibreOffice headless recalculates them (OOXMLRecalcMode=0)."""

from __future__ import annotations

import openpyxl
import pytest

from tests.libreoffice import recalc
from workbooks.builder import build_workbook
from workbooks.forms import FORM_IDS
from workbooks.meta import Meta
from workbooks.reader import _error_cells, read_workbook


def _udf_cells(path) -> dict[str, set[tuple[int, int]]]:
    """Cells whose formula calls a KINERJA.* custom function (LibreOffice cannot know them)."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, set[tuple[int, int]]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "KINERJA." in c.value:
                    out.setdefault(ws.title, set()).add((c.row - 1, c.column - 1))
    return out


def _errors_outside_udfs(original, recalculated) -> dict[str, dict]:
    udf = _udf_cells(original)
    bad = {}
    for sheet, cells in _error_cells(recalculated).items():
        extra = {rc: v for rc, v in cells.items() if rc not in udf.get(sheet, set())}
        if extra:
            bad[sheet] = extra
    return bad


@pytest.mark.parametrize("form", FORM_IDS)
def test_every_template_recalculates_without_error_cells(tmp_path, form):
    wb, _ = build_workbook(Meta(form=form, versi="", satker="247246", tahun=2023, triwulan=2,
                                kegiatan=("6077", "6042")))
    src = tmp_path / f"{form}.xlsx"
    wb.save(src)
    out = recalc(src, tmp_path / "out")
    assert _errors_outside_udfs(src, out) == {}


def test_every_demo_workbook_recalculates_without_error_cells(demo_dir, recalculated_demo):
    for src in sorted(demo_dir.glob("*.xlsx")):
        assert _errors_outside_udfs(src, recalculated_demo / src.name) == {}, src.name


def _totals(path, sheet, table):
    data = read_workbook(path)
    s = next(s for s in data.sheets if s.name == sheet)
    return {k: v.value for k, v in s.tables[table].total.items()}


def test_form_b_dl_jumlah_recalculates_to_the_seed_values(recalculated_demo):
    # 000:L899: Jumlah 28,12 / 24,77 / 41,72 / 38,88 (pagu-weighted, R3); pagu 493.064.631
    t = _totals(recalculated_demo / "BPSDMI_2023_TW2_form-b_DL.xlsx", "FORM B", "kegiatan")
    assert t["c5_total_rp000"] == 493064631
    assert t["c6_penyerapan_S_pct"] == pytest.approx(28.12, abs=0.005)
    assert t["c7_penyerapan_R_pct"] == pytest.approx(24.77, abs=0.005)
    assert t["c10_output_S_pct"] == pytest.approx(41.72, abs=0.01)  # 41,7260: the seed truncated
    assert t["c11_output_R_pct"] == pytest.approx(38.88, abs=0.005)


def test_form_b_wa_jumlah_is_empty_as_in_the_seed(recalculated_demo):
    # 000:L901-917: FORM B-WA prints no Jumlah row (I000-26); the demo keeps it empty for Validasi to flag
    t = _totals(recalculated_demo / "BPSDMI_2023_TW2_form-b_WA.xlsx", "FORM B", "kegiatan")
    assert all(v is None or v != v for v in t.values())


def test_form_a_jumlah_recalculates_to_the_seed_values(recalculated_demo):
    path = recalculated_demo / "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"
    # 003:L1356: 6042 Jumlah s.d. triwulan ini 42,75 / 41,18 / 44,01 / 44,01 (contribution to the satker pagu, R2)
    t = _totals(path, "FORM A 6042", "realisasi")
    for key, want in (("c10_sd_keu_S", 42.75), ("c11_sd_keu_R", 41.18), ("c12_sd_fis_S", 44.01),
                      ("c13_sd_fis_R", 44.01), ("c2_lalu_keu_S", 15.46), ("c7_ini_keu_R", 26.36)):
        assert t[key] == pytest.approx(want, abs=0.01), key
    # 003:L1300: 6077 Jumlah s.d. keu R 1,55. (Its TW-ini keu S recomputes to 0,67, not the printed 0,66:
    # the seed's AEF row at 003:L1296 is shifted one cell left, so 31,04 stands where 30,52 belongs.)
    t = _totals(path, "FORM A 6077", "realisasi")
    assert t["c11_sd_keu_R"] == pytest.approx(1.55, abs=0.005)
    assert t["c6_ini_keu_S"] == pytest.approx((48488 * 31.04 + 548888 * 8.56 + 106885 * 18.06) / 12207073)


def test_cumulative_columns_recalculate_to_the_seed_values(recalculated_demo):
    path = recalculated_demo / "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"
    s = next(s for s in read_workbook(path).sheets if s.name == "FORM A 6042")
    v = s.tables["realisasi"].values
    # 003:L1352 EBA: 17,27 + 29,36 = 46,63; 003:L1354 EBC fisik R 10,70 + 36,21 = 46,91 (printed 46,92, within R1's ±0,01)
    assert v.at[0, "c10_sd_keu_S"] == pytest.approx(46.63)
    assert v.at[2, "c13_sd_fis_R"] == pytest.approx(46.91)
    # and section II Total = Σ outputs (003:L1344: 11.270.632)
    assert s.tables["anggaran"].total["c5_total_rp000"].value == 11270632
