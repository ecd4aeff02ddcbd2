"""Konsolidasi: a folder of submissions → FORM B per program and the rollup workbook.

    consolidate(folder, out, units=None, tahun=None, triwulan=None, waktu=None, cuti_bersama=()) -> ConsolidationResult

Every .xlsx/.xlsm under the folder is read (python-calamine, in isolated worker
processes) and validated; a file with a galat, refused metadata or no data
stays out of every total and is listed with its reason. Per form sheet the
newest submission wins. The rollup is built in memory, written to a temporary
file and renamed into place; runs on the same output are serialised by a lock;
an SQLite ledger beside the rollup tells what is new, changed or withdrawn
since the previous run and commits together with the rollup (:mod:`.ledger`).
Outputs (rollup, lock, ledger) may not lie inside the input folder.

Modules: :mod:`.collect` (find, read, validate, duplicates), :mod:`.extract`
(per-file records), :mod:`.rollup` (the udfs rules), :mod:`.writer` (the
workbook), :mod:`.trail` (Jejak Data), :mod:`.deadline` (working days),
:mod:`.ledger`.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from macros import waktu as wk
from macros.files import OutputError, guard_output, stale_temps, write_bytes_atomic
from macros.konsolidasi.cache import open_cache
from macros.konsolidasi.collect import (ROLLUP_FORM, TIMEOUT, Kiriman, find_files, load_all, pause, period,
                                        resolve)
from macros.konsolidasi.deadline import Kalender, deadline, working_days_after
from macros.konsolidasi.ledger import (Perubahan, begin, cancel, finish, first_seen, ledger_path, open_ledger,
                                       recover, sqlite_alasan)
from macros.konsolidasi.rollup import FormB, Rollup, StatusUnit, build
from macros.konsolidasi import verifikasi as vf
from macros.konsolidasi.writer import build_rollup_workbook, to_bytes
from workbooks.forms._cols import RE_SATKER
from workbooks.units import DaftarTidakSah, Unit, load_units

__all__ = ["ConsolidationError", "ConsolidationResult", "Kiriman", "Perubahan", "consolidate", "deadline", "ledger_path",
           "status", "working_days_after"]


class ConsolidationError(Exception):
    """Konsolidasi cannot run (e.g. no submission in the folder); the message is Bahasa Indonesia."""


@dataclass
class ConsolidationResult:
    """The outcome of one run."""

    out: Path
    ledger: Path
    kiriman: list[Kiriman]
    rollup: Rollup
    changes: Perubahan
    catatan: list[str] = field(default_factory=list)  # warnings for the user (ledger moved aside, recovery)
    keputusan: list[vf.Keputusan] = field(default_factory=list)  # verifier decisions recorded by this run
    umpan_balik: list[Path] = field(default_factory=list)  # feedback workbooks written

    @property
    def dipakai(self) -> list[Kiriman]:
        return [k for k in self.kiriman if k.dipakai]

    @property
    def forms_b(self) -> list[FormB]:
        return self.rollup.forms_b

    @property
    def status(self) -> list[StatusUnit]:
        return self.rollup.status


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while a run builds its objects: the cached results, trails and
    rows (millions of small objects for 200 packages) all live to the end of the run, and each collection
    would walk them again (a re-run of 200 bench packages spent about half its time there). The read
    workers turn it back on (:func:`.collect._worker`).

    Objects made while collection is paused wait in the youngest generation, so the first collection after
    it would walk them all (about 1 s for a re-run of 1.000 packages, in the ledger's bookkeeping that
    follows); they are moved to the oldest generation at once instead (``gc.freeze`` then ``unfreeze``),
    where only a full collection looks at them again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was:
            gc.enable()


def _unit_list(path: str | Path) -> dict[str, Unit]:
    """The user's unit list; one that cannot be used stops the run (every submission would be refused)."""
    try:
        return load_units(path)
    except DaftarTidakSah as exc:
        raise ConsolidationError(str(exc)) from exc


def _units(listed: dict[str, Unit] | None, kiriman: list[Kiriman]) -> dict[str, Unit]:
    """The user's unit list (read by :func:`_unit_list`); without one, the senders (named as in the sample list
    when it knows them)."""
    if listed is not None:
        return listed
    sample = load_units()
    out: dict[str, Unit] = {}
    for k in kiriman:  # a blank form or one with refused metadata does not make its claimed unit expected
        if k.ident and re.fullmatch(RE_SATKER, k.unit) and not (k.kosong or k.tolak):
            out.setdefault(k.unit, sample.get(k.unit) or Unit(k.unit, k.ident.nama, k.ident.eselon1, ""))
    return out


def _check_units(kiriman: list[Kiriman], units: dict[str, Unit]) -> None:
    """With a unit list, a submission whose code the list does not know is refused (listed, not counted)."""
    known = set(units) | {u.eselon1 for u in units.values() if u.eselon1}
    for k in kiriman:
        if k.ident and k.form != ROLLUP_FORM and k.unit and k.unit not in known:
            why = f"kode satker {k.unit} tidak ada dalam daftar unit; tidak dihitung"
            k.tolak = "; ".join(x for x in (k.tolak, why) if x)


