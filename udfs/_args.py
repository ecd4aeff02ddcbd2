"""Argument normalisation: whatever Excel sends becomes a list of Python cell values.

Excel (through xlwings or ``formulas``) sends scalars, flat lists, nested lists
(2-D ranges) or numpy arrays. Empty cells (``None``, ``""``, NaN) and ``-``/``--``
mean "no value". Indonesian-formatted numbers ("1.234,56") are not this module's
business: any text other than an empty marker becomes ``#VALUE!``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from udfs.errors import SALAH_NILAI, TIDAK_ADA, NilaiGalat

Number = float | None  # None = empty cell
T = TypeVar("T")

EMPTY_MARKERS: frozenset[str] = frozenset({"", "-", "--"})


_SEQUENCES = (list, tuple, np.ndarray)


def _is_sequence(x: Any) -> bool:
    return isinstance(x, _SEQUENCES)


def cells(x: Any) -> list[Any]:
    """Every cell of ``x`` as one flat list, row by row.

    A scalar becomes a one-element list; an empty range becomes ``[None]``.
    """
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if not _is_sequence(x):
        return [x]
    if not any(issubclass(t, _SEQUENCES) for t in set(map(type, x))):  # already flat (a column)
        return list(x) or [None]
    out: list[Any] = []
    for v in x:
        if isinstance(v, _SEQUENCES):
            out.extend(cells(v))
        else:
            out.append(v)
    return out or [None]


def matrix(x: Any) -> list[list[Any]] | NilaiGalat:
    """``x`` as rows × columns.

    A scalar → 1×1; a flat list → one *column*; a nested list / 2-D numpy array → as is.
    Rows of different lengths give ``#VALUE!``.
    """
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if not _is_sequence(x):
        return [[x]]
    if not any(_is_sequence(v) for v in x):
        return [[v] for v in x] or [[None]]
    rows = [cells(v) if _is_sequence(v) else [v] for v in x]
    if len({len(r) for r in rows}) > 1:
        return NilaiGalat(SALAH_NILAI, "Rentang tidak berbentuk persegi: panjang baris berbeda")
    return rows


def scalar(x: Any) -> Any:
    """The single value of ``x`` (a one-cell range unwrapped); ``x`` itself when it holds several cells."""
    v = cells(x)
    return v[0] if len(v) == 1 else x


def option_text(x: Any, default: str) -> str:
    """An optional text argument (polarity, scale, method), lower-cased; empty → ``default``."""
    v = scalar(x)
    if v is None or (isinstance(v, str) and v.strip() in EMPTY_MARKERS) or (isinstance(v, float) and math.isnan(v)):
        return default
    return str(v).strip().lower()


def as_number(x: Any) -> Number | NilaiGalat:
    """One cell as a number: a float, None (empty) or ``#VALUE!``."""
    if type(x) is float and math.isfinite(x):  # the common case, without the checks below
        return x
    if isinstance(x, NilaiGalat):
        return x
    if x is None or type(x).__name__ == "NAType":
        return None
    if isinstance(x, str):
        if x.strip() in EMPTY_MARKERS:
            return None
        return NilaiGalat(SALAH_NILAI, f"Teks {x!r} bukan angka")
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        return NilaiGalat(SALAH_NILAI, f"Nilai {x!r} bukan angka")
    f = float(x)
    if math.isnan(f):
        return None
    if math.isinf(f):
        return NilaiGalat(SALAH_NILAI, "Nilai tak hingga bukan angka yang sah")
    return f


def required_number(x: Any, empty_message: str) -> float | NilaiGalat:
    """One number cell that must be filled: empty → ``#N/A`` carrying ``empty_message``."""
    v = as_number(x)
    return NilaiGalat(TIDAK_ADA, empty_message) if v is None else v


def first_error(*vs: Any) -> NilaiGalat | None:
    """The first NilaiGalat among ``vs``, or None."""
    return next((v for v in vs if isinstance(v, NilaiGalat)), None)


def as_numbers(*xs: Any) -> tuple[Number, ...] | NilaiGalat:
    """Several cells as numbers at once; the first error when one is not a number."""
    vs = tuple(as_number(x) for x in xs)
    return first_error(*vs) or vs  # type: ignore[return-value]


def number_column(x: Any) -> list[Number] | NilaiGalat:
    """Every cell of ``x`` as a number (None = empty); the first error when a cell is not a number."""
    xs = cells(x)
    if set(map(type, xs)) == {float} and all(map(math.isfinite, xs)):  # every cell a number already
        return xs
    out: list[Number] = []
    for c in xs:
        if type(c) is float and math.isfinite(c):  # as_number's common case, without the call
            out.append(c)
            continue
        v = as_number(c)
        if isinstance(v, NilaiGalat):
            return v
        out.append(v)
    return out


def per_row(func: Callable[..., T], *columns: Sequence[Any]) -> T | list[T] | NilaiGalat:
    """Apply ``func`` row by row to parallel columns.

    A one-element column is broadcast to every row. The result is a scalar when every
    column holds one cell, a list (one element per row) otherwise, and ``#VALUE!`` when
    the columns' lengths differ.
    """
    n = max(len(c) for c in columns)
    if any(len(c) not in (1, n) for c in columns):
        return NilaiGalat(SALAH_NILAI, "Jumlah sel pada rentang argumen tidak sama")
    results = [func(*(c[0] if len(c) == 1 else c[i] for c in columns)) for i in range(n)]
    return results[0] if n == 1 else results


def per_cell(func: Callable[..., T], *args: Any) -> T | list[T] | NilaiGalat:
    """:func:`per_row` over the cells of each argument (scalar, list, 2-D range)."""
    if not any(_is_sequence(a) for a in args):  # one cell each (a row rule): the function itself
        return func(*args)
    return per_row(func, *(cells(a) for a in args))
