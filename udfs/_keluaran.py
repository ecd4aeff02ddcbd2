"""The shape of a result on a worksheet: a scalar stays a scalar, a list becomes a column (or a row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from udfs.errors import NilaiGalat


def to_sheet(result: Any, error: Callable[[NilaiGalat], Any], row: bool = False) -> Any:
    """A kinerja function's result in the shape of Excel cells.

    A list becomes a one-column 2-D range (``row=True``: one row); every
    :class:`NilaiGalat` is replaced by ``error(g)`` (an error literal or the calculation engine's error object).
    """

    def one(v: Any) -> Any:
        return error(v) if isinstance(v, NilaiGalat) else v

    if isinstance(result, list):
        cells = [one(v) for v in result]
        return [cells] if row else [[v] for v in cells]
    return one(result)
