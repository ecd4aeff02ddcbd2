"""Indeks Kepuasan Masyarakat from survey answers (R13 PermenPANRB 14/2017, R14 Kepmenpan 25/2004, R15)."""

from __future__ import annotations

import math
from typing import Any

from udfs._args import flatten, number, scalar, text
from udfs.errors import NilaiGalat, bagi_nol, nilai_salah
from udfs.pembulatan import bulat

UNSUR_PERMENPANRB_14_2017: tuple[str, ...] = (
    "Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan", "Sarana dan Prasarana",
)
UNSUR_KEPMENPAN_25_2004: tuple[str, ...] = (
    "Prosedur pelayanan", "Persyaratan pelayanan", "Kejelasan petugas pelayanan", "Kedisiplinan petugas pelayanan",
    "Tanggung jawab petugas pelayanan", "Kemampuan petugas pelayanan", "Kecepatan pelayanan",
    "Keadilan mendapatkan pelayanan", "Kesopanan dan keramahan petugas", "Kewajaran biaya pelayanan",
    "Kepastian biaya pelayanan", "Kepastian jadwal pelayanan", "Kenyamanan lingkungan", "Keamanan pelayanan",
)
METODE = {"permenpanrb-14-2017": UNSUR_PERMENPANRB_14_2017, "kepmenpan-25-2004": UNSUR_KEPMENPAN_25_2004}

# Mutu bands: minimum of the band on the scale used for classifying (after half-up rounding to 2 dp).
# PermenPANRB 14/2017 classifies the 25–100 value; Kepmenpan 25/2004 the 1–4 value.
_MUTU = {
    "permenpanrb-14-2017": ((88.31, "A", "Sangat Baik"), (76.61, "B", "Baik"), (65.00, "C", "Kurang Baik"),
                            (0.0, "D", "Tidak Baik")),
    "kepmenpan-25-2004": ((3.26, "A", "Sangat Baik"), (2.51, "B", "Baik"), (1.76, "C", "Kurang Baik"),
                          (0.0, "D", "Tidak Baik")),
}


def _metode(m: Any) -> str:
    name = text(m, "permenpanrb-14-2017").lower()
    if name not in METODE:
        raise ValueError(f"Metode '{name}' tidak dikenal; pilihan: {', '.join(METODE)}.")
    return name


def _matrix(jawaban: Any) -> list[list[float | None]]:
    if hasattr(jawaban, "tolist"):
        jawaban = jawaban.tolist()
    if not isinstance(jawaban, (list, tuple)):
        jawaban = [[jawaban]]
    rows = [r if isinstance(r, (list, tuple)) else [r] for r in jawaban]
    return [[number(v) for v in flatten(r)] for r in rows]


def ikm_nrr(jawaban: Any) -> list[float | NilaiGalat] | float | NilaiGalat:
    """Nilai rata-rata (NRR) tiap unsur: jumlah nilai unsur / jumlah kuesioner yang menjawab unsur itu."""
    m = _matrix(jawaban)
    width = max((len(r) for r in m), default=0)
    out: list[float | NilaiGalat] = []
    for j in range(width):
        col = [r[j] for r in m if j < len(r) and r[j] is not None]
        out.append(sum(col) / len(col) if col else bagi_nol(f"Unsur ke-{j + 1} belum dijawab."))
    return out[0] if len(out) == 1 else out


def ikm(jawaban: Any, metode: Any = "permenpanrb-14-2017") -> float | NilaiGalat:
    """Indeks Kepuasan Masyarakat (skala 1–4): rata-rata NRR seluruh unsur metode (bobot 1/n persis)."""
    name = _metode(metode)
    n = len(METODE[name])
    m = _matrix(jawaban)
    bad = [v for r in m for v in r if v is not None and v not in (1.0, 2.0, 3.0, 4.0)]
    if bad:
        return nilai_salah(f"Jawaban harus 1, 2, 3 atau 4; ditemukan {bad[0]:g}.")
    m = [r[:n] + [None] * (n - len(r[:n])) for r in m]
    nrr = ikm_nrr(m)
    nrr = nrr if isinstance(nrr, list) else [nrr]
    if any(isinstance(x, NilaiGalat) for x in nrr):
        return bagi_nol(f"Setiap unsur ({n}) harus dijawab sedikitnya satu responden.")
    return sum(nrr) / n  # type: ignore[arg-type]


def ikm_konversi(nilai: Any) -> float | NilaiGalat:
    """Indeks unit pelayanan (skala 25–100) = Indeks Kepuasan Masyarakat (1–4) × 25."""
    x = number(scalar(nilai))
    if x is None:
        return nilai_salah("Indeks kosong.")
    return x * 25


def ikm_mutu(nilai: Any, metode: Any = "permenpanrb-14-2017") -> str | NilaiGalat:
    """Mutu pelayanan dari indeks (1–4), mis. 'A (Sangat Baik)'."""
    name = _metode(metode)
    x = number(scalar(nilai))
    if x is None or not 1 <= x <= 4:
        return nilai_salah("Indeks harus antara 1 dan 4.")
    score = bulat(x * 25, 2) if name == "permenpanrb-14-2017" else bulat(x, 2)
    for bound, mutu, kinerja in _MUTU[name]:
        if score >= bound:
            return f"{mutu} ({kinerja})"
    raise AssertionError("unreachable")


def ikm_sampel(populasi: Any) -> int | NilaiGalat:
    """Jumlah sampel minimal (Krejcie–Morgan, X² = 3,841, P = 0,5, d = 0,05) untuk populasi N."""
    n = number(scalar(populasi))
    if n is None or n <= 0:
        return nilai_salah("Populasi harus lebih dari 0.")
    if n >= 75000:
        return 384
    x2, p, d = 3.841, 0.5, 0.05
    s = x2 * n * p * (1 - p) / (d * d * (n - 1) + x2 * p * (1 - p))
    return int(math.floor(s + 0.5))
