"""Phase 3, derived cells: every derived cell holding a typed value against its rule, formulas against the
layout's, the Total rows, values typed under a Total row, and paired tables (FORM A II and III) row by row."""

from __future__ import annotations

import math
from typing import Any

import udfs
from macros.validation.catalogue import CATALOGUE, TOL_PCT, angka
from macros.validation.findings import Findings
from workbooks.compute import Sheet, present
from workbooks.model import Jenis, Table
from workbooks.reader import SheetData
from workbooks.verify import expected_formulas, filled_blank_rows, normalise

RULE_OF_CALC = {"kumulatif": "V10", "kontribusi": "V08", "tertimbang": "V09", "sum": "V07", "jumlah": "V07",
                "capaian": "V11", "salin": "V05b", "p3dn": "V24", "nrr": "V25", "ikm": "V25",
                "ikm_konversi": "V25", "ikm_mutu": "V25", "ikm_sampel": "V25", "capaian_tahunan": "V11",
                "capaian_rata_kelompok": "V11", "survei": "V25", "survei_kelompok": "V25", "survei_responden": "V25"}


def matches(jenis: Jenis, typed: Any, computed: Any) -> tuple[bool, bool]:
    """(the typed value matches the computed one, it matches only when truncated)."""
    if not jenis.numeric:
        return str(typed).strip() == ("" if computed is None else str(computed).strip()), False
    t = typed if isinstance(typed, (int, float)) else None
    if t is None or computed is None or not isinstance(computed, (int, float)):
        return (t is None and computed is None) or (t == 0 and computed is None), False
    if jenis in (Jenis.RP, Jenis.RP000, Jenis.CACAH):
        return abs(t - computed) < 0.5, False
    if abs(t - computed) <= TOL_PCT + 1e-9:
        return True, False
    decimals = 0 if float(t).is_integer() else min(len(repr(float(t)).split(".")[1]), 4)
    if decimals < 2 and udfs.bulat(computed, decimals) == t:  # printed at a coarser precision, rounded half-up
        return True, False
    trunc = math.floor(computed * 10 ** decimals) / 10 ** decimals
    return False, abs(trunc - t) < 1e-9


def derived_cell(sd: SheetData, view: Sheet, d: Any) -> tuple[Jenis, str, Any, Any]:
    """(type, label, rule, value the cell holds) of a derived cell."""
    if d.table is None:
        f = sd.layout.field(d.key)
        cv = sd.fields.get(d.key)
        return f.jenis, f.label, f.rule, cv.value if cv else None
    td = sd.tables[d.table]
    c = td.table.column(d.key)
    if d.row is None:
        cv = (td.total or {}).get(d.key)
        return (c.jenis, f"{td.table.total.label} {c.label}", td.table.total.rules[d.key],  # type: ignore[union-attr]
                cv.value if cv else None)
    return c.jenis, c.label, c.rule, view.typed(d.table, d.row, d.key)


def check_derived(sd: SheetData, view: Sheet, derived: list, out: Findings) -> None:
    """A derived cell holding a typed value (not a formula) must hold what its rule computes."""
    for d in derived:
        if not d.address:
            continue
        jenis, label, rule, typed = derived_cell(sd, view, d)
        if not present(typed) or sd.is_formula(d.address):
            continue  # a formula computes it, or nothing was typed
        ok, truncated = matches(jenis, typed, d.value)
        if ok:
            continue
        rid = RULE_OF_CALC.get(rule.fn, "V07") if rule else "V07"
        if rid == "V11" and truncated:
            rid = "V11b"
        expected = d.value if d.value is not None else "tidak dapat dihitung"
        why = rule.doc if rule and rule.doc else CATALOGUE[rid].title
        out.add(rid, d.address, label, typed, expected, label=label, typed=angka(typed), expected=angka(expected),
                why=why)


