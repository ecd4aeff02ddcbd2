"""The one parser for what people type into number cells.

Accepts Indonesian (``1.234.567,89``) and US (``1,234,567.89``) notation, a
trailing ``%``, a unit after the number (``6 persen``, ``750 SPK/Order``),
placeholders (``-``, ``--``, ``N/A``) and stray spaces. A cell whose text is
not a number at all is reported, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal

PLACEHOLDERS = frozenset({"-", "--", "—", "–", "n/a", "na", "#n/a"})
EXCEL_ERRORS = frozenset(
    {"#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a", "#getting_data", "#spill!", "#calc!"}
)

Status = Literal["kosong", "placeholder", "angka", "teks-angka", "galat-excel", "bukan-angka"]
Hint = Literal["uang", "persen", "angka"]

_NUM = re.compile(r"^\s*([+-]?[\d.,\s]*\d)\s*(%?)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Parsed:
    """A cell read as a number.

    ``status``: ``kosong`` (empty), ``placeholder`` (``-`` and friends),
    ``angka`` (a real number cell), ``teks-angka`` (a number typed as text,
    accepted), ``galat-excel`` (``#DIV/0!`` …) or ``bukan-angka`` (text).
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


def _decide(body: str, hint: Hint) -> tuple[float, bool]:
    body = body.replace(" ", "")
    sign = -1.0 if body.startswith("-") else 1.0
    body = body.lstrip("+-")
    dots, commas = body.count("."), body.count(",")
    ambiguous = False
    if dots and commas:
        # the separator that comes last is the decimal one
        if body.rfind(",") > body.rfind("."):
            body = body.replace(".", "").replace(",", ".")
        else:
            body = body.replace(",", "")
    elif dots or commas:
        sep = "." if dots else ","
        parts = body.split(sep)
        if len(parts) > 2:  # 1.234.567 or 1,234,567: thousands
            body = body.replace(sep, "")
        elif len(parts[1]) == 3 and parts[0] not in ("", "0"):
            # 1.279 / 10,725: thousands for money and counts, decimal for %
            ambiguous = True
            body = body.replace(sep, ".") if hint == "persen" else body.replace(sep, "")
        else:
            body = body.replace(sep, ".")
    return sign * float(body), ambiguous


def parse_number(raw: object, hint: Hint = "angka") -> Parsed:
    """Read one cell value as a number (see :class:`Parsed`)."""
    if raw is None:
        return Parsed(None, "kosong")
    if isinstance(raw, bool):
        return Parsed(None, "bukan-angka")
    if isinstance(raw, (int, float)):
        if raw != raw:  # NaN
            return Parsed(None, "kosong")
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
    body, pct, unit = m.groups()
    if unit and (unit[0].isdigit() or unit.startswith((".", ","))):
        return Parsed(None, "bukan-angka")
    try:
        value, ambiguous = _decide(body, "persen" if pct else hint)
    except ValueError:
        return Parsed(None, "bukan-angka")
    unit = unit.rstrip(",-").strip()
    return Parsed(value, "teks-angka", satuan=unit, ambigu=ambiguous)


def to_float(raw: object, hint: Hint = "angka") -> float | None:
    """The number in a cell, or None for empty/placeholder/non-numbers."""
    return parse_number(raw, hint).value
