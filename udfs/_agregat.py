"""Shared division and summing: one place for ratios, totals and weights."""

from __future__ import annotations

import operator
from typing import Any

from udfs._args import first_error, number_column
from udfs.errors import BAGI_NOL, SALAH_NILAI, NilaiGalat


def divide(numerator: float, denominator: float | None, message: str, factor: float = 1.0) -> float | NilaiGalat:
    """``numerator / denominator × factor``; a zero or empty denominator → ``#DIV/0!`` carrying ``message``."""
    if not denominator:
        return NilaiGalat(BAGI_NOL, message)
    return numerator / denominator * factor


def total(x: Any) -> float | NilaiGalat:
    """The sum of every cell of ``x``; empty cells and ``-`` count as 0."""
    v = number_column(x)
    return v if isinstance(v, NilaiGalat) else sum(n or 0.0 for n in v)


def pooled_ratio(numerators: list[Any], denominator: Any, message: str) -> float | NilaiGalat:
    """Pooled ratio: Σ every numerator / Σ denominator × 100 (sum first, then divide)."""
    tops = [total(x) for x in numerators]
    bottom = total(denominator)
    error = first_error(*tops, bottom)
    return error or divide(sum(tops), bottom, message, 100.0)  # type: ignore[arg-type]


def weighted_sum(values: Any, weights: Any) -> tuple[float, float] | NilaiGalat:
    """(Σ weight × value, Σ weight) over parallel rows; empty cells and ``-`` count as 0."""
    v, w = number_column(values), number_column(weights)
    error = first_error(v, w)
    if error:
        return error
    if len(v) != len(w):
        return NilaiGalat(SALAH_NILAI, "Jumlah sel nilai dan pagu tidak sama")
    if None not in v and None not in w:  # no empty cell: the same sums without the "or 0.0" (a ±0.0 term
        return sum(map(operator.mul, v, w)), sum(w)  # never changes a sum that starts at 0)
    return sum((x or 0.0) * (b or 0.0) for x, b in zip(v, w)), sum(b or 0.0 for b in w)
