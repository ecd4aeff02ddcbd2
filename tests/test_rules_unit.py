"""Direct unit tests of every validation rule: each check spec and each branch, on sheets read once and
changed in memory (no workbook per case)."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from macros.validation import CATALOGUE, Findings, schema_for
from macros.validation.cells import check_cell
from macros.validation.checks import Context, check_form, dipa_numbers
from macros.validation.completeness import check_completeness
from macros.validation.cross import check_across_sheets
from macros.validation.derived import (check_below_total, check_derived, check_pairs, check_total_rows, matches)
from macros.validation.identity import check_identity, check_period
from macros.validation.previous import check_previous
from macros.validation.schema import UnknownFailure, check_fields, check_schema, rule_of_failure
from tests.synth import Paket, write
from workbooks.builder import SheetValues, build_workbook
from workbooks.checks import Check, FieldEquals, MatchesDipa, RisesTo100, SameInAllRows, WithinQuarter
from workbooks.compute import derive
from workbooks.forms import ALKI, FORM_A, LAYOUTS, P3DN, PENGUKURAN, RENCANA_AKSI
from workbooks.meta import Meta
from workbooks.model import Jenis
from workbooks.numbers import Parsed
from workbooks.reader import SheetData, WorkbookData, read_workbook

A, R, K = FORM_A.anggaran, FORM_A.realisasi, FORM_A.kendala
C = ALKI.komponen
PI = PENGUKURAN.indikator
RA = RENCANA_AKSI.indikator


@pytest.fixture(scope="module")
def paket(tmp_path_factory) -> WorkbookData:
    return read_workbook(write(Paket(), tmp_path_factory.mktemp("unit") / "paket.xlsx"))


@pytest.fixture(scope="module")
def rencana(tmp_path_factory) -> WorkbookData:
    meta = Meta(form="rencana-aksi", versi="", satker="247246", tahun=2023, triwulan=2)
    rows = [{RA.c1_no: 1, RA.c2_sasaran: "S", RA.c3_indikator: f"Indikator {n}", RA.c4_target: 10,
             RA.c4_satuan: "nilai"} for n in range(4)]
    wb, _ = build_workbook(meta, {RENCANA_AKSI.sheet: SheetValues(fields={"unit_organisasi": "BALAI"},
                                                                  tables={"indikator": rows})})
    path = tmp_path_factory.mktemp("unit") / "ra.xlsx"
    wb.save(path)
    return read_workbook(path)


def sheet(data: WorkbookData, form: str, n: int = 0) -> SheetData:
    return changed(copy.deepcopy(data.sheets_of(form)[n]))


def changed(sd: SheetData) -> SheetData:
    """Forget the derived view :func:`workbooks.compute.derive` keeps on a read sheet (these tests change
    sheets after reading them, which kinerja itself never does)."""
    sd.__dict__.pop("_derived", None)
    return sd


def put(sd: SheetData, table: str, i: int, key: str, value) -> None:
    changed(sd)
    df = sd.tables[table].values
    if isinstance(value, str) and df[key].dtype != object:
        df[key] = df[key].astype(object)
    df.at[i, key] = value


def run(sd: SheetData, tahun: int | None = 2023, triwulan: int | None = 2, satker: str = "247246") -> Findings:
    out = Findings("x.xlsx")
    check_form(Context(sd, derive(changed(sd))[0], out, tahun, triwulan, satker))
    return out


def found(out: Findings) -> list[tuple[str, str]]:
    return [(f.rule, f.cell) for f in out.items]


def cell(sd: SheetData, table: str, i: int, key: str) -> str:
    return sd.tables[table].address(i, key).rsplit("!", 1)[1]


# --- the form checks (workbooks.checks specs) ------------------------------------------------------------

def test_clean_package_has_no_form_findings(paket):
    for sd in paket.sheets:
        assert found(run(copy.deepcopy(sd))) == []


def test_same_in_all_rows_v14(paket):
    sd = sheet(paket, "form-a")
    for i in range(2):
        put(sd, "realisasi", i, R.c8_ini_fis_S, 5.0)
        put(sd, "realisasi", i, R.c9_ini_fis_R, 5.0)
    out = run(sd)
    assert found(out) == [("V14", cell(sd, "realisasi", 0, R.c9_ini_fis_R))]
    assert "fisik S sama dengan R di semua 2 baris" in out.items[0].message
    put(sd, "realisasi", 1, R.c9_ini_fis_R, 6.0)
    assert found(run(sd)) == []


def test_same_in_all_rows_needs_two_rows_and_a_nonzero_target(paket):
    sd = sheet(paket, "alki")
    for i in range(len(sd.tables["komponen"].rows)):
        put(sd, "komponen", i, C.c10_target_fisik_pct, 0.0)
        put(sd, "komponen", i, C.c11_realisasi_fisik_pct, 0.0)
    assert "V14" not in [r for r, _ in found(run(sd))]
    put(sd, "komponen", 0, C.c10_target_fisik_pct, 3.0)
    put(sd, "komponen", 0, C.c11_realisasi_fisik_pct, 3.0)
    assert found(run(sd)) == [("V14", cell(sd, "komponen", 0, C.c11_realisasi_fisik_pct))]
    single = sheet(paket, "form-a", 1)  # kegiatan 6042: one output
    put(single, "realisasi", 0, R.c9_ini_fis_R, single.tables["realisasi"].values.at[0, R.c8_ini_fis_S])
    assert found(run(single)) == []


def test_rises_to_100_v12_every_branch(rencana):
    sd = copy.deepcopy(rencana.sheets[0])
    steps = [RA.c5_tw1_target_antara_pct, RA.c7_tw2_target_antara_pct, RA.c9_tw3_target_antara_pct,
             RA.c11_tw4_target_antara_pct]
    for i, row in enumerate(([25, 50, 75, 100], [25, 50, 75, 90], [25, 60, 50, 100], [None, 50, 75, 100])):
        for key, v in zip(steps, row):
            put(sd, "indikator", i, key, v)
    put(sd, "indikator", 3, RA.c6_tw1_rencana_kegiatan, "Rapat awal")
    out = run(sd)
    # 60 then 50: marked where it falls (TW III), both quarters named
    assert found(out) == [("V12", cell(sd, "indikator", 1, steps[3])), ("V12", cell(sd, "indikator", 2, steps[2])),
                          ("V12", cell(sd, "indikator", 3, steps[0]))]
    assert [f.message for f in out.items] == [
        "Indikator 1: Target antara Triwulan IV harus 100.",
        "Indikator 2: Target antara Triwulan III (50 %) lebih kecil daripada Triwulan II (60 %); target antara "
        "adalah kemajuan kumulatif, jadi tidak boleh turun.",
        "Indikator 3: Target antara Triwulan I kosong padahal ada rencana kegiatan; isi kemajuan kumulatifnya."]
    put(sd, "indikator", 3, RA.c6_tw1_rencana_kegiatan, "-")  # no plan: an empty step is allowed
    assert ("V12", cell(sd, "indikator", 3, steps[0])) not in found(run(sd))


def test_within_quarter_v16(paket):
    sd = sheet(paket, "alki")
    cv = sd.fields["tanggal_posisi"]
    sd.fields["tanggal_posisi"] = replace(cv, value=dt.date(2023, 9, 30))
    out = run(sd)
    assert found(out) == [("V16", cv.cell)] and out.items[0].message == \
        "Tanggal posisi 30-09-2023 di luar Triwulan 2 2023."
    sd.fields["tanggal_posisi"] = replace(cv, value="akhir Juni")
    assert run(sd).items[0].message == "Posisi per tanggal harus berupa tanggal."
    sd.fields["tanggal_posisi"] = replace(cv, value=dt.datetime(2023, 6, 30, 12))
    assert found(run(sd)) == []
    sd.fields["tanggal_posisi"] = replace(cv, value=dt.date(2023, 9, 30))
    assert found(run(sd, triwulan=None)) == []  # no quarter to compare with


def test_field_equals_v26(paket):
    sd = sheet(paket, "form-a")
    ttd = sd.signature["ttd_nama"]
    sd.signature["ttd_nama"] = replace(ttd, value="  ir. henry   PAJOW, m.si ")
    assert found(run(sd)) == []  # spacing and case aside
    sd.signature["ttd_nama"] = replace(ttd, value="Orang Lain")
    out = run(sd)
    assert found(out) == [("V26", ttd.cell)]
    assert out.items[0].message == ("Nama penanda tangan 'Orang Lain' berbeda dengan Penanggung Jawab Kegiatan (I.8) "
                                    "'Ir. Henry Pajow, M.Si'. Samakan penulisannya.")


def test_required_when_below_v06k(paket):
    sd = sheet(paket, "form-a")
    put(sd, "realisasi", 0, R.c7_ini_keu_R, 1.0)  # s.d. R falls below s.d. S
    assert found(run(sd)) == []  # the kendala table names "Output AEF"
    for i in range(len(sd.tables["kendala"].rows)):
        put(sd, "kendala", i, K.c2_output, "lain")
    out = run(sd)
    assert found(out) == [("V06k", cell(sd, "realisasi", 0, R.c11_sd_keu_R))]
    assert out.items[0].message.startswith("Output 'Output AEF': realisasi di bawah sasaran")
    put(sd, "kendala", 0, K.c2_output, "Kendala pada output aef")  # named by its code
    assert found(run(sd)) == []


def test_required_when_below_fisik(paket):
    sd = sheet(paket, "form-a")
    for i in range(len(sd.tables["kendala"].rows)):
        put(sd, "kendala", i, K.c2_output, None)
    put(sd, "realisasi", 1, R.c9_ini_fis_R, 0.0)
    assert found(run(sd)) == [("V06k", cell(sd, "realisasi", 1, R.c11_sd_keu_R))]


def test_matches_dipa_v15_and_v05(paket):
    sd = sheet(paket, "form-a")
    cv = sd.fields["nomor_dipa"]
    sd.fields["nomor_dipa"] = replace(cv, value="SP DIPA-019.07.2.247246/2022")
    out = run(sd)
    assert found(out) == [("V15", cv.cell)] and "bertahun 2022, padahal laporan tahun 2023" in out.items[0].message
    sd.fields["nomor_dipa"] = replace(cv, value="SP DIPA-019.07.2.999999/2023")
    out = run(sd)
    assert out.items[0].message == "Kode satker pada nomor DIPA (999999) berbeda dengan satker laporan (247246)."
    assert found(run(sd, satker="")) == [("V15", cv.cell)]  # the satker of I.1 when the metadata has none
    sd.fields["nomor_dipa"] = replace(cv, value="SP DIPA-019.07.2.247246/2023, DIPA 12/2023")
    out = run(sd)
    assert found(out) == [("V05", cv.cell)] and out.items[0].message == \
        "Nomor DIPA 'DIPA 12/2023' tidak sesuai format SP DIPA-BA.ES.K.SATKER/TAHUN."
    assert dipa_numbers("SP DIPA-019.07.2.247246/2023, 019.07.2.247247/2023") == [
        "SP DIPA-019.07.2.247246/2023", "019.07.2.247247/2023"]


def test_matches_dipa_without_unit_field_checks_only_the_year(paket):
    sd = sheet(paket, "form-a")
    cv = sd.fields["nomor_dipa"]
    sd.fields["nomor_dipa"] = replace(cv, value="SP DIPA-019.07.2.999999/2023")
    out = Findings("x")
    ctx = Context(sd, derive(sd)[0], out, 2023, 2, "247246")
    from macros.validation.checks import matches_dipa
    matches_dipa(MatchesDipa("V15", "nomor_dipa"), ctx)
    assert out.items == []


def test_progress_agrees_v13(paket):
    sd = sheet(paket, "pengukuran-rencana-aksi")
    assert found(run(sd)) == []
    put(sd, "indikator", 1, PI.c8_realisasi_antara_pct, 80.0)  # a count: 426 of 750 is 56,8 %
    out = run(sd)
    assert found(out) == [("V13", cell(sd, "indikator", 1, PI.c8_realisasi_antara_pct))]
    assert out.items[0].message == "Jumlah layanan: realisasi antara 80 %, padahal 426 dari target 750 = 56,8 %."
    assert out.items[0].column == "Realisasi Antara (%)"
    sd = sheet(paket, "pengukuran-rencana-aksi")
    put(sd, "indikator", 0, PI.c8_realisasi_antara_pct, 40.0)  # a value reached (85 ≥ 80) but antara below
    out = run(sd)
    assert found(out) == [("V13", cell(sd, "indikator", 0, PI.c8_realisasi_antara_pct))]
    assert "di bawah target antara 50 %, tetapi nilai indikator 85 sudah mencapai target 80" in out.items[0].message
    put(sd, "indikator", 0, PI.c11_polaritas, "minimal")  # lower is better: 85 > 80 has not reached it
    assert found(run(sd)) == []


def test_check_form_refuses_a_spec_without_engine(paket):
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Unknown(Check):
        pass

    sd = sheet(paket, "alki")
    sd.layout = replace(sd.layout, checks=(Unknown("V99"),))
    with pytest.raises(TypeError, match="no engine"):
        run(sd)


def test_specs_declared_by_the_forms():
    assert [type(c) for c in ALKI.checks] == [SameInAllRows, WithinQuarter]
    assert isinstance(RENCANA_AKSI.checks[0], RisesTo100) and len(RENCANA_AKSI.checks[0].steps) == 4
    assert FieldEquals("V26", "ttd_nama", "penanggung_jawab") in FORM_A.checks


# --- cross-sheet and cross-quarter ----------------------------------------------------------------------

def _views(data: WorkbookData) -> dict:
    return {sd.name: derive(changed(sd))[0] for sd in data.sheets}


def test_cross_package_v17_v18_v18b(paket):
    data = copy.deepcopy(paket)
    out = Findings("x")
    check_across_sheets(data, _views(data), out)
    assert out.items == []
    alki = data.sheets_of("alki")[0]
    put(alki, "komponen", 0, C.c7_pagu_rp, 1000.0)
    put(alki, "komponen", 1, C.c11_realisasi_fisik_pct, 90.0)  # the komponen holding nearly all of AEF's pagu
    put(alki, "komponen", 1, C.c9_realisasi_keuangan_pct, 90.0)
    out = Findings("x")
    check_across_sheets(data, _views(data), out)
    fa = data.sheets_of("form-a")[0]
    assert found(out) == [("V17", cell(fa, "anggaran", 0, A.c4_rupiah_rp000)),
                          ("V18", cell(fa, "realisasi", 0, R.c13_sd_fis_R)),
                          ("V18b", cell(fa, "realisasi", 0, R.c11_sd_keu_R))]
    assert out.items[0].column == "Anggaran Rupiah" and out.items[0].message.startswith("Output AEF: pagu FORM A ")


def test_cross_package_without_alki_is_silent(paket):
    data = copy.deepcopy(paket)
    data.sheets = [s for s in data.sheets if s.layout.form != "alki"]
    out = Findings("x")
    check_across_sheets(data, _views(data), out)
    assert out.items == []


def test_previous_quarter_v19_v10b(paket):
    now, before = copy.deepcopy(paket), copy.deepcopy(paket)
    out = Findings("x")
    check_previous(now, before, _views(now), out)
    rea = now.sheets_of("form-a")[0]
    # last quarter's s.d. = this quarter's lalu + ini; this quarter's lalu should equal it
    assert [(f.rule, f.cell) for f in out.items][:2] == [("V19", cell(rea, "realisasi", 0, R.c2_lalu_keu_S)),
                                                         ("V19", cell(rea, "realisasi", 0, R.c3_lalu_keu_R))]
    assert "V10b" not in {f.rule for f in out.items}
    prev = before.sheets_of("form-a")[0]
    put(prev, "realisasi", 0, R.c2_lalu_keu_S, 90.0)  # last quarter ended at 90 + 20,5
    out = Findings("x")
    check_previous(now, before, _views(now), out)
    assert ("V10b", cell(rea, "realisasi", 0, R.c10_sd_keu_S)) in found(out)
    assert "Nilai kumulatif turun dari 110,5 menjadi 30,5." in [f.message for f in out.items]


# --- phase 2: schema and fields ------------------------------------------------------------------------

def test_every_failure_maps_to_a_rule_or_raises():
    assert [rule_of_failure(c) for c in ("V04", "V05", "not_nullable", "multiple_fields_uniqueness")] == \
        ["V04", "V05", "V06", "V22"]
    with pytest.raises(UnknownFailure):
        rule_of_failure("greater_than(0)")


def test_schema_checks_carry_their_rule_id():
    names = {c.name for col in schema_for(A).columns.values() for c in col.checks}
    assert names == {"V04", "V05"}


def test_schema_v04_v05_v06_v22(paket):
    sd = sheet(paket, "form-a")
    put(sd, "anggaran", 0, A.c4_rupiah_rp000, -5.0)
    put(sd, "anggaran", 1, A.c1_output_kode, "AEF")  # duplicate code
    put(sd, "anggaran", 0, A.c6_indikator_keluaran, None)
    put(sd, "realisasi", 0, R.c6_ini_keu_S, 120.0)
    sd.tables["anggaran"].parsed.clear()
    sd.tables["realisasi"].parsed.clear()
    out = Findings("x")
    check_schema(sd, out)
    got = found(out)
    assert ("V04", cell(sd, "anggaran", 0, A.c4_rupiah_rp000)) in got
    assert ("V22", cell(sd, "anggaran", 0, A.c1_output_kode)) in got and \
        ("V22", cell(sd, "anggaran", 1, A.c1_output_kode)) in got
    assert ("V06", cell(sd, "anggaran", 0, A.c6_indikator_keluaran)) in got
    v04 = next(f for f in out.items if f.cell == cell(sd, "realisasi", 0, R.c6_ini_keu_S))
    assert v04.message == ("Triwulan Ini (%) / Keuangan / S: 120 realisasi di atas 100 %; yang sah 0 sampai 100. "
                           "Periksa angkanya.")
    put(sd, "anggaran", 1, A.c1_output_kode, "bad")
    out = Findings("x")
    check_schema(sd, out)
    v05 = next(f for f in out.items if f.rule == "V05")
    assert v05.message == "Nomor Kode dan Nama Output: kode 'bad' tidak sesuai format (Kode KRO, 3 huruf kapital " \
                          "(contoh: AEF))."


def test_a_code_in_the_wrong_format_is_told_in_words_never_as_a_pattern(paket):
    """V05 says what the code looks like (the column's help); a regular expression means nothing to a satker."""
    wrong = {"alki": ("komponen", ALKI.komponen.c2_kegiatan, "60 77",
                      "Kode / Kegiatan: kode '60 77' tidak sesuai format (Kode kegiatan, 4 digit (contoh: 6077))."),
             "p3dn": ("akun", P3DN.akun.c2_akun, "5212",
                      "Akun: kode '5212' tidak sesuai format (Kode akun, 6 digit (contoh: 521211)).")}
    for form, (table, key, typed, message) in wrong.items():
        sd = copy.deepcopy(sheet(paket, form))
        put(sd, table, 0, key, typed)
        sd.tables[table].parsed.clear()
        out = Findings("x")
        check_schema(sd, out)
        assert [f.message for f in out.items if f.rule == "V05"] == [message]
    for lay in LAYOUTS.values():  # every code column and field of every form has its words
        for f in (*lay.fields, *lay.signature, *lay.subtitle_fields):
            assert f.help or not f.pattern, (lay.form, f.key)
        for t in lay.tables:
            assert all(c.help or not c.pattern for c in t.columns), (lay.form, t.key)


def test_fields_v06_v05_v04(paket):
    sd = sheet(paket, "form-a")
    for key, value in (("penanggung_jawab", None), ("program", "Program tanpa kode"), ("pagu_satker_rp000", 0.0)):
        sd.fields[key] = replace(sd.fields[key], value=value)
    out = Findings("x")
    check_fields(sd, out)
    assert [(f.rule, f.message) for f in out.items] == [
        ("V05", "Nomor Kode dan Nama Program: 'Program tanpa kode' tidak sesuai format (contoh: 04.07.EC. Program "
                "Nilai Tambah dan Daya Saing Industri)."),
        ("V06", "Penanggung Jawab Kegiatan: wajib diisi."),
        ("V04", "Pagu DIPA Satker (Rp. 000): 0 di luar rentang; yang sah paling kecil 1. Periksa angkanya.")]
    assert out.items[-1].expected == "paling kecil 1"  # the JSON and the annotation comment say it too


# --- phase 1: cells -------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, raw, value, ambigu, rule, text", [
    ("bukan-angka", "tiga puluh", None, False, "V01", "berisi teks 'tiga puluh' padahal harus angka"),
    ("galat-excel", "#DIV/0!", None, False, "V01", "berisi galat Excel #DIV/0!"),
    # '12.5' typed in an Indonesian Excel is 12 May: the date is named as a date, with the way out
    ("bukan-angka", dt.date(2023, 5, 12), None, False, "V01",
     "Rupiah: berisi tanggal 12-05-2023 padahal harus angka; Excel mengubah ketikan seperti 12.5 atau 1/5 menjadi "
     "tanggal. Ketik angkanya dengan koma desimal (mis. 12,5), atau '-' bila tidak ada nilai."),
    ("bukan-angka", dt.datetime(2023, 1, 5, 0, 0), None, False, "V01", "berisi tanggal 05-01-2023 padahal"),
    ("tidak-wajar", "1e400", None, False, "V29", "'1e400' bukan angka yang wajar"),
    ("teks-angka", "30,5", 30.5, False, "V03", "angka '30,5' disimpan sebagai teks; dibaca 30,5"),
    ("angka", "1.279", 1279.0, True, "V03", "pemisah pada '1.279' meragukan"),
])
def test_cell_statuses(status, raw, value, ambigu, rule, text):
    out = Findings("x")
    check_cell(Parsed(value, status, ambigu=ambigu), "S!C9", "Rupiah", raw, out)
    assert [(f.rule, f.cell) for f in out.items] == [(rule, "C9")] and text in out.items[0].message
    out = Findings("x")
    check_cell(Parsed(5.0, "angka"), "S!C9", "Rupiah", 5.0, out)
    check_cell(None, "S!C9", "Rupiah", "x", out)
    assert out.items == []


