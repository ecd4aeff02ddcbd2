"""Collect submissions: find the files, read and validate them in isolated worker processes, resolve
duplicates.

Isolation: every file is read by a worker process of a small pool (:func:`load_all`); a file whose reader
crashes, aborts or runs past the per-file time budget is listed as "tidak dapat dibaca" with the reason,
its worker is replaced and the other files go on. Workers die with the run (``PR_SET_PDEATHSIG`` where
Linux offers it, and a watch on the parent pid). Every metadata value is checked as data before use
(:func:`check_identity`).

Arrival time: the "Siapkan Kiriman" stamp (with its zone) when valid, else the time the ledger first saw
the file's content; a file's modification time is never trusted.
"""

from __future__ import annotations

import ctypes
import faulthandler
import datetime as dt
import gc
import hashlib
import multiprocessing as mp
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from macros import waktu as wk
from macros.konsolidasi.cache import ReadCache, dumps
from macros.konsolidasi.extract import Bagian, Identitas, bagian, identitas_of
from macros.konsolidasi.trail import Sumber
from macros.plan import Finding, Severity
from macros.validation.core import Checked, check_workbook
from macros.validation.lintas import BerkasLintas, check, check_years, view
from macros.validation.schema import Failure, SchemaInput, stacked_failures
from workbooks.forms import FORM_IDS, FORMS_TAHUNAN, LAYOUTS
from workbooks.forms.perjanjian_kinerja import PERJANJIAN_KINERJA
from workbooks.forms.renstra import RENSTRA
from workbooks.forms._cols import RE_KEGIATAN, RE_SATKER
from workbooks.meta import META_SHEET, Meta
from workbooks.package import SUFFIXES
from workbooks.reader import BacaGagal, WorkbookData, shown

# What became of a file (the Kiriman sheet's Status column)
DIPAKAI = "dipakai"
SEBAGIAN = "dipakai sebagian"
DITOLAK = "ditolak"
DUPLIKAT = "duplikat"
KOSONG = "kosong"
BUKAN_FORM = "bukan form"
TIDAK_TERBACA = "tidak dapat dibaca"
TIDAK_DIBACA = "tidak dibaca"
PERIODE_LAIN = "periode lain"
ROLLUP_LAMA = "hasil konsolidasi"
ROLLUP_FORM = "konsolidasi"  # the metadata form id of a rollup workbook
UNREAD = (BUKAN_FORM, TIDAK_TERBACA, TIDAK_DIBACA)

RULE_KOSONG = "V00"  # "Form belum diisi" (macros.validation.catalogue)
RULE_IDENTITAS = "V27"  # satker code of field I.1 differs from the file's (macros.validation.catalogue)
RE_ESELON1 = r"^[A-Z][A-Z0-9]{1,11}$"  # an Eselon I abbreviation (BSKJI, BPSDMI)
FUTURE = dt.timedelta(hours=1)  # a stamp later than the run by more than this is not trusted
TIMEOUT = 120.0  # seconds per file (a 100.000-respondent survey must not hold the run)
MEMORY = 3 << 30  # bytes of address space a worker may add for one file

OLD_FORMATS = (".xls", ".ods", ".xlsb")  # spreadsheets kinerja does not read: listed, save as .xlsx
LOCKS = ("~$", ".~lock.")  # lock files of Excel/Word and LibreOffice: never listed
SYSTEM = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})  # the OS's own files: never listed

STAMP = "cap Siapkan Kiriman"
LEDGER = "pertama terlihat oleh konsolidasi"  # shown in brackets after the time: no brackets of its own
UNKNOWN = "tidak diketahui"


