"""The generic engine of form checks: evaluates the specs a form declares (:mod:`workbooks.checks`).

One function per spec type; :func:`check_form` runs a sheet's form-level specs in their declared order.
Cross-form (:class:`~workbooks.checks.FromComponents`) and cross-quarter (:class:`~workbooks.checks.CarriedOver`)
specs run in :mod:`macros.validation.cross` and :mod:`macros.validation.previous`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import udfs
from macros.validation.catalogue import TOL_PCT, angka
from macros.validation.findings import Findings
from macros.validation.identity import satker_of_unit
from workbooks.checks import (
    CarriedOver, Check, FieldEquals, FieldIsTotal, FromComponents, MatchesDipa, NoGap, ProgressAgrees,
    RealisasiWithoutTarget, RequiredWhenBelow, RisesTo100, SameInAllRows, WithinQuarter,
)
from workbooks.compute import Sheet, present
from workbooks.forms._cols import RE_DIPA
from workbooks.model import Key
from workbooks.numbers import number
from workbooks.reader import SheetData, TableData

ROMAWI = ("I", "II", "III", "IV")
VALUE_UNITS = {"persen", "%", "nilai", "indeks", "level", ""}  # an indicator measured as a value, not a count


@dataclass
class Context:
    """What a form check may look at: the sheet, its effective values and the report's period and satker."""

    sd: SheetData
    view: Sheet
    out: Findings
    tahun: int | None = None
    triwulan: int | None = None
    satker: str = ""


def column(td: TableData, key: str) -> list[Any]:
    return td.values[key].tolist()


def paired_row(td: TableData, i: int, other: TableData) -> int | None:
    """The row of ``other`` at the same position below its numbered row as row ``i`` of ``td``."""
    return other.offsets.get(td.offset(i))


def same_in_all_rows(spec: SameInAllRows, ctx: Context) -> None:
    td = ctx.sd.tables[spec.s.table]
    pairs = [(a, b) for a, b in zip(column(td, spec.s), column(td, spec.r)) if present(a) or present(b)]
    if len(pairs) >= 2 and any((a or 0) != 0 for a, _ in pairs) and all(a == b for a, b in pairs):
        label = td.table.column(spec.r).label
        ctx.out.add(spec.rule, td.address(0, spec.r), label, "S = R", "S dan R diisi terpisah", label=label,
                    n=len(pairs))


def rises_to_100(spec: RisesTo100, ctx: Context) -> None:
    td = ctx.sd.tables[spec.label.table]
    last = len(spec.steps) - 1
    for i in range(len(td.rows)):
        vals = [td.values.at[i, k] for k in spec.steps]
        filled = [n for n, v in enumerate(vals) if present(v)]
        # the first filled quarter below the filled one before it: marked there, both named
        fall = next(((a, b) for a, b in zip(filled, filled[1:]) if vals[b] < vals[a]), None)
        problem = None
        if not present(vals[last]) or vals[last] != 100:
            problem = (last, "", {})
        elif fall is not None:
            problem = (fall[1], "turun", {"tw_lalu": ROMAWI[fall[0]], "nilai": angka(vals[fall[1]]),
                                          "lalu": angka(vals[fall[0]])})
        else:
            plans = [td.values.at[i, k] for k in spec.plans]
            gap = next((n for n in range(len(spec.steps)) if not present(vals[n]) and present(plans[n]) and
                        str(plans[n]).strip() not in ("-", "–")), None)
            if gap is not None:
                problem = (gap, "kosong", {})
        if problem:
            n, variant, more = problem
            key = spec.steps[n]
            ctx.out.add(spec.rule, td.address(i, key), td.table.column(key).label, [angka(v) for v in vals],
                        "naik bertahap sampai 100", variant, row=td.values.at[i, spec.label], tw=ROMAWI[n], **more)


def no_gap(spec: NoGap, ctx: Context) -> None:
    td = ctx.sd.tables[spec.label.table]
    for i in range(len(td.rows)):
        filled = [present(td.raw_value(i, k)) for k in spec.steps]
        if True not in filled:
            continue
        first, last = filled.index(True), len(filled) - 1 - filled[::-1].index(True)
        gap = next((n for n in range(first, last) if not filled[n]), None)
        if gap is not None:
            key = spec.steps[gap]
            label = td.table.column(key).label
            ctx.out.add(spec.rule, td.address(i, key), label, None, "terisi", row=td.values.at[i, spec.label],
                        kolom=label)