def test_v01_title_names_every_kind_of_cell_it_reports():
    """V01's catalogue title (the rule list, the annotation) names what its messages say the cell holds."""
    from macros.validation.catalogue import CATALOGUE
    held = {"": "teks", "teks-ikut": "teks", "galat": "galat Excel", "galat-ikut": "galat Excel", "tanggal": "tanggal"}
    v01 = CATALOGUE["V01"]
    assert set(v01.messages) == set(held)
    for variant, word in held.items():
        assert f"berisi {word}" in v01.messages[variant] and word in v01.title, variant


@pytest.mark.parametrize("status, raw", [("bukan-angka", "tiga puluh"), ("galat-excel", "#VALUE!")])
def test_the_cause_of_an_error_cascade_names_the_cells_it_spoils(status, raw):
    out = Findings("x")
    spoiled = [f"S!{c}{r}" for r in (9, 30) for c in "DEFG"] + ["T!E4"]
    check_cell(Parsed(None, status), "S!C9", "Rupiah", raw, out, spoiled)
    assert [(f.rule, f.cell) for f in out.items] == [("V01", "C9")]
    assert out.items[0].message.endswith("Akibatnya 9 sel terhitung yang memakainya ikut galat (D9, E9, F9, G9, D30, "
                                         "E30, …); sel-sel itu tidak dilaporkan terpisah dan pulih sendiri setelah "
                                         "sel ini diperbaiki.")


