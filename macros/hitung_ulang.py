"""Action "Hitung Ulang": recompute every derived cell in Python and report the differences."""

from __future__ import annotations

from macros.plan import Plan, marks_for
from macros.validation import Findings, check_derived
from workbooks.compute import derive
from workbooks.reader import WorkbookData


def recalculate(data: WorkbookData) -> Plan:
    """A plan marking every derived cell whose value differs from what its rule computes."""
    out = Findings(data.path.name)
    n = 0
    for sd in data.sheets:
        view, derived = derive(sd)
        n += len(derived)
        check_derived(sd, view, derived, out)
    plan = Plan(findings=out.items, marks=marks_for(out.items))
    plan.messages.append(f"Hitung ulang: {n} sel turunan dihitung; {len(out.items)} berbeda dengan isinya."
                         + (" Sel yang berbeda ditandai." if out.items else ""))
    return plan
