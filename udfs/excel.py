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
    "rasio_gabungan", "capaian_tahunan", "capaian_jangka_menengah", "target_jangka_menengah",
    "realisasi_jangka_menengah", "capaian_rata_kelompok", "efektif", "efisien", "rasio_efisiensi", "survei",
    "survei_kelompok", "survei_responden", "capaian_agregat",
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
@xw.arg("metode", doc="permenpanrb-14-2017 (9 unsur, bawaan), kepmenpan-25-2004 (14 unsur) atau umum (N butir).")
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


@xw.func
@xw.arg("target", doc="Target tahunan indikator.")
@xw.arg("realisasi_tw", doc="Realisasi TW I–IV (satu baris atau kolom); kosong = belum dilaporkan.", **_RANGE)
@xw.arg("basis", doc="tren-positif (bawaan, Σ realisasi), nilai-akhir (TW terakhir) atau tren-negatif.")
def capaian_tahunan(target: Sel, realisasi_tw: Sel, basis: str = "tren-positif") -> Any:
    """Capaian tahunan (%) dari realisasi per triwulan: tren positif, nilai akhir atau tren negatif."""
    return _xl(_k.capaian_tahunan(target, realisasi_tw, basis))


@xw.func
@xw.arg("capaian", doc="Kolom capaian (%) per indikator.", **_RANGE)
@xw.arg("realisasi", doc="Kolom realisasi per indikator.", **_RANGE)
@xw.arg("target", doc="Kolom target per indikator.", **_RANGE)
@xw.arg("cara", doc="rata-rata-persentase (bawaan, rata-rata capaian) atau rasio-jumlah (Σ realisasi ÷ Σ target).")
def capaian_agregat(capaian: Sel, realisasi: Sel, target: Sel, cara: str = "rata-rata-persentase") -> Any:
    """Capaian agregat (%) beberapa indikator: rata-rata persentase atau rasio jumlah, sesuai cara yang dipilih."""
    return _xl(_k.capaian_agregat(capaian, realisasi, target, cara))


@xw.func
@xw.arg("target_tahun", doc="Target Renstra per tahun (semua tahun periode).", **_RANGE)
@xw.arg("realisasi_tahun", doc="Realisasi per tahun; kosong = belum dilaporkan.", **_RANGE)
@xw.arg("basis", doc="jumlah (bawaan, Σ tahun), rata-rata atau nilai-akhir (tahun terakhir).")
@xw.arg("polaritas", doc="maksimal (bawaan), minimal, minimal-tr, stabil.")
def capaian_jangka_menengah(target_tahun: Sel, realisasi_tahun: Sel, basis: str = "jumlah",
                            polaritas: str = "maksimal") -> Any:
    """Capaian jangka menengah Renstra (%) menurut basis jumlah, rata-rata atau nilai akhir."""
    return _xl(_k.capaian_jangka_menengah(target_tahun, realisasi_tahun, basis, polaritas))


@xw.func
@xw.arg("target_tahun", doc="Target Renstra per tahun.", **_RANGE)
@xw.arg("basis", doc="jumlah (bawaan), rata-rata atau nilai-akhir.")
def target_jangka_menengah(target_tahun: Sel, basis: str = "jumlah") -> Any:
    """Target akhir periode Renstra menurut basis (Σ, rata-rata atau tahun terakhir)."""
    return _xl(_k.target_jangka_menengah(target_tahun, basis))


@xw.func
@xw.arg("realisasi_tahun", doc="Realisasi per tahun; kosong = belum dilaporkan.", **_RANGE)
@xw.arg("basis", doc="jumlah (bawaan), rata-rata atau nilai-akhir.")
def realisasi_jangka_menengah(realisasi_tahun: Sel, basis: str = "jumlah") -> Any:
    """Realisasi Renstra s.d. tahun terakhir yang dilaporkan menurut basis."""
    return _xl(_k.realisasi_jangka_menengah(realisasi_tahun, basis))


