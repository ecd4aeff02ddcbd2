"""Form facts live in workbooks/forms: nothing else names a column key as a string literal (issue 11)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from workbooks.checks import CarriedOver, weighted_columns
from workbooks.forms import LAYOUTS
from workbooks.forms.form_a import FORM_A, REALISASI
from workbooks.forms.form_b import KEGIATAN
from workbooks.model import Key

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("addin", "macros", "udfs", "workbooks", "bench")


def _column_keys() -> set[str]:
    return {c.key for lay in LAYOUTS.values() for t in lay.tables for c in t.columns}


def literal_keys(source: str, keys: set[str]) -> list[tuple[int, str]]:
    """(line, key) of every string constant equal to a column key (docstrings and f-string parts included)."""
    return sorted((n.lineno, n.value) for n in ast.walk(ast.parse(source))
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in keys)


def test_no_module_outside_forms_names_a_column_key():
    keys = _column_keys()
    assert len(keys) > 100  # every layout's keys, not an empty set
    hits = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if rel.parts[:2] == ("workbooks", "forms"):
                continue
            hits += [f"{rel}:{line}: {key!r}" for line, key in literal_keys(path.read_text(encoding="utf-8"), keys)]
    assert not hits, "column keys typed as text (use the layout attribute, e.g. REALISASI.c11_sd_keu_R):\n" + \
        "\n".join(hits)


def test_the_scan_sees_a_literal_key():
    keys = _column_keys()
    src = 'row = {"c11_sd_keu_R": 1}\nx = REALISASI.c11_sd_keu_R\ny = "c11_sd_keu_R_lain"\n'
    assert literal_keys(src, keys) == [(1, "c11_sd_keu_R")]


def test_keys_are_layout_attributes():
    k = FORM_A.realisasi.c11_sd_keu_R
    assert isinstance(k, Key) and k == "c11_sd_keu_R" and k.table == "realisasi"
    assert {k: 1}["c11_sd_keu_R"] == 1  # a plain string as a dict key
    assert pickle.loads(pickle.dumps(k)).table == "realisasi"
    with pytest.raises(AttributeError):
        REALISASI.c11_sd_keu_X  # noqa: B018 - a typo fails where it is written
    with pytest.raises(AttributeError):
        FORM_A.realisasii  # noqa: B018


def test_facts_derived_from_the_layout():
    pairs = next(c for c in FORM_A.checks if isinstance(c, CarriedOver)).pairs
    assert pairs == (("c2_lalu_keu_S", "c10_sd_keu_S"), ("c3_lalu_keu_R", "c11_sd_keu_R"),
                     ("c4_lalu_fis_S", "c12_sd_fis_S"), ("c5_lalu_fis_R", "c13_sd_fis_R"))
    assert weighted_columns(KEGIATAN) == ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct",
                                          "c11_output_R_pct")


def test_every_rollup_and_check_names_columns_of_its_layout():
    for lay in LAYOUTS.values():
        tables = {t.key: t for t in lay.tables}
        keys = [k for spec in lay.checks for k in vars(spec).values() if isinstance(k, Key)]
        if lay.rollup is not None:
            keys += [k for v in lay.rollup.fields.values() for k in (v if isinstance(v, tuple) else (v,))]
        for k in keys:
            if k.table in tables:
                tables[k.table].column(k)  # raises KeyError when a spec names a column the table lacks


def test_annual_forms_are_one_fact_on_their_layouts():
    """Which forms are filed once a year is declared on each layout (``tahunan``); Validasi's quarter check and
    the konsolidasi key read it from there (no list of form ids elsewhere)."""
    from macros.validation.findings import Findings
    from macros.validation.identity import check_period
    from workbooks.forms import FORMS_TAHUNAN
    from workbooks.meta import Meta

    assert FORMS_TAHUNAN == ("rencana-aksi", "perjanjian-kinerja", "renstra", "rincian", "rincian-pnbp")
    flagged = set()
    for form in (*LAYOUTS, "paket-triwulan"):
        out = Findings("x.xlsx")
        check_period(Meta(form, "2026.1", tahun=2023, triwulan=None), "S", out)
        if [f.rule for f in out.items] == ["V16"]:
            flagged.add(form)
    assert flagged == {*LAYOUTS, "paket-triwulan"} - set(FORMS_TAHUNAN)
    for module in ("macros/validation/identity.py", "macros/konsolidasi/extract.py", "macros/konsolidasi/collect.py",
                   "macros/konsolidasi/rollup.py"):
        source = (ROOT / module).read_text(encoding="utf-8")
        assert not {"renstra", "rincian-pnbp", "rencana-aksi"} & {v for _, v in literal_keys(source, set(LAYOUTS))}
