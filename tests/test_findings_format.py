"""Issue 9 item 4 and 7: one findings format for every front end (file, add-in, task pane)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import numpy as np
import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from addin.payload import payload
from macros.apply_file import annotate_copy
from addin.cli import app
from macros.findings_format import (
    FILL,
    HASIL,
    TANDA,
    Tanda,
    hasil_grid,
    legend_cells,
    read_tanda,
    shown,
    tanda_grid,
)
from macros.plan import Finding, Plan, Severity
from macros.validation import validate
from tests.officejs import apply_actions
from tests.test_addin import ADDIN_JS, PAKET

runner = CliRunner()
PERSEN = '0.00;-0.00;"-"'
RP = '#,##0;-#,##0;"-"'


def test_values_show_at_the_precision_of_the_form_in_indonesian():
    assert shown(0.988125333566859, PERSEN) == "0,99"
    assert shown(1.681141742168659, PERSEN) == "1,68"
    assert shown(100.0, PERSEN) == "100,00"
    assert shown(np.float64(60.0), PERSEN) == "60,00"
    assert shown(1234567.0, RP) == "1.234.567"
    assert shown(367604908000, RP) == "367.604.908.000"
    assert shown(0.988125333566859) == "0,99"  # no known format: at most two decimals
    assert shown(21.009999999999998, "General") == "21,01"
    assert shown(2022, "@") == "2022" and shown(2022) == "2022"  # a year stays a year
    assert shown("SP DIPA-019.07.2.247246/2023") == "SP DIPA-019.07.2.247246/2023" and shown(None) is None
    assert shown(["NaN", 100.0], PERSEN) == "NaN; 100,00"
    assert shown(dt.date(2023, 6, 30)) == "30/06/2023" and shown(dt.datetime(2023, 7, 5, 14, 30)) == "05/07/2023 14:30"


def _plan() -> Plan:
    fs = [Finding("V08", Severity.GALAT, "FORM A 6077", "F41", "Jumlah / Fisik", 0.87, 0.9881253335668592, "beda"),
          Finding("V18b", Severity.PERINGATAN, "FORM A 6077", "L38", "Keuangan / R", 21.009999999999998,
                  21.035243485989614, "beda sedikit")]
    return Plan(findings=fs)


def test_findings_sheet_has_rule_titles_legend_and_rounded_values():
    grid = hasil_grid(_plan(), lambda sheet, cell: PERSEN)
    assert grid[0][0] == "HASIL VALIDASI — 1 galat, 1 peringatan"
    legend = " ".join(v for r in grid[1:HASIL.header_row - 1] for v in r if v)
    assert "merah = galat" in legend and "kuning = peringatan" in legend
    assert grid[HASIL.header_row - 1] == HASIL.headers
    row = dict(zip([c.key for c in HASIL.columns], grid[HASIL.header_row], strict=True))
    assert row["aturan"] == "V08" and row["judul"] == "Jumlah FORM A tidak sama dengan kontribusi terhadap pagu satker"
    assert (row["ditemukan"], row["seharusnya"]) == ("0,87", "0,99")
    assert all(len(r) == len(HASIL.columns) for r in grid)


def test_marks_sheet_reads_every_version_by_header_or_legacy_position():
    entries = [Tanda("PENGUKURAN", "M21", "#EDEDED", False), Tanda("FORM A 6077", "B35", "", True)]
    assert read_tanda(tanda_grid(entries)) == entries
    reordered = [[r[2], r[0], r[3], r[1]] for r in tanda_grid(entries)]  # columns moved: still read by header
    assert read_tanda(reordered) == entries
    # the add-in's old rows (sheet, cell) and the file front end's old rows (sheet, cell, JSON fill, comment)
    assert read_tanda([["PENGUKURAN", "M21"]]) == [Tanda("PENGUKURAN", "M21", None, False)]  # fill unknown
    old = [["PENGUKURAN", "M21", json.dumps({"type": "solid", "fg": "FFEDEDED"}), False], ["ALKI", "K10", "", True]]
    assert read_tanda(old) == [Tanda("PENGUKURAN", "M21", "#EDEDED", False), Tanda("ALKI", "K10", "", True)]


@pytest.fixture(scope="module")
def client():
    from addin.app import create_app

    return TestClient(create_app())


def _marks(wb) -> dict[tuple[str, str], str]:
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type else None
                if ws.title != HASIL.name and isinstance(rgb, str) and rgb[-6:] in ("FFC7CE", "FFEB9C"):
                    out[(ws.title, c.coordinate)] = rgb[-6:]
    return out


def test_a_workbook_marked_in_excel_then_validated_with_anotasi(client, demo_dir, tmp_path):
    src = demo_dir / PAKET
    r = client.post("/xlwings/custom-scripts-call/validasi", json=payload(src))
    assert r.status_code == 200, r.text
    marked = apply_actions(src, r.json()["actions"], tmp_path / "ditandai-excel.xlsx")
    assert marked["PENGUKURAN"]["M21"].comment is not None
    res = runner.invoke(app, ["validasi", str(tmp_path / "ditandai-excel.xlsx"), "--anotasi", str(tmp_path / "a")])
    assert res.exit_code == 1, res.output  # galat found, no traceback
    assert isinstance(res.exception, SystemExit)  # an exit code, not a crash
    out = openpyxl.load_workbook(tmp_path / "a" / "ditandai-excel.xlsx")
    fresh = openpyxl.load_workbook(annotate_copy(src, validate(src).plan(), tmp_path / "langsung.xlsx"))
    assert _marks(out) == _marks(fresh)  # old marks replaced, not stacked
    assert out.sheetnames.count(HASIL.name) == 1
    assert [r for r in out[HASIL.name].iter_rows(values_only=True)] == \
        [r for r in fresh[HASIL.name].iter_rows(values_only=True)]
    assert out["PENGUKURAN"]["M21"].comment.text.count("[V11") == 1
    marked_in_excel = openpyxl.load_workbook(tmp_path / "ditandai-excel.xlsx")[HASIL.name]
    for r, c, text, severity in legend_cells():  # the colour legend, in both front ends
        for ws in (out[HASIL.name], marked_in_excel):
            assert ws.cell(r, c).value == text
            if severity is not None:
                assert ws.cell(r, c).fill.fgColor.rgb.endswith(FILL[severity])


def test_a_workbook_with_the_old_add_in_marks_sheet_no_longer_crashes(demo_dir, tmp_path):
    wb = openpyxl.load_workbook(demo_dir / PAKET)
    ws = wb.create_sheet(TANDA.name)
    ws.append(["PENGUKURAN", "M21"])  # what the add-in used to write
    wb["PENGUKURAN"]["M21"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFC7CE")
    ws.sheet_state = "hidden"
    wb.save(tmp_path / "lama.xlsx")
    res = runner.invoke(app, ["validasi", str(tmp_path / "lama.xlsx"), "--anotasi", str(tmp_path / "a")])
    assert res.exit_code == 1 and "ValueError" not in res.output, res.output
    out = openpyxl.load_workbook(tmp_path / "a" / "lama.xlsx")
    assert read_tanda(list(out[TANDA.name].iter_rows(values_only=True)))[0].sheet  # rewritten in the new format
    assert [c.value for c in out[TANDA.name][1]] == TANDA.headers


def _node(script: str, data: object) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    code = f"const k = require({json.dumps(str(ADDIN_JS))});\nconst data = {json.dumps(data)};\n{script}"
    r = subprocess.run([node, "-e", code], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_task_pane_reads_findings_by_header_even_when_columns_move(demo_dir):
    plan = validate(demo_dir / PAKET).plan()
    grid = hasil_grid(plan)
    order = list(range(len(HASIL.columns)))[::-1]  # every column moved
    reordered = [[r[i] for i in order] for r in grid]
    got = _node("console.log(JSON.stringify([k.bacaTemuan(data[0]), k.bacaTemuan(data[1]), k.KOLOM]));",
                [grid, reordered])
    normal, moved, kolom = got
    assert set(kolom.values()) <= set(HASIL.headers)  # the JS asks for headers the layout has
    assert normal == moved and normal["ringkasan"] == grid[0][0]
    assert len(normal["temuan"]) == len(plan.findings)
    first, f0 = normal["temuan"][0], plan.findings[0]
    assert (first["aturan"], first["lembar"], first["sel"], first["tingkat"], first["pesan"]) == \
        (f0.rule, f0.sheet, f0.cell, str(f0.severity), f0.message)


FAKE_EXCEL = """
function fakeContext(protectedSheets, password) {
  const log = [];
  const sheets = {};
  for (const name of ["FORM A 6077", "Hasil Validasi"]) {
    const state = { protected: protectedSheets.includes(name), options: { allowFormatColumns: true } };
    sheets[name] = { protection: {
      load() {}, get protected() { return state.protected; }, get options() { return state.options; },
      unprotect() { if (password) throw new Error("InvalidPassword"); state.protected = false; log.push(["buka", name]); },
      protect(o) { state.protected = true; state.options = o; log.push(["kunci", name, o]); },
    } };
  }
  return { log, context: { workbook: { worksheets: { getItem: (n) => sheets[n] } }, sync: async () => {} } };
}
"""


def test_protection_callbacks_unprotect_and_restore_the_same_options():
    got = _node(FAKE_EXCEL + """
