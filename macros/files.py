"""File front end helpers: atomic writes, never touching inputs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook


def _atomic(path: str | Path, write: Callable[[str], None]) -> Path:
    """Write to a temporary file beside ``path`` and rename it into place (a crash leaves the old file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_atomic(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` atomically to ``path``."""
    return _atomic(path, wb.save)


def write_bytes_atomic(data: bytes, path: str | Path) -> Path:
    return _atomic(path, lambda tmp: Path(tmp).write_bytes(data))
