"""Issue 3: every report figure comes from one tested function in udfs, reproducing the seeds.

Data: ``tests/data/udfs`` (rows copied from the seed fixtures, with ``src_line`` = line in the
seed: 000 = PP 39 report BPSDMI TW II 2023, 003 = BSPJI Manado TW II 2023). Where a seed figure
is wrong the test asserts the correct value and names the seed error and line.
"""

from __future__ import annotations

import csv
import inspect
import json
import os
import subprocess
import sys
import typing
from typing import Any
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

import udfs
from udfs import NilaiGalat, bulat
from udfs.registry import FUNGSI

DATA = Path(__file__).parent / "data" / "udfs"
ROOT = Path(__file__).resolve().parents[1]


def num(s: Any) -> float | None:
    return None if s in ("", None) else float(s)


def _cell(s: str) -> float | str:
    try:
        return float(s)
    except ValueError:
        return s


def rows(name: str) -> list[dict[str, Any]]:
    """Rows of a data file; numeric cells as float, empty cells as "" (the seeds' `-`), text as is.

    ``src_line`` and code columns stay text.
    """
    with open(DATA / name, encoding="utf-8") as fh:
        return [{k: v if k in _TEKS else _cell(v) for k, v in r.items()} for r in csv.DictReader(fh)]


_TEKS = {"src_line", "no", "kode", "kode_sp", "no_iku", "c1_kode_kegiatan", "c1_output_kode", "kegiatan", "ro_kode",
         "komponen_kode", "mapped_ro_inferred_by_pagu"}


ANGKA = json.loads((DATA / "angka_seed.json").read_text(encoding="utf-8"))
PAGU_SATKER = ANGKA["pagu_satker_rp000"]["nilai"]  # 12.207.073 (Rp 000), 003:L186


def galat(v: object, kode: str) -> bool:
    return isinstance(v, NilaiGalat) and v.kode == kode and bool(v.pesan)


# --- rounding -----------------------------------------------------------------

def test_bulat_rounds_half_up_like_the_seeds():
    assert bulat(102.5, 0) == 103 and round(102.5) == 102  # why bulat exists
    assert bulat(83.03 / 81 * 100, 0) == 103  # 000:L218 prints 103 %
    assert bulat(2.675) == 2.68 and bulat(0.125) == 0.13 and bulat(28.1207452) == 28.12
    assert bulat([[1.005], ["-"], [None]]) == [1.01, None, None]
    assert galat(bulat("x"), "#VALUE!")


# --- capaian (R7) ---------------------------------------------------------------

# 000:L214-242 — rows whose printed capaian is not R/T×100 rounded half-up
PK_SALAH = {
    "216": 11.52,  # I000-07: realisasi 13,54 copied from L215; 13,54/117,57 = 11,52 %, printed 25 %
    "226": 80.0,  # I000-15: 12/15 = 80 %, printed 88 %
    "225": 0.0,  # progress-based SKKNI indicator: realisasi "0 (7 dokumen Penyusunan)", printed 35,25 % (not R/T)
}


def test_bpsdmi_perjanjian_kinerja_capaian_table():
    pk = rows("000_pk_bpsdmi.csv")
    assert len(pk) == 26
    checked = 0
    for r in pk:
        got = udfs.capaian(num(r["target"]), num(r["realisasi"]))
        printed = num(r["capaian_pct"])
        if r["src_line"] in PK_SALAH:
            assert got == pytest.approx(PK_SALAH[r["src_line"]], abs=0.005), r["src_line"]
            assert bulat(got, 0) != bulat(printed, 0)
            continue
        # the table prints whole % (62,4 at L217 with one decimal), rounded half-up
        digits = 1 if r["src_line"] == "217" else 0
        assert bulat(got, digits) == printed, r["src_line"]
        checked += 1
    assert checked == 23
    # worked examples (DOMAIN R7)
    assert udfs.capaian(81, 83.03) == pytest.approx(102.5062, abs=1e-4) and bulat(udfs.capaian(81, 83.03)) == 102.51
    assert bulat(udfs.capaian(26500, 16535)) == 62.40
    assert bulat(udfs.capaian(600, 225), 0) == 38  # 37,5 → 38 half-up (L219)
    # I000-16 (000:L228 vs L629): 1.765/1.500 = 117,67 → the table's 118 is right, the narrative's "117 %" is not
    assert bulat(udfs.capaian(1500, 1765), 0) == 118
    # I000-19 (000:L233): PK P3DN 33,49/70 = 47,84 → 48 ✓; the narrative's "45,62 … atau 24 %" is 65,17
    assert bulat(udfs.capaian(70, 33.49), 0) == 48 and bulat(udfs.capaian(70, 45.62)) == 65.17


def test_pidi_items_and_their_uncapped_plain_mean():
    """000:L524-539: item % = R/T, component = plain mean of items (R9), uncapped (the 150 % item stays)."""
    items = rows("000_pidi_kegiatan_terencana.csv")
    got = udfs.capaian([num(r["target"]) for r in items], [num(r["realisasi"]) for r in items])
    for r, g in zip(items, got):
        if r["src_line"] == "535":  # I000-12: kunjungan showcase 36/70 = 51,43 %, printed 97,56 %
            assert bulat(g) == 51.43 != num(r["persentase_tercetak"])
        else:
            assert bulat(g) == num(r["persentase_tercetak"]), r["src_line"]
    printed = [num(r["persentase_tercetak"]) for r in items]
    assert bulat(udfs.capaian_rata(printed)) == 58.65  # the printed component mean (000 summary), uncapped
    assert bulat(udfs.capaian_rata(got)) == 55.35  # with the corrected item
    assert bulat(udfs.capaian_rata(printed, 100)) == 54.87  # capping members at 100 would change it


