"""Validasi: every problem of a submission, each on its cell, in Bahasa Indonesia.

:func:`validate` runs every phase on every sheet, in one pass, so users see everything at once:
completeness (:mod:`~macros.validation.completeness`), the cells as read (:mod:`~macros.validation.cells`),
pandera schemas and fields (:mod:`~macros.validation.schema`), derived cells, formulas, totals and paired rows
(:mod:`~macros.validation.derived`), identity (:mod:`~macros.validation.identity`), the form's own checks
(:mod:`~macros.validation.checks`), then the cross-sheet (:mod:`~macros.validation.cross`) and cross-quarter
(:mod:`~macros.validation.previous`) rules. Rules, severities and messages: :mod:`~macros.validation.catalogue`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from macros.plan import Counted, Finding, Plan, marks_for
from macros.validation.cells import cascade, check_cells
from macros.validation.checks import Context, check_form
from macros.validation.completeness import check_completeness, check_copies
from macros.validation.cross import check_across_sheets
from macros.validation.derived import (
    check_below_total,
    check_derived,
    check_formulas,
    check_pairs,
    check_total_rows,
    check_typed_blank_rows,
)
from macros.validation.findings import Findings
from macros.validation.identity import check_identity, check_period
from macros.validation.previous import check_previous
from macros.validation.schema import (
    Failure,
    SchemaInput,
    check_fields,
    report_failure,
    schema_inputs,
    table_failures,
)
from workbooks.compute import Sheet, derive
from workbooks.meta import ROLLUP_FORM
from workbooks.forms import PAKET_TRIWULAN
from workbooks.reader import BacaGagal, WorkbookData, read_workbook, shown


@dataclass
class ValidationResult(Counted):
    """The outcome of validating one workbook."""

    file: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.galat == 0

    def plan(self) -> Plan:
        return Plan(findings=list(self.findings), marks=marks_for(self.findings))


@dataclass
class Checked:
    """A workbook checked by every phase; the schema failures of its tables (pandera) may be left to the
    caller, who checks the tables of many workbooks at once (konsolidasi,
    :func:`~macros.validation.schema.stacked_failures`)."""

    file: str
    findings: list[Finding]  # every other finding, in the order found
    tables: list[SchemaInput]  # the schema input of each table with data
    slots: list[int]  # slots[j]: how many of ``findings`` come before table j's schema findings
    failures: list[list[Failure]] | None = None  # failures[j]: table j's schema failures, when checked here

    def result(self, failures: list[list[Failure]] | None = None) -> ValidationResult:
        """The validation result: the schema failures (``failures``, else :attr:`failures`) reported in their
        place, a cell reported once per rule as if found in one pass."""
        failures = self.failures if failures is None else failures
        assert failures is not None and len(failures) == len(self.tables)
        out = Findings(self.file)
        j = 0
        for pos in range(len(self.findings) + 1):
            while j < len(self.tables) and self.slots[j] == pos:
                for rule, i, key, value in failures[j]:
                    report_failure(self.tables[j], rule, i, key, value, out)
                j += 1
            if pos < len(self.findings):
                out.keep(self.findings[pos])
        return ValidationResult(self.file, out.items)


def validate(source: str | Path | WorkbookData,
             previous: str | Path | WorkbookData | None = None) -> ValidationResult:
    """Validate one workbook (path or data already read). Raises ``BacaGagal`` for unreadable files."""
    data = source if isinstance(source, WorkbookData) else read_workbook(source)
    return check_workbook(data, previous).result()


def check_workbook(data: WorkbookData, previous: str | Path | WorkbookData | None = None, *,
                   schema: bool = True) -> Checked:
    """Every phase of :func:`validate` on a workbook read; with ``schema=False`` its tables' schema failures
    are left out (:attr:`Checked.failures` None) for the caller to find."""
    out = Findings(shown(data.path.name))
    meta = data.meta
    if meta and meta.form == ROLLUP_FORM:
        raise BacaGagal(f"{out.file}: berkas ini hasil konsolidasi (rollup) kinerja, bukan kiriman satker; "
                        "rollup tidak divalidasi sebagai kiriman.")
    tahun = meta.tahun if meta else None
    satker = meta.satker if meta else ""
    check_period(meta, data.sheets[0].name if data.sheets else "", out)
    views: dict[str, Sheet] = {}
    pairs = schema_inputs(data.sheets)
    tables = [si for _, si in pairs]
    failures = table_failures(tables) if schema else None
    slots: list[int] = []
    fold = cascade(data.sheets)
    for sd in data.sheets:
        check_completeness(sd, data.form == PAKET_TRIWULAN, out)
        check_cells(sd, out, fold)
        if any(td.rows for td in sd.tables.values()) or not sd.tables:
            check_fields(sd, out)  # an untouched optional sheet (e.g. SKM outside survey time) is not an error
        slots += [len(out.items)] * sum(1 for td in sd.tables.values() if len(td.rows))  # phase 2 (schema)
        view, derived = derive(sd)
        views[sd.name] = view
        check_derived(sd, view, derived, out)
        check_formulas(sd, view, derived, out)
        check_total_rows(sd, out)
        check_below_total(sd, out)
        check_typed_blank_rows(sd, out)
        check_pairs(sd, view, out)
        check_identity(sd, satker, out)
        check_form(Context(sd, view, out, tahun, meta.triwulan if meta else None, satker))
    check_copies(data, out)
    check_across_sheets(data, views, out)
    if previous is not None:
        prev = previous if isinstance(previous, WorkbookData) else read_workbook(previous)
        check_previous(data, prev, views, out)
    return Checked(out.file, out.items, tables, slots, failures)
