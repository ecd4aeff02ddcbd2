"""Issue 12, the SAKIP year: surveys of any shape, annual and medium-term capaian, BPKP labels, the Renstra
and rincian forms. Figures from tests/data/sakip (see its README for the seed lines)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import udfs
from tests.libreoffice import recalc_many
from tests.test_recalc_libreoffice import CaseSheet, _same
from tests.test_udfs import _answers
from udfs.errors import NilaiGalat
from workbooks.builder import SheetValues, build_workbook
from workbooks.compute import derive
from workbooks.forms import LAYOUTS
from workbooks.meta import Meta
from workbooks.model import Rule
from workbooks.placement import place
from workbooks.reader import _error_cells, read_workbook

DATA = Path(__file__).parent / "data" / "sakip"
SKM_TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]  # 29 respondents (DOMAIN R13): 955/261


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _survey() -> tuple[list[list[int]], list[str]]:
    rows = _csv("survei_perusahaan_10_butir.csv")
    return [[int(r[f"b{i:02d}"]) for i in range(1, 11)] for r in rows], [r["perusahaan"] for r in rows]


def _renstra() -> list[dict[str, str]]:
    return _csv("004_renstra_bskji_tabel02.csv")


def _years(r: dict[str, str]) -> list[float]:
    return [float(r[f"t{y}"]) for y in range(2021, 2025)]


# --- surveys of any shape ----------------------------------------------------------------------------

def test_ten_item_company_survey_gives_its_per_company_and_overall_index():
    jawaban, perusahaan = _survey()
    per = {p: udfs.survei_kelompok(jawaban, perusahaan, p) for p in dict.fromkeys(perusahaan)}
    assert list(per.values()) == pytest.approx([3.70, 3.60, 3.75, 3.65, 3.70])
    assert udfs.survei(jawaban, 4, perusahaan) == pytest.approx(3.68)  # the mean of the companies, as reported
    assert udfs.survei(jawaban) == pytest.approx(3.67)  # pooled over respondents: a different figure
    assert udfs.survei_responden(jawaban)[:3] == pytest.approx([3.7, 3.7, 3.6])
    # the IKM preset refuses the 10-item questionnaire (9 unsur): the general function is the one to use
    assert isinstance(udfs.ikm(jawaban), NilaiGalat)


def test_ikm_umum_takes_a_questionnaire_of_any_length():
    jawaban, _ = _survey()
    assert udfs.ikm(jawaban, "umum") == pytest.approx(3.67)
    assert udfs.ikm(jawaban, "Umum — kuesioner sendiri, N butir skala 1–4") == pytest.approx(3.67)
    assert udfs.ikm_mutu(3.67, "umum") == udfs.ikm_mutu(3.67) == "A (Sangat Baik)"
    with pytest.raises(ValueError, match="umum"):
        udfs.ikm(jawaban, "bebas")


def test_ikm_presets_are_special_cases_of_the_general_survey():
    nine = _answers(SKM_TOTALS, 29)
    assert udfs.ikm(nine) == pytest.approx(955 / 261)
    assert udfs.survei(nine) == pytest.approx(udfs.ikm(nine))
    fourteen = [[(r * 3 + u) % 4 + 1 for u in range(14)] for r in range(6)]
    assert udfs.survei(fourteen) == pytest.approx(udfs.ikm(fourteen, "kepmenpan-25-2004"))


def test_survey_scale_and_answer_checks():
    assert udfs.survei([[5, 4], [3, 5]], 5) == pytest.approx(4.25)
    assert udfs.survei([[5, 4]], 4).kode == "#VALUE!"  # 5 on a 1–4 scale
    assert udfs.survei([[3.5, 4]]).kode == "#VALUE!"  # not a whole answer
    assert udfs.survei([[3, 4]], 11).kode == "#NUM!"
    assert udfs.survei([[3, None, 4], [4, None, "-"]]) == pytest.approx((3.5 + 4) / 2)  # unanswered column skipped
    assert udfs.survei_kelompok([[3, 4], [4, 4]], ["A", "B"], "C").kode == "#N/A"
    assert udfs.survei_kelompok([[3, None], [4, 4]], ["A", "B"], "A").kode == "#DIV/0!"  # item 2 unanswered in A


# --- annual capaian from the quarters ------------------------------------------------------------------

def test_capaian_tahunan_under_each_basis():
    # tren positif: a count measured per quarter (003: layanan 426 of 750 by TW II = 56,8 %)
    assert udfs.capaian_tahunan(750, [180, 246, None, None]) == pytest.approx(56.8)
    # nilai akhir: an index measured at a date (003: Indeks Kepuasan Masyarakat 3,61 against 3,6 → 100,28)
    assert udfs.capaian_tahunan(3.6, [3.55, 3.61, None, None], "nilai-akhir") == pytest.approx(100.2778, abs=1e-4)
    assert udfs.capaian_tahunan(3.6, [3.55, 3.61], "Nilai akhir — realisasi triwulan terakhir ÷ target") == \
        pytest.approx(100.2778, abs=1e-4)
    # tren negatif (peer wp-eval-sakip, type 3): (target − Σ realisasi) / target × 100
    assert udfs.capaian_tahunan(10, [2, 3, None, 1], "tren-negatif") == pytest.approx(40.0)
    assert udfs.capaian_tahunan(0, [2]).kode == "#DIV/0!"
    assert udfs.capaian_tahunan(10, [None, None]).kode == "#N/A"
    assert udfs.capaian_tahunan(10, [1], "naik").kode == "#VALUE!"


# --- Renstra: capaian jangka menengah under each basis (004 targets) -----------------------------------

def test_renstra_bskji_targets_recompute_capaian_jangka_menengah_under_each_basis():
    rows = {r["src_line"]: r for r in _renstra()}
    sih, ikm, t1 = rows["695"], rows["696"], rows["686"]  # SIH count, Indeks Kepuasan Masyarakat, Tujuan T1
    assert (sih["basis"], ikm["basis"], t1["basis"]) == ("jumlah", "nilai-akhir", "rata-rata")
    # a unit on track through 2023: realisasi = the targets of 2021–2023
    on_track = {k: _years(r)[:3] for k, r in rows.items()}
    assert udfs.target_jangka_menengah(_years(sih), "jumlah") == 215  # 37 + 46 + 61 + 71
    assert udfs.capaian_jangka_menengah(_years(sih), on_track["695"], "jumlah") == pytest.approx(144 / 215 * 100)
    assert udfs.capaian_jangka_menengah(_years(ikm), on_track["696"], "nilai-akhir") == pytest.approx(100.0)
    assert udfs.capaian_jangka_menengah(_years(t1), on_track["686"], "rata-rata") == pytest.approx(
        (51 + 54 + 58) / 3 / 56.25 * 100)
    # the same indicator under the three bases
    sp2 = _years(rows["687"])  # SS2 produktivitas 5, 10, 15, 20 %
    got = {b: udfs.capaian_jangka_menengah(sp2, [6, 9, 16], b) for b in udfs.BASIS_JANGKA}
    assert got == pytest.approx({"jumlah": 31 / 50 * 100, "rata-rata": (31 / 3) / 12.5 * 100, "nilai-akhir": 80.0})


def test_tujuan_targets_are_the_mean_of_their_indicators():
    # R9 (004:L1831): Tujuan T1 2021 = mean(5, 7, 85, 60, 72, 74) = 50,5 → printed 51; T4 2021 = 56,875 → 57
    rows = [r for r in _renstra() if r["ss"]]
    t2021 = [float(r["t2021"]) for r in rows]
    tujuan = [r["tujuan"] for r in rows]
    assert udfs.capaian_rata_kelompok(t2021, tujuan, "T1") == pytest.approx(50.5)
    assert udfs.bulat(udfs.capaian_rata_kelompok(t2021, tujuan, "T1"), 0) == 51
    assert udfs.capaian_rata_kelompok(t2021, tujuan, "T4") == pytest.approx(56.875)
    assert udfs.capaian_rata_kelompok(t2021, tujuan, "T9").kode == "#DIV/0!"


def test_bpkp_efektif_efisien_and_efficiency_ratio():
    # 003: SAKIP capaian 76,80 / 80,4 = 95,52 %; the satker's serapan at TW II 42,73 %
    c = udfs.capaian(80.4, 76.80)
    assert udfs.efektif(c) == "Tidak Efektif" and udfs.efektif(100) == "Efektif"
    assert udfs.efisien(c, 42.73) == "Efisien" and udfs.efisien(42.73, 42.73) == "Tidak Efisien"
    assert udfs.rasio_efisiensi(c, 42.73) == pytest.approx((c - 42.73) / c * 100)
    assert udfs.rasio_efisiensi(110, 88) == pytest.approx(20.0)
    assert udfs.rasio_efisiensi(0, 5).kode == "#DIV/0!"


def test_capaian_agregat_rata_rata_persentase_and_rasio_jumlah_differ_on_real_looking_figures():
    # hasil layanan per jenis (003 style): pengujian 426 of 750, kalibrasi 150 of 120, sertifikasi 52 of 40
    r, t = [426, 150, 52], [750, 120, 40]
    c = [udfs.capaian(a, b) for b, a in zip(r, t)]
    assert c == pytest.approx([56.8, 125.0, 130.0])
    mean = udfs.capaian_agregat(c, r, t)
    assert mean == pytest.approx(103.9333, abs=1e-4)  # (56,8 + 125 + 130) / 3
    assert udfs.capaian_agregat(c, r, t, "Rata-rata persentase — x") == pytest.approx(mean)
    ratio = udfs.capaian_agregat(c, r, t, "rasio-jumlah")
    assert ratio == pytest.approx(69.0110, abs=1e-4)  # 628 / 910: one large target pulls the year down
    assert udfs.capaian_agregat(c + [None], r + [5], t + [None], "rasio jumlah") == pytest.approx(ratio)
    assert udfs.capaian_agregat([None], [None], [None]).kode == "#DIV/0!"
    assert udfs.capaian_agregat(c, r, t, "median").kode == "#VALUE!"


def test_pk_declares_its_aggregate_and_derives_it_in_the_header(built, tmp_path):
    lay = LAYOUTS["perjanjian-kinerja"]
    assert lay.field("agregat").pilihan == "agregat"
    got = _derived(built["pk"])  # no choice: rata-rata persentase
    caps = [got[("indikator", i, "c8_capaian_pct")] for i in range(4)]
    assert got[(None, None, "capaian_agregat_pct")] == pytest.approx(sum(caps) / 4)
    vals = _pk_values()
    vals.fields["agregat"] = "rasio-jumlah"
    path = _build("perjanjian-kinerja", vals, tmp_path / "pk_rasio.xlsx")
    ratio = _derived(path)[(None, None, "capaian_agregat_pct")]
    assert ratio == pytest.approx((76.80 + 3.61 + 426 + 100) / (80.4 + 3.6 + 750 + 92.5) * 100)
    assert abs(ratio - sum(caps) / 4) > 20  # 65,45 % against 90,18 %
    sd = read_workbook(path).sheets[0]
    assert sd.fields["agregat"].value == "rasio-jumlah"
    cell = sd.fields["capaian_agregat_pct"].address.split("!")[1]
    assert "KINERJA.CAPAIAN_AGREGAT(" in openpyxl.load_workbook(path)["PERJANJIAN KINERJA"][cell].value


# --- aggregate rows of the Perjanjian Kinerja: means per sasaran and tujuan, serapan ------------------------

_SAS, _TUJ = "c9_capaian_sasaran_pct", "c11_capaian_tujuan_pct"


def test_pk_mean_capaian_per_sasaran_and_tujuan_shows_on_each_groups_first_row(built):
    got = _derived(built["pk"])
    cap = [got[("indikator", i, "c8_capaian_pct")] for i in range(4)]
    assert cap == pytest.approx([95.5224, 100.2778, 56.8, 108.1081], abs=1e-4)
    # SS9 (Nilai SAKIP, IKM) on its first row, SS3 and SS6 alone; the rows below a group's first stay blank
    assert [got[("indikator", i, _SAS)] for i in range(4)] == [
        pytest.approx((cap[0] + cap[1]) / 2), None, pytest.approx(56.8), pytest.approx(cap[3])]
    # tujuan T2 serves SS9 and SS6 (rows 0, 1, 3), T1 serves SS3: the mean of the indicators, as the laporan's
    assert [got[("indikator", i, _TUJ)] for i in range(4)] == [
        pytest.approx((cap[0] + cap[1] + cap[3]) / 3), None, pytest.approx(56.8), None]
    text = openpyxl.load_workbook(built["pk"])["PERJANJIAN KINERJA"][_address(built["pk"], "indikator", 0, _SAS)].value
    assert "KINERJA.CAPAIAN_RATA_KELOMPOK(" in text and "AVERAGEIF(" in text


def test_pk_serapan_from_pagu_and_realisasi_anggaran_and_its_aggregate_both_ways(built, tmp_path):
    got = _derived(built["pk"])
    assert got[(None, None, "serapan_agregat_pct")] == pytest.approx((42.73 + 42.73 + 25 + 35.5) / 4)  # 36,49
    vals = _pk_values()
    vals.fields["agregat_serapan"] = "rasio-jumlah"
    path = _build("perjanjian-kinerja", vals, tmp_path / "pk_serapan.xlsx")
    ratio = _derived(path)[(None, None, "serapan_agregat_pct")]
    pagu, real = sum(p[8] for p in PK), sum(p[9] for p in PK)
    assert (pagu, real) == (1_500_000_000, 423_852_000)
    assert ratio == pytest.approx(real / pagu * 100)  # 28,26 %: the layanan budget (Rp 1,2 miliar) weighs most
    sd = read_workbook(path).sheets[0]
    assert sd.fields["agregat_serapan"].value == "rasio-jumlah"


def test_pk_total_anggaran_against_the_indicators_pagu_is_a_peringatan_at_the_total(tmp_path):
    from macros.validation import validate

    pagu = [p[8] for p in PK]
    assert sum(pagu) == 1_500_000_000

    def v37(name: str, total: float, kosong: int | None = None) -> list[tuple[str, str, str, float, float]]:
        vals = _pk_values()
        vals.fields["total_anggaran_rp"] = total
        if kosong is not None:
            vals.tables["indikator"][kosong]["c18_pagu_rp"] = None
        path = _build("perjanjian-kinerja", vals, tmp_path / name)
        cell = read_workbook(path).sheets[0].fields["total_anggaran_rp"].address.split("!")[-1]
        return [(f.severity, f.cell == cell, f.message, f.found, f.expected)
                for f in validate(path).findings if f.rule == "V37"]

    assert v37("sama.xlsx", 1_500_000_000) == []
    assert v37("pembulatan.xlsx", 1_500_000_000.4) == []
    # the satker's DIPA (the seed ALKI's Σ pagu, 003) typed as the PK's total: the indicators hold Rp 1,5 miliar
    assert v37("dipa.xlsx", 12_207_073_000) == [(
        "peringatan", True, "Total Anggaran (Rp) 12.207.073.000, sedangkan jumlah Pagu Anggaran (Rp) semua indikator "
        "1.500.000.000 (selisih 10.707.073.000). Samakan keduanya: periksa Total Anggaran (Rp) terhadap DIPA dan "
        "Pagu Anggaran (Rp) setiap indikator.", 12_207_073_000, 1_500_000_000)]
    # IKM's pagu (Rp 90 juta) not filled yet: the rest of the total may be its share, a sum above it cannot
    assert v37("belum_lengkap.xlsx", 1_500_000_000, kosong=1) == []
    assert v37("lebih.xlsx", 1_000_000_000, kosong=1) == [(
        "peringatan", True, "Total Anggaran (Rp) 1.000.000.000, padahal jumlah Pagu Anggaran (Rp) 3 indikator yang "
        "sudah diisi 1.410.000.000, lebih besar (selisih 410.000.000). Periksa Total Anggaran (Rp) terhadap DIPA dan "
        "Pagu Anggaran (Rp) indikator itu.", 1_000_000_000, 1_410_000_000)]


def _bpsdmi_pk(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    """BPSDMI's Perjanjian Kinerja 2023 (000 Tabel 2.1): 26 indicators of 9 sasaran, target and realisasi."""
    with open(DATA.parent / "seed" / "000_tabel2_1_perjanjian_kinerja_bpsdmi.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ind = [{"c1_kode": r["kode_sp"], "c2_sasaran": r["sasaran_program"], "c3_indikator": r["indikator_kinerja_utama"],
            "c4_satuan": r["satuan"], "c5_polaritas": "maksimal", "c6_target": float(r["target"]),
            "c7_realisasi": float(r["realisasi"])} for r in rows]
    vals = SheetValues(fields={"unit_organisasi": "Badan Pengembangan Sumber Daya Manusia Industri"},
                       tables={"indikator": ind})
    return _build("perjanjian-kinerja", vals, tmp_path / "pk_bpsdmi.xlsx"), rows


