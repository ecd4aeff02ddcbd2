"""File front end of Validasi: read, validate, print a summary, write JSON and annotated copies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from macros.apply_file import annotate_copy
from macros.files import guard_output, write_bytes_atomic
from macros.validation.core import ValidationResult, validate
from macros.validation.lintas import check_across
from macros.validation.previous import refused
from workbooks.reader import BacaGagal, WorkbookData, read_workbook, shown

MAX_ROWS = 40


def _summary(h: ValidationResult, console: Console) -> None:
    status = "[green]LOLOS[/]" if h.valid else "[red]DITOLAK[/]"
    console.print(f"\n[bold]{escape(h.file)}[/]: {status} — {h.galat} galat, {h.peringatan} peringatan")
    if not h.findings:
        return
    t = Table(show_lines=False, expand=False)
    for col in ("Aturan", "Tingkat", "Lembar!Sel", "Pesan"):
        t.add_column(col, overflow="fold")
    for f in h.findings[:MAX_ROWS]:
        colour = "red" if f.severity == "galat" else "yellow"
        t.add_row(f.rule, f"[{colour}]{f.severity}[/]", escape(f.address), escape(f.message))
    console.print(t)
    if len(h.findings) > MAX_ROWS:
        console.print(f"… dan {len(h.findings) - MAX_ROWS} temuan lain (lihat --json atau --anotasi).")


def check_outputs(paths: Sequence[Path], previous: Path | None = None, json_out: Path | None = None,
                  anotasi: Path | None = None) -> None:
    """Refuse outputs that would overwrite an input (see :func:`macros.files.guard_output`)."""
    inputs = [Path(p) for p in paths] + ([Path(previous)] if previous is not None else [])
    if json_out is not None:
        guard_output(json_out, files=inputs, what="Berkas --json")
    if anotasi is not None:
        folder = Path(anotasi)
        guard_output(folder, folders={p.parent for p in inputs}, inside=False, what="Folder --anotasi",
                     is_folder=True)
        for p in paths:
            guard_output(folder / Path(p).name, files=inputs, what="Salinan bertanda")


def _read_all(paths: Sequence[Path]) -> dict[Path, WorkbookData | Exception]:
    """Each file read once: its data, or the error the per-file pass reports."""
    books: dict[Path, WorkbookData | Exception] = {}
    for p in map(Path, paths):
        try:
            books[p] = read_workbook(p)
        except Exception as exc:  # noqa: BLE001 - reported by the per-file pass
            books[p] = exc
    return books


def _previous(path: Path, books: list[WorkbookData]) -> tuple[WorkbookData | None, str]:
    """The ``--sebelumnya`` report, or why it cannot be used (:func:`~macros.validation.previous.refused`)."""
    try:
        prev = read_workbook(path)
    except BacaGagal as exc:
        return None, f"Berkas --sebelumnya {exc}"
    except Exception:  # noqa: BLE001 - never a traceback
        return None, f"Berkas --sebelumnya {shown(path.name)}: tidak dapat dibaca sebagai form kinerja."
    return prev, refused(prev, books)


def validate_files(paths: Sequence[Path], previous: Path | None = None, json_out: Path | None = None,
                   anotasi: Path | None = None, console: Console | None = None,
                   err_console: Console | None = None) -> int:
    """Validate ``paths``; returns the exit code (0 no galat, 1 galat, 2 unreadable).

    Raises :class:`macros.files.OutputOverlap` before reading anything when an output would touch an
    input: ``json_out`` is one of the files (or ``previous``), or ``anotasi`` is the folder of one of them.
    A ``previous`` that cannot be read, or is not last quarter's report of the files, is refused (2) before any
    file is checked.
    """
    check_outputs(paths, previous, json_out, anotasi)
    console = console or Console()
    err_console = err_console or console
    code = 0
    results = []
    books = _read_all(paths)
    read = [b for b in books.values() if isinstance(b, WorkbookData)]
    if previous is not None:  # read once, and refused before any file is checked
        previous, why = _previous(Path(previous), read)
        if why:
            err_console.print(f"[bold red]Galat:[/] {escape(why)}")
            return 2
    across = check_across(read) if len(paths) >= 2 else {}
    for p in paths:
        p = Path(p)
        try:
            data = books[p]
            if isinstance(data, Exception):
                raise data
            h = validate(data, previous)
            h.findings.extend(across.get(h.file, []))
        except BacaGagal as exc:
            err_console.print(f"[bold red]Galat:[/] {escape(str(exc))}")
            code = 2
            continue
        except Exception:  # noqa: BLE001 - a file kinerja cannot check is reported, never a traceback
            err_console.print(f"[bold red]Galat:[/] {escape(shown(p.name))}: kinerja tidak dapat memeriksa berkas ini "
                              "(isinya tidak terduga); berkas tidak dapat dibaca sebagai form kinerja.")
            code = 2
            continue
        results.append(h)
        _summary(h, console)
        if anotasi is not None:
            try:
                target = annotate_copy(p, h.plan(), Path(anotasi) / p.name)
                console.print(f"salinan bertanda: {escape(shown(target))}")
            except Exception:  # noqa: BLE001 - the summary stands; the copy is reported as not written
                err_console.print(f"[bold red]Galat:[/] {escape(shown(p.name))}: salinan bertanda tidak dapat ditulis.")
                code = 2
        if code != 2 and not h.valid:
            code = 1
    if json_out is not None:
        data = [{"berkas": h.file, "galat": h.galat, "peringatan": h.peringatan,
                 "temuan": [f.to_dict() for f in h.findings]} for h in results]
        write_bytes_atomic(json.dumps(data, ensure_ascii=False, indent=1, default=str).encode(), json_out)
    return code
