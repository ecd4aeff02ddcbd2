"""Cross-form rules over several files of one unit and year (issue 12 item 3).

The same figure printed in two tables must agree: the Rencana Aksi's target antara of a triwulan and the
Pengukuran's target antara of that triwulan (V33), the Perjanjian Kinerja's target and the Renstra's target
of that year (V34), the Perjanjian Kinerja's realisasi and the TW IV Pengukuran's (V35), and across years the
Renstra's realisasi of a year (its history columns) and the realisasi of that year's Perjanjian Kinerja, when
earlier years' PK workbooks are given too (V36). Rows pair by the
indicator's name (case, spacing and a final full stop aside). Each finding is reported in both files, at
its own cell, and names the other one (file — sheet!cell). Files pair when their year agrees and, where
both carry one, their satker.

The rules run on a small view of each file (:func:`view`: per relevant sheet, each indicator's compared
values with their cells), so Validasi (:func:`check_across` over read workbooks) and Konsolidasi (views
made by its worker processes and kept in its read cache, :func:`check` over the files of one unit and year
and :func:`check_years` over a Renstra and its unit's earlier Perjanjian Kinerja, in the parent) run the
same code.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from macros.plan import Finding
from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.findings import Findings
from workbooks.forms.pengukuran import INDIKATOR as PU
from workbooks.forms.pengukuran import PENGUKURAN
from workbooks.forms.perjanjian_kinerja import INDIKATOR as PK
from workbooks.forms.perjanjian_kinerja import PERJANJIAN_KINERJA
from workbooks.forms.rencana_aksi import INDIKATOR as RA
from workbooks.forms.rencana_aksi import RENCANA_AKSI
from workbooks.forms.renstra import INDIKATOR as RS
from workbooks.forms.renstra import REALISASI, RENSTRA, TARGET
from workbooks.numbers import number
from workbooks.reader import SheetData, WorkbookData, shown

# Rencana Aksi's target antara column per triwulan, from its layout
TW_TARGET_ANTARA = dict(enumerate((k for k in RA.keys if k.endswith("_target_antara_pct")), start=1))

TABLE = "indikator"
# Per form: the indicator name column and the columns the rules compare
COMPARED = {
    RENCANA_AKSI.form: (RA.c3_indikator, tuple(TW_TARGET_ANTARA.values())),
    PENGUKURAN.form: (PU.c3_indikator_kinerja, (PU.c6_target_antara_pct, PU.c5_realisasi)),
    PERJANJIAN_KINERJA.form: (PK.c3_indikator, (PK.c6_target, PK.c7_realisasi)),
    RENSTRA.form: (RS.c4_indikator, (*TARGET, *REALISASI)),
}


@dataclass(frozen=True)
class Sel:
    """One compared number with its cell ("SHEET!A1") and its column's label."""

    value: float
    address: str
    label: str


@dataclass(frozen=True)
class Baris:
    """One indicator row: its name as written and its numeric compared cells by column key."""

    name: str
    cells: dict[str, Sel]


@dataclass(frozen=True)
class LembarLintas:
    """One sheet of a form the rules compare: its indicator rows by normalised name."""

    name: str
    form: str
    rows: dict[str, Baris]
    first_year: int | None = None  # a Renstra's Tahun ke-1


@dataclass(frozen=True)
class BerkasLintas:
    """What the cross-form rules need of one file: its name, metadata and relevant sheets."""

    file: str
    meta: bool  # the file has a metadata sheet (satker and year known from it)
    satker: str = ""
    tahun: int | None = None
    triwulan: int | None = None
    sheets: tuple[LembarLintas, ...] = ()

    def only(self, sheets: Collection[str]) -> BerkasLintas:
        """This view with only the sheets named in ``sheets``."""
        return dataclasses.replace(self, sheets=tuple(s for s in self.sheets if s.name in sheets))

    def of(self, form: str) -> BerkasLintas:
        """This view with only its sheets of ``form``."""
        return self.only({s.name for s in self.sheets if s.form == form})


def _name(x: object) -> str:
    return " ".join(str(x or "").replace("\u00a0", " ").split()).rstrip(".").casefold()


def _first_year(sd: SheetData) -> int | None:
    """A Renstra's Tahun ke-1: the first year its Periode Renstra names (None without one: no column has a year;
    the metadata's year is the year the file was made, not the period's first)."""
    cv = sd.fields.get("periode")
    m = re.search(r"(19|20)\d{2}", str(cv.value if cv else "") or "")
    return int(m.group(0)) if m else None


def _sheet(b: WorkbookData, sd: SheetData) -> LembarLintas | None:
    td = sd.tables.get(TABLE)
    if sd.layout.form not in COMPARED or td is None:
        return None
    name_key, keys = COMPARED[sd.layout.form]
    columns = {k: td.values[k].tolist() for k in keys if k in td.values}
    labels = {k: td.table.column(k).label for k in columns}
    rows: dict[str, Baris] = {}
    for i, v in enumerate(td.values[name_key].tolist()):
        if not _name(v):
            continue
        cells = {k: Sel(float(x), td.address(i, k), labels[k]) for k, col in columns.items()
                 if (x := number(col[i])) is not None}
        rows[_name(v)] = Baris(str(v), cells)
    first = _first_year(sd) if sd.layout.form == RENSTRA.form else None
    return LembarLintas(sd.name, sd.layout.form, rows, first)


