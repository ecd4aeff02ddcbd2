"""Indeks Kepuasan Masyarakat from survey answers (R13 PermenPANRB 14/2017, R14 Kepmenpan 25/2004, R15).

A note on terms: in PP 39 reports "IKM" means Industri Kecil dan Menengah; here it is
always Indeks Kepuasan Masyarakat (the Excel names ``KINERJA.IKM*`` stay short).
"""

from __future__ import annotations

from typing import Any

from udfs._args import as_number, first_error, matrix, option_text, per_cell, required_number
from udfs._agregat import divide
from udfs.errors import DI_LUAR, SALAH_NILAI, NilaiGalat
from udfs.pembulatan import bulat
from udfs.skala import SKALA, klasifikasi
from udfs.survei import survei

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
METODE: dict[str, tuple[str, ...]] = {
    "permenpanrb-14-2017": UNSUR_PERMENPANRB_14_2017,
    "kepmenpan-25-2004": UNSUR_KEPMENPAN_25_2004,
}
KONVERSI = 25.0  # indeks 1–4 × 25 = indeks unit pelayanan 25–100

# Krejcie–Morgan (R15)
_X2, _P, _D = 3.841, 0.5, 0.05
_POPULASI_TABEL, _SAMPEL_TABEL = 75_000, 384

Hasil = float | NilaiGalat


# a unit's own questionnaire: every answered column is an item (udfs.survei); mutu on the 14/2017 bands
UMUM = "umum"


def nama_metode(metode: Any, umum: bool = False) -> str:
    """The standard name of a method; empty → permenpanrb-14-2017; an unknown name → ValueError.

    ``umum=True`` also accepts "umum" (N items, :func:`udfs.survei`)."""
    m = option_text(metode, "permenpanrb-14-2017").split("—")[0].strip()
    if umum and m == UMUM:
        return m
    if m not in METODE:
        raise ValueError(f"Metode '{m}' tidak dikenal; pilihan: {', '.join((*METODE, UMUM))}")
    return m


def _jawaban(jawaban: Any) -> list[list[float | None]] | NilaiGalat:
    """A respondents × unsur matrix of 1–4 or None (not answered)."""
    m = matrix(jawaban)
    if isinstance(m, NilaiGalat):
        return m
    out: list[list[float | None]] = []
    for b, baris in enumerate(m, start=1):
        isi = [as_number(v) for v in baris]
        for u, v in enumerate(isi, start=1):
            if isinstance(v, NilaiGalat) or (v is not None and v not in (1.0, 2.0, 3.0, 4.0)):
                return NilaiGalat(SALAH_NILAI, f"Jawaban responden ke-{b} unsur ke-{u} harus 1, 2, 3 atau 4")
        out.append(isi)  # type: ignore[arg-type]
    return out


def _nrr(m: list[list[float | None]]) -> list[Hasil]:
    kolom_ = [[b[j] for b in m if b[j] is not None] for j in range(len(m[0]))]
    return [divide(sum(k), len(k), f"Unsur ke-{j + 1} belum dijawab satu responden pun")  # type: ignore[arg-type]
            for j, k in enumerate(kolom_)]


def ikm_nrr(jawaban: Any) -> Hasil | list[Hasil]:
    """The mean value (NRR) of each unsur: the unsur's total / the number of questionnaires that answered it.

    ``jawaban``: rows = respondents, columns = unsur (a flat list = one unsur). The result is one NRR
    per unsur (one row in Excel); one column → one number. An unsur without answers → #DIV/0!.
    """
    m = _jawaban(jawaban)
    if isinstance(m, NilaiGalat):
        return m
    nrr = _nrr(m)
    return nrr[0] if len(nrr) == 1 else nrr