@xw.func
@xw.arg("capaian", doc="Capaian indikator (%).", **_RANGE)
@xw.arg("kelompok", doc="Kode sasaran/tujuan sejajar capaian.", **_RANGE)
@xw.arg("nama", doc="Kode sasaran/tujuan yang dirata-rata, mis. SS3.")
@xw.arg("pengenal", doc="Kolom pembeda baris (mis. indikator) sejajar kelompok; kosong = tampil di setiap baris.",
        **_RANGE)
@xw.arg("baris", doc="Nilai pengenal pada baris ini: rata-rata hanya tampil di baris pertama kelompok.")
def capaian_rata_kelompok(capaian: Sel, kelompok: Sel, nama: Sel, pengenal: Sel = None, baris: Sel = None) -> Any:
    """Rata-rata capaian (%) indikator satu sasaran atau tujuan."""
    return _xl(_k.capaian_rata_kelompok(capaian, kelompok, nama, pengenal, baris))


@xw.func
@xw.arg("capaian", doc="Capaian kinerja (%).", **_RANGE)
def efektif(capaian: Sel) -> Any:
    """Label BPKP: Efektif bila capaian ≥ 100 %."""
    return _xl(_k.efektif(capaian))


@xw.func
@xw.arg("capaian", doc="Capaian kinerja (%).", **_RANGE)
@xw.arg("serapan", doc="Serapan anggaran (%).", **_RANGE)
def efisien(capaian: Sel, serapan: Sel) -> Any:
    """Label BPKP: Efisien bila capaian > serapan anggaran."""
    return _xl(_k.efisien(capaian, serapan))


@xw.func
@xw.arg("capaian", doc="Capaian kinerja (%).", **_RANGE)
@xw.arg("serapan", doc="Serapan anggaran (%).", **_RANGE)
def rasio_efisiensi(capaian: Sel, serapan: Sel) -> Any:
    """Rasio efisiensi (%) = (capaian − serapan) / capaian."""
    return _xl(_k.rasio_efisiensi(capaian, serapan))


@xw.func
@xw.arg("jawaban", doc="Jawaban: baris = responden, kolom = butir (N butir).", **_RANGE)
@xw.arg("skala", doc="Nilai tertinggi skala jawaban: 4 (bawaan) atau 5.")
@xw.arg("kelompok", doc="Opsional: perusahaan/layanan tiap responden (kolom sejajar).", **_RANGE)
def survei(jawaban: Sel, skala: Sel = 4, kelompok: Sel = None) -> Any:
    """Indeks survei N butir: rata-rata NRR butir, atau rata-rata indeks kelompok bila kelompok diisi."""
    return _xl(_k.survei(jawaban, skala, kelompok))


@xw.func
@xw.arg("jawaban", doc="Jawaban: baris = responden, kolom = butir.", **_RANGE)
@xw.arg("kelompok", doc="Perusahaan/layanan tiap responden (kolom sejajar).", **_RANGE)
@xw.arg("nama", doc="Nama kelompok yang dihitung.")
@xw.arg("skala", doc="Nilai tertinggi skala jawaban: 4 (bawaan) atau 5.")
def survei_kelompok(jawaban: Sel, kelompok: Sel, nama: Sel, skala: Sel = 4) -> Any:
    """Indeks survei satu perusahaan/layanan: rata-rata NRR butir atas respondennya."""
    return _xl(_k.survei_kelompok(jawaban, kelompok, nama, skala))


@xw.func
@xw.arg("jawaban", doc="Jawaban: baris = responden, kolom = butir.", **_RANGE)
@xw.arg("skala", doc="Nilai tertinggi skala jawaban: 4 (bawaan) atau 5.")
def survei_responden(jawaban: Sel, skala: Sel = 4) -> Any:
    """Nilai tiap responden: rata-rata butir yang dijawabnya; hasil satu kolom."""
    return _xl(_k.survei_responden(jawaban, skala))
