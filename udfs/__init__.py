"""Pure calculation functions of kinerja: callable as plain Python, exposed to Excel as KINERJA.*.

Every ratio is a percentage (0–100). Range arguments accept scalars, flat or
nested lists and numpy arrays; blanks and ``-`` mean "no value". Data problems
come back as :class:`~udfs.errors.NilaiGalat` values (Excel error cells), never
as exceptions.
"""

from udfs.anggaran import efisiensi, kontribusi, kumulatif, penyerapan, pertumbuhan, rasio_gabungan, rata_tertimbang
from udfs.capaian import POLARITAS, SKALA, capaian, capaian_rata, predikat
from udfs.errors import NilaiGalat
from udfs.ikm import (
    METODE, UNSUR_KEPMENPAN_25_2004, UNSUR_PERMENPANRB_14_2017, ikm, ikm_konversi, ikm_mutu, ikm_nrr, ikm_sampel,
)
from udfs.p3dn import AKUN_TERPILIH, p3dn, p3dn_eselon1
from udfs.pembulatan import bulat

__all__ = [
    "AKUN_TERPILIH", "METODE", "POLARITAS", "SKALA", "UNSUR_KEPMENPAN_25_2004", "UNSUR_PERMENPANRB_14_2017",
    "NilaiGalat", "bulat", "capaian", "capaian_rata", "efisiensi", "ikm", "ikm_konversi", "ikm_mutu", "ikm_nrr",
    "ikm_sampel", "kontribusi", "kumulatif", "p3dn", "p3dn_eselon1", "penyerapan", "pertumbuhan", "predikat",
    "rasio_gabungan", "rata_tertimbang",
]
