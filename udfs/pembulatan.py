"""Half-up rounding as the seed reports print (102,5 → 103), not Python's half-even."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def bulat(x: float, digits: int = 2) -> float:
    """Bulatkan ``x`` ke ``digits`` desimal, setengah ke atas (102,5 → 103)."""
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))
