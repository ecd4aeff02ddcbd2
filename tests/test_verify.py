"""The formulas Validasi accepts in derived cells: rendered once per rule and filled per cell, they equal the
builder's full rendering of every cell of the demo's workbooks (every form)."""

from __future__ import annotations

from workbooks import verify
from workbooks.reader import read_workbook


def test_filled_templates_equal_full_renderings_on_every_demo_form(demo_dir, monkeypatch):
    files = sorted(demo_dir.glob("*.xlsx"))
    forms, cells = set(), 0
    for path in files:
        data = read_workbook(path)
        for sd in data.sheets:
            fast = verify.expected_formulas(sd)
            with monkeypatch.context() as m:
                m.setattr(verify, "_filled", verify._renderings)
                full = verify.expected_formulas(sd)
            assert fast == full, (path.name, sd.name)
            forms.add(sd.layout.form)
            cells += len(fast)
    assert {"form-a", "alki", "form-b", "perjanjian-kinerja", "rencana-aksi"} <= forms
    assert cells >= 400  # 401 derived cells in the demo (TW II 2023)


def test_a_rule_whose_rendering_parses_its_refs_is_rendered_in_full():
    from workbooks.forms import LAYOUTS

    rule = next(f.rule for f in LAYOUTS["skm"].fields if f.key == "ikm")
    assert verify._template(rule) is None  # its native rendering splits the answers' range into columns
    render = lambda ref: "$I$4" if ref.startswith("@") else "B15:O44"  # noqa: E731
    got = verify._filled(rule, render)
    assert got == verify._renderings(rule, render) and any("B15:B44" in text for text in got)
