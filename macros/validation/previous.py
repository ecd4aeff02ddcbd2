"""Cross-quarter rules against last quarter's report (``--sebelumnya``), from the
:class:`~workbooks.checks.CarriedOver` specs: s.d. triwulan lalu equals last quarter's s.d. triwulan ini
(V19), and a cumulative value never falls (V10b)."""

from __future__ import annotations

from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.findings import Findings
from workbooks.checks import CarriedOver
from workbooks.compute import Sheet, derive
from workbooks.reader import SheetData, WorkbookData


def carried_over(spec: CarriedOver, sd: SheetData, view: Sheet, before: SheetData, out: Findings) -> None:
    """Rows pair by the table's first row-key column; each (lalu, s.d.) pair of the spec is compared."""
    t = spec.table.key
    key = spec.table.row_key[0]
    pv, _ = derive(before)
    prow = {pv.value(t, i, key): i for i in range(len(before.tables[t].rows))}
    td = sd.tables[t]
    for i in range(len(td.rows)):
        j = prow.get(view.value(t, i, key))
        if j is None:
            continue
        for lalu, sd_key in spec.pairs:
            was = pv.value(t, j, sd_key) or 0.0
            now_lalu = view.value(t, i, lalu) or 0.0
            now_sd = view.value(t, i, sd_key) or 0.0
            label = td.table.column(lalu).label
            if abs(now_lalu - was) > TOL_PCT + 1e-9:
                out.add(spec.rule, td.address(i, lalu), label, now_lalu, was, label=label, now=angka(now_lalu),
                        before=angka(was))
            if now_sd < was - TOL_PCT:
                out.add(spec.falls, td.address(i, sd_key), td.table.column(sd_key).label, now_sd, was,
                        before=angka(was), now=angka(now_sd))


def check_previous(data: WorkbookData, prev: WorkbookData, views: dict[str, Sheet], out: Findings) -> None:
    """Each sheet with a cross-quarter spec against the previous report's sheet of the same kegiatan."""
    for sd in data.sheets:
        specs = [s for s in sd.layout.checks if isinstance(s, CarriedOver)]
        if not specs:
            continue
        before = {s.kegiatan or s.name: s for s in prev.sheets_of(sd.layout.form)}.get(sd.kegiatan or sd.name)
        if before is None:
            continue
        for spec in specs:
            carried_over(spec, sd, views[sd.name], before, out)
