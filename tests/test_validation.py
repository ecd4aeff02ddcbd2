"""Issue 4: Validasi finds the seeds' real errors, stays quiet on clean workbooks, marks the right cell."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from macros.apply_file import SHEET_HASIL, annotate_copy, clear_marks
from addin.cli import app
from macros.findings_format import HASIL
from macros.validation import validate
from tests.synth import Output, Paket, sheet_values, write
from workbooks.builder import Typed, build_workbook
from workbooks.meta import META_SHEET, Meta
from workbooks.model import Peran
from workbooks.placement import place
from workbooks.forms import LAYOUTS
from workbooks.reader import read_workbook

PAKET = "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"
runner = CliRunner()


def _by(h, rule=None, sheet=None, cell=None):
    return [f for f in h.findings if (rule is None or f.rule == rule) and (sheet is None or f.sheet == sheet)
            and (cell is None or f.cell == cell)]


@pytest.fixture(scope="module")
def seed_paket(demo_dir):
    return validate(demo_dir / PAKET)


# --- the seeds' real inconsistencies (DOMAIN.md §6) ---------------------------------

def test_form_a_6077_aef_row_shifted_one_cell_left(seed_paket):
    # 003:L1296: "AEF … - - - 30.52 …": 3 dashes for 4 cells push every value left; the province
    # lands in column 13 (s.d. fisik R) and column 14 is empty (I003-02)
    assert _by(seed_paket, "V01", "FORM A 6077", "N35")[0].found == "SULAWESI UTARA"
    assert _by(seed_paket, "V06", "FORM A 6077", "O35")
    # … and the output fisik no longer equals its ALKI komponen (R5 gives 31,53)
    assert _by(seed_paket, "V18", "FORM A 6077", "N35")[0].expected == pytest.approx(31.533, abs=0.001)


def test_form_a_6077_output_names_rotated_against_section_ii(seed_paket):
    # 003:L1296-1297 print BAD's and CAH's names on the AEF and BAD rows (I003-01/02)
    cells = {f.cell for f in _by(seed_paket, "V05b", "FORM A 6077")}
    assert {"B35", "B36"} <= cells


def test_dash_cells_count_as_zero_and_are_not_errors(seed_paket):
    # 003:L1298 (CAH) and L1353 (EBB) are all '-': accepted, and the Jumlah rows built on them reproduce
    assert not [f for f in seed_paket.findings if f.cell.endswith(("37", "36")) and f.sheet == "FORM A 6042"
                and f.rule in ("V01", "V06", "V10")]
    assert not _by(seed_paket, "V08", "FORM A 6042")  # R2 holds on all of 6042's Jumlah cells (003:L1356)


def test_fisik_s_equals_r_everywhere(seed_paket):
    # I003-21: FORM A 6042 section III and all 31 ALKI rows (003:L1420-1452)
    assert _by(seed_paket, "V14", "FORM A 6042") and _by(seed_paket, "V14", "ALKI")


def test_satuan_empty_for_6042_and_signature_name(seed_paket):
    # I003-03 (003:L1340-1343): 4 empty Satuan cells; I003-04 (003:L1371): "Jl. Henry Pajow" vs I.8 "Ir."
    assert len([f for f in _by(seed_paket, "V06", "FORM A 6042") if f.column == "Satuan (Unit)"]) == 4
    assert _by(seed_paket, "V26", "FORM A 6042")[0].found == "Jl. Henry Pajow, M.Si"


def test_keuangan_differs_from_alki_as_a_warning_only(seed_paket):
    # I003-07: EBA keu 44,82 (FORM A, 003:L1352) vs 47,37 weighted from ALKI
    eba = _by(seed_paket, "V18b", "FORM A 6042", "L35")[0]
    assert eba.severity == "peringatan" and eba.found == 44.82 and eba.expected == pytest.approx(47.37, abs=0.01)


def test_pengukuran_capaian_column_holds_the_wrong_quantity(seed_paket):
    # I003-12: SAKIP 76,80 is the realisasi (003:L840; capaian 95,52), rekomendasi 100 (003:L656; 108,11),
    # PNBP 45,12 % is the revenue-target ratio with no indicator realisasi (003:L450)
    found = {f.found: f for f in _by(seed_paket, "V11", "PENGUKURAN")}
    assert found[76.8].expected == pytest.approx(95.52, abs=0.005)
    assert found[100].expected == pytest.approx(108.11, abs=0.005)
    assert found[45.12].expected == "tidak dapat dihitung"


def test_realisasi_antara_contradicts_the_indicator(seed_paket):
    # R8 / 003:L1410: SAKIP realisasi antara 100 while 76,80 < target 80,4
    assert any("akuntabilitas" in f.message for f in _by(seed_paket, "V13", "PENGUKURAN"))


def test_form_b_wa_without_jumlah_and_old_dipa_numbers(demo_dir):
    h = validate(demo_dir / "BPSDMI_2023_TW2_form-b_WA.xlsx")
    assert _by(h, "V06b")  # I000-26 (000:L901-917)
    assert _by(h, "V15")[0].found == 2022  # I000-24 (000:L909): DIPA list with 2018/2022 numbers
    dl = validate(demo_dir / "BPSDMI_2023_TW2_form-b_DL.xlsx")
    assert not _by(dl, "V09") and not _by(dl, "V07")  # R3 Jumlah 28,12 / 24,77 / 41,72 / 38,88 passes


def test_bpsdmi_pk_capaian_typed_wrong(demo_dir):
    h = validate(demo_dir / "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx")
    wrong = {f.found: f.expected for f in _by(h, "V11")}
    assert wrong[25] == pytest.approx(11.52, abs=0.005)  # I000-07 (000:L216): 13,54/117,57
    assert wrong[88] == pytest.approx(80)  # I000-15 (000:L226): 12/15
    assert 118 not in wrong and 103 not in wrong  # 117,67 and 102,5 printed as whole percent: rounding, not an error


def test_rencana_aksi_target_antara_gap(demo_dir):
    # I003-16 (003:L312): Indeks Kepuasan Masyarakat has no target antara for TW I–III
    h = validate(demo_dir / "247246_BSPJI-Manado_2023_rencana-aksi.xlsx")
    assert any("Indeks Kepuasan Masyarakat" in f.message for f in _by(h, "V12"))


# --- clean workbooks --------------------------------------------------------------

@pytest.mark.parametrize("typed", [False, True])
def test_clean_synthetic_paket_has_no_findings(tmp_path, typed):
    h = validate(write(Paket(), tmp_path / "clean.xlsx", typed_derived=typed))
    assert h.findings == []


pct = st.floats(min_value=0, max_value=45, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["AEF", "BAD", "QDI", "EBA"]), st.integers(1, 10**7),
                          st.tuples(pct, pct, pct, pct), st.tuples(pct, pct, pct, pct)),
                min_size=1, max_size=4, unique_by=lambda t: t[0]), st.booleans())
def test_many_clean_synthetic_workbooks_have_no_findings(tmp_path, outputs, typed):
    outs = [Output(k, pagu, lalu, ini) for k, pagu, lalu, ini in outputs]
    p = Paket(kegiatan={"6077": outs})
    h = validate(write(p, tmp_path / "h.xlsx", typed_derived=typed))
    # fisik S = R can happen by chance in generated data; everything else must be silent
    assert [f for f in h.findings if f.rule != "V14"] == []


# --- each rule, broken once in a clean workbook -------------------------------------

def _cell(values_sheet, table, key, i, sheet_layout="form-a", rows=None):
    sp = place(LAYOUTS[sheet_layout], rows)
    return sp.tables[table].cell(key, i)


def _one(tmp_path, mutate, typed=True):
    h = validate(write(Paket(), tmp_path / "x.xlsx", typed_derived=typed, mutate=mutate))
    return h.findings


def _rows(values, sheet="FORM A 6077", table="realisasi"):
    return values[sheet].tables[table]


def A(form, table, key, i=0):
    """Where a clean synthetic sheet puts row ``i`` of ``table.key`` (template row counts)."""
    return place(LAYOUTS[form]).tables[table].cell(key, i)


def T(form, table, key):
    tp = place(LAYOUTS[form]).tables[table]
    return f"{tp.letter(key)}{tp.total_row}"


def F(form, key):
    return place(LAYOUTS[form]).field_cell(key)


FA = "form-a"


@pytest.mark.parametrize("rule,mutate,sheet,cell", [
    ("V01", lambda v: _rows(v)[0].update(c6_ini_keu_S="tiga puluh"), "FORM A 6077", A(FA, "realisasi", "c6_ini_keu_S")),
    ("V03", lambda v: _rows(v)[0].update(c6_ini_keu_S="20,5"), "FORM A 6077", A(FA, "realisasi", "c6_ini_keu_S")),
    ("V04", lambda v: _rows(v)[0].update(c7_ini_keu_R=101.0, c3_lalu_keu_R=0.0), "FORM A 6077",
     A(FA, "realisasi", "c7_ini_keu_R")),
    ("V05", lambda v: _rows(v, table="anggaran")[0].update(c1_output_kode="aef1"), "FORM A 6077",
     A(FA, "anggaran", "c1_output_kode")),
    ("V06", lambda v: _rows(v)[1].update(c14_lokasi=None), "FORM A 6077", A(FA, "realisasi", "c14_lokasi", 1)),
    ("V22", lambda v: _rows(v, table="anggaran")[1].update(c1_output_kode="AEF"), "FORM A 6077",
     A(FA, "anggaran", "c1_output_kode", 0)),
    ("V10", lambda v: _rows(v)[0].update(c10_sd_keu_S=Typed(40.0)), "FORM A 6077", A(FA, "realisasi", "c10_sd_keu_S")),
    ("V07", lambda v: v["FORM A 6077"].totals.setdefault("anggaran", {}).update(c4_rupiah_rp000=Typed(1)),
     "FORM A 6077", T(FA, "anggaran", "c4_rupiah_rp000")),
    ("V08", lambda v: v["FORM A 6077"].totals.setdefault("realisasi", {}).update(c11_sd_keu_R=Typed(9.99)),
     "FORM A 6077", T(FA, "realisasi", "c11_sd_keu_R")),
    ("V15", lambda v: v["FORM A 6077"].fields.update(nomor_dipa="SP DIPA-019.07.2.247246/2022"), "FORM A 6077",
     F(FA, "nomor_dipa")),
    ("V26", lambda v: v["FORM A 6042"].fields.update(ttd_nama="Budi"), "FORM A 6042", None),
    ("V06k", lambda v: (_rows(v)[0].update(c7_ini_keu_R=1.0), v["FORM A 6077"].tables["kendala"].pop(0)),
     "FORM A 6077", A(FA, "realisasi", "c11_sd_keu_R")),
    ("V17", lambda v: v["ALKI"].tables["komponen"][0].update(c7_pagu_rp=1), "FORM A 6077",
     A(FA, "anggaran", "c4_rupiah_rp000")),
    ("V18", lambda v: [r.update(c11_realisasi_fisik_pct=1.0) for r in v["ALKI"].tables["komponen"][:2]],
     "FORM A 6077", A(FA, "realisasi", "c13_sd_fis_R")),
    ("V14", lambda v: [r.update(c10_target_fisik_pct=r["c11_realisasi_fisik_pct"]) for r in v["ALKI"].tables["komponen"]],
     "ALKI", A("alki", "komponen", "c11_realisasi_fisik_pct")),
    ("V11", lambda v: v["PENGUKURAN"].tables["indikator"][0].update(c12_capaian_pct=Typed(85.0)), "PENGUKURAN",
     A("pengukuran-rencana-aksi", "indikator", "c12_capaian_pct")),
    ("V13", lambda v: v["PENGUKURAN"].tables["indikator"][0].update(c5_realisasi=70), "PENGUKURAN",
     A("pengukuran-rencana-aksi", "indikator", "c8_realisasi_antara_pct")),
    ("V16", lambda v: v["ALKI"].fields.update(tanggal_posisi=__import__("datetime").date(2023, 9, 30)), "ALKI",
     F("alki", "tanggal_posisi")),
])
def test_each_rule_breaks_alone_at_its_cell(tmp_path, rule, mutate, sheet, cell):
    findings = _one(tmp_path, mutate)
    hits = [f for f in findings if f.rule == rule]
    assert hits, findings
    assert hits[0].sheet == sheet
    if cell:
        assert hits[0].cell == cell
    others = {f.rule for f in findings} - {rule}
    # a broken value may also show where it feeds a total or a cross-form check, never elsewhere
    assert others <= {"V08", "V07", "V10", "V17", "V18", "V18b", "V11"}, findings


def test_previous_quarter_continuity(tmp_path):
    tw1 = Paket(triwulan=1, kegiatan={"6077": [Output("AEF", 48488, (0, 0, 0, 0), (10.0, 10.0, 12.0, 12.5))]})
    tw2 = Paket(kegiatan={"6077": [Output("AEF", 48488, (10.0, 11.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0))]})
    prev = write(tw1, tmp_path / "tw1.xlsx")
    h = validate(write(tw2, tmp_path / "tw2.xlsx"), previous=prev)
    v19 = _by(h, "V19")
    assert len(v19) == 1 and v19[0].cell == A(FA, "realisasi", "c3_lalu_keu_R") and v19[0].found == 11.0 and v19[0].expected == 10.0



def test_sebelumnya_of_another_form_or_quarter_is_refused_before_any_check(tmp_path, demo_dir):
    """--sebelumnya must be last quarter's report of the same form: a FORM B compared nothing without a word,
    the same quarter gave a V19 galat per row. Refused with exit 2 before any file is checked."""
    tw1 = write(Paket(triwulan=1, kegiatan={"6077": [Output("AEF", 48488, (0, 0, 0, 0), (10.0, 10.0, 12.0, 12.5))]}),
                tmp_path / "tw1.xlsx")
    tw2 = write(Paket(kegiatan={"6077": [Output("AEF", 48488, (10.0, 10.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0))]}),
                tmp_path / "tw2.xlsx")
    tw2_lagi = tmp_path / "tw2_lagi.xlsx"
    tw2_lagi.write_bytes(tw2.read_bytes())
    rusak = tmp_path / "rusak.xlsx"
    rusak.write_bytes(b"bukan excel")

    def run(*args: Path) -> tuple[int, str]:
        r = runner.invoke(app, ["validasi", *map(str, args[:-1]), "--sebelumnya", str(args[-1])])
        return r.exit_code, " ".join(r.output.split())

    code, text = run(tw2, tw1)
    assert code == 0 and "LOLOS" in text  # the right report: s.d. triwulan lalu carried over
    code, text = run(tw2, tw2_lagi)
    assert code == 2 and "LOLOS" not in text and "V19" not in text
    assert ("Berkas --sebelumnya 'tw2_lagi.xlsx' adalah laporan triwulan II tahun 2023 (triwulan yang sama), "
            "sedangkan 'tw2.xlsx' laporan triwulan II tahun 2023: pilih laporan triwulan I tahun 2023.") in text
    code, text = run(tw2, demo_dir / "BPSDMI_2023_TW2_form-b_DL.xlsx")
    assert code == 2 and "LOLOS" not in text
    assert ("Berkas --sebelumnya 'BPSDMI_2023_TW2_form-b_DL.xlsx' tidak memuat FORM A — Laporan Pelaksanaan Kegiatan "
            "(isinya: FORM B — Laporan Konsolidasi Kegiatan per Program); pilih laporan triwulan lalu dari form yang "
            "sama.") in text
    lain = write(Paket(satker="900002", triwulan=1, kegiatan={"6077": [Output("AEF", 48488, (0, 0, 0, 0),
                                                                              (10.0, 10.0, 12.0, 12.5))]}),
                 tmp_path / "satker_lain.xlsx")
    code, text = run(tw2, lain)
    assert code == 2 and ("Berkas --sebelumnya 'satker_lain.xlsx' laporan satker 900002, sedangkan 'tw2.xlsx' laporan "
                          f"satker {Paket().satker}: pilih laporan triwulan lalu satker itu.") in text
    code, text = run(tw1, tw1)
    assert code == 2 and ("'tw1.xlsx' laporan triwulan I tahun 2023: tidak ada triwulan lalu dalam tahun anggaran "
                          "yang sama") in text
    code, text = run(tw2, rusak)
    assert code == 2 and text.count("rusak.xlsx") == 1 and "Berkas --sebelumnya rusak.xlsx: bukan berkas Excel" in text

# --- plan applied to files -------------------------------------------------------

def test_annotated_copy_marks_cells_and_rerun_replaces_marks(tmp_path, demo_dir):
    src = demo_dir / PAKET
    before = src.read_bytes()
    h = validate(src)
    out = annotate_copy(src, h.plan(), tmp_path / "a" / PAKET)
    assert src.read_bytes() == before  # the input is never modified
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == SHEET_HASIL
    hasil = wb[SHEET_HASIL]
    assert hasil.max_row == HASIL.header_row + len(h.findings)
    lembar, sel = HASIL.position("lembar") - 1, HASIL.position("sel") - 1
    link = next(r[sel] for r in hasil.iter_rows(min_row=HASIL.header_row + 1)
                if r[lembar].value == "PENGUKURAN" and r[sel].value == "M21")
    assert link.hyperlink.location == "'PENGUKURAN'!M21" or link.hyperlink.target.endswith("M21")
    cell = wb["PENGUKURAN"]["M21"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and "V11" in cell.comment.text
    # validate the annotated copy again: same findings, marks not stacked
    h2 = validate(out)
    assert [(f.rule, f.cell) for f in h2.findings] == [(f.rule, f.cell) for f in h.findings]
    out2 = annotate_copy(out, h2.plan(), tmp_path / "b" / PAKET)
    wb2 = openpyxl.load_workbook(out2)
    assert wb2.sheetnames.count(SHEET_HASIL) == 1 and wb2[SHEET_HASIL].max_row == hasil.max_row
    assert clear_marks(wb2) == len({(m.sheet, m.cell) for m in h.plan().marks})
    assert wb2["PENGUKURAN"]["M21"].fill.fgColor.rgb.endswith("EDEDED")  # derived-cell grey restored
    assert wb2["PENGUKURAN"]["M21"].comment is None


def test_cli_exit_codes_and_json(tmp_path, demo_dir):
    clean = write(Paket(), tmp_path / "clean.xlsx")
    r = runner.invoke(app, ["validasi", str(clean)])
    assert r.exit_code == 0 and "LOLOS" in r.output
    r = runner.invoke(app, ["validasi", str(demo_dir / PAKET), "--json", str(tmp_path / "t.json")])
    assert r.exit_code == 1 and "DITOLAK" in r.output
    data = json.loads((tmp_path / "t.json").read_text())
    assert data[0]["galat"] > 0 and {"rule", "severity", "sheet", "cell", "message"} <= set(data[0]["temuan"][0])


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    out["kosong"] = tmp_path / "kosong.xlsx"
    out["kosong"].write_bytes(b"")
    out["teks"] = tmp_path / "teks.xlsx"
    out["teks"].write_text("bukan excel")
    out["sandi"] = tmp_path / "sandi.xlsx"  # password-protected files are OLE compound documents
    out["sandi"].write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    wb, _ = build_workbook(Meta(form="form-b", versi="", tahun=2023, triwulan=2))
    wb["FORM B"].title = "Lembar1"
    wb.save(out.setdefault("ganti", tmp_path / "ganti.xlsx"))
    wb, _ = build_workbook(Meta(form="paket-triwulan", versi="", tahun=2023, triwulan=2, kegiatan=("6077", "6042")))
    del wb["FORM A 6042"]
    wb.save(out.setdefault("hapus", tmp_path / "hapus.xlsx"))
    wb, _ = build_workbook(Meta(form="form-b", versi="", tahun=2023, triwulan=2))
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "versi_layout":
            row[1].value = "2019.1"
    wb.save(out.setdefault("versi", tmp_path / "versi.xlsx"))
    plain = openpyxl.Workbook()
    plain.active["A1"] = "daftar belanja"
    plain.save(out.setdefault("lain", tmp_path / "lain.xlsx"))
    return out


def test_bad_files_exit_2_with_one_clear_message(tmp_path):
    for name, path in _bad_files(tmp_path).items():
        r = runner.invoke(app, ["validasi", str(path)])
        assert r.exit_code == 2, (name, r.output)
        assert "Galat:" in r.output and "Traceback" not in r.output and path.name in r.output, (name, r.output)


# --- issue 10: derived cells verified, not trusted ------------------------------------------------------------

@pytest.mark.parametrize("part,flagged", [("cell", False), ("udf", False), ("native", False), (None, True)])
def test_a_derived_formula_is_accepted_in_every_rendering_and_refused_when_replaced(tmp_path, part, flagged):
    from workbooks.builder import SheetValues, _Renderer
    from workbooks.forms import LAYOUT_VERSION
    from workbooks.rules import formula

    meta = Meta(form="pengukuran-rencana-aksi", versi=LAYOUT_VERSION, satker="247246", tahun=2023, triwulan=2)
    lay = LAYOUTS["pengukuran-rencana-aksi"]
    wb, places = build_workbook(meta, {
        lay.sheet: SheetValues(tables={"indikator": [
            {"c1_no": 1, "c2_sasaran_strategis": "S", "c3_indikator_kinerja": "I", "c4_target": 80, "c4_satuan": "nilai",
             "c5_realisasi": 85, "c6_target_antara_pct": 50, "c8_realisasi_antara_pct": 50,
             "c11_polaritas": "maksimal"}]})})
    tp = places[lay.sheet].tables["indikator"]
    rule = lay.table("indikator").column("c12_capaian_pct").rule
    cell = tp.cell("c12_capaian_pct", 0)
    ws = wb[lay.sheet]
    if part is None:
        ws[cell] = f"={tp.cell('c5_realisasi', 0)}*2"  # the user's own arithmetic
    else:
        rend = _Renderer(places[lay.sheet])  # what the template builder renders, in each of its parts
        ws[cell] = formula(rule, lambda ref: rend.row_ref(tp, 0, ref), parts=part)
    path = tmp_path / "pk.xlsx"
    wb.save(path)
    h = validate(path)
    assert bool(_by(h, "V28", lay.sheet, cell)) is flagged
    if flagged:
        assert "Pulihkan Rumus" in _by(h, "V28", lay.sheet, cell)[0].message


def test_a_polarity_outside_its_list_is_a_finding_on_its_cell_not_a_crash(demo_dir, tmp_path):
    """A polaritas typed by hand ('x') is V05 at its cell, and the capaian beside it is #VALUE!, never a crash."""
    wb = openpyxl.load_workbook(demo_dir / "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx")
    ws = wb["PERJANJIAN KINERJA"]
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("Maksimal"))
    cell.value = "x"
    wb.save(tmp_path / "pk.xlsx")
    found = [f for f in validate(tmp_path / "pk.xlsx").findings if f.cell == cell.coordinate]
    assert [f.rule for f in found] == ["V05"]
    assert "'x'" in found[0].message and "Maksimal — makin tinggi makin baik" in found[0].message