# --- phase 3: derived cells, totals, pairs --------------------------------------------------------------

def test_matches_tolerances():
    assert matches(Jenis.PERSEN, 30.52, 30.524) == (True, False)
    assert matches(Jenis.PERSEN, 30.5, 30.46) == (True, False)  # printed with one decimal, rounded half-up
    assert matches(Jenis.PERSEN, 97.8, 97.89) == (False, True)  # only truncation gives it (V11b)
    assert matches(Jenis.RP000, 1000.4, 1000.0) == (True, False)
    assert matches(Jenis.TEKS, " AEF ", "AEF") == (True, False)
    assert matches(Jenis.PERSEN, 0.0, None) == (True, False)


def test_derived_typed_value_v10_and_v11b(paket):
    sd = sheet(paket, "form-a")
    sd.formulas = set()  # every derived cell typed, none a formula
    put(sd, "realisasi", 0, R.c10_sd_keu_S, 99.0)
    view, derived = derive(sd)
    out = Findings("x")
    check_derived(sd, view, derived, out)
    assert found(out) == [("V10", cell(sd, "realisasi", 0, R.c10_sd_keu_S))]
    assert out.items[0].message.startswith("S.D. Triwulan Ini (%) / Keuangan / S: tertulis 99, seharusnya 30,5 "
                                           "(R1: s.d. triwulan lalu + triwulan ini).")
    pk = sheet(paket, "pengukuran-rencana-aksi")
    pk.formulas = set()
    put(pk, "indikator", 0, PI.c12_capaian_pct, 106.2)  # 85/80 = 106,25: truncated, not rounded
    view, derived = derive(pk)
    out = Findings("x")
    check_derived(pk, view, derived, out)
    assert found(out) == [("V11b", cell(pk, "indikator", 0, PI.c12_capaian_pct))]
    assert CATALOGUE["V11b"].severity == "peringatan"


