"""Capaian kinerja by polarity (R7), plain means (R9) and predicate scales (R16)."""

from __future__ import annotations

import re
from typing import Any

from udfs._args import flatten, is_range, number, scalar, text
from udfs.errors import NilaiGalat, bagi_nol, nilai_salah

Hasil = float | NilaiGalat

POLARITAS = ("maksimal", "minimal", "minimal-tr", "stabil", "rentang")
_ALIAS = {"maksimasi": "maksimal", "minimasi": "minimal", "stabilisasi": "stabil", "": "maksimal"}


def _polaritas(p: Any) -> str:
    name = text(p, "maksimal").lower()
    name = _ALIAS.get(name, name)
    if name not in POLARITAS:
        raise ValueError(f"Polaritas '{name}' tidak dikenal; pilihan: {', '.join(POLARITAS)}.")
    return name


def _rentang(target: Any) -> tuple[float, float] | None:
    vals = flatten(target)
    if len(vals) == 2 and all(number(v) is not None for v in vals):
        lo, hi = sorted((number(vals[0]), number(vals[1])))  # type: ignore[type-var]
        return lo, hi  # type: ignore[return-value]
    m = re.fullmatch(r"\s*([\d.,]+)\s*[-–]\s*([\d.,]+)\s*", str(vals[0]) if vals else "")
    if m:
        lo, hi = number(m.group(1)), number(m.group(2))
        if lo is not None and hi is not None:
            return min(lo, hi), max(lo, hi)
    return None


def _one(t: Any, r: Any, polaritas: str, batas: float | None) -> Hasil:
    real = number(r)
    if real is None:
        return nilai_salah("Realisasi kosong: capaian tidak dapat dihitung.")
    if polaritas == "rentang":
        rng = _rentang(t)
        if rng is None or rng[0] <= 0:
            return nilai_salah("Target rentang harus berbentuk 'bawah-atas', mis. 80-90.")
        lo, hi = rng
        value = real / lo * 100 if real < lo else (100.0 if real <= hi else hi / real * 100)
    else:
        tgt = number(t)
        if not tgt:
            return bagi_nol("Target 0 atau kosong: capaian tidak dapat dihitung.")
        if polaritas == "maksimal":
            value = real / tgt * 100
        elif polaritas == "minimal":
            value = max(0.0, (2 * tgt - real) / tgt * 100)
        elif polaritas == "minimal-tr":
            if real == 0:
                return bagi_nol("Realisasi 0 pada polaritas minimal T/R: capaian tidak dapat dihitung.")
            value = tgt / real * 100
        else:  # stabil
            value = (1 - abs(real - tgt) / tgt) * 100
    return min(value, batas) if batas is not None else value


def capaian(target: Any, realisasi: Any, polaritas: Any = "maksimal", batas: Any = None) -> Hasil | list[Hasil]:
    """Capaian kinerja (%) dari target dan realisasi menurut polaritas indikator.

    maksimal: R/T×100; minimal: (2T−R)/T×100 (paling kecil 0); minimal-tr: T/R×100;
    stabil: (1−|R−T|/T)×100; rentang: target 'bawah-atas'. ``batas`` (mis. 120) membatasi hasil.
    Rentang target dan realisasi menghasilkan satu kolom capaian.
    """
    pol = _polaritas(polaritas)
    cap = number(scalar(batas))
    if pol != "rentang" and (is_range(target) or is_range(realisasi)):
        ts, rs = flatten(target), flatten(realisasi)
        n = max(len(ts), len(rs))
        ts += [None] * (n - len(ts))
        rs += [None] * (n - len(rs))
        return [_one(t, r, pol, cap) for t, r in zip(ts, rs)]
    return _one(target if pol == "rentang" else scalar(target), scalar(realisasi), pol, cap)


def capaian_rata(*nilai: Any) -> Hasil:
    """Rata-rata capaian indikator (rata-rata biasa, R9); sel kosong diabaikan."""
    vals = [v for v in (number(x) for arg in nilai for x in flatten(arg)) if v is not None]
    if not vals:
        return bagi_nol("Tidak ada capaian untuk dirata-rata.")
    return sum(vals) / len(vals)


# Predicate scales (R16), as data: (lower bound, inclusive?, label), checked from the top.
SKALA: dict[str, tuple[tuple[float, bool, str], ...]] = {
    "sakip": (
        (90, False, "AA (Sangat Memuaskan)"), (80, False, "A (Memuaskan)"), (70, False, "BB (Sangat Baik)"),
        (60, False, "B (Baik)"), (50, False, "CC (Cukup)"), (30, False, "C (Kurang)"), (0, True, "D (Sangat Kurang)"),
    ),
    "ipp": (
        (4.51, True, "A (Pelayanan Prima)"), (4.01, True, "A-"), (3.51, True, "B"), (3.01, True, "B-"),
        (2.51, True, "C"), (2.01, True, "C-"), (1.51, True, "D"), (1.01, True, "E"), (0, True, "F"),
    ),
    "nka": ((90, False, "Sangat Baik"), (80, False, "Baik"), (60, False, "Cukup"), (50, False, "Kurang"),
            (0, True, "Sangat Kurang")),
    "ikpa": ((95, True, "Sangat Baik"), (89, True, "Baik"), (70, True, "Cukup"), (0, True, "Kurang")),
    "pemda": ((91, True, "Sangat Baik"), (76, True, "Baik"), (66, True, "Cukup"), (51, True, "Kurang"),
              (0, True, "Sangat Kurang")),
}


def predikat(nilai: Any, skala: Any = "sakip") -> str | NilaiGalat:
    """Predikat dari nilai menurut skala: sakip (AA…D, PermenPANRB 88/2021), ipp, nka, ikpa, pemda."""
    name = text(skala, "sakip").lower()
    if name not in SKALA:
        raise ValueError(f"Skala '{name}' tidak dikenal; pilihan: {', '.join(SKALA)}.")
    x = number(scalar(nilai))
    if x is None or x < 0:
        return nilai_salah("Nilai kosong atau negatif: predikat tidak dapat ditentukan.")
    for bound, inclusive, label in SKALA[name]:
        if x > bound or (inclusive and x >= bound):
            return label
    return SKALA[name][-1][2]