(async () => {
  const a = fakeContext(["FORM A 6077"], false);
  await k.kinerjaBukaProteksi(a.context, "FORM A 6077");
  await k.kinerjaBukaProteksi(a.context, "Hasil Validasi");  // not protected: nothing to do
  await k.kinerjaKunciLagi(a.context, "FORM A 6077");
  await k.kinerjaKunciLagi(a.context, "Hasil Validasi");
  const b = fakeContext(["FORM A 6077"], true);
  let pesan = "";
  try { await k.kinerjaBukaProteksi(b.context, "FORM A 6077"); } catch (e) { pesan = k.pesanGalat(e); }
  console.log(JSON.stringify({ log: a.log, pesan, jaringan: k.pesanGalat({ request: {} }),
    server: k.pesanGalat({ response: { status: 400, data: "Kiriman belum dapat disiapkan" } }),
    excel: k.pesanGalat({ actionFunc: "setRangeColor", actionIndex: 2, message: "Action 3 failed: AccessDenied" }),
    lain: k.pesanGalat(new Error("GeneralException")) }));
})();
""", None)
    assert got["log"] == [["buka", "FORM A 6077"], ["kunci", "FORM A 6077", {"allowFormatColumns": True}]]
    assert got["pesan"].startswith("Lembar 'FORM A 6077' dikunci dengan kata sandi")
    assert got["jaringan"].startswith("Server kinerja tidak menjawab")
    assert got["server"] == "Kiriman belum dapat disiapkan"
    assert got["excel"].startswith("Excel menolak perubahan ke-3 (setRangeColor).") and "failed" not in got["excel"]
    assert got["lain"].startswith("Excel menolak perubahan.") and "GeneralException" not in got["lain"]


def test_the_marks_sheet_callback_makes_it_very_hidden():
    got = _node("""
