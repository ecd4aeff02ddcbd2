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


def test_a_ref_down_a_column_is_spelled_out_only_when_it_moves_with_the_row_or_stays():
    calls = []

    def render_at(o, ref):
        calls.append((o, ref))
        return {"own": f"D{10 + o}", "field": "$I$4", "span": f"D{10 + o}:H{10 + o}",
                "odd": f"D{10 + o * o}"}[ref]

    offsets = [0, 1, 2, 3, 5]
    assert verify._down(render_at, "own", offsets) == ["D10", "D11", "D12", "D13", "D15"]
    assert verify._down(render_at, "field", offsets) == ["$I$4"] * 5
    assert len(calls) == 6  # three probes each
    assert verify._down(render_at, "span", offsets) == [f"D{10 + o}:H{10 + o}" for o in offsets]
    assert verify._down(render_at, "odd", offsets) == [f"D{10 + o * o}" for o in offsets]  # not linear: each row
