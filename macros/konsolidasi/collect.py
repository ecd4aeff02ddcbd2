"""Collect submissions: find the files, read and validate them in parallel, resolve duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from macros.konsolidasi.extract import ANNUAL, RE_JUDUL, Bagian, Identitas, bagian, identitas
from macros.konsolidasi.trail import Sumber
from macros.plan import Finding
from workbooks.meta import META_SHEET, Meta
from workbooks.reader import BacaGagal, WorkbookData

# What became of a file (the Kiriman sheet's Status column)
DIPAKAI = "dipakai"
SEBAGIAN = "dipakai sebagian"
DITOLAK = "ditolak"
DUPLIKAT = "duplikat"
BUKAN_FORM = "bukan form"
PERIODE_LAIN = "periode lain"
ROLLUP_LAMA = "hasil konsolidasi"
ROLLUP_FORM = "konsolidasi"  # the metadata form id of a rollup workbook

_SHOWN = "%d-%m-%Y %H:%M"


@dataclass
class Kiriman:
    """One file found in the folder, with what became of it."""

    path: Path
    rel: str  # path relative to the folder: how the file is named in the rollup
    sha256: str
    mtime: dt.datetime
    ident: Identitas | None = None
    bagian: list[Bagian] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    galat: int = 0
    peringatan: int = 0
    error: str = ""  # why the file is not a usable kinerja form
    status: str = ""
    alasan: str = ""

    @property
    def readable(self) -> bool:
        return self.ident is not None

    @property
    def valid(self) -> bool:
        return self.readable and self.galat == 0

    @property
    def unit(self) -> str:
        return self.ident.unit if self.ident else ""

    @property
    def form(self) -> str:
        return self.ident.form if self.ident else ""

    @property
    def waktu_kirim(self) -> dt.datetime:
        """The stamp of "Siapkan Kiriman"; the file's modification time when there is none."""
        stamp = self.ident.waktu_kirim if self.ident else ""
        try:
            return dt.datetime.fromisoformat(stamp).replace(tzinfo=None) if stamp else self.mtime
        except ValueError:
            return self.mtime

    @property
    def dipakai(self) -> list[Bagian]:
        return [b for b in self.bagian if b.dipakai]

    def waktu_sumber(self) -> Sumber:
        """Where ``waktu_kirim`` comes from: the metadata cell, else the file's date."""
        if self.ident and self.ident.dari_meta and self.ident.waktu_kirim:
            row = [key for key, _ in Meta(form="", versi="").rows()].index("waktu_kirim") + 1
            return Sumber(self.rel, META_SHEET, f"B{row}", self.ident.waktu_kirim)
        return Sumber(self.rel, "(tanggal berkas)", "", self.mtime.isoformat())


def find_files(folder: Path) -> list[Path]:
    """Every .xlsx/.xlsm under ``folder`` (recursively), without Excel lock files, in a stable order."""
    out = [p for p in folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith("~$")
           and p.is_file()]
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:  # read-only: inputs are never opened for writing
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _title(path: Path, data: WorkbookData) -> str:
    """The title block of the first form sheet (a form without metadata names its quarter there)."""
    from workbooks.reader import grid_of, open_workbook

    if not data.sheets:
        return ""
    rows = grid_of(open_workbook(path), data.sheets[0].name)[:6]
    return " ".join(str(v) for row in rows for v in row if isinstance(v, str) and re.search(RE_JUDUL, v.upper()))


def load(job: tuple[Path, str]) -> Kiriman:
    """Read, validate and extract one file (runs in a worker process)."""
    from macros.validation import validate
    from workbooks.reader import read_workbook

    path, rel = job
    k = Kiriman(path, rel, _sha256(path), dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0))
    try:
        data = read_workbook(path)
        ident = identitas(data, "" if data.meta else _title(path, data))
    except BacaGagal as exc:
        k.error = str(exc)
        return k
    except Exception as exc:  # noqa: BLE001 - an unreadable file is listed, never fatal
        k.error = f"{path.name}: berkas tidak dapat dibaca ({type(exc).__name__}: {exc})."
        return k
    k.ident = ident
    if k.form == ROLLUP_FORM:
        return k
    try:
        h = validate(data)
        k.findings, k.galat, k.peringatan = h.findings, h.galat, h.peringatan
        k.bagian = bagian(data, rel)
    except Exception as exc:  # noqa: BLE001 - a file kinerja cannot check stays out of the totals, listed
        k.bagian, k.galat = [], max(k.galat, 1)
        k.error = f"kinerja tidak dapat memeriksa berkas ini ({type(exc).__name__}: {exc}); laporkan ke pengelola"
    return k


