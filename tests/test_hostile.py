"""Issue 10: a corpus of broken and hostile workbooks never crashes, hangs, slips into totals or injects formulas.

The corpus is generated here, in a temporary folder, from clean synthetic packages (no binary fixtures):
every category of the issue (format, encrypted, bomb, XML attacks, metadata, sheets, rows, merges, numbers,
derived cells, injection, strings, file names). Each file goes through ``kinerja validasi --anotasi``
in-process (a few through a real subprocess), then the whole corpus plus valid controls through konsolidasi.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import html
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import app
from tests.synth import Output, Paket, write
from workbooks.package import LIMITS
from workbooks.reader import _Package, read_workbook, shown

runner = CliRunner()
SECRET = "RAHASIA-KINERJA-7f3a"  # content of a file an external entity points at; must never be read
PAYLOADS = ("=SUM(1,1)", '=HYPERLINK("http://contoh.example","klik")', "+1+1", "@SUM(1,1)", "-2+3", "\t=1+1")
# English fragments of library messages (calamine, quick-xml, zipfile, openpyxl, Python) that must not reach users
ENGLISH = ("Traceback", "Error", "error:", "invalid", "Invalid", "Could not", "not found", "unrecognized",
           "Exception", "Bad ", "cannot", "File is not", "expected", "EOCD", "decode")


@dataclass
class Case:
    name: str
    kategori: str
    path: Path
    codes: frozenset[int]  # acceptable exit codes of `kinerja validasi`
    rules: tuple[str, ...] = ()  # findings that must be there (exit 1): "V01" anywhere, "V01@E22" at that cell

    @property
    def benign(self) -> bool:
        """A file whose content is sound (only its name or text is odd): it may be counted."""
        return self.codes == frozenset({0})


# --- zip and XML surgery ------------------------------------------------------------------------------

def rezip(src: Path, dst: Path, edit=None, add: dict[str, bytes] | None = None,
          method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            data = edit(info.filename, data) if edit else data
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def parts(path: Path) -> dict[str, str]:
    return _Package(path).parts


def cell_xml(ref: str, value, formula: str | None = None) -> bytes:
    if formula is not None:
        v = "" if value is None else f"<v>{value}</v>"
        return f'<c r="{ref}"><f>{html.escape(formula, quote=False)}</f>{v}</c>'.encode()
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'.encode()
    return f'<c r="{ref}" t="n"><v>{value}</v></c>'.encode()


def set_cell(xml: bytes, ref: str, new: bytes) -> bytes:
    pat = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    assert pat.search(xml), ref
    return pat.sub(lambda m: new, xml, count=1)


def formula_of(xml: bytes, ref: str) -> str:
    m = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*><f>(.*?)</f>', xml, re.S)
    assert m, ref
    return html.unescape(m.group(1).decode())


def edit_sheet(src: Path, dst: Path, sheet: str, fn) -> Path:
    part = parts(src)[sheet]
    return rezip(src, dst, lambda n, d: fn(d) if n == part else d)


def edit_meta(src: Path, dst: Path, key: str, value: str) -> Path:
    def fn(xml: bytes) -> bytes:
        m = re.search(rb'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?<t[^>]*>' + re.escape(key.encode()) + rb"</t>", xml, re.S)
        assert m, key
        ref = f"B{m.group(1).decode()}"
        pat = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
        new = cell_xml(ref, html.escape(value))
        if pat.search(xml):
            return pat.sub(lambda _: new, xml, count=1)
        end = xml.index(b"</c>", m.end()) + len(b"</c>")  # the key cell has no value cell: add one after it
        return xml[:end] + new + xml[end:]
    return edit_sheet(src, dst, "_kinerja", fn)


def patch_entry(src: Path, dst: Path, name: str, fn_local, fn_central) -> Path:
    """Patch the raw local and central headers of one zip entry (sizes, flags) without rewriting it."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo(name)
    fn_local(data, info.header_offset)
    cd = data.find(b"PK\x01\x02")
    while cd >= 0:
        n = struct.unpack_from("<H", data, cd + 28)[0]
        if bytes(data[cd + 46: cd + 46 + n]) == name.encode():
            fn_central(data, cd)
            break
        cd = data.find(b"PK\x01\x02", cd + 4)
    dst.write_bytes(bytes(data))
    return dst