def test_bspji_capaian_the_seed_left_blank_or_wrong():
    pk = ANGKA["pk_bspji_manado"]

    def cap(k: str) -> float:
        return udfs.capaian(pk[k]["target"], pk[k]["realisasi"])

    # I003-12 (003:L840): Tabel 13 "Capaian" holds 76,80 (the realisasi); 76,80/80,4 = 95,52
    assert bulat(cap("sakip")) == 95.52
    assert bulat(cap("indeks_kepuasan_masyarakat")) == 100.28
    assert bulat(cap("ip_asn")) == 110.71
    assert bulat(cap("p3dn")) == 222.37  # I003-22: 95,62 % at mid-year, uncapped
    assert bulat(cap("rekomendasi")) == 108.11  # I003-12 (003:L656): printed 100
    assert bulat(cap("layanan")) == 56.80


def test_polarities():
    assert bulat(udfs.capaian(7, 6.5, "minimal")) == 107.14
    assert udfs.capaian(8, 9, "minimal") == pytest.approx(87.5)
    assert udfs.capaian(10, 20, "minimal") == 0.0  # floored at 0
    assert bulat(udfs.capaian(7, 6.5, "minimal-tr")) == 107.69
    assert bulat(udfs.capaian(8, 9, "minimal-tr")) == 88.89
    assert udfs.capaian(10, 20, "minimal-tr") == pytest.approx(50)  # diverges from 2T−R
    assert udfs.capaian(100, 90, "stabil") == pytest.approx(90) == udfs.capaian(100, 110, "stabil")
    assert udfs.capaian(100, 250, "stabil") == 0.0
    # rentang 80–90 (PermenPANRB 8/2021): R 70 → 87,5; inside → 100; 92 → 92/90 = 102,2 (the "113" is wrong)
    assert udfs.capaian("80-90", 70, "rentang") == pytest.approx(87.5)
    assert udfs.capaian("80–90", 85, "rentang") == 100.0 == udfs.capaian((80, 90), 90, "rentang")
    assert bulat(udfs.capaian([[80, 90]], 92, "rentang"), 1) == 102.2
    assert bulat(udfs.capaian("80 s.d. 90", 92, "rentang-minimal")) == 97.78
    col = udfs.capaian([[80, 90], [80, 90], [50, 60]], [[70], [85], [66]], "rentang")
    assert col == pytest.approx([87.5, 100.0, 110.0])
    assert udfs.capaian(["80-90", "70-75"], [[100], [70]], "rentang") == pytest.approx([100 / 90 * 100, 100.0])
    assert galat(udfs.capaian("90-80", 85, "rentang"), "#VALUE!") and galat(udfs.capaian("x", 85, "rentang"), "#VALUE!")
    # aliases, blanks, case
    assert udfs.capaian(1000, 1765, "Maksimasi") == udfs.capaian(1000, 1765, None) == udfs.capaian(1000, 1765, "")
    assert udfs.capaian(7, 6.5, "minimasi") == udfs.capaian(7, 6.5, "minimal")
    unknown = udfs.capaian(1, 1, "naik")  # typed in a cell: a data problem, shown as #VALUE!
    assert galat(unknown, "#VALUE!") and "Polaritas 'naik' tidak dikenal" in unknown.pesan


def test_cap_batas():
    assert bulat(udfs.capaian(1500, 1765, batas=120)) == 117.67
    assert udfs.capaian(1000, 1765, batas=120) == 120
    assert udfs.capaian(1000, 1765, batas=[[None]]) == pytest.approx(176.5)  # an empty cell = no cap
    assert udfs.capaian([[10], [10]], [[5], [50]], "maksimal", 120) == pytest.approx([50, 120])


def test_data_problems_are_error_values_not_exceptions():
    for bad in (udfs.capaian(0, 5), udfs.capaian(None, 5), udfs.capaian("-", 5), udfs.capaian("--", 5)):
        assert galat(bad, "#DIV/0!") and "Target 0 atau kosong" in bad.pesan
    assert galat(udfs.capaian(5, None), "#N/A") and galat(udfs.capaian(5, ""), "#N/A")
    assert galat(udfs.capaian(5, "lima"), "#VALUE!") and galat(udfs.capaian(5, True), "#VALUE!")
    assert galat(udfs.capaian(5, 0, "minimal-tr"), "#DIV/0!")
    assert galat(udfs.capaian([[1], [2]], [[1], [2], [3]]), "#VALUE!")  # ranges of different length
    assert galat(udfs.rata_tertimbang([1, 2], [0, 0]), "#DIV/0!")
    assert galat(udfs.kontribusi([1], [1], 0), "#DIV/0!")
    assert galat(udfs.capaian_rata([None, "-"]), "#DIV/0!")
    assert galat(udfs.pertumbuhan(0, 5), "#DIV/0!") and galat(udfs.pertumbuhan(None, 5), "#N/A")
    assert galat(udfs.predikat(120), "#NUM!") and galat(udfs.predikat(None), "#N/A")
    assert galat(udfs.ikm_konversi(5), "#NUM!") and galat(udfs.ikm_sampel(0), "#NUM!")
    assert str(NilaiGalat("#N/A", "x")) == "#N/A"
    with pytest.raises(ValueError):
        NilaiGalat("#SALAH", "kode tak dikenal")


