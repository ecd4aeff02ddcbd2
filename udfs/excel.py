"""Fungsi kustom KINERJA.* untuk Excel melalui xlwings.

Satu-satunya modul ``udfs`` yang mengimpor xlwings. Setiap fungsi di sini pembungkus tipis
fungsi Python bernama sama (:mod:`udfs`): rentang datang sebagai daftar bersarang (``ndim=2``,
sel kosong ``None``); hasil daftar dikembalikan sebagai satu kolom (``IKM_NRR``: satu baris)
yang tumpah (spill) di Excel; :class:`~udfs.errors.NilaiGalat` dikembalikan sebagai literal
galatnya (``"#DIV/0!"``).

- xlwings Server / Office.js: aplikasi server memuat modul ini; namespace KINERJA diatur di
  manifest add-in, sehingga Excel menampilkan ``KINERJA.CAPAIAN``. xlwings mengubah teks
  berawalan "#" yang dikenalnya (#DIV/0!, #N/A, #NAME?, #NULL!, #NUM!, #REF!, #VALUE!) menjadi
  sel galat Excel yang sebenarnya (runtime custom functions ≥ 1.4).
- xlwings klasik di Windows: ``UDF_MODULES = udfs.excel`` di lembar ``xlwings.conf``; tanpa
  namespace (fungsi bernama ``CAPAIAN`` dst.). Jalur ini tidak punya cara mengembalikan sel
  galat sungguhan: literal galat tampil sebagai teks.
- Di tempat lain (Linux tanpa ``XLWINGS_ON_SERVER=true``) dekorator xlwings tidak berbuat apa-apa
  dan fungsi tetap fungsi Python biasa. xlwings memutuskannya saat pertama kali diimpor.

Kesalahan pemrogram (nama polaritas/skala/metode tak dikenal) tetap ValueError; xlwings
menampilkannya sebagai galat di sel.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

import udfs as _k
from udfs._keluaran import to_sheet

__all__ = [
    "capaian", "capaian_rata", "predikat", "p3dn", "p3dn_eselon1", "ikm", "ikm_nrr", "ikm_konversi", "ikm_mutu",
    "ikm_sampel", "penyerapan", "rata_tertimbang", "kontribusi", "kumulatif", "pertumbuhan", "efisiensi",
    "rasio_gabungan",
]

Sel = Any  # satu sel atau rentang; dengan ndim=2 rentang menjadi daftar bersarang
_RANGE = {"ndim": 2, "empty": None}


def _xl(hasil: Any, baris: bool = False) -> Any:
    return to_sheet(hasil, lambda g: g.kode, baris)


@xw.func
@xw.arg("target", doc="Target indikator: sel atau rentang; untuk polaritas rentang teks \"80-90\" atau dua sel (bawah, atas).", **_RANGE)
@xw.arg("realisasi", doc="Realisasi indikator: sel atau rentang sejajar target.", **_RANGE)
@xw.arg("polaritas", doc="maksimal (bawaan), minimal, minimal-tr, stabil, rentang atau rentang-minimal.")
@xw.arg("batas", doc="Batas atas capaian, mis. 120; kosong = tanpa batas.")
def capaian(target: Sel, realisasi: Sel, polaritas: str = "maksimal", batas: Sel = None) -> Any:
    """Capaian kinerja (%) dari target dan realisasi sesuai polaritas indikator; rentang → satu kolom."""
    return _xl(_k.capaian(target, realisasi, polaritas, batas))


@xw.func
@xw.arg("capaian", doc="Capaian indikator (%); sel kosong dan \"-\" diabaikan.", **_RANGE)
@xw.arg("batas", doc="Batas tiap capaian sebelum dirata-rata, mis. 100; kosong = tanpa batas.")
def capaian_rata(capaian: Sel, batas: Sel = None) -> Any:
    """Rata-rata capaian indikator (rata-rata biasa, untuk sasaran atau tujuan)."""
    return _xl(_k.capaian_rata(capaian, batas))


@xw.func
@xw.arg("nilai", doc="Nilai yang diberi predikat (sel atau rentang).", **_RANGE)
@xw.arg("skala", doc="sakip (bawaan, AA…D), ipp, nka, ikpa atau pemda.")
def predikat(nilai: Sel, skala: str = "sakip") -> Any:
    """Predikat nilai menurut skala, mis. SAKIP 76,80 → BB."""
    return _xl(_k.predikat(nilai, skala))


@xw.func
@xw.arg("realisasi", doc="Realisasi P3DN (PDN + TKDN) per akun, Rp.", **_RANGE)
@xw.arg("pagu", doc="Pagu P3DN per akun, Rp.", **_RANGE)
@xw.arg("akun", doc="Kode akun sejajar (opsional); selain 15 akun terpilih diabaikan.", **_RANGE)
def p3dn(realisasi: Sel, pagu: Sel, akun: Sel = None) -> Any:
    """Capaian P3DN (%): jumlah realisasi / jumlah pagu atas akun terpilih."""
    return _xl(_k.p3dn(realisasi, pagu, akun))


@xw.func
@xw.arg("pdn", doc="Realisasi PDN, Rp.", **_RANGE)
@xw.arg("tkdn", doc="Realisasi TKDN, Rp.", **_RANGE)
@xw.arg("pagu", doc="Pagu, Rp.", **_RANGE)
def p3dn_eselon1(pdn: Sel, tkdn: Sel, pagu: Sel) -> Any:
    """Capaian P3DN Eselon I (%): (PDN + TKDN) / pagu, digabung atas semua baris; impor tidak dihitung."""
    return _xl(_k.p3dn_eselon1(pdn, tkdn, pagu))


@xw.func
@xw.arg("jawaban", doc="Jawaban 1–4: baris = responden, kolom = unsur.", **_RANGE)
@xw.arg("metode", doc="permenpanrb-14-2017 (9 unsur, bawaan) atau kepmenpan-25-2004 (14 unsur).")
def ikm(jawaban: Sel, metode: str = "permenpanrb-14-2017") -> Any:
    """Indeks Kepuasan Masyarakat (skala 1–4): rata-rata NRR unsur, bobot 1/n persis."""
    return _xl(_k.ikm(jawaban, metode))


@xw.func
@xw.arg("jawaban", doc="Jawaban 1–4: baris = responden, kolom = unsur.", **_RANGE)
def ikm_nrr(jawaban: Sel) -> Any:
    """Nilai rata-rata (NRR) tiap unsur Indeks Kepuasan Masyarakat; hasil satu baris."""
    return _xl(_k.ikm_nrr(jawaban), baris=True)


@xw.func
@xw.arg("nilai", doc="Indeks Kepuasan Masyarakat skala 1–4.", **_RANGE)
def ikm_konversi(nilai: Sel) -> Any:
    """Indeks unit pelayanan skala 25–100 (indeks × 25)."""
    return _xl(_k.ikm_konversi(nilai))


@xw.func
@xw.arg("nilai", doc="Indeks 1–4 atau nilai konversi 25–100.", **_RANGE)
@xw.arg("metode", doc="permenpanrb-14-2017 (bawaan) atau kepmenpan-25-2004.")
def ikm_mutu(nilai: Sel, metode: str = "permenpanrb-14-2017") -> Any:
    """Mutu pelayanan Indeks Kepuasan Masyarakat, mis. "A (Sangat Baik)"."""
    return _xl(_k.ikm_mutu(nilai, metode))


@xw.func
@xw.arg("populasi", doc="Jumlah pengguna layanan (N).", **_RANGE)
def ikm_sampel(populasi: Sel) -> Any:
    """Jumlah sampel minimal survei (Krejcie–Morgan; N ≥ 75.000 → 384)."""
    return _xl(_k.ikm_sampel(populasi))


@xw.func
@xw.arg("realisasi", doc="Realisasi anggaran per baris.", **_RANGE)
@xw.arg("pagu", doc="Pagu per baris.", **_RANGE)
def penyerapan(realisasi: Sel, pagu: Sel) -> Any:
    """Penyerapan anggaran (%) per baris: realisasi / pagu."""
    return _xl(_k.penyerapan(realisasi, pagu))


@xw.func
@xw.arg("nilai", doc="Persentase per baris; \"-\" = 0.", **_RANGE)
@xw.arg("pagu", doc="Pagu per baris (bobot).", **_RANGE)
def rata_tertimbang(nilai: Sel, pagu: Sel) -> Any:
    """Rata-rata tertimbang pagu: Σ(pagu × nilai) / Σ pagu (baris Jumlah FORM B)."""
    return _xl(_k.rata_tertimbang(nilai, pagu))


@xw.func
@xw.arg("nilai", doc="Persentase per output; \"-\" = 0.", **_RANGE)
@xw.arg("pagu", doc="Pagu per output.", **_RANGE)
@xw.arg("pagu_satker", doc="Pagu DIPA satker (satuan sama dengan pagu output).")
def kontribusi(nilai: Sel, pagu: Sel, pagu_satker: Sel) -> Any:
    """Kontribusi terhadap pagu satker: Σ(pagu × nilai) / pagu satker (baris Jumlah FORM A)."""
    return _xl(_k.kontribusi(nilai, pagu, pagu_satker))


@xw.func
@xw.arg("lalu", doc="S.d. triwulan lalu; \"-\" = 0.", **_RANGE)
@xw.arg("ini", doc="Triwulan ini; \"-\" = 0.", **_RANGE)
def kumulatif(lalu: Sel, ini: Sel) -> Any:
    """S.d. triwulan ini = s.d. triwulan lalu + triwulan ini."""
    return _xl(_k.kumulatif(lalu, ini))


@xw.func
@xw.arg("a", doc="Nilai awal (tahun/periode lalu).", **_RANGE)
@xw.arg("b", doc="Nilai akhir (tahun/periode ini).", **_RANGE)
def pertumbuhan(a: Sel, b: Sel) -> Any:
    """Pertumbuhan (%): (B − A) / A."""
    return _xl(_k.pertumbuhan(a, b))


@xw.func
@xw.arg("a", doc="Sumber daya sebelum.", **_RANGE)
@xw.arg("b", doc="Sumber daya sesudah.", **_RANGE)
def efisiensi(a: Sel, b: Sel) -> Any:
    """Efisiensi (%): (A − B) / A."""
    return _xl(_k.efisiensi(a, b))


@xw.func
@xw.arg("pembilang", doc="Semua sel pembilang (boleh beberapa kolom).", **_RANGE)
@xw.arg("penyebut", doc="Semua sel penyebut.", **_RANGE)
def rasio_gabungan(pembilang: Sel, penyebut: Sel) -> Any:
    """Rasio gabungan (%): jumlah pembilang / jumlah penyebut, bukan rata-rata persentase."""
    return _xl(_k.rasio_gabungan(pembilang, penyebut))