def check_formulas(sd: SheetData, view: Sheet, derived: list, out: Findings) -> None:
    """A derived cell holding a formula must hold the layout's formula, and its cached value what it computes to; a
    derived cell of a data row must not be empty where the layout puts a formula."""
    if sd.formula_text is None:
        return  # values only (e.g. grids sent by a front end): nothing to compare
    expected = expected_formulas(sd)
    for d in derived:
        if not d.address:
            continue
        cell = d.address.rsplit("!", 1)[-1]
        text = sd.formula_text.get(cell)
        want = expected.get(cell)
        if text is None:  # typed (the typed-value checks apply) or empty
            if want and d.row is not None and not present(sd.tables[d.table].raw_value(d.row, d.key)):
                # empty in a data row: its formula is gone (a row inserted with Excel's Insert Row, or cleared)
                label = sd.tables[d.table].table.column(d.key).label
                out.add("V28b", d.address, label, None, "rumus templat", label=label)
            continue
        jenis, label, rule, cached = derived_cell(sd, view, d)
        if want and normalise(text) not in want:
            out.add("V28", d.address, label, "=" + text[:120], "rumus templat", label=label,
                    formula=angka("=" + text[:60]))
            continue
        if not present(cached) or isinstance(cached, str) and cached.strip().startswith("#"):
            continue  # no cached result (saved without recalculation) or an error value (phase 1: V01, or counted
            # on the cell it follows from, cells.cascade)
        ok, _ = matches(jenis, cached, d.value)
        if not ok:
            exp = d.value if d.value is not None else "tidak dapat dihitung"
            out.add("V28", d.address, label, cached, exp, "nilai", label=label, cached=angka(cached),
                    expected=angka(exp))


def check_total_rows(sd: SheetData, out: Findings) -> None:
    """Every table with a Total row still has it, and it is not emptied."""
    for td in sd.tables.values():
        t = td.table
        if not t.total or not td.rows:
            continue
        if td.total is None:
            out.add("V06b", f"{td.sheet}!{td.cells.iat[len(td.rows) - 1, 0]}", t.total.label, None, "ada", "hilang",
                    total=t.total.label)
            continue
        cells = list(td.total.values())
        if all(not present(cv.value) and sd.is_formula(cv.address) is False for cv in cells):
            out.add("V06b", cells[0].address, t.total.label, None, "terisi", total=t.total.label)


def check_below_total(sd: SheetData, out: Findings) -> None:
    """Values typed under a Total row are not counted."""
    for td in sd.tables.values():
        for key, cell, raw in td.below_total:
            c = td.table.column(key)
            out.add("V31", f"{td.sheet}!{cell}", c.label, raw, "kosong", label=c.label, raw=angka(raw),
                    total=td.table.total.label)  # type: ignore[union-attr]


def check_typed_blank_rows(sd: SheetData, out: Findings) -> None:
    """A derived cell typed over in a table row holding no other data (its formula is gone; nothing else flags it)."""
    for td in sd.tables.values():
        for key, cell, raw in filled_blank_rows(sd, td):
            if sd.is_formula(cell) is False:
                c = td.table.column(key)
                out.add("V28", f"{td.sheet}!{cell}", c.label, raw, "rumus templat", "ketikan", label=c.label,
                        raw=angka(raw))


def pairings(table: Table) -> list[tuple[str, str, str]]:
    """(this key column, other table, other key column) for row-key columns copied from another table."""
    out = []
    for c in table.columns:
        if c.rule is not None and c.rule.fn == "salin" and c.key in table.row_key and "." in c.rule.args[0]:
            other, okey = c.rule.args[0].split(".", 1)
            out.append((c.key, other, okey))
    return out


def check_pairs(sd: SheetData, view: Sheet, out: Findings) -> None:
    """Paired tables (FORM A II and III) pair rows by key: every row has its twin holding the same key."""
    for tkey, td in sd.tables.items():
        for key, other, okey in pairings(td.table):
            if other not in sd.tables:
                continue
            od = sd.tables[other]
            theirs, mine, twins = od.offsets, td.offsets, od.values[okey].tolist()
            label, olabel = td.table.title or tkey, od.table.title or other
            codes = [view.value(tkey, i, key) for i in range(len(td.rows))]
            held = {str(code).strip() for code in codes if present(code)}
            for off, i in mine.items():
                code = view.value(tkey, i, key)
                j = theirs.get(off)
                twin = twins[j] if j is not None else None
                if not present(twin) or (present(code) and str(code).strip() != str(twin).strip()):
                    out.add("V30", td.address(i, key), td.table.column(key).label, code, twin, label=label,
                            other=olabel, twin=angka(twin) if present(twin) else "kosong")
            for off, j in theirs.items():
                code = twins[j]
                if present(code) and off not in mine and str(code).strip() not in held:
                    out.add("V30", od.address(j, okey), od.table.column(okey).label, code, "baris pasangan", "yatim",
                            code=angka(code), label=label, other=olabel)
