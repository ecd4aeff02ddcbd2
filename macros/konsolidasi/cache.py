"""The read cache: per file content, what reading, validating and extracting it gave.

Konsolidasi keeps, in the ledger's SQLite file (its own table ``hasil_baca``), the outcome of each file it
read: identity, findings, counts and the extracted records (:class:`~macros.konsolidasi.collect.Kiriman`
before the run-dependent checks). The key is the file's sha256 and name (the records name their file) and
:data:`VERSI`, a hash of the code and declarations that decide the outcome (forms, checks, catalogue,
reader, extraction); so a re-run reads only new and changed files, and any change of kinerja's rules or
layouts reads everything again.

Entries are pickled; loading admits only kinerja's own classes and plain data types (a ledger edited by
someone else cannot run code), and an entry that does not load is read again.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sqlite3
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[2]
# The code whose behaviour decides what a file reads, validates and extracts to.
_SOURCES = ("workbooks", "udfs", "macros/validation", "macros/konsolidasi/extract.py",
            "macros/konsolidasi/collect.py", "macros/konsolidasi/trail.py", "macros/konsolidasi/cache.py",
            "macros/plan.py")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hasil_baca (
    sha256 TEXT NOT NULL, berkas TEXT NOT NULL, versi TEXT NOT NULL, hasil BLOB NOT NULL,
    PRIMARY KEY (sha256, berkas, versi));
"""


def _version(root: Path = _ROOT) -> str:
    h = hashlib.sha256()
    for name in _SOURCES:
        p = root / name
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p] if p.is_file() else []
        for f in files:
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:32]


VERSI = _version()

_ALLOWED = ("macros.", "workbooks.", "udfs.")
_PLAIN = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "timedelta"), ("datetime", "timezone"),
          ("zoneinfo", "ZoneInfo"), ("zoneinfo._zoneinfo", "ZoneInfo"), ("pathlib", "PosixPath"),
          ("pathlib", "WindowsPath"), ("pathlib", "Path"), ("builtins", "frozenset"), ("builtins", "set"),
          ("builtins", "complex"), ("copyreg", "_reconstructor"), ("builtins", "object"),
          ("collections", "OrderedDict"), ("decimal", "Decimal")}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN or (module.startswith(_ALLOWED) and not name.startswith("_")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} tidak diizinkan")


def dumps(obj: Any) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


class ReadCache:
    """Stored outcomes by (sha256, file name) for this :data:`VERSI`."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        with con:
            con.executescript(_SCHEMA)

    def get(self, sha256: str, rel: str) -> Any | None:
        row = self.con.execute("SELECT hasil FROM hasil_baca WHERE sha256 = ? AND berkas = ? AND versi = ?",
                               (sha256, rel, VERSI)).fetchone()
        if row is None:
            return None
        try:
            return loads(row[0])
        except Exception:  # noqa: BLE001 - a damaged or foreign entry is read again
            return None

    def put(self, items: list[tuple[str, str, bytes]]) -> None:
        """Store (sha256, rel, :func:`dumps` of the outcome) items; entries of older versions, and of these
        files' earlier contents, are dropped."""
        with self.con:
            self.con.execute("DELETE FROM hasil_baca WHERE versi != ?", (VERSI,))
            self.con.executemany("DELETE FROM hasil_baca WHERE berkas = ? AND sha256 != ?",
                                 [(rel, sha) for sha, rel, _ in items])
            self.con.executemany("INSERT OR REPLACE INTO hasil_baca VALUES (?,?,?,?)",
                                 [(sha, rel, VERSI, blob) for sha, rel, blob in items])


def open_cache(con: sqlite3.Connection | None) -> ReadCache | None:
    """The ledger's read cache; None without a ledger or when it is open read-only."""
    if con is None:
        return None
    try:
        return ReadCache(con)
    except sqlite3.Error:
        return None
