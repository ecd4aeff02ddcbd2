"""Cross-form rules over several files of one unit and year (issue 12 item 3).

The same figure printed in two tables must agree: the Rencana Aksi's target antara of a triwulan and the
Pengukuran's target antara of that triwulan (V33), the Perjanjian Kinerja's target and the Renstra's target
of that year (V34), the Perjanjian Kinerja's realisasi and the TW IV Pengukuran's (V35), and across years the
Renstra's realisasi of a year (its history columns) and the realisasi of that year's Perjanjian Kinerja, when
earlier years' PK workbooks are given too (V36). Rows pair by the
indicator's name (case, spacing and a final full stop aside). Each finding is reported in both files, at
its own cell, and names the other one (file — sheet!cell). Files pair when their year agrees and, where
both carry one, their satker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

from macros.plan import Finding
from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.findings import Findings
from workbooks.forms.pengukuran import INDIKATOR as PU
from workbooks.forms.perjanjian_kinerja import INDIKATOR as PK
from workbooks.forms.rencana_aksi import INDIKATOR as RA
from workbooks.forms.renstra import INDIKATOR as RS
from workbooks.forms.renstra import REALISASI, TARGET
from workbooks.reader import SheetData, WorkbookData, shown

# Rencana Aksi's target antara column per triwulan, from its layout
TW_TARGET_ANTARA = dict(enumerate((k for k in RA.keys if k.endswith("_target_antara_pct")), start=1))


def _name(x: object) -> str:
    return " ".join(str(x or "").replace("\u00a0", " ").split()).rstrip(".").casefold()


def _sheets(books: Sequence[WorkbookData], form: str) -> Iterator[tuple[WorkbookData, SheetData]]:
    for b in books:
        for sd in b.sheets:
            if sd.layout.form == form:
                yield b, sd


def _same_unit(a: WorkbookData, b: WorkbookData) -> bool:
    ma, mb = a.meta, b.meta
    if ma is None or mb is None:
        return False
    return (ma.satker == mb.satker or not ma.satker or not mb.satker) and (
        ma.tahun is None or mb.tahun is None or ma.tahun == mb.tahun)


def _rows(sd: SheetData, table: str, key: str) -> dict[str, int]:
    td = sd.tables.get(table)
    if td is None:
        return {}
    return {_name(v): i for i, v in enumerate(td.values[key].tolist()) if _name(v)}


def _num(v: object) -> float | None:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v)
    return float(v) if ok else None  # type: ignore[arg-type]


def _where(b: WorkbookData, sd: SheetData, table: str, i: int, key: str) -> tuple[str, str]:
    addr = sd.tables[table].address(i, key)
    return addr, f"{shown(b.path.name)} — {addr}"


class _Pair:
    """Compares two cells and reports a disagreement in both files."""

    def __init__(self, out: dict[str, Findings]):
        self.out = out

    def findings(self, b: WorkbookData) -> Findings:
        name = shown(b.path.name)
        return self.out.setdefault(name, Findings(name))

    def compare(self, rule: str, row: str, what: str, a: tuple[WorkbookData, SheetData, str, int, str],
                b: tuple[WorkbookData, SheetData, str, int, str], tol: float) -> None:
        va, vb = _num(a[1].tables[a[2]].values.at[a[3], a[4]]), _num(b[1].tables[b[2]].values.at[b[3], b[4]])
        if va is None or vb is None or abs(va - vb) <= tol:
            return
        (addr_a, full_a), (addr_b, full_b) = _where(*a[:2], *a[2:]), _where(*b[:2], *b[2:])
        for (bk, sd, table, _, key), addr, mine, other, there in (
                (a, addr_a, va, vb, full_b), (b, addr_b, vb, va, full_a)):
            label = sd.tables[table].table.column(key).label
            self.findings(bk).add(rule, addr, label, mine, other, row=row, what=what, here=angka(mine),
                                  there=angka(other), other=there)


def _first_year(sd: SheetData, b: WorkbookData) -> int | None:
    cv = sd.fields.get("periode")
    m = re.search(r"(19|20)\d{2}", str(cv.value if cv else "") or "")
    if m:
        return int(m.group(0))
    return b.meta.tahun if b.meta else None


def check_across(books: Sequence[WorkbookData]) -> dict[str, list[Finding]]:
    """Findings of the cross-form rules, per file name (as :func:`macros.validation.validate` names it)."""
    out: dict[str, Findings] = {}
    pair = _Pair(out)
    pengukuran = list(_sheets(books, "pengukuran-rencana-aksi"))
    for rb, rs in _sheets(books, "rencana-aksi"):
        ra_rows = _rows(rs, "indikator", RA.c3_indikator)
        for pb, ps in pengukuran:
            q = pb.meta.triwulan if pb.meta else None
            if pb is rb or q not in TW_TARGET_ANTARA or not _same_unit(rb, pb):
                continue
            for name, j in _rows(ps, "indikator", PU.c3_indikator_kinerja).items():
                if name in ra_rows:
                    pair.compare("V33", ps.tables["indikator"].values.at[j, PU.c3_indikator_kinerja],
                                 f"target antara Triwulan {q}",
                                 (pb, ps, "indikator", j, PU.c6_target_antara_pct),
                                 (rb, rs, "indikator", ra_rows[name], TW_TARGET_ANTARA[q]), TOL_PCT)
    for kb, ks in _sheets(books, "perjanjian-kinerja"):
        pk_rows = _rows(ks, "indikator", PK.c3_indikator)
        year = kb.meta.tahun if kb.meta else None
        for sb, ss in _sheets(books, "renstra"):
            first = _first_year(ss, sb)
            if sb is kb or year is None or first is None or not 0 <= year - first < len(TARGET):
                continue
            if kb.meta and sb.meta and kb.meta.satker and sb.meta.satker and kb.meta.satker != sb.meta.satker:
                continue
            for name, j in _rows(ss, "indikator", RS.c4_indikator).items():
                if name in pk_rows:
                    pair.compare("V34", ks.tables["indikator"].values.at[pk_rows[name], PK.c3_indikator],
                                 f"target {year}", (kb, ks, "indikator", pk_rows[name], PK.c6_target),
                                 (sb, ss, "indikator", j, TARGET[year - first]), 0.0)
                    pair.compare("V36", ks.tables["indikator"].values.at[pk_rows[name], PK.c3_indikator],
                                 f"realisasi {year}", (kb, ks, "indikator", pk_rows[name], PK.c7_realisasi),
                                 (sb, ss, "indikator", j, REALISASI[year - first]), 0.0)
        for pb, ps in pengukuran:
            if pb is kb or not pb.meta or pb.meta.triwulan != 4 or not _same_unit(kb, pb):
                continue
            for name, j in _rows(ps, "indikator", PU.c3_indikator_kinerja).items():
                if name in pk_rows:
                    pair.compare("V35", ks.tables["indikator"].values.at[pk_rows[name], PK.c3_indikator],
                                 "realisasi akhir tahun", (kb, ks, "indikator", pk_rows[name], PK.c7_realisasi),
                                 (pb, ps, "indikator", j, PU.c5_realisasi), 0.0)
    return {name: f.items for name, f in out.items()}