def test_bpsdmi_pk_mean_per_sasaran_and_a_mis_added_or_repeated_mean_is_found_at_its_cell(tmp_path):
    from macros.validation import validate

    path, rows = _bpsdmi_pk(tmp_path)
    got = _derived(path)
    kode = [r["kode_sp"] for r in rows]
    first = {k: kode.index(k) for k in dict.fromkeys(kode)}
    assert len(first) == 9  # SP3 and SP7 share their sasaran text: the code, not the text, makes the group
    for k, i in first.items():
        caps = [udfs.capaian(float(r["target"]), float(r["realisasi"])) for r in rows if r["kode_sp"] == k]
        assert got[("indikator", i, _SAS)] == pytest.approx(sum(caps) / len(caps)), k
    assert [i for i in range(len(rows)) if got[("indikator", i, _SAS)] is not None] == sorted(first.values())
    sp1 = got[("indikator", 0, _SAS)]
    printed = [float(r["capaian_pct"]) for r in rows if r["kode_sp"] == "SP1"]
    assert sp1 == pytest.approx(70.97, abs=5e-3)
    assert sum(printed) / len(printed) == pytest.approx(73.68)  # the printed 25 % for 13,54 / 117,57 = 11,52 %
    cells = [_address(path, "indikator", i, _SAS) for i in range(3)]
    assert [f for f in validate(path).findings if f.cell in cells] == []
    # the report's mean of its printed figures typed on SP1's row; a mean repeated on SP1's second row
    for cell, typed in ((cells[0], 73.68), (cells[1], round(sp1, 2))):
        wb = openpyxl.load_workbook(path)
        wb["PERJANJIAN KINERJA"][cell] = typed
        bad = tmp_path / f"pk_{cell}.xlsx"
        wb.save(bad)
        assert [(f.rule, f.cell) for f in validate(bad).findings if f.cell in cells] == [("V11", cell)]


