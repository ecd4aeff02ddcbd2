"""Issue 3: the calculation engine reproduces the seeds' published figures."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

import udfs
from tests.conftest import num, seed_rows
from udfs import NilaiGalat, bulat

PAGU_SATKER = 12207073  # Rp 000, BSPJI Manado after revisi 02 (003:L186)


def test_half_up_rounding_as_printed():
    assert bulat(102.5, 0) == 103 and bulat(0.125, 2) == 0.13 and bulat(28.1207) == 28.12
    assert round(102.5) == 102  # why bulat exists


def test_bpsdmi_perjanjian_kinerja_capaian():
    """000:L214-242 prints capaian rounded to whole %; most rows reproduce R/T×100 half-up."""
    rows = {(r["kode_sp"], r["indikator_kinerja_utama"][:40]): r for r in seed_rows("000_tabel2_1_perjanjian_kinerja_bpsdmi.csv")}
    wrong = {
        # I000-07 (000:L216): realisasi 13,54 copied from the row above; 13,54/117,57 = 11,52 % but 25 % printed
        "Produktivitas tenaga kerja sektor indust": 11.52,
        # I000-15 (000:L226): 12/15 = 80 %, printed 88 %
        "Fasilitasi Lembaga Sertifikasi Profesi (": 80.0,
        # 000:L225: progress-based SKKNI indicator, realisasi "0 (7 dokumen Penyusunan)", printed 35,25 %
        "Infrastruktur kompetensi industri": 0.0,
        # 000:L230: 334,65/334 = 100,19 → 100 ✓ (kept here for the I000-17 note: the mean is really 334,5667)
    }
    checked = 0
    for (_, name), r in rows.items():
        got = udfs.capaian(num(r["target"]), num(r["realisasi"]))
        if name in wrong:
            assert got == pytest.approx(wrong[name], abs=0.005)
            assert bulat(got, 0) != num(r["capaian_pct"])
            continue
        assert bulat(got, 0) == pytest.approx(num(r["capaian_pct"]), abs=0.5), name
        checked += 1
    assert checked >= 20
    # worked examples (DOMAIN R7)
    assert udfs.capaian(81, 83.03) == pytest.approx(102.5062, abs=1e-4) and bulat(udfs.capaian(81, 83.03), 0) == 103
    assert udfs.capaian(26500, 16535) == pytest.approx(62.40, abs=0.005)
    assert udfs.capaian(1500, 1765) == pytest.approx(117.67, abs=0.005)  # printed 118 and "117 %" (I000-16)


def test_bspji_capaian_computed_where_the_seed_left_them_wrong():
    # I003-12: the seed's Capaian cells hold 76,80 (the realisasi) and 100; the true capaian:
    assert udfs.capaian(80.4, 76.80) == pytest.approx(95.52, abs=0.005)
    assert udfs.capaian(92.5, 100) == pytest.approx(108.11, abs=0.005)
    assert udfs.capaian(3.6, 3.61) == pytest.approx(100.28, abs=0.005)
    assert udfs.capaian(72, 79.71) == pytest.approx(110.71, abs=0.005)
    assert udfs.capaian(43, 95.62) == pytest.approx(222.37, abs=0.005)
    assert udfs.capaian(750, 426) == pytest.approx(56.80)


def test_polarities_and_cap():
    assert udfs.capaian(7, 6.5, "minimal") == pytest.approx(107.142857, abs=1e-5)
    assert udfs.capaian(8, 9, "minimal") == pytest.approx(87.5)
    assert udfs.capaian(10, 20, "minimal") == 0.0  # floored
    assert udfs.capaian(7, 6.5, "minimal-tr") == pytest.approx(107.69, abs=0.005)
    assert udfs.capaian(8, 9, "minimal-tr") == pytest.approx(88.89, abs=0.005)
    assert udfs.capaian(10, 20, "minimal-tr") == pytest.approx(50)
    assert udfs.capaian(100, 90, "stabil") == pytest.approx(90)
    assert udfs.capaian("80-90", 70, "rentang") == pytest.approx(87.5)
    assert udfs.capaian([[80, 90]], 85, "rentang") == 100.0
    assert udfs.capaian("80-90", 92, "rentang") == pytest.approx(90 / 92 * 100)  # DOMAIN: really 97,8, not 113
    assert udfs.capaian(1500, 1765, batas=120) == pytest.approx(117.67, abs=0.005)
    assert udfs.capaian(1000, 1765, batas=120) == 120
    assert udfs.capaian(1000, 1765, "maksimasi") == pytest.approx(176.5)
    with pytest.raises(ValueError, match="Polaritas 'naik' tidak dikenal"):
        udfs.capaian(1, 1, "naik")


def test_errors_are_values_not_exceptions():
    for bad in (udfs.capaian(0, 5), udfs.capaian(None, 5), udfs.capaian("-", 5)):
        assert isinstance(bad, NilaiGalat) and bad.kode == "#DIV/0!" and "Target" in bad.pesan
    assert udfs.capaian(5, "").kode == "#VALUE!"
    assert udfs.rata_tertimbang([1, 2], [0, 0]).kode == "#DIV/0!"
    assert udfs.kontribusi([1], [1], 0).kode == "#DIV/0!"


def test_ranges_as_excel_passes_them():
    col = udfs.capaian([[80.4], [92.5], [0]], [[76.8], [100], [1]])
    assert [bulat(v) for v in col[:2]] == [95.52, 108.11] and isinstance(col[2], NilaiGalat)
    arr = udfs.capaian(np.array([[80.4], [92.5]]), np.array([[76.8], [100]]))
    assert bulat(arr[0]) == 95.52
    assert udfs.kumulatif([[17.95], ["-"], [None]], [[8.56], [30.52], ["-"]]) == pytest.approx([26.51, 30.52, 0])
    assert udfs.capaian_rata([[100, None], ["-", 50]]) == 75


def _form_b(name):
    rows = seed_rows(name)
    return [r for r in rows if r["c1_nama_kegiatan"] != "Jumlah"], next((r for r in rows if r["c1_nama_kegiatan"] == "Jumlah"), None)


def test_form_b_dl_jumlah_is_the_pagu_weighted_mean():
    rows, jumlah = _form_b("000_form_b_DL_program_pendidikan_pelatihan_vokasi.csv")
    pagu = [num(r["c5_total_rp000"]) for r in rows]
    assert sum(pagu) == 493064631 == num(jumlah["c5_total_rp000"])
    for key, tol in (("c6_penyerapan_S_pct", 0.005), ("c7_penyerapan_R_pct", 0.005),
                     ("c10_output_S_pct", 0.01), ("c11_output_R_pct", 0.005)):
        got = udfs.rata_tertimbang([num(r[key]) for r in rows], pagu)
        assert got == pytest.approx(num(jumlah[key]), abs=tol), key
    # a plain mean does not reproduce it (28,14 / 24,31 / 42,53 / 38,14)
    assert bulat(np.mean([num(r["c6_penyerapan_S_pct"]) for r in rows])) == 28.14


def test_form_b_wa_weighting_reproduces_the_narrative():
    # B-WA prints no Jumlah (I000-26); weighting its rows gives the narrative's 37,59 / 39,21 / 46,16 / 45,24 (000:L267)
    rows, _ = _form_b("000_form_b_WA_program_dukungan_manajemen.csv")
    pagu = [num(r["c5_total_rp000"]) for r in rows]
    got = [udfs.rata_tertimbang([num(r[k]) for r in rows], pagu)
           for k in ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct", "c11_output_R_pct")]
    assert [bulat(g) for g in got[:3]] == [37.59, 39.21, 46.16]
    assert got[3] == pytest.approx(45.2462, abs=1e-4)  # the narrative's 45,24 truncates; half-up gives 45,25


SEC3 = ["c2_lalu_keu_S", "c3_lalu_keu_R", "c4_lalu_fis_S", "c5_lalu_fis_R", "c6_ini_keu_S", "c7_ini_keu_R",
        "c8_ini_fis_S", "c9_ini_fis_R", "c10_sd_keu_S", "c11_sd_keu_R", "c12_sd_fis_S", "c13_sd_fis_R"]


@pytest.mark.parametrize("kegiatan", ["6077", "6042"])
def test_form_a_jumlah_is_the_contribution_to_the_satker_pagu(kegiatan):
    pagu = {r["c1_output_kode"]: num(r["c5_total_rp000"]) for r in seed_rows("003_form_a_sec2_anggaran_output.csv")
            if r["kegiatan"] == kegiatan and r["c1_output_kode"]}
    sec3 = [r for r in seed_rows("003_form_a_sec3_target_realisasi_output.csv") if r["kegiatan"] == kegiatan]
    rows = [r for r in sec3 if r["c1_output_kode"]]
    jumlah = next(r for r in sec3 if not r["c1_output_kode"])
    weights = [pagu[r["c1_output_kode"]] for r in rows]
    for key in SEC3:  # all 12 printed cells of each Jumlah row, max deviation 0,0044 (R2)
        got = udfs.kontribusi([r[key] or "-" for r in rows], weights, PAGU_SATKER)
        assert got == pytest.approx(num(jumlah[key]), abs=0.005), key
    # dividing by the kegiatan pagu instead would not reproduce it (6077 TW ini keu S: 8,66 vs 0,66)
    if kegiatan == "6077":
        assert udfs.kontribusi([r["c6_ini_keu_S"] for r in rows], weights, sum(weights)) == pytest.approx(8.66, abs=0.01)


def test_satker_total_is_the_sum_of_the_kegiatan_jumlah():
    # 1,55 + 41,18 = 42,73 = Rp 5.215.824.466 / 12.207.073.000 (003:L1253)
    assert udfs.penyerapan(5215824466, 12207073000) == pytest.approx(42.73, abs=0.005)


def test_cumulative_rule_r1_on_the_32_cells():
    rows = [r for r in seed_rows("003_form_a_sec3_target_realisasi_output.csv") if r["c1_output_kode"]]
    n = 0
    for r in rows:
        for m in ("keu_S", "keu_R", "fis_S", "fis_R"):
            lalu, ini, sd = (next(r[k] for k in SEC3 if k.endswith(f"_{p}_{m}")) for p in ("lalu", "ini", "sd"))
            assert udfs.kumulatif(lalu or "-", ini or "-") == pytest.approx(num(sd) or 0, abs=0.0100001)
            n += 1
    assert n == 32


def test_alki_komponen_weighting_gives_form_a_output_fisik():
    """R5: FORM A c13 = pagu-weighted ALKI realisasi fisik over the komponen of the output."""
    by_kro = defaultdict(lambda: ([], []))
    alki = seed_rows("003_form_alki_monitoring_30jun2023.csv")
    for r in alki:
        kro = r["mapped_ro_inferred_by_pagu"].split(".")[1]
        by_kro[kro][0].append(num(r["realisasi_fisik_pct"]))
        by_kro[kro][1].append(num(r["pagu_rp"]))
    want = {"AEF": 31.533, "BAD": 27.856, "QDI": 21.290, "EBA": 48.003, "EBC": 46.916, "EBD": 39.745,
            "CAH": 0, "EBB": 0}
    for kro, value in want.items():
        assert udfs.rata_tertimbang(*by_kro[kro]) == pytest.approx(value, abs=0.0005), kro
    satker = udfs.rata_tertimbang([num(r["realisasi_fisik_pct"]) for r in alki], [num(r["pagu_rp"]) for r in alki])
    assert satker == pytest.approx(45.575, abs=0.0005) and sum(num(r["pagu_rp"]) for r in alki) == 12207073000
    # AEF worked example: (23.436.000×46 + 25.052.000×18) / 48.488.000 = 31,53
    assert bulat(udfs.rata_tertimbang([46, 18], [23436000, 25052000])) == 31.53


def test_p3dn_per_eselon1_and_the_ministry_rollup():
    rows = seed_rows("000_iku_p3dn_per_eselon1_emonitoring.csv")
    units = [r for r in rows if r["unit_kerja"] != "Total"]
    for r in units:  # all 9 rows: (PDN + TKDN) / pagu
        got = udfs.p3dn_eselon1(num(r["realisasi_pdn_rp"]), num(r["realisasi_tkdn_rp"]), num(r["pagu_anggaran_rp"]))
        assert got == pytest.approx(num(r["pct_realisasi_pdn_plus_tkdn"]), abs=0.005), r["unit_kerja"]
    bpsdmi = next(r for r in units if "Sumber Daya Manusia" in r["unit_kerja"])
    assert bulat(udfs.p3dn_eselon1(num(bpsdmi["realisasi_pdn_rp"]), num(bpsdmi["realisasi_tkdn_rp"]),
                                   num(bpsdmi["pagu_anggaran_rp"]))) == 33.91
    total = udfs.p3dn_eselon1([num(r["realisasi_pdn_rp"]) for r in units], [num(r["realisasi_tkdn_rp"]) for r in units],
                              [num(r["pagu_anggaran_rp"]) for r in units])
    assert bulat(total) == 31.94
    assert bulat(np.mean([num(r["pct_realisasi_pdn_plus_tkdn"]) for r in units])) == 39.33  # the wrong mean


def test_p3dn_over_akun_terpilih_ignores_other_akun():
    assert len(udfs.AKUN_TERPILIH) == 15 and udfs.AKUN_TERPILIH[0] == "521211" and udfs.AKUN_TERPILIH[-1] == "533111"
    got = udfs.p3dn([[90], [10], [500]], [[100], [100], [1000]], [["521211"], [532111], ["511111"]])
    assert got == pytest.approx(50.0)
    assert udfs.p3dn([90, 10, 500], [100, 100, 1000]) == pytest.approx(600 / 1200 * 100)


def test_growth_efficiency_and_pooled_ratios():
    assert bulat(udfs.pertumbuhan(409440882, 518891250)) == 26.73  # PNBP, 003:L537
    assert udfs.efisiensi(1000, 950) == pytest.approx(5.0)
    # serapan lulusan (000:L218): (1.980 + 3.094) / (2.041 + 4.070) = 83,03 %, not the mean 86,52
    assert bulat(udfs.rasio_gabungan([1980, 3094], [2041, 4070])) == 83.03
    assert bulat(udfs.rasio_gabungan([440], [534])) == 82.40
    assert bulat(udfs.penyerapan(806732454, 2740000000)) == 29.44  # R4, 4957.BDB
    assert bulat(udfs.penyerapan(421561402933, 997115597000)) == 42.28


def _answers(totals, n):
    """A respondents × unsur matrix whose column sums are ``totals``."""
    cols = []
    for t in totals:
        base, extra = divmod(t, n)
        cols.append([base + 1 if i < extra else base for i in range(n)])
    return [list(r) for r in zip(*cols)]


def test_indeks_kepuasan_masyarakat_worked_example():
    m = _answers([105, 101, 100, 116, 102, 105, 106, 105, 115], 29)
    assert [sum(c) for c in zip(*m)] == [105, 101, 100, 116, 102, 105, 106, 105, 115]
    nilai = udfs.ikm(m)
    assert nilai == pytest.approx(955 / 261) and bulat(udfs.ikm_konversi(nilai)) == 91.48
    assert udfs.ikm_mutu(nilai) == "A (Sangat Baik)"
    assert udfs.ikm_nrr(m)[0] == pytest.approx(105 / 29)
    # the seed's 3,61 (003:L1403) → 90,25 → A
    assert udfs.ikm_konversi(3.61) == pytest.approx(90.25) and udfs.ikm_mutu(3.61) == "A (Sangat Baik)"
    assert udfs.ikm_mutu(3.0644) == "B (Baik)" and udfs.ikm_mutu(2.6) == "C (Kurang Baik)"
    assert udfs.ikm_mutu(2.5, "kepmenpan-25-2004") == "C (Kurang Baik)"
    assert udfs.ikm_mutu(3.26, "kepmenpan-25-2004") == "A (Sangat Baik)"
    assert udfs.ikm([[1, 2, 5]]).kode == "#VALUE!"
    assert len(udfs.UNSUR_PERMENPANRB_14_2017) == 9 and len(udfs.UNSUR_KEPMENPAN_25_2004) == 14


def test_krejcie_morgan_sample_table():
    table = {50: 44, 100: 80, 300: 169, 500: 217, 1000: 278, 10000: 370, 100000: 384, 254: 153}
    assert {n: udfs.ikm_sampel(n) for n in table} == table


def test_predicates():
    assert udfs.predikat(76.80) == "BB (Sangat Baik)"
    assert udfs.predikat(90) == "A (Memuaskan)" and udfs.predikat(90.01) == "AA (Sangat Memuaskan)"
    assert udfs.predikat(30) == "D (Sangat Kurang)" and udfs.predikat(30.5) == "C (Kurang)"
    assert udfs.predikat(4.6, "ipp") == "A (Pelayanan Prima)" and udfs.predikat(3.56, "ipp") == "B"
    assert udfs.predikat(95, "ikpa") == "Sangat Baik" and udfs.predikat(94.99, "ikpa") == "Baik"
