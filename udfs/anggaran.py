"""Budget aggregations: penyerapan, weighted means, cumulative columns, growth (R1–R4, R10, R11)."""

from __future__ import annotations

from typing import Any

from udfs._args import number, numbers, pairs, scalar, zero
from udfs.errors import NilaiGalat, bagi_nol

Hasil = float | NilaiGalat


def rasio_gabungan(pembilang: Any, penyebut: Any) -> Hasil:
    """Rasio gabungan (%): jumlah pembilang / jumlah penyebut × 100 (R11). Sel kosong dan '-' = 0."""
    den = sum(zero(v) for v in numbers(penyebut))
    if den == 0:
        return bagi_nol("Jumlah penyebut 0 atau kosong: rasio tidak dapat dihitung.")
    return sum(zero(v) for v in numbers(pembilang)) / den * 100


def penyerapan(realisasi: Any, pagu: Any) -> Hasil:
    """Penyerapan anggaran (%): realisasi / pagu × 100 (R4); untuk rentang, jumlah realisasi / jumlah pagu."""
    den = sum(zero(v) for v in numbers(pagu))
    if den == 0:
        return bagi_nol("Pagu 0 atau kosong: penyerapan tidak dapat dihitung.")
    return rasio_gabungan(realisasi, pagu)


def _weighted_sum(nilai: Any, bobot: Any) -> float:
    return sum(zero(v) * zero(w) for v, w in pairs(nilai, bobot))


def rata_tertimbang(nilai: Any, pagu: Any) -> Hasil:
    """Rata-rata tertimbang pagu: Σ(pagu × nilai) / Σ pagu (Jumlah FORM B, R3)."""
    den = sum(zero(w) for w in numbers(pagu))
    if den == 0:
        return bagi_nol("Jumlah pagu 0 atau kosong: rata-rata tertimbang tidak dapat dihitung.")
    return _weighted_sum(nilai, pagu) / den


def kontribusi(nilai: Any, pagu: Any, pagu_satker: Any) -> Hasil:
    """Kontribusi terhadap pagu satker: Σ(pagu output × nilai) / pagu satker (Jumlah FORM A, R2)."""
    den = number(scalar(pagu_satker))
    if not den:
        return bagi_nol("Pagu satker 0 atau kosong: kontribusi tidak dapat dihitung.")
    return _weighted_sum(nilai, pagu) / den


def kumulatif(lalu: Any, ini: Any) -> float | list[float]:
    """S.d. triwulan ini = s.d. triwulan lalu + triwulan ini (R1); kosong dan '-' dihitung 0."""
    out = [zero(a) + zero(b) for a, b in pairs(lalu, ini)]
    return out[0] if len(out) == 1 else out


def pertumbuhan(a: Any, b: Any) -> Hasil:
    """Pertumbuhan (%): (B − A) / A × 100 (R10), A = nilai awal, B = nilai akhir."""
    x, y = number(scalar(a)), number(scalar(b))
    if not x or y is None:
        return bagi_nol("Nilai awal 0 atau kosong: pertumbuhan tidak dapat dihitung.")
    return (y - x) / x * 100


def efisiensi(a: Any, b: Any) -> Hasil:
    """Efisiensi (%): (A − B) / A × 100 (R10), A = sumber daya sebelum, B = sesudah."""
    x, y = number(scalar(a)), number(scalar(b))
    if not x or y is None:
        return bagi_nol("Nilai awal 0 atau kosong: efisiensi tidak dapat dihitung.")
    return (x - y) / x * 100