@dataclass
class Kiriman:
    """One file found in the folder, with what became of it."""

    path: Path
    rel: str  # path relative to the folder, printable: how the file is named in the rollup
    sha256: str
    mtime: dt.datetime  # shown for information only, never trusted
    ident: Identitas | None = None
    bagian: list[Bagian] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    galat: int = 0
    peringatan: int = 0
    error: str = ""  # why the file is not a usable kinerja form
    status: str = ""
    alasan: str = ""
    unread: str = ""  # TIDAK_TERBACA / TIDAK_DIBACA when the file could not be read at all
    tolak: str = ""  # metadata or identity refused (Bahasa Indonesia): the file is ditolak
    kosong: bool = False  # the form is not filled in (V00)
    stamp: dt.datetime | None = None  # a valid, trusted "Siapkan Kiriman" stamp (aware)
    seen: dt.datetime | None = None  # when the ledger first saw this content (aware)
    seen_after: dt.datetime | None = None  # the last ledger run before that, which did not have it
    untrusted: str = ""  # why the stamp is not trusted
    lintas: BerkasLintas | None = None  # what the cross-form rules compare (made by the worker, cached)
    pending: Checked | None = None  # validated but for the schema failures the run finds (never cached)

    @property
    def readable(self) -> bool:
        return self.ident is not None

    @property
    def valid(self) -> bool:
        return self.readable and self.galat == 0 and not self.tolak and not self.kosong

    @property
    def unit(self) -> str:
        return self.ident.unit if self.ident else ""

    @property
    def form(self) -> str:
        return self.ident.form if self.ident else ""

    @property
    def waktu_kirim(self) -> dt.datetime | None:
        """The trusted arrival time: the valid stamp, else when the ledger first saw the file; None unknown."""
        return self.stamp or self.seen

    @property
    def sumber_waktu(self) -> str:
        return STAMP if self.stamp else LEDGER if self.seen else UNKNOWN

    @property
    def dipakai(self) -> list[Bagian]:
        return [b for b in self.bagian if b.dipakai]

    def waktu_sumber(self) -> Sumber:
        """Where ``waktu_kirim`` comes from: the metadata cell, the ledger, or nowhere."""
        if self.stamp and self.ident and self.ident.dari_meta:
            row = [key for key, _ in Meta(form="", versi="").rows()].index("waktu_kirim") + 1
            return Sumber(self.rel, META_SHEET, f"B{row}", self.ident.waktu_kirim)
        if self.seen:
            return Sumber("(buku besar kiriman)", "", "", self.seen.isoformat())
        return Sumber(self.rel, "", "", UNKNOWN)