# --- the corpus -----------------------------------------------------------------------------------------

def _skm_big(src: Path, dst: Path, n: int) -> Path:
    """The SKM sheet with ``n`` respondents: rows inserted inside the table the way Excel shifts them."""
    probe = read_workbook(src).sheets_of("skm")[0].tables["jawaban"]
    first, last, total = probe.rows[0], probe.rows[-1], probe.total_row
    k = n - (last - first + 1)

    def shift(xml: bytes) -> bytes:
        def row_attr(m):
            r = int(m.group(2))
            return m.group(1) + str(r + k if r >= total else r).encode() + b'"'
        xml = re.sub(rb'(<row r=")(\d+)"', row_attr, xml)
        xml = re.sub(rb'(<c r="[A-Z]+)(\d+)"', row_attr, xml)
        xml = re.sub(rb'(ref="[A-Z]+)(\d+)"', row_attr, xml)
        xml = re.sub(rb"(:[A-Z]+)" + str(last).encode() + rb"\b", lambda m: m.group(1) + str(last + k).encode(), xml)
        xml = re.sub(rb'(<mergeCell ref="[A-Z]+)(\d+)(:[A-Z]+)(\d+)"',
                     lambda m: m.group(1) + str(int(m.group(2)) + (k if int(m.group(2)) >= total else 0)).encode()
                     + m.group(3) + str(int(m.group(4)) + (k if int(m.group(4)) >= total else 0)).encode() + b'"', xml)
        rows = []
        for r in range(last + 1, last + k + 1):
            cells = "".join(f'<c r="{chr(65 + j)}{r}" t="n"><v>{v}</v></c>'
                            for j, v in enumerate([r - first + 1] + [1 + (r * (u + 3)) % 4 for u in range(9)]))
            rows.append(f'<row r="{r}">{cells}</row>')
        end = xml.index(b"</row>", xml.index(f'<row r="{last}"'.encode())) + len(b"</row>")
        return xml[:end] + "".join(rows).encode() + xml[end:]

    def names(xml: bytes) -> bytes:
        return re.sub(rb"(\$[A-Z]+\$)(\d+)<", lambda m: m.group(1) + str(int(m.group(2)) + k).encode() + b"<"
                      if int(m.group(2)) >= total else m.group(0), xml)

    part = parts(src)["SKM"]
    return rezip(src, dst, lambda nm, d: shift(d) if nm == part else names(d) if nm == "xl/workbook.xml" else d)


