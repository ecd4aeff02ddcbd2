"""Derived cells computed column by column (workbooks.compute, workbooks.rules.evaluate_rows, the column forms of
the udfs) give exactly what the rules give cell by cell, on every form's layout filled with awkward values."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

import udfs
from udfs._agregat import weighted_sum
from udfs._args import as_numbers, cells, number_column
from udfs.anggaran import kumulatif_rows
from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.checks import Context, required_when_below
from macros.validation.findings import Findings
from udfs.errors import NilaiGalat
from workbooks.checks import RequiredWhenBelow
from workbooks.compute import Derived, Sheet, present
from workbooks.forms import LAYOUTS
from workbooks.model import Layout, Peran, Rule
from workbooks.numbers import to_float
from workbooks.reader import CellValue, SheetData, TableData
from workbooks.rules import CALCS, _num0, cell_value, evaluate, evaluate_rows

# blank, placeholders, text, NaN, infinities, signed zeros, negatives, above 100, huge, ints, bools, error values,
# Indonesian number text, polarity / method names, range targets, dates
EDGE = [None, "", " ", "-", "--", "teks", "#DIV/0!", "#N/A", float("nan"), float("inf"), -float("inf"), 0.0, -0.0,
        -5.0, 37.5, 100.0, 150.0, 1e308, -1e308, 3, 0, True, "12,5", "1.234,56", "maksimal", "minimal", "rentang",
        "80-90", "permenpanrb-14-2017", "SS1", "SS1 ", 1.0, 2.0, 4.0, NilaiGalat("#VALUE!", "x")]


def same(a, b) -> bool:
    """Equal values of the same type (NaN equal to NaN, -0.0 not equal to 0.0); lists element by element."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, NilaiGalat):
        return (a.kode, str(a)) == (b.kode, str(b))
    return a == b


def filled(layout: Layout, seed: int, pool: list, typed: bool = False) -> SheetData:
    """``layout`` with every table cell and field drawn from ``pool`` (tables of different lengths, rows with gaps,
    so that rows pair across tables by position). ``typed``: numeric columns hold floats (NaN for anything else),
    as the reader types them."""
    rnd = random.Random(seed)
    tables = {}
    for n, t in enumerate(layout.tables):
        count = rnd.randint(0, 12)
        rows = sorted(rnd.sample(range(11, 40), count))
        keys = [c.key for c in t.columns]
        data = {c.key: [rnd.choice(pool) for _ in rows] for c in t.columns}
        values = pd.DataFrame({c.key: pd.Series(
            [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else math.nan for v in data[c.key]],
            dtype=float) if typed and c.jenis.numeric else pd.Series(data[c.key], dtype=object) for c in t.columns},
            columns=keys)
        cells = {k: [f"{chr(65 + j % 26)}{r}" for r in rows] for j, k in enumerate(keys)}
        total = None
        if t.total is not None:
            total = {k: CellValue(rnd.choice(pool), None, f"S!Z{n}{j}") for j, k in enumerate(t.total.rules)}
        tables[t.key] = TableData(t, "S", 10, rows, values, {}, total, 41 if total else None,
                                  {k: j + 1 for j, k in enumerate(keys)}, cells)
    fields = {f.key: CellValue(rnd.choice(pool), None, f"S!B{j + 1}") for j, f in enumerate(layout.fields)}
    return SheetData("S", layout, "", fields, tables)


def cell_by_cell(sd: SheetData) -> tuple[dict, list[Derived]]:
    """Every derived value computed one cell at a time through the row resolver, then the totals and fields
    (the reference: what Sheet.compute did before it computed whole columns), and the Derived list it gave."""
    s, out = Sheet(sd), []
    for tkey, td in sd.tables.items():
        for c in td.table.columns:
            if c.peran is Peran.TURUNAN and c.rule is not None:
                for i in range(len(td.rows)):
                    s._set(tkey, i, c.key, evaluate(c.rule, s._resolve_row(tkey, i)))
                    out.append(Derived(td.address(i, c.key), tkey, i, c.key, s.computed[(tkey, i, c.key)]))
    for tkey, td in sd.tables.items():
        for key, rule in (td.table.total.rules if td.table.total else {}).items():
            s.computed[(tkey, None, key)] = evaluate(rule, s._resolve_col(tkey))
            addr = td.total[key].address if td.total and key in td.total else ""
            out.append(Derived(addr, tkey, None, key, s.computed[(tkey, None, key)]))
    for f in sd.layout.fields:
        if f.rule is not None:
            s.computed[(None, None, f.key)] = evaluate(f.rule, s._resolve_col(None))
            out.append(Derived(sd.fields[f.key].address if f.key in sd.fields else "", None, None, f.key,
                               s.computed[(None, None, f.key)]))
    return s.computed, out


def outcome(f):
    try:
        return f()
    except Exception as exc:  # noqa: BLE001 - both ways must fail alike
        return ("raised", type(exc).__name__, str(exc))


