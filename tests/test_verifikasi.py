"""Issue 14: verifikasi by Eselon I — decisions written in the rollup, recorded in the ledger, applied, and the
feedback each satker gets."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.cli import app
from macros.files import OutputOverlap
from macros.konsolidasi import consolidate, ledger_path
from macros.konsolidasi.verifikasi import COL_CATATAN, COL_KEPUTUSAN, COL_KUNCI, read_decisions, riwayat
from tests.synth import Output, Paket, write

OUTS = {"6077": [Output("AEF", 48488, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
NOTE = "Penanda tangan FORM A bukan penanggung jawab kegiatan; perbaiki lalu kirim ulang."
runner = CliRunner()


def _other_signer(values) -> None:
    values["FORM A 6077"].fields.update(ttd_nama="Dra. Lain Orang")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The three submissions, written once for the module (each test works on its own copy)."""
    d = tmp_path_factory.mktemp("kiriman")
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "a.xlsx")
    write(Paket(satker="900002", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "b.xlsx",
          mutate=_other_signer)
    write(Paket(satker="900003", kegiatan=OUTS, waktu_kirim="2023-07-05T09:00:00"), d / "c.xlsx")
    return d


@pytest.fixture()
def folder(written, tmp_path):
    """Three BSKJI satkers on time; 900002's FORM A is signed by someone else (V26, a peringatan)."""
    d = tmp_path / "kiriman"
    shutil.copytree(written, d, copy_function=shutil.copy)  # a fresh modification time, as if just written
    units = tmp_path / "unit.csv"
    units.write_text("kode_satker,nama,eselon1,provinsi\n" + "".join(
        f"90000{i},Balai {i},BSKJI,SULAWESI UTARA\n" for i in range(1, 5)), encoding="utf-8")
    return d, units


def _status_rows(path: Path) -> tuple[openpyxl.Workbook, dict[str, int], dict[str, int]]:
    """The workbook, the column (1-based) of each Status Pengiriman header, and the row of each satker."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Status Pengiriman"]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Kode satker")
    cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 1).value}
    return wb, cols, rows


def _decide(path: Path, kode: str, keputusan: str, catatan: str = "") -> None:
    """Type a decision into the rollup and save it, as a verifier would in Excel."""
    wb, cols, rows = _status_rows(path)
    ws = wb["Status Pengiriman"]
    ws.cell(rows[kode], cols[COL_KEPUTUSAN]).value = keputusan
    ws.cell(rows[kode], cols[COL_CATATAN]).value = catatan
    wb.save(path)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_status_sheet_has_the_verifier_inputs(folder, tmp_path):
    d, units = folder
    out = tmp_path / "out" / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 10, 9))
    wb, cols, rows = _status_rows(out)
    ws = wb["Status Pengiriman"]
    assert ws.protection.sheet and not ws.protection.password
    for name in (COL_KEPUTUSAN, COL_CATATAN):
        cell = ws.cell(rows["900002"], cols[name])
        assert cell.protection.locked is False and cell.fill.fgColor.rgb.endswith("FFF2CC")
    assert ws.cell(rows["900002"], cols["Status"]).protection.locked is True
    dv = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert len(dv) == 1 and dv[0].formula1 == '"Diterima,Dikembalikan,—"'
    letter = openpyxl.utils.get_column_letter(cols[COL_KEPUTUSAN])
    assert f"{letter}{rows['900001']}:{letter}{rows['900004']}" in str(dv[0].sqref)
    key = openpyxl.utils.get_column_letter(cols[COL_KUNCI])
    assert ws.column_dimensions[key].hidden
    assert ws.cell(rows["900002"], cols[COL_KUNCI]).value == f"{_sha(d / 'b.xlsx')}|900002|paket-triwulan|2023|2"
    assert ws.cell(rows["900004"], cols[COL_KUNCI]).value is None  # sent nothing: nothing to decide


def test_dikembalikan_leaves_every_total_is_listed_with_its_note_and_gets_feedback(folder, tmp_path):
    d, units = folder
    before = {p.name: _sha(p) for p in d.iterdir()}
    out = tmp_path / "out" / "rollup.xlsx"
    first = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 10, 9))
    assert first.forms_b[0].jumlah["total"].value == 3 * 48488
    _decide(out, "900002", "Dikembalikan", NOTE)
    fb = tmp_path / "umpan_balik"
    h = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 11, 9), verifikator="Rina (BSKJI)",
                    umpan_balik=fb)
    # out of every total: FORM B, capaian, and the Ringkasan
    assert h.forms_b[0].jumlah["total"].value == 2 * 48488
    assert h.forms_b[0].units == ["900001", "900003"]
    assert sorted(c.unit.kode for c in h.rollup.capaian) == ["900001", "900003"]
    k = {x.rel: x for x in h.kiriman}
    assert k["b.xlsx"].status == "dikembalikan" and NOTE in k["b.xlsx"].alasan
    wb, cols, rows = _status_rows(out)
    ws = wb["Status Pengiriman"]
    row = {name: ws.cell(rows["900002"], c).value for name, c in cols.items()}
    assert (row["Status"], row[COL_KEPUTUSAN], row[COL_CATATAN]) == ("dikembalikan", "Dikembalikan", NOTE)
    assert "dikembalikan oleh verifikator" in row["Keterangan"]
    kiriman = {r[0]: r for r in wb["Kiriman"].iter_rows(min_row=5, values_only=True)}
    assert kiriman["b.xlsx"][7] == "dikembalikan" and NOTE in kiriman["b.xlsx"][8]
    ring = wb["Ringkasan"]
    head = [c.value for c in ring[7]]
    bskji = next(r for r in ring.iter_rows(min_row=8, values_only=True) if r[0] == "BSKJI")
    assert bskji[2] == 2 * 48488
    counts = dict(zip(head[7:13], bskji[7:13]))
    assert counts == {"Satker diharapkan": 4, "Satker diterima": 3, "Satker valid": 3, "Satker terlambat": 0,
                      "Satker dikembalikan": 1, "Satker diterima verifikator": 0}
    colours = {r[0].value: (r[5].value, r[5].fill.fgColor.rgb[-6:]) for r in ring.iter_rows(min_row=8)
               if r[0].value in ("900001", "900002", "900004") and r[5].value}
    assert colours == {"900001": ("hijau", "C6EFCE"), "900002": ("merah", "FFC7CE"), "900004": ("merah", "FFC7CE")}
    # the ledger holds the decision, who took it and when (with its offset)
    with sqlite3.connect(h.ledger) as con:
        rec = con.execute("SELECT sha256, unit, form, tahun, triwulan, keputusan, catatan, verifikator, waktu "
                          "FROM keputusan").fetchall()
    assert [r[:8] for r in rec] == [(before["b.xlsx"], "900002", "paket-triwulan", 2023, 2, "Dikembalikan", NOTE,
                                     "Rina (BSKJI)")]
    assert dt.datetime.fromisoformat(rec[0][8]).utcoffset() is not None
    # the feedback workbook: the note on a first sheet, the Validasi marks on the cells
    assert [p.name for p in h.umpan_balik] == ["900002_paket-triwulan_TW2_2023_umpan_balik.xlsx"]
    back = openpyxl.load_workbook(h.umpan_balik[0])
    assert back.sheetnames[:2] == ["Umpan Balik", "Hasil Validasi"]
    sheet = {r[0]: r[1] for r in back["Umpan Balik"].iter_rows(min_row=3, values_only=True)}
    assert (sheet["Keputusan verifikator"], sheet["Catatan verifikator"], sheet["Verifikator"]) == (
        "Dikembalikan", NOTE, "Rina (BSKJI)")
    assert [(f.rule, f.sheet, f.cell) for f in k["b.xlsx"].findings] == [("V26", "FORM A 6077", "M58")]
    marked = back["FORM A 6077"]["M58"]
    assert marked.comment is not None and "V26 peringatan" in marked.comment.text
    assert marked.fill.fgColor.rgb[-6:] != openpyxl.load_workbook(d / "b.xlsx")["FORM A 6077"]["M58"].fill.fgColor.rgb[-6:]
    hasil = [r for r in back["Hasil Validasi"].iter_rows(values_only=True) if "V26" in r]
    assert len(hasil) == 1
    # inputs never modified; a run with the same decisions records nothing new
    assert {p.name: _sha(p) for p in d.iterdir()} == before
    again = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 12, 9))
    assert again.keputusan == [] and again.forms_b[0].jumlah["total"].value == 2 * 48488
    with sqlite3.connect(h.ledger) as con:
        assert con.execute("SELECT COUNT(*) FROM keputusan").fetchone()[0] == 1


def test_a_revision_after_diterima_waits_for_the_verifier(folder, tmp_path):
    d, units = folder
    out = tmp_path / "out" / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 10, 9))
    _decide(out, "900001", "Diterima")
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 11, 9), verifikator="Rina")
    bigger = {"6077": [Output("AEF", 999999, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
    write(Paket(satker="900001", kegiatan=bigger, waktu_kirim="2023-07-12T09:00:00"), d / "a_revisi.xlsx")
    h = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 13, 9), verifikator="Rina")
    k = {x.rel: x for x in h.kiriman}
    assert k["a_revisi.xlsx"].status == "revisi setelah diterima" and "a.xlsx" in k["a_revisi.xlsx"].alasan
    assert k["a.xlsx"].status == "dipakai"
    assert h.forms_b[0].jumlah["total"].value == 48488 + 48488 + 48488  # the accepted a.xlsx stays used
    wb, cols, rows = _status_rows(out)
    ws = wb["Status Pengiriman"]
    assert ws.cell(rows["900001"], cols["Status"]).value == "valid, revisi setelah diterima"
    assert ws.cell(rows["900001"], cols[COL_KUNCI]).value.startswith(_sha(d / "a_revisi.xlsx"))
    assert ws.cell(rows["900001"], cols[COL_KEPUTUSAN]).value is None  # the revision awaits a decision
    _decide(out, "900001", "Diterima")
    h = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 14, 9), verifikator="Rina")
    k = {x.rel: x for x in h.kiriman}
    assert (k["a_revisi.xlsx"].status, k["a.xlsx"].status) == ("dipakai", "duplikat")
    assert h.forms_b[0].jumlah["total"].value == 999999 + 48488 + 48488
    st = next(s for s in h.status if s.unit.kode == "900001")
    assert (st.verifikasi, st.keputusan, st.warna) == ("diterima", "Diterima", "hijau")


def test_decisions_from_another_file_and_bad_values(folder, tmp_path):
    d, units = folder
    out = tmp_path / "out" / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 10, 9))
    copy = tmp_path / "keputusan_eselon1.xlsx"
    shutil.copy(out, copy)
    _decide(copy, "900003", "dikembalikan", "Lampiran tidak lengkap")
    _decide(copy, "900001", "Setuju")
    found, notes = read_decisions(copy)
    assert [(x.unit, x.keputusan, x.catatan) for x in found if x.keputusan] == [
        ("900003", "Dikembalikan", "Lampiran tidak lengkap")]
    assert len(notes) == 1 and "'Setuju' bukan keputusan" in notes[0] and "Status Pengiriman!P" in notes[0]
    h = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 11, 9), keputusan=copy)
    assert {x.rel: x.status for x in h.kiriman}["c.xlsx"] == "dikembalikan"
    assert any("'Setuju' bukan keputusan" in c for c in h.catatan)
    with pytest.raises(OutputOverlap):
        consolidate(d, out, units=units, umpan_balik=d / "umpan")


def test_cli_status_and_riwayat(folder, tmp_path, monkeypatch):
    from addin import cli

    monkeypatch.setattr(cli.out, "width", 220)  # the console was made before the runner: give it a wide screen
    d, units = folder
    out = tmp_path / "out" / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 10, 9))
    _decide(out, "900002", "Dikembalikan", NOTE)
    write(Paket(satker="900002", triwulan=1, kegiatan=OUTS, waktu_kirim="2023-04-05T09:00:00"), d / "b_tw1.xlsx")
    r = runner.invoke(app, ["konsolidasi", str(d), "-o", str(out), "--unit", str(units), "--verifikator", "Rina",
                            "--umpan-balik", str(tmp_path / "ub"), "--waktu", "2023-07-11T09:00"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "ub" / "900002_paket-triwulan_TW2_2023_umpan_balik.xlsx").is_file()
    csv_out = tmp_path / "status.csv"
    ledger = (_sha(out.with_name("rollup.ledger.sqlite")), _sha(out))
    r = runner.invoke(app, ["status", str(d), "--unit", str(units), "-o", str(out), "--csv", str(csv_out)])
    assert r.exit_code == 0, r.output
    assert (_sha(out.with_name("rollup.ledger.sqlite")), _sha(out)) == ledger  # status writes nothing there
    assert "Kode satker" in r.output and "Keputusan verifikator" in r.output
    line = next(x for x in r.output.splitlines() if "900002" in x)
    assert "Dikembalikan" in line and "merah" in line
    assert "belum mengirim" in next(x for x in r.output.splitlines() if "900004" in x)
    assert "masuk 3, valid 3, dikembalikan 1, diterima 0, belum mengirim 1, terlambat 0" in r.output
    import csv

    rows = list(csv.DictReader(csv_out.read_text(encoding="utf-8-sig").splitlines()))
    by = {x["kode_satker"]: x for x in rows}
    assert (by["900002"]["keputusan"], by["900002"]["catatan"], by["900002"]["warna"]) == ("Dikembalikan", NOTE,
                                                                                           "merah")
    assert by["900004"]["masuk"] == "tidak" and by["900001"]["warna"] == "hijau"
    r = runner.invoke(app, ["riwayat", "900002", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert _sha(d / "b.xlsx")[:12] in r.output and "Dikembalikan" in r.output and "Rina" in r.output
    assert "b.xlsx" in r.output and "b_tw1.xlsx" in r.output
    assert 0 < r.output.index("TW 1 2023") < r.output.index("TW 2 2023")  # over the quarters, oldest first
    assert "periode lain" in r.output and "dikembalikan" in r.output
    r = runner.invoke(app, ["riwayat", "999999", "-o", str(out)])
    assert r.exit_code == 0 and "tidak ada kiriman" in r.output
    r = runner.invoke(app, ["riwayat", "900002", "--buku-besar", str(tmp_path / "tidak_ada.sqlite")])
    assert r.exit_code == 2 and "tidak ditemukan" in r.output
    r = runner.invoke(app, ["riwayat", "900002", "--buku-besar", str(out)])  # the rollup, not its ledger
    assert r.exit_code == 2 and "tidak dapat dibaca (bukan berkas buku besar SQLite)" in " ".join(r.output.split())
    assert "file is not a database" not in r.output


def test_riwayat_names_an_annual_form_by_its_year(demo_dir, tmp_path):
    """Rencana Aksi has no quarter: its row reads 'Tahun 2023', not 'TW ? 2023'."""
    d = tmp_path / "kiriman"
    d.mkdir()
    for name in ("247246_BSPJI-Manado_2023_rencana-aksi.xlsx", "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"):
        shutil.copy(demo_dir / name, d / name)
    out = tmp_path / "out" / "rollup.xlsx"
    consolidate(d, out, waktu=dt.datetime(2023, 7, 20, 9))
    con = sqlite3.connect(ledger_path(out))
    try:
        rows = {r["form"]: r["periode"] for r in riwayat(con, "247246")}
    finally:
        con.close()
    assert rows == {"rencana-aksi": "Tahun 2023", "paket-triwulan": "TW 2 2023"}


def test_a_file_sent_after_dikembalikan_is_used_and_a_returned_revision_keeps_the_accepted_one(folder, tmp_path):
    d, units = folder
    out = tmp_path / "out" / "rollup.xlsx"
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 10, 9))
    _decide(out, "900002", "Dikembalikan", NOTE)
    _decide(out, "900003", "Diterima")
    consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 11, 9))
    bigger = {"6077": [Output("AEF", 60000, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
    write(Paket(satker="900002", kegiatan=bigger, waktu_kirim="2023-07-06T09:00:00"), d / "b_perbaikan.xlsx")
    write(Paket(satker="900003", kegiatan=bigger, waktu_kirim="2023-07-06T09:00:00"), d / "c_revisi.xlsx")
    h = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 12, 9))
    k = {x.rel: x.status for x in h.kiriman}
    assert (k["b.xlsx"], k["b_perbaikan.xlsx"]) == ("dikembalikan", "dipakai")  # the corrected file counts
    assert (k["c.xlsx"], k["c_revisi.xlsx"]) == ("dipakai", "revisi setelah diterima")
    assert h.forms_b[0].jumlah["total"].value == 48488 + 60000 + 48488
    wb, cols, rows = _status_rows(out)
    ws = wb["Status Pengiriman"]
    assert ws.cell(rows["900002"], cols[COL_KUNCI]).value.startswith(_sha(d / "b_perbaikan.xlsx"))
    assert ws.cell(rows["900002"], cols[COL_KEPUTUSAN]).value is None  # the new file awaits a decision
    _decide(out, "900003", "Dikembalikan", "Revisi tidak diperlukan; laporan yang diterima tetap dipakai.")
    h = consolidate(d, out, units=units, waktu=dt.datetime(2023, 7, 13, 9))
    k = {x.rel: x.status for x in h.kiriman}
    assert (k["c.xlsx"], k["c_revisi.xlsx"]) == ("dipakai", "dikembalikan")
    assert h.forms_b[0].jumlah["total"].value == 48488 + 60000 + 48488
    st = next(s for s in h.status if s.unit.kode == "900003")  # the unit's report is the accepted one
    assert (st.verifikasi, st.keputusan, st.warna) == ("diterima", "Diterima", "hijau")
    assert st.kunci.startswith(_sha(d / "c.xlsx"))
