"""Issue 2: layouts → templates → filled by a user → read back with cell addresses."""

from __future__ import annotations

import math

import openpyxl
import pytest

from tests.conftest import num, seed_json, seed_rows
from workbooks.builder import build_workbook
from workbooks.forms import FORM_IDS, LAYOUTS
from workbooks.meta import META_SHEET, Meta
from workbooks.model import Peran
from workbooks.placement import place
from workbooks.reader import BacaGagal, read_workbook

META = dict(versi="", satker="247246", satker_nama="Balai Standardisasi dan Pelayanan Jasa Industri Manado",
            tahun=2023, triwulan=2)


def _template(tmp_path, form, kegiatan=("6042",)):
    wb, places = build_workbook(Meta(form=form, kegiatan=kegiatan, **META))
    path = tmp_path / f"{form}.xlsx"
    wb.save(path)
    return path, places


@pytest.mark.parametrize("form", FORM_IDS)
def test_every_form_builds_a_protected_identified_printable_template(tmp_path, form):
    path, places = _template(tmp_path, form, ("6077", "6042"))
    wb = openpyxl.load_workbook(path)
    assert wb[META_SHEET].sheet_state == "veryHidden"
    meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows()}
    assert meta["form"] == form and meta["tahun"] == "2023" and meta["triwulan"] == "2"
    for name, sp in places.items():
        ws = wb[name]
        assert ws.protection.sheet and not ws.protection.password
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        # one table: its header repeats on each page; several (FORM A): each section starts a page
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (
            ws.print_title_rows or len(ws.row_breaks.brk) == len(sp.tables) - 1)
        for tp in sp.tables.values():
            got = [ws.cell(tp.number_row, c).value for c in range(1, ws.max_column + 1)]
            assert [v for v in got if v is not None] == list(tp.table.numbers)
            for c in tp.table.columns:
                cell = ws[tp.cell(c.key, 0)]
                if c.peran is Peran.TURUNAN:
                    assert cell.protection.locked and str(cell.value).startswith("=")
                else:
                    assert not cell.protection.locked


def test_form_a_title_block_and_headers_follow_the_official_layout(tmp_path):
    path, places = _template(tmp_path, "form-a")
    ws = openpyxl.load_workbook(path)["FORM A"]
    titles = [ws.cell(r, 1).value for r in places["FORM A"].title_rows]
    assert titles == ["FORMULIR A", "LAPORAN PELAKSANAAN KEGIATAN", "TRIWULAN II TAHUN ANGGARAN 2023",
                      "BALAI STANDARDISASI DAN PELAYANAN JASA INDUSTRI MANADO"]
    labels = [ws.cell(r, 1).value for r in places["FORM A"].field_rows.values()]
    assert labels[0] == "1. Nomor Kode dan Nama Unit Organisasi :"
    assert labels[9] == "10. Nomor Surat Pengesahan DIPA :"
    tp = places["FORM A"].tables["realisasi"]
    head = [[ws.cell(tp.header_row + l, c).value for c in range(1, 16)] for l in range(3)]
    assert head[0][0] == "Output" and head[0][2] == "S.D. Triwulan Lalu (%)" and head[0][6] == "Triwulan Ini (%)"
    assert head[1][2:6] == ["Keuangan", None, "Fisik", None] and head[2][2:6] == ["S", "R", "S", "R"]
    # s.d. triwulan ini = lalu + ini (R1), Jumlah = contribution to the satker pagu (R2)
    assert ws[tp.cell("c10_sd_keu_S", 0)].value == f"=N(C{tp.first_row})+N(G{tp.first_row})"
    assert "SUMPRODUCT" in ws.cell(tp.total_row, tp.col("c10_sd_keu_S")).value


