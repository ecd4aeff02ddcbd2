"""Issue 15.3 and 10.6: outputs never touch inputs; outputs are atomic, get the user's umask, and a full
disk leaves the previous rollup."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import app
from macros.files import OutputOverlap, guard_output, save_atomic, write_bytes_atomic
from macros.konsolidasi import consolidate, ledger_path
from macros.validation.run import validate_files
from tests.synth import Output, Paket, write

RUN = "2023-07-20T09:00"
OUTS = {"6077": [Output("AEF", 48488, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}
runner = CliRunner()


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha(p) for p in folder.rglob("*") if p.is_file()}


def _flat(text: str) -> str:
    """Console output without the line breaks rich adds to long paths."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def paket(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("paket")
    return write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), d / "a.xlsx")


@pytest.fixture
def inbox(tmp_path, paket) -> Path:
    d = tmp_path / "kiriman"
    (d / "sub").mkdir(parents=True)
    shutil.copy(paket, d / "a.xlsx")
    return d


# --- konsolidasi -----------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["rollup.xlsx", "sub/rollup.xlsx", "a.xlsx", "link/rollup.xlsx",
                                   "sub/../rollup.xlsx"])
def test_konsolidasi_refuses_an_output_inside_the_input_folder(inbox, tmp_path, where):
    if where.startswith("link/"):
        (tmp_path / "link").symlink_to(inbox / "sub")  # a symlink does not get around it
        out = tmp_path / where
    else:
        out = Path(f"{inbox}/{where}")
    before = _snapshot(inbox)
    r = runner.invoke(app, ["konsolidasi", str(inbox), "-o", str(out), "--waktu", RUN])
    assert r.exit_code == 2, r.output
    assert "folder masukan" in r.output and _flat(str(out)) in _flat(r.output) and "Traceback" not in r.output
    assert _snapshot(inbox) == before  # nothing written, no lock or ledger left in the input folder


def test_konsolidasi_refuses_the_unit_list_as_output_and_checks_in_the_macro(inbox, tmp_path):
    units = tmp_path / "unit.xlsx"
    units.write_bytes(b"kode_satker,nama,eselon1,provinsi\n")
    before = _sha(units)
    with pytest.raises(OutputOverlap, match="berkas masukan"):
        consolidate(inbox, units, units=units)
    assert _sha(units) == before
    with pytest.raises(OutputOverlap, match="di dalam folder masukan"):
        consolidate(inbox, inbox / "sub" / "r.xlsx")


def test_an_output_folder_beside_the_input_folder_is_allowed(inbox, tmp_path):
    """The demo's layout: kiriman/ and konsolidasi/rollup.xlsx side by side."""
    guard_output(tmp_path / "konsolidasi" / "rollup.xlsx", folders=[inbox])
    guard_output(tmp_path / "rollup.xlsx", folders=[inbox])  # the input folder's parent is fine


# --- validasi --------------------------------------------------------------------------------------

def test_validasi_anotasi_into_the_inputs_folder_is_refused(inbox):
    before = _snapshot(inbox)
    for target in (inbox, inbox / "sub" / ".."):
        r = runner.invoke(app, ["validasi", str(inbox / "a.xlsx"), "--anotasi", str(target)])
        assert r.exit_code == 2, r.output
        assert "Folder --anotasi" in r.output and "folder masukan" in r.output
    assert _snapshot(inbox) == before
    with pytest.raises(OutputOverlap):
        validate_files([inbox / "a.xlsx"], anotasi=inbox)
    # a subfolder (the demo's anotasi/) is fine, and the input still unchanged
    r = runner.invoke(app, ["validasi", str(inbox / "a.xlsx"), "--anotasi", str(inbox / "anotasi")])
    assert r.exit_code in (0, 1) and (inbox / "anotasi" / "a.xlsx").exists()
    assert _sha(inbox / "a.xlsx") == before["a.xlsx"]


def test_validasi_json_onto_an_input_is_refused(inbox, tmp_path):
    prev = tmp_path / "tw1.xlsx"
    shutil.copy(inbox / "a.xlsx", prev)
    before, before_prev = _sha(inbox / "a.xlsx"), _sha(prev)
    for target in (inbox / "a.xlsx", prev):
        r = runner.invoke(app, ["validasi", str(inbox / "a.xlsx"), "--sebelumnya", str(prev), "--json", str(target)])
        assert r.exit_code == 2, r.output
        assert "Berkas --json" in r.output and "berkas masukan" in r.output
    r = runner.invoke(app, ["validasi", str(inbox / "a.xlsx"), "--sebelumnya", str(prev), "--anotasi",
                            str(tmp_path)])  # the folder of the --sebelumnya file
    assert r.exit_code == 2 and "Folder --anotasi" in r.output
    assert (_sha(inbox / "a.xlsx"), _sha(prev)) == (before, before_prev)
    r = runner.invoke(app, ["validasi", str(inbox / "a.xlsx"), "--json", str(tmp_path / "hasil.json")])
    assert r.exit_code in (0, 1) and (tmp_path / "hasil.json").read_text(encoding="utf-8").startswith("[")


# --- permissions, disk full --------------------------------------------------------------------------

def test_outputs_get_the_permissions_of_the_users_umask(tmp_path, paket):
    from openpyxl import load_workbook

    old = os.umask(0o022)
    try:
        a = write_bytes_atomic(b"x", tmp_path / "a.json")
        b = save_atomic(load_workbook(paket), tmp_path / "b.xlsx")
        assert stat.S_IMODE(a.stat().st_mode) == 0o644 and stat.S_IMODE(b.stat().st_mode) == 0o644
        os.umask(0o027)
        c = write_bytes_atomic(b"x", tmp_path / "c.json")
        assert stat.S_IMODE(c.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_a_full_disk_gives_an_indonesian_message_and_keeps_the_previous_rollup(inbox, tmp_path, monkeypatch):
    out = tmp_path / "hasil" / "rollup.xlsx"
    r = runner.invoke(app, ["konsolidasi", str(inbox), "-o", str(out), "--waktu", RUN])
    assert r.exit_code == 0, r.output
    good = out.read_bytes()

    def full(tmp: str, data: bytes) -> None:  # half the bytes fit, then the disk is full
        Path(tmp).write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("macros.files._write_fd", full)
    r = runner.invoke(app, ["konsolidasi", str(inbox), "-o", str(out), "--waktu", "2023-07-21T09:00"])
    assert r.exit_code == 2 and "Disk penuh" in r.output and "Traceback" not in r.output, r.output
    assert out.read_bytes() == good and not list(out.parent.glob(".*.tmp"))
    with sqlite3.connect(ledger_path(out)) as con:  # the failed run left nothing in the ledger
        runs = con.execute("SELECT status, rollup_sha256 FROM run").fetchall()
    assert runs == [("selesai", hashlib.sha256(good).hexdigest())]
