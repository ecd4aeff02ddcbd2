"""The KINERJA.* custom functions for Excel, through xlwings.

The only module of ``udfs`` that imports xlwings. Each function is a thin
wrapper over the plain function of the same name: ranges arrive as nested
lists (``ndim=2``), an error value (:class:`udfs.errors.NilaiGalat`) goes back
as its Excel literal (``#DIV/0!``), which xlwings Server turns into a real
error cell; a vector result spills down as a column.

- xlwings Server: the app lists this module; the manifest sets the namespace KINERJA,
  so Excel shows ``KINERJA.CAPAIAN``.
- Classic xlwings on Windows: ``UDF_MODULES = udfs.excel`` in ``xlwings.conf``
  (namespaces do not exist there: the functions are ``CAPAIAN`` etc.).
- Elsewhere the decorators are no-ops and the functions stay plain callables.

xlwings decides at import time: set ``XLWINGS_ON_SERVER=true`` (and
``XLWINGS_LICENSE_KEY``) before the first ``import xlwings`` to get the server
decorators.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

import udfs
from udfs.errors import NilaiGalat


Range = Any  # a cell or a range (nested lists with ndim=2)


def _out(result: Any) -> Any:
    if isinstance(result, NilaiGalat):
        return result.kode
    if isinstance(result, list):
        return [[_out(v)] for v in result]
    return result


_R = "Rentang atau sel"


@xw.func
@xw.arg("target", ndim=2, doc="Target indikator (sel atau rentang).")
@xw.arg("realisasi", ndim=2, doc="Realisasi indikator (sel atau rentang sejajar target).")
@xw.arg("polaritas", doc="maksimal (bawaan), minimal, minimal-tr, stabil atau rentang.")
@xw.arg("batas", doc="Batas atas capaian, mis. 120 (kosong = tanpa batas).")
def capaian(target: Range, realisasi: Range, polaritas: str = "maksimal", batas: float | None = None) -> Any:
    """Capaian kinerja (%) dari target dan realisasi sesuai polaritas indikator."""
    return _out(udfs.capaian(target, realisasi, polaritas or "maksimal", batas))


@xw.func
@xw.arg("nilai", ndim=2, doc="Capaian indikator; sel kosong diabaikan.")
def capaian_rata(nilai: Range) -> Any:
    """Rata-rata capaian indikator (rata-rata biasa per sasaran/tujuan)."""
    return _out(udfs.capaian_rata(nilai))


@xw.func
@xw.arg("nilai", doc="Nilai yang diberi predikat.")
@xw.arg("skala", doc="sakip (bawaan), ipp, nka, ikpa atau pemda.")
def predikat(nilai: float, skala: str = "sakip") -> Any:
    """Predikat nilai menurut skala (SAKIP AA…D dan skala lain)."""
    return _out(udfs.predikat(nilai, skala or "sakip"))


@xw.func
@xw.arg("realisasi", ndim=2, doc="Realisasi P3DN (PDN + TKDN) per akun.")
@xw.arg("pagu", ndim=2, doc="Pagu per akun.")
@xw.arg("akun", ndim=2, doc="Kode akun; selain 15 akun terpilih diabaikan (opsional).")
def p3dn(realisasi: Range, pagu: Range, akun: Range = None) -> Any:
    """Capaian P3DN (%): jumlah realisasi / jumlah pagu atas akun terpilih."""
    return _out(udfs.p3dn(realisasi, pagu, akun))


@xw.func
@xw.arg("pdn", ndim=2, doc="Realisasi PDN.")
@xw.arg("tkdn", ndim=2, doc="Realisasi TKDN.")
@xw.arg("pagu", ndim=2, doc="Pagu.")
def p3dn_eselon1(pdn: Range, tkdn: Range, pagu: Range) -> Any:
    """Capaian P3DN Eselon I (%): (PDN + TKDN) / pagu; impor tidak dihitung."""
    return _out(udfs.p3dn_eselon1(pdn, tkdn, pagu))


@xw.func
@xw.arg("jawaban", ndim=2, doc="Jawaban 1–4: baris = responden, kolom = unsur.")
@xw.arg("metode", doc="permenpanrb-14-2017 (9 unsur, bawaan) atau kepmenpan-25-2004 (14 unsur).")
def ikm(jawaban: Range, metode: str = "permenpanrb-14-2017") -> Any:
    """Indeks Kepuasan Masyarakat (skala 1–4) dari jawaban survei."""
    return _out(udfs.ikm(jawaban, metode or "permenpanrb-14-2017"))


@xw.func
@xw.arg("jawaban", ndim=2, doc="Jawaban 1–4: baris = responden, kolom = unsur.")
def ikm_nrr(jawaban: Range) -> Any:
    """Nilai rata-rata (NRR) per unsur pelayanan; hasil satu baris."""
    out = udfs.ikm_nrr(jawaban)
    return [[_out(v) for v in out]] if isinstance(out, list) else _out(out)


@xw.func
@xw.arg("nilai", doc="Indeks Kepuasan Masyarakat skala 1–4.")
def ikm_konversi(nilai: float) -> Any:
    """Indeks unit pelayanan skala 25–100 (indeks × 25)."""
    return _out(udfs.ikm_konversi(nilai))


@xw.func
@xw.arg("nilai", doc="Indeks Kepuasan Masyarakat skala 1–4.")
@xw.arg("metode", doc="permenpanrb-14-2017 (bawaan) atau kepmenpan-25-2004.")
def ikm_mutu(nilai: float, metode: str = "permenpanrb-14-2017") -> Any:
    """Mutu pelayanan, mis. 'A (Sangat Baik)'."""
    return _out(udfs.ikm_mutu(nilai, metode or "permenpanrb-14-2017"))


@xw.func
@xw.arg("populasi", doc="Jumlah pengguna layanan.")
def ikm_sampel(populasi: float) -> Any:
    """Jumlah sampel minimal survei (Krejcie–Morgan)."""
    return _out(udfs.ikm_sampel(populasi))


@xw.func
@xw.arg("realisasi", ndim=2, doc=_R)
@xw.arg("pagu", ndim=2, doc=_R)
def penyerapan(realisasi: Range, pagu: Range) -> Any:
    """Penyerapan anggaran (%): realisasi / pagu."""
    return _out(udfs.penyerapan(realisasi, pagu))


@xw.func
@xw.arg("nilai", ndim=2, doc="Persentase per baris.")
@xw.arg("pagu", ndim=2, doc="Pagu per baris (bobot).")
def rata_tertimbang(nilai: Range, pagu: Range) -> Any:
    """Rata-rata tertimbang pagu (baris Jumlah FORM B)."""
    return _out(udfs.rata_tertimbang(nilai, pagu))


@xw.func
@xw.arg("nilai", ndim=2, doc="Persentase per output.")
@xw.arg("pagu", ndim=2, doc="Pagu per output.")
@xw.arg("pagu_satker", doc="Pagu DIPA satker.")
def kontribusi(nilai: Range, pagu: Range, pagu_satker: float) -> Any:
    """Kontribusi terhadap pagu satker (baris Jumlah FORM A)."""
    return _out(udfs.kontribusi(nilai, pagu, pagu_satker))


@xw.func
@xw.arg("lalu", ndim=2, doc="S.d. triwulan lalu.")
@xw.arg("ini", ndim=2, doc="Triwulan ini.")
def kumulatif(lalu: Range, ini: Range) -> Any:
    """S.d. triwulan ini = s.d. triwulan lalu + triwulan ini."""
    return _out(udfs.kumulatif(lalu, ini))


@xw.func
def pertumbuhan(a: float, b: float) -> Any:
    """Pertumbuhan (%): (B − A) / A."""
    return _out(udfs.pertumbuhan(a, b))


@xw.func
def efisiensi(a: float, b: float) -> Any:
    """Efisiensi (%): (A − B) / A."""
    return _out(udfs.efisiensi(a, b))


@xw.func
@xw.arg("pembilang", ndim=2, doc=_R)
@xw.arg("penyebut", ndim=2, doc=_R)
def rasio_gabungan(pembilang: Range, penyebut: Range) -> Any:
    """Rasio gabungan (%): jumlah pembilang / jumlah penyebut."""
    return _out(udfs.rasio_gabungan(pembilang, penyebut))
