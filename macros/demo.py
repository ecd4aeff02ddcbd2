"""The built-in demo: real seed reports as kinerja workbooks.

Each demo workbook is the seed report as its unit printed it. Input cells get
the printed values. A derived cell keeps its formula where the printed value
is what the formula gives (within the form's rounding); where the seed
printed something else, the printed value is typed over the formula, as the
unit did, so that Validasi finds it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from workbooks.builder import SheetValues, Typed, build_workbook
from workbooks.compute import derive
from workbooks.forms import LAYOUT_VERSION, LAYOUTS
from workbooks.meta import Meta
from workbooks.model import Jenis, Layout, Peran
from workbooks.numbers import to_float
from workbooks.reader import read_workbook

DEMO_FILES = {
    "bspji_manado_2023_tw2_paket.json": "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx",
    "bspji_manado_2023_rencana_aksi.json": "247246_BSPJI-Manado_2023_rencana-aksi.xlsx",
    "bpsdmi_2023_tw2_form_b_DL.json": "BPSDMI_2023_TW2_form-b_DL.xlsx",
    "bpsdmi_2023_tw2_form_b_WA.json": "BPSDMI_2023_TW2_form-b_WA.xlsx",
    "bpsdmi_2023_tw2_perjanjian_kinerja.json": "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx",
}
DEMO_TIME = "2023-07-11T09:00:00"  # the satker's Nota Dinas date (003:L5); fixed so demo files are reproducible


@dataclass
class DemoBook:
    meta: Meta
    printed: dict[str, SheetValues]  # what the seed printed, derived cells included
    layouts: dict[str, Layout]
    source: str


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _field_value(layout: Layout, key: str, v: Any) -> Any:
    try:
        f = layout.field(key)
    except KeyError:
        return v
    if f.jenis is Jenis.TANGGAL and isinstance(v, str):
        return dt.date.fromisoformat(v)
    return v


def load_demo(name: str) -> DemoBook:
    data = json.loads(resources.files("macros.demo_data").joinpath(name).read_text(encoding="utf-8"))
    m = data["meta"]
    meta = Meta(form=m["form"], versi=LAYOUT_VERSION, satker=m.get("satker", ""), satker_nama=m.get("satker_nama", ""),
                eselon1=m.get("eselon1", ""), tahun=m.get("tahun"), triwulan=m.get("triwulan"),
                kegiatan=tuple(m.get("kegiatan", ())), dibuat=DEMO_TIME)
    printed, layouts = {}, {}
    for sheet, s in data["sheets"].items():
        lay = LAYOUTS[s["form"]]
        layouts[sheet] = lay
        printed[sheet] = SheetValues(
            fields={k: _field_value(lay, k, v) for k, v in s.get("fields", {}).items()},
            tables={t: [_clean(r) for r in rows] for t, rows in s.get("tables", {}).items()},
            totals={t: _clean(r) if not r.get("_missing") else {"_missing": True} for t, r in s.get("totals", {}).items()},
        )
    return DemoBook(meta, printed, layouts, data.get("source", ""))


def _same(jenis: Jenis, printed: Any, computed: Any) -> bool:
    if jenis.numeric:
        p = to_float(printed)
        c = computed if isinstance(computed, (int, float)) else to_float(computed)
        if c is not None and isinstance(c, float) and math.isnan(c):
            c = None
        if p is None:
            return c is None or c == 0
        if c is None:
            return False
        tol = 0.01 if jenis is Jenis.PERSEN else 0.5
        return abs(p - c) <= tol + 1e-9
    norm = lambda v: "" if v is None else str(v).strip()  # noqa: E731
    return norm(printed) == norm(computed)


def _inputs_only(layout: Layout, sv: SheetValues) -> SheetValues:
    derived_keys = {t.key: {c.key for c in t.columns if c.peran is Peran.TURUNAN} for t in layout.tables}
    derived_fields = {f.key for f in layout.fields if f.peran is Peran.TURUNAN}
    return SheetValues(
        fields={k: v for k, v in sv.fields.items() if k not in derived_fields},
        tables={t: [{k: v for k, v in r.items() if k not in derived_keys.get(t, ())} for r in rows]
                for t, rows in sv.tables.items()},
    )


def build_as_printed(book: DemoBook) -> Workbook:
    """The seed as a kinerja workbook: formulas where they agree with the print, typed values where not."""
    inputs = {s: _inputs_only(book.layouts[s], sv) for s, sv in book.printed.items()}
    wb, _ = build_workbook(book.meta, inputs)
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "pass1.xlsx"
        wb.save(p)
        data = read_workbook(p)
    final: dict[str, SheetValues] = {}
    for sd in data.sheets:
        sv = book.printed.get(sd.name, SheetValues())
        view, _derived = derive(sd)
        lay = sd.layout
        tables: dict[str, list[dict[str, Any]]] = {}
        totals: dict[str, dict[str, Any]] = {}
        for t in lay.tables:
            td = sd.tables[t.key]
            base = td.number_row + 1
            pos = {r - base: i for i, r in enumerate(td.rows)}
            rows = []
            for off, prow in enumerate(sv.tables.get(t.key, [])):
                row = dict(prow)
                i = pos.get(off)
                for c in t.columns:
                    if c.peran is Peran.TURUNAN and c.key in prow:
                        computed = view.computed.get((t.key, i, c.key)) if i is not None else None
                        if not _same(c.jenis, prow[c.key], computed):
                            row[c.key] = Typed(prow[c.key])
                        else:
                            row.pop(c.key)
                rows.append(row)
            tables[t.key] = rows
            ptot = sv.totals.get(t.key, {})
            if t.total and ptot.get("_missing"):
                totals[t.key] = {k: Typed(None) for k in t.total.rules}
            elif t.total:
                totals[t.key] = {
                    k: Typed(v) for k, v in ptot.items()
                    if k in t.total.rules and not _same(t.column(k).jenis, v, view.computed.get((t.key, None, k)))
                }
        fields = dict(sv.fields)
        for f in lay.fields:
            if f.peran is Peran.TURUNAN and f.key in fields:
                if _same(f.jenis, fields[f.key], view.computed.get((None, None, f.key))):
                    fields.pop(f.key)
                else:
                    fields[f.key] = Typed(fields[f.key])
        final[sd.name] = SheetValues(fields=fields, tables=tables, totals=totals)
    wb, _ = build_workbook(book.meta, final)
    return wb


def write_demo(out_dir: str | Path) -> list[Path]:
    """Write every demo workbook into ``out_dir``; returns their paths."""
    from macros.files import save_atomic

    out = Path(out_dir)
    paths = []
    for src, target in DEMO_FILES.items():
        wb = build_as_printed(load_demo(src))
        paths.append(save_atomic(wb, out / target))
    return paths
