"""The formulas a read sheet's derived cells must hold, rendered from the layout at the positions read.

A derived cell is trusted only when its formula is the layout's rule: Validasi
compares the formula text found in the file with what the template builder's
renderer gives for that cell (:func:`workbooks.rules.formula`, every part it
offers: the cell's full formula, its ``KINERJA.*`` call and its native
rendering), after :func:`normalise`. Positions come from the sheet as read
(number row, Total row, field cells), so rows inserted inside a table, which
Excel handles by widening ranges, still match.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from workbooks.builder import _Renderer  # the builder's own ref renderer: one rendering, never retyped
from workbooks.model import Peran, Rule
from workbooks.placement import SheetPlace, TablePlace
from workbooks.reader import SheetData, TableData, cell_index
from workbooks.rules import PARTS, formula

_STRING = re.compile(r'("(?:[^"]|"")*")')
_PREFIX = re.compile(r"_XLFN\.|_XLUDF\.|_XLL\.|_XLWS\.")
_DUDF = re.compile(r"_XLDUDF_KINERJA_")


@functools.lru_cache(maxsize=1 << 14)  # the same refs and formulas recur down a column and across files
def normalise(text: str) -> str:
    """Formula text compared loosely: no "=", "$", spaces or case outside strings, no _xlfn.-style prefixes."""
    text = text.strip()
    if text.startswith("="):
        text = text[1:]
    if '"' not in text:
        return _outside_strings(text)
    return "".join(part if k % 2 else _outside_strings(part) for k, part in enumerate(_STRING.split(text)))


def _outside_strings(part: str) -> str:
    part = "".join(part.split()).replace("$", "").upper()
    return _DUDF.sub("KINERJA.", _PREFIX.sub("", part)) if "_X" in part else part


@dataclass(frozen=True)
class _ReadPlace(SheetPlace):
    """A :class:`SheetPlace` whose fields sit where the reader found them."""

    cells: dict[str, str] = field(default_factory=dict)

    def field_cell(self, key: str) -> str:
        return self.cells[key]


def _derived_letters(td: TableData) -> set[str]:
    return {get_column_letter(td.col_index[c.key]) for c in td.table.columns if c.peran is Peran.TURUNAN}


def derived_formula_rows(sd: SheetData, td: TableData) -> set[int]:
    """1-based rows of ``td``'s data area holding a formula in a derived column."""
    letters, out = _derived_letters(td), set()
    for a1 in sd.formulas or ():
        col = a1.rstrip("0123456789")
        row = int(a1[len(col):])
        if col in letters and td.number_row < row <= (td.area_end or row):
            out.add(row)
    return out


def table_end(sd: SheetData, td: TableData) -> int:
    """1-based last row of ``td``'s table as the sheet holds it now.

    With a Total row the table ends above it. Without one the reader's area runs on to the next table, the signature
    or the sheet's end, blank rows included: the table ends at its last row holding data or a derived formula, or at
    the template's row count (never past the area).
    """
    if td.total_row:
        return td.total_row - 1
    first = td.number_row + 1
    end = max([first + td.table.rows - 1, *td.rows, *derived_formula_rows(sd, td)])
    return min(td.area_end, end) if td.area_end else end


def filled_blank_rows(sd: SheetData, td: TableData) -> list[tuple[str, str, object]]:
    """(key, A1, raw) of derived cells holding something in a row of ``td``'s table without data (typed over, or a
    formula); what lies below the table's end is not the table's."""
    first, last = td.number_row + 1, table_end(sd, td)
    return [(k, a1, v) for k, a1, v in td.derived_only if first <= cell_index(a1)[0] + 1 <= last]