def within_quarter(spec: WithinQuarter, ctx: Context) -> None:
    cv = ctx.sd.fields.get(spec.field)
    tahun, triwulan = ctx.tahun, ctx.triwulan
    if cv is None or not tahun or not triwulan:
        return
    label = ctx.sd.layout.field(spec.field).label
    d = cv.value
    if isinstance(d, dt.datetime):
        d = d.date()
    if not isinstance(d, dt.date):
        if present(d):
            ctx.out.add(spec.rule, cv.address, label, d, "tanggal", "bukan-tanggal", label=label)
        return
    start, end = dt.date(tahun, 3 * triwulan - 2, 1), dt.date(tahun, 3 * triwulan, 30 if triwulan in (2, 3) else 31)
    if not start <= d <= end:
        ctx.out.add(spec.rule, cv.address, label, d.isoformat(), f"{start.isoformat()} s.d. {end.isoformat()}",
                    date=f"{d:%d-%m-%Y}", triwulan=triwulan, tahun=tahun)


def normalised(v: Any) -> str:
    return re.sub(r"\s+", " ", str(v)).strip().casefold()


def _field_cell(sd: SheetData, key: str):
    return sd.fields.get(key) or sd.signature.get(key)


def _field_label(sd: SheetData, key: str) -> str:
    """A field's label as messages cite it: "Penanggung Jawab Kegiatan (I.8)", "Nama penanda tangan"."""
    f = sd.layout.field(key)
    if f in sd.layout.signature:
        return f"{f.label} penanda tangan"
    return f"{f.label} (I.{f.number.rstrip('.')})" if f.number else f.label


def field_equals(spec: FieldEquals, ctx: Context) -> None:
    mine, other = _field_cell(ctx.sd, spec.field), _field_cell(ctx.sd, spec.other)
    if mine and other and present(mine.value) and present(other.value) and \
            normalised(mine.value) != normalised(other.value):
        label = _field_label(ctx.sd, spec.field)
        ctx.out.add(spec.rule, mine.address, label, mine.value, other.value, label=label, found=angka(mine.value),
                    other=_field_label(ctx.sd, spec.other), expected=angka(other.value))


def field_is_total(spec: FieldIsTotal, ctx: Context) -> None:
    cv = _field_cell(ctx.sd, spec.field)
    td = ctx.sd.tables[spec.column.table]
    if cv is None or number(cv.value) is None:
        return
    filled = [v for v in column(td, spec.column) if number(v) is not None]
    if not filled:
        return
    total = sum(filled)
    complete = len(filled) == len(td.rows)
    if abs(total - cv.value) < 0.5 or not (complete or total > cv.value):
        return
    label, kolom = _field_label(ctx.sd, spec.field), td.table.column(spec.column).label
    ctx.out.add(spec.rule, cv.address, label, cv.value, total, "" if complete else "lebih", label=label,
                total=angka(cv.value), kolom=kolom, jumlah=angka(total), n=len(filled),
                selisih=angka(abs(total - cv.value)))


def _paired_values(sd: SheetData, td: TableData, key: Key) -> list[Any]:
    """What ``key`` holds on each row of ``td``: its own row when ``key`` is a column of ``td``'s table, else the
    paired row of ``key``'s table (no pair: ``td``'s own column of that name, else None). Values as
    ``DataFrame.at`` gives them."""
    other = sd.tables[key.table]
    theirs = other.values[key].to_numpy()
    if key.table == td.table.key:
        return list(theirs)
    mine = td.values[key].to_numpy() if key in td.values.columns else None
    out = []
    for i in range(len(td.rows)):
        j = paired_row(td, i, other)
        out.append(theirs[j] if j is not None else None if mine is None else mine[i])
    return out


def required_when_below(spec: RequiredWhenBelow, ctx: Context) -> None:
    sd, at = ctx.sd, spec.at
    td = sd.tables[at.table]
    named = sd.tables[spec.named_in.table]
    text = " ".join({str(v).casefold() for v in column(named, spec.named_in) if present(v)})
    if not td.rows:
        return
    pairs = [(ctx.view.column(at.table, s), ctx.view.column(at.table, r)) for s, r in spec.pairs]
    names = [_paired_values(sd, td, key) for key in spec.names]
    for i in range(len(td.rows)):
        nums = [[x if isinstance(x, (int, float)) else None for x in (s[i], r[i])] for s, r in pairs]
        if not any(present(a) and present(b) and b < a - TOL_PCT for a, b in nums):
            continue
        row = [col[i] for col in names]
        if not any(present(x) and str(x).casefold() in text for x in row):
            ctx.out.add(spec.rule, td.address(i, at), "Kendala", None, "diisi di bagian IV",
                        output=angka(next((x for x in row if x), row[-1])))


