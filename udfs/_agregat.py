"""Pembagian dan penjumlahan bersama: satu tempat untuk rasio, jumlah dan bobot."""

from __future__ import annotations

from typing import Any

from udfs._args import first_error, number_column
from udfs.errors import BAGI_NOL, SALAH_NILAI, NilaiGalat


def bagi(pembilang: float, penyebut: float | None, pesan: str, kali: float = 1.0) -> float | NilaiGalat:
    """``pembilang / penyebut × kali``; penyebut 0 atau kosong → ``#DIV/0!`` dengan ``pesan``."""
    if not penyebut:
        return NilaiGalat(BAGI_NOL, pesan)
    return pembilang / penyebut * kali


def jumlah(x: Any) -> float | NilaiGalat:
    """Jumlah semua sel ``x``; kosong dan ``-`` dihitung 0."""
    v = number_column(x)
    return v if isinstance(v, NilaiGalat) else sum(n or 0.0 for n in v)


def rasio_jumlah(pembilang: list[Any], penyebut: Any, pesan: str) -> float | NilaiGalat:
    """Rasio gabungan: Σ semua pembilang / Σ penyebut × 100 (menjumlah dulu, baru membagi)."""
    atas = [jumlah(x) for x in pembilang]
    bawah = jumlah(penyebut)
    galat = first_error(*atas, bawah)
    return galat or bagi(sum(atas), bawah, pesan, 100.0)  # type: ignore[arg-type]


def jumlah_tertimbang(nilai: Any, bobot: Any) -> tuple[float, float] | NilaiGalat:
    """(Σ bobot × nilai, Σ bobot) atas baris sejajar; kosong dan ``-`` dihitung 0."""
    v, b = number_column(nilai), number_column(bobot)
    galat = first_error(v, b)
    if galat:
        return galat
    if len(v) != len(b):
        return NilaiGalat(SALAH_NILAI, "Jumlah sel nilai dan pagu tidak sama")
    return sum((x or 0.0) * (w or 0.0) for x, w in zip(v, b)), sum(w or 0.0 for w in b)