def _fill(ws, sp, fields, tables):
    """Type values into the template as a user would (input cells only)."""
    for k, v in fields.items():
        ws[sp.field_cell(k)] = v
    for tkey, rows in tables.items():
        tp = sp.tables[tkey]
        for i, row in enumerate(rows):
            for k, v in row.items():
                if tp.table.column(k).peran is not Peran.TURUNAN:
                    ws[tp.cell(k, i)] = v


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return (a is None or (isinstance(a, float) and math.isnan(a))) and (
                b is None or (isinstance(b, float) and math.isnan(b)))
        return math.isclose(a, b)
    return a == b


def test_form_a_roundtrip_returns_the_seed_values_with_their_cells(tmp_path):
    path, places = _template(tmp_path, "form-a", ("6042",))
    sp = places["FORM A"]
    sec2 = [r for r in seed_rows("003_form_a_sec2_anggaran_output.csv") if r["kegiatan"] == "6042" and r["c1_output_kode"]]
    sec3 = [r for r in seed_rows("003_form_a_sec3_target_realisasi_output.csv")
            if r["kegiatan"] == "6042" and r["c1_output_kode"]]
    hdr = seed_json("003_form_a_headers.json")["6042"]
    fields = {"unit_organisasi": hdr["1. Nomor Kode dan Nama Unit Organisasi"]["value"],
              "nomor_dipa": hdr["10. Nomor Surat Pengesahan DIPA"]["value"], "pagu_satker_rp000": 12207073}
    anggaran = [{"c1_output_kode": r["c1_output_kode"], "c1_output_nama": r["c1_output_nama"],
                 "c4_rupiah_rp000": int(r["c4_rupiah_rp000"]), "c6_indikator_keluaran": r["c6_indikator_keluaran_as_printed"]}
                for r in sec2]
    keys = ["c2_lalu_keu_S", "c3_lalu_keu_R", "c4_lalu_fis_S", "c5_lalu_fis_R",
            "c6_ini_keu_S", "c7_ini_keu_R", "c8_ini_fis_S", "c9_ini_fis_R"]
    realisasi = [{**{k: (num(r[k]) if r[k] else "-") for k in keys}, "c14_lokasi": r["c14_lokasi"]} for r in sec3]
    wb = openpyxl.load_workbook(path)
    _fill(wb["FORM A"], sp, fields, {"anggaran": anggaran, "realisasi": realisasi})
    wb.save(path)

    data = read_workbook(path)
    s = data.sheets[0]
    assert data.meta.form == "form-a" and s.kegiatan == "6042"
    assert s.fields["unit_organisasi"].value == "(247246) BALAI STANDARDISASI DAN PELAYANAN JASA INDUSTRI MANADO"
    assert s.fields["pagu_satker_rp000"].value == 12207073
    assert s.fields["nomor_dipa"].address == f"FORM A!{sp.field_cell('nomor_dipa')}"
    ang = s.tables["anggaran"]
    assert list(ang.values["c1_output_kode"]) == ["EBA", "EBB", "EBC", "EBD"]
    assert list(ang.values["c4_rupiah_rp000"]) == [10725706, 18000, 200480, 326446]
    assert ang.address(0, "c4_rupiah_rp000") == f"FORM A!{sp.tables['anggaran'].cell('c4_rupiah_rp000', 0)}"
    rea = s.tables["realisasi"]
    assert len(rea.rows) == 4
    for i, r in enumerate(sec3):
        for k in keys:
            assert _same(rea.values.at[i, k], num(r[k]) if r[k] else None), (i, k)
            assert rea.cells.at[i, k] == sp.tables["realisasi"].cell(k, i)
    # EBB was typed as "-": it reads as no value, with the raw text kept
    assert rea.raw.at[1, "c6_ini_keu_S"] == "-" and rea.parsed[(1, "c6_ini_keu_S")].status == "placeholder"