def printable(name: str) -> str:
    """A file name as text: undecodable bytes (names in another encoding) as ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _listed(folder: Path, p: Path, status: str, reason: str) -> Kiriman:
    try:
        when = dt.datetime.fromtimestamp(p.lstat().st_mtime).replace(microsecond=0)
    except OSError:
        when = dt.datetime(1970, 1, 1)
    rel = printable(p.relative_to(folder).as_posix())
    return Kiriman(p, rel, "", when, error=reason, unread=status)


def _inside(root: Path, target: Path) -> bool:
    return target == root or root in target.parents


def find_files(folder: Path) -> tuple[list[Path], list[Kiriman]]:
    """Every .xlsx/.xlsm under ``folder`` (recursively, symlinks out of it not followed), in a stable order;
    and the files listed but not read, each with its reason: other spreadsheet formats, any other file (a
    CSV or PDF sent instead of the form; never opened), empty files, symlinks out of the folder, unreadable
    files and folders. Lock files and the OS's own files (Thumbs.db, .DS_Store, desktop.ini) are left out."""
    root = folder.resolve()
    found: list[Path] = []
    skipped: list[Kiriman] = []

    def walk_error(exc: OSError) -> None:
        p = Path(exc.filename) if exc.filename else folder
        if p != folder:
            skipped.append(_listed(folder, p, TIDAK_TERBACA, "folder tidak dapat dibuka (izin ditolak)"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=walk_error):
        here = Path(dirpath)
        for name in sorted(dirnames):
            p = here / name
            if p.is_symlink():  # os.walk does not descend into it
                where = "di luar" if not _inside(root, p.resolve()) else "di dalam"
                skipped.append(_listed(folder, p, TIDAK_TERBACA, f"tautan simbolik ke folder {where} folder kiriman; "
                                                                 "tidak diikuti"))
        for name in filenames:
            p = here / name
            suffix = p.suffix.lower()
            if name.startswith(LOCKS) or name.casefold() in SYSTEM:
                continue
            if suffix in OLD_FORMATS:
                skipped.append(_listed(folder, p, TIDAK_DIBACA, f"format {suffix} tidak dibaca — simpan sebagai "
                                                                ".xlsx lalu kirim ulang"))
                continue
            if suffix not in SUFFIXES:
                if p.is_file() or p.is_symlink():  # not a pipe or a device
                    kind = f"berkas {suffix}" if suffix else "berkas tanpa akhiran nama"
                    why = f"{kind} bukan form kinerja (tidak dibaca) — kirim laporan dalam form .xlsx dari templat " \
                          "kinerja"
                    skipped.append(_listed(folder, p, BUKAN_FORM, why))
                continue
            if p.is_symlink():
                target = p.resolve()
                if not _inside(root, target):
                    skipped.append(_listed(folder, p, TIDAK_TERBACA, "tautan simbolik ke berkas di luar folder "
                                                                     "kiriman; tidak diikuti"))
                    continue
                if not target.is_file():
                    skipped.append(_listed(folder, p, TIDAK_TERBACA, "tautan simbolik rusak"))
                    continue
            elif not p.is_file():
                continue
            try:
                with open(p, "rb") as fh:
                    empty = os.fstat(fh.fileno()).st_size == 0
            except OSError as exc:
                why = "izin ditolak" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
                skipped.append(_listed(folder, p, TIDAK_TERBACA, f"berkas tidak dapat dibuka ({why})"))
                continue
            if empty:
                skipped.append(_listed(folder, p, TIDAK_TERBACA, "berkas kosong (0 byte): pengiriman mungkin "
                                                                 "gagal — minta satker mengirim ulang"))
                continue
            found.append(p)
    key = lambda p: p.relative_to(folder).as_posix()  # noqa: E731
    return sorted(found, key=key), sorted(skipped, key=lambda k: k.rel)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:  # read-only: inputs are never opened for writing
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pause(step: str) -> None:
    """Test hook: with ``KINERJA_TEST_PAUSE_AT=<step>`` in the environment, write
    ``KINERJA_PAUSE <step> <pid>`` to stderr and sleep, so a test can ``kill -9`` at a known moment.
    Steps: ``baca`` (a worker reading), ``tertunda`` (ledger run pending), ``tmp`` (rollup written,
    before the rename), ``terbit`` (rollup renamed, ledger not yet done)."""
    if os.environ.get("KINERJA_TEST_PAUSE_AT") == step:
        os.write(2, f"KINERJA_PAUSE {step} {os.getpid()}\n".encode())
        time.sleep(float(os.environ.get("KINERJA_TEST_PAUSE_SECONDS", "30")))


def check_identity(ident: Identitas, run: dt.datetime) -> tuple[str, dt.datetime | None, str]:
    """Check every metadata value as data; bad values are blanked in ``ident``.

    Returns (why the file is refused or "", the trusted stamp or None, why the stamp is not trusted)."""
    bad: list[str] = []
    if ident.form and ident.form not in (*FORM_IDS, ROLLUP_FORM):
        bad.append(f"form '{ident.form}' tidak dikenal")
        ident.form = ""
    if ident.tahun is not None and not 2000 <= ident.tahun <= 2100:
        bad.append(f"tahun {ident.tahun} di luar 2000–2100")
        ident.tahun = None
    if ident.triwulan is not None and not 1 <= ident.triwulan <= 4:
        bad.append(f"triwulan {ident.triwulan} bukan 1–4")
        ident.triwulan = None
    if ident.unit and not (re.fullmatch(RE_SATKER, ident.unit) or re.fullmatch(RE_ESELON1, ident.unit)):
        bad.append(f"kode satker '{ident.unit}' tidak sesuai pola (6 angka)")
        ident.unit = ""
    if ident.eselon1 and not re.fullmatch(RE_ESELON1, ident.eselon1):
        bad.append(f"kode Eselon I '{ident.eselon1}' tidak sesuai pola (huruf besar, mis. BSKJI)")
        ident.eselon1 = ""
    stamp, untrusted = None, ""
    if ident.waktu_kirim:
        stamp = wk.parse(ident.waktu_kirim)
        if stamp is None:
            bad.append(f"waktu kirim '{ident.waktu_kirim}' bukan waktu yang sah")
        elif stamp > wk.aware(run) + FUTURE:
            bad.append(f"waktu kirim {wk.shown(stamp)} di masa depan (konsolidasi {wk.shown(wk.aware(run))})")
            untrusted, stamp = "waktu kirim di masa depan tidak dipercaya", None
    return "; ".join(f"metadata tidak sah: {b}" for b in bad), stamp, untrusted


def _check_sheets(data: WorkbookData) -> str:
    if not data.meta:
        return ""
    bad = [k for k in data.meta.kegiatan if not re.fullmatch(RE_KEGIATAN, k)]
    bad += [s.kegiatan for s in data.meta.sheets if s.kegiatan and not re.fullmatch(RE_KEGIATAN, s.kegiatan)]
    forms = [s.form for s in data.meta.sheets if s.form not in LAYOUTS]
    why = ([f"kode kegiatan '{k}' tidak sesuai pola (4 angka)" for k in dict.fromkeys(bad)]
           + [f"form lembar '{f}' tidak dikenal" for f in dict.fromkeys(forms)])
    return "; ".join(f"metadata tidak sah: {w}" for w in why)


def _meta_refused(exc: BaseException) -> str:
    """The reason when the reader refused the file for its metadata (``workbooks.meta.MetaTidakSah``)."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ == "MetaTidakSah":
            return f"metadata tidak sah: {seen}"
        seen = seen.__cause__ or seen.__context__
    return ""


def _readable_copy(path: Path, tmp: str) -> Path:
    """``path`` itself, or a copy under a plain name when the name is not valid UTF-8 (the reader needs
    text paths); the input is only read."""
    try:
        str(path).encode("utf-8")
        return path
    except UnicodeEncodeError:
        copy = Path(tmp) / ("berkas" + path.suffix.lower())
        shutil.copyfile(path, copy)
        return copy


def load(job: tuple) -> Kiriman:
    """Read, validate and extract one file (runs in a worker process); ``job`` is (path, name, sha256 or "")
    and, optionally, ``later``: True leaves the schema failures of its tables to the run (:attr:`Kiriman.pending`,
    :func:`complete`).

    The outcome depends on the file's content only (the run's checks come after, :func:`settle`), so it can
    be kept for the next run (:mod:`.cache`)."""
    from workbooks.reader import read_workbook

    path, rel, sha, *rest = job
    later = bool(rest and rest[0])
    try:
        k = Kiriman(path, rel, sha or _sha256(path),
                    dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0))
    except OSError as exc:
        return Kiriman(path, rel, "", dt.datetime(1970, 1, 1), unread=TIDAK_TERBACA,
                       error=f"berkas tidak dapat dibuka ({exc.strerror or exc})")
    pause("baca")
    with tempfile.TemporaryDirectory(prefix="kinerja-") as tmp:
        try:
            src = _readable_copy(path, tmp)
            data = read_workbook(src)
            ident = identitas_of(data)
        except BacaGagal as exc:
            k.error = _unnamed(exc, src.name)
            k.error = k.error.replace(src.name, rel) if src != path else k.error
            k.tolak = _meta_refused(exc)
            return k
        except MemoryError:
            k.unread, k.error = TIDAK_TERBACA, "membaca berkas ini memerlukan memori melebihi batas; berkas terlalu " \
                                               "besar atau rusak."
            return k
        except Exception as exc:  # noqa: BLE001 - an unreadable file is listed, never fatal
            k.tolak = _meta_refused(exc)
            k.error = k.tolak or f"berkas tidak dapat dibaca ({type(exc).__name__}: {exc})."
            k.unread = "" if k.tolak else TIDAK_TERBACA
            return k
    k.ident = ident
    k.tolak = _check_sheets(data)
    if k.form == ROLLUP_FORM:
        return k
    try:
        checked = check_workbook(data, schema=not later)
    except Exception as exc:  # noqa: BLE001 - a file kinerja cannot check stays out of the totals, listed
        return _unchecked(k, exc)
    try:
        k.bagian = bagian(data, rel)
        k.lintas = view(data, rel)
    except Exception as exc:  # noqa: BLE001
        k.bagian, k.lintas, k.error = [], None, _cannot_check(exc)
    if checked.failures is None and checked.tables and all(si.portable for si in checked.tables):
        k.pending = checked  # the run finds the schema failures of every file's tables at once (complete)
        return k
    return conclude(k, checked, _alone(checked.tables) if checked.failures is None else checked.failures)


def _unnamed(exc: BaseException, name: str) -> str:
    """The reader's message without the file name it opens with: the rollup shows the name beside it."""
    text = str(exc)
    for prefix in (f"{shown(name)}: ", f"{name}: "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _cannot_check(exc: BaseException) -> str:
    return f"kinerja tidak dapat memeriksa berkas ini ({type(exc).__name__}: {exc}); laporkan ke pengelola"


def _unchecked(k: Kiriman, exc: BaseException) -> Kiriman:
    """A file whose validation failed: out of the totals, listed with the reason."""
    k.findings, k.galat, k.peringatan, k.kosong, k.bagian, k.lintas, k.pending = [], 1, 0, False, [], None, None
    k.error = _cannot_check(exc)
    return k


def conclude(k: Kiriman, checked: Checked, failures: list[list[Failure]] | Exception) -> Kiriman:
    """A file's findings once its tables' schema failures are known (``failures``, or the exception finding
    them raised), and what they decide: the counts, V00 (kosong), V27 (tolak)."""
    k.pending = None
    if isinstance(failures, Exception):
        return _unchecked(k, failures)
    h = checked.result(failures)
    k.findings, k.galat, k.peringatan = h.findings, h.galat, h.peringatan
    k.kosong = any(f.rule == RULE_KOSONG for f in h.findings)
    if any(f.rule == RULE_IDENTITAS for f in h.findings):  # relabelled: never displaces the unit's own file
        k.tolak = "; ".join(x for x in (k.tolak, "kode satker isian I.1 berbeda dengan kode satker berkas (V27); "
                                                 "berkas ini tidak menggantikan kiriman satker tersebut") if x)
    if k.error:  # extraction failed: the file stays out of the totals
        k.galat = max(k.galat, 1)
    return k


def complete(kiriman: list[Kiriman]) -> None:
    """Find the schema failures the workers left (:func:`load` with ``later``): the tables of every file
    checked together, each file's findings as :func:`~macros.validation.validate` gives them."""
    waiting = [k for k in kiriman if k.pending is not None]
    if not waiting:
        return
    units = [k.pending.tables for k in waiting]  # type: ignore[union-attr]
    try:
        found = stacked_failures(units)
    except Exception:  # noqa: BLE001 - never the run: each file on its own
        found = [_alone(tables) for tables in units]
    for k, failures in zip(waiting, found):
        conclude(k, k.pending, failures)  # type: ignore[arg-type]


def _alone(tables: list[SchemaInput]) -> list[list[Failure]] | Exception:
    """The schema failures of one file's tables, or the exception finding them raised."""
    try:
        return stacked_failures([tables])[0]
    except Exception as exc:  # noqa: BLE001
        return exc


def settle(k: Kiriman, run: dt.datetime) -> Kiriman:
    """The run's checks of a loaded file: its metadata values as data, its stamp against the run's time."""
    if k.ident is not None:
        why, k.stamp, k.untrusted = check_identity(k.ident, run)
        k.tolak = "; ".join(x for x in (why, k.tolak) if x)
    return k


# --- the worker pool ---------------------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    """Make this worker die when the run that started it dies (kill -9 included)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # where prctl is missing (or the parent thread exits first)
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _vm_size() -> int:
    """This process's virtual memory size in bytes (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limits(memory: int) -> None:
    """No core dump of a worker's memory; at most ``memory`` bytes more address space than it starts with
    (a reader asked to allocate for a far stray cell fails in the worker, not the machine)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        start = _vm_size()
        if memory and start:
            resource.setrlimit(resource.RLIMIT_AS, (start + memory, start + memory))
    except (ImportError, ValueError, OSError):
        pass


def _worker(conn, parent: int, memory: int = 0) -> None:  # noqa: ANN001 - a multiprocessing Connection
    gc.enable()  # forked from a run that paused it (macros.konsolidasi._gc_paused)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    _die_with_parent(parent)
    faulthandler.disable()  # an abort on a hostile file is reported by the run, not dumped to the console
    _limits(memory)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            result = load(job)
        except BaseException as exc:  # noqa: BLE001 - whatever happens, the run gets an answer
            result = _failed(job, f"pembaca gagal ({type(exc).__name__}: {exc})")
        try:
            conn.send(result)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(_failed(job, f"hasil pembacaan tidak dapat dikirim ({type(exc).__name__})"))


def _failed(job: tuple, reason: str) -> Kiriman:
    path, rel, sha, *_ = job
    try:
        sha, when = sha or _sha256(path), dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        sha, when = "", dt.datetime(1970, 1, 1)
    return Kiriman(path, rel, sha, when, unread=TIDAK_TERBACA, error=reason)


def _signal_name(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"sinyal {signal.Signals(-code).name}"
        except ValueError:
            return f"sinyal {-code}"
    return f"kode keluar {code}"


class _Slot:
    """One worker process and the job it is reading."""

    def __init__(self, ctx, memory: int) -> None:  # noqa: ANN001
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, os.getpid(), memory), daemon=True)
        self.proc.start()
        child.close()
        self.job: int | None = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        try:
            if not kill:
                self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        self.proc.join(0 if kill else 2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)