def test_total_rows_v06b(paket):
    sd = sheet(paket, "form-a")
    td = sd.tables["anggaran"]
    sd.formulas = sd.formulas - {cv.cell for cv in td.total.values()}  # the Total row typed over, then cleared
    for key, cv in list(td.total.items()):
        td.total[key] = replace(cv, value=None)
    out = Findings("x")
    check_total_rows(sd, out)
    assert [f.message for f in out.items] == ["Baris Total kosong. Kembalikan rumusnya (buat ulang dari templat "
                                              "kinerja) agar Total dihitung."]
    td.total = None
    out = Findings("x")
    check_total_rows(sd, out)
    assert out.items[0].message == "Baris Total tabel tidak ditemukan. Jangan hapus baris Total."


def test_below_total_v31(paket):
    sd = sheet(paket, "form-a")
    sd.tables["anggaran"].below_total.append((A.c4_rupiah_rp000, "H30", 500))
    out = Findings("x")
    check_below_total(sd, out)
    assert found(out) == [("V31", "H30")] and "500 diketik di bawah baris Total" in out.items[0].message


def test_pairs_v30_both_ways(paket):
    sd = sheet(paket, "form-a")
    put(sd, "anggaran", 1, A.c1_output_kode, None)
    put(sd, "realisasi", 1, R.c1_output_kode, "BAD")
    out = Findings("x")
    check_pairs(sd, derive(sd)[0], out)
    assert found(out) == [("V30", cell(sd, "realisasi", 1, R.c1_output_kode))]
    assert "(berisi kosong)" in out.items[0].message
    sd = sheet(paket, "form-a")
    rea = sd.tables["realisasi"]
    rea.rows = rea.rows[:1]  # section III lost its second row
    rea.values = rea.values.iloc[:1]
    out = Findings("x")
    check_pairs(sd, derive(sd)[0], out)
    assert found(out) == [("V30", cell(sd, "anggaran", 1, A.c1_output_kode))]
    assert out.items[0].message.startswith("Output 'BAD' di II. DATA KEUANGAN")


