"""Issue 5: a folder of submissions → FORM B and the rollup, with a trail for every number."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from macros.konsolidasi import consolidate
from macros.konsolidasi.deadline import deadline, working_days_after
from tests.conftest import num, seed_rows
from tests.libreoffice import recalc
from tests.synth import Output, Paket, write
from workbooks.builder import Typed
from workbooks.compute import derive
from workbooks.reader import _error_cells, read_workbook

RUN = dt.datetime(2023, 7, 20, 9, 0)
DL = "11.01.DL. Program Pendidikan dan Pelatihan Vokasi"


def _bpsdmi_folder(folder):
    """FORM A submissions whose output rows carry the BPSDMI FORM B DL kegiatan figures (000:L896-898)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [r for r in seed_rows("000_form_b_DL_program_pendidikan_pelatihan_vokasi.csv") if r["c1_kode_kegiatan"]]
    for n, r in enumerate(rows):
        pct = tuple(num(r[k]) for k in ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct",
                                        "c11_output_R_pct"))
        pagu = int(r["c5_total_rp000"])
        # 4957 is split over two satkers with equal percentages: the weighting must not care
        parts = [pagu // 3, pagu - pagu // 3] if r["c1_kode_kegiatan"] == "4957" else [pagu]
        for m, part in enumerate(parts):
            satker = f"5793{n}{m}"
            p = Paket(satker=satker, nama=f"Satker {satker}", eselon1="BPSDMI", lokasi="DKI JAKARTA",
                      kegiatan={r["c1_kode_kegiatan"]: [Output("BDB", part, (0.0, 0.0, 0.0, 0.0), pct)]},
                      program={r["c1_kode_kegiatan"]: DL}, waktu_kirim="2023-07-05T09:00:00")
            write(p, folder / f"{satker}.xlsx")
    return folder


def test_consolidating_bpsdmi_kegiatan_reproduces_form_b_dl(tmp_path):
    h = consolidate(_bpsdmi_folder(tmp_path / "in"), tmp_path / "rollup.xlsx", waktu=RUN)
    assert len(h.dipakai) == 4
    fb = next(f for f in h.forms_b if f.program == "DL")
    assert [k.kode for k in fb.rows] == ["4957", "4958", "4959"]
    assert fb.jumlah["c5_total_rp000"].value == 493064631
    # read the written FORM B back like any form (recognised by its numbered column row)
    data = read_workbook(tmp_path / "rollup.xlsx")
    sheet = next(s for s in data.sheets if s.name == "FORM B BPSDMI DL")
    total = {k: v.value for k, v in sheet.tables["kegiatan"].total.items()}
    assert total["c5_total_rp000"] == 493064631
    assert total["c6_penyerapan_S_pct"] == pytest.approx(28.12, abs=0.005)
    assert total["c7_penyerapan_R_pct"] == pytest.approx(24.77, abs=0.005)
    assert total["c10_output_S_pct"] == pytest.approx(41.72, abs=0.01)
    assert total["c11_output_R_pct"] == pytest.approx(38.88, abs=0.005)
    rows = sheet.tables["kegiatan"].values
    assert list(rows["c5_total_rp000"]) == [223400790, 129046517, 140617324]
    assert rows.at[0, "c6_penyerapan_S_pct"] == pytest.approx(27.37)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    """Four satkers: one valid, one with a galat, one sent twice, one late; a fifth expected but missing."""
    d = tmp_path_factory.mktemp("kiriman")
    outs = {"6077": [Output("AEF", 48488, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
    write(Paket(satker="900001", kegiatan=outs, waktu_kirim="2023-07-04T09:00:00"), d / "a.xlsx")
    write(Paket(satker="900002", kegiatan=outs, waktu_kirim="2023-07-04T09:00:00"), d / "b_galat.xlsx",
          mutate=lambda v: v["PENGUKURAN"].tables["indikator"][0].update(c12_capaian_pct=Typed(150.0)))
    bigger = {"6077": [Output("AEF", 999999, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
    write(Paket(satker="900003", kegiatan=bigger, waktu_kirim="2023-07-03T09:00:00"), d / "c_lama.xlsx")
    (d / "sub").mkdir()
    write(Paket(satker="900003", kegiatan=outs, waktu_kirim="2023-07-06T09:00:00"), d / "sub" / "c_baru.xlsx")
    write(Paket(satker="900004", kegiatan=outs, waktu_kirim="2023-07-11T10:00:00"), d / "d_telat.xlsx")
    (d / "~$a.xlsx").write_bytes(b"lock")
    (d / "catatan.xlsx").write_bytes(b"bukan excel")
    units = d.parent / "unit.csv"
    units.write_text("kode_satker,nama,eselon1,provinsi\n" + "".join(
        f"90000{i},Balai {i},BSKJI,SULAWESI UTARA\n" for i in range(1, 6)), encoding="utf-8")
    return d, units


@pytest.fixture(scope="module")
def demo_rollup(demo_folder, tmp_path_factory):
    d, units = demo_folder
    out = tmp_path_factory.mktemp("out") / "rollup.xlsx"
    return consolidate(d, out, units=units, tahun=2023, triwulan=2, waktu=RUN)


def _status(h):
    return {k.path.name: k for k in h.kiriman}


def test_rejected_submission_stays_out_of_every_total_and_is_listed(demo_rollup):
    st = _status(demo_rollup)
    assert st["b_galat.xlsx"].status == "ditolak" and st["b_galat.xlsx"].galat == 1
    fb = demo_rollup.forms_b[0]
    # 3 valid satkers × 48.488 (the galat one and the superseded 999.999 are out)
    assert fb.jumlah["c5_total_rp000"].value == 3 * 48488
    wb = openpyxl.load_workbook(demo_rollup.out)
    kiriman = {r[0]: r for r in wb["Kiriman"].iter_rows(min_row=2, values_only=True)}
    assert kiriman["b_galat.xlsx"][5] == "ditolak"
    assert any(r[0] == "b_galat.xlsx" and r[1] == "V11" for r in wb["Temuan"].iter_rows(min_row=2, values_only=True))
    assert "~$a.xlsx" not in kiriman and kiriman["catatan.xlsx"][5] == "bukan form"


def test_duplicate_resolves_to_the_newest(demo_rollup):
    st = _status(demo_rollup)
    assert st["c_baru.xlsx"].status == "dipakai"
    assert st["c_lama.xlsx"].status == "duplikat" and "c_baru.xlsx" in st["c_lama.xlsx"].alasan


def test_missing_and_late_units(demo_rollup):
    status = {r["kode"]: r for r in demo_rollup.status}
    assert status["900005"]["status"] == "tidak ada"
    assert status["900004"]["terlambat"] == "ya" and status["900001"]["terlambat"] == "tidak"
    assert status["900002"]["status"] == "ditolak"


def test_deadline_in_working_days_with_indonesian_holidays():
    # TW II 2023 ends Fri 30 Jun; 5 working days → Fri 7 Jul (weekend excluded; 29 Jun Iduladha is before)
    assert deadline("form-a", 2023, 2) == dt.date(2023, 7, 7)
    assert deadline("form-b", 2023, 2) == dt.date(2023, 7, 14)
    # the seed satker replied on 11 Jul 2023 (003:L5): its 7th working day, late
    assert working_days_after(2023, 2, dt.date(2023, 7, 11)) == 7
    # TW I 2024 ends Sun 31 Mar; 1 Apr is a working day; Idulfitri 10–11 Apr falls inside 10 working days
    assert deadline("form-b", 2024, 1) > dt.date(2024, 4, 12)


def test_every_ringkasan_number_has_a_trail_to_a_real_cell(demo_rollup, demo_folder):
    wb = openpyxl.load_workbook(demo_rollup.out)
    trail: dict[tuple[str, str], list] = {}
    for r in wb["Jejak Data"].iter_rows(min_row=2, values_only=True):
        trail.setdefault((r[0], r[1]), []).append(r)
    ws = wb["Ringkasan"]
    checked = 0
    views = {}
    for row in ws.iter_rows(min_row=4):
        for c in row:
            if not isinstance(c.value, (int, float)):
                continue
            entries = trail.get(("Ringkasan", c.coordinate))
            assert entries, c.coordinate
            assert all(e[2] == pytest.approx(c.value) for e in entries)
            for e in entries:
                _, _, _, rumus, file, sheet, cell, value = e
                if file == "(rollup)":
                    assert wb[sheet][cell].value == value
                    continue
                path = next(demo_folder[0].rglob(file))
                if file not in views:
                    views[file] = {s.name: derive(s)[0] for s in read_workbook(path).sheets}
                view = views[file][sheet]
                td_key, i, key = _locate(view, cell)
                assert view.value(td_key, i, key) == pytest.approx(value), (file, sheet, cell)
            checked += 1
    assert checked >= 8


def _locate(view, cell):
    for tkey, td in view.data.tables.items():
        for key, cells in td.cell_lists.items():
            if cell in cells:
                return tkey, cells.index(cell), key
    raise AssertionError(cell)


def test_same_inputs_give_byte_identical_rollups(demo_folder, tmp_path):
    d, units = demo_folder
    a = consolidate(d, tmp_path / "a" / "rollup.xlsx", units=units, waktu=RUN).out.read_bytes()
    b = consolidate(d, tmp_path / "b" / "rollup.xlsx", units=units, waktu=RUN).out.read_bytes()
    assert a == b


def test_ledger_reports_new_changed_and_withdrawn(demo_folder, tmp_path):
    d, units = demo_folder
    work = tmp_path / "in"
    shutil.copytree(d, work)
    out = tmp_path / "rollup.xlsx"
    first = consolidate(work, out, units=units, waktu=RUN)
    assert len(first.changes["baru"]) == 6 and out.with_suffix(".ledger.sqlite").exists()
    (work / "a.xlsx").unlink()
    write(Paket(satker="900005", waktu_kirim="2023-07-04T09:00:00"), work / "e.xlsx")
    with open(work / "d_telat.xlsx", "ab") as fh:
        fh.write(b"\0")  # the same name, other bytes
    again = consolidate(work, out, units=units, waktu=RUN + dt.timedelta(hours=1))
    assert [p.rsplit("/", 1)[-1] for p in again.changes["baru"]] == ["e.xlsx"]
    assert [p.rsplit("/", 1)[-1] for p in again.changes["ditarik"]] == ["a.xlsx"]
    assert [p.rsplit("/", 1)[-1] for p in again.changes["berubah"]] == ["d_telat.xlsx"]


def test_inputs_are_never_modified_and_a_failed_write_keeps_the_old_rollup(demo_folder, tmp_path, monkeypatch):
    d, units = demo_folder
    before = {p: p.read_bytes() for p in d.rglob("*.xlsx")}
    out = tmp_path / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=RUN)
    assert {p: p.read_bytes() for p in d.rglob("*.xlsx")} == before
    good = out.read_bytes()

    def boom(*a, **k):
        raise OSError("disk penuh")

    monkeypatch.setattr("macros.konsolidasi._normalise_zip", boom)
    with pytest.raises(OSError):
        consolidate(d, out, units=units, waktu=RUN)
    assert out.read_bytes() == good and not list(tmp_path.glob(".rollup.*.tmp"))


def test_rollup_opens_in_libreoffice_without_error_cells(demo_rollup, tmp_path):
    out = recalc(demo_rollup.out, tmp_path)
    assert _error_cells(out) == {k: {} for k in _error_cells(out)}
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Ringkasan", "FORM B BSKJI EC"]