def test_a_data_row_without_its_derived_formulas_is_v28b_at_each_cell(demo_dir, tmp_path):
    """A row inserted with Excel's own Insert Row (not Tambah Baris) holds data but no formula in its derived
    cells: the printed capaian is empty, so each such cell is V28b 'rumus sel ini hilang', a peringatan (kinerja
    computes the cell from the row's inputs, so the file is not refused for it); rows without data and the rows
    below the table are not; Pulihkan Rumus puts the formulas back and Validasi is as before."""
    src = demo_dir / "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx"
    sd = read_workbook(src).sheets[0]
    td = sd.tables["indikator"]
    row = td.rows[7]
    wb = openpyxl.load_workbook(src)
    ws = wb[sd.name]
    derived = [a1 for c in td.table.columns if c.peran is Peran.TURUNAN
               if str(ws[a1 := get_column_letter(td.col_index[c.key]) + str(row)].value).startswith("=")]
    assert len(derived) >= 5  # the seed typed its capaian (H); the rest are the template's formulas
    for a1 in derived:
        ws[a1] = None  # what Excel's Insert Row leaves once the inputs are typed in
    blank = td.rows[-1] + 1  # the template's spare row below the data: no data, its formulas cleared too
    assert blank <= td.area_end and all(ws.cell(blank, td.col_index[k]).value is None for k in td.table.filled_by)
    for c in td.table.columns:
        if c.peran is Peran.TURUNAN:
            ws.cell(blank, td.col_index[c.key]).value = None
    wb.save(tmp_path / "sisip.xlsx")
    before = validate(src)
    assert not _by(before, "V28")
    h = validate(tmp_path / "sisip.xlsx")
    missing = _by(h, "V28b", sd.name)
    assert sorted(f.cell for f in missing) == sorted(derived) and not _by(h, "V28")
    assert all(f.severity == "peringatan" and "rumus sel ini hilang" in f.message and "Pulihkan Rumus" in f.message
               and "kinerja pulihkan" in f.message for f in missing)
    assert h.valid == before.valid and h.galat == before.galat
    assert {(f.rule, f.cell) for f in h.findings} - {(f.rule, f.cell) for f in missing} == \
        {(f.rule, f.cell) for f in before.findings}
    r = runner.invoke(app, ["pulihkan", str(tmp_path / "sisip.xlsx"), "-o", str(tmp_path / "pulih.xlsx")])
    assert r.exit_code == 0, r.output
    restored = openpyxl.load_workbook(tmp_path / "pulih.xlsx")[sd.name]
    assert all(str(restored[a1].value).startswith("=") for a1 in derived)
    assert not _by(validate(tmp_path / "pulih.xlsx"), "V28") and not _by(validate(tmp_path / "pulih.xlsx"), "V28b")