def test_ranges_in_every_shape_excel_passes():
    want = [95.52, 108.11]
    for t, r in (([[80.4], [92.5]], [[76.8], [100]]),  # nested lists (xlwings ndim=2)
                 (np.array([[80.4], [92.5]]), np.array([[76.8], [100]])),  # numpy 2-D
                 ([80.4, 92.5], [76.8, 100]),  # flat lists
                 ((80.4, 92.5), np.array([76.8, 100]))):
        assert bulat(udfs.capaian(t, r)) == want
    assert bulat(udfs.capaian([[80.4], [92.5]], 100)) == [124.38, 108.11]  # a scalar broadcasts
    assert udfs.capaian([[5]], [[5]]) == 100.0  # a one-cell range is a scalar
    col = udfs.capaian([[80.4], [0], [None], ["-"], [3.6]], [[76.8], [1], [2], [3], [3.61]])
    assert bulat(col[0]) == 95.52 and bulat(col[4]) == 100.28
    assert [v.kode for v in col[1:4]] == ["#DIV/0!"] * 3
    assert udfs.kumulatif([[17.95], ["-"], [None], ["--"]], [[8.56], [30.52], ["-"], [""]]) == pytest.approx(
        [26.51, 30.52, 0, 0])
    assert udfs.capaian_rata([[100, None], ["-", 50]]) == 75
    assert udfs.capaian_rata(np.array([[100.0, np.nan], [np.nan, 50.0]])) == 75
    assert udfs.predikat([[76.8], [90.01]]) == ["BB", "AA"]
    assert udfs.penyerapan([[1], [2]], [[4], [0]])[0] == 25.0 and galat(udfs.penyerapan([1, 2], [4, 0])[1], "#DIV/0!")
    assert galat(udfs.ikm([[1, 2], [3]]), "#VALUE!")  # ragged 2-D range


# --- budget aggregation (R1–R5, R10, R11) -------------------------------------------

FB_KOLOM = ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct", "c11_output_R_pct")


def _form_b(name: str) -> tuple[list[dict[str, str]], dict[str, str] | None]:
    rs = rows(name)
    return [r for r in rs if r["c1_kode_kegiatan"]], next((r for r in rs if not r["c1_kode_kegiatan"]), None)


def test_form_b_dl_jumlah_is_the_pagu_weighted_mean_r3():
    keg, jumlah = _form_b("000_form_b_dl.csv")  # 000:L896-899
    pagu = [num(r["c5_total_rp000"]) for r in keg]
    assert sum(pagu) == num(jumlah["c5_total_rp000"]) == 493064631
    got = [udfs.rata_tertimbang([r[k] for r in keg], pagu) for k in FB_KOLOM]
    assert [bulat(g) for g in got] == [28.12, 24.77, 41.73, 38.88]
    # S fis: 41,7260 is printed 41,72 (truncated, 000:L899) — within the ±0,01 of V09
    assert got[2] == pytest.approx(41.72, abs=0.01)
    # a plain mean does not reproduce the Jumlah (28,14 / 24,31 / 42,53 / 38,14)
    assert [bulat(float(np.mean([num(r[k]) for r in keg]))) for k in FB_KOLOM] == [28.14, 24.31, 42.53, 38.14]


def test_form_b_wa_weighting_reproduces_the_narrative():
    keg, jumlah = _form_b("000_form_b_wa.csv")  # 000:L916-917; no Jumlah row (I000-26)
    assert jumlah is None
    pagu = [num(r["c5_total_rp000"]) for r in keg]
    got = [udfs.rata_tertimbang([r[k] for r in keg], pagu) for k in FB_KOLOM]
    assert got == pytest.approx([37.59, 39.21, 46.16, 45.24], abs=0.01)  # narrative 000:L267
    # half-up gives 45,25 for R fis (45,2462): the narrative's 45,24 truncates
    assert [bulat(g) for g in got] == [37.59, 39.21, 46.16, 45.25]


SEC3 = ("c2_lalu_keu_S", "c3_lalu_keu_R", "c4_lalu_fis_S", "c5_lalu_fis_R", "c6_ini_keu_S", "c7_ini_keu_R",
        "c8_ini_fis_S", "c9_ini_fis_R", "c10_sd_keu_S", "c11_sd_keu_R", "c12_sd_fis_S", "c13_sd_fis_R")


def _form_a(kegiatan: str) -> tuple[list[dict[str, str]], dict[str, str], list[float]]:
    pagu = {r["c1_output_kode"]: num(r["c5_total_rp000"]) for r in rows("003_form_a_sec2.csv")
            if r["kegiatan"] == kegiatan and r["c1_output_kode"]}
    sec3 = [r for r in rows("003_form_a_sec3.csv") if r["kegiatan"] == kegiatan]
    out = [r for r in sec3 if r["c1_output_kode"]]
    return out, next(r for r in sec3 if not r["c1_output_kode"]), [pagu[r["c1_output_kode"]] for r in out]


