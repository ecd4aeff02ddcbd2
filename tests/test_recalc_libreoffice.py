"""Workbooks compute without the add-in: LibreOffice headless (no KINERJA.* functions) recalculates them.

One LibreOffice run (module fixture) recalculates every workbook of this module: the demo workbooks
(seed reports), a synthetic paket with SKM and P3DN filled, a blank template of every form, and a
matrix of capaian / Indeks Kepuasan Masyarakat / P3DN cases. Every derived cell must equal the value
:mod:`workbooks.compute` (the udfs) gives, and no cell may hold an error value.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import openpyxl
import pytest

import udfs
from tests.libreoffice import recalc_many
from tests.synth import Paket, write
from tests.test_udfs import _answers
from udfs.errors import NilaiGalat
from workbooks.builder import build_workbook
from workbooks.compute import derive
from workbooks.forms import FORM_IDS
from workbooks.meta import Meta
from workbooks.model import Rule
from workbooks.reader import _error_cells, read_workbook
from workbooks.rules import formula

SKM_TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]  # 29 respondents (DOMAIN R13): 955/261
P3DN = [("521211", 100_000_000, 60_000_000, 5_000_000), ("532111", 250_180_000, 18_000_000, 0),
        ("524114", 80_000_000, 12_500_000, 7_250_000)]

# --- the case matrix: each native rendering against its udfs function --------------------------

POLARITAS = ["maksimal", "minimal", "minimal-tr", "stabil", "rentang", "rentang-minimal", "", "-", "minimasi",
             "Minimal — makin rendah makin baik"]
TARGETS = [80, 0, 7, 3.6, "80-90", "80 s.d. 90", "2.5–3.5", "90-80"]
REALISASI = [83.03, 6.5, 0, 95, 85, 120, 3.2]
BATAS = [None, 120, 100]


def _code(p: str) -> str:
    return p.split("—")[0].strip().lower() or "maksimal"


def _ikm_blocks() -> list[tuple[str, list[list[object]]]]:
    """(metode, respondents × 14 answers) cases: valid 9 and 14 unsur, invalid answer, unanswered unsur."""
    nine = [[(r + u) % 4 + 1 for u in range(9)] + [None] * 5 for r in range(6)]
    fourteen = [[(r * 3 + u) % 4 + 1 for u in range(14)] for r in range(6)]
    dashed = [row[:] for row in nine]
    dashed[2][4] = "-"
    bad = [row[:] for row in nine]
    bad[1][3] = 5
    unanswered = [row[:8] + [None] * 6 for row in nine]
    extra = [row[:] for row in nine]
    extra[0][12] = 2
    return [("permenpanrb-14-2017", nine), ("kepmenpan-25-2004", fourteen), ("", dashed), ("permenpanrb-14-2017", bad),
            ("permenpanrb-14-2017", unanswered), ("permenpanrb-14-2017", extra), ("kepmenpan-25-2004", nine)]


MUTU = [1, 1.76, 2.505, 3.2599, 3.26, 4, 25, 65, 76.605, 88.305, 88.31, 91.4751, 100, 0.5, 4.5, 101]
KONVERSI = [1, 3.659, 4, 0.9, 4.1]
SAMPEL = [1, 2, 100, 254, 1000, 74_999, 75_000, 1_000_000, 0]
P3DN_CASES = [
    (["521211", "532111", "511111"], [65e6, 18e6, 3_845_278_957], [1e8, 250_180_000, 7_572_916_000]),
    ([521211, None, "-"], [5, 7, 11], [10, 10, 10]),
    ([None, None, None], [5, 7, 11], [10, 10, 10]),
    (["511111", "", ""], [5, 0, 0], [10, 0, 0]),
]


WEIGHTED = [([10.5, "-", None, 20.25], [1, 2, 3, 4]), ([33.3, 50, 0, 100], [4, 4, 1, "-"]),
            ([None, None, None, None], [None, None, None, None])]


class CaseSheet:
    """A sheet of formula cases: each rule rendered natively and as the builder's cell, beside its Python value."""

    def __init__(self) -> None:
        self.wb = openpyxl.Workbook()
        self.ws = self.wb.active
        self.ws.title = "Kasus"
        self.want: list[tuple[str, str, object]] = []

    def put(self, row: int, col: int, rule: Rule, refs: dict[str, str], value: object) -> None:
        for k, part in enumerate(("native", "cell")):
            c = self.ws.cell(row, col + k, formula(rule, refs.get, part))
            self.want.append((c.coordinate, part, value))

    def save(self, path: Path) -> list[tuple[str, str, object]]:
        """Write the workbook; returns (address, part, expected python value) per formula cell."""
        self.wb.save(path)
        return self.want