def test_an_excel_error_in_one_input_is_one_finding_naming_the_cells_it_spoils(demo_dir, tmp_path):
    """One #DIV/0! in an input of FORM A (Excel recalculated: LibreOffice here) spoils the row's total, the Total
    row and section III's Jumlah row: one V01 at the input counting the 15 cells, not 16 galat. In the Perjanjian
    Kinerja an error of its own (a capaian over a target 0) stays a finding, and a cell reading both is named by
    both causes."""
    from tests.libreoffice import recalc_many

    paket = demo_dir / PAKET
    fa = read_workbook(paket).sheets_of("form-a")[1]
    anggaran = fa.tables["anggaran"]
    rupiah = anggaran.cell_lists["c4_rupiah_rp000"][0]
    wb = openpyxl.load_workbook(paket)
    wb[fa.name][rupiah] = "=1/0"
    wb.save(tmp_path / "fa_galat.xlsx")
    pk = tmp_path / "pk_rumus.xlsx"  # the demo PK typed its capaian: its formulas back first
    assert runner.invoke(app, ["pulihkan", str(demo_dir / "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx"), "-o",
                               str(pk)]).exit_code == 0
    ind = read_workbook(pk).sheets[0].tables["indikator"]
    realisasi, target = ind.cell_lists["c7_realisasi"][7], ind.cell_lists["c6_target"][10]
    capaian = ind.cell_lists["c8_capaian_pct"]
    wb = openpyxl.load_workbook(pk)
    wb[ind.sheet][realisasi] = "=1/0"
    wb[ind.sheet][target] = 0
    wb.save(tmp_path / "pk_galat.xlsx")
    fa_base, fa_bad, pk_base, pk_bad = recalc_many(
        [paket, tmp_path / "fa_galat.xlsx", pk, tmp_path / "pk_galat.xlsx"], tmp_path / "lo")

    def errors(h):
        return {f.cell: f for f in h.findings if f.rule == "V01" and "galat Excel" in f.message}

    assert errors(validate(fa_base)) == {} and errors(validate(pk_base)) == {}
    found = errors(validate(fa_bad))
    assert list(found) == [rupiah] and found[rupiah].sheet == fa.name
    total = anggaran.cell_lists["c5_total_rp000"][0]
    assert (f"Akibatnya 15 sel terhitung yang memakainya ikut galat ({total}, "
            f"{anggaran.total['c4_rupiah_rp000'].address.rsplit('!', 1)[1]}, ") in found[rupiah].message
    found = errors(validate(pk_bad))
    assert sorted(found) == sorted([realisasi, capaian[10]])  # the capaian over target 0 has its own cause
    assert "Akibatnya 5 sel terhitung" in found[realisasi].message and capaian[7] in found[realisasi].message
    assert "Akibatnya 4 sel terhitung" in found[capaian[10]].message
    sasaran = ind.cell_lists["c9_capaian_sasaran_pct"][10]  # the sasaran mean reads both rows
    assert sasaran in found[realisasi].message and sasaran in found[capaian[10]].message


