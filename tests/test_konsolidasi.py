"""Issue 5: a folder of submissions → FORM B and the rollup, with a trail for every number."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.cli import app
from macros.konsolidasi import consolidate, ledger_path
from macros.konsolidasi.collect import Kiriman
from macros.konsolidasi.deadline import Kalender, deadline, working_days_after
from macros.konsolidasi.extract import bagian, identitas
from macros.konsolidasi.rollup import form_b, output_rows
from macros.konsolidasi.trail import CACAH, JUMLAH, ROLLUP, SALIN, TERTIMBANG
from macros.validation import validate
from tests.conftest import num, seed_rows
from tests.libreoffice import recalc
from tests.synth import Output, Paket, write
from workbooks.builder import SheetValues, Typed, build_workbook
from workbooks.compute import derive
from workbooks.meta import Meta
from workbooks.reader import _error_cells, read_workbook
from workbooks.units import DaftarTidakSah, Unit, load_units

RUN = dt.datetime(2023, 7, 20, 9, 0)
DL = "11.01.DL. Program Pendidikan dan Pelatihan Vokasi"
PCT_KEYS = ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct", "c11_output_R_pct")
SEED_B = "000_form_b_DL_program_pendidikan_pelatihan_vokasi.csv"
runner = CliRunner()


# --- helpers ---------------------------------------------------------------------------------

def _effective(path: Path) -> dict[str, object]:
    """Sheet name → effective-value view (typed, else computed) of a workbook read like any submission."""
    return {s.name: derive(s)[0] for s in read_workbook(path).sheets}


def _cell(view, cell: str):
    """The effective value at ``cell`` (data row, total row or field) of a sheet view."""
    for tkey, td in view.data.tables.items():
        for key, cells in td.cell_lists.items():
            if cell in cells:
                return view.value(tkey, cells.index(cell), key)
        for key, cv in (td.total or {}).items():
            if cv.cell == cell:
                return view.value(tkey, None, key)
    for key, cv in view.data.fields.items():
        if cv.cell == cell:
            return view.value(None, None, key)
    raise AssertionError(f"{view.data.name}!{cell} is not a cell of the form")


def _form_b_sheet(path: Path, title: str):
    return next(s for s in read_workbook(path).sheets if s.name == title)


def _split(total: int, target: float, spread: float) -> list[tuple[int, float]]:
    """Two (pagu, pct) parts whose pagu-weighted mean is ``target`` but whose plain mean is not."""
    p1 = total // 3
    p2 = total - p1
    return [(p1, target + spread), (p2, target - spread * p1 / p2)]


def _bpsdmi_folder(folder: Path) -> Path:
    """FORM A submissions of BPSDMI satkers whose output rows carry the FORM B DL kegiatan figures
    (000:L896-898): 4957 split over two satkers and 4959 over two outputs, with different percentages."""
    folder.mkdir(parents=True, exist_ok=True)
    satkers = iter(["579337", "579357", "579336", "526160"])
    for r in (r for r in seed_rows(SEED_B) if r["c1_kode_kegiatan"]):
        kode, pagu = r["c1_kode_kegiatan"], int(r["c5_total_rp000"])
        pct = [num(r[k]) for k in ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct",
                                   "c11_output_R_pct")]
        splits = [_split(pagu, p, 4.0) for p in pct]
        parts = [(splits[0][j][0], tuple(s[j][1] for s in splits)) for j in range(2)]  # (pagu, 4 × pct)
        groups = {"4957": [[parts[0]], [parts[1]]], "4959": [parts]}.get(kode, [[(pagu, tuple(pct))]])
        for g in groups:
            satker = next(satkers)
            outs = [Output(kro, p, (0.0, 0.0, 0.0, 0.0), x) for kro, (p, x) in zip(("BDB", "DCH"), g)]
            write(Paket(satker=satker, nama=f"Satker {satker}", eselon1="BPSDMI", lokasi="DKI JAKARTA",
                        kegiatan={kode: outs}, program={kode: DL}, waktu_kirim="2023-07-05T09:00:00"),
                  folder / f"{satker}_{kode}.xlsx")
    return folder


# --- FORM B reproduces the seeds --------------------------------------------------------------

@pytest.fixture(scope="module")
def bpsdmi(tmp_path_factory):
    d = tmp_path_factory.mktemp("bpsdmi")
    folder = _bpsdmi_folder(d / "kiriman")
    return folder, consolidate(folder, d / "rollup.xlsx", units=None, waktu=RUN)


def test_consolidating_bpsdmi_kegiatan_reproduces_the_seed_form_b_dl(bpsdmi):
    folder, h = bpsdmi
    assert len(h.dipakai) == 4 and not [k for k in h.kiriman if k.status != "dipakai"]
    # read the written FORM B back like any form; its Jumlah cells are formulas (no cached value) → derive
    sheet = _form_b_sheet(h.out, "FORM B BPSDMI DL")
    view, _ = derive(sheet)
    td = sheet.tables["kegiatan"]
    assert [view.value("kegiatan", i, "c1_kode_kegiatan") for i in range(3)] == ["4957", "4958", "4959"]
    assert [view.value("kegiatan", i, "c5_total_rp000") for i in range(3)] == [223400790, 129046517, 140617324]
    seed = [r for r in seed_rows(SEED_B) if r["c1_kode_kegiatan"]]
    for i, r in enumerate(seed):  # kegiatan rows: the satkers' outputs weighted by pagu give back the seed row
        for key, seed_key in zip(PCT_KEYS, ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct",
                                            "c11_output_R_pct")):
            assert view.value("kegiatan", i, key) == pytest.approx(num(r[seed_key]), abs=1e-9)
    total = {k: view.value("kegiatan", None, k) for k in td.total}
    assert total["c5_total_rp000"] == 493064631
    assert total["c6_penyerapan_S_pct"] == pytest.approx(28.12, abs=0.005)
    assert total["c7_penyerapan_R_pct"] == pytest.approx(24.77, abs=0.005)
    assert total["c10_output_S_pct"] == pytest.approx(41.72, abs=0.01)  # 41,7260 printed 41,72 (DOMAIN R3)
    assert total["c11_output_R_pct"] == pytest.approx(38.88, abs=0.005)
    assert sheet.fields["nomor_dipa"].value.count("SP DIPA-") == 4
    # the Ringkasan repeats the program line and the Eselon I line (one program: the same figures)
    ws = openpyxl.load_workbook(h.out)["Ringkasan"]
    es = next(r for r in ws.iter_rows(min_row=8, values_only=True) if r[0] == "BPSDMI")
    assert es[2] == 493064631 and es[4] == pytest.approx(24.7657, abs=1e-4)


def test_rollup_form_b_is_a_valid_form_b(bpsdmi, tmp_path):
    _, h = bpsdmi
    # validasi refuses a rollup as a submission (its metadata says so); its FORM B sheet, on its own, is valid
    wb = openpyxl.load_workbook(h.out)
    del wb["_kinerja"]
    wb.save(tmp_path / "form_b.xlsx")
    result = validate(tmp_path / "form_b.xlsx")
    assert result.galat == 0, [f.message for f in result.findings]


def test_bspji_package_rolls_into_form_b_rows_matching_its_form_a(demo_dir):
    """The seed package (BSPJI Manado) through the FORM B rule, the gate aside (it has real galat)."""
    path = demo_dir / "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"
    data = read_workbook(path)
    k = Kiriman(path, path.name, "", RUN, identitas(data), bagian(data, path.name))
    for b in k.bagian:
        b.dipakai = True
    forms = {fb.program: fb for fb in form_b(output_rows([k], load_units()))}
    assert set(forms) == {"EC", "WA"} and forms["EC"].eselon1 == "BSKJI"
    ec, wa = forms["EC"].rows[0], forms["WA"].rows[0]
    assert (ec.kode, wa.kode) == ("6077", "6042")
    assert ec.total.value == 936441 and wa.total.value == 11270632  # FORM A section II totals
    # 6042 against the printed section III (fixture): Σ pagu × pct / Σ pagu over its outputs
    pagu = {r["c1_output_kode"]: int(r["c5_total_rp000"]) for r in seed_rows("003_form_a_sec2_anggaran_output.csv")
            if r["kegiatan"] == "6042" and r["c1_output_kode"]}
    rows = [r for r in seed_rows("003_form_a_sec3_target_realisasi_output.csv") if r["kegiatan"] == "6042"
            and r["c1_output_kode"]]
    for p, key in zip(("pen_s", "pen_r", "out_s", "out_r"), ("c10_sd_keu_S", "c11_sd_keu_R", "c12_sd_fis_S",
                                                              "c13_sd_fis_R")):
        want = sum(pagu[r["c1_output_kode"]] * (num(r[key]) or 0) for r in rows) / sum(pagu.values())
        assert wa.pct[p].value == pytest.approx(want, abs=0.01)
    # not the FORM A Jumlah 41,18, which is divided by the satker pagu (DOMAIN §3.2: × 12.207.073 / 11.270.632)
    assert wa.pct["pen_r"].value == pytest.approx(44.5986, abs=1e-4)
    assert wa.pct["pen_r"].value == pytest.approx(41.18 * 12207073 / 11270632, abs=0.01)
    # 6077 against the package's own section III as it stands (the seed's shifted AEF row included)
    view = _effective(path)["FORM A 6077"]
    n = len(view.data.tables["realisasi"].rows)
    w = [view.value("anggaran", i, "c5_total_rp000") for i in range(n)]
    for p, key in zip(("pen_s", "pen_r", "out_s", "out_r"), ("c10_sd_keu_S", "c11_sd_keu_R", "c12_sd_fis_S",
                                                              "c13_sd_fis_R")):
        vals = [view.value("realisasi", i, key) for i in range(n)]
        assert ec.pct[p].value == pytest.approx(sum(a * (b or 0) for a, b in zip(w, vals)) / sum(w), abs=1e-9)
    assert ec.narasi.startswith("Sosialisasi dan Diseminasi; Pelayanan Publik kepada industri")
    assert ec.lokasi == "SULAWESI UTARA"


def test_an_eselon_i_form_b_counts_only_where_no_satker_form_a_covers_the_program(tmp_path, bpsdmi):
    rows = [r for r in seed_rows(SEED_B) if r["c1_kode_kegiatan"]]
    values = SheetValues(
        fields={"unit_organisasi": "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA INDUSTRI",
                "nomor_dipa": "SP DIPA-019.10.2.579337/2023", "program": "DL. Program Pendidikan dan Pelatihan Vokasi",
                "ttd_jabatan": "Kepala BPSDMI", "ttd_nama": "Masrokhan"},
        tables={"kegiatan": [{"c1_kode_kegiatan": r["c1_kode_kegiatan"], "c1_nama_kegiatan": r["c1_nama_kegiatan"],
                              "c4_rm_rp000": int(r["c4_rm_rp000"]), "c9_output_satuan": "1 Lembaga",
                              **{k: num(r[k]) for k in PCT_KEYS}} for r in rows]})
    meta = Meta(form="form-b", versi="", eselon1="BPSDMI", satker_nama="BPSDMI", tahun=2023, triwulan=2,
                waktu_kirim="2023-07-12T10:00:00", dibuat="2023-07-12T09:00:00")
    alone = tmp_path / "eselon1"
    alone.mkdir()
    build_workbook(meta, {"FORM B": values})[0].save(alone / "BPSDMI_form-b_DL.xlsx")
    h = consolidate(alone, tmp_path / "a.xlsx", waktu=RUN)
    assert h.kiriman[0].status == "dipakai"
    ringkasan = h.rollup.eselon[0]
    assert (ringkasan.eselon1, ringkasan.pagu.value) == ("BPSDMI", 493064631)
    assert ringkasan.pct["pen_s"].value == pytest.approx(28.1207, abs=1e-4)
    assert next(s for s in h.status if s.unit.kode == "BPSDMI").batas == dt.date(2023, 7, 14)  # FORM B: 10 days
    # with the satkers' FORM A for the same program, the Eselon I's own FORM B is not counted again
    both = tmp_path / "both"
    shutil.copytree(bpsdmi[0], both)
    shutil.copy(alone / "BPSDMI_form-b_DL.xlsx", both)
    h2 = consolidate(both, tmp_path / "b.xlsx", waktu=RUN)
    assert h2.rollup.eselon[0].pagu.value == 493064631
    own = next(k for k in h2.kiriman if k.form == "form-b")
    assert own.status == "tidak dipakai" and "sudah dihitung dari FORM A satker" in own.alasan


# --- gate, duplicates, missing and late units ------------------------------------------------------

OUTS = {"6077": [Output("AEF", 48488, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """Satkers 900001–900006 expected: one valid, one with a galat, one sent twice, one late, one without
    metadata; 900005 sends nothing. Plus a lock file, a non-Excel file and a report of another quarter."""
    d = tmp_path_factory.mktemp("kiriman")
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "a.xlsx")
    write(Paket(satker="900002", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "b_galat.xlsx",
          mutate=lambda v: v["PENGUKURAN"].tables["indikator"][0].update(c12_capaian_pct=Typed(150.0)))
    bigger = {"6077": [Output("AEF", 999999, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
    write(Paket(satker="900003", kegiatan=bigger, waktu_kirim="2023-07-03T09:00:00"), d / "c_lama.xlsx")
    (d / "sub").mkdir()
    write(Paket(satker="900003", kegiatan=OUTS, waktu_kirim="2023-07-06T09:00:00"), d / "sub" / "c_baru.xlsx")
    write(Paket(satker="900004", kegiatan=OUTS, waktu_kirim="2023-07-11T10:00:00"), d / "d_telat.xlsx")
    write(Paket(satker="900001", triwulan=1, kegiatan=OUTS, waktu_kirim="2023-04-05T09:00:00"), d / "a_tw1.xlsx")
    # a FORM A package without the metadata sheet: recognised by its numbered column rows
    plain = write(Paket(satker="900006", kegiatan=OUTS), d / "f_tanpa_meta.xlsx")
    wb = openpyxl.load_workbook(plain)
    del wb["_kinerja"]
    wb.save(plain)
    os.utime(plain, (dt.datetime(2023, 7, 5, 8).timestamp(),) * 2)
    (d / "~$a.xlsx").write_bytes(b"lock")
    (d / "catatan.xlsx").write_bytes(b"bukan excel")
    units = d.parent / "unit.csv"
    units.write_text("kode_satker,nama,eselon1,provinsi\n" + "".join(
        f"90000{i},Balai {i},BSKJI,SULAWESI UTARA\n" for i in range(1, 7)), encoding="utf-8")
    return d, units


@pytest.fixture(scope="module")
def scene_rollup(scene, tmp_path_factory):
    d, units = scene
    return consolidate(d, tmp_path_factory.mktemp("out") / "rollup.xlsx", units=units, tahun=2023, triwulan=2,
                       waktu=RUN)


def _files(h):
    return {k.rel: k for k in h.kiriman}


def test_rejected_submission_stays_out_of_every_total_and_is_listed(scene_rollup):
    h = scene_rollup
    st = _files(h)
    assert st["b_galat.xlsx"].status == "ditolak" and st["b_galat.xlsx"].galat == 1
    # 4 valid satkers × 48.488 (the galat one and the superseded 999.999 are out)
    assert h.forms_b[0].jumlah["total"].value == 4 * 48488
    assert [r.units for r in h.forms_b[0].rows] == [["900001", "900003", "900004", "900006"]]
    assert h.rollup.p3dn == [] and len(h.rollup.capaian) == 4  # its indicators are out too
    wb = openpyxl.load_workbook(h.out)
    kiriman = {r[0]: r for r in wb["Kiriman"].iter_rows(min_row=5, values_only=True)}
    assert kiriman["b_galat.xlsx"][7] == "ditolak" and kiriman["b_galat.xlsx"][9] == 1
    temuan = [r for r in wb["Temuan"].iter_rows(min_row=5, values_only=True) if r[0] == "b_galat.xlsx"]
    assert [(r[2], r[3], r[4], r[5]) for r in temuan] == [("V11", "galat", "PENGUKURAN", "M10")]
    assert "~$a.xlsx" not in kiriman and kiriman["catatan.xlsx"][7] == "bukan form"
    assert kiriman["a_tw1.xlsx"][7] == "periode lain"


def test_a_form_without_metadata_is_recognised_and_counted(scene_rollup):
    k = _files(scene_rollup)["f_tanpa_meta.xlsx"]
    assert k.status == "dipakai" and not k.ident.dari_meta
    assert (k.unit, k.ident.tahun, k.ident.triwulan, k.ident.eselon1) == ("900006", 2023, 2, "BSKJI")
    # no "Siapkan Kiriman" stamp and a first run of the ledger: the arrival time is unknown (its file date,
    # 5 Jul 2023, is never trusted), so its unit is neither late nor on time
    assert k.waktu_kirim is None and k.sumber_waktu == "tidak diketahui"
    st = next(s for s in scene_rollup.status if s.unit.kode == "900006")
    assert st.terlambat is None and st.waktu is None


def test_duplicate_resolves_to_the_newest(scene_rollup):
    st = _files(scene_rollup)
    assert st["sub/c_baru.xlsx"].status == "dipakai"
    assert st["c_lama.xlsx"].status == "duplikat" and "sub/c_baru.xlsx" in st["c_lama.xlsx"].alasan


def test_a_duplicate_says_how_the_newest_was_decided(tmp_path):
    """The same file twice is a copy, not an older file; equal times are ordered by name, and times a minute
    apart by seconds only are shown with the seconds."""
    folder = tmp_path / "in"
    folder.mkdir()
    stamp = "2023-07-12T10:00:00+07:00"
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim=stamp), folder / "a.xlsx")
    shutil.copy(folder / "a.xlsx", folder / "a (1).xlsx")
    bigger = {"6077": [Output("AEF", 999999, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
    write(Paket(satker="900002", kegiatan=OUTS, waktu_kirim=stamp), folder / "b.xlsx")
    write(Paket(satker="900002", kegiatan=bigger, waktu_kirim=stamp), folder / "b_lain.xlsx")
    write(Paket(satker="900003", kegiatan=OUTS, waktu_kirim="2023-07-12T10:00:05+07:00"), folder / "c1.xlsx")
    write(Paket(satker="900003", kegiatan=bigger, waktu_kirim="2023-07-12T10:00:30+07:00"), folder / "c2.xlsx")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    st = _files(h)
    assert (st["a.xlsx"].status, st["a (1).xlsx"].status) == ("dipakai", "duplikat")
    assert st["a (1).xlsx"].alasan == "salinan identik dari a.xlsx; tidak dihitung dua kali"
    sheets = "FORM A 6077, ALKI, PENGUKURAN, P3DN, SKM"
    assert (st["b_lain.xlsx"].status, st["b.xlsx"].status) == ("dipakai", "duplikat")
    assert st["b.xlsx"].alasan == (f"lembar {sheets} digantikan oleh b_lain.xlsx: waktu kirim keduanya sama "
                                   "(12-07-2023 10:00 WIB), jadi yang dipakai berkas yang namanya terakhir menurut "
                                   "urutan nama")
    assert st["c1.xlsx"].alasan == (f"lembar {sheets} digantikan oleh c2.xlsx yang lebih baru "
                                    "(12-07-2023 10:00:30 WIB > 12-07-2023 10:00:05 WIB)")
    assert [fb.jumlah["total"].value for fb in h.forms_b] == [48488 + 2 * 999999]

def test_every_other_file_is_listed_as_not_a_form_but_lock_and_system_files(tmp_path):
    """A CSV, PDF or Word file sent instead of the form is listed (never opened: no hash), so the verifier
    sees who did not send the .xlsx; lock files and the OS's own files are not."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), folder / "a.xlsx")
    (folder / "sub" / "laporan_900002.csv").write_text("kode,pagu\n6077,48488\n", encoding="utf-8")
    (folder / "Laporan TW II.PDF").write_bytes(b"%PDF-1.4")
    (folder / "surat.docx").write_bytes(b"PK\x03\x04")
    (folder / "LAPORAN").write_bytes(b"tanpa akhiran")
    for name in ("~$a.xlsx", ".~lock.a.xlsx#", "Thumbs.db", ".DS_Store", "desktop.ini", "sub/THUMBS.DB"):
        (folder / name).write_bytes(b"x")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    listed = {r[0]: (r[7], r[8], r[11]) for r in
              openpyxl.load_workbook(h.out)["Kiriman"].iter_rows(min_row=5, values_only=True) if r[0]}
    advice = "bukan form kinerja (tidak dibaca) — kirim laporan dalam form .xlsx dari templat kinerja"
    assert listed == {
        "a.xlsx": ("dipakai", None, _files(h)["a.xlsx"].sha256),
        "sub/laporan_900002.csv": ("bukan form", f"berkas .csv {advice}", None),
        "Laporan TW II.PDF": ("bukan form", f"berkas .pdf {advice}", None),
        "surat.docx": ("bukan form", f"berkas .docx {advice}", None),
        "LAPORAN": ("bukan form", f"berkas tanpa akhiran nama {advice}", None)}
    assert h.forms_b[0].jumlah["total"].value == 48488