const sheet = { visibility: "Visible" };
globalThis.Excel = { SheetVisibility: { visible: "Visible", hidden: "Hidden", veryHidden: "VeryHidden" } };
const asked = [];
const context = { workbook: { worksheets: { getItem: (n) => { asked.push(n); return sheet; } } }, sync: async () => {} };
k.kinerjaSembunyikan(context, data).then(() => console.log(JSON.stringify({ asked, visibility: sheet.visibility })));
""", TANDA.name)
    assert got == {"asked": [TANDA.name], "visibility": "VeryHidden"}


def test_submitted_text_that_looks_like_a_formula_stays_text_in_the_add_in(client, demo_dir, tmp_path):
    from workbooks.teks import put

    wb = openpyxl.load_workbook(demo_dir / PAKET)
    put(wb["FORM A 6077"]["F35"], "=HYPERLINK(\"http://contoh.invalid\",\"klik\")")  # typed as text by a user
    wb.save(tmp_path / "teks.xlsx")
    r = client.post("/xlwings/custom-scripts-call/validasi", json=payload(tmp_path / "teks.xlsx"))
    assert r.status_code == 200, r.text
    out = apply_actions(tmp_path / "teks.xlsx", r.json()["actions"], tmp_path / "ditandai.xlsx")
    hasil = openpyxl.load_workbook(tmp_path / "ditandai.xlsx")[HASIL.name]
    col = HASIL.position("ditemukan")
    cells = [row[col - 1] for row in hasil.iter_rows(min_row=HASIL.header_row + 1)
             if str(row[col - 1].value or "").startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a live formula
    assert out["FORM A 6077"]["F35"].fill.fgColor.rgb.endswith("FFC7CE")


def test_task_pane_shows_the_indonesian_message_when_office_js_did_not_load():
    got = _node("""
const el = {};
for (const id of ["kinerja-tanpa-office", "xlwings-office-ready-error", "xlwings-taskpane-reload-btn",
                  "xlwings-taskpane-reload-cancel-btn"]) {
  const classes = new Set(["d-none"]);
  el[id] = { textContent: "English", classList: { add: (c) => classes.add(c), remove: (c) => classes.delete(c),
             has: (c) => classes.has(c) }, querySelector: () => el.inner };
}
el.inner = { textContent: "The add-in didn't load properly." };
globalThis.document = { getElementById: (id) => el[id] || null };
k.siapkanPanel();  // Office and Excel are not defined: office.js failed to load
console.log(JSON.stringify({ shown: !el["kinerja-tanpa-office"].classList.has("d-none"), text: el.inner.textContent,
  reload: el["xlwings-taskpane-reload-btn"].textContent, cancel: el["xlwings-taskpane-reload-cancel-btn"].textContent }));
""", None)
    assert got == {"shown": True, "text": "Add-in Kinerja belum termuat dengan benar.", "reload": "Muat ulang",
                   "cancel": "Batal"}


def test_hapus_tanda_in_excel_reads_the_old_marks_sheet_and_gives_the_grey_back(client, demo_dir, tmp_path):
    wb = openpyxl.load_workbook(demo_dir / PAKET)
    ws = wb.create_sheet(TANDA.name)
    ws.append(["PENGUKURAN", "M21"])  # what the add-in used to write: no fill recorded
    wb["PENGUKURAN"]["M21"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFC7CE")
    wb.save(tmp_path / "lama.xlsx")
    r = client.post("/xlwings/custom-scripts-call/hapus_tanda", json=payload(tmp_path / "lama.xlsx"))
    assert r.status_code == 200, r.text
    out = apply_actions(tmp_path / "lama.xlsx", r.json()["actions"], tmp_path / "bersih.xlsx")
    assert out["PENGUKURAN"]["M21"].fill.fgColor.rgb.endswith("EDEDED") and TANDA.name not in out.sheetnames