def view(b: WorkbookData, file: str | None = None) -> BerkasLintas | None:
    """The cross-form view of a read workbook named ``file`` (default: its file name); None when it holds
    no sheet the rules compare."""
    sheets = tuple(s for sd in b.sheets if (s := _sheet(b, sd)) is not None)
    if not sheets:
        return None
    m = b.meta
    return BerkasLintas(shown(b.path.name) if file is None else file, m is not None, m.satker if m else "",
                        m.tahun if m else None, m.triwulan if m else None, sheets)


def _sheets(files: Sequence[BerkasLintas], form: str) -> Iterator[tuple[BerkasLintas, LembarLintas]]:
    for b in files:
        for s in b.sheets:
            if s.form == form:
                yield b, s


def _same_unit(a: BerkasLintas, b: BerkasLintas) -> bool:
    if not (a.meta and b.meta):
        return False
    return (a.satker == b.satker or not a.satker or not b.satker) and (
        a.tahun is None or b.tahun is None or a.tahun == b.tahun)


class _Pair:
    """Compares two cells and reports a disagreement in both files."""

    def __init__(self) -> None:
        self.out: dict[str, Findings] = {}

    def compare(self, rule: str, row: str, what: str, a: tuple[BerkasLintas, Baris, str],
                b: tuple[BerkasLintas, Baris, str], tol: float) -> None:
        ca, cb = a[1].cells.get(a[2]), b[1].cells.get(b[2])
        if ca is None or cb is None or abs(ca.value - cb.value) <= tol:
            return
        for (mine, here), (other, there) in (((a[0], ca), (b[0], cb)), ((b[0], cb), (a[0], ca))):
            f = self.out.setdefault(mine.file, Findings(mine.file))
            f.add(rule, here.address, here.label, here.value, there.value, row=row, what=what,
                  here=angka(here.value), there=angka(there.value), other=f"{other.file} — {there.address}")


def check(files: Sequence[BerkasLintas]) -> dict[str, list[Finding]]:
    """Findings of the cross-form rules over the views ``files``, per file name (:attr:`BerkasLintas.file`)."""
    pair = _Pair()
    pengukuran = list(_sheets(files, PENGUKURAN.form))
    for rb, rs in _sheets(files, RENCANA_AKSI.form):
        for pb, ps in pengukuran:
            q = pb.triwulan if pb.meta else None
            if pb is rb or q not in TW_TARGET_ANTARA or not _same_unit(rb, pb):
                continue
            for name, row in ps.rows.items():
                if name in rs.rows:
                    pair.compare("V33", row.name, f"target antara Triwulan {q}", (pb, row, PU.c6_target_antara_pct),
                                 (rb, rs.rows[name], TW_TARGET_ANTARA[q]), TOL_PCT)
    for kb, ks in _sheets(files, PERJANJIAN_KINERJA.form):
        year = kb.tahun if kb.meta else None
        for sb, ss in _sheets(files, RENSTRA.form):
            first = ss.first_year
            if sb is kb or year is None or first is None or not 0 <= year - first < len(TARGET):
                continue
            if kb.satker and sb.satker and kb.satker != sb.satker:
                continue
            for name, row in ss.rows.items():
                if name in ks.rows:
                    mine = ks.rows[name]
                    pair.compare("V34", mine.name, f"target {year}", (kb, mine, PK.c6_target),
                                 (sb, row, TARGET[year - first]), 0.0)
                    pair.compare("V36", mine.name, f"realisasi {year}", (kb, mine, PK.c7_realisasi),
                                 (sb, row, REALISASI[year - first]), 0.0)
        for pb, ps in pengukuran:
            if pb is kb or not pb.meta or pb.triwulan != 4 or not _same_unit(kb, pb):
                continue
            for name, row in ps.rows.items():
                if name in ks.rows:
                    pair.compare("V35", ks.rows[name].name, "realisasi akhir tahun", (kb, ks.rows[name], PK.c7_realisasi),
                                 (pb, row, PU.c5_realisasi), 0.0)
    return {name: f.items for name, f in pair.out.items()}


def check_years(renstra: BerkasLintas, pk: Sequence[BerkasLintas]) -> dict[str, list[Finding]]:
    """The Renstra-against-PK rules (V34 target, V36 realisasi, by :func:`check`, as Validasi gives them over
    several years' files): the Renstra sheets of ``renstra`` against the Perjanjian Kinerja sheets of ``pk`` (the
    caller's choice: its unit's files of earlier years), per file name. Only those sheets are passed, so no other
    rule finds a pair (V33 and V35 need a Rencana Aksi or Pengukuran) and the files' other sheets (a package's
    own PK, an earlier year's Renstra) take no part."""
    return check([renstra.of(RENSTRA.form), *(b.of(PERJANJIAN_KINERJA.form) for b in pk)])


def check_across(books: Sequence[WorkbookData]) -> dict[str, list[Finding]]:
    """Findings of the cross-form rules over read workbooks, per file name (as
    :func:`macros.validation.validate` names it)."""
    return check([v for b in books if (v := view(b)) is not None])
