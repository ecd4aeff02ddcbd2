"""Phase 1: every numeric cell as the reader parsed it (text where a number belongs, Excel errors,
numbers typed as text, ambiguous separators, implausible magnitudes).

An Excel error in a derived cell that only follows from another cell's (an input holding ``#DIV/0!`` or text, and
every formula reading it, down to the Total row) is not reported on its own: the cause's finding counts and names
the cells it spoils (:func:`cascade`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.formula.tokenizer import Tokenizer

from macros.validation.catalogue import angka
from macros.validation.findings import Findings
from udfs import NilaiGalat
from workbooks.compute import derive
from workbooks.reader import SheetData, cell_index

SHOWN = 6  # dependent cells named in the cause's message


@dataclass
class Cascade:
    """Excel errors that follow only from another cell's (not reported), by the cell they follow from."""

    inherited: set[str] = field(default_factory=set)  # "Sheet!A1"
    dependents: dict[str, list[str]] = field(default_factory=dict)  # cause "Sheet!A1" -> its dependents, in order


def check_cell(parsed: Any, address: str, label: str, raw: Any, out: Findings,
               dependents: Sequence[str] = ()) -> None:
    """Report what the reader found wrong with one parsed cell (None: not a numeric cell); ``dependents``: the
    derived cells whose Excel error follows from this cell's (named in its finding, not reported themselves)."""
    if parsed is None:
        return
    spoils = {"n": len(dependents), "cells": _named(dependents, address)} if dependents else {}
    if parsed.status == "bukan-angka" and isinstance(raw, dt.date):  # datetime too: Excel took '12.5' for 12 May
        out.add("V01", address, label, raw, "angka", "tanggal", label=label, raw=f"{raw:%d-%m-%Y}")
    elif parsed.status == "bukan-angka":
        out.add("V01", address, label, raw, "angka", "teks-ikut" if spoils else "", label=label,
                raw=angka(str(raw)), **spoils)
    elif parsed.status == "galat-excel":
        out.add("V01", address, label, raw, "angka", "galat-ikut" if spoils else "galat", label=label, raw=raw,
                **spoils)
    elif parsed.status == "tidak-wajar":
        out.add("V29", address, label, str(raw), "angka wajar", label=label,
                raw=angka(raw if isinstance(raw, str) else str(raw)))
    elif parsed.status == "teks-angka":
        out.add("V03", address, label, raw, parsed.value, label=label, raw=angka(str(raw)), value=angka(parsed.value))
    if parsed.ambigu:
        out.add("V03", address, label, raw, parsed.value, "ambigu", label=label, raw=angka(str(raw)),
                value=angka(parsed.value))


def _named(dependents: Sequence[str], cause: str) -> str:
    """The dependent cells as a short list: A1 on the cause's sheet, Sheet!A1 elsewhere."""
    sheet = cause.rpartition("!")[0]
    shown = [a.rpartition("!")[2] if a.rpartition("!")[0] == sheet else a for a in dependents[:SHOWN]]
    return ", ".join(shown) + (", …" if len(dependents) > SHOWN else "")


def _cells(sd: SheetData) -> Iterator[tuple[Any, str, str, Any]]:
    """(parse, "Sheet!A1", label, raw) of every field, table cell and Total cell of a sheet."""
    for key, cv in sd.fields.items():
        yield cv.parsed, cv.address, sd.layout.field(key).label, cv.raw
    for td in sd.tables.values():
        for (i, key), parsed in td.parsed.items():
            yield parsed, td.address(i, key), td.table.column(key).label, td.raw_value(i, key)
        total = td.table.total.label if td.table.total else ""
        for key, cv in (td.total or {}).items():
            yield cv.parsed, cv.address, f"{total} {td.table.column(key).label}", cv.raw


def check_cells(sd: SheetData, out: Findings, fold: Cascade | None = None) -> None:
    """Phase 1 over every field, table cell and Total cell of a sheet; the errors of ``fold.inherited`` are counted
    on their cause instead."""
    fold = fold or Cascade()
    for parsed, address, label, raw in _cells(sd):
        if address not in fold.inherited:
            check_cell(parsed, address, label, raw, out, fold.dependents.get(address, []))


_REF = re.compile(r"(?:(?:'((?:[^']|'')+)'|([^'!]+))!)?(\$?[A-Z]{1,3}\$?\d+)(?::(\$?[A-Z]{1,3}\$?\d+))?")


def _refs(text: str, sheet: str, names: dict[str, str]) -> list[tuple[str, int, int, int, int]]:
    """(sheet, first row, first column, last row, last column), 0-based, of every cell or range a formula reads."""
    out = []
    try:
        tokens = Tokenizer("=" + text).items
    except Exception:  # noqa: BLE001 - a formula the tokenizer cannot split reads nothing we can tell
        return out
    for t in tokens:
        if t.type != "OPERAND" or t.subtype != "RANGE" or not (m := _REF.fullmatch(t.value)):
            continue  # a defined name, a whole column: not a cell of ours
        quoted, plain, a, b = m.groups()
        where = names.get(((quoted or "").replace("''", "'") or plain or sheet).strip().casefold())
        if where is None:
            continue
        (r1, c1), (r2, c2) = cell_index(a), cell_index(b or a)
        out.append((where, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def cascade(sheets: list[SheetData]) -> Cascade:
    """The cells whose Excel error follows only from other cells holding an error or text: their formula reads
    such a cell and what the rule computes from the readable values is no error (an error of its own, e.g. a
    capaian over a target 0, is kept). Each is counted on the cells its errors lead back to."""
    bad: dict[str, dict[tuple[int, int], str]] = {}  # sheet -> {(row, column): "Sheet!A1"} holding an error or text
    errors: set[str] = set()
    for sd in sheets:
        for parsed, address, _, raw in _cells(sd):
            if parsed is not None and (parsed.status == "galat-excel" or parsed.status == "bukan-angka"
                                       and not isinstance(raw, dt.date)):
                bad.setdefault(sd.name, {})[cell_index(address)] = address
                if parsed.status == "galat-excel":
                    errors.add(address)
    if not errors:
        return Cascade()
    names = {sd.name.strip().casefold(): sd.name for sd in sheets}
    precedents: dict[str, list[str]] = {}
    for sd in sheets:
        mine = [a for a in bad.get(sd.name, {}).values() if a in errors]
        if not mine or sd.formula_text is None:
            continue
        own = {d.address for d in derive(sd)[1] if isinstance(d.value, NilaiGalat)}
        for address in mine:
            text = sd.formula_text.get(address.rpartition("!")[2])
            if text is None or address in own:
                continue
            read = [hit for where, r1, c1, r2, c2 in _refs(text, sd.name, names)
                    for (r, c), hit in bad.get(where, {}).items() if r1 <= r <= r2 and c1 <= c <= c2 and hit != address]
            if read:
                precedents[address] = read
    causes: dict[str, set[str]] = {}

    def cause_of(address: str, seen: frozenset[str]) -> set[str]:
        if address not in precedents:
            return {address}
        if address not in causes:
            causes[address] = set().union(*(cause_of(p, seen | {address}) for p in precedents[address]
                                             if p not in seen | {address}))
        return causes[address]

    out = Cascade()
    for address in precedents:
        found = cause_of(address, frozenset())
        if found:  # a loop of errors leading nowhere else is reported as it is
            out.inherited.add(address)
            for c in sorted(found):
                out.dependents.setdefault(c, []).append(address)
    return out