def _matrix(path: Path) -> list[tuple[str, str, object]]:
    """Write the case matrix; returns (address, part, expected python value) per formula cell."""
    cases = CaseSheet()
    ws, put = cases.ws, cases.put

    r = 1
    for p, t, real, b in itertools.product(POLARITAS, TARGETS, REALISASI, BATAS):
        ws.cell(r, 1, t)
        ws.cell(r, 2, real)
        ws.cell(r, 3, p or None)
        ws.cell(r, 4, b)
        refs = {"t": f"A{r}", "r": f"B{r}", "p": f"C{r}", "b": f"D{r}"}
        value = udfs.capaian(t, real, _code(p), b)
        put(r, 5, Rule("capaian", ("t", "r", "p", "b")), refs, value)
        if "—" not in p and b is None:  # polarity known when the template is built
            put(r, 7, Rule("capaian", ("t", "r", f"'{p}'")), refs, value)
        r += 1
    for x in MUTU:
        for m in udfs.METODE:
            ws.cell(r, 1, x)
            ws.cell(r, 3, m)
            refs = {"x": f"A{r}", "m": f"C{r}"}
            put(r, 5, Rule("ikm_mutu", ("x", "m")), refs, udfs.ikm_mutu(x, m))
            put(r, 7, Rule("ikm_mutu", ("x", f"'{m}'")), refs, udfs.ikm_mutu(x, m))
            r += 1
    for x in KONVERSI:
        ws.cell(r, 1, x)
        put(r, 5, Rule("ikm_konversi", ("x",)), {"x": f"A{r}"}, udfs.ikm_konversi(x))
        r += 1
    for n in SAMPEL:
        ws.cell(r, 1, n)
        put(r, 5, Rule("ikm_sampel", ("n",)), {"n": f"A{r}"}, udfs.ikm_sampel(n) if n else None)
        r += 1
    for akun, real, pagu in P3DN_CASES:
        for i in range(3):
            ws.cell(r + i, 1, akun[i])
            ws.cell(r + i, 2, real[i])
            ws.cell(r + i, 3, pagu[i])
        refs = {"r": f"B{r}:B{r + 2}", "p": f"C{r}:C{r + 2}", "a": f"A{r}:A{r + 2}"}
        value = udfs.p3dn(real, pagu, akun)
        if isinstance(value, NilaiGalat):  # no pagu on an akun terpilih: the cell stays blank, not #DIV/0!
            value = None
        put(r, 5, Rule("p3dn", ("r", "p", "a")), refs, value)
        put(r, 7, Rule("p3dn", ("r", "p")), refs, udfs.p3dn(real, pagu))
        r += 4
    for vals, bobot in WEIGHTED:
        for i in range(4):
            ws.cell(r + i, 1, vals[i])
            ws.cell(r + i, 2, bobot[i])
        ws.cell(r, 3, 1000)
        refs = {"v": f"A{r}:A{r + 3}", "b": f"B{r}:B{r + 3}", "pen": f"C{r}", "x": f"A{r}", "y": f"A{r + 1}"}
        value = udfs.rata_tertimbang(vals, bobot)
        put(r, 5, Rule("tertimbang", ("v", "b")), refs, None if isinstance(value, NilaiGalat) else value)
        put(r, 7, Rule("kontribusi", ("v", "b", "pen")), refs, udfs.kontribusi(vals, bobot, 1000))
        put(r, 9, Rule("kumulatif", ("x", "y")), refs, udfs.kumulatif(vals[0], vals[1]))
        put(r, 11, Rule("nrr", ("b",)), refs, udfs.ikm_nrr(bobot) if any(
            isinstance(b, int) for b in bobot) else None)
        r += 5
    for metode, block in _ikm_blocks():
        ws.cell(r, 20, metode or None)
        for i, row in enumerate(block):
            for j, v in enumerate(row):
                ws.cell(r + i, 2 + j, v)
        refs = {"j": f"B{r}:O{r + len(block) - 1}", "m": f"T{r}"}
        value = udfs.ikm([row for row in block], metode)
        put(r, 17, Rule("ikm", ("j", "m")), refs, value)
        if metode:
            put(r, 21, Rule("ikm", ("j", f"'{metode}'")), refs, value)
        r += len(block) + 1
    return cases.save(path)


