"""The `kinerja templat` / `kinerja demo` commands: Indonesian text, exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from addin.cli import app
from workbooks.reader import read_workbook

runner = CliRunner()


def test_templat_help_is_indonesian():
    r = runner.invoke(app, ["templat", "--help"])
    assert r.exit_code == 0
    for text in ("Cara pakai:", "Buat templat form kosong", "Opsi", "Argumen", "Kode satker 6 digit"):
        assert text in r.output
    for english in ("Usage:", "Options", "Show this message"):
        assert english not in r.output


def test_templat_writes_a_readable_package(tmp_path):
    out = tmp_path / "paket.xlsx"
    r = runner.invoke(app, ["templat", "paket-triwulan", "-o", str(out), "--satker", "247246", "--tahun", "2023",
                            "--triwulan", "2", "--kegiatan", "6077", "--kegiatan", "6042"])
    assert r.exit_code == 0, r.output
    data = read_workbook(out)
    assert data.meta.form == "paket-triwulan" and data.meta.satker == "247246"
    assert [s.name for s in data.sheets] == ["FORM A 6077", "FORM A 6042", "ALKI", "PENGUKURAN", "P3DN", "SKM"]
    assert [s.kegiatan for s in data.sheets[:2]] == ["6077", "6042"]


def test_unknown_form_gives_a_clear_message_and_exit_2(tmp_path):
    r = runner.invoke(app, ["templat", "form-z", "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2
    assert "Form 'form-z' tidak dikenal" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_options_exit_2_in_indonesian(tmp_path):
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--triwulan", "5"])
    assert r.exit_code == 2 and "di luar rentang" in r.output
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--satker", "24724"])
    assert r.exit_code == 2 and "harus 6 digit" in r.output
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--kode", "1"])
    assert r.exit_code == 2 and "tidak dikenal" in r.output
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.txt")])
    assert r.exit_code == 2 and ".xlsx" in r.output


def test_baris_sizes_every_table(tmp_path):
    from openpyxl import load_workbook

    from workbooks.forms import LAYOUTS
    from workbooks.placement import place

    out = tmp_path / "pk.xlsx"
    r = runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(out), "--tahun", "2023", "--baris", "20"])
    assert r.exit_code == 0, r.output
    sp = place(LAYOUTS["perjanjian-kinerja"], {"indikator": 20})
    tp = sp.tables["indikator"]
    ws = load_workbook(out)["PERJANJIAN KINERJA"]
    assert tp.last_row == tp.first_row + 19
    assert str(ws[tp.cell("c8_capaian_pct", 19)].value).startswith("=")  # the 20th row computes
    assert ws[tp.cell("c8_capaian_pct", 20)].value is None
    assert ws.defined_names["ttd_nama"].attr_text.endswith(f"${sp.signature_rows['ttd_nama']}")
    default = tmp_path / "pk0.xlsx"
    runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(default), "--tahun", "2023"])
    ws0 = load_workbook(default)["PERJANJIAN KINERJA"]
    tp0 = place(LAYOUTS["perjanjian-kinerja"]).tables["indikator"]
    assert tp0.n_rows == 12 and str(ws0[tp0.cell("c8_capaian_pct", 11)].value).startswith("=")
    r = runner.invoke(app, ["templat", "form-a", "-o", str(tmp_path / "x.xlsx"), "--baris", "0"])
    assert r.exit_code == 2 and "di luar rentang" in r.output


def test_satker_and_kegiatan_prefill_names_from_the_masters(tmp_path):
    out = tmp_path / "paket.xlsx"
    r = runner.invoke(app, ["templat", "paket-triwulan", "-o", str(out), "--satker", "247246", "--tahun", "2023",
                            "--triwulan", "2", "--kegiatan", "6077", "--kegiatan", "4957", "--kegiatan", "1234"])
    assert r.exit_code == 0, r.output
    sheets = {s.name: s for s in read_workbook(out).sheets}
    f = {k: v.value for k, v in sheets["FORM A 6077"].fields.items()}
    assert f["unit_organisasi"] == "(247246) BALAI STANDARDISASI DAN PELAYANAN JASA INDUSTRI MANADO"
    assert f["kegiatan"] == "6077 - Pengembangan dan Penyelenggaraan Jasa Industri"
    assert f["program"] == "04.07.EC. Program Nilai Tambah dan Daya Saing Industri"
    assert (f["fungsi"], f["sub_fungsi"]) == ("04. Ekonomi", "04.07. Industri Dan Konstruksi")
    g = {k: v.value for k, v in sheets["FORM A 4957"].fields.items()}
    assert g["kegiatan"] == "4957 - Pelatihan Vokasi Industri"
    assert g["program"] == "04.07.DL. Program Pendidikan dan Pelatihan Vokasi"
    assert g["fungsi"] is None and g["sub_fungsi"] is None  # the master does not know them: left for the user
    h = {k: v.value for k, v in sheets["FORM A 1234"].fields.items()}
    assert h["kegiatan"] is None and h["unit_organisasi"].startswith("(247246) ")  # unknown kegiatan: not guessed
    assert sheets["PENGUKURAN"].fields["unit_organisasi"].value == "BALAI STANDARDISASI DAN PELAYANAN JASA INDUSTRI MANADO"


def test_dropdowns_show_words_and_the_reader_maps_them_to_codes(tmp_path):
    from openpyxl import load_workbook

    from macros.validation import validate
    from workbooks.forms import LAYOUTS
    from workbooks.masters import OPSI
    from workbooks.placement import place

    out = tmp_path / "pk.xlsx"
    runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(out), "--tahun", "2023"])
    wb = load_workbook(out)
    lists = wb["_daftar"]
    shown = [c.value for col in lists.iter_cols() for c in col if c.value]
    assert "Maksimal — makin tinggi makin baik" in shown and "maksimal" not in shown
    assert "PermenPANRB 14/2017 — 9 unsur" in shown and "permenpanrb-14-2017" not in shown
    tp = place(LAYOUTS["perjanjian-kinerja"]).tables["indikator"]
    ws = wb["PERJANJIAN KINERJA"]
    ws[place(LAYOUTS["perjanjian-kinerja"]).field_cell("unit_organisasi")] = "Balai Contoh"
    labels = dict(OPSI["polaritas"])
    for i, (pol, t, r) in enumerate((("minimal", 7, 6.5), ("minimal-tr", 7, 6.5), ("maksimal", 80, 70))):
        for key, v in (("c1_kode", f"SP{i}"), ("c2_sasaran", "s"), ("c3_indikator", f"ind {i}"), ("c4_satuan", "%"),
                       ("c5_polaritas", labels[pol]), ("c6_target", t), ("c7_realisasi", r)):
            ws[tp.cell(key, i)] = v
    wb.save(out)
    data = read_workbook(out)
    td = data.sheets[0].tables["indikator"]
    assert td.values["c5_polaritas"].tolist() == ["minimal", "minimal-tr", "maksimal"]
    from workbooks.compute import derive

    _, derived = derive(data.sheets[0])
    caps = [round(d.value, 2) for d in derived if d.key == "c8_capaian_pct"]
    assert caps == [107.14, 107.69, 87.5]  # DOMAIN R7: 2T−R and T/R on the same case
    assert validate(out).galat == 0


@pytest.mark.parametrize("form", ["renstra", "perjanjian-kinerja"])
def test_baris_smaller_than_the_form_s_count_validates_clean(tmp_path, form):
    """A `--baris 5` template filled as a user would keeps its formulas: the group means and aggregates span the 5
    rows the template has (not the form's 12), so Validasi does not call them replaced (V28) and Pulihkan leaves
    them alone."""
    from openpyxl import load_workbook

    from macros.pulihkan import restore_plan
    from macros.validation import validate
    from workbooks.forms import LAYOUTS
    from workbooks.placement import place

    out, filled = tmp_path / "t.xlsx", tmp_path / "isi.xlsx"
    r = runner.invoke(app, ["templat", form, "-o", str(out), "--satker", "247246", "--tahun", "2023",
                            "--baris", "5"])
    assert r.exit_code == 0, r.output
    layout = LAYOUTS[form]
    tp = place(layout, {t.key: 5 for t in layout.tables}).tables["indikator"]
    assert layout.tables[0].rows > 5  # the form's own count is larger: the case at stake
    wb = load_workbook(out)
    ws = wb[layout.sheet]
    key = {"renstra": ("c1_kode", "c3_sasaran", "c4_indikator", "c5_satuan", "c11_target_th3", "c16_realisasi_th3"),
           "perjanjian-kinerja": ("c1_kode", "c2_sasaran", "c3_indikator", "c4_satuan", "c6_target",
                                  "c7_realisasi")}[form]
    for i, (name, target, real) in enumerate([("Jumlah layanan jasa", 750, 426), ("Nilai akuntabilitas", 80.4, 76.8)]):
        for k, v in zip(key, ("SS1", "Meningkatnya layanan", name, "unit", target, real)):
            ws[tp.cell(k, i)] = v
    if form == "renstra":
        sp = place(layout, {t.key: 5 for t in layout.tables})
        ws[sp.tables["sasaran"].cell("c1_kode", 0)] = "SS1"
        ws[sp.field_cell("periode")] = "2021–2024"
    wb.save(filled)
    h = validate(filled)
    assert [(f.rule, f.cell) for f in h.findings if f.rule == "V28"] == []
    assert h.galat == 0, [f.message for f in h.findings]
    assert ", 0 dipulihkan; semua rumus sudah utuh." in restore_plan(read_workbook(filled)).messages[0]


def test_an_output_path_that_cannot_be_a_file_is_refused_in_indonesian(tmp_path):
    """-o under an existing file or onto an existing folder: exit 2 with the reason in Indonesian (was a traceback
    ending in 'IsADirectoryError', or the OS's English 'File exists'), no temporary file left behind."""
    berkas = tmp_path / "catatan.txt"
    berkas.write_text("bukan folder")
    (tmp_path / "folder.xlsx").mkdir()
    for out, why in ((berkas / "pk.xlsx", "salah satu bagian jalurnya adalah berkas, bukan folder"),
                     (tmp_path / "folder.xlsx", "nama itu sudah dipakai sebuah folder; pilih nama berkas lain")):
        r = runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(out), "--tahun", "2023"])
        assert r.exit_code == 2, r.output
        text = " ".join(r.output.split())
        assert f"tidak dapat ditulis: {why}." in text and "Traceback" not in text and "Error" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catatan.txt", "folder.xlsx"]
    assert list((tmp_path / "folder.xlsx").iterdir()) == []


