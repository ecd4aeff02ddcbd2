"""P3DN: the use of domestic products in procurement of goods and services (R12)."""

from __future__ import annotations

import re
from typing import Any

from udfs._args import cells, first_error, number_column
from udfs._agregat import pooled_ratio
from udfs.errors import SALAH_NILAI, NilaiGalat

# 15 akun terpilih, urutan cetak Renstra BSKJI (004:L1879-1881)
AKUN_TERPILIH: tuple[str, ...] = (
    "521211", "521219", "521811", "522192", "524114", "521111", "521131", "522141",
    "524119", "522131", "522191", "521241", "521841", "532111", "533111",
)


def kode_akun(v: Any) -> str:
    """A 6-digit account code as text: 521211, 521211.0 and "521211" are the same; empty → ""."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = "" if v is None else str(v).strip()
    m = re.fullmatch(r"(\d{6})(?:\.0+)?", s)
    return m.group(1) if m else s


def p3dn(realisasi: Any, pagu: Any, akun: Any = None) -> float | NilaiGalat:
    """The satker's P3DN capaian (%): RA / TotA × 100 over the selected accounts (R12).

    RA = P3DN budget realisasi (PDN + TKDN), TotA = P3DN budget pagu, both per account.
    When ``akun`` is given (a parallel range), rows whose account is not one of the 15 selected
    accounts (``AKUN_TERPILIH``) are ignored. A range → one pooled value: total realisasi
    divided by total pagu (not an average of percentages). Total pagu 0 → #DIV/0!.
    """
    r, p = number_column(realisasi), number_column(pagu)
    galat = first_error(r, p)
    if galat:
        return galat
    if len(r) != len(p):
        return NilaiGalat(SALAH_NILAI, "Jumlah sel realisasi dan pagu tidak sama")
    if akun is not None and any(kode_akun(a) for a in cells(akun)):
        a = [kode_akun(v) for v in cells(akun)]
        if len(a) != len(r):
            return NilaiGalat(SALAH_NILAI, "Jumlah sel akun tidak sama dengan realisasi dan pagu")
        pilih = [i for i, k in enumerate(a) if k in AKUN_TERPILIH]
        r, p = [r[i] for i in pilih], [p[i] for i in pilih]  # type: ignore[index]
    return pooled_ratio([r], p, "Pagu akun terpilih 0 atau kosong: capaian P3DN tidak dapat dihitung")


def p3dn_eselon1(pdn: Any, tkdn: Any, pagu: Any) -> float | NilaiGalat:
    """The Eselon I P3DN capaian (%): (PDN realisasi + TKDN realisasi) / pagu × 100; imports do not count.

    A range (e.g. every Eselon I) → one pooled value Σ(PDN + TKDN) / Σ pagu, not an average of
    the units' percentages. Empty and "-" = 0; total pagu 0 → #DIV/0!.
    """
    return pooled_ratio([pdn, tkdn], pagu, "Pagu 0 atau kosong: capaian P3DN tidak dapat dihitung")
