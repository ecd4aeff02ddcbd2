"""Rounding half up (as the reports do): 102,5 → 103, not 102."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from udfs._args import as_numbers, per_cell
from udfs.errors import NilaiGalat


def _bulat_satu(x: Any, digits: Any) -> float | None | NilaiGalat:
    v = as_numbers(x, digits)
    if isinstance(v, NilaiGalat) or v[0] is None:
        return v if isinstance(v, NilaiGalat) else None
    d = 2 if v[1] is None else int(v[1])
    return float(Decimal(repr(v[0])).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def bulat(x: Any, digits: int = 2) -> float | None | NilaiGalat | list[float | None | NilaiGalat]:
    """Round half up to ``digits`` decimals (Decimal ROUND_HALF_UP).

    Python's ``round()`` rounds half to even (102,5 → 102), while the reports round half up
    (102,5 → 103). The number is read from its shortest decimal representation, so
    2,675 → 2,68. An empty cell stays None; a range → a list.
    Used only where a form prints a number; calculations keep full precision.
    """
    return per_cell(_bulat_satu, x, digits)
