"""Incremental konsolidasi: a re-run reads only new and changed files (macros/konsolidasi/cache.py)."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
import sqlite3

import pytest

from macros.contoh import Output, Paket, write
from macros.konsolidasi import cache, collect, consolidate, ledger_path

RUN = dt.datetime(2023, 7, 20, 9)


def _paket(satker: str, pagu: int) -> Paket:
    return Paket(satker=satker, waktu_kirim="2023-07-04T09:00:00", kegiatan={
        "6077": [Output("AEF", pagu, (10.0, 10.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0))]})


def _paket_lengkap(satker: str, pagu: int, stamp: str = "2023-07-04T09:00:00") -> Paket:
    return Paket(satker=satker, nama=f"Satker {satker}", waktu_kirim=stamp, kegiatan={
        "6077": [Output("AEF", pagu, (10.0, 10.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0)),
                 Output("BAD", pagu // 3, (17.95, 18.63, 18.89, 19.0), (8.56, 9.01, 8.96, 9.0))],
        "6042": [Output("EBA", 2 * pagu, (17.27, 17.5, 19.06, 19.2), (29.36, 29.4, 28.94, 29.0))]},
        skm=[[2 + (i + j) % 3 for j in range(9)] for i in range(6)],
        p3dn=[("521211", 100_000_000, pagu * 1000, 5_000_000)])


@pytest.fixture
def reads(monkeypatch):
    """The names of the files each run gave to the workers."""
    seen: list[list[str]] = []
    real = collect._run_pool

    def spy(jobs, todo, *args, **kwargs):
        seen.append(sorted(jobs[i][1] for i in todo))
        return real(jobs, todo, *args, **kwargs)

    monkeypatch.setattr(collect, "_run_pool", spy)
    return seen


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The three submissions, written once for the module (each test works on its own copy)."""
    d = tmp_path_factory.mktemp("kiriman")
    for n, pagu in (("900001", 48488), ("900002", 50000), ("900003", 70000)):
        write(_paket(n, pagu), d / f"{n}.xlsx")
    return d


@pytest.fixture
def folder(written, tmp_path):
    d = tmp_path / "kiriman"
    shutil.copytree(written, d, copy_function=shutil.copy)  # a fresh modification time, as if just written
    return d


def test_a_rerun_reads_only_the_changed_file_and_gives_the_same_rollup(folder, tmp_path, reads):
    out = tmp_path / "hasil" / "rollup.xlsx"
    cold = consolidate(folder, out, waktu=RUN, workers=1)
    first = out.read_bytes()
    again = consolidate(folder, out, waktu=RUN, workers=1)
    assert out.read_bytes() == first  # nothing read, the same rollup
    assert [k.status for k in again.kiriman] == [k.status for k in cold.kiriman] == ["dipakai"] * 3
    assert [len(k.dipakai) for k in again.kiriman] == [len(k.dipakai) for k in cold.kiriman]
    (folder / "900002.xlsx").unlink()
    write(_paket("900002", 61000), folder / "900002.xlsx")
    changed = consolidate(folder, out, waktu=RUN, workers=1)
    assert reads == [["900001.xlsx", "900002.xlsx", "900003.xlsx"], ["900002.xlsx"]]
    assert changed.changes.berubah == ["900002.xlsx"]
    pagu = [r.pagu.value for k in changed.kiriman if k.unit == "900002" for b in k.bagian for r in b.rows]
    assert pagu == [61000]


def test_a_new_rule_set_version_reads_everything_again(folder, tmp_path, reads, monkeypatch):
    out = tmp_path / "rollup.xlsx"
    consolidate(folder, out, waktu=RUN, workers=1)
    monkeypatch.setattr(cache, "VERSI", "lain")
    consolidate(folder, out, waktu=RUN, workers=1)
    assert reads == [["900001.xlsx", "900002.xlsx", "900003.xlsx"]] * 2
    con = sqlite3.connect(ledger_path(out))
    assert {v for (v,) in con.execute("SELECT versi FROM hasil_baca")} == {"lain"}  # old entries dropped


