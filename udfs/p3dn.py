"""P3DN: use of domestic products in procurement (R12)."""

from __future__ import annotations

from typing import Any

from udfs._args import flatten, numbers, zero
from udfs.errors import NilaiGalat, bagi_nol

# The 15 akun terpilih, in the printed order (004:L1879-1881).
AKUN_TERPILIH: tuple[str, ...] = (
    "521211", "521219", "521811", "522192", "524114", "521111", "521131", "522141",
    "524119", "522131", "522191", "521241", "521841", "532111", "533111",
)


def _akun(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()


def p3dn(realisasi: Any, pagu: Any, akun: Any = None) -> float | NilaiGalat:
    """Capaian P3DN (%): realisasi P3DN / pagu P3DN atas akun terpilih × 100.

    Dengan ``akun``, baris yang akunnya bukan salah satu dari 15 akun terpilih diabaikan.
    Untuk rentang, pembilang dan penyebut dijumlahkan dulu baru dibagi.
    """
    r, p = numbers(realisasi), numbers(pagu)
    n = max(len(r), len(p))
    r += [None] * (n - len(r))
    p += [None] * (n - len(p))
    if akun is not None and not (isinstance(akun, str) and not akun.strip()):
        a = [_akun(v) for v in flatten(akun)] + [""] * n
        keep = [a[i] in AKUN_TERPILIH for i in range(n)]
    else:
        keep = [True] * n
    den = sum(zero(p[i]) for i in range(n) if keep[i])
    if den == 0:
        return bagi_nol("Pagu akun terpilih 0 atau kosong: capaian P3DN tidak dapat dihitung.")
    return sum(zero(r[i]) for i in range(n) if keep[i]) / den * 100


def p3dn_eselon1(pdn: Any, tkdn: Any, pagu: Any) -> float | NilaiGalat:
    """Capaian P3DN Eselon I (%): (realisasi PDN + realisasi TKDN) / pagu × 100 (impor tidak dihitung)."""
    den = sum(zero(v) for v in numbers(pagu))
    if den == 0:
        return bagi_nol("Pagu 0 atau kosong: capaian P3DN tidak dapat dihitung.")
    return (sum(zero(v) for v in numbers(pdn)) + sum(zero(v) for v in numbers(tkdn))) / den * 100