def _arrival(kiriman: list[Kiriman], seen: dict[str, tuple[str, str | None]], units: dict[str, Unit]) -> None:
    """A stamp without an offset (written by an earlier kinerja) is read in the zone of the unit's province;
    files without a trusted stamp get the time an earlier run of the ledger first saw them."""
    for k in kiriman:
        u = units.get(k.unit)
        if k.stamp and k.ident and k.stamp == wk.parse(k.ident.waktu_kirim) and u and wk.zona(u.provinsi):
            k.stamp = wk.parse(k.ident.waktu_kirim, u.provinsi)
    for k in kiriman:
        if k.stamp is None and k.sha256 in seen:
            first, before = seen[k.sha256]
            k.seen = wk.aware(dt.datetime.fromisoformat(first))
            k.seen_after = wk.aware(dt.datetime.fromisoformat(before)) if before else None


def _analyse(folder: Path, paths: list[Path], skipped: list[Kiriman], units: dict[str, Unit] | None,
             tahun: int | None, triwulan: int | None, run: dt.datetime, con: sqlite3.Connection | None,
             kalender: Kalender, decisions: Path | None, workers: int | None, tick: Callable[[int], None] | None,
             batas_waktu: float) -> tuple[list[Kiriman], Rollup, vf.Verifikasi]:
    """Read, validate and resolve the files, apply the verifier's decisions, roll up (nothing is written)."""
    kiriman = sorted(load_all(folder, paths, workers, tick, run, batas_waktu, cache=open_cache(con)) + skipped, key=lambda k: k.rel)
    unit_list = _units(units, kiriman)
    if units is not None:
        _check_units(kiriman, unit_list)
    _arrival(kiriman, first_seen(con, [k.sha256 for k in kiriman]) if con is not None else {}, unit_list)
    latest = period(kiriman, tahun)
    t, tw = tahun or latest[0], triwulan or latest[1]
    resolve(kiriman, t, tw, run)
    try:
        ver = vf.prepare(con, decisions)
    except vf.KeputusanError as exc:
        raise ConsolidationError(str(exc)) from exc
    vf.apply(kiriman, ver.berlaku, run)
    roll = build(kiriman, unit_list, units is not None, t, tw, kalender)
    vf.annotate(roll, kiriman, ver.berlaku)
    return kiriman, roll, ver


def status(folder: str | Path, out: str | Path | None = None, units: str | Path | None = None,
           tahun: int | None = None, triwulan: int | None = None, waktu: dt.datetime | None = None,
           cuti_bersama: Iterable[dt.date] = (), workers: int | None = None, batas_waktu: float = TIMEOUT,
           progress: Callable[[int, int], None] | None = None) -> tuple[Rollup, list[Kiriman], list[str]]:
    """The Status Pengiriman of ``folder`` without writing anything: arrival times and the verifier's
    decisions come from the ledger of the rollup ``out`` (read-only, copied into memory) and the decisions
    typed in that rollup. Returns (rollup figures, files, warnings)."""
    folder = Path(folder)
    run = (waktu or dt.datetime.now()).replace(microsecond=0)
    listed = _unit_list(units) if units is not None else None  # before any file is read
    paths, skipped = find_files(folder)
    if not paths:
        raise ConsolidationError(f"Folder '{folder}' tidak berisi berkas kiriman .xlsx/.xlsm.")
    con = None
    if out is not None and ledger_path(Path(out)).is_file():
        try:  # read-only, into memory: whatever the analysis stores (the read cache) never reaches the disk
            disk = sqlite3.connect(f"{ledger_path(Path(out)).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            try:
                disk.execute("SELECT COUNT(*) FROM run").fetchone()
                con = sqlite3.connect(":memory:")
                disk.backup(con)
            finally:
                disk.close()
        except sqlite3.Error as exc:
            raise ConsolidationError(f"Buku besar '{ledger_path(Path(out))}' tidak dapat dibaca "
                                     f"({sqlite_alasan(exc)}).") from exc
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], len(paths))

    try:
        with _gc_paused():
            kiriman, roll, ver = _analyse(folder, paths, skipped, listed, tahun, triwulan, run, con,
                                          Kalender(cuti_bersama), Path(out) if out is not None else None, workers,
                                          tick, batas_waktu)
    finally:
        if con is not None:
            con.close()
    return roll, kiriman, ver.catatan