def test_form_a_jumlah_rows_are_contributions_to_the_satker_pagu_r2():
    cells = 0
    for kegiatan in ("6077", "6042"):  # 003:L1300 and L1356
        out, jumlah, pagu = _form_a(kegiatan)
        for key in SEC3:  # `-` cells (CAH, EBB, AEF lalu) are blank in the data and count as 0
            got = udfs.kontribusi([r[key] or "-" for r in out], pagu, PAGU_SATKER)
            assert got == pytest.approx(num(jumlah[key]), abs=0.005), (kegiatan, key)
            cells += 1
    assert cells == 24
    out, _, pagu = _form_a("6077")
    assert bulat(udfs.kontribusi([r["c6_ini_keu_S"] for r in out], pagu, PAGU_SATKER)) == 0.66  # 0,6643
    # dividing by the kegiatan pagu instead gives 8,66 (rejected reading)
    assert bulat(udfs.kontribusi([r["c6_ini_keu_S"] for r in out], pagu, sum(pagu))) == 8.66
    out, _, pagu = _form_a("6042")
    assert [bulat(udfs.kontribusi([r[k] for r in out], pagu, [[PAGU_SATKER]])) for k in SEC3[8:]] == [
        42.75, 41.18, 44.01, 44.01]
    # the same from 2-D ranges: nilai as a column, pagu as numpy
    assert bulat(udfs.kontribusi([[r["c11_sd_keu_R"]] for r in out], np.array([pagu]).T, PAGU_SATKER)) == 41.18


def test_satker_total_r4_and_kegiatan_conversion():
    rs = ANGKA["realisasi_satker"]  # 003:L1253: 1,55 + 41,18 = 42,73 = Rp 5.215.824.466 / 12.207.073.000
    assert bulat(udfs.penyerapan(rs["realisasi_rp"], rs["pagu_rp"])) == rs["pct_tercetak"] == 42.73
    # DOMAIN 3.2: a Form A Jumlah converted to the kegiatan: 1,55 × 12.207.073 / 936.441 = 20,2
    assert bulat(udfs.kontribusi(1.55, PAGU_SATKER, 936441), 1) == 20.2


def test_cumulative_r1_on_the_32_cells():
    n = 0
    for r in (r for r in rows("003_form_a_sec3.csv") if r["c1_output_kode"]):
        lalu, ini, sd = ([r[k] or "-" for k in SEC3[i:i + 4]] for i in (0, 4, 8))
        got = udfs.kumulatif(lalu, ini)  # one call for the 4 measures of the row
        assert got == pytest.approx([num(x) if x != "-" else 0 for x in sd], abs=0.01 + 1e-9), r["src_line"]
        n += len(got)
    assert n == 32
    assert bulat(udfs.kumulatif(18.63, 9.01)) == 27.64  # 003:L1297 prints 27,63 (within ±0,01)
    assert udfs.kumulatif("-", 30.52) == 30.52  # AEF, 003:L1296


def test_alki_komponen_weighting_gives_form_a_output_fisik_r5():
    alki = rows("003_alki.csv")  # 003:L1420-1452
    by_kro: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for r in alki:
        kro = r["mapped_ro_inferred_by_pagu"].split(".")[1]
        by_kro[kro][0].append(r["realisasi_fisik_pct"])
        by_kro[kro][1].append(r["pagu_rp"])
    want = {"AEF": 31.533, "BAD": 27.856, "QDI": 21.290, "EBA": 48.003, "EBC": 46.916, "EBD": 39.745,
            "CAH": 0, "EBB": 0}
    assert set(by_kro) == set(want)
    for kro, value in want.items():
        assert udfs.rata_tertimbang(*by_kro[kro]) == pytest.approx(value, abs=0.0005), kro
    fisik, pagu = [r["realisasi_fisik_pct"] for r in alki], [r["pagu_rp"] for r in alki]
    assert udfs.rata_tertimbang(fisik, pagu) == pytest.approx(45.575, abs=0.0005)
    assert bulat(udfs.rata_tertimbang(fisik, pagu)) == 45.58  # Tabel 14; the narrative's 45,57 (I003-06)
    assert sum(num(p) for p in pagu) == 12207073000  # V17
    # AEF worked example: (23.436.000×46 + 25.052.000×18) / 48.488.000 = 31,53; keuangan AEF 31,04 matches too
    assert bulat(udfs.rata_tertimbang([46, 18], [23436000, 25052000])) == 31.53
    assert bulat(udfs.rata_tertimbang(*(([r["realisasi_keuangan_pct"] for r in alki[:2]]), pagu[:2]))) == 31.04
    # I003-07: ALKI keuangan gives 44,96 for the satker, Form A prints 42,73 (other source / cut-off)
    assert bulat(udfs.rata_tertimbang([r["realisasi_keuangan_pct"] for r in alki], pagu)) == 44.96


def test_penyerapan_r4_on_the_35_rows():
    for name, p, r, pct in (("000_realisasi_anggaran_per_output.csv", "pagu_rp", "realisasi_rp", "persen"),
                            ("003_rekap_komponen.csv", "anggaran_alokasi_rp", "anggaran_real_rp", "anggaran_pct")):
        rs = rows(name)
        got = udfs.penyerapan([x[r] for x in rs], [x[p] for x in rs])  # vectorised: one % per row
        assert bulat(got) == [num(x[pct]) for x in rs], name
    assert len(rows("000_realisasi_anggaran_per_output.csv")) + len(rows("003_rekap_komponen.csv")) == 35
    assert bulat(udfs.penyerapan(806732454, 2740000000)) == 29.44  # 4957.BDB
    assert bulat(udfs.penyerapan(421561402933, 997115597000)) == 42.28  # Eselon I
    assert bulat(udfs.penyerapan(3845278957, 7572916000)) == 50.78  # gaji


def test_growth_efficiency_r10():
    pnbp = ANGKA["pnbp"]  # 003:L537
    assert bulat(udfs.pertumbuhan(pnbp["realisasi_2022_rp"], pnbp["realisasi_2023_rp"])) == 26.73
    # I003-12: the seed's "capaian" 45,12 % is PNBP vs revenue target (003:L1254), not the growth
    assert bulat(udfs.penyerapan(pnbp["realisasi_2023_rp"], pnbp["target_penerimaan_rp"])) == 45.12
    assert round(udfs.capaian(4, udfs.pertumbuhan(pnbp["realisasi_2022_rp"], pnbp["realisasi_2023_rp"]))) == 668
    assert udfs.efisiensi(1000, 950) == pytest.approx(5.0) and bulat(udfs.efisiensi(1000, 950)) == 5.00
    assert udfs.pertumbuhan([[100], [200]], [[110], [150]]) == pytest.approx([10, -25])


