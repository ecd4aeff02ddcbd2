"""The kinerja calculation functions: callable as plain Python, shown in Excel as KINERJA.*.

Every ratio is a percentage (scale 0–100). Range arguments accept a scalar, a flat list,
a nested list (2-D range) or a numpy array; empty cells, "-" and "--" mean "no value".
Data problems are returned as :class:`~udfs.errors.NilaiGalat` (an error cell in Excel),
not raised as exceptions. This package does not import xlwings (see :mod:`udfs.excel`).
"""

from udfs.anggaran import efisiensi, kontribusi, kumulatif, penyerapan, pertumbuhan, rasio_gabungan, rata_tertimbang
from udfs.capaian import POLARITAS, capaian, capaian_rata
from udfs.errors import NilaiGalat
from udfs.ikm import (
    METODE, UNSUR_KEPMENPAN_25_2004, UNSUR_PERMENPANRB_14_2017, ikm, ikm_konversi, ikm_mutu, ikm_nrr, ikm_sampel,
)
from udfs.p3dn import AKUN_TERPILIH, p3dn, p3dn_eselon1
from udfs.pembulatan import bulat
from udfs.sakip import (
    BASIS_JANGKA, BASIS_TAHUNAN, CARA_AGREGAT, capaian_agregat, capaian_jangka_menengah, capaian_rata_kelompok, capaian_tahunan, efektif, efisien,
    rasio_efisiensi, realisasi_jangka_menengah, target_jangka_menengah,
)
from udfs.skala import SKALA, predikat
from udfs.survei import survei, survei_kelompok, survei_responden

__all__ = [
    "AKUN_TERPILIH", "METODE", "POLARITAS", "SKALA", "UNSUR_KEPMENPAN_25_2004", "UNSUR_PERMENPANRB_14_2017",
    "NilaiGalat", "bulat", "capaian", "capaian_rata", "efisiensi", "ikm", "ikm_konversi", "ikm_mutu", "ikm_nrr",
    "ikm_sampel", "kontribusi", "kumulatif", "p3dn", "p3dn_eselon1", "penyerapan", "pertumbuhan", "predikat",
    "rasio_gabungan", "rata_tertimbang",
    "BASIS_JANGKA", "BASIS_TAHUNAN", "CARA_AGREGAT", "capaian_agregat", "capaian_jangka_menengah", "capaian_rata_kelompok", "capaian_tahunan", "efektif",
    "efisien", "rasio_efisiensi", "realisasi_jangka_menengah", "survei", "survei_kelompok", "survei_responden",
    "target_jangka_menengah",
]