def test_reader_finds_tables_by_numbered_row_after_rows_are_inserted_above(tmp_path):
    path, places = _template(tmp_path, "form-b")
    sp = places["FORM B"]
    rows = seed_rows("000_form_b_DL_program_pendidikan_pelatihan_vokasi.csv")[:3]
    wb = openpyxl.load_workbook(path)
    ws = wb["FORM B"]
    _fill(ws, sp, {"program": "DL. Program Pendidikan dan Pelatihan Vokasi"},
          {"kegiatan": [{"c1_kode_kegiatan": r["c1_kode_kegiatan"], "c1_nama_kegiatan": r["c1_nama_kegiatan"],
                         "c4_rm_rp000": int(r["c4_rm_rp000"]), "c6_penyerapan_S_pct": float(r["c6_penyerapan_S_pct"])}
                        for r in rows]})
    ws.unmerge_cells(start_row=1, start_column=1, end_row=1, end_column=sp.width)
    ws.insert_rows(1, amount=3)
    wb.save(path)
    s = read_workbook(path).sheets[0]
    keg = s.tables["kegiatan"]
    assert list(keg.values["c1_kode_kegiatan"]) == ["4957", "4958", "4959"]
    assert list(keg.values["c4_rm_rp000"]) == [223400790, 129046517, 140617324]
    first = sp.tables["kegiatan"].first_row + 3
    assert keg.cells.at[0, "c4_rm_rp000"] == f"{sp.tables['kegiatan'].letter('c4_rm_rp000')}{first}"
    assert s.fields["program"].value == "DL. Program Pendidikan dan Pelatihan Vokasi"


def test_reader_accepts_what_people_type(tmp_path):
    path, places = _template(tmp_path, "alki")
    sp = places["ALKI"]
    wb = openpyxl.load_workbook(path)
    _fill(wb["ALKI"], sp, {}, {"komponen": [
        {"c2_kegiatan": 6077, "c3_kro": "AEF", "c4_ro": "2", "c6_uraian": "Promosi dan Pemasaran ",
         "c7_pagu_rp": "23.436.000", "c8_target_keuangan_pct": "45", "c9_realisasi_keuangan_pct": "45,2%",
         "c10_target_fisik_pct": "46 ", "c11_realisasi_fisik_pct": "-"},
        {"c2_kegiatan": "6042", "c3_kro": "EBA", "c4_ro": "994", "c6_uraian": "Pembayaran Gaji dan Tunjangan",
         "c7_pagu_rp": "7,572,916,000", "c8_target_keuangan_pct": 51, "c9_realisasi_keuangan_pct": "51.3",
         "c10_target_fisik_pct": 52, "c11_realisasi_fisik_pct": "#DIV/0!"},
    ]})
    wb.save(path)
    t = read_workbook(path).sheets[0].tables["komponen"]
    assert list(t.values["c2_kegiatan"]) == ["6077", "6042"] and t.values.at[0, "c4_ro"] == "002"
    assert list(t.values["c7_pagu_rp"]) == [23436000, 7572916000]
    assert t.values.at[0, "c9_realisasi_keuangan_pct"] == 45.2 and t.values.at[1, "c9_realisasi_keuangan_pct"] == 51.3
    assert t.values.at[0, "c6_uraian"] == "Promosi dan Pemasaran"
    assert t.parsed[(0, "c11_realisasi_fisik_pct")].status == "placeholder"
    assert t.parsed[(1, "c11_realisasi_fisik_pct")].status == "galat-excel"
    assert t.parsed[(0, "c7_pagu_rp")].status == "teks-angka"


@pytest.mark.parametrize("bad,expected", [
    (b"", "berkas kosong"),
    (b"this is not a spreadsheet", "bukan berkas Excel"),
])
def test_unreadable_files_give_one_indonesian_message(tmp_path, bad, expected):
    p = tmp_path / "laporan.xlsx"
    p.write_bytes(bad)
    with pytest.raises(BacaGagal, match=expected):
        read_workbook(p)