# --- the batch ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batch(demo_dir, tmp_path_factory):
    d = tmp_path_factory.mktemp("batch")
    filled = sorted(demo_dir.glob("*.xlsx"))
    filled.append(write(Paket(skm=_answers(SKM_TOTALS, 29), p3dn=P3DN), d / "sintetis_paket-triwulan.xlsx"))
    blank = []
    for form in FORM_IDS:
        wb, _ = build_workbook(Meta(form=form, versi="", satker="247246", tahun=2023, triwulan=2,
                                    kegiatan=("6077", "6042")))
        blank.append(d / f"kosong_{form}.xlsx")
        wb.save(blank[-1])
    want = _matrix(d / "kasus.xlsx")
    outs = recalc_many([*filled, *blank, d / "kasus.xlsx"], d / "out")
    return {"filled": filled, "blank": blank, "want": want, "out": {p.name: o for p, o in zip(
        [*filled, *blank, d / "kasus.xlsx"], outs)}}


def _same(want: object, got: object) -> bool:
    if isinstance(want, list) and len(want) == 1:
        want = want[0]
    if isinstance(want, NilaiGalat):
        return isinstance(got, str) and got.startswith("#")
    if want is None:
        return got in (None, "")
    if isinstance(want, str):
        return got == want
    return isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


def test_native_renderings_equal_the_udfs_for_every_case(batch):
    ws = openpyxl.load_workbook(batch["out"]["kasus.xlsx"], data_only=True)["Kasus"]
    wrong = [(addr, part, want, ws[addr].value) for addr, part, want in batch["want"]
             if not _same(want, ws[addr].value)]
    assert len(batch["want"]) > 1000
    assert wrong == []


def _formula_cells(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}


def test_every_derived_cell_of_every_filled_workbook_equals_the_python_value(batch):
    checked = 0
    for src in batch["filled"]:
        formulas_ = _formula_cells(src)
        got = openpyxl.load_workbook(batch["out"][src.name], data_only=True)
        wrong = []
        for sd in read_workbook(src).sheets:
            _, derived = derive(sd)
            for d in derived:
                if d.address not in formulas_:
                    continue  # a value typed over the formula (the demo keeps what the seed printed)
                sheet, cell = d.address.split("!")
                value = got[sheet.strip("'")][cell].value
                checked += 1
                if not _same(d.value, value):
                    wrong.append((d.address, d.value, value))
        assert wrong == [], src.name
    assert checked > 250