def load_all(folder: Path, paths: list[Path], workers: int | None = None,
             progress: Callable[[int], None] | None = None) -> list[Kiriman]:
    """Load every file, in parallel processes when there are several; results keep the order of ``paths``."""
    jobs = [(p, p.relative_to(folder).as_posix()) for p in paths]
    workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    if workers <= 1 or len(jobs) < 4:
        out = []
        for j in jobs:
            out.append(load(j))
            if progress:
                progress(1)
        return out
    with ProcessPoolExecutor(max_workers=workers) as pool:
        out = []
        for k in pool.map(load, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 4)))):
            out.append(k)
            if progress:
                progress(1)
        return out


def period(kiriman: Iterable[Kiriman], tahun: int | None = None) -> tuple[int | None, int | None]:
    """The latest (tahun, triwulan) among the quarterly submissions (of ``tahun`` when given)."""
    seen = [(k.ident.tahun, k.ident.triwulan) for k in kiriman
            if k.ident and k.ident.tahun and k.ident.triwulan and k.form not in ANNUAL
            and k.ident.tahun == (tahun or k.ident.tahun)]
    return max(seen) if seen else (None, None)


def _key(k: Kiriman, b: Bagian) -> tuple:
    ident = k.ident
    assert ident is not None
    annual = b.form in ANNUAL
    return (k.unit or k.rel, b.form, b.kegiatan, b.program, ident.tahun, None if annual else ident.triwulan)


def resolve(kiriman: list[Kiriman], tahun: int | None, triwulan: int | None) -> None:
    """Decide every file's status; per form sheet the newest file (by ``waktu_kirim``) wins.

    Duplicates are resolved per sheet (satker, form, kegiatan, tahun, triwulan), so a FORM A re-sent on its
    own replaces that sheet of an earlier package and nothing is counted twice. A newer file with a galat
    still replaces the older one: the satker's report as it stands is rejected.
    """
    groups: dict[tuple, list[tuple[Kiriman, Bagian]]] = {}
    for k in kiriman:
        if k.ident is None:
            k.status, k.alasan = BUKAN_FORM, k.error
            continue
        if k.form == ROLLUP_FORM:
            k.status, k.alasan = ROLLUP_LAMA, "rollup hasil konsolidasi sebelumnya; tidak dihitung lagi"
            continue
        t, tw = k.ident.tahun, k.ident.triwulan
        if (tahun and t and t != tahun) or (triwulan and tw and tw != triwulan and k.form not in ANNUAL):
            k.status = PERIODE_LAIN
            k.alasan = f"laporan tahun {t or '?'} triwulan {tw or '?'}, bukan tahun {tahun} triwulan {triwulan}"
            continue
        for b in k.bagian:
            groups.setdefault(_key(k, b), []).append((k, b))
    for group in groups.values():
        group.sort(key=lambda kb: (kb[0].waktu_kirim, kb[0].mtime, kb[0].rel))
        winner = group[-1][0]
        for k, b in group[:-1]:
            b.digantikan = winner.rel
        group[-1][1].dipakai = winner.valid
    by = {x.rel: x for x in kiriman}
    for k in kiriman:
        if k.status:
            continue
        newer = sorted({b.digantikan for b in k.bagian if b.digantikan})
        if not k.valid:
            k.status, k.alasan = DITOLAK, k.error or f"{k.galat} galat; seluruh isinya tidak dihitung"
        elif newer and not k.dipakai:
            k.status = DUPLIKAT
        elif newer:
            k.status = SEBAGIAN
        else:
            k.status = DIPAKAI
        notes = []
        for n in newer:
            sheets = ", ".join(b.sheet for b in k.bagian if b.digantikan == n)
            notes.append(f"lembar {sheets} digantikan oleh {n} yang lebih baru ({by[n].waktu_kirim:{_SHOWN}} > "
                         f"{k.waktu_kirim:{_SHOWN}})"
                         + ("; berkas itu ditolak, jadi lembar ini tidak dihitung" if not by[n].valid else ""))
        if k.status != DITOLAK and k.peringatan:
            notes.append(f"{k.peringatan} peringatan")
        k.alasan = "; ".join(x for x in (k.alasan, *notes) if x)
