"""Budget aggregations: penyerapan, weighted average, kontribusi, kumulatif, growth (R1–R4, R10, R11)."""

from __future__ import annotations

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
    """Penyerapan anggaran (%) per baris: realisasi / pagu × 100 (R4).

    Realisasi kosong atau "-" dihitung 0; pagu 0 atau kosong → #DIV/0!. Rentang sejajar
    menghasilkan satu persentase per baris; untuk total gabungan pakai ``rasio_gabungan``.
    """
    return per_cell(_penyerapan_satu, realisasi, pagu)


def rata_tertimbang(nilai: Any, pagu: Any) -> Hasil:
    """Rata-rata tertimbang pagu: Σ(pagu × nilai) / Σ pagu (baris Jumlah FORM B, R3).

    Persentase kosong atau "-" dihitung 0 (pagunya tetap ikut penyebut), seperti baris Jumlah
    di formulir. Jumlah pagu 0 → #DIV/0!.
    """
    jt = weighted_sum(nilai, pagu)
    if isinstance(jt, NilaiGalat):
        return jt
    return divide(jt[0], jt[1], "Jumlah pagu 0 atau kosong: rata-rata tertimbang tidak dapat dihitung")


def kontribusi(nilai: Any, pagu: Any, pagu_satker: Any) -> Hasil:
    """Kontribusi terhadap pagu satker: Σ(pagu output × nilai) / pagu satker (baris Jumlah FORM A, R2).

    Penyebutnya pagu DIPA satker (bukan pagu kegiatan), sehingga Jumlah semua kegiatan
    menjumlah ke persentase satker. Pagu satker 0 atau kosong → #DIV/0!.
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
    """S.d. triwulan ini = s.d. triwulan lalu + triwulan ini (R1); kosong dan "-" dihitung 0.

    Rentang sejajar → satu nilai per baris.
    """
    return per_cell(_kumulatif_satu, lalu, ini)


def _perubahan(a: Any, b: Any, tanda: float) -> Hasil:
    v = as_numbers(a, b)
    if isinstance(v, NilaiGalat):
        return v
    x, y = v
    if x is None or y is None:
        return NilaiGalat(TIDAK_ADA, "Nilai A atau B kosong: perubahan tidak dapat dihitung")
    return divide(tanda * (y - x), x, "Nilai awal A 0: persentase perubahan tidak dapat dihitung", 100.0)


def pertumbuhan(a: Any, b: Any) -> Hasil | list[Hasil]:
    """Pertumbuhan (%): (B − A) / A × 100 (R10); A = nilai awal/tahun lalu, B = nilai akhir/tahun ini.

    A 0 → #DIV/0!, A atau B kosong → #N/A. Rentang sejajar → satu nilai per baris.
    """
    return per_cell(lambda x, y: _perubahan(x, y, 1.0), a, b)


def efisiensi(a: Any, b: Any) -> Hasil | list[Hasil]:
    """Efisiensi (%): (A − B) / A × 100 (R10); A = sumber daya sebelum, B = sesudah (1.000 → 950 = 5 %).

    A 0 → #DIV/0!, A atau B kosong → #N/A. Rentang sejajar → satu nilai per baris.
    """
    return per_cell(lambda x, y: _perubahan(x, y, -1.0), a, b)


def rasio_gabungan(pembilang: Any, penyebut: Any) -> Hasil:
    """Rasio gabungan (%): Σ pembilang / Σ penyebut × 100 (R11), bukan rata-rata persentase.

    Semua sel pembilang dijumlahkan (boleh beberapa kolom, mis. kerja + studi + wirausaha),
    demikian pula penyebut; kosong dan "-" = 0. Jumlah penyebut 0 → #DIV/0!.
    """
    return pooled_ratio([pembilang], penyebut, "Jumlah penyebut 0 atau kosong: rasio tidak dapat dihitung")
