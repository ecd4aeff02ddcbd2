"""Every number of the rollup with its trail: the rule that made it and the cells it came from.

A :class:`Nilai` is either a *leaf* (a value read from one source cell,
``origin``) or an *aggregate* (a rule over operands, ``parts``). Once written
into the rollup a value gets a ``home`` cell; an aggregate built on it then
points at that cell instead of repeating every leaf, so the Jejak Data sheet
reads as a chain: Ringkasan → FORM B Jumlah → FORM B kegiatan row → the
satker's FORM A cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import udfs
from workbooks.numbers import number

ROLLUP = "(berkas ini)"  # the file column of a source cell inside the rollup itself

# Rule names as shown in the Jejak Data sheet ("Rumus")
SALIN = "salin"
JUMLAH = "jumlah"
TERTIMBANG = "rata-rata tertimbang pagu"
RASIO = "rasio jumlah (Σ pembilang / Σ penyebut × 100)"
CAPAIAN = "capaian (R7)"
RATA = "rata-rata capaian (R9)"
INDEKS = "Indeks Kepuasan Masyarakat (R13)"
KONVERSI = "indeks × 25"
CACAH = "cacah satker"


@dataclass(frozen=True)
class Sumber:
    """One cell: file (relative to the submissions folder, or :data:`ROLLUP`), sheet, A1 cell, value."""

    file: str
    sheet: str
    cell: str
    value: Any


@dataclass(eq=False)
class Nilai:
    value: Any
    rule: str = SALIN
    parts: tuple[tuple[str, Nilai], ...] = ()  # (role, operand): role nilai / bobot / pembilang / penyebut
    origin: Sumber | None = None  # a leaf's source cell
    home: Sumber | None = None  # where the value sits in the rollup, once written

    @property
    def number(self) -> float | None:
        return number(self.value)

    def sources(self) -> Iterator[tuple[str, Sumber]]:
        """(role, cell) of each operand: its rollup cell when it has one, else its own sources."""
        if not self.parts:
            if self.origin is not None:
                yield "nilai", self.origin
            return
        for role, p in self.parts:
            if p.home is not None:
                yield role, p.home
            elif not p.parts:
                if p.origin is not None:
                    yield role, p.origin
            else:
                for inner, s in p.sources():
                    yield (inner if role == "nilai" else role), s


def leaf(file: str, sheet: str, cell: str, value: Any) -> Nilai:
    return Nilai(value, SALIN, origin=Sumber(file, sheet, cell, value))


def copy(x: Nilai) -> Nilai:
    """The same value shown again elsewhere; its trail points at ``x``."""
    return Nilai(x.value, SALIN, (("nilai", x),))


def _ok(v: Any) -> float | None:
    return None if isinstance(v, udfs.NilaiGalat) else v


def jumlah(xs: Sequence[Nilai]) -> Nilai:
    """Σ values (blank and '-' count as 0); None when there is nothing to add."""
    nums = [x.number for x in xs]
    total = sum(v for v in nums if v is not None) if xs else None
    if total is not None and float(total).is_integer():
        total = int(total)
    return Nilai(total, JUMLAH, tuple(("nilai", x) for x in xs))


def _floats(xs: Sequence[Nilai]) -> list[float | None]:
    """The operands' numbers for a udfs rule, whole numbers as floats: what the rule makes of them anyway
    (``udfs._args.as_number``), given in the form it takes without a check per cell."""
    out = []
    for x in xs:
        v = x.number
        out.append(float(v) if type(v) is int else v)
    return out


def tertimbang(values: Sequence[Nilai], weights: Sequence[Nilai]) -> Nilai:
    """Σ(pagu × persen) / Σ pagu (R3), by :func:`udfs.rata_tertimbang`; operands listed pairwise."""
    v = _ok(udfs.rata_tertimbang(_floats(values), _floats(weights))) if values else None
    parts = tuple(p for x, w in zip(values, weights) for p in (("nilai", x), ("bobot", w)))
    return Nilai(v, TERTIMBANG, parts)


def rasio(numerators: Sequence[Nilai], denominators: Sequence[Nilai], rule: str = RASIO,
          fn: Callable[[Any, Any], Any] = udfs.rasio_gabungan) -> Nilai:
    """Σ numerators / Σ denominators × 100 (R11, by default :func:`udfs.rasio_gabungan`; P3DN passes
    :func:`udfs.p3dn`): sums first, then one division."""
    v = _ok(fn(_floats(numerators), _floats(denominators)))
    parts = (*(("pembilang", x) for x in numerators), *(("penyebut", d) for d in denominators))
    return Nilai(v, rule, tuple(parts))


def cacah(cells: Sequence[Sumber]) -> Nilai:
    """How many of ``cells`` (rows of Status Pengiriman) are counted."""
    return Nilai(len(cells), CACAH, tuple(("nilai", Nilai(c.value, SALIN, origin=c)) for c in cells))
