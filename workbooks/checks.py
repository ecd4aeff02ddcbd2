"""Form checks and rollup maps as data: what a form module declares beyond its layout.

Each form module states everything true of its form in one place: its :class:`~workbooks.model.Layout`
(columns, headers, derived-cell rules) and, on that layout, ``checks`` (the form-level rules, as the small
specs below) and ``rollup`` (which record field of the consolidation comes from which ``table.key``).
One generic engine evaluates the specs (:mod:`macros.validation.checks`); the consolidation reads the
rollup maps (:mod:`macros.konsolidasi.extract`). Every spec carries its rule id; the rule's severity, title
and message templates live in the catalogue (:mod:`macros.validation.catalogue`).

Column keys are read as layout attributes (``REALISASI.c9_ini_fis_R``): each is a
:class:`~workbooks.model.Key`, a string that knows its table, so a typo fails at import and a spec need
not name the table again. Field keys (``"nomor_dipa"``) are the layout's field keys.

How a form declares its checks and its rollup map::

    from workbooks.checks import FieldEquals, Rollup, SameInAllRows, WithinQuarter

    KOMPONEN = Table(key="komponen", columns=(...))

    ALKI = Layout(
        form="alki",
        ...,
        tables=(KOMPONEN,),
        checks=(
            SameInAllRows("V14", KOMPONEN.c10_target_fisik_pct, KOMPONEN.c11_realisasi_fisik_pct),
            WithinQuarter("V16", "tanggal_posisi"),
        ),
        rollup=Rollup("output", rows=ANGGARAN, fields={"nama": ANGGARAN.c1_output_nama, ...}),
    )

A new kind of check gets a spec type here and one evaluation function in the engine; a new form only
declares instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbooks.model import Key, Table


@dataclass(frozen=True)
class Check:
    """Base of every form check: ``rule`` is its id in the catalogue (``"V14"``)."""

    rule: str


@dataclass(frozen=True)
class SameInAllRows(Check):
    """Warn when column ``r`` equals column ``s`` in every filled row (at least two rows, ``s`` not all zero):
    a target filled in afterwards from the realisation (fisik S = R, V14)."""

    s: Key
    r: Key


@dataclass(frozen=True)
class RisesTo100(Check):
    """Per row, the cumulative ``steps`` (quarter I…IV) never fall and the last is 100; a step left empty
    while its ``plans`` cell (same position) holds a plan is reported too (V12). ``label`` names the row."""

    steps: tuple[Key, ...]
    plans: tuple[Key, ...]
    label: Key


@dataclass(frozen=True)
class NoGap(Check):
    """Per row, no ``steps`` cell (years in order) is left empty between two filled ones; a '-' counts as filled
    (no value on purpose). Reported at the first empty one; ``label`` names the row."""

    steps: tuple[Key, ...]
    label: Key


@dataclass(frozen=True)
class WithinQuarter(Check):
    """The date field ``field`` lies inside the report's quarter (metadata tahun/triwulan)."""

    field: str


@dataclass(frozen=True)
class FieldEquals(Check):
    """Field ``field`` (a field or signature line) says the same as ``other`` (whitespace and case aside)."""

    field: str
    other: str


@dataclass(frozen=True)
class FieldIsTotal(Check):
    """Field ``field`` (a number) is the total of column ``column``: reported where they differ by Rp 0,5 or more
    once every row has the column filled; while some rows leave it empty (their share still missing), only a sum
    of the filled rows above the field."""

    field: str
    column: Key


@dataclass(frozen=True)
class RequiredWhenBelow(Check):
    """A row whose realisation falls below its target in any ``(target, realisasi)`` pair must be named in
    column ``named_in`` of another table (by any of ``names``; a key of another table is read from its row
    at the same position). Reported at ``at`` (V06k: kendala for outputs below target)."""

    pairs: tuple[tuple[Key, Key], ...]
    names: tuple[Key, ...]
    named_in: Key
    at: Key


@dataclass(frozen=True)
class MatchesDipa(Check):
    """Every DIPA number in field ``field`` is well formed and of the report's year; with ``unit_field``
    its satker code is the report's satker (metadata, else the code in ``unit_field``)."""

    field: str
    unit_field: str | None = None


@dataclass(frozen=True)
class ProgressAgrees(Check):
    """Realisasi antara (%) agrees with the indicator value: for counts (satuan not a value unit) it is
    realisasi/target×100; otherwise reaching the target antara goes with reaching the target (V13)."""

    target: Key
    realisasi: Key
    target_antara: Key
    realisasi_antara: Key
    polaritas: Key
    satuan: Key
    label: Key


@dataclass(frozen=True)
class RealisasiWithoutTarget(Check):
    """Warn where a row has a realisasi above 0 against a target of 0: capaian cannot be computed and the
    target is probably missing (issue 12: a peringatan, not a galat). ``label`` names the row."""

    target: Key
    realisasi: Key
    label: Key


@dataclass(frozen=True)
class SumOf(Check):
    """Per group of source rows: the sum of ``source`` equals ``target``×``scale`` (reported at ``at``)."""

    source: Key
    target: Key
    at: Key
    scale: float = 1.0


@dataclass(frozen=True)
class WeightedOf(Check):
    """Per group of source rows: ``target`` equals the ``weight``-weighted mean of ``source``."""

    source: Key
    target: Key


@dataclass(frozen=True)
class FromComponents:
    """Cross-form: rows of form ``form`` (grouped by ``group``) roll up to this form's rows identified by
    ``match`` (the sheet's kegiatan plus an output code); each of ``checks`` compares one aggregate."""

    form: str
    group: tuple[Key, ...]
    match: Key
    weight: Key
    checks: tuple[SumOf | WeightedOf, ...]


@dataclass(frozen=True)
class CarriedOver(Check):
    """Cross-quarter: in ``table``, every cumulative column (rule ``kumulatif``: s.d. lalu + ini) starts where
    the previous quarter's report ended (``rule``), and never falls (``falls``). Rows pair by the table's
    row key. The lalu ↔ s.d. pairs come from the layout's rules, never restated."""

    table: Table
    falls: str = "V10b"

    @property
    def pairs(self) -> tuple[tuple[Key, Key], ...]:
        """(s.d. triwulan lalu, s.d. triwulan ini) column keys, from the ``kumulatif`` rules."""
        return tuple((Key(c.rule.args[0], self.table.key), Key(c.key, self.table.key))
                     for c in self.table.columns if c.rule is not None and c.rule.fn == "kumulatif")


@dataclass(frozen=True)
class Rollup:
    """What the consolidation takes from a form: one ``record`` per row of table ``rows``.

    ``fields`` maps a record field to the column it comes from (a column of another table is read from its
    row at the same position); a tuple of keys gives a list. ``from_fields`` maps a record field to a field
    key of the sheet. ``only`` keeps rows whose column is in a set (``(key, values)``).
    """

    record: str
    rows: Table
    fields: dict[str, Key | tuple[Key, ...]] = field(default_factory=dict)
    from_fields: dict[str, str] = field(default_factory=dict)
    only: tuple[Key, Any] | None = None


def weighted_columns(table: Table) -> tuple[Key, ...]:
    """Columns whose Total is a pagu-weighted mean (rule ``tertimbang``), in layout order."""
    rules = table.total.rules if table.total else {}
    return tuple(Key(c.key, table.key) for c in table.columns
                 if c.key in rules and rules[c.key].fn == "tertimbang")
