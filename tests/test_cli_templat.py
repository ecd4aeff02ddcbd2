"""The `kinerja templat` / `kinerja demo` commands: Indonesian text, exit codes."""

from __future__ import annotations

from typer.testing import CliRunner

from macros.cli import app
from workbooks.reader import read_workbook

runner = CliRunner()


def test_templat_help_is_indonesian():
    r = runner.invoke(app, ["templat", "--help"])
    assert r.exit_code == 0
    for text in ("Cara pakai:", "Buat templat form kosong", "Opsi", "Argumen", "Kode satker 6 digit"):
        assert text in r.output
    for english in ("Usage:", "Options", "Show this message"):
        assert english not in r.output


def test_templat_writes_a_readable_package(tmp_path):
    out = tmp_path / "paket.xlsx"
    r = runner.invoke(app, ["templat", "paket-triwulan", "-o", str(out), "--satker", "247246", "--tahun", "2023",
                            "--triwulan", "2", "--kegiatan", "6077", "--kegiatan", "6042"])
    assert r.exit_code == 0, r.output
    data = read_workbook(out)
    assert data.meta.form == "paket-triwulan" and data.meta.satker == "247246"
    assert [s.name for s in data.sheets] == ["FORM A 6077", "FORM A 6042", "ALKI", "PENGUKURAN", "P3DN", "SKM"]
    assert [s.kegiatan for s in data.sheets[:2]] == ["6077", "6042"]


def test_unknown_form_gives_a_clear_message_and_exit_2(tmp_path):
    r = runner.invoke(app, ["templat", "form-z", "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2
    assert "Form 'form-z' tidak dikenal" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_options_exit_2_in_indonesian(tmp_path):
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--triwulan", "5"])
    assert r.exit_code == 2 and "di luar rentang" in r.output
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--satker", "24724"])
    assert r.exit_code == 2 and "harus 6 digit" in r.output
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--kode", "1"])
    assert r.exit_code == 2 and "tidak dikenal" in r.output
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.txt")])
    assert r.exit_code == 2 and ".xlsx" in r.output