def test_capaian_ikm_and_p3dn_cells_hold_values_not_name_errors(batch):
    """The cells that call KINERJA.* show numbers in LibreOffice (the demo's PK printed #NAME? before)."""
    seen = {"CAPAIAN": 0, "IKM": 0, "P3DN": 0, "IKM_MUTU": 0}
    for src in batch["filled"]:
        wb = openpyxl.load_workbook(src)
        got = openpyxl.load_workbook(batch["out"][src.name], data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    for fn in seen:
                        if isinstance(c.value, str) and f"KINERJA.{fn}(" in c.value:
                            v = got[ws.title][c.coordinate].value
                            if v not in (None, ""):
                                assert not (isinstance(v, str) and v.startswith("#")), (src.name, c.coordinate)
                                seen[fn] += 1
    assert seen["CAPAIAN"] >= 13 and seen["IKM"] == 1 and seen["IKM_MUTU"] == 1 and seen["P3DN"] >= 4, seen


def test_no_error_cell_in_any_workbook(batch):
    for src in [*batch["filled"], *batch["blank"]]:
        errors = {sheet: cells for sheet, cells in _error_cells(batch["out"][src.name]).items() if cells}
        assert errors == {}, src.name


def _totals(path, sheet, table):
    data = read_workbook(path)
    s = next(s for s in data.sheets if s.name == sheet)
    return {k: v.value for k, v in s.tables[table].total.items()}


def test_synthetic_skm_computes_the_published_index(batch):
    path = batch["out"]["sintetis_paket-triwulan.xlsx"]
    s = next(s for s in read_workbook(path).sheets if s.name == "SKM")
    assert s.fields["ikm"].value == pytest.approx(955 / 261)
    assert s.fields["ikm_konversi"].value == pytest.approx(91.4751, abs=1e-4)
    assert s.fields["ikm_mutu"].value == "A (Sangat Baik)"
    assert s.fields["sampel_minimal"].value == 153
    p = next(s for s in read_workbook(path).sheets if s.name == "P3DN")
    assert p.tables["akun"].total["c9_p3dn_pct"].value == pytest.approx(
        (65e6 + 18e6 + 19.75e6) / (1e8 + 250.18e6 + 80e6) * 100)


def test_form_b_dl_jumlah_recalculates_to_the_seed_values(batch):
    # 000:L899: Jumlah 28,12 / 24,77 / 41,72 / 38,88 (pagu-weighted, R3); pagu 493.064.631
    t = _totals(batch["out"]["BPSDMI_2023_TW2_form-b_DL.xlsx"], "FORM B", "kegiatan")
    assert t["c5_total_rp000"] == 493064631
    assert t["c6_penyerapan_S_pct"] == pytest.approx(28.12, abs=0.005)
    assert t["c7_penyerapan_R_pct"] == pytest.approx(24.77, abs=0.005)
    assert t["c10_output_S_pct"] == pytest.approx(41.72, abs=0.01)  # 41,7260: the seed truncated
    assert t["c11_output_R_pct"] == pytest.approx(38.88, abs=0.005)


def test_form_b_wa_jumlah_is_empty_as_in_the_seed(batch):
    # 000:L901-917: FORM B-WA prints no Jumlah row (I000-26); the demo keeps it empty for Validasi to flag
    t = _totals(batch["out"]["BPSDMI_2023_TW2_form-b_WA.xlsx"], "FORM B", "kegiatan")
    assert all(v is None or v != v for v in t.values())


def test_form_a_jumlah_recalculates_to_the_seed_values(batch):
    path = batch["out"]["247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"]
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


def test_cumulative_columns_recalculate_to_the_seed_values(batch):
    path = batch["out"]["247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"]
    s = next(s for s in read_workbook(path).sheets if s.name == "FORM A 6042")
    v = s.tables["realisasi"].values
    # 003:L1352 EBA: 17,27 + 29,36 = 46,63; 003:L1354 EBC fisik R 10,70 + 36,21 = 46,91 (printed 46,92, within R1's ±0,01)
    assert v.at[0, "c10_sd_keu_S"] == pytest.approx(46.63)
    assert v.at[2, "c13_sd_fis_R"] == pytest.approx(46.91)
    # and section II Total = Σ outputs (003:L1344: 11.270.632)
    assert s.tables["anggaran"].total["c5_total_rp000"].value == 11270632


def test_validasi_finds_the_same_after_libreoffice_recalculated_the_workbooks(batch):
    """Cached results written by a spreadsheet without the add-in are the right ones: no new finding."""
    from macros.validation.core import validate

    def found(path):
        return sorted((f.rule, f.address.split("!")[-1]) for f in validate(path).findings)

    for src in batch["filled"]:
        assert found(batch["out"][src.name]) == found(src), src.name
    assert validate(batch["out"]["sintetis_paket-triwulan.xlsx"]).valid
