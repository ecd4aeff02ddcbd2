"""What an action decides, as data: findings, cell marks, values to write.

The macros (validate, recalculate, consolidate, prepare submission) return a
:class:`Plan`; each front end applies it its own way: openpyxl for files
(:mod:`macros.apply_file`), xlwings for a book open in Excel (:mod:`addin`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    GALAT = "galat"  # blocks consolidation
    PERINGATAN = "peringatan"  # must be read, does not block
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem, at one cell, in Bahasa Indonesia."""

    rule: str  # stable id, e.g. "V10"
    severity: Severity
    sheet: str
    cell: str  # "K35" ("" when the problem has no single cell)
    column: str  # user-facing column or field label
    found: Any
    expected: Any
    message: str
    file: str = ""

    @property
    def address(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return d


@dataclass(frozen=True)
class Mark:
    """Colour a cell and attach a note (the findings on that cell)."""

    sheet: str
    cell: str
    severity: Severity
    note: str


@dataclass(frozen=True)
class Write:
    """Put a value (or formula) into a cell."""

    sheet: str
    cell: str
    value: Any


class Counted:
    """Galat and peringatan counts of anything holding ``findings``."""

    findings: list[Finding]

    @property
    def galat(self) -> int:
        return count(self.findings, Severity.GALAT)

    @property
    def peringatan(self) -> int:
        return count(self.findings, Severity.PERINGATAN)


@dataclass
class Plan(Counted):
    findings: list[Finding] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    clear_marks: bool = True  # remove earlier kinerja marks first (re-running never stacks)
    findings_sheet: bool = True  # (re)write the "Hasil Validasi" sheet
    meta: dict[str, str] = field(default_factory=dict)  # metadata keys to set
    messages: list[str] = field(default_factory=list)  # short texts for the user


def count(findings: list[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def marks_for(findings: list[Finding]) -> list[Mark]:
    """One mark per cell: the worst severity, every message on that cell in the note."""
    order = {Severity.GALAT: 0, Severity.PERINGATAN: 1, Severity.INFO: 2}
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    out = []
    for (sheet, cell), fs in by_cell.items():
        fs.sort(key=lambda f: order[f.severity])
        note = "\n".join(f"[{f.rule} {f.severity}] {f.message}" for f in fs)
        out.append(Mark(sheet, cell, fs[0].severity, note))
    return out