def ikm(jawaban: Any, metode: Any = "permenpanrb-14-2017") -> Hasil:
    """Indeks Kepuasan Masyarakat (scale 1–4): Σ NRR per unsur × weight 1/n = the mean NRR (exact weight, not 0,11).

    ``jawaban``: rows = respondents (questionnaires), columns = unsur in the method's order:
    permenpanrb-14-2017 (9 unsur, ``UNSUR_PERMENPANRB_14_2017``) or kepmenpan-25-2004 (14 unsur).
    Columns after the last unsur are allowed when empty. Answers other than 1–4 → #VALUE!;
    an unsur nobody answered → #DIV/0!. ``metode="umum"``: a unit's own questionnaire of N items, every
    answered column an item (:func:`udfs.survei`, scale 1–4).
    """
    if nama_metode(metode, umum=True) == UMUM:
        return survei(jawaban)
    n = len(METODE[nama_metode(metode)])
    m = _jawaban(jawaban)
    if isinstance(m, NilaiGalat):
        return m
    if len(m[0]) < n or any(v is not None for b in m for v in b[n:]):
        return NilaiGalat(SALAH_NILAI, f"Metode ini memakai {n} unsur; rentang jawaban berisi {len(m[0])} kolom")
    nrr = _nrr([b[:n] for b in m])
    return first_error(*nrr) or sum(nrr) / n  # type: ignore[arg-type]


def _konversi_satu(x: Any) -> Hasil:
    v = required_number(x, "Indeks kosong")
    if isinstance(v, NilaiGalat):
        return v
    if not 1 <= v <= 4:
        return NilaiGalat(DI_LUAR, f"Indeks {v:g} di luar skala 1–4")
    return v * KONVERSI


def ikm_konversi(nilai: Any) -> Hasil | list[Hasil]:
    """The service unit index (scale 25–100) = Indeks Kepuasan Masyarakat (scale 1–4) × 25.

    Full precision (3,6590 → 91,4751; printed 91,48). Outside 1–4 → #NUM!.
    """
    return per_cell(_konversi_satu, nilai)


def ikm_mutu(nilai: Any, metode: Any = "permenpanrb-14-2017") -> str | NilaiGalat | list[str | NilaiGalat]:
    """Service quality, e.g. "A (Sangat Baik)", from an index on the 1–4 scale or a converted value 25–100.

    - permenpanrb-14-2017: the converted value (index × 25) rounded half up to 2 decimals:
      ≥ 88,31 A; ≥ 76,61 B; ≥ 65,00 C; otherwise D.
    - kepmenpan-25-2004: the 1–4 index rounded to 2 decimals: 3,26–4,00 A; 2,51–3,25 B; 1,76–2,50 C; 1,00–1,75 D.

    A value 1–4 is read as an index, 25–100 as a converted value; anything else → #NUM!.
    """
    nama = nama_metode(metode, umum=True)
    s = SKALA[f"ikm-{'permenpanrb-14-2017' if nama == UMUM else nama}"]

    def satu(x: Any) -> str | NilaiGalat:
        v = required_number(x, "Indeks kosong: mutu pelayanan belum dapat ditentukan")
        if isinstance(v, NilaiGalat):
            return v
        if not (1 <= v <= 4 or 25 <= v <= 100):
            return NilaiGalat(DI_LUAR, f"Nilai {v:g} bukan indeks 1–4 maupun nilai konversi 25–100")
        konversi = v * KONVERSI if v <= 4 else v
        p = klasifikasi(konversi if s.minimum == 25 else (v if v <= 4 else v / KONVERSI), s)
        return p if isinstance(p, NilaiGalat) else f"{p.kode} ({p.keterangan})"

    return per_cell(satu, nilai)


def _sampel_satu(x: Any) -> int | NilaiGalat:
    n = required_number(x, "Populasi kosong")
    if isinstance(n, NilaiGalat):
        return n
    if n < 1:
        return NilaiGalat(DI_LUAR, "Populasi harus paling sedikit 1")
    if n >= _POPULASI_TABEL:
        return _SAMPEL_TABEL
    s = _X2 * n * _P * (1 - _P) / (_D * _D * (n - 1) + _X2 * _P * (1 - _P))
    return int(bulat(s, 0))  # type: ignore[arg-type]


def ikm_sampel(populasi: Any) -> int | NilaiGalat | list[int | NilaiGalat]:
    """The minimum survey sample size by Krejcie–Morgan (R15).

    s = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)), X² = 3,841, P = 0,5, d = 0,05, rounded to the nearest
    whole number; N ≥ 75.000 → 384 (the table value). Examples: 100 → 80, 1.000 → 278, 254 → 153.
    """
    return per_cell(_sampel_satu, populasi)