# --- identity, period, completeness ---------------------------------------------------------------------

def test_identity_v27_and_period_v16(paket):
    sd = sheet(paket, "form-a")
    out = Findings("x")
    check_identity(sd, "247246", out)
    check_identity(sd, "", out)
    assert out.items == []
    check_identity(sd, "111111", out)
    assert found(out) == [("V27", sd.fields["unit_organisasi"].cell)]
    out = Findings("x")
    check_period(Meta(form="paket-triwulan", versi="", satker="247246", tahun=2023, triwulan=0), "FORM A 6077", out)
    check_period(Meta(form="rencana-aksi", versi="", satker="247246", tahun=2023, triwulan=0), "RA", out)
    assert [(f.rule, f.sheet, f.message) for f in out.items] == [
        ("V16", "FORM A 6077", "Triwulan laporan tidak tercatat di metadata. Buat ulang berkas dari templat kinerja.")]


def test_completeness_v00(paket):
    sd = sheet(paket, "form-a")
    sd.fields["kegiatan"] = replace(sd.fields["kegiatan"], value=None)
    out = Findings("x")
    check_completeness(sd, True, out)
    assert found(out) == [("V00", sd.fields["kegiatan"].cell)]
    skm = sheet(paket, "p3dn")  # optional in a package and untouched: no finding
    for k in skm.tables["akun"].table.filled_by:
        skm.tables["akun"].values[k] = None
    out = Findings("x")
    check_completeness(skm, True, out)
    assert out.items == []


