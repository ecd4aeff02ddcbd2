"""Cross-quarter rules against last quarter's report (``--sebelumnya``), from the
:class:`~workbooks.checks.CarriedOver` specs: s.d. triwulan lalu equals last quarter's s.d. triwulan ini
(V19), and a cumulative value never falls (V10b). :func:`refused` tells why a file cannot be that report."""

from __future__ import annotations

from collections.abc import Sequence

from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.findings import Findings
from workbooks.checks import CarriedOver
from workbooks.compute import Sheet, derive
from workbooks.forms import LAYOUTS
from workbooks.masters import ROMAWI
from workbooks.reader import SheetData, WorkbookData, shown


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


def _carried(data: WorkbookData) -> set[str]:
    """The forms of ``data`` compared with last quarter's report."""
    return {sd.layout.form for sd in data.sheets if any(isinstance(c, CarriedOver) for c in sd.layout.checks)}


def refused(prev: WorkbookData, books: Sequence[WorkbookData]) -> str:
    """Why ``prev`` cannot be last quarter's report of ``books`` (the files checked against it), in Bahasa
    Indonesia; "" when it can. It must hold a form the books compare across quarters, come from the same satker
    and be of the quarter before theirs, where both files name them (metadata, else fields and title block, as
    konsolidasi reads them): a report of another form compared nothing, one of the same quarter gave a V19
    galat per row."""
    from macros.konsolidasi.extract import identitas_of

    name = shown(prev.path.name)
    books = [b for b in books if _carried(b)]
    if not books:
        return ""
    wanted = set().union(*map(_carried, books))
    if not wanted & {sd.layout.form for sd in prev.sheets}:
        held = ", ".join(sorted({sd.layout.nama for sd in prev.sheets})) or "tidak ada lembar form"
        forms = ", ".join(sorted(LAYOUTS[f].nama for f in wanted))
        return (f"Berkas --sebelumnya '{name}' tidak memuat {forms} (isinya: {held}); pilih laporan triwulan lalu "
                "dari form yang sama.")
    before = identitas_of(prev)
    for b in books:
        ident, this = identitas_of(b), f"'{shown(b.path.name)}'"
        if before.unit and ident.unit and before.unit != ident.unit:
            return (f"Berkas --sebelumnya '{name}' laporan satker {before.unit}, sedangkan {this} laporan satker "
                    f"{ident.unit}: pilih laporan triwulan lalu satker itu.")
        t, tw = ident.tahun, ident.triwulan
        if t is None or tw is None:
            continue
        this += f" laporan triwulan {ROMAWI[tw]} tahun {t}"
        if tw == 1:
            return (f"{this}: tidak ada triwulan lalu dalam tahun anggaran yang sama (s.d. triwulan lalu dimulai dari "
                    "nol); jalankan tanpa --sebelumnya.")
        pt, ptw = before.tahun, before.triwulan
        if pt is not None and ptw is not None and (pt, ptw) != (t, tw - 1):
            same = " (triwulan yang sama)" if (pt, ptw) == (t, tw) else ""
            return (f"Berkas --sebelumnya '{name}' adalah laporan triwulan {ROMAWI[ptw]} tahun {pt}{same}, sedangkan "
                    f"{this}: pilih laporan triwulan {ROMAWI[tw - 1]} tahun {t}.")
    return ""