def test_an_existing_workbook_is_not_overwritten_without_timpa(tmp_path):
    """Re-running the README's templat command (or pulihkan / tambah-baris onto a name already used) must not
    replace a workbook the user has filled: exit 2 naming the file and --timpa; with --timpa it is replaced."""
    from openpyxl import load_workbook

    from workbooks.forms import LAYOUTS
    from workbooks.placement import place

    out = tmp_path / "pk.xlsx"
    assert runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(out), "--tahun", "2023"]).exit_code == 0
    cell = place(LAYOUTS["perjanjian-kinerja"]).field_cell("unit_organisasi")
    wb = load_workbook(out)
    wb[LAYOUTS["perjanjian-kinerja"].sheet][cell] = "Balai Contoh"
    wb.save(out)
    filled = out.read_bytes()
    r = runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(out), "--tahun", "2023"])
    text = " ".join(r.output.split())
    assert r.exit_code == 2 and f"Berkas '{out}' sudah ada" in text and "--timpa" in text, r.output
    assert out.read_bytes() == filled
    copy, other = tmp_path / "salinan.xlsx", b"isian triwulan lain"
    copy.write_bytes(other)
    for cmd in (["pulihkan", str(out), "-o", str(copy)],
                ["tambah-baris", str(out), "--lembar", LAYOUTS["perjanjian-kinerja"].sheet, "--setelah-baris", "13",
                 "-o", str(copy)]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 2 and "sudah ada" in r.output and "--timpa" in r.output, r.output
        assert copy.read_bytes() == other
        assert runner.invoke(app, [*cmd, "--timpa"]).exit_code == 0
        assert read_workbook(copy).meta.form == "perjanjian-kinerja"
        copy.write_bytes(other)
    r = runner.invoke(app, ["templat", "perjanjian-kinerja", "-o", str(out), "--tahun", "2023", "--timpa"])
    assert r.exit_code == 0, r.output
    assert load_workbook(out)[LAYOUTS["perjanjian-kinerja"].sheet][cell].value is None
    assert "--timpa" in runner.invoke(app, ["templat", "--help"]).output
