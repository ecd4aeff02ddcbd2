"""Issue 6: the Excel add-in through xlwings Server: custom functions, ribbon scripts, manifest, task pane."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import openpyxl
import pytest
import xlwings as xw
from fastapi.testclient import TestClient

import udfs
from addin.payload import payload
from macros.apply_file import annotate_copy
from macros.findings_format import HASIL, TANDA, read_tanda
from macros.validation import validate
from tests.officejs import OfficeJsRefused, apply_actions
from tests.synth import Paket, write

PAKET = "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"
ADDIN_JS = Path(__file__).parents[1] / "addin" / "server" / "static" / "js" / "kinerja.js"


@pytest.fixture(scope="module")
def client():
    from addin.app import create_app

    return TestClient(create_app())


def call(client, fn: str, *args):
    body = {"func_name": fn, "args": list(args), "caller_address": "Sheet1!A1", "formula_name": f"KINERJA.{fn}",
            "version": xw.__version__, "runtime": "1.4", "culture_info_name": "id-ID", "date_format": "dd/mm/yyyy",
            "client": "Office.js"}
    r = client.post("/xlwings/custom-functions-call", json=body)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_custom_functions_meta_lists_kinerja_functions_with_indonesian_help(client):
    meta = client.get("/xlwings/custom-functions-meta").json()
    names = {f["name"] for f in meta["functions"]}
    assert {"CAPAIAN", "IKM", "P3DN", "KONTRIBUSI", "RATA_TERTIMBANG", "IKM_MUTU"} <= names
    cap = next(f for f in meta["functions"] if f["name"] == "CAPAIAN")
    assert "Capaian kinerja" in cap["description"]
    assert any("polaritas" in p["name"] and "maksimal" in p.get("description", "") for p in cap["parameters"])
    js = client.get("/xlwings/custom-functions-code").text
    assert 'CustomFunctions.associate("CAPAIAN"' in js


def test_custom_functions_return_the_same_values_as_the_plain_functions(client):
    # seed inputs: SAKIP 76,80 / 80,4 (003:L1410); a 2-D range as Excel sends it
    assert call(client, "capaian", [[80.4]], [[76.8]], [["maksimal"]], [[None]])[0][0] == pytest.approx(
        udfs.capaian(80.4, 76.8))
    col = call(client, "capaian", [[80.4], [92.5]], [[76.8], [100]], [["maksimal"]], [[None]])
    assert [r[0] for r in col] == pytest.approx([95.5224, 108.1081], abs=1e-4)
    answers = [[4, 3, 4, 4, 3, 4, 4, 3, 4], [3, 3, 4, 4, 4, 4, 4, 4, 4]]
    assert call(client, "ikm", answers, [["permenpanrb-14-2017"]])[0][0] == pytest.approx(udfs.ikm(answers))
    real, pagu = [[110714444818 + 13945209243]], [[367604908000]]  # BPSDMI P3DN (000:L765)
    assert call(client, "p3dn", real, pagu, [[None]])[0][0] == pytest.approx(33.91, abs=0.005)
    err = call(client, "capaian", [[0]], [[5]], [["maksimal"]], [[None]])[0][0]
    assert err == {"type": "Error", "errorType": "Div0"}  # an Excel #DIV/0! cell, not a crash


@pytest.fixture(scope="module")
def validated(client, demo_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("addin")
    src = demo_dir / PAKET
    r = client.post("/xlwings/custom-scripts-call/validasi", json=payload(src))
    assert r.status_code == 200, r.text
    out = tmp / "marked.xlsx"
    apply_actions(src, r.json()["actions"], out)
    return src, out, r.json()["actions"]


def _marks(wb) -> dict[tuple[str, str], str]:
    out = {}
    for ws in wb.worksheets:
        if ws.title == "Hasil Validasi":
            continue
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type else None
                if isinstance(rgb, str) and rgb[-6:] in ("FFC7CE", "FFEB9C"):
                    out[(ws.title, c.coordinate)] = rgb[-6:]
    return out


def test_validasi_marks_the_same_cells_as_the_command_line(validated, tmp_path):
    src, out, _ = validated
    via_server = _marks(openpyxl.load_workbook(out))
    via_file = _marks(openpyxl.load_workbook(annotate_copy(src, validate(src).plan(), tmp_path / "cli.xlsx")))
    assert via_server == via_file and len(via_server) > 10
    wb = openpyxl.load_workbook(out)
    hasil = wb["Hasil Validasi"]
    assert hasil["A1"].value.startswith("HASIL VALIDASI")
    assert hasil.cell(HASIL.header_row + 1, HASIL.position("sel")).hyperlink is not None
    assert "V11" in wb["PENGUKURAN"]["M21"].comment.text


def _values(ws) -> list[tuple]:
    return [tuple(v for v in r) for r in ws.iter_rows(values_only=True)]


def test_both_front_ends_write_the_same_findings_sheets(validated, tmp_path):
    src, out, _ = validated
    via_server = openpyxl.load_workbook(out)
    via_file = openpyxl.load_workbook(annotate_copy(src, validate(src).plan(), tmp_path / "cli.xlsx"))
    assert _values(via_server["Hasil Validasi"]) == _values(via_file["Hasil Validasi"])
    server_marks = read_tanda(_values(via_server["_kinerja_tanda"]))
    file_marks = read_tanda(_values(via_file["_kinerja_tanda"]))
    assert server_marks == file_marks and len(server_marks) > 10
    m21 = next(t for t in server_marks if (t.sheet, t.cell) == ("PENGUKURAN", "M21"))
    assert m21.fill == "#EDEDED" and not m21.had_note  # the template's grey for a derived cell


def test_marks_on_protected_sheets_and_the_protection_comes_back(validated, tmp_path):
    src, out, actions = validated
    before = openpyxl.load_workbook(src)
    assert before["FORM A 6077"].protection.sheet and before["FORM A 6077"].protection.formatCells
    wb = openpyxl.load_workbook(out)
    assert wb["FORM A 6077"]["F41"].fill.fgColor.rgb.endswith("FFC7CE")  # V08 galat on a protected FORM A
    for name in ("FORM A 6077", "FORM A 6042", "ALKI", "PENGUKURAN"):
        assert wb[name].protection.sheet and wb[name].protection.formatCells, name
        assert not wb[name].protection.formatColumns  # the template's allowances kept
    # without kinerja.js unprotecting first, Excel refuses the first mark (what users saw before)
    bare = [a for a in actions if a["func"] != "runMacro"]
    with pytest.raises(OfficeJsRefused):
        apply_actions(src, bare, tmp_path / "refused.xlsx")
    names = {a["args"][0] for a in actions if a["func"] == "runMacro"}
    js = (ADDIN_JS).read_text(encoding="utf-8")
    assert names == {"kinerjaBukaProteksi", "kinerjaKunciLagi", "kinerjaSembunyikan"}
    assert all(f"async function {n}(context, sheetName)" in js and f"registerCallback({n})" in js for n in names)


def test_the_marks_sheet_is_very_hidden_as_the_file_front_end_writes_it(validated, tmp_path):
    src, out, actions = validated
    via_server = openpyxl.load_workbook(out)[TANDA.name]
    via_file = openpyxl.load_workbook(annotate_copy(src, validate(src).plan(), tmp_path / "cli.xlsx"))[TANDA.name]
    assert via_server.sheet_state == via_file.sheet_state == "veryHidden"  # not listed under Unhide
    assert not [a for a in actions if a["func"] == "setSheetVisibility"]  # xlwings' own only hides
    hide = [a["args"] for a in actions if a["func"] == "runMacro" and a["args"][0] == "kinerjaSembunyikan"]
    assert hide == [["kinerjaSembunyikan", TANDA.name]]


def test_classic_desktop_makes_the_marks_sheet_very_hidden():
    from addin import kerja

    sheet = _ComSheet(TANDA.name, False)
    kerja._very_hidden(type("Book", (), {"sheets": [sheet], "api": object()})(), sheet)
    assert sheet.Visible == 2  # xlSheetVeryHidden; xlwings' visible = False gives xlSheetHidden (0)


def test_hapus_tanda_removes_the_marks(client, validated, tmp_path):
    src, out, _ = validated
    r = client.post("/xlwings/custom-scripts-call/hapus_tanda", json=payload(out))
    assert r.status_code == 200, r.text
    cleared = apply_actions(out, r.json()["actions"], tmp_path / "cleared.xlsx")
    assert _marks(cleared) == {}
    assert "Hasil Validasi" not in cleared.sheetnames and "_kinerja_tanda" not in cleared.sheetnames
    assert cleared["PENGUKURAN"]["M21"].fill.fgColor.rgb.endswith("EDEDED")  # derived grey restored
    assert cleared["PENGUKURAN"]["M21"].comment is None


def test_siapkan_kiriman_refuses_with_galat_in_indonesian(client, demo_dir):
    r = client.post("/xlwings/custom-scripts-call/siapkan_kiriman", json=payload(demo_dir / PAKET))
    assert r.status_code == 400
    assert "Kiriman belum dapat disiapkan: masih ada 13 galat" in r.text and "An error occurred" not in r.text


def test_siapkan_kiriman_stamps_a_clean_workbook(client, tmp_path):
    src = write(Paket(), tmp_path / "clean.xlsx")
    r = client.post("/xlwings/custom-scripts-call/siapkan_kiriman", json=payload(src))
    assert r.status_code == 200, r.text
    wb = apply_actions(src, r.json()["actions"], tmp_path / "sent.xlsx")
    meta = {row[0].value: row[1].value for row in wb["_kinerja"].iter_rows()}
    assert meta["status_validasi"] == "valid; 0 peringatan" and meta["waktu_kirim"]


def test_hitung_ulang_reports_typed_cells(client, demo_dir):
    r = client.post("/xlwings/custom-scripts-call/hitung_ulang", json=payload(demo_dir / "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx"))
    assert r.status_code == 200
    alerts = [a["args"][0] for a in r.json()["actions"] if a["func"] == "alert"]
    assert any("berbeda" in a for a in alerts)


def test_a_crash_inside_a_script_is_a_readable_message(client):
    body = {"client": "Office.js", "version": xw.__version__, "book": {"name": "x.xlsx", "active_sheet_index": 0,
            "selection": "A1"}, "names": [], "sheets": [{"name": "Lembar1", "values": [["daftar belanja"]],
            "pictures": [], "tables": [], "charts": [], "shapes": [], "pivot_tables": []}]}
    r = client.post("/xlwings/custom-scripts-call/validasi", json=body)
    assert r.status_code == 400 and "bukan form kinerja" in r.text


def _book(**extra) -> dict:
    return {"client": "Office.js", "version": xw.__version__, "book": {"name": "x.xlsx", "active_sheet_index": 0,
            "selection": "A1"}, "names": [], "sheets": [{"name": "Lembar1", "values": [["daftar belanja"]]}], **extra}


def _fn(**change) -> dict:
    body = {"func_name": "capaian", "args": [[[80.4]], [[76.8]], [["maksimal"]], [[None]]], "caller_address": "A1",
            "version": xw.__version__, "runtime": "1.4", "culture_info_name": "id-ID", "date_format": "dd/mm/yyyy",
            "client": "Office.js", **change}
    return {k: v for k, v in body.items() if v is not ...}


FN, SCRIPT = "/xlwings/custom-functions-call", "/xlwings/custom-scripts-call/"


@pytest.mark.parametrize("path,body,status,detail", [
    # each of these reached the vendor's catch-all before: 500 "An error occurred."
    (FN, _fn(args=...), 400, "'args' harus berupa larik JSON."),
    (FN, _fn(args={"target": 1}), 400, "'args' harus berupa larik JSON."),
    (FN, _fn(func_name="tidak_ada"), 400, "Fungsi KINERJA.TIDAK_ADA tidak dikenal server kinerja."),
    (FN, _fn(func_name="__init__"), 400, "Fungsi KINERJA.__INIT__ tidak dikenal server kinerja."),
    (FN, _fn(args=[[[80.4]]]), 400, "Fungsi KINERJA.CAPAIAN menerima 2 sampai 4 argumen, bukan 1."),
    (FN, _fn(args=[[[1]]] * 5), 400, "Fungsi KINERJA.CAPAIAN menerima 2 sampai 4 argumen, bukan 5."),
    (FN, _fn(args=[{"a": 1}, [[76.8]]]), 400, "Argumen ke-1 fungsi KINERJA.CAPAIAN bukan sel atau rentang."),
    (FN, _fn(version=...), 400, "Permintaan tidak lengkap: 'version' (teks) tidak ada."),
    (FN, _fn(runtime=...), 400, "Permintaan tidak lengkap: 'runtime' (versi API Excel) tidak ada atau tidak sah."),
    (FN, _fn(date_format=5), 400, "Permintaan tidak sah: 'date_format' harus berupa teks."),
    (SCRIPT + "validasi", {"book": None}, 400, "Data buku kerja tidak sah: buku, lembar atau nilai sel tidak"),
    (SCRIPT + "validasi", {"version": "x", "book": 5, "sheets": 7}, 400, "Data buku kerja tidak sah: buku,"),
    (SCRIPT + "validasi", _book(sheets=[5]), 400, "Data buku kerja tidak sah: buku, lembar"),
    (SCRIPT + "tidak_ada", _book(), 404, "Skrip 'tidak_ada' tidak dikenal server kinerja."),
    # answered in English by the vendor before (400)
    (SCRIPT + "validasi", {}, 400, "Data buku kerja tidak sah: buku, lembar atau nilai sel tidak lengkap."),
    (SCRIPT + "validasi", _book(args=[1]), 400, "Skrip 'validasi' menerima 0 argumen, bukan 1."),
    (SCRIPT + "validasi", _book(client="VBA", version="0.1.0"), 400,
     f"Versi xlwings klien (0.1.0) berbeda dengan server ({xw.__version__})."),
])
def test_a_malformed_call_body_is_refused_in_indonesian_with_4xx(client, path, body, status, detail):
    r = client.post(path, json=body)
    assert (r.status_code, r.json()["detail"][:len(detail)]) == (status, detail), r.text


def test_a_fault_inside_the_server_is_an_indonesian_500_not_the_vendors_english(monkeypatch):
    from xlwings_server.object_handles import XlwingsOperationalError
    from xlwings_server.routers import xlwings as vendor

    from addin.app import create_app
    from addin.calls import SERVER_ERROR, SERVICE_DOWN

    quiet = TestClient(create_app(), raise_server_exceptions=False)
    assert quiet.post("/xlwings/custom-functions-call", json=_fn()).status_code == 200

    async def crash(**_):
        raise RuntimeError("a fault in the vendor's code")

    monkeypatch.setattr(vendor, "custom_functions_call", crash)
    r = quiet.post("/xlwings/custom-functions-call", json=_fn())
    assert (r.status_code, r.json()) == (500, {"detail": SERVER_ERROR})
    assert "An error occurred" not in r.text and "RuntimeError" not in r.text

    async def no_cache(**_):
        raise XlwingsOperationalError("Redis connection refused")

    monkeypatch.setattr(vendor, "custom_functions_call", no_cache)
    r = quiet.post("/xlwings/custom-functions-call", json=_fn())
    assert (r.status_code, r.json()) == (503, {"detail": SERVICE_DOWN})  # still 5xx: the client retries it


def test_manifest_is_valid_xml_with_every_button_and_the_configured_host(client):
    text = client.get("/manifest.xml", headers={"host": "kinerja.contoh.go.id"}).text
    root = ET.fromstring(text)
    ns = {"o": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
          "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0"}
    labels = {s.get("id"): s.get("DefaultValue") for s in root.iter(f"{{{ns['bt']}}}String")}
    assert labels["KinerjaTab.Label"] == "Kinerja" and labels["Functions.Namespace"] == "KINERJA"
    for b in ("Validasi", "HapusTanda", "HitungUlang", "SiapkanKiriman", "TambahBaris", "PulihkanRumus"):
        assert labels[f"{b}.Label"] and labels[f"{b}.Tooltip"]
    assert labels["TambahBaris.Label"] == "Tambah Baris" and labels["PulihkanRumus.Label"] == "Pulihkan Rumus"
    funcs = {e.text for e in root.iter(f"{{{ns['o']}}}FunctionName")}
    assert funcs == {"kinerja-validasi", "kinerja-hapus-tanda", "kinerja-hitung-ulang", "kinerja-siapkan-kiriman",
                     "kinerja-tambah-baris", "kinerja-pulihkan-rumus"}
    # every ribbon function is wired in kinerja.js to a script the server has
    tombol = dict(re.findall(r'"(kinerja-[a-z-]+)": "([a-z_]+)"', ADDIN_JS.read_text(encoding="utf-8")))
    assert set(tombol) == funcs
    scripts = {s["function_name"] for s in client.get("/xlwings/custom-scripts-meta").json()}
    assert set(tombol.values()) <= scripts
    for img in root.iter(f"{{{ns['bt']}}}Image"):
        if img.get("DefaultValue"):
            path = "/static/" + img.get("DefaultValue").split("/static/", 1)[1]
            assert client.get(path).content[:4] == b"\x89PNG", path
    urls = [u.get("DefaultValue") for u in root.iter(f"{{{ns['bt']}}}Url")]
    assert all("kinerja.contoh.go.id" in u for u in urls)
    page = client.get("/taskpane.html")
    assert page.status_code == 200 and "Temuan" in page.text and "kinerja.js" in page.text
    assert client.get("/static/js/kinerja.js").status_code == 200
    assert client.get("/static/images/validasi-32.png").content[:4] == b"\x89PNG"


def test_token_auth_when_configured(monkeypatch):
    import asyncio

    from fastapi import HTTPException

    from addin.server.auth.custom import validate_token

    monkeypatch.setenv("KINERJA_TOKEN", "rahasia")
    assert asyncio.run(validate_token("Bearer rahasia")).name == "pengguna kinerja"
    with pytest.raises(HTTPException, match="Token akses kinerja tidak sah"):
        asyncio.run(validate_token("salah"))


def test_the_real_server_starts_answers_and_stops():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    proc = subprocess.Popen([sys.executable, "-m", "addin.cli", "server", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/manifest.xml", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(proc.stdout.read().decode() if proc.poll() is not None else "server tidak menjawab")
        assert r.status_code == 200 and "KinerjaTab" in r.text
        meta = httpx.get(f"http://127.0.0.1:{port}/xlwings/custom-functions-meta", timeout=5).json()
        assert any(f["name"] == "CAPAIAN" for f in meta["functions"])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_pulihkan_rumus_restores_typed_over_formulas_on_the_protected_sheet(client, demo_dir, tmp_path):
    from macros.pulihkan import restore_file
    from workbooks.forms import LAYOUTS
    from workbooks.placement import place

    src = demo_dir / "BPSDMI_2023_TW2_perjanjian-kinerja.xlsx"
    sheet = "PERJANJIAN KINERJA"
    cap = place(LAYOUTS["perjanjian-kinerja"]).tables["indikator"].cell("c8_capaian_pct", 0)  # the first capaian
    assert not str(openpyxl.load_workbook(src)[sheet][cap].value).startswith("=")  # capaian typed over
    r = client.post("/xlwings/custom-scripts-call/pulihkan_rumus", json=payload(src))
    assert r.status_code == 200, r.text
    actions = r.json()["actions"]
    wb = apply_actions(src, actions, tmp_path / "pulih.xlsx")
    via_file = openpyxl.load_workbook(restore_file(src, tmp_path / "pulih-berkas.xlsx")[0])
    restored = wb[sheet][cap].value
    assert restored.startswith("=") and restored == via_file[sheet][cap].value
    formulas = {c.coordinate: c.value for row in via_file[sheet].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")}
    assert all(wb[sheet][a].value == f for a, f in formulas.items()) and len(formulas) > 5
    assert wb[sheet].protection.sheet  # protected again afterwards
    assert ("runMacro", ["kinerjaBukaProteksi", sheet]) in [(a["func"], a["args"]) for a in actions]
    alerts = [a["args"] for a in actions if a["func"] == "alert"]
    assert any(t.startswith("Pulihkan Rumus:") and title == "Kinerja" for t, title, *_ in alerts)


def _derived(ws) -> dict[str, str]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}


def test_tambah_baris_inserts_rows_under_the_selection_like_the_file_version(client, demo_dir, tmp_path):
    from macros.tambah_baris import add_rows_file
    from workbooks.reader import read_workbook

    src, sheet = demo_dir / PAKET, "FORM A 6077"
    r = client.post("/xlwings/custom-scripts-call/tambah_baris", json=payload(src, sheet, "C24:D25"))
    assert r.status_code == 200, r.text
    actions = r.json()["actions"]
    wb = apply_actions(src, actions, tmp_path / "tambah.xlsx")
    via_file = openpyxl.load_workbook(add_rows_file(src, tmp_path / "tambah-berkas.xlsx", sheet, 25, 2)[0])
    assert _derived(wb[sheet]) == _derived(via_file[sheet])  # every formula, new rows and totals included
    before, after = read_workbook(src).sheets[0], read_workbook(tmp_path / "tambah.xlsx").sheets[0]
    assert after.name == sheet
    for key in ("anggaran", "realisasi"):  # section III pairs with section II row by row
        shift = 2 if key == "anggaran" else 4
        assert after.tables[key].area_end == before.tables[key].area_end + shift  # 2 more data rows each
        assert after.tables[key].total_row == before.tables[key].total_row + shift
        assert after.tables[key].rows == before.tables[key].rows if key == "anggaran" else \
            [r + 2 for r in before.tables[key].rows]  # filled rows kept (the new ones are empty)
    assert all(wb[sheet][a].value is None for a in ("B26", "B27", "C41", "D42"))  # new rows: empty inputs
    assert wb[sheet]["C40"].value == openpyxl.load_workbook(src)[sheet]["C38"].value == 1.09  # moved down
    assert wb[sheet]["B41"].value == '=IF(B26="","",B26)'  # section III names the new section II row
    assert wb[sheet].protection.sheet and wb[sheet].protection.formatCells  # protected again
    alerts = [a["args"][0] for a in actions if a["func"] == "alert"]
    assert any(t.startswith("Tambah Baris: 2 baris disisipkan di bawah baris 25") for t in alerts)


def test_tambah_baris_outside_a_table_says_where_the_tables_are(client, demo_dir):
    r = client.post("/xlwings/custom-scripts-call/tambah_baris", json=payload(demo_dir / PAKET, "FORM A 6077", "C5"))
    assert r.status_code == 400 and "bukan baris data tabel" in r.text and "Traceback" not in r.text


def test_dialogs_are_titled_kinerja_and_speak_indonesian(client, validated):
    _, _, actions = validated
    alerts = [a["args"] for a in actions if a["func"] == "alert"]
    assert alerts and all(title == "Kinerja" for _, title, *_ in alerts)
    js = ADDIN_JS.read_text(encoding="utf-8")
    # xlwings.runPython titles its error dialog "Error": kinerja.js runs scripts itself, titles "Kinerja"
    assert "runPython(" not in js and 'const JUDUL = "Kinerja";' in js and "title=${encodeURIComponent(JUDUL)}" in js
    page = client.get("/xlwings/alert", params={"prompt": "Kiriman ditolak", "title": "Kinerja", "buttons": "ok",
                                                "mode": "critical", "callback": ""}).text
    assert "<h1 class=\"pt-4\">Kinerja</h1>" in page and ">Oke</button>" in page and ">OK<" not in page


def test_task_pane_says_in_indonesian_when_office_js_cannot_load(client):
    page = client.get("/taskpane.html").text
    assert 'id="kinerja-tanpa-office"' in page and "Office.js tidak dapat dimuat" in page
    assert "xw-click" not in page  # the vendor's buttons would show an "Error" dialog
    assert {"validasi", "tambah_baris", "pulihkan_rumus"} <= set(re.findall(r'data-kinerja-skrip="([a-z_]+)"', page))
    js = ADDIN_JS.read_text(encoding="utf-8")
    assert "Add-in Kinerja belum termuat dengan benar." in js and 'reload.textContent = "Muat ulang"' in js


def test_validasi_again_in_excel_replaces_the_marks(client, validated, tmp_path):
    src, out, _ = validated
    r = client.post("/xlwings/custom-scripts-call/validasi", json=payload(out))
    assert r.status_code == 200, r.text
    again = apply_actions(out, r.json()["actions"], tmp_path / "lagi.xlsx")
    first = openpyxl.load_workbook(out)
    assert _marks(again) == _marks(first)
    assert again.sheetnames.count("Hasil Validasi") == 1 and again.sheetnames.count("_kinerja_tanda") == 1
    assert _values(again["Hasil Validasi"]) == _values(first["Hasil Validasi"])
    assert read_tanda(_values(again["_kinerja_tanda"])) == read_tanda(_values(first["_kinerja_tanda"]))
    assert again["PENGUKURAN"]["M21"].comment.text.count("[V11") == 1


class _ComSheet:
    """A classic-xlwings (COM) worksheet, as much as kerja.unprotected uses."""

    def __init__(self, name: str, protected: bool, password: bool = False):
        self.name, self.api, self.password = name, self, password
        self.ProtectContents = protected
        self.Protection = type("P", (), {k: k == "AllowFormattingColumns" for k in (
            "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
            "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
            "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")})()
        self.protected_with = None

    def Unprotect(self):  # noqa: N802 - COM name
        if self.password:
            raise OSError("password")
        self.ProtectContents = False

    def Protect(self, **kw):  # noqa: N802 - COM name
        self.ProtectContents, self.protected_with = True, kw


def test_classic_desktop_unprotects_and_restores_the_same_allowances():
    from addin import kerja

    a, b = _ComSheet("FORM A 6077", True), _ComSheet("ALKI", False)
    book = type("Book", (), {"sheets": [a, b], "api": object()})()
    with kerja.unprotected(book, ["FORM A 6077", "ALKI", "tidak ada"]):
        assert not a.ProtectContents and not b.ProtectContents
    assert a.ProtectContents and a.protected_with["AllowFormattingColumns"] is True
    assert a.protected_with["AllowFormattingCells"] is False and b.protected_with is None  # b was never protected
    c = _ComSheet("PENGUKURAN", True, password=True)
    a2 = _ComSheet("FORM A 6077", True)
    book = type("Book", (), {"sheets": [a2, c], "api": object()})()
    with pytest.raises(kerja.PesanPengguna, match="'PENGUKURAN' dikunci dengan kata sandi"):
        with kerja.unprotected(book, ["FORM A 6077", "PENGUKURAN"]):
            pass
    assert a2.ProtectContents  # the sheet unprotected before the refusal is protected again