def consolidate(folder: str | Path, out: str | Path, units: str | Path | None = None, tahun: int | None = None,
                triwulan: int | None = None, waktu: dt.datetime | None = None,
                cuti_bersama: Iterable[dt.date] = (), cuti_bersama_skb: bool = False, progress: Callable[[int, int], None] | None = None,
                workers: int | None = None, batas_waktu: float = TIMEOUT, keputusan: str | Path | None = None,
                verifikator: str = "", umpan_balik: str | Path | None = None) -> ConsolidationResult:
    """Consolidate every submission under ``folder`` into the rollup workbook ``out``.

    ``waktu`` is the run timestamp written into the rollup (default: now); two runs with the same inputs and
    the same ``waktu`` give the same bytes. Deadlines skip public holidays, the ``cuti_bersama`` dates and,
    with ``cuti_bersama_skb``, the SKB cuti bersama known to the ``holidays`` package. ``progress(done,
    total)`` is called as files are read; ``batas_waktu`` is the time budget per file in seconds.

    Raises :class:`macros.files.OutputOverlap` when an output would lie inside ``folder``,
    :class:`ConsolidationError` when the folder holds no submission, :class:`macros.files.OutputError`
    (e.g. disk full) when the rollup cannot be written; the previous rollup and ledger are then kept.

    Verifier decisions are read from ``keputusan`` (default: the previous rollup at ``out``), recorded in the
    ledger with ``verifikator`` and applied (:mod:`.verifikasi`); ``umpan_balik`` is a folder for the feedback
    workbooks of the units with findings or a Dikembalikan decision.
    """
    folder, out = Path(folder), Path(out)
    run = (waktu or dt.datetime.now()).replace(microsecond=0)
    lock, ledger = out.with_name(out.name + ".lock"), ledger_path(out)
    for path, what in ((out, "Berkas rollup"), (lock, "Berkas kunci rollup"), (ledger, "Buku besar kiriman")):
        guard_output(path, files=[units] if units is not None else (), folders=[folder], what=what)
    if umpan_balik is not None:
        guard_output(umpan_balik, folders=[folder], what="Folder umpan balik", is_folder=True)
    listed = _unit_list(units) if units is not None else None  # before any file is read
    paths, skipped = find_files(folder)
    if not paths:
        others = f"; {len(skipped)} berkas lain tidak dibaca: " + ", ".join(
            f"{k.rel} ({k.error})" for k in skipped[:5]) if skipped else ""
        raise ConsolidationError(f"Folder '{folder}' tidak berisi berkas kiriman .xlsx/.xlsm{others}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Folder keluaran '{out.parent}' tidak dapat dibuat ({exc.strerror or exc}).") from exc
    catatan: list[str] = []
    with FileLock(str(lock)):  # one run per rollup at a time, start to finish
        stale = stale_temps(out)
        for tmp in stale:  # left by a run killed while writing; no other run can be writing now
            tmp.unlink(missing_ok=True)
        if stale:
            catatan.append(f"{len(stale)} berkas sementara dari konsolidasi yang terputus dihapus.")
        try:
            con, warning = open_ledger(ledger, run)
        except sqlite3.Error as exc:
            raise OutputError(f"Buku besar '{ledger}' tidak dapat dibuka ({sqlite_alasan(exc)}); rollup lama tidak "
                              "diubah.") from exc
        try:
            catatan += [x for x in (warning, recover(con, out)) if x]
            done = [0]

            def tick(n: int) -> None:
                done[0] += n
                if progress:
                    progress(done[0], len(paths))

            kalender = Kalender(cuti_bersama, cuti_bersama_skb)
            with _gc_paused():
                kiriman, roll, ver = _analyse(folder, paths, skipped, listed, tahun, triwulan, run, con, kalender,
                                              Path(keputusan) if keputusan is not None else out, workers, tick,
                                              batas_waktu)
                data = to_bytes(build_rollup_workbook(roll, kiriman, kalender, run), run)
            t, tw = roll.tahun, roll.triwulan
            catatan += ver.catatan
            try:
                run_id, changes = begin(con, run, folder, out, t, tw, kiriman, hashlib.sha256(data).hexdigest())
            except sqlite3.Error as exc:  # e.g. the disk is full: nothing published, the previous rollup stays
                raise OutputError(f"Buku besar '{ledger}' tidak dapat ditulis ({sqlite_alasan(exc)}); rollup lama "
                                  "tidak diubah. Periksa ruang disk lalu jalankan lagi.") from exc
            pause("tertunda")
            try:
                write_bytes_atomic(data, out, before_replace=lambda: pause("tmp"))
            except BaseException:
                cancel(con, run_id)
                raise
            pause("terbit")
            try:
                finish(con, run_id)
                vf.record(con, run_id, ver.baru, verifikator, run)
            except sqlite3.Error as exc:  # the rollup is out; the next run marks this run done (recover)
                catatan.append(f"Rollup ditulis, tetapi buku besar belum mencatat selesai ({sqlite_alasan(exc)}); "
                               "konsolidasi berikutnya melengkapinya.")
        finally:
            con.close()
    hasil = ConsolidationResult(out, ledger, kiriman, roll, changes, catatan, ver.baru)
    if umpan_balik is not None:
        from macros.konsolidasi.umpan_balik import write_feedback

        hasil.umpan_balik, notes = write_feedback(hasil, Path(umpan_balik), ver.berlaku)
        catatan += notes
    return hasil
