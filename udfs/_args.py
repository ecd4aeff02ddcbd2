"""Normalise what Excel passes: scalars, flat or nested lists, numpy arrays; blanks and ``-``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

BLANKS = frozenset({"", "-", "--", "—", "–"})


def flatten(x: Any) -> list[Any]:
    """Every cell of a scalar / list / nested list / numpy array, row by row."""
    if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        out: list[Any] = []
        for v in x:
            out.extend(flatten(v))
        return out
    return [x]


def number(v: Any) -> float | None:
    """A cell as a number; None for blank, ``-`` and anything that is not a number."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        f = float(v)
        return None if math.isnan(f) else f
    if hasattr(v, "item"):  # numpy scalar
        return number(v.item())
    if isinstance(v, str):
        s = v.strip()
        if s in BLANKS:
            return None
        try:
            return float(s.replace(",", "."))
        except ValueError:
            return None
    return None


def scalar(x: Any) -> Any:
    """The single cell of a one-cell range (Excel passes [[v]])."""
    vals = flatten(x)
    return vals[0] if vals else None


def numbers(x: Any) -> list[float | None]:
    return [number(v) for v in flatten(x)]


def zero(v: float | None) -> float:
    return 0.0 if v is None else v


def is_range(x: Any) -> bool:
    return len(flatten(x)) > 1


def pairs(a: Any, b: Any) -> Iterable[tuple[float | None, float | None]]:
    """Aligned numbers of two ranges (the shorter one padded with blanks)."""
    xa, xb = numbers(a), numbers(b)
    n = max(len(xa), len(xb))
    xa += [None] * (n - len(xa))
    xb += [None] * (n - len(xb))
    return zip(xa, xb)


def text(v: Any, default: str = "") -> str:
    vals = flatten(v)
    v = vals[0] if vals else None
    return default if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip() or default
