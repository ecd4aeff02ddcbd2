"""The submission ledger: an SQLite file beside the rollup remembering what every run saw.

Per run and file: sha256, unit, form, period, validation result and when it was
consolidated. Comparing with the previous run tells what is new, changed,
moved (same content under another name) or withdrawn.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from macros.konsolidasi.collect import Kiriman

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY AUTOINCREMENT, waktu TEXT NOT NULL, folder TEXT NOT NULL, rollup TEXT NOT NULL,
    tahun INTEGER, triwulan INTEGER, berkas INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kiriman (
    run INTEGER NOT NULL REFERENCES run(id), berkas TEXT NOT NULL, sha256 TEXT NOT NULL, unit TEXT, form TEXT,
    tahun INTEGER, triwulan INTEGER, kegiatan TEXT, waktu_kirim TEXT, status TEXT, galat INTEGER,
    peringatan INTEGER, waktu_konsolidasi TEXT NOT NULL, PRIMARY KEY (run, berkas));
"""


@dataclass
class Perubahan:
    """What changed since the previous run (paths relative to the folder)."""

    baru: list[str] = field(default_factory=list)
    berubah: list[str] = field(default_factory=list)
    dipindah: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name), same content
    ditarik: list[str] = field(default_factory=list)
    pertama: bool = True  # no earlier run in this ledger

    def items(self) -> list[tuple[str, list[str]]]:
        return [("baru", self.baru), ("berubah", self.berubah),
                ("dipindah", [f"{a} → {b}" for a, b in self.dipindah]), ("ditarik", self.ditarik)]


_COLUMNS = ["run", "berkas", "sha256", "unit", "form", "tahun", "triwulan", "kegiatan", "waktu_kirim", "status",
            "galat", "peringatan", "waktu_konsolidasi"]


def _migrate(con: sqlite3.Connection) -> None:
    """A ledger written by an earlier kinerja keeps its rows in ``kiriman_lama``; this run starts afresh."""
    cols = [r[1] for r in con.execute("PRAGMA table_info(kiriman)")]
    if cols and cols != _COLUMNS:
        con.execute("DROP TABLE IF EXISTS kiriman_lama")
        con.execute("ALTER TABLE kiriman RENAME TO kiriman_lama")


def ledger_path(rollup: Path) -> Path:
    return rollup.with_name(rollup.stem + ".ledger.sqlite")


def record(path: Path, run: dt.datetime, folder: Path, rollup: Path, tahun: int | None, triwulan: int | None,
           kiriman: list[Kiriman]) -> Perubahan:
    """Compare with the last run, then add this run."""
    with closing(sqlite3.connect(path)) as con, con:
        _migrate(con)
        con.executescript(_SCHEMA)
        last = con.execute("SELECT MAX(id) FROM run").fetchone()[0]
        before = dict(con.execute("SELECT berkas, sha256 FROM kiriman WHERE run = ?", (last,)).fetchall())
        now = {k.rel: k.sha256 for k in kiriman}
        ch = Perubahan(pertama=last is None)
        gone = {p: h for p, h in before.items() if p not in now}
        for p in sorted(now):
            if p in before:
                if before[p] != now[p]:
                    ch.berubah.append(p)
            elif (old := next((q for q, h in gone.items() if h == now[p]), None)) is not None:
                ch.dipindah.append((old, p))
                del gone[old]
            else:
                ch.baru.append(p)
        ch.ditarik = sorted(gone)
        stamp = run.isoformat()
        cur = con.execute("INSERT INTO run (waktu, folder, rollup, tahun, triwulan, berkas) VALUES (?,?,?,?,?,?)",
                          (stamp, str(folder.resolve()), str(rollup.resolve()), tahun, triwulan, len(kiriman)))
        con.executemany("INSERT INTO kiriman VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (cur.lastrowid, k.rel, k.sha256, k.unit, k.form, k.ident.tahun if k.ident else None,
             k.ident.triwulan if k.ident else None, ",".join(sorted({b.kegiatan for b in k.bagian if b.kegiatan})),
             k.waktu_kirim.isoformat(), k.status, k.galat, k.peringatan, stamp) for k in kiriman])
    return ch