def test_pooled_ratios_r11():
    # IKU serapan lulusan (000:L218): (1.980 + 3.094) / (2.041 + 4.070) = 83,03 %, not the mean 86,52
    smk, poli = rows("000_serapan_lulusan_smk.csv"), rows("000_serapan_lulusan_politeknik.csv")
    total = [r for r in smk + poli if r["src_line"] in ("434", "463")]
    terserap = [[r["kerja"], r["melanjutkan_studi"], r["wirausaha"]] for r in total]  # 2 × 3 range
    lulusan = [r.get("jumlah_lulusan") or r["lulusan_program"] for r in total]
    assert bulat(udfs.rasio_gabungan(terserap, lulusan)) == 83.03
    assert bulat(udfs.rasio_gabungan([1980, 3094], [2041, 4070])) == 83.03
    assert bulat(float(np.mean([97.01, 76.02]))) == 86.52  # the wrong reading
    # every row reproduces with the pooled rule ("dalam proses" excluded)
    for r in smk + poli:
        n = r.get("jumlah_lulusan") or r["lulusan_program"]
        got = udfs.rasio_gabungan([[r["kerja"], r["melanjutkan_studi"], r["wirausaha"]]], n)
        if num(n) == 0:  # Politeknik Petrokimia Banten, 000:L461-462: no graduates yet, printed 0,00
            assert galat(got, "#DIV/0!")
        else:
            assert bulat(got) == num(r["persentase_terserap"]), r["src_line"]
    # I000-10 (000:L426, L434): Bandar Lampung's components sum to 282 of 283 graduates, the TOTAL's to 2.040 of 2.041
    parts = {r["src_line"]: sum(r[k] for k in ("kerja", "melanjutkan_studi", "wirausaha", "dalam_proses")) for r in smk}
    assert parts["426"] == 282 and parts["434"] == 2040
    assert sum(r["jumlah_lulusan"] for r in smk if r["src_line"] != "434") == 2041
    assert bulat(udfs.rasio_gabungan([440], [534])) == 82.40  # rekomendasi ditindaklanjuti
    assert bulat(udfs.rasio_gabungan(126, 129)) == 97.67  # diklat predikat baik


# --- P3DN (R12) -------------------------------------------------------------------

def test_p3dn_per_eselon1_all_nine_rows_and_the_rollup():
    rs = rows("000_p3dn_eselon1.csv")  # 000:L757-766
    units, total = rs[:-1], rs[-1]
    assert len(units) == 9 and total["unit_kerja"] == "Total"
    got = [udfs.p3dn_eselon1(r["realisasi_pdn_rp"], r["realisasi_tkdn_rp"], r["pagu_anggaran_rp"]) for r in units]
    assert got == pytest.approx([num(r["pct_realisasi_pdn_plus_tkdn"]) for r in units], abs=0.005)
    assert bulat(got[-1]) == 33.91  # BPSDMI (000:L765); the PK's 33,49 (L233) is another source (I000-19)
    pooled = udfs.p3dn_eselon1(*([r[k] for r in units] for k in ("realisasi_pdn_rp", "realisasi_tkdn_rp",
                                                                  "pagu_anggaran_rp")))
    assert bulat(pooled) == 31.94 == num(total["pct_realisasi_pdn_plus_tkdn"])
    mean = bulat(float(np.mean(got)))
    assert mean == 39.33 and bulat(pooled) != mean  # the mean of percentages is NOT the rollup
    # imports are left out: adding them would change the total
    assert bulat(udfs.rasio_gabungan([[total["realisasi_pdn_rp"], total["realisasi_tkdn_rp"]]],
                                     total["pagu_anggaran_rp"])) == 31.94


def test_p3dn_over_akun_terpilih():
    assert udfs.AKUN_TERPILIH == ("521211", "521219", "521811", "522192", "524114", "521111", "521131", "522141",
                                  "524119", "522131", "522191", "521241", "521841", "532111", "533111")
    # 511111 (gaji) is not an akun terpilih: ignored in numerator and denominator
    got = udfs.p3dn([[90], [10], [500]], [[100], [100], [1000]], [["521211"], [532111], [511111.0]])
    assert got == pytest.approx(50.0)
    assert udfs.p3dn([90, 10, 500], [100, 100, 1000]) == pytest.approx(600 / 1200 * 100)  # no akun: all rows
    assert udfs.p3dn([65e6, 18e6, 3845278957], [1e8, 250180000, 7572916000], ["521211", "532111", "511111"]) == \
        pytest.approx(83e6 / 350180000 * 100)
    assert galat(udfs.p3dn([1], [1], ["511111"]), "#DIV/0!")
    assert galat(udfs.p3dn([1, 2], [1]), "#VALUE!")


# --- Indeks Kepuasan Masyarakat (R13–R15) ----------------------------------------------

def _answers(totals: list[int], n: int) -> list[list[int]]:
    """A respondents × unsur matrix of answers 1–4 whose column sums are ``totals``."""
    cols = []
    for t in totals:
        base, extra = divmod(t, n)
        cols.append([base + 1 if i < extra else base for i in range(n)])
    return [list(r) for r in zip(*cols)]


TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]  # 29 respondents, third-party example (DOMAIN R13)


def test_indeks_kepuasan_masyarakat_worked_example():
    m = _answers(TOTALS, 29)
    assert len(m) == 29 and [sum(c) for c in zip(*m)] == TOTALS and {v for r in m for v in r} <= {1, 2, 3, 4}
    nilai = udfs.ikm(m)
    assert nilai == pytest.approx(955 / 261) and bulat(nilai, 4) == 3.659
    assert bulat(udfs.ikm_konversi(nilai)) == 91.48  # exact 1/9 weights; the 0,11 weights give 90,56
    assert bulat(sum(t / 29 * 0.11 for t in TOTALS) * 25) == 90.56
    assert udfs.ikm_mutu(nilai) == "A (Sangat Baik)" == udfs.ikm_mutu(udfs.ikm_konversi(nilai))
    assert udfs.ikm_nrr(m) == pytest.approx([t / 29 for t in TOTALS])
    assert udfs.ikm(np.array(m)) == pytest.approx(nilai)
    # V25 cross-check: Σ(NRR/9)×25 = mean of all scores × 25 when every respondent answers every unsur
    assert udfs.ikm_konversi(nilai) == pytest.approx(float(np.mean(m)) * 25)


def test_indeks_from_the_skm_template_shape():
    # the SKM sheet has 14 unsur columns and 30 rows: under 14/2017 U10–U14 and unused rows stay blank
    m = [r + [None] * 5 for r in _answers(TOTALS, 29)] + [[None] * 14]
    assert udfs.ikm(m, "permenpanrb-14-2017") == pytest.approx(955 / 261)
    assert galat(udfs.ikm([r[:9] + [4] + [None] * 4 for r in m[:29]], "permenpanrb-14-2017"), "#VALUE!")
    assert galat(udfs.ikm(m, "kepmenpan-25-2004"), "#DIV/0!")  # U10–U14 unanswered
    m14 = [[4] * 14, [3] * 13 + [None]]
    assert udfs.ikm(m14, "kepmenpan-25-2004") == pytest.approx((13 * 3.5 + 4) / 14)  # NRR over who answered
    assert galat(udfs.ikm([[1, 2, 5] + [3] * 6]), "#VALUE!")  # answers must be 1–4
    assert galat(udfs.ikm([[3] * 8]), "#VALUE!")  # 8 unsur for a 9-unsur method
    assert udfs.ikm_nrr([3, 4, "-", None]) == pytest.approx(3.5)  # a flat list is one unsur column
    with pytest.raises(ValueError, match="Metode 'x' tidak dikenal"):
        udfs.ikm(m, "x")


def test_indeks_seed_value_and_mutu_bands():
    pk = ANGKA["pk_bspji_manado"]["indeks_kepuasan_masyarakat"]  # 3,61 from 173 questionnaires (003:L1403)
    assert udfs.ikm_konversi(pk["realisasi"]) == pytest.approx(90.25)
    assert udfs.ikm_mutu(pk["realisasi"]) == "A (Sangat Baik)"
    assert udfs.ikm_mutu(3.5324) == "A (Sangat Baik)" and udfs.ikm_mutu(3.532) == "B (Baik)"  # 88,31 / 88,30
    assert udfs.ikm_mutu(76.61) == "B (Baik)" and udfs.ikm_mutu(76.6049) == "C (Kurang Baik)"  # rounds to 76,60
    assert udfs.ikm_mutu(76.605) == "B (Baik)"  # half-up to 76,61
    assert udfs.ikm_mutu(64.99) == "D (Tidak Baik)" and udfs.ikm_mutu(65) == "C (Kurang Baik)"
    assert udfs.ikm_mutu(2.5, "kepmenpan-25-2004") == "C (Kurang Baik)"
    assert udfs.ikm_mutu(2.505, "kepmenpan-25-2004") == "B (Baik)"  # 2,51 after half-up rounding
    assert udfs.ikm_mutu(3.26, "kepmenpan-25-2004") == "A (Sangat Baik)"
    assert udfs.ikm_mutu(1.75, "kepmenpan-25-2004") == "D (Tidak Baik)"
    assert udfs.ikm_mutu(90.25, "kepmenpan-25-2004") == "A (Sangat Baik)"  # a 25–100 value is read as such
    assert galat(udfs.ikm_mutu(10), "#NUM!") and galat(udfs.ikm_mutu(None), "#N/A")
    assert len(udfs.UNSUR_PERMENPANRB_14_2017) == 9 and len(udfs.UNSUR_KEPMENPAN_25_2004) == 14
    assert udfs.UNSUR_PERMENPANRB_14_2017[0] == "Persyaratan"
    assert udfs.UNSUR_PERMENPANRB_14_2017[-1] == "Sarana dan Prasarana"


def test_krejcie_morgan_sample_table():
    table = {50: 44, 100: 80, 300: 169, 500: 217, 1000: 278, 10000: 370, 75000: 384, 100000: 384}
    assert {n: udfs.ikm_sampel(n) for n in table} == table
    assert udfs.ikm_sampel(74999) == 382  # the formula just below the table threshold
    pelanggan = ANGKA["jumlah_pelanggan_2023"]["nilai"]  # 254 customers to June 2023 (003:L531)
    assert udfs.ikm_sampel(pelanggan) == 153 < ANGKA["pk_bspji_manado"]["indeks_kepuasan_masyarakat"]["jumlah_kuesioner"]
    assert udfs.ikm_sampel([[50], [100]]) == [44, 80]


# --- predicates (R16) ----------------------------------------------------------------

