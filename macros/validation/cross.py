"""Cross-sheet rules of a package: FORM A outputs against the ALKI komponen that roll up to them
(V17 pagu, V18/V18b weighted realisasi), from the :class:`~workbooks.checks.FromComponents` specs."""

from __future__ import annotations

from collections import defaultdict

import udfs
from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.checks import paired_row
from macros.validation.findings import Findings
from workbooks.checks import FromComponents, SumOf, WeightedOf
from workbooks.compute import Sheet, present
from workbooks.reader import SheetData, TableData, WorkbookData


def _kegiatan(sd: SheetData) -> str:
    if "kegiatan" not in sd.fields:
        return sd.kegiatan
    return sd.kegiatan or (sd.fields["kegiatan"].value or "")[:4]


def from_components(spec: FromComponents, sd: SheetData, view: Sheet, source: TableData, out: Findings) -> None:
    """Each row of ``sd`` identified by (kegiatan, ``spec.match``) against its group of ``source`` rows."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(*(map(str, source.values[k].tolist()) for k in spec.group))):
        groups[key].append(i)
    lists: dict[str, list] = {}

    def col(key: str, idx: list[int]) -> list:
        if key not in lists:  # each source column listed once (not once per matched row)
            lists[key] = source.values[key].tolist()
        values = lists[key]
        return [values[i] for i in idx]

    match = sd.tables[spec.match.table]
    keg = _kegiatan(sd)
    codes = match.values[spec.match].tolist()
    for i in range(len(match.rows)):
        code = codes[i]
        idx = groups.get((str(keg), str(code)))
        if not idx:
            continue
        for check in spec.checks:
            if isinstance(check, SumOf):
                mine = view.value(check.target.table, i, check.target) or 0.0
                total = sum(x for x in col(check.source, idx) if present(x))
                if abs(total - mine * check.scale) >= 0.5:
                    label = match.table.column(check.at).headers[-1]
                    out.add(check.rule, match.address(i, check.at), f"Anggaran {label}", mine, total / check.scale,
                            output=code, mine=angka(mine), want=angka(total / check.scale))
                continue
            target = sd.tables[check.target.table]
            j = paired_row(match, i, target)
            if j is None:
                continue
            _weighted(check, target, j, view.value(check.target.table, j, check.target),
                      udfs.rata_tertimbang(col(check.source, idx), col(spec.weight, idx)), code, out)


def _weighted(check: WeightedOf, target: TableData, j: int, mine: object, want: object, code: object,
              out: Findings) -> None:
    if not isinstance(mine, (int, float)) or isinstance(want, udfs.NilaiGalat) or not present(mine):
        return
    if abs(mine - want) > TOL_PCT + 1e-9:  # type: ignore[operator]
        label = target.table.column(check.target).label
        out.add(check.rule, target.address(j, check.target), label, mine, want, output=code, label=label,
                mine=angka(mine), want=angka(udfs.bulat(want)))


def check_across_sheets(data: WorkbookData, views: dict[str, Sheet], out: Findings) -> None:
    """Every cross-form spec of every sheet, against the first sheet of the source form in the package."""
    for sd in data.sheets:
        for spec in sd.layout.checks:
            if not isinstance(spec, FromComponents):
                continue
            src = next((s for s in data.sheets if s.layout.form == spec.form), None)
            if src is not None:
                from_components(spec, sd, views[sd.name], src.tables[spec.group[0].table], out)