def load_all(folder: Path, paths: list[Path], workers: int | None = None,
             progress: Callable[[int], None] | None = None, run: dt.datetime | None = None,
             timeout: float = TIMEOUT, memory: int = MEMORY, cache: ReadCache | None = None) -> list[Kiriman]:
    """Load every file in worker processes; results keep the order of ``paths``.

    A worker that dies (crash, abort) or exceeds ``timeout`` seconds on a file is replaced; a file that needs
    more than ``memory`` bytes fails in its worker. That file is listed as "tidak dapat dibaca" with the
    reason; the others go on. With a ``cache``, a file whose content and name it knows is not read again,
    and what the workers read is stored in it."""
    run = run or dt.datetime.now()
    if os.environ.get("KINERJA_TEST_PAUSE_AT") == "baca":  # the test hook pauses a worker reading: read all
        cache = None
    jobs = [(p, printable(p.relative_to(folder).as_posix()), _hash(p) if cache else "", True) for p in paths]
    results: list[Kiriman | None] = [None] * len(jobs)
    todo = deque()
    for i, (p, rel, sha, _) in enumerate(jobs):
        hit = cache.get(sha, rel) if cache and sha else None
        if hit is not None:
            hit.path = p
            results[i] = settle(hit, run)
            if progress:
                progress(1)
        else:
            todo.append(i)
    fresh: list[tuple[str, str, bytes]] = []
    read: list[tuple[int, Kiriman]] = []

    def finish(i: int, k: Kiriman) -> None:
        read.append((i, k))
        if progress:
            progress(1)

    if todo:
        _run_pool(jobs, todo, finish, workers, timeout, memory)
    complete([k for _, k in read])  # before the cache: it keeps complete outcomes only
    for i, k in read:
        if cache is not None and k.sha256 and not k.unread:  # a crash or time-out is tried again next run
            fresh.append((k.sha256, k.rel, dumps(k)))
        results[i] = settle(k, run)
    if cache is not None and fresh:
        cache.put(fresh)
    return [k for k in results if k is not None]