def test_every_catalogue_message_formats():
    for rule in CATALOGUE.values():
        assert rule.title and rule.messages, rule.id
        for variant, template in rule.messages.items():
            names = {n for _, n, _, _ in __import__("string").Formatter().parse(template) if n}
            text = rule.message(variant, **{n: "x" for n in names})
            assert "{" not in text and text.strip()


def test_frame_values_are_float_for_pandera(paket):
    from macros.validation.schema import frame_for_schema
    sd = sheet(paket, "form-a")
    df = frame_for_schema(sd.tables["anggaran"])
    assert df[A.c4_rupiah_rp000].dtype == float and isinstance(df, pd.DataFrame)



# --- the remaining branches -----------------------------------------------------------------------------

def test_check_cells_walks_fields_rows_and_totals(paket):
    from macros.validation.cells import check_cells
    sd = sheet(paket, "form-a")
    td = sd.tables["anggaran"]
    td.parsed[(0, A.c4_rupiah_rp000)] = Parsed(None, "bukan-angka")
    key, cv = next(iter(td.total.items()))
    td.total[key] = replace(cv, parsed=Parsed(None, "galat-excel"), raw="#REF!")
    out = Findings("x")
    check_cells(sd, out)
    assert found(out) == [("V01", cell(sd, "anggaran", 0, A.c4_rupiah_rp000)), ("V01", cv.cell)]
    assert out.items[1].column == f"Total {td.table.column(key).label}"


