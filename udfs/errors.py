"""Error values: the result of a kinerja function that cannot be computed from its data.

The functions in :mod:`udfs` raise no exception for data problems (a zero target,
an empty cell, text in a number cell); they *return* a :class:`NilaiGalat`
(or put one in an element of a vectorised result). The Excel adapters turn it into
an Excel error value (``#DIV/0!``, ``#VALUE!``, ``#N/A``, ``#NUM!``).
"""

from __future__ import annotations

from dataclasses import dataclass

BAGI_NOL = "#DIV/0!"  # zero or empty denominator
SALAH_NILAI = "#VALUE!"  # wrong kind of data: text, ranges of different sizes, an answer outside 1–4
TIDAK_ADA = "#N/A"  # a required value is empty
DI_LUAR = "#NUM!"  # a number outside the domain (beyond the scale, population ≤ 0)
KODE_GALAT: frozenset[str] = frozenset({BAGI_NOL, SALAH_NILAI, TIDAK_ADA, DI_LUAR})


@dataclass(frozen=True)
class NilaiGalat:
    """An Excel error value with its explanation in Bahasa Indonesia.

    ``kode`` is the Excel error literal; ``pesan`` explains the cause (user text),
    e.g. ``NilaiGalat("#DIV/0!", "Target 0 atau kosong: capaian tidak dapat dihitung")``.
    """

    kode: str
    pesan: str

    def __post_init__(self) -> None:
        if self.kode not in KODE_GALAT:
            raise ValueError(f"Kode galat tidak dikenal: {self.kode!r}; pilih salah satu dari {sorted(KODE_GALAT)}")

    def __str__(self) -> str:
        return self.kode