def _hash(path: Path) -> str:
    try:
        return _sha256(path)
    except OSError:  # the worker reports it
        return ""


def _run_pool(jobs: list[tuple], todo: deque, finish: Callable[[int, Kiriman], None],
              workers: int | None, timeout: float, memory: int) -> None:
    n = max(1, min(len(todo), workers or os.cpu_count() or 1))
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else None)
    slots = [_Slot(ctx, memory) for _ in range(n)]
    try:
        while todo or any(s.job is not None for s in slots):
            for s in slots:
                if s.job is None and todo:
                    i = todo.popleft()
                    s.conn.send(jobs[i])
                    s.job, s.started = i, time.monotonic()
            busy = [s for s in slots if s.job is not None]
            wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.25)
            for j, s in enumerate(slots):
                if s.job is None:
                    continue
                i = s.job
                if s.conn.poll():
                    try:
                        finish(i, s.conn.recv())
                        s.job = None
                        continue
                    except (EOFError, OSError):
                        pass
                if not s.proc.is_alive():
                    s.proc.join()
                    finish(i, _failed(jobs[i], f"pembaca berhenti mendadak ({_signal_name(s.proc.exitcode)}); "
                                               "berkas mungkin rusak atau terlalu besar"))
                    s.stop(kill=True)
                    slots[j] = _Slot(ctx, memory)
                elif time.monotonic() - s.started > timeout:
                    s.stop(kill=True)
                    finish(i, _failed(jobs[i], f"pembacaan melebihi batas waktu {timeout:g} detik; berkas terlalu "
                                               "besar atau rusak"))
                    slots[j] = _Slot(ctx, memory)
    finally:
        for s in slots:
            s.stop(kill=s.job is not None)


