"""Budget aggregations: penyerapan, weighted average, kontribusi, kumulatif, growth (R1–R4, R10, R11)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from udfs._args import as_numbers, first_error, per_cell
from udfs._agregat import divide, pooled_ratio, total, weighted_sum
from udfs.errors import TIDAK_ADA, NilaiGalat

Hasil = float | NilaiGalat


def _penyerapan_satu(realisasi: Any, pagu: Any) -> Hasil:
    v = as_numbers(realisasi, pagu)
    if isinstance(v, NilaiGalat):
        return v
    r, p = v
    return divide(r or 0.0, p, "Pagu 0 atau kosong: penyerapan tidak dapat dihitung", 100.0)


def penyerapan(realisasi: Any, pagu: Any) -> Hasil | list[Hasil]:
    """Budget penyerapan (%) per row: realisasi / pagu × 100 (R4).

    An empty or "-" realisasi counts as 0; pagu 0 or empty → #DIV/0!. Parallel ranges give
    one percentage per row; for a pooled total use ``rasio_gabungan``.
    """
    return per_cell(_penyerapan_satu, realisasi, pagu)


def rata_tertimbang(nilai: Any, pagu: Any) -> Hasil:
    """The pagu-weighted average: Σ(pagu × value) / Σ pagu (FORM B Jumlah row, R3).

    An empty or "-" percentage counts as 0 (its pagu stays in the denominator), as in the form's
    Jumlah row. Total pagu 0 → #DIV/0!.
    """
    jt = weighted_sum(nilai, pagu)
    if isinstance(jt, NilaiGalat):
        return jt
    return divide(jt[0], jt[1], "Jumlah pagu 0 atau kosong: rata-rata tertimbang tidak dapat dihitung")


def kontribusi(nilai: Any, pagu: Any, pagu_satker: Any) -> Hasil:
    """Kontribusi to the satker's pagu: Σ(output pagu × value) / satker pagu (FORM A Jumlah row, R2).

    The denominator is the satker's DIPA pagu (not the kegiatan's), so the Jumlah rows of all
    kegiatan add up to the satker's percentage. Satker pagu 0 or empty → #DIV/0!.
    """
    jt, ps = weighted_sum(nilai, pagu), total(pagu_satker)
    galat = first_error(jt, ps)
    if galat:
        return galat
    return divide(jt[0], ps, "Pagu satker 0 atau kosong: kontribusi tidak dapat dihitung")


def _kumulatif_satu(lalu: Any, ini: Any) -> Hasil:
    v = as_numbers(lalu, ini)
    return v if isinstance(v, NilaiGalat) else sum(x or 0.0 for x in v)


def kumulatif(lalu: Any, ini: Any) -> Hasil | list[Hasil]:
    """Up to this quarter = up to last quarter + this quarter (R1); empty and "-" count as 0.

    Parallel ranges → one value per row.
    """
    return per_cell(_kumulatif_satu, lalu, ini)


def kumulatif_rows(lalu: Sequence[Any], ini: Sequence[Any]) -> list[Hasil | list[Hasil]]:
    """:func:`kumulatif` of each row of two parallel columns (one cell per row each), in one pass.

    Two finite floats add directly (``0.0 + a + b`` is what the sum in :func:`kumulatif` gives, -0.0 included);
    any other pair goes through :func:`kumulatif` itself.
    """
    return [0.0 + a + b if type(a) is float and type(b) is float and math.isfinite(a + b) else kumulatif(a, b)
            for a, b in zip(lalu, ini)]


def _perubahan(a: Any, b: Any, tanda: float) -> Hasil:
    v = as_numbers(a, b)
    if isinstance(v, NilaiGalat):
        return v
    x, y = v
    if x is None or y is None:
        return NilaiGalat(TIDAK_ADA, "Nilai A atau B kosong: perubahan tidak dapat dihitung")
    return divide(tanda * (y - x), x, "Nilai awal A 0: persentase perubahan tidak dapat dihitung", 100.0)


def pertumbuhan(a: Any, b: Any) -> Hasil | list[Hasil]:
    """Growth (%): (B − A) / A × 100 (R10); A = start/last year's value, B = end/this year's value.

    A = 0 → #DIV/0!, A or B empty → #N/A. Parallel ranges → one value per row.
    """
    return per_cell(lambda x, y: _perubahan(x, y, 1.0), a, b)


def efisiensi(a: Any, b: Any) -> Hasil | list[Hasil]:
    """Efficiency (%): (A − B) / A × 100 (R10); A = resources before, B = after (1.000 → 950 = 5 %).

    A = 0 → #DIV/0!, A or B empty → #N/A. Parallel ranges → one value per row.
    """
    return per_cell(lambda x, y: _perubahan(x, y, -1.0), a, b)


def rasio_gabungan(pembilang: Any, penyebut: Any) -> Hasil:
    """Pooled ratio (%): Σ numerator / Σ denominator × 100 (R11), not an average of percentages.

    Every numerator cell is summed (several columns allowed, e.g. kerja + studi + wirausaha),
    and so is the denominator; empty and "-" = 0. Denominator total 0 → #DIV/0!.
    """
    return pooled_ratio([pembilang], penyebut, "Jumlah penyebut 0 atau kosong: rasio tidak dapat dihitung")
