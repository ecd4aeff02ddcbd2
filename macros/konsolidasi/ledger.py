"""The submission ledger: an SQLite file beside the rollup remembering what every run saw.

Per run and file: sha256, unit, form, period, validation result and when it was
consolidated. Comparing with the previous run tells what is new, changed,
moved (same content under another name) or withdrawn; the first run that saw a
file's content tells when it had arrived at the latest.

Rollup and ledger commit together: a run is recorded as ``tertunda`` (pending)
with the sha256 of the rollup it is about to publish, in one transaction; the
rollup is then renamed into place and the run marked ``selesai``. A run killed
in between leaves a pending entry, which the next run settles by the rollup on
disk: when its bytes are the pending run's (the rename happened), the run is
marked done; otherwise the rollup on disk is the previous one and the pending
run is deleted. Either way the ledger's last done run is the rollup on disk.
A ledger SQLite cannot open is moved aside (``.rusak-<time>``) with a warning;
the run goes on with a new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from macros.konsolidasi.collect import Kiriman

PENDING, DONE = "tertunda", "selesai"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY AUTOINCREMENT, waktu TEXT NOT NULL, folder TEXT NOT NULL, rollup TEXT NOT NULL,
    tahun INTEGER, triwulan INTEGER, berkas INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kiriman (
    run INTEGER NOT NULL REFERENCES run(id), berkas TEXT NOT NULL, sha256 TEXT NOT NULL, unit TEXT, form TEXT,
    tahun INTEGER, triwulan INTEGER, kegiatan TEXT, waktu_kirim TEXT, status TEXT, galat INTEGER,
    peringatan INTEGER, waktu_konsolidasi TEXT NOT NULL, PRIMARY KEY (run, berkas));
CREATE INDEX IF NOT EXISTS kiriman_sha256 ON kiriman (sha256);
CREATE TABLE IF NOT EXISTS keputusan (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run INTEGER, sha256 TEXT NOT NULL, unit TEXT, form TEXT, tahun INTEGER,
    triwulan INTEGER, keputusan TEXT NOT NULL, catatan TEXT NOT NULL, verifikator TEXT NOT NULL,
    waktu TEXT NOT NULL, sumber TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS keputusan_sha256 ON keputusan (sha256);
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


def _prepare(con: sqlite3.Connection) -> None:
    check = con.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise sqlite3.DatabaseError("; ".join(str(r[0]) for r in check[:3]))
    _migrate(con)
    con.executescript(_SCHEMA)
    cols = [r[1] for r in con.execute("PRAGMA table_info(run)")]
    if "status" not in cols:  # a ledger of an earlier kinerja: its runs were all published
        con.execute(f"ALTER TABLE run ADD COLUMN status TEXT NOT NULL DEFAULT '{DONE}'")
    if "rollup_sha256" not in cols:
        con.execute("ALTER TABLE run ADD COLUMN rollup_sha256 TEXT")
    con.commit()


def open_ledger(path: Path, now: dt.datetime) -> tuple[sqlite3.Connection, str]:
    """The ledger connection, and a warning (Bahasa Indonesia) when a damaged ledger was moved aside."""
    try:
        con = sqlite3.connect(path, timeout=30)
        try:
            _prepare(con)
            return con, ""
        except sqlite3.DatabaseError:
            con.close()
            raise
    except sqlite3.OperationalError:  # locked, no permission, disk full: not damage; the caller reports it
        raise
    except sqlite3.DatabaseError as exc:  # not a database, malformed, failed integrity check
        aside = path.with_name(f"{path.name}.rusak-{now:%Y%m%dT%H%M%S}")
        path.replace(aside)
        for extra in ("-journal", "-wal", "-shm"):
            side = path.with_name(path.name + extra)
            if side.exists():
                side.replace(aside.with_name(aside.name + extra))
        con = sqlite3.connect(path, timeout=30)
        _prepare(con)
        return con, (f"Buku besar '{path}' rusak dan tidak dapat dibuka ({sqlite_alasan(exc)}); dipindahkan ke "
                     f"'{aside.name}'. Buku besar baru dimulai: perubahan berkas sejak konsolidasi sebelumnya tidak "
                     "dapat dibandingkan kali ini.")


_SQLITE_REASONS = (  # SQLite's English message → what the user is told (never the library's text)
    ("not a database", "bukan berkas buku besar SQLite"),
    ("malformed", "berkasnya rusak"),
    ("locked", "sedang dipakai proses lain; tunggu lalu jalankan lagi"),
    ("busy", "sedang dipakai proses lain; tunggu lalu jalankan lagi"),
    ("full", "disk penuh"),
    ("readonly", "berkas atau foldernya hanya dapat dibaca"),
    ("unable to open", "berkas tidak dapat dibuka (izin atau folder)"),
    ("disk i/o", "galat baca/tulis disk"),
)


def sqlite_alasan(exc: BaseException) -> str:
    """An Indonesian reason for an SQLite error."""
    text = str(exc).casefold()
    return next((why for key, why in _SQLITE_REASONS if key in text), "galat SQLite")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def recover(con: sqlite3.Connection, rollup: Path) -> str:
    """Settle the runs a killed konsolidasi left pending (see the module docstring); a note, or ""."""
    pending = con.execute("SELECT id, waktu, rollup_sha256 FROM run WHERE status = ? ORDER BY id",
                          (PENDING,)).fetchall()
    if not pending:
        return ""
    on_disk = sha256_of(rollup) if rollup.is_file() else None
    notes = []
    with con:
        for run_id, waktu, sha in pending:
            if sha and sha == on_disk:
                con.execute("UPDATE run SET status = ? WHERE id = ?", (DONE, run_id))
                notes.append(f"konsolidasi {waktu} yang terputus sudah menerbitkan rollup; dicatat selesai")
            else:
                con.execute("DELETE FROM kiriman WHERE run = ?", (run_id,))
                con.execute("DELETE FROM run WHERE id = ?", (run_id,))
                notes.append(f"konsolidasi {waktu} yang terputus tidak menerbitkan rollup; catatannya dibatalkan")
    return "; ".join(notes)


def last_done(con: sqlite3.Connection) -> tuple[int, str, str | None] | None:
    """(id, waktu, rollup sha256) of the last published run."""
    return con.execute("SELECT id, waktu, rollup_sha256 FROM run WHERE status = ? ORDER BY id DESC LIMIT 1",
                       (DONE,)).fetchone()


def first_seen(con: sqlite3.Connection, shas: list[str]) -> dict[str, tuple[str, str | None]]:
    """Per sha256 an earlier published run saw: (when it was first seen, the last run before that)."""
    out: dict[str, tuple[str, str | None]] = {}
    for sha in {s for s in shas if s}:
        row = con.execute("SELECT MIN(r.id) FROM kiriman k JOIN run r ON r.id = k.run WHERE k.sha256 = ? AND "
                          "r.status = ?", (sha, DONE)).fetchone()
        if row[0] is None:
            continue
        first = con.execute("SELECT waktu FROM run WHERE id = ?", (row[0],)).fetchone()[0]
        before = con.execute("SELECT waktu FROM run WHERE id < ? AND status = ? ORDER BY id DESC LIMIT 1",
                             (row[0], DONE)).fetchone()
        out[sha] = (first, before[0] if before else None)
    return out


def begin(con: sqlite3.Connection, run: dt.datetime, folder: Path, rollup: Path, tahun: int | None,
          triwulan: int | None, kiriman: list[Kiriman], rollup_sha256: str) -> tuple[int, Perubahan]:
    """Compare with the last published run, then record this run as pending (committed)."""
    with con:
        last = last_done(con)
        before = dict(con.execute("SELECT berkas, sha256 FROM kiriman WHERE run = ?",
                                  (last[0] if last else None,)).fetchall())
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
        cur = con.execute("INSERT INTO run (waktu, folder, rollup, tahun, triwulan, berkas, status, rollup_sha256) "
                          "VALUES (?,?,?,?,?,?,?,?)", (stamp, str(folder.resolve()), str(rollup.resolve()), tahun,
                                                       triwulan, len(kiriman), PENDING, rollup_sha256))
        con.executemany("INSERT INTO kiriman VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (cur.lastrowid, k.rel, k.sha256, k.unit, k.form, k.ident.tahun if k.ident else None,
             k.ident.triwulan if k.ident else None, ",".join(sorted({b.kegiatan for b in k.bagian if b.kegiatan})),
             k.waktu_kirim.isoformat() if k.waktu_kirim else "", k.status, k.galat, k.peringatan, stamp)
            for k in kiriman])
    assert cur.lastrowid is not None
    return cur.lastrowid, ch


def finish(con: sqlite3.Connection, run_id: int) -> None:
    with con:
        con.execute("UPDATE run SET status = ? WHERE id = ?", (DONE, run_id))


def cancel(con: sqlite3.Connection, run_id: int) -> None:
    with con:
        con.execute("DELETE FROM kiriman WHERE run = ?", (run_id,))
        con.execute("DELETE FROM run WHERE id = ?", (run_id,))
