"""Each derivation once: how it reads in Excel and how it computes in Python.

A :class:`~workbooks.model.Rule` names one of the calculations below. The
Python side calls the tested functions in :mod:`udfs`; the Excel side is a
native formula where Excel can say it simply (sums, SUMPRODUCT weighted
means, cumulative columns) and a ``KINERJA.*`` custom function where domain
logic is needed (capaian, Indeks Kepuasan Masyarakat, P3DN).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import udfs
from udfs.errors import NilaiGalat
from workbooks.model import Rule
from workbooks.numbers import to_float

Value = Any
Resolve = Callable[[str], Value]  # ref -> scalar (row rules) or list (column refs)


def _num0(v: Value) -> float:
    x = to_float(v)
    return 0.0 if x is None else x


def _jumlah(*xs: Value) -> float:
    return sum(_num0(x) for x in xs)


def _salin(x: Value) -> Value:
    return x


def _sum_col(col: Sequence[Value]) -> float:
    return _jumlah(*col)


@dataclass(frozen=True)
class Calc:
    python: Callable[..., Value]
    excel: Callable[..., str]  # receives rendered refs, returns formula body (no "=")
    native: bool = True


def _udf(name: str) -> Callable[..., str]:
    return lambda *refs: f"KINERJA.{name}({','.join(refs)})"


CALCS: dict[str, Calc] = {
    # row rules
    "jumlah": Calc(_jumlah, lambda *r: "+".join(f"N({x})" for x in r)),
    "kumulatif": Calc(lambda a, b: udfs.kumulatif(a, b), lambda a, b: f"N({a})+N({b})"),
    "salin": Calc(_salin, lambda a: f'IF({a}="","",{a})'),
    "capaian": Calc(lambda t, r, p="maksimal": udfs.capaian(t, r, p or "maksimal"),
                    lambda t, r, p: f'IF(OR({t}="",{r}=""),"",{_udf("CAPAIAN")(t, r, p)})', native=False),
    "p3dn": Calc(lambda r, p, a=None: udfs.p3dn(r, p, a),
                 lambda r, p, a: f'IF(SUM({p})=0,"",{_udf("P3DN")(r, p, a)})', native=False),
    "ikm": Calc(lambda j, m: udfs.ikm(j, m), lambda j, m: f'IF(COUNT({j})=0,"",{_udf("IKM")(j, m)})', native=False),
    "ikm_konversi": Calc(lambda x: udfs.ikm_konversi(x),
                         lambda x: f'IF({x}="","",{_udf("IKM_KONVERSI")(x)})', native=False),
    "ikm_mutu": Calc(lambda x, m: udfs.ikm_mutu(x, m), lambda x, m: f'IF({x}="","",{_udf("IKM_MUTU")(x, m)})',
                     native=False),
    "ikm_sampel": Calc(lambda n: udfs.ikm_sampel(n), lambda n: f'IF(N({n})=0,"",{_udf("IKM_SAMPEL")(n)})',
                       native=False),
    # column (total) rules
    "sum": Calc(_sum_col, lambda r: f"SUM({r})"),
    "kontribusi": Calc(
        lambda col, bobot, penyebut: udfs.kontribusi(col, bobot, penyebut),
        lambda col, bobot, pen: f'IF(N({pen})=0,"",SUMPRODUCT({bobot},{col})/{pen})',
    ),
    "tertimbang": Calc(
        lambda col, bobot: udfs.rata_tertimbang(col, bobot),
        lambda col, bobot: f'IF(SUM({bobot})=0,"",SUMPRODUCT({bobot},{col})/SUM({bobot}))',
    ),
    "nrr": Calc(lambda col: udfs.ikm_nrr(col), lambda col: f'IF(COUNT({col})=0,"",AVERAGE({col}))'),
}


def is_literal(ref: str) -> bool:
    return ref.startswith("'") and ref.endswith("'")


def formula(rule: Rule, render: Callable[[str], str]) -> str:
    """The Excel formula for ``rule``; ``render`` turns a ref into A1 text."""
    refs = [f'"{r[1:-1]}"' if is_literal(r) else render(r) for r in rule.args]
    return "=" + CALCS[rule.fn].excel(*refs)


def evaluate(rule: Rule, resolve: Resolve) -> float | str | None:
    """Compute ``rule`` in Python; None where the result is an error value."""
    args = [r[1:-1] if is_literal(r) else resolve(r) for r in rule.args]
    result = CALCS[rule.fn].python(*args)
    if isinstance(result, NilaiGalat):
        return None
    if isinstance(result, (list, tuple)):  # a one-cell range result
        result = result[0] if len(result) == 1 else result
    return result
