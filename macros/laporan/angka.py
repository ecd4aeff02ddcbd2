"""Figures of the Laporan Kinerja: a value, how it is shown (Indonesian format) and where it came from.

Every number in the report is an :class:`Angka`. The .xlsx, the .docx tables and
the narrative all print :attr:`Angka.teks`, so the text cannot quote a figure
different from its table.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from workbooks.numbers import format_id

BELUM = "data belum tersedia"

# "1.234.567,89", "133,33", "4"; a dot groups thousands only when followed by three digits
RE_ANGKA = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d])|(?<![\d.,])\d+(?:,\d+)?(?![\d])")


@dataclass(frozen=True)
class Sumber:
    """Where a figure was read: file name, sheet and cell (A1)."""

    berkas: str
    lembar: str
    sel: str

    def __str__(self) -> str:
        return f"{self.berkas} — {self.lembar}!{self.sel}"


@dataclass(frozen=True)
class Angka:
    """A number of the report. ``desimal`` fixes how it is printed; ``sumber`` is its lineage
    (the cells it was read from, or the cells it was computed from), ``rumus`` how it was computed."""

    nilai: float
    desimal: int
    sumber: tuple[Sumber, ...] = ()
    rumus: str = ""
    satuan: str = field(default="", compare=False)

    @property
    def bulat(self) -> Decimal:
        return Decimal(repr(float(self.nilai))).quantize(Decimal(1).scaleb(-self.desimal), rounding=ROUND_HALF_UP)

    @property
    def teks(self) -> str:
        return teks_angka(self.bulat, self.desimal)

    @property
    def format_excel(self) -> str:
        return "#,##0" + ("." + "0" * self.desimal if self.desimal else "")


def teks_angka(x: Decimal | float, desimal: int) -> str:
    """``x`` the Indonesian way with exactly ``desimal`` decimals (half-up): 1.234,50."""
    d = x if isinstance(x, Decimal) else Decimal(repr(float(x)))
    d = d.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # never "-0,00"
    return format_id(d, desimal, desimal)


def desimal_perlu(x: float, paling: int = 3) -> int:
    """Decimals needed to show ``x`` as typed (at most ``paling``): 4 → 0, 3,6 → 1, 18,775 → 3."""
    for d in range(paling + 1):
        if math.isclose(x, round(x, d), rel_tol=0, abs_tol=1e-9):
            return d
    return paling


def angka(nilai: float | None, sumber: tuple[Sumber, ...] = (), *, desimal: int | None = None, rumus: str = "",
          satuan: str = "") -> Angka | None:
    """An :class:`Angka`, or None when there is no value (None, NaN, not a number)."""
    if nilai is None or isinstance(nilai, bool) or not isinstance(nilai, (int, float)):
        return None
    if isinstance(nilai, float) and (math.isnan(nilai) or math.isinf(nilai)):
        return None
    v = float(nilai)
    return Angka(v, desimal_perlu(v) if desimal is None else desimal, tuple(sumber), rumus, satuan)


def baca_angka(teks: str) -> Decimal | None:
    """An Indonesian number as written in a report ("1.234,5") → Decimal; None when it is not one."""
    t = teks.strip()
    if not RE_ANGKA.fullmatch(t):
        return None
    return Decimal(t.replace(".", "").replace(",", "."))


def desimal_tertulis(teks: str) -> int:
    """Decimals written in a quoted number ("133,3" → 1)."""
    _, _, frac = teks.partition(",")
    return len(frac)


def sama_tertulis(teks: str, nilai: float) -> bool:
    """Whether the quoted ``teks`` is ``nilai`` rounded (half-up) to the decimals the text shows."""
    q = baca_angka(teks)
    if q is None:
        return False
    d = desimal_tertulis(teks)
    return Decimal(repr(float(nilai))).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP) == q
