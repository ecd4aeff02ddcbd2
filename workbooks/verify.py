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
    or the sheet's end, blank rows included: the table ends at its last row holding data or a derived formula (a
    template made with ``--baris N`` has N rows, not the form's count), or, when no derived formula is left, at the
    form's row count (never past the area).
    """
    if td.total_row:
        return td.total_row - 1
    first = td.number_row + 1
    formula_rows = derived_formula_rows(sd, td)
    end = max([*td.rows, *formula_rows] if formula_rows else [first + td.table.rows - 1, *td.rows])
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


_ROW = re.compile(r"(.*?)(\d+)")


def _down(render_at: Callable[[int, str], str], ref: str, offsets: list[int]) -> list[str]:
    """The text ``ref`` renders to on each row offset. A ref the same on the first, second and last rows, or a
    cell whose row number moves with the row there (what placement arithmetic gives a row's own and paired
    cells), is spelled out for the rows between; any other (a span, a coded lookup) is rendered row by row."""
    first = render_at(offsets[0], ref)
    if len(offsets) == 1:
        return [first]
    probes = {o: render_at(o, ref) for o in (offsets[1], offsets[-1])}
    if all(text == first for text in probes.values()):
        return [first] * len(offsets)
    if m := _ROW.fullmatch(first):
        prefix, base = m.group(1), int(m.group(2)) - offsets[0]
        if all(text == f"{prefix}{base + o}" for o, text in probes.items()):
            return [f"{prefix}{base + o}" for o in offsets]
    return [render_at(o, ref) for o in offsets]


def _filled_down(rule: Rule, offsets: list[int], render_at: Callable[[int, str], str]) -> list[set[str]]:
    """:func:`_renderings` of ``rule`` on each row offset (``render_at(offset, ref)`` renders a ref), from the
    rule's template.

    The first time a rule meets refs of a kind (cell or range, per ref) the template's result is compared with
    the full rendering; a rule whose rendering reads its refs' text (so the template is not its rendering) is
    rendered in full from then on."""
    template = _template(rule)
    if template is None:
        return [_renderings(rule, lambda ref, o=o: render_at(o, ref)) for o in offsets]
    refs, formats = template
    columns = [_down(render_at, ref, offsets) for ref in refs]
    out: list[set[str]] = []
    seen: tuple[bool, ...] | None = None
    state: bool | None = None
    for o, shown in zip(offsets, zip(*columns) if columns else [()] * len(offsets)):
        kinds = tuple(":" in text for text in shown)
        if kinds != seen:
            seen, state = kinds, _CHECKED.get((rule, kinds))
        if state is False:
            out.append(_renderings(rule, lambda ref, o=o: render_at(o, ref)))
            continue
        texts = [normalise(text) for text in shown]
        got = {f.format(*texts) for f in formats}
        if state is None:
            full = _renderings(rule, lambda ref, o=o: render_at(o, ref))
            state = _CHECKED[(rule, kinds)] = got == full
            got = full
        out.append(got)
    return out


def _filled(rule: Rule, render: Callable[[str], str]) -> set[str]:
    """:func:`_filled_down` of one cell."""
    return _filled_down(rule, [0], lambda _o, ref: render(ref))[0]


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
            offsets = [row - tp.first_row for row in td.rows]
            try:
                out.update(zip(td.cell_lists[c.key],
                               _filled_down(c.rule, offsets, lambda o, ref, tp=tp: rend.row_ref(tp, o, ref))))
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
