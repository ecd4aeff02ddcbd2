"""Nama Excel fungsi kinerja (namespace KINERJA) dan pendaftarannya di paket ``formulas``.

``formulas`` (pustaka Python yang menghitung buku kerja) hanya dependensi pengembangan,
jadi diimpor di dalam :func:`register_formulas`, bukan di tingkat modul.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import udfs
from udfs._keluaran import to_sheet

NAMESPACE = "KINERJA"
NAMA: tuple[str, ...] = (
    "capaian", "capaian_rata", "predikat", "p3dn", "p3dn_eselon1", "ikm", "ikm_nrr", "ikm_konversi", "ikm_mutu",
    "ikm_sampel", "penyerapan", "rata_tertimbang", "kontribusi", "kumulatif", "pertumbuhan", "efisiensi",
    "rasio_gabungan", "capaian_tahunan", "capaian_jangka_menengah", "target_jangka_menengah",
    "realisasi_jangka_menengah", "capaian_rata_kelompok", "efektif", "efisien", "rasio_efisiensi", "survei",
    "survei_kelompok", "survei_responden",
)
FUNGSI: dict[str, Callable[..., Any]] = {f"{NAMESPACE}.{n.upper()}": getattr(udfs, n) for n in NAMA}
HASIL_BARIS: frozenset[str] = frozenset({f"{NAMESPACE}.IKM_NRR"})  # hasil daftar ditulis mendatar


class _GalatMasukan(Exception):
    def __init__(self, galat: Any) -> None:
        self.galat = galat


def _dari_formulas(x: Any) -> Any:
    """Argumen dari ``formulas``: larik numpy → daftar bersarang; sel kosong → None; galat → dilempar."""
    import numpy as np
    from formulas.functions import XlError, is_not_empty

    if isinstance(x, np.ndarray):
        return _dari_formulas(x.tolist()) if x.ndim else _dari_formulas(x.item())
    if isinstance(x, list):
        return [_dari_formulas(v) for v in x]
    if isinstance(x, XlError):
        raise _GalatMasukan(x)
    return x if is_not_empty(x) else None


def _bungkus(fungsi: Callable[..., Any], baris: bool) -> Callable[..., Any]:
    """Fungsi kinerja sebagai fungsi ``formulas``: galat di argumen diteruskan, NilaiGalat → XlError."""
    import numpy as np
    from formulas.functions import Error, wrap_func

    def jalankan(*args: Any) -> Any:
        try:
            masukan = [_dari_formulas(a) for a in args]
        except _GalatMasukan as e:
            return e.galat
        hasil = to_sheet(fungsi(*masukan), lambda g: Error.errors[g.kode], baris)
        return np.asarray(hasil, dtype=object) if isinstance(hasil, list) else hasil

    return wrap_func(functools.update_wrapper(jalankan, fungsi))


def register_formulas() -> dict[str, Callable[..., Any]]:
    """Daftarkan semua fungsi KINERJA.* di ``formulas.get_functions()`` dan kembalikan yang didaftarkan.

    Panggil sebelum ``formulas.ExcelModel().loads(...)``: pengurai formulas memeriksa nama
    fungsi saat membaca rumus. Nama titik (``KINERJA.CAPAIAN``) diurai utuh sebagai satu nama
    fungsi, jadi kuncinya persis nama Excel dalam huruf besar. Hasil berupa daftar menjadi larik
    (kolom; ``IKM_NRR`` baris) untuk rumus larik (array formula).
    """
    import formulas

    fs = formulas.get_functions()
    baru = {nama: _bungkus(f, nama in HASIL_BARIS) for nama, f in FUNGSI.items()}
    fs.update(baru)
    return baru