def test_renamed_sheet_and_other_layout_version_are_refused(tmp_path):
    path, _ = _template(tmp_path, "form-b")
    wb = openpyxl.load_workbook(path)
    wb["FORM B"].title = "Lembar1"
    wb.save(tmp_path / "renamed.xlsx")
    with pytest.raises(BacaGagal, match="lembar 'FORM B'"):
        read_workbook(tmp_path / "renamed.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == "versi_layout":
            row[1].value = "2019.3"
    wb.save(tmp_path / "old.xlsx")
    with pytest.raises(BacaGagal, match="versi layout 2019.3"):
        read_workbook(tmp_path / "old.xlsx")


def test_a_form_without_metadata_is_recognised_by_its_numbered_row(tmp_path):
    path, _ = _template(tmp_path, "pengukuran-rencana-aksi")
    wb = openpyxl.load_workbook(path)
    del wb[META_SHEET]
    wb.save(path)
    data = read_workbook(path)
    assert data.meta is None and data.sheets[0].layout.form == "pengukuran-rencana-aksi"


def test_every_layout_column_has_number_header_key_type_and_role():
    for lay in LAYOUTS.values():
        for t in lay.tables:
            keys = [c.key for c in t.columns]
            assert len(keys) == len(set(keys))
            assert list(t.numbers) == list(range(1, len(t.numbers) + 1))
            for c in t.columns:
                assert c.headers and c.jenis and c.peran
                assert (c.rule is not None) == (c.peran is Peran.TURUNAN)
        assert place(lay).tables.keys() == {t.key for t in lay.tables}


# --- issue 10: the number parser refuses what is not a plain number; metadata is validated as data ------------

@pytest.mark.parametrize("raw,hint", [
    ("1e308", "uang"), ("0x61E38", "uang"), ("400_952", "uang"), ("400952abc", "uang"), ("12%", "uang"),
    ("2023-06-30", "uang"), ("30.06.2023", "uang"), ("30/06/2023", "uang"), ("INF", "angka"), ("1.23.4", "uang"),
])
def test_number_parser_refuses_exponents_hex_underscores_glued_text_dates_and_percent_in_money(raw, hint):
    from workbooks.numbers import parse_number

    assert parse_number(raw, hint).status == "bukan-angka"


@pytest.mark.parametrize("raw,hint,value", [
    ("1.234.567,89", "uang", 1234567.89), ("7,572,916,000", "uang", 7572916000), ("45,2%", "persen", 45.2),
    ("750 SPK/Order", "angka", 750), ("6 persen", "angka", 6), ("Rp 1.234", "uang", 1234), ("1,234.5", "uang", 1234.5),
])
def test_number_parser_still_reads_what_people_type(raw, hint, value):
    from workbooks.numbers import parse_number

    assert parse_number(raw, hint).value == pytest.approx(value)


def test_non_finite_and_implausible_numbers_are_tidak_wajar():
    from workbooks.model import Jenis
    from workbooks.numbers import parse_number, within

    assert parse_number(float("inf")).status == "tidak-wajar" and parse_number(float("nan")).status == "tidak-wajar"
    assert parse_number("9" * 400, "uang").status == "tidak-wajar"
    assert within(parse_number(1e308), Jenis.RP.batas).status == "tidak-wajar"
    assert within(parse_number(7_572_916_000), Jenis.RP.batas).value == 7_572_916_000


@pytest.mark.parametrize("key,value", [("tahun", "nan"), ("tahun", "inf"), ("tahun", "1e308"), ("tahun", "-1"),
                                       ("triwulan", "5"), ("satker", "247/46"), ("eselon1", "A[1]/B")])
def test_metadata_values_are_validated_as_data(key, value):
    from workbooks.meta import MetaTidakSah

    rows = [[k, v] for k, v in Meta(form="form-a", versi="2026.1", satker="247246", tahun=2023, triwulan=2).rows()]
    rows = [[k, value if k == key else v] for k, v in rows]
    with pytest.raises(MetaTidakSah, match=key if key != "eselon1" else "Eselon I"):
        Meta.from_rows(rows)


def test_package_checks_refuse_bombs_and_dtds_before_parsing(tmp_path):
    import zipfile

    from workbooks.package import PackageError, check_package

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/nol.bin", b"\0" * (8 * 2**20))
    with pytest.raises(PackageError, match="bom zip"):
        check_package(bomb)
    dtd = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(dtd, "w") as z:
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
    with pytest.raises(PackageError, match="DTD"):
        check_package(dtd)


@pytest.mark.parametrize("name, parts, said", [
    ("tw2.ods", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office/>"},
     "lembar kerja OpenDocument (.ods, mis. dari LibreOffice Calc atau WPS)"),
    ("tw2.xlsx", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office/>"},
     "lembar kerja OpenDocument (.ods, mis. dari LibreOffice Calc atau WPS)"),  # renamed: the content says what it is
    ("laporan.xlsx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}, "dokumen Word (.docx)"),
    ("arsip.xlsx", {"data/a.txt": "a"}, "arsip zip yang tidak memuat buku kerja Excel"),
])
def test_a_zip_that_holds_no_workbook_says_what_it_is(tmp_path, name, parts, said):
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as z:
        for part, text in parts.items():
            z.writestr(part, text)
    with pytest.raises(BacaGagal) as exc:
        read_workbook(path)
    assert str(exc.value) == (f"{name}: berkas ini {said}, bukan buku kerja Excel (.xlsx/.xlsm). Buka berkasnya lalu "
                              "simpan sebagai Buku Kerja Excel (.xlsx), atau isi templat kinerja.")


def test_a_renamed_form_sheet_is_named_in_the_message(tmp_path):
    path, _ = _template(tmp_path, "paket-triwulan", ("6077", "6042"))

    def refused(change) -> str:
        wb = openpyxl.load_workbook(path)
        change(wb)
        out = tmp_path / "diubah.xlsx"
        wb.save(out)
        with pytest.raises(BacaGagal) as exc:
            read_workbook(out)
        return str(exc.value)

    assert refused(lambda wb: setattr(wb["ALKI"], "title", "ALKI TW2")) == (
        "diubah.xlsx: lembar 'ALKI' (FORM ALKI — Monitoring Pelaksanaan Kegiatan per Komponen) tidak ada; lembar "
        "'ALKI TW2' tampaknya lembar itu yang diganti nama. Kembalikan namanya menjadi 'ALKI'.")

    def both(wb):  # two renamed FORM A sheets: which is which is not guessed
        wb["FORM A 6077"].title, wb["FORM A 6042"].title = "Kegiatan 1", "Kegiatan 2"
    assert refused(both).endswith("tidak ada; lembar ini mungkin diganti nama atau dihapus. Kembalikan nama "
                                  "lembarnya.")
    assert "mungkin diganti nama atau dihapus" in refused(lambda wb: wb.remove(wb["SKM"]))


def test_a_stray_far_cell_is_refused_without_allocating(tmp_path):
    import zipfile

    path, _ = _template(tmp_path, "form-b")
    far = tmp_path / "jauh.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
                                                      b"</sheetData>")
            zout.writestr(info, data)
    with pytest.raises(BacaGagal, match="XFD1048576"):
        read_workbook(far)



def test_a_sheet_from_an_older_template_says_to_move_to_the_new_one(tmp_path):
    """A form whose columns changed since the file's template (its metadata names the older layout version):
    the message says so, beside the missing number row."""
    from workbooks.forms import LAYOUT_VERSION

    wb, places = build_workbook(Meta(form="perjanjian-kinerja", versi="", satker="247246", tahun=2024))
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "versi_layout":  # made before the Perjanjian Kinerja columns changed
            row[1].value = "2026.1"
    sp = next(iter(places.values()))
    ws = wb[sp.layout.sheet]
    tp = next(iter(sp.tables.values()))
    last = ws.cell(tp.number_row, ws.max_column)
    while last.value is None:  # the last numbered column: the older layout had fewer columns
        last = ws.cell(tp.number_row, last.column - 1)
    last.value = None
    path = tmp_path / "pk_lama.xlsx"
    wb.save(path)
    with pytest.raises(BacaGagal) as err:
        read_workbook(path)
    text = str(err.value)
    assert text.startswith("pk_lama.xlsx: ") and "tidak ditemukan" in text
    assert f"templat versi 2026.1 (kinerja memakai versi {LAYOUT_VERSION})" in text and "kinerja templat" in text


def test_a_broken_number_row_of_a_form_that_did_not_change_gets_no_template_hint(tmp_path):
    wb, places = build_workbook(Meta(form="form-a", versi="", satker="247246", tahun=2023, triwulan=2,
                                     kegiatan=("6077",)))
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "versi_layout":
            row[1].value = "2026.1"
    sp = next(iter(places.values()))
    tp = next(iter(sp.tables.values()))
    wb[sp.layout.sheet].cell(tp.number_row, tp.first_col).value = None  # the user cleared a column number
    path = tmp_path / "form_a.xlsx"
    wb.save(path)
    with pytest.raises(BacaGagal) as err:
        read_workbook(path)
    assert "tidak ditemukan" in str(err.value) and "templat versi" not in str(err.value)


@pytest.mark.parametrize("form", [f for f in FORM_IDS if f in LAYOUTS and LAYOUTS[f].signature])
def test_signature_lines_carry_a_visible_label_and_are_still_read(tmp_path, form):
    """A blank template's signature block was three unlabeled yellow cells: each line now shows its label
    ("Tempat, tanggal :", "Jabatan :", "Nama :") in the locked cell to its left; the reader still takes the value
    from the yellow cell, with the defined names and without them (a copied sheet)."""
    from openpyxl.utils import get_column_letter

    layout = LAYOUTS[form]
    path, places = _template(tmp_path, form)
    sp = places[layout.sheet]
    col = get_column_letter(sp.signature_col)
    blank = openpyxl.load_workbook(path)
    for k in list(blank[layout.sheet].defined_names):
        del blank[layout.sheet].defined_names[k]
    blank.save(tmp_path / "kosong-tanpa-nama.xlsx")  # a blank sheet copied without its names: labels are not data
    sd = next(s for s in read_workbook(tmp_path / "kosong-tanpa-nama.xlsx").sheets if s.name == layout.sheet)
    assert {k: cv.address.rsplit("!", 1)[-1] for k, cv in sd.signature.items()} == \
        {f.key: f"{col}{sp.signature_rows[f.key]}" for f in layout.signature}
    assert all(td.below_total == [] for td in sd.tables.values())
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.sheet]
    values = {"ttd_tempat_tanggal": "Manado, 30 Juni 2023", "ttd_jabatan": "Kepala Balai", "ttd_nama": "Budi"}
    for f in layout.signature:
        r = sp.signature_rows[f.key]
        label = ws.cell(r, sp.signature_col - 1)
        assert (label.value, label.protection.locked) == (f"{f.label} :", True)
        assert ws.cell(r, sp.signature_col).value is None and ws.cell(r, sp.signature_col).protection.locked is False
        ws.cell(r, sp.signature_col).value = values[f.key]
    wb.save(tmp_path / "isi.xlsx")
    for k in list(ws.defined_names):
        del ws.defined_names[k]
    wb.save(tmp_path / "tanpa-nama.xlsx")
    for name in ("isi.xlsx", "tanpa-nama.xlsx"):
        sd = next(s for s in read_workbook(tmp_path / name).sheets if s.name == layout.sheet)
        got = {k: (cv.value, cv.address.rsplit("!", 1)[-1]) for k, cv in sd.signature.items()}
        assert got == {f.key: (values[f.key], f"{col}{sp.signature_rows[f.key]}") for f in layout.signature}, name