def period(kiriman: Iterable[Kiriman], tahun: int | None = None) -> tuple[int | None, int | None]:
    """The (tahun, triwulan) most valid quarterly submissions share (of ``tahun`` when given); on a tie the
    latest. Files with a galat, refused metadata or no data never decide it."""
    counts: dict[tuple[int, int], int] = {}
    for k in kiriman:
        if (k.valid and k.ident and k.ident.tahun and k.ident.triwulan and k.form not in (*FORMS_TAHUNAN, ROLLUP_FORM)
                and k.ident.tahun == (tahun or k.ident.tahun)):
            key = (k.ident.tahun, k.ident.triwulan)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return tahun, None
    return max(counts, key=lambda key: (counts[key], key))


def _order(k: Kiriman, run: dt.datetime) -> tuple:
    """Duplicates sort by arrival: the trusted stamp, else when the ledger first saw the file, else the run
    (the file arrived after the last run at the earliest it can be known); at the same time by name. A stamp
    in the future is distrusted: that file counts as the oldest."""
    t = k.waktu_kirim or wk.aware(run)
    return (not k.untrusted, t.timestamp(), k.rel)


def _replaced(k: Kiriman, sheets: str, by: Kiriman, run: dt.datetime) -> str:
    """Why the sheets ``sheets`` of ``k`` give way to ``by``, as :func:`_order` decided it."""
    if k.sha256 and k.sha256 == by.sha256:
        return f"salinan identik dari {by.rel}; tidak dihitung dua kali"
    mine, theirs = _order(k, run), _order(by, run)
    if mine[:2] == theirs[:2]:
        when = (f"waktu kirim keduanya sama ({wk.shown(k.waktu_kirim)})" if k.waktu_kirim
                else "waktu kirim keduanya tidak diketahui")
        why = f"digantikan oleh {by.rel}: {when}, jadi yang dipakai berkas yang namanya terakhir menurut urutan nama"
    elif by.waktu_kirim is None:
        why = (f"digantikan oleh {by.rel} yang dianggap lebih baru: waktu kirimnya tidak diketahui (belum tercatat "
               f"di buku besar), berkas ini {wk.shown(k.waktu_kirim)}")
    else:
        seconds = wk.shown(by.waktu_kirim) == wk.shown(k.waktu_kirim)  # apart by seconds only
        why = (f"digantikan oleh {by.rel} yang lebih baru ({wk.shown(by.waktu_kirim, seconds)} > "
               f"{wk.shown(k.waktu_kirim, seconds)})")
    return (f"lembar {sheets} {why}"
            + ("; berkas itu ditolak, jadi lembar ini tidak dihitung" if not by.valid else ""))


