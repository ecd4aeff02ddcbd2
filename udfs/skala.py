"""Predikat scales as data (R16) and one classification engine for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from udfs._args import option_text, per_cell, required_number
from udfs.errors import DI_LUAR, NilaiGalat
from udfs.pembulatan import bulat


@dataclass(frozen=True)
class Pita:
    """One band of a scale: a value > ``bawah`` (or ≥ when ``inklusif``) gets ``kode``."""

    bawah: float
    inklusif: bool
    kode: str
    keterangan: str


@dataclass(frozen=True)
class Skala:
    """A predikat scale: the domain [minimum, maksimum] and the bands from top to bottom.

    ``desimal``: the value is rounded half up to that many decimals before it is classified.
    """

    nama: str
    sumber: str
    minimum: float
    maksimum: float | None
    pita: tuple[Pita, ...]
    desimal: int | None = None


def _pita(*baris: tuple[float, bool, str, str]) -> tuple[Pita, ...]:
    return tuple(Pita(*b) for b in baris)


SKALA: dict[str, Skala] = {s.nama: s for s in (
    Skala("sakip", "PermenPANRB 88/2021", 0, 100, _pita(
        (90, False, "AA", "Sangat Memuaskan"), (80, False, "A", "Memuaskan"), (70, False, "BB", "Sangat Baik"),
        (60, False, "B", "Baik"), (50, False, "CC", "Cukup (Memadai)"), (30, False, "C", "Kurang"),
        (0, True, "D", "Sangat Kurang"))),
    # Indeks Pelayanan Publik 0–5: A 4,51–5,00 … F 0–1,00; batas bawah eksklusif menutup celah 0,01
    Skala("ipp", "Indeks Pelayanan Publik (perlu dikonfirmasi)", 0, 5, _pita(
        (4.5, False, "A", "Pelayanan Prima"), (4.0, False, "A-", ""), (3.5, False, "B", ""), (3.0, False, "B-", ""),
        (2.5, False, "C", ""), (2.0, False, "C-", ""), (1.5, False, "D", ""), (1.0, False, "E", ""),
        (0, True, "F", ""))),
    Skala("nka", "PMK 107/2024", 0, 100, _pita(
        (90, False, "Sangat Baik", ""), (80, False, "Baik", ""), (60, False, "Cukup", ""), (50, False, "Kurang", ""),
        (0, True, "Sangat Kurang", ""))),
    Skala("ikpa", "IKPA (perlu dikonfirmasi)", 0, 100, _pita(
        (95, True, "Sangat Baik", ""), (89, True, "Baik", ""), (70, True, "Cukup", ""), (0, True, "Kurang", ""))),
    # 91–100 / 76–90 / 66–75 / 51–65 / ≤ 50; capaian di atas 100 tetap Sangat Baik
    Skala("pemda", "Capaian kinerja pemda (perlu dikonfirmasi)", 0, None, _pita(
        (90, False, "Sangat Baik", ""), (75, False, "Baik", ""), (65, False, "Cukup", ""), (50, False, "Kurang", ""),
        (0, True, "Sangat Kurang", ""))),
    # Mutu pelayanan Indeks Kepuasan Masyarakat: klasifikasi pada nilai yang dibulatkan 2 desimal
    Skala("ikm-permenpanrb-14-2017", "PermenPANRB 14/2017 (nilai konversi 25–100)", 25, 100, _pita(
        (88.31, True, "A", "Sangat Baik"), (76.61, True, "B", "Baik"), (65.00, True, "C", "Kurang Baik"),
        (25, True, "D", "Tidak Baik")), desimal=2),
    Skala("ikm-kepmenpan-25-2004", "Kepmenpan KEP/25/M.PAN/2/2004 (nilai 1–4)", 1, 4, _pita(
        (3.26, True, "A", "Sangat Baik"), (2.51, True, "B", "Baik"), (1.76, True, "C", "Kurang Baik"),
        (1, True, "D", "Tidak Baik")), desimal=2),
)}


def ambil_skala(nama: Any) -> Skala:
    """A scale by its name; an unknown name → ValueError."""
    n = option_text(nama, "sakip")
    if n not in SKALA:
        raise ValueError(f"Skala '{n}' tidak dikenal; pilihan: {', '.join(SKALA)}")
    return SKALA[n]


def klasifikasi(x: Any, s: Skala) -> Pita | NilaiGalat:
    """The band of scale ``s`` that value ``x`` falls in."""
    v = required_number(x, "Nilai kosong: predikat belum dapat ditentukan")
    if isinstance(v, NilaiGalat):
        return v
    if s.desimal is not None:
        v = bulat(v, s.desimal)  # type: ignore[assignment]
    if v < s.minimum or (s.maksimum is not None and v > s.maksimum):  # type: ignore[operator]
        atas = "" if s.maksimum is None else f"–{s.maksimum:g}"
        return NilaiGalat(DI_LUAR, f"Nilai {v:g} di luar skala {s.nama} ({s.minimum:g}{atas})")
    return next(p for p in s.pita if v > p.bawah or (p.inklusif and v >= p.bawah))  # type: ignore[operator]


def predikat(nilai: Any, skala: Any = "sakip") -> str | NilaiGalat | list[str | NilaiGalat]:
    """The predikat of a value on a scale (R16).

    - sakip (PermenPANRB 88/2021): > 90–100 AA, > 80–90 A, > 70–80 BB, > 60–70 B, > 50–60 CC, > 30–50 C, 0–30 D;
    - ipp (Indeks Pelayanan Publik 0–5): A, A-, B, B-, C, C-, D, E, F;
    - nka (PMK 107/2024), ikpa, pemda: Sangat Baik … Sangat Kurang / Kurang.

    The result is the predikat code ("BB", "A-", "Baik"); its description is in ``SKALA``. A value
    outside the scale → #NUM!, empty → #N/A. A range → one predikat per cell.
    """
    s = ambil_skala(skala)

    def satu(x: Any) -> str | NilaiGalat:
        p = klasifikasi(x, s)
        return p if isinstance(p, NilaiGalat) else p.kode

    return per_cell(satu, nilai)