def both_ways(sd: SheetData) -> tuple[Sheet, tuple | None, tuple | None]:
    """The view, (computed, Derived list) of Sheet.compute and of :func:`cell_by_cell`; None for both when the
    two raised (alike)."""
    want = outcome(lambda: cell_by_cell(sd))
    view = Sheet(sd)
    got = outcome(lambda: (view.computed, view.compute()))
    if want[0] == "raised" or got[0] == "raised":
        assert got == want
        return view, None, None
    return view, got, want


@pytest.mark.parametrize("form", sorted(LAYOUTS))
@pytest.mark.parametrize("seed", range(12))
def test_columns_equal_cells_on_every_form(form, seed):
    pool = EDGE if seed % 3 else [None, "-", 0.0, -0.0, 12.5, 150.0, -3.0, "SS1", "teks"]
    sd = filled(LAYOUTS[form], seed, pool, typed=seed % 2 == 1)
    view, got, want = both_ways(sd)
    if got is None:
        return
    (got, derived), (want, want_derived) = got, want
    assert [type(d) for d in derived] == [Derived] * len(want_derived)
    assert same(derived, want_derived)
    assert got.keys() == want.keys()
    assert all(same(got[k], want[k]) for k in want), [k for k in want if not same(got[k], want[k])]
    # the effective view agrees with what each cell holds, else what it computes to
    for tkey, td in sd.tables.items():
        for key in td.values.columns:
            for i, v in enumerate(td.values[key].tolist()):
                assert same(view.value(tkey, i, key), v if present(v) else want.get((tkey, i, key)))


def test_the_forms_rules_read_other_tables_spans_and_whole_columns():
    """The test above meets these kinds of argument (literals and fields: the test below)."""
    refs = [r for lay in LAYOUTS.values() for t in lay.tables for c in t.columns if c.rule for r in c.rule.args]
    assert any(r.endswith("[]") for r in refs)
    assert any(":" in r for r in refs)
    assert any("." in r and not r.endswith("[]") for r in refs)


@pytest.mark.parametrize("args", [
    ("c3_lalu_keu_R", "realisasi.c11_sd_keu_R[]"),  # its own column: row by row, the rows above computed
    ("c11_sd_keu_R", "c7_ini_keu_R"),
    ("realisasi.c11_sd_keu_R", "c7_ini_keu_R"),
    ("c10_sd_keu_S:c11_sd_keu_R",),  # a span holding its own column
    ("c3_lalu_keu_R", "@pagu_satker_rp000"),  # a field
    ("'12.5'", "c7_ini_keu_R"),  # a literal
    ("c6_ini_keu_S", "anggaran.c5_total_rp000[]"),  # another table's column, after its own derived column
])
@pytest.mark.parametrize("fn", ["kumulatif", "jumlah", "kali", "capaian"])
def test_unusual_arguments_give_what_each_cell_gives(fn, args):
    from dataclasses import replace

    from workbooks.forms.form_a import FORM_A

    real = FORM_A.realisasi
    key = real.c11_sd_keu_R
    cols = tuple(replace(c, rule=Rule(fn, args)) if c.key == key else c for c in real.columns)
    lay = replace(FORM_A, tables=tuple(replace(t, columns=cols) if t.key == real.key else t for t in FORM_A.tables))
    for seed in range(4):
        _, got, want = both_ways(filled(lay, seed, [None, 1.0, 2.0, "-", -0.0, 150.0, "teks"]))
        assert got is None or same(list(got[0].items()), list(want[0].items())) and same(got[1], want[1])


def test_evaluate_rows_equals_evaluate_for_every_row_calculation():
    rnd = random.Random(7)
    for name, calc in CALCS.items():
        for arity in (1, 2, 3):
            columns = [[rnd.choice(EDGE) for _ in range(60)] for _ in range(arity)]
            rule = Rule(name, tuple(f"a{j}" for j in range(arity)))
            try:
                want = [evaluate(rule, lambda ref: columns[int(ref[1:])][i]) for i in range(60)]
            except TypeError:
                continue  # not a calculation of that many arguments
            except Exception as exc:  # noqa: BLE001
                want = ("raised", type(exc).__name__)
            try:
                got = evaluate_rows(rule, columns)
            except Exception as exc:  # noqa: BLE001
                got = ("raised", type(exc).__name__)
            assert same(got, want) if isinstance(want, list) else got == want, name


def test_kumulatif_rows_equals_kumulatif_on_edge_values():
    pairs = [(a, b) for a in EDGE for b in EDGE]
    got = kumulatif_rows([a for a, _ in pairs], [b for _, b in pairs])
    for (a, b), g in zip(pairs, got):
        assert same(g, udfs.kumulatif(a, b)), (a, b, g)
    assert same(kumulatif_rows([-0.0, 0.0, -0.0], [-0.0, -0.0, 0.0]), [0.0, 0.0, 0.0])
    assert kumulatif_rows([10.0, "-", None, 1e308], [20.5, 2.0, None, 1e308]) == [30.5, 2.0, 0.0, math.inf]
    assert isinstance(kumulatif_rows(["teks"], [1.0])[0], NilaiGalat)


