"""Issue 3: invariants of the calculation engine, checked with hypothesis and exhaustively on 2-dp grids."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import udfs
from udfs import NilaiGalat

positive = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)
money = st.floats(min_value=1, max_value=1e12, allow_nan=False, allow_infinity=False)
pct = st.floats(min_value=0, max_value=100, allow_nan=False)
blank = st.sampled_from([None, "", "-", "--", float("nan")])


@given(positive, st.sampled_from(udfs.POLARITAS))
def test_capaian_of_realisasi_equal_to_target_is_100_for_every_polarity(t, polaritas):
    assert udfs.capaian(t, t, polaritas) == pytest.approx(100)


@given(positive, positive, st.floats(0, 1))
def test_capaian_rentang_is_100_inside_and_continuous_at_the_bounds(a, b, f):
    lo, hi = sorted((a, b))
    assert udfs.capaian((lo, hi), lo + f * (hi - lo), "rentang") == pytest.approx(100)
    assert udfs.capaian(f"{lo}-{hi}", hi, "rentang-minimal") == pytest.approx(100)


@given(st.lists(st.tuples(positive, positive), min_size=1, max_size=20), st.sampled_from(udfs.POLARITAS[:4]))
def test_vectorised_capaian_equals_the_scalar_one_row_by_row(rows, polaritas):
    t, r = zip(*rows)
    col = udfs.capaian([[x] for x in t], np.array(r).reshape(-1, 1), polaritas)
    col = col if isinstance(col, list) else [col]
    assert col == pytest.approx([udfs.capaian(x, y, polaritas) for x, y in rows])


@given(positive, positive, st.floats(50, 200))
def test_batas_caps_and_never_raises(t, r, batas):
    assert udfs.capaian(t, r, batas=batas) <= batas


@given(st.lists(st.tuples(pct, money), min_size=1, max_size=30))
def test_weighted_mean_lies_between_min_and_max(rows):
    values, weights = zip(*rows)
    got = udfs.rata_tertimbang(list(values), [[w] for w in weights])
    assert min(values) - 1e-9 <= got <= max(values) + 1e-9


@given(st.lists(st.tuples(pct, money), min_size=1, max_size=30), money)
def test_kontribusi_of_all_outputs_with_the_summed_pagu_is_the_weighted_mean(rows, extra):
    values, weights = zip(*rows)
    assert udfs.kontribusi(values, weights, sum(weights)) == pytest.approx(udfs.rata_tertimbang(values, weights))
    assert udfs.kontribusi(values, weights, sum(weights) + extra) <= udfs.rata_tertimbang(values, weights) + 1e-9


@given(st.lists(st.tuples(money, money, money), min_size=1, max_size=20))
def test_p3dn_rollup_equals_the_ratio_of_sums(rows):
    real, tkdn, pagu = (list(c) for c in zip(*rows))
    got = udfs.p3dn(real, pagu)
    assert got == pytest.approx(sum(real) / sum(pagu) * 100, rel=1e-9)
    # the pooled value is the pagu-weighted mean of the parts, not their plain mean
    assert got == pytest.approx(udfs.rata_tertimbang([udfs.p3dn(r, p) for r, p in zip(real, pagu)], pagu), rel=1e-9)
    assert udfs.p3dn_eselon1(real, tkdn, pagu) == pytest.approx((sum(real) + sum(tkdn)) / sum(pagu) * 100, rel=1e-9)
    assert udfs.rasio_gabungan(real, pagu) == pytest.approx(got, rel=1e-12)


@given(st.lists(st.one_of(pct, blank), min_size=1, max_size=20), st.lists(st.one_of(pct, blank), min_size=1,
                                                                           max_size=20))
def test_blanks_and_dashes_count_as_zero_in_sums(lalu, ini):
    n = min(len(lalu), len(ini))
    got = udfs.kumulatif(lalu[:n], ini[:n])
    got = got if isinstance(got, list) else [got]

    def z(v):
        return 0.0 if v is None or isinstance(v, str) or v != v else v

    assert got == pytest.approx([z(a) + z(b) for a, b in zip(lalu, ini)])


answers = st.integers(1, 30).flatmap(
    lambda n: st.lists(st.lists(st.one_of(st.integers(1, 4), st.none()), min_size=9, max_size=9),
                       min_size=n, max_size=n))


@settings(max_examples=80)
@given(answers)
def test_indeks_stays_within_its_scales(m):
    nilai = udfs.ikm(m)
    if any(all(r[j] is None for r in m) for j in range(9)):  # an unsur nobody answered
        assert isinstance(nilai, NilaiGalat) and nilai.kode == "#DIV/0!"
        return
    assert 1 <= nilai <= 4
    assert 25 <= udfs.ikm_konversi(nilai) <= 100
    assert udfs.ikm_mutu(nilai)[0] in "ABCD"
    nrr = udfs.ikm_nrr(m)
    assert all(1 <= x <= 4 for x in nrr) and nilai == pytest.approx(sum(nrr) / 9)


# printed bands (DOMAIN R13/R14) as inclusive 2-dp intervals
BANDS_14_2017 = {"A": (88.31, 100.00), "B": (76.61, 88.30), "C": (65.00, 76.60), "D": (25.00, 64.99)}
BANDS_25_2004 = {"A": (3.26, 4.00), "B": (2.51, 3.25), "C": (1.76, 2.50), "D": (1.00, 1.75)}


@pytest.mark.parametrize("metode, bands, lo, hi", [
    ("permenpanrb-14-2017", BANDS_14_2017, 2500, 10000),
    ("kepmenpan-25-2004", BANDS_25_2004, 100, 400),
])
def test_mutu_bands_cover_every_2dp_value_exactly_once(metode, bands, lo, hi):
    for cents in range(lo, hi + 1):
        v = cents / 100
        inside = [k for k, (a, b) in bands.items() if a <= v <= b]
        assert len(inside) == 1, v  # the printed table has no gap and no overlap at 2 dp
        assert udfs.ikm_mutu(v, metode)[0] == inside[0], v


@given(st.floats(25, 100))
def test_mutu_classifies_the_value_rounded_half_up_to_2dp(v):
    r = float(Decimal(repr(v)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    want = next(k for k, (a, b) in BANDS_14_2017.items() if a <= r <= b)
    assert udfs.ikm_mutu(v)[0] == want
    assert udfs.ikm_mutu(v / 25)[0] in "ABCD"


@given(st.floats(0, 100))
def test_sakip_predicate_is_defined_on_the_whole_scale(v):
    assert udfs.predikat(v) in ("AA", "A", "BB", "B", "CC", "C", "D")


@given(st.integers(1, 200_000))
def test_krejcie_morgan_sample_is_between_1_and_384_and_not_above_n(n):
    s = udfs.ikm_sampel(n)
    assert 1 <= s <= min(n, 384)


@given(st.decimals(min_value=-1000, max_value=1000, places=3))
def test_bulat_is_half_up_on_the_printed_decimal(d):
    expected = float(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert udfs.bulat(float(d)) == expected
