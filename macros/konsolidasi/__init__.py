"""Konsolidasi: a folder of submissions → FORM B per program and the rollup workbook.

    consolidate(folder, out, units=None, tahun=None, triwulan=None, waktu=None, cuti_bersama=()) -> Hasil

Every .xlsx/.xlsm under the folder is read (python-calamine, in parallel
processes) and validated; a file with a galat stays out of every total and is
listed with its findings. Per form sheet the newest submission wins. The
rollup is built in memory, written to a temporary file and renamed into place;
runs on the same output are serialised by a lock; an SQLite ledger beside the
rollup tells what is new, changed or withdrawn since the previous run.

Modules: :mod:`.collect` (find, read, validate, duplicates), :mod:`.extract`
(per-file records), :mod:`.rollup` (the udfs rules), :mod:`.writer` (the
workbook), :mod:`.trail` (Jejak Data), :mod:`.deadline` (working days),
:mod:`.ledger`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from macros.files import write_bytes_atomic
from macros.konsolidasi.collect import Kiriman, find_files, load_all, period, resolve
from macros.konsolidasi.deadline import Kalender, deadline, working_days_after
from macros.konsolidasi.ledger import Perubahan, ledger_path, record
from macros.konsolidasi.rollup import FormB, Rollup, StatusUnit, build
from macros.konsolidasi.writer import build_workbook, to_bytes
from workbooks.forms._cols import RE_SATKER
from workbooks.units import Unit, load_units

__all__ = ["Hasil", "Kiriman", "Perubahan", "consolidate", "deadline", "ledger_path", "working_days_after"]


@dataclass
class Hasil:
    """The outcome of one run."""

    out: Path
    ledger: Path
    kiriman: list[Kiriman]
    rollup: Rollup
    changes: Perubahan

    @property
    def dipakai(self) -> list[Kiriman]:
        return [k for k in self.kiriman if k.dipakai]

    @property
    def forms_b(self) -> list[FormB]:
        return self.rollup.forms_b

    @property
    def status(self) -> list[StatusUnit]:
        return self.rollup.status


def _units(path: str | Path | None, kiriman: list[Kiriman]) -> dict[str, Unit]:
    """The unit list; without one, the senders (named as in the sample list when it knows them)."""
    if path is not None:
        return load_units(path)
    sample = load_units()
    out: dict[str, Unit] = {}
    for k in kiriman:
        if k.ident and re.fullmatch(RE_SATKER, k.unit):
            out.setdefault(k.unit, sample.get(k.unit) or Unit(k.unit, k.ident.nama, k.ident.eselon1, ""))
    return out


def consolidate(folder: str | Path, out: str | Path, units: str | Path | None = None, tahun: int | None = None,
                triwulan: int | None = None, waktu: dt.datetime | None = None,
                cuti_bersama: Iterable[dt.date] = (), cuti_bersama_skb: bool = False, progress: Callable[[int, int], None] | None = None,
                workers: int | None = None) -> Hasil:
    """Consolidate every submission under ``folder`` into the rollup workbook ``out``.

    ``waktu`` is the run timestamp written into the rollup (default: now); two runs with the same inputs and
    the same ``waktu`` give the same bytes. Deadlines skip public holidays, the ``cuti_bersama`` dates and,
    with ``cuti_bersama_skb``, the SKB cuti bersama known to the ``holidays`` package. ``progress(done,
    total)`` is called as files are read.
    """
    folder, out = Path(folder), Path(out)
    run = (waktu or dt.datetime.now()).replace(microsecond=0)
    out.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(out.with_name(out.name + ".lock"))):  # one run per rollup at a time, start to finish
        paths = [p for p in find_files(folder) if p.resolve() != out.resolve()]
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], len(paths))

        kiriman = load_all(folder, paths, workers, tick)
        latest = period(kiriman, tahun)
        t, tw = tahun or latest[0], triwulan or latest[1]
        resolve(kiriman, t, tw)
        kalender = Kalender(cuti_bersama, cuti_bersama_skb)
        roll = build(kiriman, _units(units, kiriman), units is not None, t, tw, kalender)
        write_bytes_atomic(to_bytes(build_workbook(roll, kiriman, kalender, run), run), out)
        changes = record(ledger_path(out), run, folder, out, t, tw, kiriman)
    return Hasil(out, ledger_path(out), kiriman, roll, changes)