def test_cell_value_and_the_number_fast_paths():
    for v in EDGE:
        assert same(_num0(v), 0.0 if to_float(v) is None else to_float(v)), v
    assert cell_value(2.5) == 2.5 and cell_value("") is None and cell_value(NilaiGalat("#N/A", "x")) is None
    assert cell_value([7.0]) == 7.0 and cell_value((1.0, 2.0)) == (1.0, 2.0) and cell_value("a") == "a"


def required_when_below_per_row(spec, ctx) -> None:
    """The V06k check as it was written before it read whole columns (the reference)."""
    sd, at = ctx.sd, spec.at
    td = sd.tables[at.table]
    named = sd.tables[spec.named_in.table]
    text = " ".join({str(v).casefold() for v in named.values[spec.named_in].tolist() if present(v)})
    for i in range(len(td.rows)):
        nums = [[x if isinstance(x, (int, float)) else None for x in (ctx.view.value(at.table, i, s),
                                                                       ctx.view.value(at.table, i, r))]
                for s, r in spec.pairs]
        below = any(present(a) and present(b) and b < a - TOL_PCT for a, b in nums)
        names = []
        for key in spec.names:
            other = sd.tables[key.table]
            j = i if key.table == at.table else other.offsets.get(td.offset(i))
            if j is not None:
                names.append(other.values.at[j, key])
            elif key in td.values.columns:
                names.append(td.values.at[i, key])
            else:
                names.append(None)
        if below and not any(present(x) and str(x).casefold() in text for x in names):
            ctx.out.add(spec.rule, td.address(i, at), "Kendala", None, "diisi di bagian IV",
                        output=angka(next((x for x in names if x), names[-1])))


@pytest.mark.parametrize("seed", range(16))
def test_required_when_below_on_columns_equals_row_by_row(seed):
    from workbooks.forms.form_a import FORM_A

    spec = next(c for c in FORM_A.checks if isinstance(c, RequiredWhenBelow))
    names = ["Output AAA", "AAA", "aaa", "Output BBB", 12.0, 7, None, "-", math.nan]
    pool = [None, "-", "teks", math.nan, -0.0, 0.0, -5.0, 10.0, 10.5, 20.0, 100.0, 150.0, True, 3, *names]
    sd = filled(FORM_A, seed, pool, typed=seed % 2 == 0)
    out, want = Findings("x"), Findings("x")
    view = Sheet(sd)
    view.compute()
    required_when_below(spec, Context(sd, view, out))
    required_when_below_per_row(spec, Context(sd, view, want))
    assert [(f.rule, f.cell, f.message) for f in out.items] == [(f.rule, f.cell, f.message) for f in want.items]
    if seed == 0:
        assert out.items  # the pool makes rows fall below their sasaran with no kendala naming them


def cells_reference(x):
    """udfs._args.cells as it was written before its one-pass loop."""
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if not isinstance(x, (list, tuple, np.ndarray)):
        return [x]
    out = []
    for v in x:
        out.extend(cells_reference(v) if isinstance(v, (list, tuple, np.ndarray)) else [v])
    return out or [None]


def test_cells_number_column_and_weighted_sum_equal_their_cell_by_cell_forms():
    rnd = random.Random(3)
    shapes = [[], [[]], 5.0, "-", None, np.array([1.0, np.nan]), np.array([[1.0, 2.0], [3.0, 4.0]]),
              [1.0, [2.0, [3.0]]], (1.0, "teks"), [np.array([1.0, 2.0]), 3.0]]
    shapes += [[rnd.choice(EDGE) for _ in range(rnd.randint(1, 30))] for _ in range(300)]
    for x in shapes:
        assert same(cells(x), cells_reference(x))
        ref = as_numbers(*cells_reference(x))
        assert same(number_column(x), ref if isinstance(ref, NilaiGalat) else list(ref)), x
    numbers = [0.0, -0.0, 1.0, 2.5, -3.0, 100.0, 150.0, 1e308, -1e308, 1e-308]
    for k in range(600):
        n = rnd.randint(1, 20)
        blanks = [] if k % 2 else [None, "-", "", "teks"]  # every other case: numbers only
        v = [rnd.choice(numbers + blanks) for _ in range(n)]
        w = [rnd.choice(numbers + blanks) for _ in range(n + (k % 50 == 0))]
        nv, nw = as_numbers(*cells_reference(v)), as_numbers(*cells_reference(w))
        err = next((e for e in (nv, nw) if isinstance(e, NilaiGalat)), None)
        if err is None and len(nv) != len(nw):
            err = NilaiGalat("#VALUE!", "Jumlah sel nilai dan pagu tidak sama")
        want = err or (sum((a or 0.0) * (b or 0.0) for a, b in zip(nv, nw)), sum(b or 0.0 for b in nw))
        assert same(weighted_sum(v, w), want), (v, w)