def build_corpus(root: Path) -> tuple[list[Case], list[Path]]:
    base_dir = root / "_basis"
    base_dir.mkdir()
    src = root / "korpus"
    src.mkdir()
    base = write(Paket(), base_dir / "basis.xlsx")
    typed = write(Paket(), base_dir / "basis-angka.xlsx", typed_derived=True)
    d = read_workbook(base)
    fa = d.sheets_of("form-a")[0]
    ang, rea, ken = fa.tables["anggaran"], fa.tables["realisasi"], fa.tables["kendala"]
    rupiah = ang.cell_lists["c4_rupiah_rp000"][0]  # E22
    total_c5 = ang.total["c5_total_rp000"].cell  # G28
    row_c5 = ang.cell_lists["c5_total_rp000"][0]  # G22
    pagu_satker = fa.fields["pagu_satker_rp000"].cell
    kegiatan = fa.fields["kegiatan"].cell
    kendala = ken.cell_lists["c3_kendala"][0]
    alki = d.sheets_of("alki")[0].tables["komponen"]
    alki_pagu = alki.cell_lists["c7_pagu_rp"][0]
    sheet_xml = zipfile.ZipFile(base).read(parts(base)[fa.name])
    (root / "rahasia.txt").write_text(SECRET)
    cases: list[Case] = []

    def add(name: str, kategori: str, path: Path, codes, rules=()):
        cases.append(Case(name, kategori, path, frozenset(codes), tuple(rules)))

    def at(name: str) -> Path:
        return src / name

    def on_form_a(name, kategori, fn, codes, rules=()):
        add(name, kategori, edit_sheet(base, at(name), fa.name, fn), codes, rules)

    def mutated(name, kategori, mutate, codes, rules=(), paket: Paket | None = None, file_name: str | None = None):
        add(name, kategori, write(paket or Paket(), at(file_name or name), mutate=mutate), codes, rules)

    # format
    add("kosong.xlsx", "format", _bytes(at("kosong.xlsx"), b""), {2})
    add("bukan-zip.xlsx", "format", _bytes(at("bukan-zip.xlsx"), b"ini bukan lembar kerja\n" * 20), {2})
    add("jpeg.xlsx", "format", _bytes(at("jpeg.xlsx"), b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 200), {2})
    raw = base.read_bytes()
    add("terpotong.xlsx", "format", _bytes(at("terpotong.xlsx"), raw[: len(raw) // 2]), {2})
    add("terpotong-awal.xlsx", "format", _bytes(at("terpotong-awal.xlsx"), raw[:40]), {2})
    add("crc-rusak.xlsx", "format", _corrupt(base, at("crc-rusak.xlsx"), parts(base)[fa.name]), {2})
    add("bagian-hilang.xlsx", "format", rezip(base, at("bagian-hilang.xlsx"), lambda n, dd: None
                                               if n == parts(base)[fa.name] else dd), {2})
    add("workbook-hilang.xlsx", "format", rezip(base, at("workbook-hilang.xlsx"), lambda n, dd: None
                                                 if n == "xl/workbook.xml" else dd), {2})
    on_form_a("utf8-rusak.xlsx", "format", lambda x: x.replace(b"Kegiatan Contoh", b"Kegiatan \xff\xfe Contoh", 1), {2})
    on_form_a("xml-terpotong.xlsx", "format", lambda x: x[: len(x) // 2], {2})
    # encrypted
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    add("terenkripsi.xlsx", "terenkripsi", _bytes(at("terenkripsi.xlsx"),
                                                  ole + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 4000), {2})
    add("xls-lama.xlsx", "terenkripsi", _bytes(at("xls-lama.xlsx"), ole + b"\x00" * 4000), {2})
    add("entri-terenkripsi.xlsx", "terenkripsi", patch_entry(
        base, at("entri-terenkripsi.xlsx"), parts(base)[fa.name],
        lambda b, off: struct.pack_into("<H", b, off + 6, struct.unpack_from("<H", b, off + 6)[0] | 1),
        lambda b, off: struct.pack_into("<H", b, off + 8, struct.unpack_from("<H", b, off + 8)[0] | 1)), {2})
    # bomb
    add("bom-rasio.xlsx", "bom", rezip(base, at("bom-rasio.xlsx"), add={"xl/media/bom.bin": b"\x00" * (40 * 2**20)}),
        {2})
    add("bom-banyak-entri.xlsx", "bom", rezip(base, at("bom-banyak-entri.xlsx"),
                                              add={f"xl/media/e{i}.bin": b"x" for i in range(2_500)}), {2})
    add("bom-ukuran-palsu.xlsx", "bom", patch_entry(
        base, at("bom-ukuran-palsu.xlsx"), parts(base)[fa.name],
        lambda b, off: None, lambda b, off: struct.pack_into("<I", b, off + 24, 0xFFFFFFF0)), {2})
    add("bom-ukuran-kecil.xlsx", "bom", patch_entry(
        base, at("bom-ukuran-kecil.xlsx"), parts(base)[fa.name],
        lambda b, off: struct.pack_into("<I", b, off + 22, 100),
        lambda b, off: struct.pack_into("<I", b, off + 24, 100)), {2})
    # XML attacks
    on_form_a("dtd-entitas.xlsx", "xml", lambda x: b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "kinerja">]>'
              + x.replace(b"Kegiatan Contoh", b"&a; Contoh", 1), {2})
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    on_form_a("billion-laughs.xlsx", "xml", lambda x: f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "ha">{laughs}]>'
              .encode() + x.replace(b"Kegiatan Contoh", b"&l9;", 1), {2})
    xxe = f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file://{root / "rahasia.txt"}">]>'.encode()
    on_form_a("xxe-file.xlsx", "xml", lambda x: xxe + x.replace(b"Kegiatan Contoh", b"&x;", 1), {2})
    add("dtd-workbook.xlsx", "xml", rezip(base, at("dtd-workbook.xlsx"), lambda n, dd: xxe + dd
                                          if n == "xl/workbook.xml" else dd), {2})
    on_form_a("dtd-utf16.xlsx", "xml", lambda x: ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "b">]>'
                                                  + x.decode()).encode("utf-16"), {2})
    # metadata
    for key, value in (("tahun", "nan"), ("tahun", "inf"), ("tahun", "1e308"), ("tahun", "-1"), ("triwulan", "5"),
                       ("triwulan", "-inf"), ("form", "form-z"), ("form", "konsolidasi"), ("satker", "247/46"),
                       ("eselon1", "BSKJI/[x]"), ("versi_layout", "abc")):
        name = f"meta-{key}-{re.sub(r'[^a-z0-9]+', '_', value.lower())}.xlsx"
        add(name, "metadata", edit_meta(base, at(name), key, value), {2})
    add("meta-satker-lain.xlsx", "metadata", edit_meta(base, at("meta-satker-lain.xlsx"), "satker", "900009"), {1},
        (f"V27@{fa.fields['unit_organisasi'].cell}", "V15"))
    add("meta-rollup-lembar.xlsx", "metadata", edit_meta(
        edit_meta(base, base_dir / "rl.xlsx", "form", "konsolidasi"), at("meta-rollup-lembar.xlsx"),
        "lembar:FORM A 6077", "form-b|"), {2})
    # sheets
    on_form_a("sel-jauh.xlsx", "lembar", lambda x: x.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'), {2})
    on_form_a("kolom-jauh.xlsx", "lembar", lambda x: x.replace(
        b"</sheetData>", b'<row r="60"><c r="ZZZ60" t="n"><v>1</v></c></row></sheetData>'), {2})
    lists = parts(base)["_daftar"]  # a sheet that is not a form: only its area is bounded
    add("lembar-lain-jauh.xlsx", "lembar", rezip(base, at("lembar-lain-jauh.xlsx"), lambda n, dd: dd.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')
        if n == lists else dd), {2})
    over = LIMITS.sheet_rows + 500  # more rows than a form sheet may have: another sheet's area alone is bounded
    add("lembar-lain-20rb-baris.xlsx", "lembar", rezip(base, at("lembar-lain-20rb-baris.xlsx"), lambda n, dd: dd.replace(
        b"</sheetData>", b"".join(f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c><c r="B{r}" t="n"><v>1</v></c></row>'
                                  .encode() for r in range(1000, over + 1)) + b"</sheetData>") if n == lists else dd), {0})
    on_form_a("dimensi-bohong.xlsx", "lembar", lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"',
                                                                x), {0})
    skm = write(Paket(skm=[[4, 3, 4, 3, 4, 3, 4, 3, 4]] * 30), base_dir / "skm.xlsx")
    # beyond the row limit (a quarter over it: the refusal scans the whole sheet, a bigger file only costs time)
    add("skm-25rb.xlsx", "lembar", _skm_big(skm, at("skm-25rb.xlsx"), LIMITS.sheet_rows * 5 // 4), {2})
    add("skm-5rb.xlsx", "lembar", _skm_big(skm, at("skm-5rb.xlsx"), 5_000), {0})  # large but legal
    # rows
    mutated("baris-sisip-tabel-ii.xlsx", "baris", lambda v: v["FORM A 6077"].tables["anggaran"].insert(1, {
        "c1_output_kode": "QDI", "c1_output_nama": "Output sisipan", "c4_rupiah_rp000": 1000,
        "c6_indikator_keluaran": "Layanan", "c7_satuan": "1 Layanan"}), {1},
        (f"V30@{re.sub(r'[0-9]', '', ang.cell_lists['c1_output_kode'][0])}{ang.rows[-1] + 1}",))  # BAD, pushed down
    below = f"{re.sub(r'[0-9]', '', rupiah)}{ang.total_row + 1}"  # the row under table II's Jumlah
    add("di-bawah-total.xlsx", "baris", edit_sheet(base, at("di-bawah-total.xlsx"), fa.name,
                                                  lambda x: _put(x, below, 5000)), {1}, (f"V31@{below}",))
    # merges
    on_form_a("merge-sampah.xlsx", "merge", lambda x: x.replace(b"<mergeCell ref=", b'<mergeCell ref="ZZZZZZ:!!"/><mergeCell ref=', 1),
              {2})
    on_form_a("merge-raksasa.xlsx", "merge", lambda x: x.replace(b"<mergeCell ref=", b'<mergeCell ref="A1:XFD1048576"/><mergeCell ref=',
                                                                 1), {0, 1, 2})
    # numbers
    for name, value, rules in (("angka-1e308.xlsx", 1e308, ("V29",)), ("angka-inf.xlsx", "INF", ()),
                               ("angka-nan.xlsx", "NaN", ()), ("angka-negatif-raksasa.xlsx", -1e300, ("V29",))):
        on_form_a(name, "angka", lambda x, v=value: set_cell(x, rupiah, f'<c r="{rupiah}" t="n"><v>{v}</v></c>'.encode()),
                  {1, 2}, rules)
    texts = dict(zip(  # one hostile text per number cell, each refused at its own cell
        [*ang.cell_lists["c4_rupiah_rp000"], *ang.cell_lists["c3_phln_rp000"], *rea.cell_lists["c2_lalu_keu_S"],
         *rea.cell_lists["c3_lalu_keu_R"]],
        ("12%", "400952abc", "0x61E38", "400_952", "1e308", "INF", "2023-06-30", "30.06.2023")))

    def put_texts(x: bytes) -> bytes:
        for ref, text in texts.items():
            x = set_cell(x, ref, cell_xml(ref, text))
        return x
    on_form_a("angka-teks-palsu.xlsx", "angka", put_texts, {1}, tuple(f"V01@{ref}" for ref in texts))
    on_form_a("tanggal-di-rupiah.xlsx", "angka", lambda x: set_cell(
        x, rupiah, f'<c r="{rupiah}" t="d"><v>2023-06-30T00:00:00</v></c>'.encode()), {1})
    on_form_a("pagu-satker-0.xlsx", "angka", lambda x: _put(x, pagu_satker, 0), {1}, ("V04",))
    on_form_a("pagu-satker-inf.xlsx", "angka", lambda x: set_cell(
        x, pagu_satker, f'<c r="{pagu_satker}" t="n"><v>INF</v></c>'.encode()), {1, 2})
    add("alki-1e308.xlsx", "angka", edit_sheet(base, at("alki-1e308.xlsx"), "ALKI", lambda x: _put(x, alki_pagu, 1e308)),
        {1}, ("V29",))
    # derived cells
    on_form_a("turunan-rumus-diganti.xlsx", "turunan", lambda x: set_cell(
        x, row_c5, cell_xml(row_c5, 48488000, f"{rupiah}*1000")), {1}, (f"V28@{row_c5}",))
    on_form_a("turunan-rumus-99.xlsx", "turunan", lambda x: set_cell(x, row_c5, cell_xml(row_c5, 99, "99")), {1},
              (f"V28@{row_c5}",))
    on_form_a("turunan-cache-palsu.xlsx", "turunan", lambda x: set_cell(
        x, row_c5, cell_xml(row_c5, 1, formula_of(sheet_xml, row_c5))), {1}, (f"V28@{row_c5}",))
    on_form_a("turunan-total-1000x.xlsx", "turunan", lambda x: set_cell(
        x, total_c5, cell_xml(total_c5, (48488 + 548888) * 1000, formula_of(sheet_xml, total_c5))), {1},
        (f"V28@{total_c5}",))
    sd_keu = rea.cell_lists["c10_sd_keu_S"]  # K35, K36: N(C35)+N(G35) …

    def shared(x: bytes) -> bytes:  # as Excel saves a filled-down formula: the text on the first cell only
        x = set_cell(x, sd_keu[0], f'<c r="{sd_keu[0]}"><f t="shared" ref="{sd_keu[0]}:{sd_keu[1]}" si="0">'
                     f'{formula_of(sheet_xml, sd_keu[0])}</f></c>'.encode())
        return set_cell(x, sd_keu[1], f'<c r="{sd_keu[1]}"><f t="shared" si="0"/></c>'.encode())
    on_form_a("turunan-rumus-bersama.xlsx", "turunan", shared, {0})
    on_form_a("turunan-rumus-gaya-lain.xlsx", "turunan", lambda x: set_cell(x, sd_keu[0], cell_xml(
        sd_keu[0], None, " " + formula_of(sheet_xml, sd_keu[0]).lower().replace("c", "$C$").replace("+", " + "))), {0})
    on_form_a("turunan-rumus-bersama-salah.xlsx", "turunan", lambda x: shared(x).replace(
        b'si="0">N(', b'si="0">2*N(', 1), {1}, (f"V28@{sd_keu[0]}", f"V28@{sd_keu[1]}"))
    add("turunan-ketik-timpa.xlsx", "turunan", edit_sheet(typed, at("turunan-ketik-timpa.xlsx"), fa.name,
                                                         lambda x: _put(x, row_c5, 1)), {1}, (f"V07@{row_c5}",))
    # injection: payloads in text (valid files) and where a number belongs (galat, the payload is a found value)
    cells = [*rea.cell_lists["c4_lalu_fis_S"], *rea.cell_lists["c5_lalu_fis_R"], *rea.cell_lists["c6_ini_keu_S"]]

    def payloads_in_text(v):
        rows = v["FORM A 6077"].tables["kendala"]
        rows[0].update(c3_kendala=PAYLOADS[0], c4_tindak_lanjut=PAYLOADS[1])
        rows[1].update(c3_kendala=PAYLOADS[2], c4_tindak_lanjut=PAYLOADS[3])
        v["FORM A 6042"].tables["kendala"][0].update(c3_kendala=PAYLOADS[4], c4_tindak_lanjut=PAYLOADS[5])

    def payloads_in_numbers(x: bytes) -> bytes:
        for ref, payload in zip(cells, PAYLOADS):
            x = set_cell(x, ref, cell_xml(ref, html.escape(payload, quote=False)))
        return x
    mutated("injeksi-kendala.xlsx", "injeksi", payloads_in_text, {0})
    on_form_a("injeksi-angka.xlsx", "injeksi", payloads_in_numbers, {1}, tuple(f"V01@{ref}" for ref in cells))
    mutated("injeksi-nama-output.xlsx", "injeksi", lambda v: v["FORM A 6077"].tables["anggaran"][0].update(
        c1_output_nama="=SUM(1,1)"), {0, 1})
    mutated("=SUM(1,1).xlsx", "injeksi", None, {0}, paket=Paket(satker="900003"))
    # strings
    on_form_a("teks-kendali.xlsx", "teks", lambda x: x.replace(b"Kegiatan Contoh", b"Kegiatan _x0001__x001B_ Contoh", 1),
              {0, 1})
    on_form_a("teks-kendali-kendala.xlsx", "teks", lambda x: set_cell(x, kendala, cell_xml(kendala, "Bel_x0007_um\x09ada")),
              {0, 1})
    on_form_a("teks-surrogat-ref.xlsx", "teks", lambda x: x.replace(b"Kegiatan Contoh", b"Kegiatan &#xD800; Contoh", 1), {2})
    on_form_a("teks-surrogat-escape.xlsx", "teks", lambda x: x.replace(b"Kegiatan Contoh", b"Kegiatan _xD800_ Contoh", 1),
              {0, 1, 2})
    on_form_a("teks-panjang.xlsx", "teks", lambda x: set_cell(x, kendala, cell_xml(kendala, "panjang " * 4_000)), {0, 1})
    on_form_a("teks-rtl.xlsx", "teks", lambda x: set_cell(x, kegiatan, cell_xml(kegiatan, "6077 - \u202eKegiatan\u200b")),
              {0, 1})
    # file names
    odd = os.fsdecode(b"laporan-\xff\xfe-satker.xlsx")
    try:
        (src / odd).write_bytes(base.read_bytes())
        add(odd, "nama-berkas", src / odd, {0})
    except (UnicodeEncodeError, OSError):  # a filesystem that refuses undecodable names
        pass
    for name in ("lapor\nan.xlsx", "[bold red]markup[blink].xlsx", "nama dengan spasi & 'kutip'.xlsx"):
        (src / name).write_bytes(base.read_bytes())
        add(name, "nama-berkas", src / name, {0})
    controls = [write(Paket(satker=s, nama=f"Balai Kontrol {s}"), root / "kontrol" / f"kontrol-{s}.xlsx")
                for s in ("900001", "900002") if (root / "kontrol").mkdir(exist_ok=True) or True]
    return cases, controls


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _put(xml: bytes, ref: str, value) -> bytes:
    if re.search(rb'<c r="' + ref.encode() + rb'"', xml):
        return set_cell(xml, ref, cell_xml(ref, value))
    row = int(re.sub(r"[A-Z]", "", ref))
    m = re.search(rb'<row r="' + str(row).encode() + rb'"[^>]*>', xml)
    if m:
        return xml[: m.end()] + cell_xml(ref, value) + xml[m.end():]
    nxt = next(mm for mm in re.finditer(rb'<row r="(\d+)"', xml) if int(mm.group(1)) > row)
    return xml[: nxt.start()] + f'<row r="{row}">'.encode() + cell_xml(ref, value) + b"</row>" + xml[nxt.start():]


def _corrupt(src: Path, dst: Path, name: str) -> Path:
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo(name)
    n, m = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + n + m
    for k in range(start + info.compress_size // 2, start + info.compress_size // 2 + 8):
        data[k] ^= 0x5A
    dst.write_bytes(bytes(data))
    return dst


# --- running it -------------------------------------------------------------------------------------------

def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def formulas(path: Path) -> dict[tuple[str, str], str]:
    """(sheet, A1) -> formula text of every formula cell of a workbook file."""
    from openpyxl.utils import get_column_letter

    out = {}
    for sheet, scan in _Package(path).all().items():
        for (r, c), text in scan.texts.items():
            out[(sheet, f"{get_column_letter(c + 1)}{r + 1}")] = text
        for rc in scan.formulas - set(scan.texts):
            out[(sheet, f"{get_column_letter(rc[1] + 1)}{rc[0] + 1}")] = ""
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    t = time.perf_counter()
    cases, controls = build_corpus(root)
    return root, cases, controls, time.perf_counter() - t


@pytest.fixture(scope="module")
def ran(corpus):
    """Every case through `kinerja validasi --anotasi`, in-process: (case, exit code, output, seconds, digest)."""
    root, cases, _, _ = corpus
    before = {c.name: sha(c.path) for c in cases}
    out = []
    for c in cases:
        folder = root / "anotasi" / re.sub(r"[^A-Za-z0-9.-]", "_", c.name)
        t = time.perf_counter()
        res = runner.invoke(app, ["validasi", str(c.path), "--anotasi", str(folder)])
        out.append((c, res, time.perf_counter() - t, folder))
    return out, before


def test_every_hostile_file_gives_an_exit_code_and_an_indonesian_message_naming_it(ran, corpus):
    results, before = ran
    problems = []
    outcomes = collections.Counter()
    per_cat = collections.Counter(c.kategori for c, *_ in results)
    for c, res, secs, _ in results:
        outcomes[res.exit_code] += 1
        text = res.output
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            problems.append(f"{c.name}: {type(res.exception).__name__}: {res.exception}")
            continue
        if res.exit_code not in c.codes:
            problems.append(f"{c.name}: exit {res.exit_code}, expected {sorted(c.codes)}: {text[:300]}")
        if shown(c.path.name).replace("[", "") not in text.replace("\\[", "").replace("[", ""):
            problems.append(f"{c.name}: message does not name the file: {text[:200]}")
        english = [w for w in ENGLISH if w in text]
        if english:
            problems.append(f"{c.name}: English library text {english}: {text[:300]}")
        if res.exit_code == 2 and "Galat:" not in text:
            problems.append(f"{c.name}: unreadable without an Indonesian 'Galat:' message")
        if SECRET in text:
            problems.append(f"{c.name}: the external entity was read")
        if secs > 30:
            problems.append(f"{c.name}: {secs:.1f} s")
        if sha(c.path) != before[c.name]:
            problems.append(f"{c.name}: input modified")
    print(f"\ncorpus: {len(results)} files; per category {dict(sorted(per_cat.items()))}; "
          f"exit codes {dict(sorted(outcomes.items()))}")
    assert not problems, "\n".join(problems)


def test_refusals_are_the_right_galat_on_the_right_cell(ran):
    from macros.validation import validate

    missing = []
    for c, res, _, _ in ran[0]:
        if not c.rules or res.exit_code != 1:
            continue
        findings = validate(c.path).findings
        found = {f.rule for f in findings} | {f"{f.rule}@{f.cell}" for f in findings}
        if not set(c.rules) <= found:
            missing.append(f"{c.name}: {sorted(found)} lacks {sorted(set(c.rules) - found)}")
    assert not missing, "\n".join(missing)


def test_annotated_copies_hold_no_formula_from_submitted_text(ran):
    results, _ = ran
    checked = 0
    for c, res, _, folder in results:
        copies = list(folder.glob("*")) if folder.exists() else []
        for copy in copies:
            before, after = formulas(c.path), formulas(copy)
            new = {k: v for k, v in after.items() if before.get(k) != v}
            assert not new, f"{c.name}: formulas not in the input: {list(new.items())[:3]}"
            raw = zipfile.ZipFile(copy).read(_Package(copy).parts["Hasil Validasi"]) if "Hasil Validasi" in \
                _Package(copy).parts else b""
            assert SECRET.encode() not in raw
            checked += 1
    assert checked >= 25  # every readable file yields an annotated copy
    # a payload typed where a number belongs is listed in Hasil Validasi as text, not as a live formula
    c, res, _, folder = next(r for r in results if r[0].name == "injeksi-angka.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(next(folder.glob("*.xlsx")))["Hasil Validasi"]
    hits = [cell for row in ws.iter_rows() for cell in row if cell.value == "=SUM(1,1)"]
    assert hits and all(cell.data_type == "s" for cell in hits)


def test_large_sheets_are_read_in_seconds_or_refused_with_the_limit(ran):
    results = {c.name: (res, secs) for c, res, secs, _ in ran[0]}
    res, secs = results["skm-5rb.xlsx"]
    assert res.exit_code == 0 and "LOLOS" in res.output and secs < 20, (res.output[:300], secs)
    res, secs = results["skm-25rb.xlsx"]
    assert res.exit_code == 2 and "melebihi batas" in res.output and "20.000 baris" in res.output and secs < 10


def test_a_few_files_through_a_real_subprocess(corpus, tmp_path):
    _, cases, _, _ = corpus
    pick = [c for c in cases if c.name in ("sel-jauh.xlsx", "xxe-file.xlsx", "turunan-rumus-diganti.xlsx",
                                            "crc-rusak.xlsx")]
    exe = Path(sys.executable).with_name("kinerja")
    res = subprocess.run([str(exe), "validasi", *[str(c.path) for c in pick]], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr + res.stdout and SECRET not in res.stderr + res.stdout
    for c in pick:
        assert c.name in res.stdout + res.stderr
    assert "XFD1048576" in res.stderr and "DTD" in res.stderr and "V28" in res.stdout


def test_konsolidasi_over_the_corpus_uses_the_controls_and_counts_nothing_hostile(corpus, tmp_path):
    from openpyxl import load_workbook

    from macros.konsolidasi import consolidate
    from macros.konsolidasi.collect import DIPAKAI, SEBAGIAN

    root, cases, controls, _ = corpus
    folder = tmp_path / "kiriman"
    folder.mkdir()
    for p in [c.path for c in cases] + controls:
        (folder / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "rollup.xlsx"
    t = time.perf_counter()
    hasil = consolidate(folder, out, tahun=2023, triwulan=2, waktu=dt.datetime(2023, 7, 20, 10, 0), workers=2)
    secs = time.perf_counter() - t
    by = {k.rel: k for k in hasil.kiriman}
    assert {p.name for p in controls} <= set(by)
    for p in controls:
        assert by[p.name].status in (DIPAKAI, SEBAGIAN), (p.name, by[p.name].status, by[p.name].alasan)
    benign = {c.name for c in cases if c.benign} | {p.name for p in controls}
    counted = {rel for rel, k in by.items() if k.status in (DIPAKAI, SEBAGIAN)}
    assert counted <= benign, sorted(counted - benign)
    english = {rel: k.alasan for rel, k in by.items() if any(w in (k.alasan or "") for w in ENGLISH)}
    assert not english, english  # reasons listed in the rollup are Indonesian too
    print(f"\nkonsolidasi: {len(by)} files in {secs:.1f} s; statuses "
          f"{dict(collections.Counter(k.status for k in by.values()))}")
    fs = formulas(out)
    live = {k: v for k, v in fs.items() if any(p.strip("=+@-\t") in v for p in PAYLOADS if len(p) > 4)}
    assert not live, list(live.items())[:5]
    assert not [k for k in fs if k[0] in ("Jejak Data", "Kiriman", "Temuan", "Status Pengiriman")]
    wb = load_workbook(out)
    names = [c.value for c in wb["Kiriman"]["A"] if isinstance(c.value, str)]
    assert "=SUM(1,1).xlsx" in names
    assert SECRET.encode() not in out.read_bytes()
