"""Normalisasi argumen: apa pun yang dikirim Excel menjadi daftar sel Python.

Excel (lewat xlwings atau ``formulas``) mengirim skalar, daftar datar, daftar
bersarang (rentang 2-D) atau larik numpy. Sel kosong (``None``, ``""``, NaN) dan
``-``/``--`` berarti "tidak ada nilai". Angka berformat Indonesia ("1.234,56")
bukan urusan modul ini: teks selain penanda kosong menjadi ``#VALUE!``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from udfs.errors import SALAH_NILAI, TIDAK_ADA, NilaiGalat

Angka = float | None  # None = sel kosong
T = TypeVar("T")

PENANDA_KOSONG: frozenset[str] = frozenset({"", "-", "--"})


def _urutan(x: Any) -> bool:
    return isinstance(x, (list, tuple, np.ndarray))


def sel(x: Any) -> list[Any]:
    """Semua sel dari ``x`` sebagai daftar datar (baris demi baris).

    Skalar menjadi daftar satu elemen; rentang kosong menjadi ``[None]``.
    """
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if not _urutan(x):
        return [x]
    out: list[Any] = []
    for v in x:
        out.extend(sel(v) if _urutan(v) else [v])
    return out or [None]


def matriks(x: Any) -> list[list[Any]] | NilaiGalat:
    """``x`` sebagai matriks baris × kolom.

    Skalar → 1×1; daftar datar → satu *kolom*; daftar bersarang / numpy 2-D → apa adanya.
    Baris yang panjangnya berbeda menghasilkan ``#VALUE!``.
    """
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if not _urutan(x):
        return [[x]]
    if not any(_urutan(v) for v in x):
        return [[v] for v in x] or [[None]]
    baris = [sel(v) if _urutan(v) else [v] for v in x]
    if len({len(b) for b in baris}) > 1:
        return NilaiGalat(SALAH_NILAI, "Rentang tidak berbentuk persegi: panjang baris berbeda")
    return baris


def tunggal(x: Any) -> Any:
    """Nilai skalar dari ``x`` (rentang satu sel dibuka); None bila kosong."""
    v = sel(x)
    return v[0] if len(v) == 1 else x


def teks(x: Any, bawaan: str) -> str:
    """Argumen pilihan berupa teks (polaritas, skala, metode); kosong → ``bawaan``."""
    v = tunggal(x)
    if v is None or (isinstance(v, str) and v.strip() in PENANDA_KOSONG) or (isinstance(v, float) and math.isnan(v)):
        return bawaan
    return str(v).strip().lower()


def nilai(x: Any) -> Angka | NilaiGalat:
    """Satu sel sebagai angka: float, None (kosong) atau ``#VALUE!``."""
    if isinstance(x, NilaiGalat):
        return x
    if x is None or type(x).__name__ == "NAType":
        return None
    if isinstance(x, str):
        if x.strip() in PENANDA_KOSONG:
            return None
        return NilaiGalat(SALAH_NILAI, f"Teks {x!r} bukan angka")
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        return NilaiGalat(SALAH_NILAI, f"Nilai {x!r} bukan angka")
    f = float(x)
    if math.isnan(f):
        return None
    if math.isinf(f):
        return NilaiGalat(SALAH_NILAI, "Nilai tak hingga bukan angka yang sah")
    return f


def wajib(x: Any, pesan_kosong: str) -> float | NilaiGalat:
    """Satu sel angka yang wajib diisi: kosong → ``#N/A`` dengan ``pesan_kosong``."""
    v = nilai(x)
    return NilaiGalat(TIDAK_ADA, pesan_kosong) if v is None else v


def galat_pertama(*vs: Any) -> NilaiGalat | None:
    """NilaiGalat pertama di antara ``vs``, atau None."""
    return next((v for v in vs if isinstance(v, NilaiGalat)), None)


def angka(*xs: Any) -> tuple[Angka, ...] | NilaiGalat:
    """Beberapa sel sebagai angka sekaligus; galat pertama bila ada yang bukan angka."""
    vs = tuple(nilai(x) for x in xs)
    return galat_pertama(*vs) or vs  # type: ignore[return-value]


def kolom(x: Any) -> list[Angka] | NilaiGalat:
    """Semua sel ``x`` sebagai angka (None = kosong); galat pertama bila ada sel yang bukan angka."""
    v = angka(*sel(x))
    return v if isinstance(v, NilaiGalat) else list(v)


def per_baris(fungsi: Callable[..., T], *kolom_: Sequence[Any]) -> T | list[T] | NilaiGalat:
    """Terapkan ``fungsi`` per baris pada kolom-kolom sejajar.

    Kolom satu elemen disiarkan ke semua baris. Hasilnya skalar bila setiap kolom
    hanya satu sel, daftar (satu elemen per baris) bila ada yang lebih, dan ``#VALUE!``
    bila panjang kolom berbeda.
    """
    n = max(len(k) for k in kolom_)
    if any(len(k) not in (1, n) for k in kolom_):
        return NilaiGalat(SALAH_NILAI, "Jumlah sel pada rentang argumen tidak sama")
    hasil = [fungsi(*(k[0] if len(k) == 1 else k[i] for k in kolom_)) for i in range(n)]
    return hasil[0] if n == 1 else hasil


def per_sel(fungsi: Callable[..., T], *argumen: Any) -> T | list[T] | NilaiGalat:
    """:func:`per_baris` atas sel-sel tiap argumen (skalar, daftar, rentang 2-D)."""
    return per_baris(fungsi, *(sel(a) for a in argumen))
