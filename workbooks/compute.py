"""Evaluate a sheet's derived cells in Python, with the same rules as its formulas.

Used by Validasi (compare what a cell holds with what it should hold), by
Hitung Ulang, by the demo and by consolidation (files saved by tools that do
not cache formula results still give their derived values).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import repeat
from typing import Any, NamedTuple

from workbooks.model import Peran, Rule
from workbooks.reader import SheetData
from workbooks.rules import evaluate, evaluate_rows, is_literal


class Derived(NamedTuple):
    """A computed value and where it belongs (a tuple: thousands are made per sheet)."""

    address: str  # "Sheet!K35"
    table: str | None  # None for a field
    row: int | None  # row position in the table (None for total/field)
    key: str
    value: Any


def present(v: Any) -> bool:
    """Whether a cell value counts as filled (not None, NaN or blank text)."""
    if v is None:
        return False
    if isinstance(v, float) and math.isnan(v):
        return False
    return not (isinstance(v, str) and not v.strip())


class Sheet:
    """Effective values of a sheet: what the cell holds, else what it computes to."""

    def __init__(self, data: SheetData):
        self.data = data
        self.computed: dict[tuple[str | None, int | None, str], Any] = {}
        self._typed: dict[tuple[str, str], list[Any]] = {}  # (table, key) -> what each row's cell holds
        self._rows: dict[tuple[str, str], list[Any]] = {}  # (table, key) -> computed value per row
        self._effective: dict[tuple[str, str], list[Any]] = {}  # (table, key) -> effective value per row

    def _typed_column(self, table: str, key: str) -> list[Any]:
        """What each row's cell of a column holds, as a list (made when first asked: most columns never are)."""
        col = self._typed.get((table, key))
        if col is None:
            col = self._typed[(table, key)] = self.data.tables[table].values[key].tolist()
        return col

    def _effective_column(self, table: str, key: str) -> list[Any]:
        """The effective value of every row of a column (kept until a value of the column is computed)."""
        col = self._effective.get((table, key))
        if col is None:
            typed = self._typed_column(table, key)
            done = self._rows.get((table, key))
            # a float other than NaN is present: no call for the common case
            if done is None:
                col = [v if (type(v) is float and v == v) or present(v) else None for v in typed]
            else:
                col = [v if (type(v) is float and v == v) or present(v) else c for v, c in zip(typed, done)]
            self._effective[(table, key)] = col
        return col

    def _set(self, table: str, i: int, key: str, v: Any) -> None:
        """Record the computed value of a table cell."""
        self.computed[(table, i, key)] = v
        self._rows.setdefault((table, key), [None] * len(self.data.tables[table].rows))[i] = v
        self._effective.pop((table, key), None)

    def value(self, table: str | None, i: int | None, key: str) -> Any:
        if table is None:
            cv = self.data.fields.get(key)
            v = cv.value if cv else None
        elif i is None:
            td = self.data.tables[table]
            cv = (td.total or {}).get(key)
            v = cv.value if cv else None
        else:
            return self._effective_column(table, key)[i]
        if present(v):
            return v
        return self.computed.get((table, i, key))

    def typed(self, table: str, i: int, key: str) -> Any:
        """What the cell itself holds (no computed fallback)."""
        return self._typed_column(table, key)[i]

    def column(self, table: str, key: str) -> list[Any]:
        return list(self._effective_column(table, key))

    def block(self, table: str, k1: str, k2: str) -> list[list[Any]]:
        cols = [self._effective_column(table, k) for k in self._span(table, k1, k2)]
        return [[col[i] for col in cols] for i in range(len(self.data.tables[table].rows))]

    def _span(self, table: str, k1: str, k2: str) -> list[str]:
        keys = [c.key for c in self.data.tables[table].table.columns]
        return keys[keys.index(k1): keys.index(k2) + 1]

    def _resolve_row(self, table: str, i: int):
        return lambda ref: self._argument(table, ref, (i,))[0]

    def _argument(self, table: str, ref: str, rows: Sequence[int]) -> list[Any]:
        """The value of a row rule's argument ``ref`` on each of ``rows`` of ``table``: a literal, a field, a
        whole column (``key[]``), a span of the row (``k1:k2``), the paired row of another table (``tabel.key``)
        or the row's own cell."""
        if is_literal(ref):
            return [ref[1:-1]] * len(rows)
        if ref.startswith("@"):
            return [self.value(None, None, ref[1:])] * len(rows)
        if ref.endswith("[]"):
            other, k = ref[:-2].split(".", 1) if "." in ref else (table, ref[:-2])
            return [self.column(other, k)] * len(rows)  # one list for every row (never changed by a calculation)
        if ":" in ref:
            cols = [self._effective_column(table, k) for k in self._span(table, *ref.split(":"))]
            return [[[col[i] for col in cols]] for i in rows]
        td = self.data.tables[table]
        if "." in ref:
            other, k = ref.split(".", 1)
            col, where = self._effective_column(other, k), self.data.tables[other].offsets
            return [None if (j := where.get(td.offset(i))) is None else col[j] for i in rows]
        col = self._effective_column(table, ref)
        return col if len(rows) == len(td.rows) else [col[i] for i in rows]

    def _reads_own_column(self, table: str, key: str, rule: Rule) -> bool:
        """Whether an argument of the row rule of ``table.key`` reads the column being computed (its earlier rows
        must then be computed first)."""
        for ref in rule.args:
            if is_literal(ref) or ref.startswith("@"):
                continue
            base = ref[:-2] if ref.endswith("[]") else ref
            if ":" in base:
                if key in self._span(table, *base.split(":")):
                    return True
            elif (base.split(".", 1) if "." in base else [table, base]) == [table, key]:
                return True
        return False

    def _compute_column(self, table: str, key: str, rule: Rule) -> list[Any]:
        """The computed value of every row of a derived column, column by column where the rule allows it."""
        n = len(self.data.tables[table].rows)
        if not rule.args or self._reads_own_column(table, key, rule):  # row by row, each seeing the rows above
            values = []
            for i in range(n):
                values.append(evaluate(rule, self._resolve_row(table, i)))
                self._set(table, i, key, values[-1])
            return values
        values = evaluate_rows(rule, [self._argument(table, ref, range(n)) for ref in rule.args])
        self.computed.update(zip(zip(repeat(table), range(len(values)), repeat(key)), values))
        self._rows[(table, key)] = values
        self._effective.pop((table, key), None)
        return values

    def _resolve_col(self, table: str | None):
        def resolve(ref: str) -> Any:
            if ref.startswith("@"):
                return self.value(None, None, ref[1:])
            t, key = ref.split(".", 1) if "." in ref else (table, ref)
            assert t is not None
            if ":" in key:
                return self.block(t, *key.split(":"))
            return self.column(t, key)

        return resolve

    def compute(self) -> list[Derived]:
        out: list[Derived] = []
        d = self.data
        for tkey, td in d.tables.items():
            for c in td.table.columns:
                if c.peran is not Peran.TURUNAN or c.rule is None:
                    continue
                values = self._compute_column(tkey, c.key, c.rule)
                rows = range(len(values))  # Derived(address, table, row, key, value) per row, built in C
                out += map(tuple.__new__, repeat(Derived),
                           zip(map(td.address, rows, repeat(c.key)), repeat(tkey), rows, repeat(c.key), values))
        for tkey, td in d.tables.items():
            if td.table.total is None:
                continue
            for key, rule in td.table.total.rules.items():
                v = evaluate(rule, self._resolve_col(tkey))
                self.computed[(tkey, None, key)] = v
                addr = td.total[key].address if td.total and key in td.total else ""
                out.append(Derived(addr, tkey, None, key, v))
        for f in d.layout.fields:
            if f.rule is None:
                continue
            v = evaluate(f.rule, self._resolve_col(None))
            self.computed[(None, None, f.key)] = v
            addr = d.fields[f.key].address if f.key in d.fields else ""
            out.append(Derived(addr, None, None, f.key, v))
        return out


def derive(data: SheetData) -> tuple[Sheet, list[Derived]]:
    """Compute every derived cell of ``data``; returns the effective-value view too.

    Computed once per read sheet: validation, extraction and the previous-quarter checks share the view
    (a sheet read is never changed afterwards)."""
    done = data.__dict__.get("_derived")
    if done is None:
        s = Sheet(data)
        done = (s, s.compute())
        data.__dict__["_derived"] = done
    return done
