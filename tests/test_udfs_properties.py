"""Issue 3: invariants of the calculation engine (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import udfs

positive = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)
pct = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(positive, st.sampled_from(["maksimal", "minimal", "minimal-tr", "stabil"]))
def test_capaian_of_realisasi_equal_to_target_is_100(t, pol):
    assert udfs.capaian(t, t, pol) == pytest.approx(100)


@given(positive, positive)
def test_capaian_rentang_inside_the_range_is_100(a, b):
    lo, hi = sorted((a, b))
    assert udfs.capaian([[lo, hi]], (lo + hi) / 2, "rentang") == pytest.approx(100)


@given(st.lists(st.tuples(pct, positive), min_size=1, max_size=30))
def test_weighted_mean_lies_between_min_and_max(rows):
    values, weights = zip(*rows)
    got = udfs.rata_tertimbang(list(values), list(weights))
    assert min(values) - 1e-9 <= got <= max(values) + 1e-9


@given(st.lists(st.tuples(positive, positive), min_size=1, max_size=20))
def test_p3dn_rollup_equals_the_ratio_of_sums(rows):
    real, pagu = zip(*rows)
    got = udfs.p3dn(list(real), list(pagu))
    assert got == pytest.approx(sum(real) / sum(pagu) * 100, rel=1e-9)
    parts = [udfs.p3dn(r, p) for r, p in rows]
    # the pooled value is the pagu-weighted mean of the parts, not their plain mean
    assert got == pytest.approx(udfs.rata_tertimbang(parts, list(pagu)), rel=1e-9)


@settings(max_examples=60)
@given(st.integers(1, 12).flatmap(lambda n: st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9),
                                                      min_size=n, max_size=n)))
def test_indeks_stays_within_its_scale(answers):
    nilai = udfs.ikm(answers)
    assert 1 <= nilai <= 4
    assert 25 <= udfs.ikm_konversi(nilai) <= 100
    assert udfs.ikm_mutu(nilai)[0] in "ABCD"


def test_mutu_bands_cover_the_whole_scale_without_gaps():
    seen = {}
    for cents in range(2500, 10001):  # every 2-dp value of the 25–100 scale
        v = cents / 100
        seen[v] = udfs.ikm_mutu(v / 25)[0]
    assert seen[65.0] == "C" and seen[64.99] == "D" and seen[76.61] == "B" and seen[76.6] == "C"
    assert seen[88.31] == "A" and seen[88.3] == "B" and set(seen.values()) == {"A", "B", "C", "D"}
    old = {c / 100: udfs.ikm_mutu(c / 100, "kepmenpan-25-2004")[0] for c in range(100, 401)}
    assert old[1.75] == "D" and old[1.76] == "C" and old[2.5] == "C" and old[2.51] == "B"
    assert old[3.25] == "B" and old[3.26] == "A" and len(old) == 301


@given(st.decimals(min_value=0, max_value=1000, places=3))
def test_bulat_is_half_up(d):
    expected = float(Decimal(d).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
    assert udfs.bulat(float(d)) == expected