def test_predicates():
    assert udfs.predikat(76.80) == "BB"  # [003] SAKIP TA 2022 (003:L1410)
    assert udfs.predikat(90) == "A" and udfs.predikat(90.01) == "AA" and udfs.predikat(100) == "AA"
    assert udfs.predikat(30) == "D" and udfs.predikat(30.01) == "C" and udfs.predikat(0) == "D"
    assert [udfs.predikat(v) for v in (80, 70, 60, 50)] == ["BB", "B", "CC", "C"]
    assert udfs.SKALA["sakip"].pita[2].keterangan == "Sangat Baik"
    assert udfs.predikat(4.6, "ipp") == "A" and udfs.predikat(4.5, "ipp") == "A-" and udfs.predikat(3.56, "ipp") == "B"
    assert udfs.predikat(1.0, "ipp") == "F" and galat(udfs.predikat(5.1, "ipp"), "#NUM!")
    assert udfs.predikat(90, "nka") == "Baik" and udfs.predikat(90.5, "nka") == "Sangat Baik"
    assert udfs.predikat(50, "nka") == "Sangat Kurang"
    assert udfs.predikat(95, "ikpa") == "Sangat Baik" and udfs.predikat(94.99, "ikpa") == "Baik"
    assert udfs.predikat(69.99, "ikpa") == "Kurang"
    assert udfs.predikat(91, "pemda") == "Sangat Baik" and udfs.predikat(90, "pemda") == "Baik"
    assert udfs.predikat(108.11, "pemda") == "Sangat Baik" and udfs.predikat(50, "pemda") == "Sangat Kurang"
    with pytest.raises(ValueError, match="Skala 'x' tidak dikenal"):
        udfs.predikat(50, "x")


# --- API surface: registry, docstrings, type hints, purity --------------------------------

def test_registry_maps_every_excel_name_to_a_documented_typed_function():
    names = ["CAPAIAN", "CAPAIAN_RATA", "PREDIKAT", "P3DN", "P3DN_ESELON1", "IKM", "IKM_NRR", "IKM_KONVERSI",
             "IKM_MUTU", "IKM_SAMPEL", "PENYERAPAN", "RATA_TERTIMBANG", "KONTRIBUSI", "KUMULATIF", "PERTUMBUHAN",
             "EFISIENSI", "RASIO_GABUNGAN", "CAPAIAN_TAHUNAN", "CAPAIAN_JANGKA_MENENGAH", "TARGET_JANGKA_MENENGAH",
             "REALISASI_JANGKA_MENENGAH", "CAPAIAN_RATA_KELOMPOK", "EFEKTIF", "EFISIEN", "RASIO_EFISIENSI", "SURVEI",
             "SURVEI_KELOMPOK", "SURVEI_RESPONDEN", "CAPAIAN_AGREGAT"]
    assert sorted(FUNGSI) == sorted(f"KINERJA.{n}" for n in names)
    for name, f in [*FUNGSI.items(), ("bulat", udfs.bulat)]:
        assert f is getattr(udfs, f.__name__), name
        assert f.__doc__ and len(f.__doc__) > 40, name
        hints = typing.get_type_hints(f)
        assert "return" in hints and set(inspect.signature(f).parameters) <= set(hints), name


def _python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS")}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_the_core_imports_neither_xlwings_nor_formulas():
    out = _python("import sys, udfs, udfs.registry, udfs.capaian, udfs.skala, udfs.ikm, udfs.p3dn, udfs.anggaran; "
                  "print(sorted(m for m in ('xlwings', 'formulas') if m in sys.modules))")
    assert out == "[]"
    for path in (ROOT / "udfs").glob("*.py"):
        imports = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(("import ", "from "))]
        assert any("xlwings" in ln for ln in imports) == (path.name == "excel.py"), path


# --- xlwings exposure (udfs.excel) -------------------------------------------------------

_PROBE = """
import json, xlwings as xw, udfs.excel as e
out = {"mode": xw.func.__module__, "decorated": hasattr(e.capaian, "__xlfunc__"),
       "capaian": e.capaian([[80.4]], [[76.8]]), "galat": e.capaian([[0]], [[5]]),
       "kolom": e.capaian([[80.4], [0]], [[76.8], [1]]), "nrr": e.ikm_nrr([[3, 4], [4, 4]])}
print(json.dumps(out))
"""