def test_pk_serapan_agregat_typed_over_is_found_at_its_cell(built, tmp_path):
    from macros.validation import validate

    sd = read_workbook(built["pk"]).sheets[0]
    cell = sd.fields["serapan_agregat_pct"].address.split("!")[1]
    assert [f for f in validate(built["pk"]).findings if f.cell == cell] == []
    wb = openpyxl.load_workbook(built["pk"])
    wb["PERJANJIAN KINERJA"][cell] = 42.73  # the satker's serapan of another report, not these indicators'
    wb.save(tmp_path / "pk_serapan_salah.xlsx")
    assert [f.cell for f in validate(tmp_path / "pk_serapan_salah.xlsx").findings if f.cell == cell] == [cell]


def test_tambah_baris_and_pulihkan_keep_the_pk_means_whole(built, tmp_path):
    """A row inserted inside the SS9 group: the whole-column ranges of every mean grow over it, its own cells get the
    template's formulas, and Pulihkan Rumus finds nothing to restore."""
    from macros.pulihkan import restore_plan
    from macros.tambah_baris import add_rows_file
    from macros.validation import validate

    tp = read_workbook(built["pk"]).sheets[0].tables["indikator"]
    first = tp.number_row + 1
    out, _ = add_rows_file(built["pk"], tmp_path / "pk_sisip.xlsx", "PERJANJIAN KINERJA", first, 1)
    wb = openpyxl.load_workbook(out)
    ws = wb["PERJANJIAN KINERJA"]
    lay = LAYOUTS["perjanjian-kinerja"].indikator
    new = {"c1_kode": "SS9", "c2_sasaran": "Sasaran SS9", "c3_indikator": "Nilai reformasi birokrasi",
           "c4_satuan": "Nilai", "c6_target": 75, "c7_realisasi": 60, "c10_tujuan": "T2"}
    for key, v in new.items():
        ws.cell(first + 1, [c.key for c in lay.columns].index(key) + 1, v)
    wb.save(tmp_path / "pk_baru.xlsx")
    got = _derived(tmp_path / "pk_baru.xlsx")
    assert got[("indikator", 0, _SAS)] == pytest.approx((95.5224 + 80 + 100.2778) / 3, abs=1e-4)
    assert got[("indikator", 1, _SAS)] is None and got[("indikator", 2, _SAS)] is None
    assert restore_plan(read_workbook(tmp_path / "pk_baru.xlsx")).messages[0].endswith(
        "0 dipulihkan; semua rumus sudah utuh. Jalankan Validasi lagi untuk memeriksa hasilnya.")
    assert [f for f in validate(tmp_path / "pk_baru.xlsx").findings if f.rule in ("V07", "V11", "V28")] == []


# --- the forms ----------------------------------------------------------------------------------------

YEARS_REPORTED = 3  # 2021–2023


def _renstra_values() -> SheetValues:
    ind = []
    for r in _renstra():
        t = _years(r)
        row = {"c1_kode": r["ss"] or r["tujuan"], "c2_tujuan": r["tujuan"], "c3_sasaran": r["ss"] or None,
               "c4_indikator": r["indikator"], "c5_satuan": r["satuan"], "c6_polaritas": "maksimal",
               "c7_basis": r["basis"]}
        row |= {f"c{8 + i}_target_th{i}": v for i, v in enumerate(t, start=1)}
        row |= {f"c{13 + i}_realisasi_th{i}": v for i, v in enumerate(t[:YEARS_REPORTED], start=1)}
        ind.append(row)
    ang = []
    for r in _csv("004_kerangka_pendanaan.csv"):
        if r["level"] != "program":
            continue
        row = {"c1_uraian": f"{r['kode']}. {r['program_kegiatan']}"}
        row |= {f"c{1 + i}_pagu_th{i}": float(r[f"y{2020 + i}_miliar"]) for i in range(1, 5)}
        row |= {f"c{6 + i}_realisasi_th{i}": float(r[f"y{2020 + i}_miliar"]) * 0.9 for i in range(1, 4)}
        ang.append(row)
    return SheetValues(fields={"unit_organisasi": "Badan Standardisasi dan Kebijakan Jasa Industri",
                               "periode": "2021–2024"},
                       tables={"indikator": ind, "anggaran": ang, "sasaran": [{"c1_kode": "SS3"}, {"c1_kode": "SS8"}]})


PNBP = [  # (kelompok, layanan, target, realisasi, tahun lalu) — constructed, Rp
    ("Pengujian", "Uji produk pangan", 400_000_000, 352_500_000, 301_000_000),
    ("Pengujian", "Uji lingkungan", 250_000_000, 97_891_250, 60_440_882),
    ("Kalibrasi", "Kalibrasi massa", 300_000_000, 48_500_000, 28_000_000),
    ("Sertifikasi", "SPPT SNI", 200_000_000, 20_000_000, 20_000_000),
]


def _pnbp_values() -> SheetValues:
    rows = [{"c1_kelompok": k, "c2_uraian": u, "c3_target_rp": t, "c4_realisasi_rp": r, "c6_realisasi_lalu_rp": a}
            for k, u, t, r, a in PNBP]
    sub = [{"c1_kelompok": k} for k in ("Pengujian", "Kalibrasi", "Sertifikasi")]
    return SheetValues(fields={"unit_organisasi": "Balai Standardisasi dan Pelayanan Jasa Industri Manado"},
                       tables={"rincian": rows, "subtotal": sub})