def test_a_copied_form_sheet_is_reported_not_lost(tmp_path):
    """A form sheet copied in Excel ('FORM A 6077 (2)', openpyxl's '… Copy') is not in the metadata, so kinerja
    never reads it: V39 (galat) when it holds data, V39b (peringatan) when it is an unfilled copy, on its A1."""
    clean = write(Paket(), tmp_path / "clean.xlsx", typed_derived=True)
    assert validate(clean).findings == []

    def copied(src: Path, sheet: str, name: str | None = None) -> Path:
        wb = openpyxl.load_workbook(src)
        ws = wb.copy_worksheet(wb[sheet])
        if name:
            ws.title = name
        out = tmp_path / f"{src.stem}-{name or 'copy'}.xlsx"
        wb.save(out)
        return out

    for name in (None, "FORM A 6077 (2)"):
        h = validate(copied(clean, "FORM A 6077", name))
        shown_as = name or "FORM A 6077 Copy"
        assert [(f.rule, f.severity.value, f.sheet, f.cell, f.found) for f in h.findings] == [
            ("V39", "galat", shown_as, "A1", shown_as)]
        assert not h.valid
        assert h.findings[0].message == (
            f"Lembar '{shown_as}' tampaknya salinan lembar FORM A (mis. dibuat dengan Pindahkan atau Salin di Excel) "
            "dan tidak dibaca kinerja sebagai form. Isiannya tidak divalidasi dan tidak masuk konsolidasi. Untuk "
            "kegiatan lain, buat templat yang memuat semua kegiatan (`kinerja templat --kegiatan KODE`, ulangi untuk "
            "setiap kegiatan; satu lembar 'FORM A <kode kegiatan>' per kegiatan) lalu pindahkan isinya ke sana: "
            "mengganti nama lembar ini saja tidak cukup. Bila hanya salinan cadangan, hapus lembar ini.")
    h = validate(copied(clean, "ALKI", "ALKI (2)"))  # one ALKI per file: move its data, not a new template
    assert [(f.rule, f.sheet) for f in h.findings] == [("V39", "ALKI (2)")]
    assert h.findings[0].message.endswith("Isiannya tidak divalidasi dan tidak masuk konsolidasi. Pindahkan isinya "
                                          "ke lembar 'ALKI' (satu lembar ALKI per berkas), lalu hapus lembar ini.")

    wb, _ = build_workbook(sheet_values(Paket())[0])  # the paket's template, nothing filled
    wb.save(tmp_path / "kosong.xlsx")
    unfilled = [f for f in validate(copied(tmp_path / "kosong.xlsx", "FORM A 6077", "FORM A 6077 (2)")).findings
                if f.sheet == "FORM A 6077 (2)"]
    assert [(f.rule, f.severity.value, f.cell) for f in unfilled] == [("V39b", "peringatan", "A1")]
    assert "Bila hanya salinan cadangan, hapus lembar ini." in unfilled[0].message


def test_a_copied_form_sheet_saved_by_libreoffice_is_still_reported(tmp_path):
    """The copy survives a LibreOffice save (its defined names and styles rewritten): still V39 on its A1."""
    from tests.libreoffice import recalc, soffice

    if soffice() is None:
        pytest.skip("LibreOffice tidak terpasang")
    wb = openpyxl.load_workbook(write(Paket(), tmp_path / "a.xlsx", typed_derived=True))
    wb.copy_worksheet(wb["FORM A 6042"]).title = "FORM A 6042 (2)"
    wb.save(tmp_path / "copied.xlsx")
    h = validate(recalc(tmp_path / "copied.xlsx", tmp_path / "lo"))
    assert [(f.rule, f.sheet, f.cell) for f in h.findings if f.rule.startswith("V39")] == [
        ("V39", "FORM A 6042 (2)", "A1")]