def test_an_empty_file_cannot_be_read_and_no_reason_repeats_the_name(tmp_path):
    """A zero-byte file (an attachment that failed) is 'tidak dapat dibaca'; the reasons do not open with the
    file's name, which the Berkas column and the console line already show."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), folder / "a.xlsx")
    (folder / "kosong.xlsx").write_bytes(b"")
    (folder / "sub" / "catatan.xlsx").write_bytes(b"bukan excel")
    out = tmp_path / "out" / "rollup.xlsx"
    r = CliRunner().invoke(app, ["konsolidasi", str(folder), "-o", str(out), "--waktu", "2023-07-20T09:00"])
    assert r.exit_code == 0, r.output
    listed = {r[0]: (r[7], r[8], r[11]) for r in
              openpyxl.load_workbook(out)["Kiriman"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert listed["kosong.xlsx"] == ("tidak dapat dibaca",
                                     "berkas kosong (0 byte): pengiriman mungkin gagal — minta satker mengirim ulang",
                                     None)
    assert listed["sub/catatan.xlsx"][0] == "bukan form"
    assert listed["sub/catatan.xlsx"][1].startswith("bukan berkas Excel (.xlsx/.xlsm) yang dapat dibaca")
    text = "".join(r.output.split())
    assert "tidakdapatdibacakosong.xlsx:berkaskosong(0byte)" in text and "kosong.xlsx:kosong.xlsx" not in text
    assert "bukanformsub/catatan.xlsx:bukanberkasExcel" in text

def test_a_form_a_sent_again_replaces_that_sheet_of_the_package_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(Paket(satker="900001", waktu_kirim="2023-07-04T09:00:00"), folder / "paket.xlsx")  # 6077 + 6042
    fix = {"6077": [Output("AEF", 50000, (10.0, 10.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0)),
                    Output("BAD", 548888, (17.95, 18.63, 18.89, 19.0), (8.56, 9.01, 8.96, 9.0))]}
    write(Paket(satker="900001", kegiatan=fix, waktu_kirim="2023-07-05T09:00:00"), folder / "perbaikan.xlsx")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    st = _files(h)
    assert st["perbaikan.xlsx"].status == "dipakai"
    assert st["paket.xlsx"].status == "dipakai sebagian" and "FORM A 6077" in st["paket.xlsx"].alasan
    pagu = {fb.program: fb.jumlah["total"].value for fb in h.forms_b}
    assert pagu == {"EC": 50000 + 548888, "WA": 10725706}  # 6077 once (the newer), 6042 from the package


def test_a_newer_rejected_submission_replaces_the_older_valid_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-03T09:00:00"), folder / "lama.xlsx")
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), folder / "baru.xlsx",
          mutate=lambda v: v["PENGUKURAN"].tables["indikator"][0].update(c12_capaian_pct=Typed(150.0)))
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    st = _files(h)
    assert st["baru.xlsx"].status == "ditolak" and st["lama.xlsx"].status == "duplikat"
    assert "berkas itu ditolak" in st["lama.xlsx"].alasan
    assert h.forms_b == [] and h.status[0].validasi == "ditolak"


def test_a_newer_file_relabelled_as_another_satker_does_not_displace_its_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-03T09:00:00"), folder / "asli.xlsx")

    def relabel(v):
        for sv in v.values():
            if "unit_organisasi" in sv.fields:
                sv.fields["unit_organisasi"] = "(900002) BBSPJI AGRO"

    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-05T09:00:00"), folder / "palsu.xlsx",
          mutate=relabel)
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    st = _files(h)
    assert st["palsu.xlsx"].status == "ditolak" and "V27" in st["palsu.xlsx"].alasan
    assert st["asli.xlsx"].status == "dipakai"
    assert h.forms_b and h.status[0].validasi == "valid"


def test_missing_and_late_units(scene_rollup):
    status = {s.unit.kode: s for s in scene_rollup.status}
    assert not status["900005"].diterima and status["900005"].keterangan == "belum mengirim laporan triwulan"
    assert status["900004"].terlambat is True and status["900004"].hari_ke == 7  # 11 Jul 2023
    assert status["900001"].terlambat is False and status["900002"].validasi == "ditolak"
    ws = openpyxl.load_workbook(scene_rollup.out)["Status Pengiriman"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[0]}
    assert rows["900005"][5:9] == ("tidak", None, None, "tidak ada")
    assert rows["900004"][5:9] == ("ya", "valid", "terlambat", "valid, terlambat")
    assert rows["900002"][8] == "ditolak"
    ring = openpyxl.load_workbook(scene_rollup.out)["Ringkasan"]
    bskji = next(r for r in ring.iter_rows(min_row=8, values_only=True) if r[0] == "BSKJI")
    assert bskji[7:11] == (6, 5, 4, 1)  # diharapkan, diterima, valid, terlambat


def test_deadline_in_working_days_with_indonesian_holidays():
    # TW II 2023 ends Fri 30 Jun; 5 working days → Fri 7 Jul (FORM A), 10 → Fri 14 Jul (FORM B)
    assert deadline("form-a", 2023, 2) == dt.date(2023, 7, 7)
    assert deadline("form-b", 2023, 2) == dt.date(2023, 7, 14)
    # the seed satker replied on 11 Jul 2023 (003:L5): its 7th working day, late
    assert working_days_after(2023, 2, dt.date(2023, 7, 11)) == 7
    assert dt.date(2023, 7, 11) > deadline("form-a", 2023, 2)
    # TW I 2024 ends Sun 31 Mar; Idulfitri 10–11 Apr falls inside FORM B's 10 working days
    assert deadline("form-b", 2024, 1) == dt.date(2024, 4, 16)
    # cuti bersama: extra dates, or the SKB list of the holidays package (8, 9, 12, 15 Apr 2024)
    assert deadline("form-a", 2023, 2, [dt.date(2023, 7, 3)]) == dt.date(2023, 7, 10)
    assert Kalender(cuti_bersama_skb=True).deadline("form-b", 2024, 1) == dt.date(2024, 4, 22)
    # TW III 2023 ends Sat 30 Sep; 1 Oct is Sunday
    assert deadline("form-a", 2023, 3) == dt.date(2023, 10, 6)


def test_p3dn_and_indeks_kepuasan_totals_pool_the_units(tmp_path):
    a = Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00", skm=[[4] * 9, [4] * 9],
              p3dn=[("521211", 100_000_000, 80_000_000, 10_000_000)])
    b = Paket(satker="900002", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00", skm=[[2] * 9],
              p3dn=[("521211", 400_000_000, 40_000_000, 0), ("532111", 500_000_000, 50_000_000, 0)])
    folder = tmp_path / "in"
    folder.mkdir()
    write(a, folder / "a.xlsx")
    write(b, folder / "b.xlsx")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    p3 = {p.unit.kode: p.pct.value for p in h.rollup.p3dn}
    assert p3 == {"900001": pytest.approx(90.0), "900002": pytest.approx(10.0)}
    total = h.rollup.p3dn_total
    assert (total.pagu.value, total.realisasi.value) == (1_000_000_000, 180_000_000)
    assert total.pct.value == pytest.approx(18.0)  # Σ realisasi / Σ pagu, not the mean of 90 and 10
    ikm = {s.unit.kode: s.indeks.value for s in h.rollup.survei}
    assert ikm == {"900001": pytest.approx(4.0), "900002": pytest.approx(2.0)}
    pooled = h.rollup.survei_total[0]
    assert pooled.kuesioner == 3 and pooled.indeks.value == pytest.approx(10 / 3)  # all answers, not (4 + 2) / 2
    assert pooled.konversi.value == pytest.approx(250 / 3) and pooled.mutu.startswith("B")
    ws = openpyxl.load_workbook(h.out)["Indeks Kepuasan Masyarakat"]
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "Indeks Kepuasan Masyarakat" in texts and " IKM" not in f" {texts}".replace("(IKM)", "")


def test_an_earlier_rollup_in_the_folder_is_not_counted_again(scene_rollup, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), folder / "a.xlsx")
    shutil.copy(scene_rollup.out, folder / "rollup-lama.xlsx")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    assert _files(h)["rollup-lama.xlsx"].status == "hasil konsolidasi"
    assert h.forms_b[0].jumlah["total"].value == 48488


# --- Jejak Data: every number traceable to real cells ----------------------------------------------

def _recompute(rule: str, entries: list[tuple]) -> float:
    vals = [e[8] for e in entries]
    if rule == SALIN:
        assert len(vals) == 1
        return vals[0]
    if rule == JUMLAH:
        return sum(v or 0 for v in vals)
    if rule == CACAH:
        return len(vals)
    if rule == TERTIMBANG:  # each row: a value and its pagu (Sel bobot, Bobot)
        return sum((e[8] or 0) * (e[10] or 0) for e in entries) / sum(e[10] or 0 for e in entries)
    raise AssertionError(rule)


class _Cells:
    """The value a cell really holds: the rollup's FORM B through the reader (formulas computed), its
    other sheets through openpyxl, the submissions through the reader."""

    def __init__(self, rollup: Path, folder: Path):
        self.wb = openpyxl.load_workbook(rollup)
        self.forms = _effective(rollup)
        self.folder = folder
        self.views: dict[str, dict] = {}

    def value(self, file: str, sheet: str, cell: str):
        if file == ROLLUP:
            return _cell(self.forms[sheet], cell) if sheet in self.forms else self.wb[sheet][cell].value
        if file not in self.views:
            self.views[file] = _effective(self.folder / file)
        return _cell(self.views[file][sheet], cell)


def _trail(h, folder: Path) -> tuple[dict, _Cells]:
    wb = openpyxl.load_workbook(h.out)
    trail: dict[tuple[str, str], list[tuple]] = {}
    for r in wb["Jejak Data"].iter_rows(min_row=2, values_only=True):
        trail.setdefault((r[0], r[1]), []).append(r)
    return trail, _Cells(h.out, folder)


def _follow(trail, cells: _Cells, sheet: str, coord: str, value, leaves: set) -> None:
    """Check one rollup cell: its trail recomputes its value, each source cell holds the value listed,
    and sources inside the rollup are followed down to the submissions."""
    entries = trail.get((sheet, coord))
    assert entries, f"{sheet}!{coord} has no Jejak Data entry"
    assert all(e[2] == pytest.approx(value) for e in entries)
    assert _recompute(entries[0][3], entries) == pytest.approx(value), (sheet, coord)
    for e in entries:
        file, src_sheet, src_cell, src_value = e[5:9]
        sources = [(src_sheet, src_cell, src_value)] + ([(src_sheet, e[9], e[10])] if len(e) > 9 and e[9] else [])
        for s_sheet, s_cell, s_value in sources:
            held = cells.value(file, s_sheet, s_cell)
            assert held == pytest.approx(s_value) if isinstance(s_value, float) else held == s_value, e
            if file == ROLLUP and (s_sheet, s_cell) in trail:
                _follow(trail, cells, s_sheet, s_cell, s_value, leaves)
            else:
                leaves.add((file, s_sheet, s_cell))


def test_every_ringkasan_number_has_a_trail_to_real_cells(scene_rollup, scene):
    trail, cells = _trail(scene_rollup, scene[0])
    ws = openpyxl.load_workbook(scene_rollup.out)["Ringkasan"]
    checked, leaves = 0, set()
    for row in ws.iter_rows(min_row=5):
        for c in row:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                _follow(trail, cells, "Ringkasan", c.coordinate, c.value, leaves)
                assert c.comment is not None and "Jejak Data" in c.comment.text
                checked += 1
    assert checked >= 20
    submitted = {f for f, _, _ in leaves if f != ROLLUP}
    assert submitted == {"a.xlsx", "sub/c_baru.xlsx", "d_telat.xlsx", "f_tanpa_meta.xlsx"}
    assert ("a.xlsx", "FORM A 6077", "G22") in leaves  # FORM A II c5 (pagu) of the first output


def test_form_b_cells_carry_comments_and_trails(bpsdmi):
    folder, h = bpsdmi
    trail, cells = _trail(h, folder)
    ws = openpyxl.load_workbook(h.out)["FORM B BPSDMI DL"]
    sheet = _form_b_sheet(h.out, "FORM B BPSDMI DL")
    leaves: set = set()
    for key in ("c5_total_rp000", *PCT_KEYS):
        coord = sheet.tables["kegiatan"].total[key].cell
        _follow(trail, cells, ws.title, coord, _cell(derive(sheet)[0], coord), leaves)
        assert "Jejak Data baris" in ws[coord].comment.text
    assert {f for f, _, _ in leaves} == {p.name for p in folder.glob("*.xlsx")}


# --- determinism, ledger, safety --------------------------------------------------------------------

def test_same_inputs_give_byte_identical_rollups(scene, tmp_path):
    d, units = scene
    a = consolidate(d, tmp_path / "a" / "rollup.xlsx", units=units, waktu=RUN).out.read_bytes()
    b = consolidate(d, tmp_path / "b" / "rollup.xlsx", units=units, waktu=RUN).out.read_bytes()
    assert a == b
    c = consolidate(d, tmp_path / "c" / "rollup.xlsx", units=units, waktu=RUN + dt.timedelta(days=1))
    assert c.out.read_bytes() != a  # only the run timestamp differs


def test_ledger_reports_new_changed_moved_and_withdrawn(scene, tmp_path):
    d, units = scene
    work = tmp_path / "in"
    shutil.copytree(d, work)
    out = tmp_path / "rollup.xlsx"
    first = consolidate(work, out, units=units, waktu=RUN)
    assert first.changes.pertama and len(first.changes.baru) == len(first.kiriman) == 8
    assert ledger_path(out) == tmp_path / "rollup.ledger.sqlite" and ledger_path(out).exists()
    (work / "a.xlsx").unlink()
    write(Paket(satker="900005", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), work / "e.xlsx")
    with open(work / "d_telat.xlsx", "ab") as fh:
        fh.write(b"\0")  # the same name, other bytes
    (work / "b_galat.xlsx").rename(work / "b_galat_v1.xlsx")
    again = consolidate(work, out, units=units, waktu=RUN + dt.timedelta(hours=1))
    ch = again.changes
    assert (ch.baru, ch.berubah, ch.ditarik) == (["e.xlsx"], ["d_telat.xlsx"], ["a.xlsx"])
    assert ch.dipindah == [("b_galat.xlsx", "b_galat_v1.xlsx")] and not ch.pertama
    import sqlite3

    with sqlite3.connect(ledger_path(out)) as con:
        assert con.execute("SELECT COUNT(*) FROM run").fetchone()[0] == 2
        row = con.execute("SELECT unit, form, tahun, triwulan, status, galat FROM kiriman WHERE run = 2 AND "
                          "berkas = 'b_galat_v1.xlsx'").fetchone()
    assert row == ("900002", "paket-triwulan", 2023, 2, "ditolak", 1)


def test_inputs_are_never_modified_and_a_failed_write_keeps_the_old_rollup(scene, tmp_path, monkeypatch):
    d, units = scene
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in d.rglob("*.xlsx")}
    out = tmp_path / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=RUN)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in d.rglob("*.xlsx")} == before
    good = out.read_bytes()

    def crash(*a, **k):  # the temporary file is written, the rename never happens
        raise OSError("listrik padam")

    monkeypatch.setattr("macros.files.os.replace", crash)
    with pytest.raises(OSError):
        consolidate(d, out, units=units, waktu=RUN + dt.timedelta(hours=1))
    assert out.read_bytes() == good and not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_two_runs_on_the_same_rollup_are_serialised(scene, tmp_path):
    d, units = scene
    out = tmp_path / "rollup.xlsx"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from filelock import FileLock\n"
        f"with FileLock({str(out) + '.lock'!r}):\n"
        "    print('ok', flush=True); time.sleep(3)")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ok"
    started = time.monotonic()
    done: list[float] = []
    t = threading.Thread(target=lambda: (consolidate(d, out, units=units, waktu=RUN, workers=1),
                                         done.append(time.monotonic() - started)))
    t.start()
    time.sleep(1.0)
    assert not done and not out.exists()  # waiting for the other run
    holder.wait()
    t.join(60)
    assert done and done[0] >= 2.0 and out.exists()


# --- the command line and the demo ------------------------------------------------------------------

def test_cli_konsolidasi(scene, tmp_path):
    d, units = scene
    out = tmp_path / "rollup.xlsx"
    args = ["konsolidasi", str(d), "-o", str(out), "--unit", str(units), "--waktu", "2023-07-20T09:00",
            "--cuti-bersama", "2023-07-03"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "Rollup ditulis" in r.output and "Konsolidasi pertama" in r.output and "ditolak b_galat.xlsx" in r.output
    again = runner.invoke(app, args)
    assert "tidak ada perubahan berkas" in again.output
    ws = openpyxl.load_workbook(out)["Status Pengiriman"]
    assert "1 hari cuti bersama" in ws["A3"].value and "10-07-2023" in ws["A3"].value
    bad = runner.invoke(app, ["konsolidasi", str(tmp_path / "tidak-ada"), "-o", str(out)])
    assert bad.exit_code == 2 and "tidak ditemukan" in " ".join(bad.output.split())  # wrapped where the path ends
    helptext = runner.invoke(app, ["konsolidasi", "--help"]).output
    assert "--cuti-bersama" in helptext and "Daftar unit CSV" in helptext


def test_demo_consolidates_the_seeds_with_generated_satkers(demo_dir, tmp_path):
    from addin.cli import _demo_extra, _sample_units

    folder = tmp_path / "demo"
    shutil.copytree(demo_dir, folder)
    _demo_extra(folder)
    wb = openpyxl.load_workbook(folder / "konsolidasi" / "rollup.xlsx")
    status = {r[0]: r for r in wb["Status Pengiriman"].iter_rows(min_row=6, values_only=True) if r[0]}
    # the seed package carries no "Siapkan Kiriman" stamp: its copy's file date is not trusted, lateness unknown
    assert status["247246"][7:11] == ("tidak diketahui", "ditolak", "tidak diketahui", "tidak diketahui")
    assert status["900002"][9:12] == ("12-07-2023 10:00 WIB", "cap Siapkan Kiriman", 8)
    assert status["900002"][8] == "valid, terlambat" and status["900003"][8] == "ditolak"
    assert status["900009"][8] == "tidak ada"
    kiriman = {r[0]: r[7] for r in wb["Kiriman"].iter_rows(min_row=5, values_only=True)}
    assert kiriman["900004_kiriman-pertama.xlsx"] == "duplikat"
    assert wb["FORM B BSKJI EC"]["A13"].value == "6077"
    # the folder copied as from an e-mail download (every file dated now): lateness only from a stamp
    fresh = tmp_path / "unduhan"
    fresh.mkdir()
    for p in (folder / "kiriman").iterdir():
        shutil.copyfile(p, fresh / p.name)
    h = consolidate(fresh, tmp_path / "hasil" / "rollup.xlsx", units=_sample_units(), tahun=2023, triwulan=2,
                    waktu=RUN)
    late = {s.unit.kode: s.sumber for s in h.status if s.terlambat}
    assert late == {"900002": "cap Siapkan Kiriman"}
    seed = next(s for s in h.status if s.unit.kode == "247246")
    assert seed.diterima and seed.terlambat is None and seed.sumber == "tidak diketahui"


def test_demo_into_a_folder_holding_other_workbooks_leaves_them_alone(demo_dir, tmp_path):
    """`kinerja demo FOLDER` where FOLDER already holds the user's files: only the demo's own workbooks are
    validated and consolidated (a non-Excel .xlsx there was a BacaGagal traceback; a form was copied into
    kiriman/ and counted), and those files are not touched."""
    from addin.cli import _demo_extra

    folder = tmp_path / "dokumen"
    shutil.copytree(demo_dir, folder)
    (folder / "penting.xlsx").write_bytes(b"bukan excel")
    write(Paket(satker="900001", kegiatan=OUTS), folder / "laporan_saya.xlsx")
    before = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    _demo_extra(folder)
    assert {p.name: p.read_bytes() for p in folder.glob("*.xlsx")} == before
    demo = {p.name for p in demo_dir.glob("*.xlsx")}
    assert {p.name for p in (folder / "anotasi").iterdir()} == demo
    kiriman = {p.name for p in (folder / "kiriman").iterdir()}
    assert demo <= kiriman and not {"penting.xlsx", "laporan_saya.xlsx"} & kiriman


def test_sample_unit_list_marks_synthetic_codes():
    import csv

    path = Path(__file__).parents[1] / "workbooks" / "data" / "unit_contoh.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    bskji = [r for r in rows if r["eselon1"] == "BSKJI"]
    assert len(bskji) == 24 and sum(r["nama"].startswith("BBSPJI") for r in bskji) == 11
    synthetic = [r for r in bskji if r["keterangan"].startswith("KODE SINTETIS")]
    assert len(synthetic) == 23 and all(len(r["kode_satker"]) == 6 for r in rows)
    assert {"247246", "579337", "579357", "579336"} <= {r["kode_satker"] for r in rows}
    assert load_units()["247246"].provinsi == "SULAWESI UTARA"


def test_long_unit_names_wrap_on_the_per_unit_sheets(tmp_path):
    """A real unit name (55 characters) wraps in Capaian Kinerja, Indeks Kepuasan Masyarakat and P3DN, its row
    as high as its lines, rather than being cut off at the next column when printed."""
    d = tmp_path / "kiriman"
    d.mkdir()
    write(Paket(satker="247246", kegiatan=OUTS, skm=[[3, 4, 3, 3, 4, 3, 3, 4, 3]] * 5,
                p3dn=[("521211", 1000, 400, 100)]), d / "manado.xlsx")
    units = tmp_path / "unit.csv"
    name = "Balai Standardisasi dan Pelayanan Jasa Industri Manado"
    units.write_text(f"kode_satker,nama,eselon1,provinsi\n247246,{name},BSKJI,SULAWESI UTARA\n", encoding="utf-8")
    h = consolidate(d, tmp_path / "rollup.xlsx", units=units, tahun=2023, triwulan=2, waktu=RUN)
    wb = openpyxl.load_workbook(h.out)
    for sheet in ("Capaian Kinerja", "Indeks Kepuasan Masyarakat", "P3DN"):
        ws = wb[sheet]
        assert ws["B5"].value == name and ws["B5"].alignment.wrap_text, sheet
        assert ws.row_dimensions[5].height == 12.75 * 2, sheet  # 55 characters in a column of 28 or 30
    assert wb["Capaian Kinerja"].column_dimensions["D"].width == 25  # "Pengukuran Rencana Aksi", bold, on one line


def test_survey_method_shown_as_the_skm_list_shows_it(tmp_path):
    """The Metode column says what the satker chose in the SKM's list, not the option's code."""
    d = tmp_path / "kiriman"
    d.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS, skm=[[3, 4, 3, 3, 4, 3, 3, 4, 3]] * 5), d / "a.xlsx")
    h = consolidate(d, tmp_path / "rollup.xlsx", waktu=RUN)
    assert h.rollup.survei[0].metode == "permenpanrb-14-2017"  # the code the form stores and udfs.ikm takes
    ws = openpyxl.load_workbook(h.out)["Indeks Kepuasan Masyarakat"]
    assert [ws["D5"].value, ws["D6"].value] == ["PermenPANRB 14/2017 — 9 unsur"] * 2  # the unit and all units
    assert ws["D5"].alignment.wrap_text


def test_polaritas_shown_as_the_forms_list_shows_it(tmp_path):
    """Capaian Kinerja's Polaritas column says what the satker chose in the Pengukuran's list, not the code."""
    d = tmp_path / "kiriman"
    d.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS), d / "a.xlsx")
    h = consolidate(d, tmp_path / "rollup.xlsx", waktu=RUN)
    assert [i.polaritas for _, inds, _ in h.rollup.capaian[0].sasaran for i in inds] == ["maksimal"] * 2  # the code
    ws = openpyxl.load_workbook(h.out)["Capaian Kinerja"]
    assert ws["H4"].value == "Polaritas"
    assert [ws[f"H{r}"].value for r in (5, 6, 7)] == ["Maksimal — makin tinggi makin baik"] * 2 + [None]  # 7: mean
    assert ws["H5"].alignment.wrap_text


def test_unit_list_as_excel_saves_it_or_unusable(scene, tmp_path):
    """A unit list saved by an Indonesian Excel (';' separator, headers in capitals) is read; one that is not
    UTF-8, lacks a column or lists no unit stops konsolidasi and status before any file is read (exit 2, no
    rollup), never a traceback nor every submission refused as 'tidak ada dalam daftar unit'."""
    d, _ = scene
    semi = tmp_path / "unit_excel.csv"
    semi.write_bytes("\ufeffKODE_SATKER;Nama;Eselon1;Provinsi\r\n247246;BSPJI Manado;BSKJI;Sulawesi Utara\r\n"
                     .encode("utf-8"))
    assert load_units(semi) == {"247246": Unit("247246", "BSPJI Manado", "BSKJI", "SULAWESI UTARA")}
    bad = {
        "ansi.csv": ("kode_satker,nama,eselon1,provinsi\n247246,Balai Besar Kimia \xe9,BSKJI,DKI JAKARTA\n"
                     .encode("cp1252"), "Daftar unit '{p}' bukan teks UTF-8. Di Excel simpan sebagai \"CSV UTF-8 "
                                        "(Comma delimited)\"."),
        "kolom.csv": (b"kode,nama\n247246,BSPJI\n", "Daftar unit '{p}': kolom kode_satker, eselon1, provinsi tidak ada "
                                                   "(baris pertama: 'kode,nama'). Baris pertama harus memuat judul "
                                                   "kolom kode_satker,nama,eselon1,provinsi."),
        "judul.csv": (b"kode_satker,nama,eselon1,provinsi\n", "Daftar unit '{p}' tidak memuat satu unit pun (kolom "
                                                              "kode_satker kosong)."),
    }
    for name, (data, message) in bad.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DaftarTidakSah) as exc:
            load_units(path)
        assert str(exc.value) == message.format(p=path)
        out = tmp_path / name.replace(".csv", ".xlsx")
        for args in (["konsolidasi", str(d), "-o", str(out)], ["status", str(d)]):
            r = runner.invoke(app, [*args, "--unit", str(path)])
            assert r.exit_code == 2 and "Traceback" not in r.output, r.output
            # the console wraps long lines anywhere, a path included: compare without whitespace
            assert "".join(message.format(p=path).split()) in "".join(r.output.split()), r.output
        assert not out.exists()


# --- LibreOffice ---------------------------------------------------------------------------------

def test_rollup_opens_in_libreoffice_without_error_cells_and_computes_the_same_jumlah(bpsdmi, tmp_path):
    _, h = bpsdmi
    out = recalc(h.out, tmp_path)
    assert all(not cells for cells in _error_cells(out).values()), _error_cells(out)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames[:2] == ["Ringkasan", "FORM B BPSDMI DL"]
    sheet = _form_b_sheet(h.out, "FORM B BPSDMI DL")
    lo = wb["FORM B BPSDMI DL"]
    fb = h.forms_b[0]
    for key, name in zip(("c5_total_rp000", *PCT_KEYS), ("total", "pen_s", "pen_r", "out_s", "out_r")):
        assert lo[sheet.tables["kegiatan"].total[key].cell].value == pytest.approx(fb.jumlah[name].value)


# --- identity, arrival time, blank forms ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    d = tmp_path_factory.mktemp("pair")
    a = write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "a.xlsx")
    b = write(Paket(satker="900002", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "b.xlsx")
    plain = write(Paket(satker="900003", kegiatan=OUTS), d / "c_tanpa_cap.xlsx")  # no "Siapkan Kiriman" stamp
    return a, b, plain


def test_a_file_claiming_a_code_outside_the_unit_list_is_listed_not_counted(pair, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pair[:2]:
        shutil.copy(p, folder)
    units = tmp_path / "unit.csv"
    units.write_text("kode_satker,nama,eselon1,provinsi\n900001,Balai 1,BSKJI,SULAWESI UTARA\n", encoding="utf-8")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", units=units, waktu=RUN)
    st = _files(h)
    assert st["a.xlsx"].status == "dipakai"
    assert st["b.xlsx"].status == "ditolak" and "900002 tidak ada dalam daftar unit" in st["b.xlsx"].alasan
    assert h.forms_b[0].jumlah["total"].value == 48488 and h.forms_b[0].units == ["900001"]


def test_arrival_time_from_the_ledger_when_there_is_no_stamp(pair, tmp_path):
    """FORM A TW II 2023 is due 7 Jul. A stampless file seen by a run on 5 Jul is on time; one that a run on
    10 Jul did not have yet, first seen on 12 Jul, is late; both say where their time comes from."""
    folder = tmp_path / "in"
    folder.mkdir()
    out = tmp_path / "out" / "rollup.xlsx"
    shutil.copy(pair[0], folder)
    shutil.copy(pair[2], folder)
    first = consolidate(folder, out, waktu=dt.datetime(2023, 7, 5, 9), tahun=2023, triwulan=2)
    assert next(s for s in first.status if s.unit.kode == "900003").terlambat is None  # first seen now: unknown
    consolidate(folder, out, waktu=dt.datetime(2023, 7, 10, 9), tahun=2023, triwulan=2)
    late = write(Paket(satker="900004", kegiatan=OUTS), folder / "d_tanpa_cap.xlsx")
    os.utime(late, (dt.datetime(2023, 7, 1).timestamp(),) * 2)  # an early file date changes nothing
    consolidate(folder, out, waktu=dt.datetime(2023, 7, 12, 9), tahun=2023, triwulan=2)
    h = consolidate(folder, out, waktu=dt.datetime(2023, 7, 20, 9), tahun=2023, triwulan=2)
    st = {s.unit.kode: s for s in h.status}
    assert (st["900003"].terlambat, st["900003"].sumber) == (False, "pertama terlihat oleh konsolidasi")
    assert st["900003"].waktu.date() == dt.date(2023, 7, 5)
    assert (st["900004"].terlambat, st["900004"].waktu.date()) == (True, dt.date(2023, 7, 12))
    assert (st["900001"].terlambat, st["900001"].sumber) == (False, "cap Siapkan Kiriman")
    ws = openpyxl.load_workbook(out)["Status Pengiriman"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[0]}
    assert rows["900004"][7:11] == ("terlambat", "valid, terlambat", "12-07-2023 09:00 UTC+00:00",
                                    "pertama terlihat oleh konsolidasi")
    assert "waktu kirim = pertama terlihat oleh konsolidasi (tanpa cap Siapkan Kiriman)" in rows["900004"][14]
    assert rows["900001"][9:11] == ("04-07-2023 09:00 WIB", "cap Siapkan Kiriman")
    waktu = {r[0]: r[6] for r in openpyxl.load_workbook(out)["Kiriman"].iter_rows(min_row=5, values_only=True)}
    assert waktu["d_tanpa_cap.xlsx"] == "12-07-2023 09:00 UTC+00:00 (pertama terlihat oleh konsolidasi)"
    assert waktu["a.xlsx"] == "04-07-2023 09:00 WIB (cap Siapkan Kiriman)"


def test_siapkan_kiriman_stamps_the_time_with_the_units_zone(tmp_path):
    from macros.kiriman import prepare_submission
    from macros.waktu import parse

    data = read_workbook(write(Paket(satker="247246", kegiatan=OUTS), tmp_path / "manado.xlsx"))
    now = dt.datetime(2023, 7, 5, 1, 30, tzinfo=dt.timezone.utc)
    stamp = prepare_submission(data, now).meta["waktu_kirim"]
    assert stamp == "2023-07-05T09:30:00+08:00"  # BSPJI Manado, Sulawesi Utara: WITA
    assert parse(stamp) == now and parse("2023-07-05T08:30:00") == now  # an old naive stamp: WIB


def test_a_blank_form_is_kosong_and_never_decides_the_period(pair, tmp_path):
    from macros.templat import make_template

    folder = tmp_path / "in"
    folder.mkdir()
    for p in pair[:2]:
        shutil.copy(p, folder)
    make_template("paket-triwulan", folder / "kosong.xlsx", satker="900009", tahun=2026, triwulan=4,
                  kegiatan=["6077"])
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    st = _files(h)
    assert st["kosong.xlsx"].status == "kosong" and "V00" in st["kosong.xlsx"].alasan
    assert (h.rollup.tahun, h.rollup.triwulan) == (2023, 2)
    assert [s.unit.kode for s in h.status] == ["900001", "900002"]


def test_annual_forms_are_not_another_period_because_of_their_quarter(tmp_path):
    """Renstra, Rincian and the PK are filed once a year (``Layout.tahunan``): the quarter their template was
    made in neither puts them in 'periode lain' nor decides the rollup's period, nor counts as the quarterly report."""
    from macros.templat import template_meta
    from workbooks.forms import LAYOUTS

    folder = tmp_path / "in"
    folder.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-03T09:00:00"), folder / "paket.xlsx")
    rows = {  # (quarter the template was made in, one row of its first table)
        "renstra": (4, {"c1_kode": "T1", "c2_tujuan": "t", "c3_sasaran": "s", "c4_indikator": "ind", "c5_satuan": "%",
                        "c8_baseline": 60, "c9_target_th1": 80, "c14_realisasi_th1": 70}),
        "rincian": (1, {"c1_kelompok": "A", "c2_uraian": "u", "c3_target": 10, "c4_realisasi": 8}),
        "rincian-pnbp": (3, {"c1_kelompok": "A", "c2_uraian": "u", "c3_target_rp": 1000, "c4_realisasi_rp": 900,
                             "c6_realisasi_lalu_rp": 800}),
        "perjanjian-kinerja": (3, {"c1_kode": "SP1", "c2_sasaran": "s", "c3_indikator": "ind", "c4_satuan": "%",
                                   "c6_target": 80, "c7_realisasi": 70}),
    }
    for form, (tw, row) in rows.items():
        lay = LAYOUTS[form]
        fields = {"unit_organisasi": "(900002) BBSPJI"} | ({"periode": "2023–2027"} if form == "renstra" else {})
        wb, _ = build_workbook(template_meta(form, satker="900002", tahun=2023, triwulan=tw),
                               {lay.sheet: SheetValues(fields=fields, tables={lay.tables[0].key: [row]})})
        wb.save(folder / f"{form}.xlsx")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN)
    st = _files(h)
    assert (h.rollup.tahun, h.rollup.triwulan) == (2023, 2)
    for form in rows:
        assert st[f"{form}.xlsx"].status == "dipakai", (form, st[f"{form}.xlsx"].alasan)
    # an annual form is not the unit's quarterly report: 900002 sent none
    assert [s.unit.kode for s in h.status if s.diterima] == ["900001"]


