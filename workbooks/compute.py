"""Evaluate a sheet's derived cells in Python, with the same rules as its formulas.

Used by Validasi (compare what a cell holds with what it should hold), by
Hitung Ulang, by the demo and by consolidation (files saved by tools that do
not cache formula results still give their derived values).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from workbooks.model import Peran
from workbooks.reader import SheetData, TableData
from workbooks.rules import evaluate


@dataclass(frozen=True)
class Derived:
    """A computed value and where it belongs."""

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
        self._cols = {k: {c: td.values[c].tolist() for c in td.values.columns} for k, td in data.tables.items()}

    def value(self, table: str | None, i: int | None, key: str) -> Any:
        if table is None:
            cv = self.data.fields.get(key)
            v = cv.value if cv else None
        elif i is None:
            td = self.data.tables[table]
            cv = (td.total or {}).get(key)
            v = cv.value if cv else None
        else:
            v = self._cols[table][key][i]
        if present(v):
            return v
        return self.computed.get((table, i, key))

    def typed(self, table: str, i: int, key: str) -> Any:
        """What the cell itself holds (no computed fallback)."""
        return self._cols[table][key][i]

    def column(self, table: str, key: str) -> list[Any]:
        td = self.data.tables[table]
        return [self.value(table, i, key) for i in range(len(td.rows))]

    def block(self, table: str, k1: str, k2: str) -> list[list[Any]]:
        td = self.data.tables[table]
        keys = [c.key for c in td.table.columns]
        span = keys[keys.index(k1): keys.index(k2) + 1]
        return [[self.value(table, i, k) for k in span] for i in range(len(td.rows))]

    def _resolve_row(self, table: str, i: int):
        td = self.data.tables[table]
        offset = td.offset(i)

        def resolve(ref: str) -> Any:
            if ref.startswith("@"):
                return self.value(None, None, ref[1:])
            if ref.endswith("[]"):  # a whole column in a row rule
                other, key = ref[:-2].split(".", 1) if "." in ref else (table, ref[:-2])
                return self.column(other, key)
            if ":" in ref:  # a span of this row
                keys = [c.key for c in td.table.columns]
                k1, k2 = ref.split(":")
                return [[self.value(table, i, k) for k in keys[keys.index(k1): keys.index(k2) + 1]]]
            if "." in ref:
                other, key = ref.split(".", 1)
                j = self.data.tables[other].offsets.get(offset)
                return None if j is None else self.value(other, j, key)
            return self.value(table, i, ref)

        return resolve

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
                for i in range(len(td.rows)):
                    v = evaluate(c.rule, self._resolve_row(tkey, i))
                    self.computed[(tkey, i, c.key)] = v
                    out.append(Derived(td.address(i, c.key), tkey, i, c.key, v))
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
