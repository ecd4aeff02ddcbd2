"""A konsolidasi re-run (unchanged files from the ledger's read cache) writes the very bytes a cold run writes
over the same files, with the same parameters and the same ledger history (macros/konsolidasi)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

import pytest

from macros.contoh import Output, Paket, write
from macros.konsolidasi import collect, consolidate, ledger_path

RUN = dt.datetime(2023, 7, 20, 9)


def _paket(satker: str, pagu: int, stamp: str = "2023-07-04T09:00:00") -> Paket:
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


def test_a_rerun_writes_the_bytes_of_a_cold_run_with_the_same_ledger_history(tmp_path, reads):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    for n, pagu in (("900001", 48488), ("900002", 50000), ("900003", 70000)):
        write(_paket(n, pagu), folder / f"{n}.xlsx")
    write(_paket("900004", 30000, stamp=""), folder / "900004.xlsx")  # no stamp: arrival from the ledger
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
    write(_paket("900002", 61000, stamp="2023-07-05T10:00:00"), folder / "900002.xlsx")
    write(_paket("900005", 20000, stamp=""), folder / "900005.xlsx")
    later = RUN + dt.timedelta(days=1)
    again = consolidate(folder, out, waktu=later, workers=1)
    cold = consolidate(folder, cold_out, waktu=later, workers=1)
    assert reads == [["900001.xlsx", "900002.xlsx", "900003.xlsx", "900004.xlsx"],
                     ["900002.xlsx", "900005.xlsx"],
                     ["900001.xlsx", "900002.xlsx", "900003.xlsx", "900004.xlsx", "900005.xlsx"]]
    assert [k.status for k in again.kiriman] == ["dipakai"] * 5
    assert sum(s.diterima for s in again.status) == 5
    assert [k.sumber_waktu for k in again.kiriman] == [collect.STAMP] * 3 + [collect.LEDGER, collect.UNKNOWN]
    assert out.read_bytes() == cold_out.read_bytes()
