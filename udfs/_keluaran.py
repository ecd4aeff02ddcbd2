"""Bentuk hasil untuk lembar kerja: skalar tetap skalar, daftar menjadi kolom (atau baris)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from udfs.errors import NilaiGalat


def ke_lembar(hasil: Any, galat: Callable[[NilaiGalat], Any], baris: bool = False) -> Any:
    """Ubah hasil fungsi kinerja ke bentuk sel Excel.

    Daftar menjadi rentang 2-D satu kolom (``baris=True``: satu baris); setiap
    :class:`NilaiGalat` diganti ``galat(g)`` (literal galat atau objek galat mesin hitung).
    """

    def satu(v: Any) -> Any:
        return galat(v) if isinstance(v, NilaiGalat) else v

    if isinstance(hasil, list):
        isi = [satu(v) for v in hasil]
        return [isi] if baris else [[v] for v in isi]
    return satu(hasil)
