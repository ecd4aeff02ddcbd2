"""The Excel names of the functions (namespace KINERJA) and their registration in `formulas`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import udfs

FUNGSI: dict[str, Callable[..., Any]] = {
    f"KINERJA.{name.upper()}": getattr(udfs, name)
    for name in (
        "capaian", "capaian_rata", "predikat", "p3dn", "p3dn_eselon1", "ikm", "ikm_nrr", "ikm_konversi", "ikm_mutu",
        "ikm_sampel", "penyerapan", "rata_tertimbang", "kontribusi", "kumulatif", "pertumbuhan", "efisiensi",
        "rasio_gabungan",
    )
}


def _to_python(x: Any) -> Any:
    """formulas passes numpy arrays holding numbers, strings, `formulas` empty markers and XlErrors."""
    from formulas.functions import XlError  # local import: formulas is a test/dev dependency

    if type(x).__name__ == "Ranges":
        return _to_python(x.value)
    if hasattr(x, "tolist"):
        return _to_python(x.tolist())
    if isinstance(x, list):
        return [_to_python(v) for v in x]
    if isinstance(x, XlError):
        return None
    from formulas.functions import is_not_empty

    if not is_not_empty(x):  # schedula's EMPTY token (a str subclass) marks an empty cell
        return None
    return x


def register_formulas() -> dict[str, Callable[..., Any]]:
    """Register every KINERJA.* function in the `formulas` package (for evaluating our templates)."""
    import formulas
    from formulas.functions import Error

    functions = formulas.get_functions()

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            out = fn(*[_to_python(a) for a in args])
            if isinstance(out, udfs.NilaiGalat):
                return Error.errors.get(out.kode, Error.errors["#VALUE!"])
            if isinstance(out, list):
                return out[0] if len(out) == 1 else out
            return out

        return call

    for name, fn in FUNGSI.items():
        functions[name] = wrap(fn)
    return functions
