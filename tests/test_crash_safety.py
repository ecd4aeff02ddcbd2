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
    proc = subprocess.Popen([sys.executable, "-m", "macros.cli", "konsolidasi", str(folder), "-o", str(out),
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
    assert h.changes.pertama and len(_runs(out)) == 1
    _agree(out)


# --- isolation of hostile and broken files ------------------------------------------------------------

def test_a_crashing_aborting_or_hanging_reader_is_listed_and_the_run_goes_on(base, tmp_path, monkeypatch):
    import workbooks.reader as reader

    folder = tmp_path / "kiriman"
    shutil.copytree(base[0], folder)
    for name in ("abort.xlsx", "hang.xlsx", "raise.xlsx"):
        shutil.copy(folder / "a.xlsx", folder / name)
    real = reader.read_workbook

    def hostile(path, *a, **k):  # the workers are forked: they inherit this
        name = Path(path).name
        if name == "abort.xlsx":
            os.abort()
        if name == "hang.xlsx":
            time.sleep(600)
        if name == "raise.xlsx":
            raise MemoryError
        return real(path, *a, **k)

    monkeypatch.setattr(reader, "read_workbook", hostile)
    started = time.monotonic()
    h = consolidate(folder, tmp_path / "hasil" / "rollup.xlsx", waktu=RUN, workers=2, batas_waktu=12)
    assert time.monotonic() - started < 60
    st = {k.rel: k for k in h.kiriman}
    assert st["abort.xlsx"].status == "tidak dapat dibaca" and "SIGABRT" in st["abort.xlsx"].alasan
    assert st["hang.xlsx"].status == "tidak dapat dibaca" and "batas waktu 12 detik" in st["hang.xlsx"].alasan
    assert st["raise.xlsx"].status == "tidak dapat dibaca" and "MemoryError" in st["raise.xlsx"].alasan
    assert st["a.xlsx"].status == "dipakai" and st["b.xlsx"].status == "dipakai", [(k.rel, k.alasan) for k in h.kiriman]
    assert h.forms_b[0].jumlah["total"].value == 2 * 48488
