"""File front end helpers: atomic writes, never touching inputs.

Every output is written to a hidden temporary file beside its target
(``.<stem>.<random>.tmp``), flushed to disk and renamed into place, so a crash
leaves the previous file. Outputs get the permissions the user's umask gives
a new file (``mkstemp`` alone would make them 0600). :func:`guard_output`
refuses an output path that is an input or lies inside an input folder.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook


class OutputError(Exception):
    """An output cannot be written; the message (Bahasa Indonesia) names the path. The CLI exits 2."""


class OutputOverlap(OutputError):
    """An output path is an input file or lies inside an input folder."""


class DiskFull(OutputError):
    """The disk (or quota) is full; the previous output is left as it was."""


def _umask() -> int:
    """The process umask (read without changing it where /proc allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def guard_output(path: str | Path, files: Iterable[str | Path] = (), folders: Iterable[str | Path] = (),
                 inside: bool = True, what: str = "Berkas keluaran", is_folder: bool = False) -> None:
    """Raise :class:`OutputOverlap` when ``path`` is one of ``files`` or lies in one of ``folders``
    (with ``inside``, in a subfolder too); ``is_folder``: ``path`` is an output folder, compared itself.
    Paths are resolved: symlinks and ``..`` do not get around it."""
    out = Path(path).resolve()
    for f in files:
        if _same(out, Path(f).resolve()):
            raise OutputOverlap(f"{what} '{path}' adalah berkas masukan '{f}'; berkas masukan tidak pernah "
                                "ditimpa. Pilih nama atau folder keluaran lain.")
    for d in folders:
        folder = Path(d).resolve()
        parent = out if is_folder else out.parent
        if _same(parent, folder) or (inside and folder in parent.parents):
            where = "di dalam" if inside else "di"
            raise OutputOverlap(f"{what} '{path}' berada {where} folder masukan '{d}'; keluaran tidak boleh "
                                "ditulis ke folder masukan. Pilih folder keluaran lain.")


def stale_temps(path: str | Path) -> list[Path]:
    """Temporary files a killed run left beside ``path`` (``.<stem>.*.tmp``)."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.glob(f".{path.stem}.*.tmp") if p.is_file())


def _atomic(path: str | Path, write: Callable[[str], None], before_replace: Callable[[], None] | None = None) -> Path:
    """Write to a temporary file beside ``path`` and rename it into place (a crash leaves the old file)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _failed(path, exc) from exc
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        if before_replace:
            before_replace()
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, *_WHY):
            raise _failed(path, exc) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _failed(path: Path, exc: OSError) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"Disk penuh: '{path}' tidak dapat ditulis. Berkas lama (bila ada) tidak diubah; "
                        "kosongkan ruang disk lalu jalankan lagi.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"Tidak ada izin menulis '{path}' (folder hanya-baca atau izin ditolak).")
    why = _WHY.get(exc.errno) or (f"galat sistem berkas nomor {exc.errno}" if exc.errno else str(exc))
    return OutputError(f"'{path}' tidak dapat ditulis: {why}.")


# Indonesian reasons for the errors a mistyped output path gives (the OS's own text is English)
_WHY = {
    errno.EISDIR: "nama itu sudah dipakai sebuah folder; pilih nama berkas lain",
    errno.EEXIST: "salah satu bagian jalurnya adalah berkas, bukan folder",
    errno.ENOTDIR: "salah satu bagian jalurnya adalah berkas, bukan folder",
    errno.ENOENT: "folder tujuannya tidak ada dan tidak dapat dibuat",
    errno.ENAMETOOLONG: "nama atau jalurnya terlalu panjang",
}


def _write_fd(tmp: str, data: bytes) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def save_atomic(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` atomically to ``path``."""
    return _atomic(path, wb.save)


def write_bytes_atomic(data: bytes, path: str | Path, before_replace: Callable[[], None] | None = None) -> Path:
    """Write ``data`` atomically to ``path`` (flushed to disk before the rename). ``before_replace`` runs
    between the two (a test hook)."""
    return _atomic(path, lambda tmp: _write_fd(tmp, data), before_replace)