@pytest.mark.parametrize("env", [{}, {"XLWINGS_LICENSE_KEY": "noncommercial"},
                                 {"XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}],
                         ids=["open-source", "license-key", "server"])
def test_udfs_excel_imports_and_stays_callable_on_linux(env):
    out = json.loads(_python(_PROBE, **env))
    assert out["decorated"] == (env.get("XLWINGS_ON_SERVER") == "true")  # xlwings 0.37.8: only server mode decorates
    assert out["capaian"] == pytest.approx(95.5224, abs=1e-4)
    assert out["galat"] == "#DIV/0!"  # the literal; xlwings Server turns it into a real error cell
    assert out["kolom"][0][0] == pytest.approx(95.5224, abs=1e-4) and out["kolom"][1] == ["#DIV/0!"]
    assert out["nrr"] == [[3.5, 4.0]]  # one row


_SERVER = """
import asyncio, json, xlwings as xw, udfs.excel as e
from xlwings.server import custom_functions_call, custom_functions_meta
meta = custom_functions_meta(e)
def call(fn, *args):
    data = {"func_name": fn, "args": list(args), "caller_address": "Sheet1!A1", "version": xw.__version__,
            "runtime": "1.4", "client": "Office.js", "culture_info_name": "id-ID", "date_format": "dd/mm/yyyy"}
    return asyncio.run(custom_functions_call(data, e))
print(json.dumps({"meta": meta["functions"],
    "capaian": call("capaian", [[80.4], [92.5]], [[76.8], [100]], [["maksimal"]], [[None]]),
    "nol": call("capaian", [[0]], [[5]], [[None]], [[None]]),
    "kosong": call("capaian", [[5]], [[None]], [[None]], [[None]]),
    "rentang": call("capaian", [[80, 90]], [[70]], [["rentang"]], [[None]]),
    "mutu": call("ikm_mutu", [[3.61]], [[None]]),
    "kontribusi": call("kontribusi", [[30.52], [""], [18.06]], [[48488], [232180], [106885]], [[12207073]])}))
"""


def test_xlwings_server_metadata_and_calls():
    out = json.loads(_python(_SERVER, XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_ON_SERVER="true"))
    meta = {f["name"]: f for f in out["meta"]}
    assert set(meta) == {n.split(".")[1] for n in FUNGSI}  # the server app adds the KINERJA namespace
    cap = meta["CAPAIAN"]
    assert cap["description"].startswith("Capaian kinerja (%)")
    params = {p["name"]: p for p in cap["parameters"]}
    assert "maksimal" in params["polaritas"]["description"] and params["batas"]["optional"]
    assert params["target"]["dimensionality"] == "matrix"
    assert [r[0] for r in out["capaian"]] == pytest.approx([95.5224, 108.1081], abs=1e-4)
    assert out["nol"] == [[{"type": "Error", "errorType": "Div0"}]]  # a real #DIV/0! cell
    assert out["kosong"] == [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert out["rentang"] == [[87.5]]
    assert out["mutu"] == [["A (Sangat Baik)"]]
    assert out["kontribusi"][0][0] == pytest.approx((48488 * 30.52 + 106885 * 18.06) / 12207073)


# --- formulas registration --------------------------------------------------------------

def test_register_formulas_evaluates_kinerja_functions_in_a_workbook(tmp_path):
    formulas = pytest.importorskip("formulas")
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.worksheet.formula import ArrayFormula

    from udfs.registry import register_formulas

    registered = register_formulas()
    assert set(registered) == set(FUNGSI) and all(formulas.get_functions()[k] is registered[k] for k in FUNGSI)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Uji"
    out, pagu = _form_a("6077")[0], _form_a("6077")[2]
    ws["A1"], ws["B1"], ws["C1"] = 80.4, 76.8, PAGU_SATKER
    for i, (r, p) in enumerate(zip(out, pagu), start=2):  # AEF, BAD, CAH (`-`), QDI
        ws[f"A{i}"], ws[f"B{i}"] = r["c6_ini_keu_S"] or "-", p
    ws["D1"] = "=KINERJA.CAPAIAN(A1,B1)"
    ws["D2"] = "=KINERJA.KONTRIBUSI(A2:A5,B2:B5,C1)"
    ws["D3"] = '=KINERJA.CAPAIAN(7,6.5,"minimal")'
    ws["D4"] = "=KINERJA.CAPAIAN(0,5)"
    ws["D5"] = "=KINERJA.CAPAIAN(1/0,5)"  # an error argument passes through
    ws["D6"] = '=KINERJA.CAPAIAN(7,6.5,"naik")'  # unknown polaritas → #VALUE!
    ws["D7"] = '=KINERJA.IKM_MUTU(3.61,"permenpanrb-14-2017")'
    ws["D8"] = "=KINERJA.PREDIKAT(B1)"
    ws["D9"] = "=KINERJA.RATA_TERTIMBANG(A2:A5,B2:B5)+0"
    ws["D10"] = "=KINERJA.IKM_SAMPEL(254)"
    ws["F1"] = ArrayFormula("F1:F2", "=KINERJA.CAPAIAN(G1:G2,H1:H2)")
    ws["G1"], ws["G2"], ws["H1"], ws["H2"] = 80.4, 0, 76.8, 1
    ws["J1"] = ArrayFormula("J1:K1", "=KINERJA.IKM_NRR(J3:K4)")
    ws["J3"], ws["K3"], ws["J4"], ws["K4"] = 3, 4, 4, None
    path = tmp_path / "kinerja.xlsx"
    wb.save(path)

    sol = formulas.ExcelModel().loads(str(path)).finish().calculate()
    cell = {k.split("!")[-1]: v.value for k, v in sol.items() if "!" in k and hasattr(v, "value")}
    v = {ref: val[0][0] for ref, val in cell.items() if ":" not in ref}
    weights = [r["c6_ini_keu_S"] or "-" for r in out]
    assert v["D1"] == pytest.approx(udfs.capaian(80.4, 76.8))
    assert v["D2"] == pytest.approx(udfs.kontribusi(weights, pagu, PAGU_SATKER)) and bulat(v["D2"]) == 0.66
    assert v["D3"] == pytest.approx(udfs.capaian(7, 6.5, "minimal"))
    assert [str(v[k]) for k in ("D4", "D5", "D6")] == ["#DIV/0!", "#DIV/0!", "#VALUE!"]
    assert v["D7"] == "A (Sangat Baik)" and v["D8"] == "BB" and v["D10"] == 153
    assert v["D9"] == pytest.approx(udfs.rata_tertimbang(weights, pagu))
    f = cell["F1:F2"]
    assert f[0][0] == pytest.approx(95.5224, abs=1e-4) and str(f[1][0]) == "#DIV/0!"
    assert cell["J1:K1"].tolist() == [[3.5, 4.0]]
