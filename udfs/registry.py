"""The Excel names of the kinerja functions (namespace KINERJA) and their registration in ``formulas``.

``formulas`` (the Python library that computes workbooks) is only a development dependency,
so it is imported inside :func:`register_formulas`, not at module level.
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
    "survei_kelompok", "survei_responden", "capaian_agregat",
)
FUNGSI: dict[str, Callable[..., Any]] = {f"{NAMESPACE}.{n.upper()}": getattr(udfs, n) for n in NAMA}
HASIL_BARIS: frozenset[str] = frozenset({f"{NAMESPACE}.IKM_NRR"})  # list results are written across a row


class _ArgumentError(Exception):
    def __init__(self, error: Any) -> None:
        self.error = error


def _from_formulas(x: Any) -> Any:
    """An argument from ``formulas``: numpy array → nested list; empty cell → None; an error → raised."""
    import numpy as np
    from formulas.functions import XlError, is_not_empty

    if isinstance(x, np.ndarray):
        return _from_formulas(x.tolist()) if x.ndim else _from_formulas(x.item())
    if isinstance(x, list):
        return [_from_formulas(v) for v in x]
    if isinstance(x, XlError):
        raise _ArgumentError(x)
    return x if is_not_empty(x) else None


def _wrap(func: Callable[..., Any], row: bool) -> Callable[..., Any]:
    """A kinerja function as a ``formulas`` function: an error in an argument is passed on, NilaiGalat → XlError."""
    import numpy as np
    from formulas.functions import Error, wrap_func

    def run(*args: Any) -> Any:
        try:
            inputs = [_from_formulas(a) for a in args]
        except _ArgumentError as e:
            return e.error
        result = to_sheet(func(*inputs), lambda g: Error.errors[g.kode], row)
        return np.asarray(result, dtype=object) if isinstance(result, list) else result

    return wrap_func(functools.update_wrapper(run, func))


def register_formulas() -> dict[str, Callable[..., Any]]:
    """Register every KINERJA.* function in ``formulas.get_functions()`` and return those registered.

    Call it before ``formulas.ExcelModel().loads(...)``: the formulas parser checks function
    names while it reads formulas. A dotted name (``KINERJA.CAPAIAN``) is parsed whole as one
    function name, so the key is exactly the Excel name in upper case. A list result becomes an
    array (a column; ``IKM_NRR`` a row) for array formulas.
    """
    import formulas

    fs = formulas.get_functions()
    added = {name: _wrap(f, name in HASIL_BARIS) for name, f in FUNGSI.items()}
    fs.update(added)
    return added