def test_the_version_follows_the_rules_and_layouts(tmp_path):
    for name in ("workbooks/forms/form_a.py", "macros/validation/catalogue.py", "macros/konsolidasi/extract.py",
                 "addin/cli.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("KOLOM = 'c1'\n")
    before = cache._version(tmp_path)
    assert len(before) == 32 and cache._version(tmp_path) == before
    (tmp_path / "addin/cli.py").write_text("# a front end does not decide what a file reads to\n")
    assert cache._version(tmp_path) == before
    for name in ("workbooks/forms/form_a.py", "macros/validation/catalogue.py", "macros/konsolidasi/extract.py"):
        (tmp_path / name).write_text("KOLOM = 'c2'\n")
        assert cache._version(tmp_path) != before
        before = cache._version(tmp_path)


class _Boom:
    def __reduce__(self):
        import os

        return (os.system, ("echo dijalankan > /dev/null",))


def test_a_foreign_entry_in_the_ledger_is_never_run_and_the_file_is_read_again(folder, tmp_path, reads):
    out = tmp_path / "rollup.xlsx"
    consolidate(folder, out, waktu=RUN, workers=1)
    con = sqlite3.connect(ledger_path(out))
    with con:
        con.execute("UPDATE hasil_baca SET hasil = ? WHERE berkas = '900001.xlsx'", (pickle.dumps(_Boom()),))
    with pytest.raises(pickle.UnpicklingError, match="tidak diizinkan"):
        cache.loads(pickle.dumps(_Boom()))
    h = consolidate(folder, out, waktu=RUN, workers=1)
    assert reads[-1] == ["900001.xlsx"]
    assert [k.status for k in h.kiriman] == ["dipakai"] * 3


def test_garbage_collection_is_paused_in_the_run_and_on_in_the_workers(folder, tmp_path, monkeypatch):
    import gc

    import macros.konsolidasi as kons

    real_load, real_bytes, seen = collect.load, kons.to_bytes, {}

    def load(job):  # runs in a worker process; what it saw travels back on the result
        k = real_load(job)
        k.gc_in_worker = gc.isenabled()
        return k

    def to_bytes(wb, run):
        seen["writing"] = gc.isenabled()
        return real_bytes(wb, run)

    monkeypatch.setattr(collect, "load", load)
    monkeypatch.setattr(kons, "to_bytes", to_bytes)
    assert gc.isenabled()
    h = consolidate(folder, tmp_path / "rollup.xlsx", waktu=RUN, workers=1)
    assert [k.gc_in_worker for k in h.kiriman] == [True] * 3
    assert seen == {"writing": False} and gc.isenabled()  # paused while writing, restored after


def test_a_rerun_writes_the_bytes_of_a_cold_run_with_the_same_ledger_history(tmp_path, reads):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    for n, pagu in (("900001", 48488), ("900002", 50000), ("900003", 70000)):
        write(_paket_lengkap(n, pagu), folder / f"{n}.xlsx")
    write(_paket_lengkap("900004", 30000, stamp=""), folder / "900004.xlsx")  # no stamp: arrival from the ledger
    out = tmp_path / "hasil" / "rollup.xlsx"
    consolidate(folder, out, waktu=RUN, workers=1)
    # the same history for the cold run: the first run's rollup and ledger, without the read cache
    cold_out = tmp_path / "dingin" / "rollup.xlsx"
    shutil.copytree(out.parent, cold_out.parent)
    con = sqlite3.connect(ledger_path(cold_out))
    with con:
        assert con.execute("DELETE FROM hasil_baca").rowcount == 4
    con.close()
    (folder / "900002.xlsx").unlink()  # one satker sends again, another arrives, one file without a stamp
    write(_paket_lengkap("900002", 61000, stamp="2023-07-05T10:00:00"), folder / "900002.xlsx")
    write(_paket_lengkap("900005", 20000, stamp=""), folder / "900005.xlsx")
    later = RUN + dt.timedelta(days=1)
    again = consolidate(folder, out, waktu=later, workers=1)
    cold = consolidate(folder, cold_out, waktu=later, workers=1)
    assert reads == [["900001.xlsx", "900002.xlsx", "900003.xlsx", "900004.xlsx"],
                     ["900002.xlsx", "900005.xlsx"],
                     ["900001.xlsx", "900002.xlsx", "900003.xlsx", "900004.xlsx", "900005.xlsx"]]
    assert [k.status for k in again.kiriman] == [k.status for k in cold.kiriman] == ["dipakai"] * 5
    assert sum(s.diterima for s in again.status) == 5
    assert [k.sumber_waktu for k in again.kiriman] == [collect.STAMP] * 3 + [collect.LEDGER, collect.UNKNOWN]
    assert out.read_bytes() == cold_out.read_bytes()