def _place(sd: SheetData) -> _ReadPlace:
    tables = {}
    for key, td in sd.tables.items():
        first = td.number_row + 1
        last = table_end(sd, td)
        col0 = td.col_index[td.table.columns[0].key]
        tables[key] = TablePlace(td.table, None, td.number_row - td.table.levels, td.number_row, first,
                                 max(last - first + 1, 1), td.total_row, col0)
    cells = {k: cv.address.rsplit("!", 1)[-1] for k, cv in {**sd.fields, **sd.signature}.items()}
    return _ReadPlace(sd.layout, (), {}, 0, tables, {}, 0, 0, cells)


def _renderings(rule: Rule, render) -> set[str]:
    return {normalise(formula(rule, render, parts=part)) for part in PARTS}


_MARK = re.compile("\x00(\\d+)\x00")
_TEMPLATES: dict[Rule, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}
_CHECKED: dict[tuple[Rule, tuple[bool, ...]], bool] = {}


def _template(rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(refs, format strings) of ``rule``'s accepted formulas, normalised, with a hole for each ref; None for a
    rule whose rendering parses its refs (e.g. a range split into columns).

    Rendered once per rule (rules are layout constants): normalising commutes with putting the refs in, since
    refs hold no string literal."""
    if rule not in _TEMPLATES:
        refs: dict[str, int] = {}

        def mark(ref: str) -> str:
            return f"\x00{refs.setdefault(ref, len(refs))}\x00"

        try:
            texts = [normalise(formula(rule, mark, parts=part)) for part in PARTS]
        except ValueError:
            _TEMPLATES[rule] = None
            return None
        formats = tuple(_MARK.sub(lambda m: "{" + m.group(1) + "}", t.replace("{", "{{").replace("}", "}}"))
                        for t in texts)
        _TEMPLATES[rule] = (tuple(refs), formats)
    return _TEMPLATES[rule]


def _filled(rule: Rule, render: Callable[[str], str]) -> set[str]:
    """:func:`_renderings` of ``rule`` with ``render``, from its template.

    The first time a rule meets refs of a kind (cell or range, per ref) the template's result is compared with
    the full rendering; a rule whose rendering reads its refs' text (so the template is not its rendering) is
    rendered in full from then on."""
    template = _template(rule)
    if template is None:
        return _renderings(rule, render)
    refs, formats = template
    shown = [render(ref) for ref in refs]
    kinds = (rule, tuple(":" in text for text in shown))
    if _CHECKED.get(kinds) is False:
        return _renderings(rule, render)
    texts = [normalise(text) for text in shown]
    got = {f.format(*texts) for f in formats}
    if kinds not in _CHECKED:
        full = _renderings(rule, render)
        _CHECKED[kinds] = got == full
        return full
    return got


def expected_formulas(sd: SheetData) -> dict[str, set[str]]:
    """{A1: normalised formulas accepted there} for every derived cell of ``sd`` that was read."""
    sp = _place(sd)
    rend = _Renderer(sp)
    out: dict[str, set[str]] = {}

    def add(address: str, rule: Rule, render) -> None:
        try:
            out[address.rsplit("!", 1)[-1]] = _filled(rule, render)
        except KeyError:  # a field the rule refers to is not on the sheet: nothing to compare with
            pass

    for key, td in sd.tables.items():
        tp = sp.tables[key]
        for c in td.table.columns:
            if c.peran is not Peran.TURUNAN or c.rule is None or not td.rows:
                continue
            try:
                out.update({a1: _filled(c.rule, lambda ref, o=row - tp.first_row: rend.row_ref(tp, o, ref))
                            for a1, row in zip(td.cell_lists[c.key], td.rows)})
            except KeyError:  # a field the rule refers to is not on the sheet: nothing to compare with
                pass
        if td.table.total and td.total:
            for k, rule in td.table.total.rules.items():
                if k in td.total:
                    add(td.total[k].address, rule, lambda ref, tp=tp: rend.col_ref(tp, ref))
    for f in sd.layout.fields:
        if f.rule is not None and f.key in sd.fields:
            add(sd.fields[f.key].address, f.rule, lambda ref: rend.col_ref(None, ref))
    return out
