"""Text from a submission written into an output workbook: always text, never a formula, never a crash.

openpyxl stores a string starting with ``=`` as a formula, and spreadsheets
treat cells starting with ``+``, ``-``, ``@``, tab or CR as formulas on input
or export (CSV/formula injection). :func:`put` writes a value so that such a
string stays a string (``data_type = "s"``), and replaces what XML cannot
hold (control characters, lone surrogates from undecodable file names) with
U+FFFD instead of failing. Used by every writer of data that came from a
submission: annotated copies, Hasil Validasi, the rollup (Jejak Data,
Kiriman, Temuan, Status), FORM B values.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def bersih(value: Any) -> Any:
    """``value`` with characters XML cannot hold replaced (strings only; other values unchanged)."""
    if not isinstance(value, str):
        return value
    return _SURROGATES.sub(REPLACEMENT, ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value))


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl ``cell`` as data: a formula-like string stays a string."""
    value = bersih(value)
    cell.value = value
    if formula_like(value):
        cell.data_type = "s"
    return cell


def append(ws: Any, row: Any) -> None:
    """``ws.append(row)`` with every value written as data (see :func:`put`)."""
    values = [bersih(v) for v in row]
    ws.append(values)
    r = ws._current_row  # noqa: SLF001 - the row append wrote (ws.max_row scans every cell: quadratic)
    for j, v in enumerate(values, start=1):
        if formula_like(v):
            ws.cell(r, j).data_type = "s"