def test_completeness_empty_required_table(paket):
    from macros.validation.completeness import first_empty
    sd = sheet(paket, "form-a")
    td = sd.tables["anggaran"]
    for k in td.table.filled_by:
        td.values[k] = None
    address, label = first_empty(sd)
    assert label == td.table.column(td.table.filled_by[0]).label
    assert address.endswith(str(td.number_row + 1))


def test_formulas_v28_replaced_and_forged(paket):
    from macros.validation.derived import check_formulas
    from workbooks.verify import expected_formulas
    sd = sheet(paket, "form-a")
    address = sd.tables["realisasi"].address(0, R.c10_sd_keu_S)
    c = address.rsplit("!", 1)[1]
    want = next(iter(expected_formulas(sd)[c]))
    sd.formula_text = {**sd.formula_text, c: "1+1"}  # the other derived cells keep their formulas
    view, derived = derive(sd)
    out = Findings("x")
    check_formulas(sd, view, derived, out)
    assert found(out) == [("V28", c)] and "rumus sel ini diganti ('=1+1')" in out.items[0].message
    sd.formula_text = {**sd.formula_text, c: want}
    put(sd, "realisasi", 0, R.c10_sd_keu_S, 77.0)  # the cached value a forged file carries
    view, derived = derive(sd)
    out = Findings("x")
    check_formulas(sd, view, derived, out)
    assert found(out) == [("V28", c)] and out.items[0].message.startswith(
        "S.D. Triwulan Ini (%) / Keuangan / S: nilai tersimpan 77 tidak sama dengan hasil rumusnya 30,5")
    sd.formula_text = None  # values only (a front end's grid): nothing to compare
    out = Findings("x")
    check_formulas(sd, view, derived, out)
    assert out.items == []


def test_findings_report_a_cell_once_and_angka():
    from macros.validation import angka
    out = Findings("x")
    for _ in range(2):
        out.add("V14", "S!C9", "Fisik", "S = R", "beda", label="Fisik", n=3)
    assert len(out.items) == 1 and out.items[0].severity == "peringatan" and out.items[0].file == "x"
    assert [angka(v) for v in (None, True, 1234567.0, 30.52, 7, "AEF")] == [
        "kosong", "True", "1.234.567", "30,52", "7", "'AEF'"]


def test_cross_package_rows_without_a_match(paket):
    data = copy.deepcopy(paket)
    fa = data.sheets_of("form-a")[0]
    put(fa, "anggaran", 0, A.c1_output_kode, "ZZZ")  # no ALKI komponen for this output
    rea = fa.tables["realisasi"]
    rea.rows, rea.values = rea.rows[:1], rea.values.iloc[:1]  # the second output has no section III row
    alki = data.sheets_of("alki")[0]
    put(alki, "komponen", 2, C.c11_realisasi_fisik_pct, 90.0)  # BAD's komponen disagree, but BAD has no row III
    out = Findings("x")
    check_across_sheets(data, _views(data), out)
    assert out.items == []


def test_previous_without_the_sheet_or_the_row(paket):
    now, before = copy.deepcopy(paket), copy.deepcopy(paket)
    before.sheets = [s for s in before.sheets if s.kegiatan != "6077"]
    prev = before.sheets_of("form-a")[0]
    put(prev, "realisasi", 0, R.c1_output_kode, "ZZZ")  # 6042's output under another code last quarter
    out = Findings("x")
    check_previous(now, before, _views(now), out)
    assert out.items == []


