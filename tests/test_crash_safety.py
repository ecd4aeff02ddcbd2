"""Issue 15.4 and 10.2: konsolidasi survives being killed, a damaged ledger, and hostile or broken files.

The kill tests run the real command line in a subprocess and ``kill -9`` it at named steps; the step is
reached through the documented hook ``KINERJA_TEST_PAUSE_AT`` (macros.konsolidasi.collect.pause).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from macros.konsolidasi import consolidate, ledger_path
from tests.synth import Output, Paket, write

ROOT = Path(__file__).parents[1]
RUN = dt.datetime(2023, 7, 20, 9, 0)
OUTS = {"6077": [Output("AEF", 48488, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5))]}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _runs(out: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(ledger_path(out)) as con:
        return con.execute("SELECT status, rollup_sha256 FROM run ORDER BY id").fetchall()


def _agree(out: Path) -> None:
    """The ledger's last published run is the rollup on disk; nothing pending, no temporary file."""
    runs = _runs(out)
    assert runs and all(s == "selesai" for s, _ in runs), runs
    assert runs[-1][1] == _sha(out)
    assert not list(out.parent.glob(".*.tmp"))


def _dead(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Two satkers' submissions and a published rollup with its ledger (one run)."""
    d = tmp_path_factory.mktemp("crash")
    folder = d / "kiriman"
    folder.mkdir()
    write(Paket(satker="900001", kegiatan=OUTS, waktu_kirim="2023-07-04T09:00:00"), folder / "a.xlsx")
    write(Paket(satker="900002", kegiatan=OUTS, waktu_kirim="2023-07-05T09:00:00"), folder / "b.xlsx")
    out = d / "hasil" / "rollup.xlsx"
    consolidate(folder, out, waktu=RUN, workers=1)
    return folder, out


def _copy_out(base, tmp_path: Path) -> Path:
    _, out = base
    target = tmp_path / "hasil"
    shutil.copytree(out.parent, target)
    return target / out.name


def _run_until(step: str, folder: Path, out: Path) -> tuple[subprocess.Popen, int]:
    """Start ``kinerja konsolidasi`` and wait until it pauses at ``step``; returns it and the pausing pid."""
    env = {**os.environ, "KINERJA_TEST_PAUSE_AT": step, "KINERJA_TEST_PAUSE_SECONDS": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "addin.cli", "konsolidasi", str(folder), "-o", str(out),
                             "--waktu", "2023-07-21T09:00", "--proses", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    sel.register(proc.stderr, selectors.EVENT_READ)
    deadline, text = time.monotonic() + 120, b""
    while time.monotonic() < deadline:
        if sel.select(timeout=1):
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            text += chunk
            for line in text.decode(errors="replace").splitlines():
                if line.startswith(f"KINERJA_PAUSE {step} "):
                    return proc, int(line.split()[2])
    proc.kill()
    raise AssertionError(f"never paused at {step}: {text.decode(errors='replace')[-2000:]}")


@pytest.mark.parametrize("step", ["baca", "tertunda", "tmp", "terbit"])
def test_kill_9_at_each_step_then_the_next_run_recovers(base, tmp_path, step):
    folder, _ = base
    out = _copy_out(base, tmp_path)
    old = _sha(out)
    proc, pid = _run_until(step, folder, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stderr.close()
    if step == "baca":  # the pausing process is a pool worker: it dies with the run
        assert pid != proc.pid
        for _ in range(50):
            if _dead(pid):
                break
            time.sleep(0.1)
        assert _dead(pid), f"worker {pid} outlived its killed parent"
    temps = list(out.parent.glob(".*.tmp"))
    if step == "tmp":  # killed just before the rename: a full-size temporary file is left
        assert len(temps) == 1 and temps[0].stat().st_size > 1000
    else:
        assert not temps
    published = step == "terbit"
    assert (_sha(out) != old) == published  # the rollup is the previous one unless the rename happened
    runs = _runs(out)
    assert len(runs) == (1 if step == "baca" else 2) and runs[0][0] == "selesai"
    if step != "baca":
        assert runs[1][0] == "tertunda" and (runs[1][1] == _sha(out)) == published
    # the next run settles the pending entry by the rollup on disk, cleans up, and publishes
    h = consolidate(folder, out, waktu=RUN + dt.timedelta(days=2), workers=1)
    _agree(out)
    assert len(_runs(out)) == (3 if published else 2)
    notes = " ".join(h.catatan)
    if step in ("tertunda", "tmp"):
        assert "tidak menerbitkan rollup; catatannya dibatalkan" in notes
    if published:
        assert "sudah menerbitkan rollup; dicatat selesai" in notes
    if step == "tmp":
        assert "1 berkas sementara" in notes


def test_a_damaged_ledger_is_moved_aside_and_never_stops_the_rollup(base, tmp_path):
    folder, _ = base
    out = _copy_out(base, tmp_path)
    ledger_path(out).write_bytes(b"bukan basis data SQLite " * 200)
    h = consolidate(folder, out, waktu=RUN + dt.timedelta(days=1), workers=1)
    aside = [p for p in out.parent.iterdir() if ".rusak-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"bukan basis data")
    assert "rusak" in h.catatan[0] and aside[0].name in h.catatan[0]
    assert "tidak dapat dibuka (bukan berkas buku besar SQLite)" in h.catatan[0]  # SQLite's English never shown
    assert h.changes.pertama and len(_runs(out)) == 1
    _agree(out)


# --- isolation of hostile and broken files ------------------------------------------------------------

def test_a_crashing_aborting_or_hanging_reader_is_listed_and_the_run_goes_on(base, tmp_path, monkeypatch):
    import workbooks.reader as reader

    folder = tmp_path / "kiriman"
    shutil.copytree(base[0], folder)
    for name in ("abort.xlsx", "hang.xlsx", "raise.xlsx", "rakus.xlsx"):
        shutil.copy(folder / "a.xlsx", folder / name)
    real = reader.read_workbook

    def hostile(path, *a, **k):  # the workers are forked: they inherit this
        name = Path(path).name
        if name == "abort.xlsx":
            os.abort()
        if name == "hang.xlsx":
            time.sleep(600)
        if name == "raise.xlsx":
            raise RuntimeError("pembaca rusak")
        if name == "rakus.xlsx":  # beyond the worker's memory budget: fails there, not on the machine
            return bytearray(8 << 30)
        return real(path, *a, **k)

    monkeypatch.setattr(reader, "read_workbook", hostile)
    # The per-file budget: the hanging file waits it out, so it sets this test's time. A real file reads in
    # well under a second here (0,4-0,8 s for both files with a load of 6 on 2 cores): 4 s leaves a margin.
    budget = 4
    started = time.monotonic()
    h = consolidate(folder, tmp_path / "hasil" / "rollup.xlsx", waktu=RUN, workers=2, batas_waktu=budget)
    assert budget <= time.monotonic() - started < 60  # the hanging file was given its budget, then stopped
    st = {k.rel: k for k in h.kiriman}
    assert st["abort.xlsx"].status == "tidak dapat dibaca" and "SIGABRT" in st["abort.xlsx"].alasan
    assert st["hang.xlsx"].status == "tidak dapat dibaca" and f"batas waktu {budget} detik" in st["hang.xlsx"].alasan
    assert st["raise.xlsx"].status == "tidak dapat dibaca" and "pembaca rusak" in st["raise.xlsx"].alasan
    assert st["rakus.xlsx"].status == "tidak dapat dibaca" and "memori melebihi batas" in st["rakus.xlsx"].alasan
    assert st["a.xlsx"].status == "dipakai" and st["b.xlsx"].status == "dipakai", [(k.rel, k.alasan) for k in h.kiriman]
    assert h.forms_b[0].jumlah["total"].value == 2 * 48488


def _set_meta(path: Path, **values: str) -> Path:
    """Overwrite metadata values (the hidden _kinerja sheet) of a written workbook."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["_kinerja"]
    for row in ws.iter_rows():
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(path)
    return path


def test_metadata_values_are_checked_as_data_and_a_bad_one_refuses_the_file(base, tmp_path):
    folder = tmp_path / "kiriman"
    shutil.copytree(base[0], folder)
    bad = {"tahun.xlsx": {"tahun": "-1"}, "triwulan.xlsx": {"triwulan": "5"}, "tak_hingga.xlsx": {"tahun": "1e308"},
           "eselon.xlsx": {"eselon1": "BS/KJI[1]"},
           "kode.xlsx": {"satker": "90000A"}, "waktu.xlsx": {"waktu_kirim": "kemarin sore"}}
    for name, values in bad.items():
        shutil.copy(folder / "a.xlsx", folder / name)
        _set_meta(folder / name, **values)
    shutil.copy(folder / "a.xlsx", folder / "form.xlsx")
    _set_meta(folder / "form.xlsx", form="form-palsu")
    # a stamp in 2099 from the same satker as a.xlsx: refused, and it does not win the duplicate contest
    shutil.copy(folder / "a.xlsx", folder / "z_2099.xlsx")
    _set_meta(folder / "z_2099.xlsx", waktu_kirim="2099-01-01T00:00:00+07:00")
    h = consolidate(folder, tmp_path / "hasil" / "rollup.xlsx", waktu=RUN, workers=2)
    st = {k.rel: k for k in h.kiriman}
    for name in [*bad, "z_2099.xlsx"]:
        assert st[name].status == "ditolak" and "tidak sah" in st[name].alasan, (name, st[name].alasan)
    # metadata naming no known form: not a kinerja form at all (the reader refuses it), listed with the reason
    assert st["form.xlsx"].status == "bukan form" and "'form-palsu'" in st["form.xlsx"].alasan
    assert "masa depan" in st["z_2099.xlsx"].alasan and st["z_2099.xlsx"].waktu_kirim is None
    assert st["a.xlsx"].status == "dipakai" and st["b.xlsx"].status == "dipakai"
    assert (h.rollup.tahun, h.rollup.triwulan) == (2023, 2)
    assert h.forms_b[0].jumlah["total"].value == 2 * 48488


def test_sheet_titles_made_from_data_are_sanitised(base, tmp_path):
    from macros.konsolidasi.writer import sheet_title

    assert sheet_title("FORM B BS/KJI[1] EC") == "FORM B BS-KJI-1- EC"
    assert sheet_title("'x*?:\\\x01'", ["x-----"]) == "x----- (2)"
    assert len(sheet_title("FORM B " + "A" * 40, ["FORM B " + "A" * 24])) == 31
    units = tmp_path / "unit.csv"
    units.write_text("kode_satker,nama,eselon1,provinsi\n900001,Balai 1,BS/KJI[1],SULAWESI UTARA\n"
                     "900002,Balai 2,BS:KJI*1,SULAWESI UTARA\n", encoding="utf-8")
    h = consolidate(base[0], tmp_path / "hasil" / "rollup.xlsx", units=units, waktu=RUN, workers=1)
    import openpyxl

    names = openpyxl.load_workbook(h.out).sheetnames
    assert "FORM B BS-KJI-1- EC" in names and "FORM B BS-KJI-1 EC" in names


def test_filesystem_symlinks_other_formats_odd_names_and_an_empty_folder(base, tmp_path):
    from typer.testing import CliRunner

    from addin.cli import app

    folder = tmp_path / "kiriman"
    shutil.copytree(base[0], folder)
    outside = tmp_path / "luar"
    outside.mkdir()
    shutil.copy(folder / "b.xlsx", outside / "c.xlsx")
    (folder / "tautan.xlsx").symlink_to(outside / "c.xlsx")
    (folder / "folder-luar").symlink_to(outside)
    (folder / "dalam.xlsx").symlink_to(folder / "b.xlsx")  # inside the folder: read (a duplicate of b)
    (folder / "lama.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "hitung.ods").write_bytes(b"PK")
    odd = os.fsencode(folder) + b"/laporan-\xff\xfe.xlsx"  # a name in no valid UTF-8
    os.rename(folder / "a.xlsx", odd)
    h = consolidate(folder, tmp_path / "hasil" / "rollup.xlsx", waktu=RUN, workers=2)
    st = {k.rel: k for k in h.kiriman}
    assert st["tautan.xlsx"].status == "tidak dapat dibaca" and "di luar folder" in st["tautan.xlsx"].alasan
    assert st["folder-luar"].status == "tidak dapat dibaca" and "tidak diikuti" in st["folder-luar"].alasan
    assert st["lama.xls"].status == "tidak dibaca" and "simpan sebagai .xlsx" in st["lama.xls"].alasan
    assert st["hitung.ods"].status == "tidak dibaca"
    assert st["laporan-\\xff\\xfe.xlsx"].status == "dipakai"
    assert {st["b.xlsx"].status, st["dalam.xlsx"].status} == {"dipakai", "duplikat"}
    assert not any(k.rel.endswith("c.xlsx") for k in h.kiriman)
    import openpyxl

    listed = {r[0]: r[7] for r in openpyxl.load_workbook(h.out)["Kiriman"].iter_rows(min_row=5, values_only=True)}
    assert listed["laporan-\\xff\\xfe.xlsx"] == "dipakai" and listed["lama.xls"] == "tidak dibaca"
    empty = tmp_path / "kosong"
    empty.mkdir()
    r = CliRunner().invoke(app, ["konsolidasi", str(empty), "-o", str(tmp_path / "r.xlsx")])
    assert r.exit_code == 2 and "tidakberisiberkaskiriman" in "".join(r.output.split())
    assert "Traceback" not in r.output


def test_an_unreadable_file_is_listed_with_the_reason(base, tmp_path, monkeypatch):
    """chmod 000. Root reads any file, so as root the refusal of ``open`` is simulated."""
    from macros.konsolidasi import collect

    folder = tmp_path / "kiriman"
    shutil.copytree(base[0], folder)
    os.chmod(folder / "b.xlsx", 0o000)
    if os.geteuid() == 0:
        real = open

        def refusing(path, *a, **k):
            if Path(path).name == "b.xlsx":
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *a, **k)

        monkeypatch.setattr(collect, "open", refusing, raising=False)
    try:
        found, skipped = collect.find_files(folder)
    finally:
        os.chmod(folder / "b.xlsx", 0o644)
    assert [p.name for p in found] == ["a.xlsx"]
    assert [(k.rel, k.unread, k.error) for k in skipped] == [
        ("b.xlsx", "tidak dapat dibaca", "berkas tidak dapat dibuka (izin ditolak)")]
