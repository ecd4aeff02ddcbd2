"""Collect submissions: find files, read and validate them in parallel, resolve duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from macros.plan import Finding
from workbooks.reader import BacaGagal, WorkbookData


@dataclass
class Kiriman:
    """One file found in the folder, with what became of it."""

    path: Path
    sha256: str
    mtime: dt.datetime
    data: WorkbookData | None = None
    findings: list[Finding] = field(default_factory=list)
    galat: int = 0
    peringatan: int = 0
    error: str = ""  # why the file is not a usable kinerja form
    status: str = ""  # dipakai / ditolak / duplikat / bukan form
    alasan: str = ""

    @property
    def valid(self) -> bool:
        return self.data is not None and self.galat == 0

    @property
    def satker(self) -> str:
        return self.data.meta.satker if self.data and self.data.meta else ""

    @property
    def form(self) -> str:
        return self.data.form if self.data else ""

    @property
    def waktu_kirim(self) -> dt.datetime:
        stamp = self.data.meta.waktu_kirim if self.data and self.data.meta else ""
        try:
            return dt.datetime.fromisoformat(stamp) if stamp else self.mtime
        except ValueError:
            return self.mtime

    @property
    def unit(self) -> str:
        """The submitting unit: the satker, or the Eselon I for its own forms (FORM B)."""
        m = self.data.meta if self.data else None
        return (m.satker or m.eselon1) if m else ""

    @property
    def key(self) -> tuple:
        m = self.data.meta if self.data else None
        if m is None:
            return (str(self.path),)
        program = ""
        if m.form == "form-b" and self.data.sheets and "program" in self.data.sheets[0].fields:
            program = str(self.data.sheets[0].fields["program"].value or "")
        kegiatan = tuple(sorted(m.kegiatan)) if m.form == "form-a" else ()  # a package is the satker's whole quarter
        return (self.unit, m.form, program, kegiatan, m.tahun, m.triwulan)


def find_files(folder: Path) -> list[Path]:
    """Every .xlsx/.xlsm under ``folder`` (recursively), without Excel lock files, in a stable order."""
    out = [p for p in folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith("~$")
           and p.is_file()]
    return sorted(out, key=lambda p: str(p.relative_to(folder)))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:  # read-only: inputs are never opened for writing
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load(path: Path) -> Kiriman:
    """Read and validate one file (runs in a worker process)."""
    from macros.validation import validate
    from workbooks.reader import read_workbook

    k = Kiriman(path, _sha256(path), dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0))
    try:
        k.data = read_workbook(path)
        h = validate(k.data)
    except BacaGagal as exc:
        k.error = str(exc)
        return k
    except Exception as exc:  # noqa: BLE001 - any unreadable file is listed, never fatal
        k.error = f"{path.name}: berkas tidak dapat dibaca ({type(exc).__name__}: {exc})."
        return k
    k.findings, k.galat, k.peringatan = h.findings, h.galat, h.peringatan
    return k


def load_all(paths: list[Path], workers: int | None = None,
             progress: Callable[[int], None] | None = None) -> list[Kiriman]:
    """Load every file, in parallel processes when there are several."""
    workers = workers or min(len(paths), os.cpu_count() or 1) or 1
    if workers <= 1 or len(paths) < 4:
        out = []
        for p in paths:
            out.append(load(p))
            if progress:
                progress(1)
        return out
    with ProcessPoolExecutor(max_workers=workers) as pool:
        out = []
        for k in pool.map(load, paths, chunksize=max(1, len(paths) // (workers * 8))):
            out.append(k)
            if progress:
                progress(1)
        return out


def resolve(kiriman: Iterable[Kiriman], tahun: int | None, triwulan: int | None) -> list[Kiriman]:
    """Mark each file dipakai / ditolak / duplikat / bukan form / periode lain."""
    groups: dict[tuple, list[Kiriman]] = {}
    for k in kiriman:
        if k.data is None:
            k.status, k.alasan = "bukan form", k.error
            continue
        m = k.data.meta
        if m and ((tahun and m.tahun and m.tahun != tahun) or
                  (triwulan and m.triwulan and m.triwulan != triwulan and m.form not in ("rencana-aksi",
                                                                                        "perjanjian-kinerja"))):
            k.status, k.alasan = "periode lain", f"tahun {m.tahun} triwulan {m.triwulan}"
            continue
        groups.setdefault(k.key, []).append(k)
    out = []
    for group in groups.values():
        group.sort(key=lambda k: (k.waktu_kirim, k.mtime, str(k.path)))
        winner = group[-1]
        for k in group[:-1]:
            k.status = "duplikat"
            k.alasan = (f"digantikan oleh {winner.path.name} yang lebih baru "
                        f"({winner.waktu_kirim:%d-%m-%Y %H:%M} > {k.waktu_kirim:%d-%m-%Y %H:%M})")
        if winner.valid:
            winner.status = "dipakai"
            winner.alasan = f"{winner.peringatan} peringatan" if winner.peringatan else ""
            if len(group) > 1:
                winner.alasan = (winner.alasan + "; " if winner.alasan else "") + f"terbaru dari {len(group)} berkas"
        else:
            winner.status, winner.alasan = "ditolak", f"{winner.galat} galat"
        out.append(winner)
    return out