def test_a_form_without_metadata_takes_its_quarter_from_the_title_block(tmp_path):
    """A FORM A whose hidden metadata sheet is gone (copied into another workbook) is read by its numbered rows;
    its quarter and year come from the title block the reader kept, without opening the file again."""
    from macros.konsolidasi.collect import load

    wb, _ = build_workbook(Meta(form="form-a", versi="", satker="247246", tahun=2023, triwulan=3, kegiatan=("6077",)))
    del wb["_kinerja"]
    path = tmp_path / "form_a_tanpa_metadata.xlsx"
    wb.save(path)
    k = load((path, path.name, ""))
    assert k.ident is not None and (k.ident.triwulan, k.ident.tahun) == (3, 2023), k.error


def test_a_copied_form_sheet_is_a_finding_in_the_rollup_not_lost(tmp_path):
    """A FORM A sheet copied in Excel ('FORM A 6077 (2)') is not in the metadata: its figures never reach the
    totals, so the worker reports V39 (galat) on the copy and the file is refused until it is put right."""
    folder = tmp_path / "in"
    folder.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS), folder / "a.xlsx", typed_derived=True)
    write(Paket(satker="900002", kegiatan=OUTS), folder / "b.xlsx", typed_derived=True)
    wb = openpyxl.load_workbook(folder / "b.xlsx")
    wb.copy_worksheet(wb["FORM A 6077"]).title = "FORM A 6077 (2)"
    wb.save(folder / "b.xlsx")
    h = consolidate(folder, tmp_path / "out" / "rollup.xlsx", waktu=RUN, workers=2)
    st = _files(h)
    assert (st["a.xlsx"].status, st["b.xlsx"].status, st["b.xlsx"].galat) == ("dipakai", "ditolak", 1)
    assert [fb.jumlah["total"].value for fb in h.forms_b] == [48488]  # a.xlsx only
    out = openpyxl.load_workbook(h.out)
    temuan = [r for r in out["Temuan"].iter_rows(min_row=5, values_only=True) if r[0] == "b.xlsx"]
    assert [(r[2], r[3], r[4], r[5]) for r in temuan] == [("V39", "galat", "FORM A 6077 (2)", "A1")]