PK = [  # (kode, tujuan, indikator, satuan, target, realisasi, basis, TW I–IV, pagu, realisasi anggaran (Rp)):
    # 003 Tabel 1 / R7 figures; the tujuan, the quarterly split and each indicator's budget are constructed (the
    # seed prints none of them; SAKIP and IKM absorb the satker's 42,73 % of TW II)
    ("SS9", "T2", "Nilai SAKIP", "Nilai", 80.4, 76.80, "nilai-akhir", (None, 76.80, None, None),
     150_000_000, 64_095_000),
    ("SS9", "T2", "Indeks Kepuasan Masyarakat", "Indeks", 3.6, 3.61, "nilai-akhir", (3.55, 3.61, None, None),
     90_000_000, 38_457_000),
    ("SS3", "T1", "Jumlah layanan jasa industri", "Layanan", 750, 426, "tren-positif", (180, 246, None, None),
     1_200_000_000, 300_000_000),
    ("SS6", "T2", "Rekomendasi hasil pengawasan ditindaklanjuti", "Persen", 92.5, 100, "nilai-akhir",
     (None, 100, None, None), 60_000_000, 21_300_000),
]


def _pk_values() -> SheetValues:
    rows = []
    for kode, tujuan, ind, sat, t, r, basis, tw, pagu, serap in PK:
        row = {"c1_kode": kode, "c2_sasaran": f"Sasaran {kode}", "c3_indikator": ind, "c4_satuan": sat,
               "c5_polaritas": "maksimal", "c6_target": t, "c7_realisasi": r, "c10_tujuan": tujuan,
               "c12_basis": basis, "c18_pagu_rp": pagu, "c19_realisasi_anggaran_rp": serap}
        row |= {f"c{13 + i}_realisasi_tw{i + 1}": v for i, v in enumerate(tw)}
        rows.append(row)
    return SheetValues(fields={"unit_organisasi": "Balai Standardisasi dan Pelayanan Jasa Industri Manado"},
                       tables={"indikator": rows})


def _build(form: str, values: SheetValues, path: Path) -> Path:
    lay = LAYOUTS[form]
    # annual forms: no triwulan in the metadata
    wb, _ = build_workbook(Meta(form=form, versi="", satker="247246", tahun=2024), {lay.sheet: values})
    wb.save(path)
    return path


def _derived(path: Path) -> dict[tuple, object]:
    sd = read_workbook(path).sheets[0]
    _, ds = derive(sd)
    return {(d.table, d.row, d.key): d.value for d in ds}