def _key(k: Kiriman, b: Bagian) -> tuple:
    ident = k.ident
    assert ident is not None
    annual = b.form in FORMS_TAHUNAN
    return (k.unit or k.rel, b.form, b.kegiatan, b.program, ident.tahun, None if annual else ident.triwulan)


def _groups(kiriman: Iterable[Kiriman], run: dt.datetime) -> list[list[tuple[Kiriman, Bagian]]]:
    """The sheets of ``kiriman`` per duplicate key (satker, form, kegiatan, program, tahun, triwulan), each
    group oldest first (:func:`_order`): its last file is the one that counts."""
    groups: dict[tuple, list[tuple[Kiriman, Bagian]]] = {}
    for k in kiriman:
        for b in k.bagian:
            groups.setdefault(_key(k, b), []).append((k, b))
    for group in groups.values():
        group.sort(key=lambda kb: _order(kb[0], run))
    return list(groups.values())


def _add(kiriman: dict[str, Kiriman], found: dict[str, list[Finding]]) -> None:
    for name, items in found.items():
        k = kiriman[name]
        k.findings.extend(items)
        k.galat += sum(f.severity == Severity.GALAT for f in items)
        k.peringatan += sum(f.severity == Severity.PERINGATAN for f in items)


def across(in_play: Iterable[Kiriman], other: Iterable[Kiriman], run: dt.datetime) -> None:
    """The cross-form rules (:mod:`macros.validation.lintas`) once the duplicates are decided; peringatan (as
    in Validasi), so they never change which file counts, and each finding is added to both files.

    V33–V36 (:func:`~macros.validation.lintas.check`) over the files in play of each unit and year, on the
    sheets no newer file replaced. Across years V34 and V36 alone (:func:`~macros.validation.lintas.check_years`), as
    Validasi does over several years' files: a Renstra in play against the Perjanjian Kinerja of earlier
    years of its unit in the folder — in play (a run without a year) or ``other`` (files of another period:
    not counted, the comparison partner only); of these, per (satker, form, tahun) the newest file as
    :func:`resolve` decides duplicates (:func:`_groups`), so a replaced earlier PK is not compared. The
    finding shows on the Renstra and on the earlier PK: the rollup lists that file, with its status periode
    lain, in Kiriman and Temuan together with its own findings, so the verifier sees both cells; no status,
    total or count of the files in play changes."""
    # (file, unit, year, view): the unit as duplicates are keyed (:func:`_key`)
    now = [(k, k.unit or k.rel, k.ident.tahun, k.lintas.only({b.sheet for b in k.bagian if not b.digantikan}))
           for k in in_play if k.lintas is not None and k.ident is not None]
    units: dict[tuple, list[BerkasLintas]] = {}
    for _, unit, year, v in now:
        units.setdefault((unit, year), []).append(v)
    by = {v.file: k for k, _, _, v in now}
    for views in units.values():
        if len(views) > 1:
            _add(by, check(views))
    newest: dict[str, tuple[Kiriman, set[str]]] = {}
    for group in _groups((k for k in other if k.ident is not None and not k.tolak), run):
        k, b = group[-1]
        newest.setdefault(k.rel, (k, set()))[1].add(b.sheet)
    then = [(k, k.unit or k.rel, k.ident.tahun, k.lintas.only(sheets))
            for k, sheets in newest.values() if k.lintas is not None and k.ident is not None]
    by |= {v.file: k for k, _, _, v in then}
    pk = [(unit, year, v) for _, unit, year, v in (*now, *then)
          if year is not None and any(s.form == PERJANJIAN_KINERJA.form for s in v.sheets)]
    for _, unit, year, v in now:
        if year is None or not any(s.form == RENSTRA.form for s in v.sheets):
            continue
        earlier = [w for u, y, w in pk if u == unit and y < year]
        if earlier:
            _add(by, check_years(v, earlier))


