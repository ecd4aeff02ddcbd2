"""The one parser for what people type into number cells.

Accepts Indonesian (``1.234.567,89``) and US (``1,234,567.89``) notation, a
trailing ``%``, a unit after the number (``6 persen``, ``750 SPK/Order``),
placeholders (``-``, ``--``, ``N/A``) and stray spaces. A cell whose text is
not a number at all is reported, never guessed: no exponents (``1e308``),
hexadecimal (``0x61E38``), underscores (``400_952``), letters glued to the
digits (``400952abc``), dates (``30.06.2023``, ``2023-06-30``), thousands
groups of other than three digits, a percent sign in a money or count column,
and nothing that is not finite (``INF``, ``NaN``, 400 digits).

:func:`format_id` is the other direction: the one way a number is shown to users (``1.234.567,89``).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
import math
import re
from dataclasses import dataclass
from typing import Literal

from babel.numbers import format_decimal

PLACEHOLDERS = frozenset({"-", "--", "—", "–", "n/a", "na", "#n/a"})
EXCEL_ERRORS = frozenset(
    {"#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a", "#getting_data", "#spill!", "#calc!"}
)

Status = Literal["kosong", "placeholder", "angka", "teks-angka", "galat-excel", "bukan-angka", "tidak-wajar"]
Hint = Literal["uang", "persen", "angka"]

_NUM = re.compile(r"^\s*([+-]?[\d.,\s]*\d)(\s*)(%?)(\s*)(.*?)\s*$")


@dataclass(frozen=True)
class Parsed:
    """A cell read as a number.

    ``status``: ``kosong`` (empty), ``placeholder`` (``-`` and friends),
    ``angka`` (a real number cell), ``teks-angka`` (a number typed as text,
    accepted), ``galat-excel`` (``#DIV/0!`` …), ``bukan-angka`` (text) or
    ``tidak-wajar`` (not finite, or beyond the bound of its unit: see
    :func:`within`); the value of the last two is None.
    ``ambigu`` is set when a single separator before three digits had to be
    decided by the column type (``1.279``).
    """

    value: float | None
    status: Status
    satuan: str = ""
    ambigu: bool = False

    @property
    def ok(self) -> bool:
        return self.status in ("kosong", "placeholder", "angka", "teks-angka")


def _thousands(part: str, sep: str) -> str:
    """``1.234.567`` → ``1234567``; ValueError unless every group after the first has three digits."""
    groups = part.split(sep)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 or not g.isdigit() for g in groups[1:]):
        raise ValueError(part)
    return "".join(groups)


def _decide(body: str, hint: Hint) -> tuple[float, bool]:
    body = body.replace(" ", "")
    sign = -1.0 if body.startswith("-") else 1.0
    body = body.lstrip("+-")
    dots, commas = body.count("."), body.count(",")
    ambiguous = False
    if dots and commas:
        # the separator that comes last is the decimal one
        dec, th = (",", ".") if body.rfind(",") > body.rfind(".") else (".", ",")
        whole, _, frac = body.rpartition(dec)
        if th in frac or dec in whole:
            raise ValueError(body)
        body = _thousands(whole, th) + "." + frac
    elif dots or commas:
        sep = "." if dots else ","
        parts = body.split(sep)
        if len(parts) > 2:  # 1.234.567 or 1,234,567: thousands
            body = _thousands(body, sep)
        elif len(parts[1]) == 3 and parts[0] not in ("", "0"):
            # 1.279 / 10,725: thousands for money and counts, decimal for %
            ambiguous = True
            body = body.replace(sep, ".") if hint == "persen" else body.replace(sep, "")
        else:
            body = body.replace(sep, ".")
    return sign * float(body), ambiguous


def number(v: object) -> float | int | None:
    """A cell value that is a number (int or float, not a bool, not NaN), else None; no text is parsed."""
    t = type(v)
    if t is float:  # the common cases first (a rollup adds up a few hundred thousand values)
        return None if v != v else v  # type: ignore[return-value]
    if t is int:
        return v  # type: ignore[return-value]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return None if math.isnan(v) else v


def parse_number(raw: object, hint: Hint = "angka") -> Parsed:
    """Read one cell value as a number (see :class:`Parsed`)."""
    if raw is None:
        return Parsed(None, "kosong")
    if isinstance(raw, bool):
        return Parsed(None, "bukan-angka")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):  # INF/NaN stored in the cell
            return Parsed(None, "tidak-wajar")
        return Parsed(float(raw), "angka")
    if isinstance(raw, (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        return Parsed(None, "bukan-angka")
    text = str(raw).strip().replace("\u00a0", " ")
    if not text:
        return Parsed(None, "kosong")
    low = text.lower()
    if low in PLACEHOLDERS:
        return Parsed(None, "placeholder")
    if low in EXCEL_ERRORS:
        return Parsed(None, "galat-excel")
    if low.startswith("rp"):
        text = text[2:].lstrip(". ")
    m = _NUM.match(text)
    if not m:
        return Parsed(None, "bukan-angka")
    body, gap, pct, gap2, unit = m.groups()
    if pct and hint == "uang":  # '12%' in a Rupiah or count column
        return Parsed(None, "bukan-angka")
    if unit and (not unit[0].isalpha() or not (gap2 if pct else gap)):  # 1e308, 0x61E38, 400_952, 400952abc
        return Parsed(None, "bukan-angka")
    try:
        value, ambiguous = _decide(body, "persen" if pct else hint)
    except ValueError:
        return Parsed(None, "bukan-angka")
    if not math.isfinite(value):
        return Parsed(None, "tidak-wajar")
    unit = unit.rstrip(",-").strip()
    return Parsed(value, "teks-angka", satuan=unit, ambigu=ambiguous)


def within(p: Parsed, bound: float | None) -> Parsed:
    """``p``, or ``tidak-wajar`` when its value is beyond ``bound`` in magnitude (see ``model.BATAS``)."""
    if bound is not None and p.value is not None and abs(p.value) > bound:
        return Parsed(None, "tidak-wajar", p.satuan)
    return p


def plain(raw: object, bound: float | None) -> bool:
    """Whether ``raw`` is a plain finite float inside ``bound`` (most cells): its parse is itself, ``angka``."""
    return type(raw) is float and math.isfinite(raw) and (bound is None or abs(raw) <= bound)


def parse_within(raw: object, hint: Hint, bound: float | None) -> Parsed:
    """:func:`parse_number` then :func:`within`; a :func:`plain` number is taken as is."""
    if plain(raw, bound):
        return Parsed(raw, "angka")
    return within(parse_number(raw, hint), bound)


def to_float(raw: object, hint: Hint = "angka") -> float | None:
    """The number in a cell, or None for empty/placeholder/non-numbers."""
    return parse_number(raw, hint).value


def format_id(x: float | int | Decimal, lo: int = 0, hi: int = 2) -> str:
    """``x`` the Indonesian way (``1.234.567,89``) with at least ``lo`` and at most ``hi`` decimals."""
    pattern = "#,##0" + ("." + "0" * lo + "#" * (hi - lo) if hi else "")
    return format_decimal(x, pattern, locale="id_ID", decimal_quantization=True)