def _address(path: Path, table: str, row: int | None, key: str) -> str:
    """The cell (A1, no sheet) of a derived value in a built workbook (tables grow with their rows)."""
    sd = read_workbook(path).sheets[0]
    return next(d.address for d in derive(sd)[1] if (d.table, d.row, d.key) == (table, row, key)).split("!")[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("sakip")
    return {"renstra": _build("renstra", _renstra_values(), d / "renstra.xlsx"),
            "pnbp": _build("rincian-pnbp", _pnbp_values(), d / "pnbp.xlsx"),
            "pk": _build("perjanjian-kinerja", _pk_values(), d / "pk.xlsx"), "dir": d}


def test_pk_annual_capaian_and_bpkp_labels(built):
    got = _derived(built["pk"])
    assert got[("indikator", 0, "c8_capaian_pct")] == pytest.approx(95.5224, abs=1e-4)  # 76,80 / 80,4
    assert got[("indikator", 0, "c17_capaian_tahunan_pct")] == pytest.approx(95.5224, abs=1e-4)
    assert got[("indikator", 1, "c17_capaian_tahunan_pct")] == pytest.approx(100.2778, abs=1e-4)  # 3,61 / 3,6
    assert got[("indikator", 2, "c17_capaian_tahunan_pct")] == pytest.approx(56.8)  # (180 + 246) / 750
    assert [got[("indikator", i, "c20_serapan_pct")] for i in range(4)] == pytest.approx([42.73, 42.73, 25.0, 35.5])
    assert [got[("indikator", i, "c21_efektif")] for i in range(4)] == [
        "Tidak Efektif", "Efektif", "Tidak Efektif", "Efektif"]
    assert [got[("indikator", i, "c22_efisien")] for i in range(4)] == ["Efisien"] * 4
    assert got[("indikator", 2, "c23_rasio_efisiensi_pct")] == pytest.approx((56.8 - 25) / 56.8 * 100)


def test_renstra_mean_capaian_per_sasaran_and_a_mis_added_one_is_found(built, tmp_path):
    from macros.validation import validate

    got = _derived(built["renstra"])
    rows = _renstra()
    ss3 = [i for i, r in enumerate(rows) if r["ss"] == "SS3"]  # 4 indicators (004:L688-691)
    want = sum(got[("indikator", i, "c21_capaian_pct")] for i in ss3) / len(ss3)
    assert got[("sasaran", 0, "c2_capaian_rata_pct")] == pytest.approx(want)
    assert [f for f in validate(built["renstra"]).findings if f.severity == "galat"] == []
    cell = _address(built["renstra"], "sasaran", 0, "c2_capaian_rata_pct")
    wb = openpyxl.load_workbook(built["renstra"])
    wb["RENSTRA"][cell] = round(want + 2.5, 2)  # the report's own arithmetic
    wb.save(tmp_path / "renstra_salah.xlsx")
    assert [f for f in validate(tmp_path / "renstra_salah.xlsx").findings if f.cell == cell]


def test_a_renstra_year_left_empty_between_filled_ones_is_a_peringatan_at_its_cell(built, tmp_path):
    """V38: 004's Tabel 2 with realisasi 2021–2023 has no gap (a year not reported yet, 2024, is no gap). A target
    (2022, the first row: basis rata-rata, so the target akhir becomes the mean of three years) and a realisasi
    (2022, a jumlah row) left empty between filled years are each found at their cell; a '-' is a value left out
    on purpose and is not reported."""
    from macros.validation import validate
    from workbooks.forms.renstra import INDIKATOR, REALISASI, TARGET

    assert [f for f in validate(built["renstra"]).findings if f.rule == "V38"] == []
    rows = _renstra()
    jumlah = next(i for i, r in enumerate(rows) if r["basis"] == "jumlah")  # SIH companies (004:L695)
    sp = place(LAYOUTS["renstra"], {"indikator": max(INDIKATOR.rows, len(rows))})
    tp = sp.tables["indikator"]
    target, real, dash = tp.cell(TARGET[1], 0), tp.cell(REALISASI[1], jumlah), tp.cell(TARGET[2], jumlah)
    wb = openpyxl.load_workbook(built["renstra"])
    ws = wb["RENSTRA"]
    assert ws[target].value == 54 and ws[real].value == 46 and ws[dash].value == 61  # 004:L686, L695
    ws[target] = None
    ws[real] = None
    ws[dash] = "-"
    wb.save(tmp_path / "renstra_bolong.xlsx")
    found = [f for f in validate(tmp_path / "renstra_bolong.xlsx").findings if f.rule == "V38"]
    assert [(f.severity, f.cell) for f in found] == [("peringatan", target), ("peringatan", real)]
    assert found[0].message == (
        f"{rows[0]['indikator']}: {INDIKATOR.column(TARGET[1]).label} kosong, padahal tahun sebelum dan sesudahnya "
        "terisi; target akhir periode dan capaian jangka menengah dihitung tanpa tahun itu. Isi angkanya, atau '-' "
        "bila memang tidak ada.")


def test_a_renstra_without_its_periode_is_a_galat_and_its_years_are_compared_with_no_pk(tmp_path):
    """Periode Renstra gives Tahun ke-1 … ke-5 their years. Left empty, the file's metadata year (the year it was
    made, 2024 here) was taken as Tahun ke-1, so the 2024 PK's target 95 was compared with the 2021 target 85
    (V34 'target 2024 tertulis 85'). Now the empty field is a galat at its cell and no year is compared; with
    the periode, the 2024 target of the same row agrees with the PK."""
    from macros.validation import validate
    from macros.validation.lintas import check_across

    lpk = next(r for r in _renstra() if r["indikator"] == "Tingkat Kepatuhan LPK terhadap regulasi")  # 004:L689
    assert _years(lpk) == [85, 87, 90, 95]
    pk = _build("perjanjian-kinerja", SheetValues(fields={"unit_organisasi": "Balai"}, tables={"indikator": [
        {"c1_kode": "SS3", "c2_sasaran": "Sasaran SS3", "c3_indikator": lpk["indikator"], "c4_satuan": "%",
         "c6_target": 95, "c7_realisasi": 93}]}), tmp_path / "pk.xlsx")
    values = _renstra_values()
    with_periode = _build("renstra", values, tmp_path / "renstra.xlsx")
    del values.fields["periode"]
    without = _build("renstra", values, tmp_path / "renstra_tanpa_periode.xlsx")
    cell = read_workbook(without).sheets[0].fields["periode"].address
    assert [(f.rule, f.severity, f"{f.sheet}!{f.cell}") for f in validate(without).findings if f.rule == "V06"] == [
        ("V06", "galat", cell)]
    for renstra in (without, with_periode):
        found = check_across([read_workbook(renstra), read_workbook(pk)])
        assert [f.rule for fs in found.values() for f in fs] == [], renstra.name


def test_tambah_baris_keeps_the_subtotal_table_apart_from_the_detail_rows():
    from macros.tambah_baris import aligned_tables

    assert aligned_tables(LAYOUTS["rincian-pnbp"], "rincian") == ["rincian"]
    assert aligned_tables(LAYOUTS["renstra"], "indikator") == ["indikator"]


def test_renstra_form_derives_target_akhir_realisasi_and_capaian_per_basis(built):
    got = _derived(built["renstra"])
    rows = _renstra()
    i_sih = next(i for i, r in enumerate(rows) if r["src_line"] == "695")
    i_ikm = next(i for i, r in enumerate(rows) if r["src_line"] == "696")
    i_t1 = next(i for i, r in enumerate(rows) if r["src_line"] == "686")
    assert got[("indikator", i_sih, "c19_target_akhir")] == 215
    assert got[("indikator", i_sih, "c20_realisasi_akhir")] == 144
    assert got[("indikator", i_sih, "c21_capaian_pct")] == pytest.approx(144 / 215 * 100)
    assert got[("indikator", i_ikm, "c19_target_akhir")] == 3.6
    assert got[("indikator", i_ikm, "c21_capaian_pct")] == pytest.approx(100.0)
    assert got[("indikator", i_t1, "c19_target_akhir")] == pytest.approx(56.25)
    assert got[("indikator", i_t1, "c21_capaian_pct")] == pytest.approx(163 / 3 / 56.25 * 100)
    # kerangka pendanaan: the Total row reproduces the printed TOTAL per year (004:L1001)
    total = {r["y2021_miliar"]: r for r in _csv("004_kerangka_pendanaan.csv") if r["level"] == "total"}
    want = next(iter(total.values()))
    for i in range(1, 5):
        assert got[("anggaran", None, f"c{1 + i}_pagu_th{i}")] == pytest.approx(float(want[f"y{2020 + i}_miliar"]))
    assert got[("anggaran", None, "c12_pagu_total")] == pytest.approx(623.63 + 663.29 + 1279 + 1270)
    assert got[("anggaran", 0, "c14_serapan_pct")] == pytest.approx(
        0.9 * (439.63 + 466.99 + 612.25) / (439.63 + 466.99 + 612.25 + 597.30) * 100)


def test_rincian_pnbp_derives_subtotals_jumlah_capaian_and_growth(built):
    got = _derived(built["pnbp"])
    assert got[("rincian", None, "c4_realisasi_rp")] == 518_891_250
    assert got[("rincian", None, "c6_realisasi_lalu_rp")] == 409_440_882
    # Jumlah growth: 518.891.250 / 409.440.882 − 1 = 26,73 % (003:L537, DOMAIN R10)
    assert got[("rincian", None, "c7_pertumbuhan_pct")] == pytest.approx(26.7316, abs=1e-4)
    assert got[("rincian", None, "c5_capaian_pct")] == pytest.approx(518_891_250 / 1_150_000_000 * 100)
    assert got[("subtotal", 0, "c3_target_rp")] == 650_000_000
    assert got[("subtotal", 0, "c4_realisasi_rp")] == 450_391_250
    assert got[("subtotal", 1, "c5_capaian_pct")] == pytest.approx(48_500_000 / 300_000_000 * 100)
    assert got[("subtotal", 2, "c7_pertumbuhan_pct")] == pytest.approx(0.0)


def test_a_typed_jumlah_or_subtotal_that_does_not_add_up_is_found_at_its_cell(built, tmp_path):
    from macros.validation import validate

    clean = validate(built["pnbp"])
    assert [f for f in clean.findings if f.severity == "galat"] == []
    cell_total = _address(built["pnbp"], "rincian", None, "c4_realisasi_rp")
    cell_sub = _address(built["pnbp"], "subtotal", 0, "c4_realisasi_rp")
    for cell, wrong in ((cell_total, 518_291_250), (cell_sub, 449_791_250)):  # one total 600.000 too low
        wb = openpyxl.load_workbook(built["pnbp"])
        wb["PNBP"][cell] = wrong
        bad = tmp_path / f"pnbp_{cell}.xlsx"
        wb.save(bad)
        found = [f for f in validate(bad).findings if f.cell == cell]
        assert found, cell


# --- LibreOffice: the native renderings compute the same -----------------------------------------------

CASES_TAHUNAN = [(750, [180, 246, None, None]), (3.6, [3.55, 3.61, "-", None]), (10, [2, 3, None, 1]),
                 (0, [2, None, None, None]), (10, [None, None, None, None])]
CASES_JANGKA = [[37, 46, 61, 71, None], [5, 10, 15, 20, None], [3.5, 3.6, 3.6, 3.6, 3.7],
                [None, None, None, None, None]]
BASIS_T = ["tren-positif", "nilai-akhir", "tren-negatif", "", "Tren negatif — (target − jumlah realisasi) ÷ target",
           "naik"]
BASIS_J = ["jumlah", "rata-rata", "nilai-akhir", "", "kumulatif", "x"]


def _none_if_error(v: object) -> object:
    return None if isinstance(v, NilaiGalat) else v


def _matrix(path: Path) -> list[tuple[str, str, object]]:
    cases = CaseSheet()
    ws, put = cases.ws, cases.put

    r = 1
    for (t, rtw) in CASES_TAHUNAN:
        for b in BASIS_T:
            ws.cell(r, 1, t)
            for j, v in enumerate(rtw):
                ws.cell(r, 2 + j, v)
            ws.cell(r, 6, b or None)
            refs = {"t": f"A{r}", "r": f"B{r}:E{r}", "b": f"F{r}"}
            value = udfs.capaian_tahunan(t, rtw, b)
            blank = t in (None, "") or not any(isinstance(v, (int, float)) for v in rtw)
            put(r, 8, Rule("capaian_tahunan", ("t", "r", "b")), refs, None if blank else value)
            r += 1
    for years in CASES_JANGKA:
        for b in BASIS_J:
            for j, v in enumerate(years):
                ws.cell(r, 1 + j, v)
            ws.cell(r, 6, b or None)
            refs = {"r": f"A{r}:E{r}", "b": f"F{r}"}
            value = udfs.target_jangka_menengah(years, b) if any(years) else None  # no number: the cell is blank
            put(r, 8, Rule("target_jangka_menengah", ("r", "b")), refs, value)
            if b in udfs.BASIS_JANGKA:
                put(r, 10, Rule("realisasi_jangka_menengah", ("r", f"'{b}'")), refs, value)
            r += 1
    for c, s in [(95.52, 42.73), (100, 100), (42.73, 95.52), (0, 5), (None, 5)]:
        ws.cell(r, 1, c)
        ws.cell(r, 2, s)
        refs = {"c": f"A{r}", "s": f"B{r}"}
        put(r, 8, Rule("efektif", ("c",)), refs, None if c is None else udfs.efektif(c))
        put(r, 10, Rule("efisien", ("c", "s")), refs, None if c is None else udfs.efisien(c, s))
        put(r, 12, Rule("rasio_efisiensi", ("c", "s")), refs, _none_if_error(udfs.rasio_efisiensi(c, s)) if c else None)
        r += 1
    for cara in ("", "rata-rata-persentase", "Rasio jumlah — jumlah realisasi ÷ jumlah target", "rasio-jumlah"):
        rows = [(426, 750), (150, 120), (None, 40), (52, 40)]  # layanan per jenis: one without realisasi yet
        cap = [udfs.capaian(t, x) if x is not None else None for x, t in rows]
        for i, ((x, t), c) in enumerate(zip(rows, cap)):
            ws.cell(r + i, 1, c)
            ws.cell(r + i, 2, x)
            ws.cell(r + i, 3, t)
        ws.cell(r, 4, cara or None)
        refs = {"c": f"A{r}:A{r + 3}", "x": f"B{r}:B{r + 3}", "t": f"C{r}:C{r + 3}", "k": f"D{r}"}
        put(r, 8, Rule("capaian_agregat", ("c", "x", "t", "k")), refs,
            _none_if_error(udfs.capaian_agregat(cap, [x for x, _ in rows], [t for _, t in rows], cara)))
        r += 5
    jawaban, perusahaan = _survey()
    blocks = [(jawaban, perusahaan, 4), ([row[:] for row in jawaban], perusahaan, 5),
              ([[*row[:4], None, *row[5:]] for row in jawaban], perusahaan, 4)]
    blocks[1][0][0][0] = 5
    bad = [row[:] for row in jawaban]
    bad[2][3] = 3.5
    blocks.append((bad, perusahaan, 4))
    for block, groups, skala in blocks:
        for i, row in enumerate(block):
            ws.cell(r + i, 1, groups[i])
            for j, v in enumerate(row):
                ws.cell(r + i, 2 + j, v)
        ws.cell(r, 13, skala)
        last = r + len(block) - 1
        refs = {"j": f"B{r}:K{last}", "k": f"A{r}:A{last}", "s": f"M{r}", "n": f"N{r}", "row": f"B{r}:K{r}",
                "c": f"O{r}:O{last}"}
        ws.cell(r, 14, groups[0])
        put(r, 16, Rule("survei", ("j", "s")), refs, udfs.survei(block, skala))
        put(r, 18, Rule("survei_kelompok", ("j", "k", "n", "s")), refs,
            udfs.survei_kelompok(block, groups, groups[0], skala))
        put(r, 20, Rule("survei_responden", ("row", "s")), refs, udfs.survei_responden([block[0]], skala))
        for i in range(len(block)):
            ws.cell(r + i, 15, 90 + i)
        caps = [90 + i for i in range(len(block))]
        put(r + 1, 16, Rule("capaian_rata_kelompok", ("c", "k", "n")), refs,
            udfs.capaian_rata_kelompok(caps, groups, groups[0]))
        for i in range(len(block)):  # the mean on each company's first row only (as the PK's sasaran column)
            mine = {**refs, "ki": f"A{r + i}", "me": f"O{r + i}"}
            first = udfs.capaian_rata_kelompok(caps, groups, groups[i], caps, caps[i])
            put(r + i, 22, Rule("capaian_rata_kelompok", ("c", "k", "ki", "c", "me")), mine, first or None)
        r += len(block) + 1
    return cases.save(path)


@pytest.fixture(scope="module")
def recalculated(built):
    d = built["dir"]
    want = _matrix(d / "kasus_sakip.xlsx")
    jawaban, _ = _survey()
    skm = [{"c1_responden": i + 1, **{f"u{j + 1:02d}": v for j, v in enumerate(row)}} for i, row in enumerate(jawaban)]
    wb, _ = build_workbook(Meta(form="skm", versi="", satker="247246", tahun=2024, triwulan=4), {"SKM": SheetValues(
        fields={"metode": "umum", "populasi": 25}, tables={"jawaban": skm})})
    wb.save(d / "skm_umum.xlsx")
    srcs = [built["renstra"], built["pnbp"], built["pk"], d / "skm_umum.xlsx", d / "kasus_sakip.xlsx"]
    outs = recalc_many(srcs, d / "out")
    return {"want": want, "out": dict(zip([p.name for p in srcs], outs)), "srcs": srcs}


def test_native_renderings_of_the_sakip_functions_equal_the_udfs(recalculated):
    ws = openpyxl.load_workbook(recalculated["out"]["kasus_sakip.xlsx"], data_only=True)["Kasus"]
    wrong = [(a, part, w, ws[a].value) for a, part, w in recalculated["want"] if not _same(w, ws[a].value)]
    assert len(recalculated["want"]) > 150
    assert wrong == [], "\n".join(map(str, wrong))


def test_libreoffice_recalculates_the_filled_renstra_pnbp_pk_and_skm_to_the_python_values(recalculated):
    checked = 0
    for src in recalculated["srcs"][:4]:
        out = recalculated["out"][src.name]
        assert {s: c for s, c in _error_cells(out).items() if c} == {}, src.name
        got = openpyxl.load_workbook(out, data_only=True)
        for sd in read_workbook(src).sheets:
            for d in derive(sd)[1]:
                sheet, cell = d.address.split("!")
                checked += 1
                assert _same(d.value, got[sheet.strip("'")][cell].value), (src.name, d.address, d.value)
    assert checked > 100
    skm = next(s for s in read_workbook(recalculated["out"]["skm_umum.xlsx"]).sheets if s.name == "SKM")
    assert skm.fields["ikm"].value == pytest.approx(3.67)  # 10 items, computed without the add-in
    assert skm.fields["ikm_mutu"].value == "A (Sangat Baik)"


# --- conventions revisited (issue 12 item 7) -------------------------------------------------------------

def _pengukuran(tmp_path: Path, rows: list[dict]) -> Path:
    vals = SheetValues(fields={"unit_organisasi": "Balai"}, tables={"indikator": rows})
    wb, _ = build_workbook(Meta(form="pengukuran-rencana-aksi", versi="", satker="247246", tahun=2023, triwulan=2),
                           {"PENGUKURAN": vals})
    path = tmp_path / f"pengukuran_{len(list(tmp_path.iterdir()))}.xlsx"
    wb.save(path)
    return path


def _row(indikator: str, satuan: str, t: float, r: float, ta: float, ra: float) -> dict:
    return {"c1_no": 1, "c2_sasaran_strategis": "Meningkatnya layanan", "c3_indikator_kinerja": indikator,
            "c4_target": t, "c4_satuan": satuan, "c5_realisasi": r, "c6_target_antara_pct": ta,
            "c8_realisasi_antara_pct": ra}


def test_v13_accepts_cumulative_physical_progress_and_still_catches_a_realisasi_antara_off_both(tmp_path):
    from macros.validation import validate

    # 003: layanan 426 of 750 at TW II; the Rencana Aksi plans physical progress 50 % for TW II
    on_plan = _pengukuran(tmp_path, [_row("Jumlah layanan", "Layanan", 750, 426, 50, 50)])
    assert [f for f in validate(on_plan).findings if f.rule == "V13"] == []
    as_ratio = _pengukuran(tmp_path, [_row("Jumlah layanan", "Layanan", 750, 426, 50, 56.8)])
    assert [f for f in validate(as_ratio).findings if f.rule == "V13"] == []
    off = _pengukuran(tmp_path, [_row("Jumlah layanan", "Layanan", 750, 426, 50, 80)])
    assert [(f.rule, f.severity) for f in validate(off).findings if f.rule == "V13"] == [("V13", "peringatan")]


def test_realisasi_against_a_target_of_0_is_a_peringatan_naming_the_target_cell(tmp_path):
    from macros.validation import validate

    path = _pengukuran(tmp_path, [_row("Jumlah layanan baru", "Layanan", 0, 5, 50, 50),
                                  _row("Jumlah layanan", "Layanan", 750, 426, 50, 50)])
    found = [f for f in validate(path).findings if f.rule == "V32"]
    want = place(LAYOUTS["pengukuran-rencana-aksi"]).tables["indikator"].cell("c4_target", 0)
    assert [(f.severity, f.cell) for f in found] == [("peringatan", want)]
    assert "realisasi 5 terhadap target 0" in found[0].message


def test_pengukuran_declares_its_annual_basis_with_the_pk_dropdown_and_derives_capaian_tahunan(tmp_path):
    lay = LAYOUTS["pengukuran-rencana-aksi"]
    assert lay.tables[0].column("c13_basis").pilihan == LAYOUTS["perjanjian-kinerja"].tables[0].column(
        "c12_basis").pilihan == "basis_tahunan"
    # 003 at TW IV (constructed year end): layanan 760 of 750 s.d. TW IV; SAKIP 76,80 of 80,4; a tren-negatif
    # indicator (kasus 3 of a target 10)
    rows = [_row("Jumlah layanan", "Layanan", 750, 760, 100, 100) | {"c13_basis": "tren-positif"},
            _row("Nilai SAKIP", "Nilai", 80.4, 76.80, 100, 95.52) | {"c13_basis": "nilai-akhir"},
            _row("Kasus keluhan", "Kasus", 10, 3, 100, 100) | {"c13_basis": "tren-negatif"}]
    got = _derived(_pengukuran(tmp_path, rows))
    assert got[("indikator", 0, "c14_capaian_tahunan_pct")] == pytest.approx(101.3333, abs=1e-4)  # 760 / 750
    assert got[("indikator", 1, "c14_capaian_tahunan_pct")] == pytest.approx(95.5224, abs=1e-4)  # 76,80 / 80,4
    assert got[("indikator", 2, "c14_capaian_tahunan_pct")] == pytest.approx(70.0)  # (10 − 3) / 10
    wb = openpyxl.load_workbook(_pengukuran(tmp_path, rows[:1]))
    cell = _address(_pengukuran(tmp_path, rows[:1]), "indikator", 0, "c14_capaian_tahunan_pct")
    assert "KINERJA.CAPAIAN_TAHUNAN(" in wb["PENGUKURAN"][cell].value


def _blanked(src: Path, dest: Path, only: str | None = None) -> tuple[Path, list[tuple[str, str]]]:
    """A copy of ``src`` whose fisik columns and fungsi fields (``kelompok``) are emptied (all, or the first
    cell of column ``only``); returns the emptied cells as (sheet, A1)."""
    cells = []
    for sd in read_workbook(src).sheets:
        for td in sd.tables.values():
            cells += [(td.address(i, c.key), c.key) for c in td.table.columns if c.kelompok and c.rule is None
                      for i in range(len(td.rows))]
        cells += [(sd.fields[f.key].address, f.key) for f in sd.layout.fields if f.kelompok and f.key in sd.fields]
    picked = [tuple(a.replace("'", "").split("!")) for a, k in cells if only is None or k == only]
    if only is not None:
        picked = picked[:1]
    wb = openpyxl.load_workbook(src)
    for sheet, cell in picked:
        wb[sheet][cell] = None
    wb.save(dest)
    return dest, picked


def test_a_unit_without_fisik_columns_or_fungsi_codes_is_checked_on_what_it_has(demo_dir, tmp_path):
    from macros.validation import validate

    src = demo_dir / PAKET_FILE  # 003 FORM A 6077 / 6042 and ALKI, with fisik and fungsi
    before = validate(src).findings
    assert {"V14", "V18"} <= {f.rule for f in before}  # fisik S = R (I003-21), fisik vs ALKI
    path, emptied = _blanked(src, tmp_path / "tanpa_fisik.xlsx")
    assert len(emptied) > 90 and ("FORM A 6077", _field_cell(src, "FORM A 6077", "fungsi")) in emptied
    after = validate(path).findings
    assert [f for f in after if (f.sheet, f.cell) in set(emptied)] == []  # nothing reported missing
    assert {f.rule for f in after} & {"V14", "V18"} == set()  # fisik rules have nothing to compare
    # what the unit does carry is still checked: keuangan against ALKI, the signature, the other V06
    def keep(fs: list) -> list[tuple[str, str, str]]:
        return sorted((f.rule, f.sheet, f.cell) for f in fs if f.rule in ("V18b", "V26", "V06", "V11"))

    assert keep(after) == keep(before) and keep(after)
    # one fisik cell left empty among filled ones is still missing (V06)
    one, [(sheet, cell)] = _blanked(src, tmp_path / "satu_kosong.xlsx", only="c8_ini_fis_S")
    assert [(f.rule, f.severity) for f in validate(one).findings if (f.sheet, f.cell) == (sheet, cell)] == [
        ("V06", "galat")]


def _field_cell(path: Path, sheet: str, key: str) -> str:
    sd = next(s for s in read_workbook(path).sheets if s.name == sheet)
    return sd.fields[key].address.replace("'", "").split("!")[1]


# --- cross-form rules over several files (issue 12 item 3) ---------------------------------------------

RA_FILE = "247246_BSPJI-Manado_2023_rencana-aksi.xlsx"
PAKET_FILE = "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"


def test_rencana_aksi_and_pengukuran_target_antara_agree_in_the_seeds_and_a_changed_one_names_both_cells(
        demo_dir, tmp_path):
    import json

    from rich.console import Console

    from macros.validation.run import validate_files

    def across(paths: list[Path]) -> list[tuple[str, str, str, str]]:
        out = tmp_path / f"hasil{len(list(tmp_path.glob('hasil*')))}.json"
        validate_files(paths, json_out=out, console=Console(file=open("/dev/null", "w")))
        return [(h["berkas"], f["aturan"] if "aturan" in f else f["rule"], f.get("sel", f.get("cell")), f.get(
            "pesan", f.get("message"))) for h in json.loads(out.read_text()) for f in h["temuan"]
            if (f.get("aturan") or f.get("rule")) == "V33"]

    ra, paket = demo_dir / RA_FILE, demo_dir / PAKET_FILE
    assert across([ra, paket]) == []  # 003 Tabel 4 and Tabel 5 agree
    sd = read_workbook(ra).sheets[0]
    cell = sd.tables["indikator"].address(4, "c7_tw2_target_antara_pct").split("!")[1]  # jumlah layanan, TW II
    wb = openpyxl.load_workbook(ra)
    wb["RENCANA AKSI"][cell] = 40  # 50 in the seed
    changed = tmp_path / RA_FILE
    wb.save(changed)
    pg = next(s for s in read_workbook(paket).sheets if s.name == "PENGUKURAN")
    pg_cell = pg.tables["indikator"].address(4, "c6_target_antara_pct").split("!")[1]  # the same indicator
    found = across([changed, paket])
    assert sorted((f[0], f[2]) for f in found) == sorted([(RA_FILE, cell), (PAKET_FILE, pg_cell)])
    msg = next(f[3] for f in found if f[0] == RA_FILE)
    assert "tertulis 40 di sini, tetapi 50 di" in msg and f"{PAKET_FILE} — PENGUKURAN!{pg_cell}" in msg


def test_pk_target_against_the_renstra_target_of_its_year_and_pk_realisasi_against_tw_iv(built, tmp_path):
    from macros.validation.lintas import check_across

    rows = {r["src_line"]: r for r in _renstra()}
    picked = [rows["688"], rows["689"], rows["696"]]  # SNI, LPK, Indeks Kepuasan Masyarakat: 2023 = 15, 90, 3,6
    pk = [{"c1_kode": r["ss"], "c2_sasaran": r["ss"], "c3_indikator": r["indikator"], "c4_satuan": r["satuan"],
           "c6_target": float(r["t2023"]), "c7_realisasi": float(r["t2023"])} for r in picked]

    def pk_file(name: str, rows_: list[dict]) -> Path:
        wb, _ = build_workbook(Meta(form="perjanjian-kinerja", versi="", satker="247246", tahun=2023),
                               {"PERJANJIAN KINERJA": SheetValues(fields={"unit_organisasi": "BSKJI"},
                                                                  tables={"indikator": rows_})})
        wb.save(tmp_path / name)
        return tmp_path / name

    tw4 = [{"c1_no": i + 1, "c2_sasaran_strategis": r["ss"], "c3_indikator_kinerja": r["indikator"],
            "c4_target": float(r["t2023"]), "c4_satuan": r["satuan"], "c5_realisasi": float(r["t2023"])}
           for i, r in enumerate(picked)]
    wb, _ = build_workbook(Meta(form="pengukuran-rencana-aksi", versi="", satker="247246", tahun=2023, triwulan=4),
                           {"PENGUKURAN": SheetValues(fields={"unit_organisasi": "BSKJI"}, tables={"indikator": tw4})})
    wb.save(tmp_path / "tw4.xlsx")
    books = lambda *ps: [read_workbook(p) for p in ps]  # noqa: E731
    renstra, tw4_path = built["renstra"], tmp_path / "tw4.xlsx"
    assert check_across(books(pk_file("pk.xlsx", pk), renstra, tw4_path)) == {}
    pk[1]["c6_target"] = 92.0  # the Renstra says 90 for 2023 (004:L689)
    pk[2]["c7_realisasi"] = 3.68  # TW IV measured 3,6
    found = check_across(books(pk_file("pk_beda.xlsx", pk), renstra, tw4_path))
    rs_cell = _address_of(renstra, "indikator", 3, "c11_target_th3")  # LPK (004:L689), 2023
    got = {(name, f.rule, f.cell) for name, fs in found.items() for f in fs}
    pk_beda = tmp_path / "pk_beda.xlsx"
    ikm = next(i for i, r in enumerate(_renstra()) if r["src_line"] == "696")
    v36 = {("pk_beda.xlsx", "V36", _address_of(pk_beda, "indikator", 2, "c7_realisasi")),  # 3,68 vs Renstra 3,6
           ("renstra.xlsx", "V36", _address_of(renstra, "indikator", ikm, "c16_realisasi_th3"))}
    assert v36 <= got
    assert got - v36 == {("pk_beda.xlsx", "V34", _address_of(pk_beda, "indikator", 1, "c6_target")),
                   ("renstra.xlsx", "V34", rs_cell),
                   ("pk_beda.xlsx", "V35", _address_of(pk_beda, "indikator", 2, "c7_realisasi")),
                   ("tw4.xlsx", "V35", _address_of(tw4_path, "indikator", 2, "c5_realisasi"))}
    v34 = next(f for f in found["pk_beda.xlsx"] if f.rule == "V34")
    assert "target 2023 tertulis 92 di sini, tetapi 90 di renstra.xlsx — RENSTRA!" + rs_cell in v34.message


def test_renstra_history_columns_against_earlier_years_pk_workbooks(built, tmp_path):
    """V36: the Renstra's realisasi of 2021 and 2022 against the PK workbooks of those years."""
    from macros.validation.lintas import check_across

    rows = _renstra()
    picked = [i for i, r in enumerate(rows) if r["src_line"] in ("688", "689", "696")]  # SNI, LPK, IKM

    def pk_file(year: int, change: float | None = None) -> Path:
        ind = [{"c1_kode": rows[i]["ss"], "c2_sasaran": rows[i]["ss"], "c3_indikator": rows[i]["indikator"],
                "c4_satuan": rows[i]["satuan"], "c6_target": float(rows[i][f"t{year}"]),
                "c7_realisasi": float(rows[i][f"t{year}"])} for i in picked]  # the built Renstra: realisasi = target
        if change is not None:
            ind[1]["c7_realisasi"] = change
        wb, _ = build_workbook(Meta(form="perjanjian-kinerja", versi="", satker="247246", tahun=year),
                               {"PERJANJIAN KINERJA": SheetValues(fields={"unit_organisasi": "BSKJI"},
                                                                  tables={"indikator": ind})})
        path = tmp_path / f"pk_{year}{'_beda' if change is not None else ''}.xlsx"
        wb.save(path)
        return path

    renstra = built["renstra"]
    assert check_across([read_workbook(p) for p in (pk_file(2021), pk_file(2022), renstra)]) == {}
    lpk_2022 = float(rows[picked[1]]["t2022"])
    beda = pk_file(2022, lpk_2022 + 4)
    found = check_across([read_workbook(p) for p in (pk_file(2021), beda, renstra)])
    rs_cell = _address_of(renstra, "indikator", picked[1], "c15_realisasi_th2")
    got = {(name, f.rule, f.cell) for name, fs in found.items() for f in fs}
    assert got == {("pk_2022_beda.xlsx", "V36", _address_of(beda, "indikator", 1, "c7_realisasi")),
                   ("renstra.xlsx", "V36", rs_cell)}
    mine = found["pk_2022_beda.xlsx"][0]
    assert mine.severity == "peringatan"
    assert (f"realisasi 2022 tertulis {lpk_2022 + 4:g} di sini, tetapi {lpk_2022:g} di renstra.xlsx — RENSTRA!"
            + rs_cell) in mine.message
    other = found["renstra.xlsx"][0]
    assert f"pk_2022_beda.xlsx — PERJANJIAN KINERJA!{mine.cell}" in other.message


def _address_of(path: Path, table: str, row: int, key: str) -> str:
    return read_workbook(path).sheets[0].tables[table].address(row, key).split("!")[1]


# --- clean synthetic workbooks: no finding on any new rule ------------------------------------------------

_POS = st.floats(min_value=0.5, max_value=5000, allow_nan=False).map(lambda x: round(x, 2))


def _anggaran(pagu: int, bagian: float) -> dict:
    """An indicator's budget (Rp): none when ``pagu`` is 0, else a realisasi of ``bagian`` of it."""
    return {"c18_pagu_rp": pagu, "c19_realisasi_anggaran_rp": round(pagu * bagian)} if pagu else {}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_clean_synthetic_renstra_pk_and_rincian_give_no_finding(tmp_path, data):
    from macros.validation import validate

    n = data.draw(st.integers(1, 5))
    ind = []
    for i in range(n):
        t = data.draw(st.lists(_POS, min_size=4, max_size=5))
        r = data.draw(st.lists(_POS, min_size=1, max_size=len(t)))
        row = {"c1_kode": f"SS{i % 2 + 1}", "c4_indikator": f"Indikator {i}", "c5_satuan": "Persen",
               "c6_polaritas": data.draw(st.sampled_from(["maksimal", "minimal", "stabil"])),
               "c7_basis": data.draw(st.sampled_from(udfs.BASIS_JANGKA))}
        row |= {f"c{8 + k}_target_th{k}": v for k, v in enumerate(t, start=1)}
        row |= {f"c{13 + k}_realisasi_th{k}": v for k, v in enumerate(r, start=1)}
        ind.append(row)
    pnbp = [{"c1_kelompok": data.draw(st.sampled_from(["Pengujian", "Kalibrasi"])), "c2_uraian": f"Layanan {i}",
             "c3_target_rp": data.draw(st.integers(1, 10**9)), "c4_realisasi_rp": data.draw(st.integers(0, 10**9)),
             "c6_realisasi_lalu_rp": data.draw(st.integers(1, 10**9))} for i in range(data.draw(st.integers(1, 6)))]
    pk = [{"c1_kode": data.draw(st.sampled_from(["SS1", "SS2"])), "c2_sasaran": "s", "c3_indikator": f"Indikator {i}",
           "c4_satuan": "Persen",
           "c6_target": data.draw(_POS), "c7_realisasi": data.draw(_POS),
           "c10_tujuan": data.draw(st.sampled_from([None, "T1", "T2"])),
           "c12_basis": data.draw(st.sampled_from(udfs.BASIS_TAHUNAN)),
           **_anggaran(data.draw(st.integers(0, 10**10)), data.draw(st.floats(0, 1.2))),
           **{f"c{13 + q}_realisasi_tw{q + 1}": data.draw(_POS) for q in range(data.draw(st.integers(1, 4)))}}
          for i in range(data.draw(st.integers(1, 4)))]
    d = tmp_path / f"h{len(list(tmp_path.iterdir()))}"
    d.mkdir()
    paths = [
        _build("renstra", SheetValues(fields={"unit_organisasi": "Balai", "periode": "2021–2025"},
                                      tables={"indikator": ind, "sasaran": [{"c1_kode": "SS1"}]}), d / "r.xlsx"),
        _build("rincian-pnbp", SheetValues(fields={"unit_organisasi": "Balai"},
                                           tables={"rincian": pnbp, "subtotal": [{"c1_kelompok": "Pengujian"}]}),
               d / "p.xlsx"),
        _build("perjanjian-kinerja", SheetValues(fields={"unit_organisasi": "Balai", "agregat": data.draw(
            st.sampled_from(udfs.CARA_AGREGAT)), "agregat_serapan": data.draw(st.sampled_from(udfs.CARA_AGREGAT))},
            tables={"indikator": pk}), d / "k.xlsx"),
    ]
    for p in paths:
        assert [(f.rule, f.cell, f.message) for f in validate(p).findings] == [], p.name