def resolve(kiriman: list[Kiriman], tahun: int | None, triwulan: int | None, run: dt.datetime | None = None) -> None:
    """Decide every file's status; per form sheet the newest file (by ``waktu_kirim``) wins.

    Duplicates are resolved per sheet (satker, form, kegiatan, tahun, triwulan), so a FORM A re-sent on its
    own replaces that sheet of an earlier package and nothing is counted twice. A newer file with a galat
    still replaces the older one: the satker's report as it stands is rejected. A file whose metadata or
    identity was refused takes no part: who sent it and when is not known. The files in play are then
    compared across forms (:func:`across`).
    """
    run = run or dt.datetime.now()
    in_play: list[Kiriman] = []
    other: list[Kiriman] = []
    for k in kiriman:
        if k.ident is None:
            k.status, k.alasan = DITOLAK if k.tolak else k.unread or BUKAN_FORM, k.error
            continue
        if k.form == ROLLUP_FORM:
            k.status, k.alasan = ROLLUP_LAMA, "rollup hasil konsolidasi sebelumnya; tidak dihitung lagi"
            continue
        if k.kosong:
            k.status, k.alasan = KOSONG, "form belum diisi (V00); tidak dihitung"
            continue
        t, tw = k.ident.tahun, k.ident.triwulan
        if (tahun and t and t != tahun) or (triwulan and tw and tw != triwulan and k.form not in FORMS_TAHUNAN):
            k.status = PERIODE_LAIN
            k.alasan = f"laporan tahun {t or '?'} triwulan {tw or '?'}, bukan tahun {tahun} triwulan {triwulan}"
            other.append(k)
            continue
        if k.tolak:  # metadata or identity refused: listed as ditolak, never replaces another file
            continue
        in_play.append(k)
    for group in _groups(in_play, run):
        winner = group[-1][0]
        for k, b in group[:-1]:
            b.digantikan = winner.rel
        group[-1][1].dipakai = winner.valid
    across(in_play, other, run)
    by = {x.rel: x for x in kiriman}
    for k in kiriman:
        if k.status:
            continue
        newer = sorted({b.digantikan for b in k.bagian if b.digantikan})
        if not k.valid:
            k.status = DITOLAK
            k.alasan = ("; ".join(x for x in (k.tolak, k.error) if x)
                        or f"{k.galat} galat; seluruh isinya tidak dihitung")
        elif newer and not k.dipakai:
            k.status = DUPLIKAT
        elif newer:
            k.status = SEBAGIAN
        else:
            k.status = DIPAKAI
        notes = [_replaced(k, ", ".join(b.sheet for b in k.bagian if b.digantikan == n), by[n], run) for n in newer]
        if k.status != DITOLAK and k.peringatan:
            notes.append(f"{k.peringatan} peringatan")
        if k.untrusted:
            notes.append(k.untrusted)
        k.alasan = "; ".join(x for x in (k.alasan, *notes) if x)
