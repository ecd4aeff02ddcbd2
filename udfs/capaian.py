"""Capaian kinerja by polarity (R7) and the average capaian (R9)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from udfs._args import as_number, as_numbers, cells, matrix, number_column, option_text, per_row, scalar
from udfs._agregat import divide
from udfs.errors import BAGI_NOL, SALAH_NILAI, TIDAK_ADA, NilaiGalat

Hasil = float | NilaiGalat
Rentang = tuple[float, float]

_TARGET_NOL = "Target 0 atau kosong: capaian tidak dapat dihitung"


def _maksimal(t: float, r: float) -> Hasil:
    return divide(r, t, _TARGET_NOL, 100.0)


def _minimal(t: float, r: float) -> Hasil:
    v = divide(2 * t - r, t, _TARGET_NOL, 100.0)
    return v if isinstance(v, NilaiGalat) else max(0.0, v)


def _minimal_tr(t: float, r: float) -> Hasil:
    if not t:
        return NilaiGalat(BAGI_NOL, _TARGET_NOL)
    return divide(t, r, "Realisasi 0: capaian T/R tidak dapat dihitung", 100.0)


def _stabil(t: float, r: float) -> Hasil:
    v = divide(abs(r - t), t, _TARGET_NOL)
    return v if isinstance(v, NilaiGalat) else max(0.0, (1 - v) * 100)


def _rentang(lu: Rentang, r: float, lewat: Callable[[float, float], Hasil]) -> Hasil:
    bawah, atas = lu
    if r < bawah:
        return divide(r, bawah, "Batas bawah rentang 0: capaian tidak dapat dihitung", 100.0)
    return 100.0 if r <= atas else lewat(atas, r)


# polaritas → rumus (target, realisasi); rentang memakai rumus "lewat batas atas" tersendiri
RUMUS: dict[str, Callable[[float, float], Hasil]] = {
    "maksimal": _maksimal,
    "minimal": _minimal,
    "minimal-tr": _minimal_tr,
    "stabil": _stabil,
}
LEWAT_ATAS: dict[str, Callable[[float, float], Hasil]] = {"rentang": _maksimal, "rentang-minimal": _minimal}
POLARITAS: tuple[str, ...] = (*RUMUS, *LEWAT_ATAS)
_ALIAS = {"maksimasi": "maksimal", "minimasi": "minimal", "minimasi-tr": "minimal-tr", "minimal t/r": "minimal-tr",
          "stabilisasi": "stabil"}


def nama_polaritas(polaritas: Any) -> str:
    """The standard name of a polarity; empty → "maksimal". An unknown name → ValueError (``capaian`` turns it
    into #VALUE!)."""
    p = option_text(polaritas, "maksimal")
    p = _ALIAS.get(p, p)
    if p not in POLARITAS:
        raise ValueError(f"Polaritas '{p}' tidak dikenal; pilihan: {', '.join(POLARITAS)}")
    return p


_RE_RENTANG = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:-|–|—|s\.?d\.?|s/d)\s*(\d+(?:\.\d+)?)\s*", re.IGNORECASE)


def _satu_rentang(x: Any) -> Rentang | None | NilaiGalat:
    """One range target: "80-90", "80–90", "80 s.d. 90", a pair (80, 90) or one number (L = U)."""
    if isinstance(x, str) and (m := _RE_RENTANG.fullmatch(x)):
        batas: Any = (float(m.group(1)), float(m.group(2)))
    else:
        batas = as_numbers(*x) if isinstance(x, tuple) else as_numbers(x, x)
    if isinstance(batas, NilaiGalat):
        return NilaiGalat(SALAH_NILAI, f"Target rentang {x!r} harus berbentuk 'bawah-atas', mis. 80-90")
    lo, hi = batas
    if lo is None or hi is None:
        return None
    if hi < lo:
        return NilaiGalat(SALAH_NILAI, f"Rentang target terbalik: batas atas {hi:g} < batas bawah {lo:g}")
    return lo, hi


def _target_rentang(target: Any) -> list[Any]:
    """Range targets per row: pairs (L, U), a two-column range (lower, upper) or "lower-upper" text per cell."""
    if isinstance(target, np.ndarray):
        target = target.tolist()
    if isinstance(target, (list, tuple)) and len(target) == 2 and not any(
            isinstance(v, (list, tuple, str)) for v in target):
        return [_satu_rentang(tuple(target))]
    m = matrix(target)
    if isinstance(m, NilaiGalat):
        return [m]
    if all(len(b) == 2 for b in m) and not any(isinstance(v, str) for b in m for v in b):
        return [_satu_rentang(tuple(b)) for b in m]
    return [_satu_rentang(v) for v in cells(target)]


def _capaian_satu(t: Any, r: Any, polaritas: str, batas: float | None) -> Hasil:
    if isinstance(t, NilaiGalat):
        return t
    if t is None:
        return NilaiGalat(BAGI_NOL, _TARGET_NOL)
    real = as_number(r)
    if isinstance(real, NilaiGalat):
        return real
    if real is None:
        return NilaiGalat(TIDAK_ADA, "Realisasi kosong: capaian belum dapat dihitung")
    v = _rentang(t, real, LEWAT_ATAS[polaritas]) if polaritas in LEWAT_ATAS else RUMUS[polaritas](t, real)
    return v if isinstance(v, NilaiGalat) or batas is None else min(v, batas)


def capaian(target: Any, realisasi: Any, polaritas: Any = "maksimal", batas: Any = None) -> Hasil | list[Hasil]:
    """Capaian kinerja (%) from target (T) and realisasi (R) by the indicator's polarity.

    - maksimal: R/T×100 (default);
    - minimal: (2T−R)/T×100, at least 0 (PermenPANRB 8/2021, special conditions);
    - minimal-tr: T/R×100;
    - stabil: (1−|R−T|/T)×100, at least 0;
    - rentang: target "80-90" or a pair (80, 90): R < L → R/L×100; L ≤ R ≤ U → 100; R > U → R/U×100;
    - rentang-minimal: the same, but R > U → (2U−R)/U×100 (passing the upper bound lowers the capaian).

    ``batas`` (e.g. 120) caps the capaian; no cap by default. Target 0 or empty → #DIV/0!,
    empty realisasi → #N/A. When target or realisasi is a range of several cells, the result is
    one capaian per row (a list; one column in Excel).
    """
    try:
        p = nama_polaritas(polaritas)
    except ValueError as exc:  # a polarity typed in a cell is data: #VALUE!, as Excel would show it
        return NilaiGalat(SALAH_NILAI, str(exc))
    cap = as_number(scalar(batas))
    if isinstance(cap, NilaiGalat):
        return cap
    if p in LEWAT_ATAS:
        ts: list[Any] = _target_rentang(target)
    else:
        ts = [as_number(v) for v in cells(target)]
    return per_row(lambda t, r: _capaian_satu(t, r, p, cap), ts, cells(realisasi))


def capaian_rata(capaian: Any, batas: Any = None) -> Hasil:
    """The average capaian of indicators (a plain mean, R9); empty cells and "-" are ignored.

    ``batas`` (e.g. 100) caps each capaian before averaging; no cap by default.
    No capaian at all → #DIV/0!.
    """
    v, cap = number_column(capaian), as_number(scalar(batas))
    if isinstance(v, NilaiGalat):
        return v
    if isinstance(cap, NilaiGalat):
        return cap
    isi = [x if cap is None else min(x, cap) for x in v if x is not None]
    return divide(sum(isi), len(isi), "Tidak ada capaian untuk dirata-ratakan")