def matches_dipa(spec: MatchesDipa, ctx: Context) -> None:
    cv = ctx.sd.fields.get(spec.field)
    if cv is None or not isinstance(cv.value, str):
        return
    label = ctx.sd.layout.field(spec.field).label
    satker = ""
    if spec.unit_field:
        unit = ctx.sd.fields.get(spec.unit_field)
        satker = ctx.satker or (satker_of_unit(unit.value) if unit else "")
    for part in dipa_numbers(cv.value):
        m = re.match(RE_DIPA, part)
        if not m:
            ctx.out.add("V05", cv.address, label, part, "SP DIPA-019.07.2.247246/2023", "dipa", value=angka(part))
            continue
        year, dipa_satker = int(m.group(5)), m.group(4)
        if ctx.tahun and year != ctx.tahun:
            ctx.out.add(spec.rule, cv.address, label, year, ctx.tahun, value=angka(part), year=year, tahun=ctx.tahun)
        if satker and dipa_satker != satker:
            ctx.out.add(spec.rule, cv.address, label, dipa_satker, satker, "satker", found=dipa_satker, satker=satker)


def dipa_numbers(text: str) -> list[str]:
    """The DIPA numbers of a field that lists several ("SP DIPA-…/2023, DIPA-…/2023")."""
    return [p.strip() for p in re.split(r",\s*(?=(?:SP\s*)?DIPA|\d{3}\.)", text or "") if p.strip()]


def progress_agrees(spec: ProgressAgrees, ctx: Context) -> None:
    td = ctx.sd.tables[spec.target.table]
    at = spec.realisasi_antara
    label = td.table.column(at).headers[-1]  # the column's own header ("Realisasi Antara (%)")
    for i in range(len(td.rows)):
        v = td.values
        t, r, ta, ra = (v.at[i, k] for k in (spec.target, spec.realisasi, spec.target_antara, at))
        if not all(present(x) for x in (t, r, ta, ra)):
            continue
        pol = str(v.at[i, spec.polaritas] or "maksimal")
        satuan = str(v.at[i, spec.satuan] or "").strip().casefold()
        row = v.at[i, spec.label]
        if satuan not in VALUE_UNITS:  # a count accumulating to its annual target: antara = R/T×100 (R8)
            want = r / t * 100 if t else None
            # real Rencana Aksi plan cumulative physical progress ending at 100 %: a realisasi antara that
            # follows that plan (equal to the target antara) is accepted as well (issue 12)
            if want is not None and abs(ra - want) > 1 and abs(ra - ta) > 1:
                ctx.out.add(spec.rule, td.address(i, at), label, ra, want, "hitung", row=row, ra=angka(ra),
                            r=angka(r), t=angka(t), want=angka(udfs.bulat(want)))
            continue
        met = r >= t if not pol.startswith("minimal") else r <= t
        if (ra >= ta and not met) or (ra < ta and met):
            ctx.out.add(spec.rule, td.address(i, at), label, ra, ta, row=row, ra=angka(ra),
                        arah="mencapai" if ra >= ta else "di bawah", ta=angka(ta), r=angka(r),
                        status="belum" if not met else "sudah", t=angka(t))


def realisasi_without_target(spec: RealisasiWithoutTarget, ctx: Context) -> None:
    td = ctx.sd.tables[spec.target.table]
    for i in range(len(td.rows)):
        t, r = td.values.at[i, spec.target], td.values.at[i, spec.realisasi]
        if isinstance(t, (int, float)) and isinstance(r, (int, float)) and t == 0 and r > 0:
            label = td.table.column(spec.realisasi).label
            ctx.out.add(spec.rule, td.address(i, spec.target), label, t, "target > 0",
                        row=td.values.at[i, spec.label], r=angka(r))


ENGINE: dict[type, Callable[[Any, Context], None]] = {
    SameInAllRows: same_in_all_rows,
    RisesTo100: rises_to_100,
    NoGap: no_gap,
    WithinQuarter: within_quarter,
    FieldEquals: field_equals,
    FieldIsTotal: field_is_total,
    RequiredWhenBelow: required_when_below,
    MatchesDipa: matches_dipa,
    ProgressAgrees: progress_agrees,
    RealisasiWithoutTarget: realisasi_without_target,
}
ELSEWHERE = (FromComponents, CarriedOver)  # whole-package and cross-quarter specs


def check_form(ctx: Context) -> None:
    """Every form-level check the sheet's layout declares, in order; an unknown spec type raises."""
    for spec in ctx.sd.layout.checks:
        if isinstance(spec, ELSEWHERE):
            continue
        if not isinstance(spec, Check) or type(spec) not in ENGINE:
            raise TypeError(f"{ctx.sd.layout.form}: no engine for check {spec!r}")
        ENGINE[type(spec)](spec, ctx)