def test_form_checks_skip_what_they_cannot_judge(paket):
    sd = sheet(paket, "form-a")
    sd.fields["nomor_dipa"] = replace(sd.fields["nomor_dipa"], value=None)  # reported as missing elsewhere
    ang = sd.tables["anggaran"]
    ang.rows, ang.values = ang.rows[:1], ang.values.iloc[:1]  # the second output's name comes from section III
    for i in range(len(sd.tables["kendala"].rows)):
        put(sd, "kendala", i, K.c2_output, "Output BAD")
    put(sd, "realisasi", 1, R.c9_ini_fis_R, 0.0)
    put(sd, "realisasi", 1, R.c1_output_nama, "Output BAD")
    assert found(run(sd)) == []
    pk = sheet(paket, "pengukuran-rencana-aksi")
    put(pk, "indikator", 0, PI.c5_realisasi, None)  # no realisasi yet: nothing to compare
    put(pk, "indikator", 0, PI.c8_realisasi_antara_pct, 10.0)
    assert found(run(pk)) == []


def test_validate_runs_every_phase(paket, tmp_path):
    from macros.validation import validate
    clean = validate(paket)
    assert clean.valid and [f.rule for f in clean.findings] == []
    h = validate(paket, previous=paket)  # the same report as its own previous quarter: lalu ≠ last s.d.
    assert {f.rule for f in h.findings} == {"V19"} and not h.valid
    assert h.plan().marks and len(h.plan().findings) == len(h.findings)


def test_a_rollup_is_refused_and_a_form_b_sheet_has_no_kegiatan_field(paket):
    from macros.validation import validate
    from macros.validation.cross import _kegiatan
    from workbooks.meta import ROLLUP_FORM
    from workbooks.reader import BacaGagal
    data = copy.deepcopy(paket)
    data.meta = replace(data.meta, form=ROLLUP_FORM)
    with pytest.raises(BacaGagal, match="hasil konsolidasi"):
        validate(data)
    fa = sheet(paket, "form-a")
    assert _kegiatan(fa) == "6077"
    fa.kegiatan = ""
    assert _kegiatan(fa) == "6077"  # from I.6 "6077 - Kegiatan Contoh"
    del fa.fields["kegiatan"]
    assert _kegiatan(fa) == ""


def test_a_failure_case_without_a_row_raises(paket, monkeypatch):
    from macros.validation import schema

    class Failed(Exception):
        failure_cases = pd.DataFrame({"column": [A.c4_rupiah_rp000], "check": ["V04"], "index": [None],
                                      "failure_case": [1.0]})

    class Schema:
        def validate(self, df, lazy):
            raise Failed

    monkeypatch.setattr(schema.pa.errors, "SchemaErrors", Failed)
    monkeypatch.setattr(schema, "schema_for", lambda table: Schema())
    with pytest.raises(schema.UnknownFailure, match="without a row"):
        check_schema(sheet(paket, "form-a"), Findings("x"))


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> WorkbookData:
    p = Paket(skm=[[3, 4, 3, 3, 4, 3, 3, 4, 3], [4, 4, 3, 3, 3, 4, 4, 3, 3]],
              p3dn=[("521211", 1_000_000, 600_000, 100_000)])
    return read_workbook(write(p, tmp_path_factory.mktemp("unit") / "full.xlsx"))


@pytest.mark.parametrize("form, table, key, row, rule", [
    ("form-a", "anggaran", A.c5_total_rp000, None, "V07"),  # Total = sum
    ("form-a", "realisasi", R.c11_sd_keu_R, None, "V08"),  # Jumlah = kontribusi terhadap pagu satker
    ("form-a", "realisasi", R.c1_output_nama, 0, "V05b"),  # a copy of section II
    ("pengukuran-rencana-aksi", "indikator", PI.c12_capaian_pct, 0, "V11"),
    ("p3dn", "akun", P3DN.akun.c9_p3dn_pct, None, "V24"),
    ("alki", "komponen", C.c9_realisasi_keuangan_pct, None, "V09"),  # ALKI Jumlah: weighted like FORM B
])
def test_each_derived_rule_family(full, form, table, key, row, rule):
    sd = sheet(full, form)
    td = sd.tables[table]
    wrong = "salah" if td.table.column(key).jenis is Jenis.TEKS else 12345.0
    if row is None:
        cv = td.total[key]
        td.total[key] = replace(cv, value=wrong)
        address = cv.address
    else:
        put(sd, table, row, key, wrong)
        address = td.address(row, key)
    sd.formulas = set()
    view, derived = derive(changed(sd))
    out = Findings("x")
    check_derived(sd, view, derived, out)
    assert [(f.rule, f.cell) for f in out.items] == [(rule, address.rsplit("!", 1)[1])]


def test_survey_index_typed_over_v25(full):
    sd = sheet(full, "skm")
    cv = sd.fields["ikm"]
    sd.fields["ikm"] = replace(cv, value=1.5)
    sd.formulas = set()
    view, derived = derive(changed(sd))
    out = Findings("x")
    check_derived(sd, view, derived, out)
    assert ("V25", cv.cell) in found(out)
