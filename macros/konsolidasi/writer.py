"""The rollup workbook: Ringkasan, FORM B per program (official layout), Capaian Kinerja, Indeks Kepuasan
Masyarakat, P3DN, Status Pengiriman, Kiriman, Temuan and Jejak Data.

FORM B is drawn by the template builder from the FORM B layout, so it looks and
reads like any FORM B (its Total and Jumlah cells keep their formulas). Every
number written gets its trail in Jejak Data, and aggregated cells a comment
pointing there. The same inputs give the same bytes: workbook properties and
zip entries carry the run timestamp, nothing else varies.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from macros import waktu as wk
from macros.konsolidasi import eselon1
from macros.konsolidasi.collect import ROLLUP_FORM, Kiriman
from macros.konsolidasi.deadline import HARI_KERJA, Kalender, quarter_end
from macros.konsolidasi import sheets as sh
from macros.konsolidasi.rollup import FORM_B_KEGIATAN, FORM_B_PCT, PCT, FormB, Ringkas, Rollup, StatusUnit
from macros.konsolidasi import verifikasi as vf
from macros.konsolidasi.trail import ROLLUP, TERTIMBANG, Nilai, Sumber, cacah, copy, jumlah
from macros.plan import Severity
from workbooks import teks
from workbooks.builder import SheetValues, build_sheet
from workbooks.forms import LAYOUT_VERSION, LAYOUTS, SKM
from workbooks.masters import ROMAWI, label_pilihan
from workbooks.meta import META_SHEET, Meta, SheetInfo
from workbooks import xlsx_rows
from workbooks.xlsx_rows import BulkRows, ExcelWriter

HEADER = PatternFill("solid", fgColor="D9E1F2")
TOTAL = PatternFill("solid", fgColor="EDEDED")
BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
UNLOCKED = Protection(locked=False)

SHEETS = ("Ringkasan", "FORM B", "Capaian Kinerja", "Indeks Kepuasan Masyarakat", "P3DN", "Status Pengiriman",
          "Kiriman", "Temuan", "Jejak Data")


_STYLE_IDS = {"font": ("_fonts", "fontId"), "fill": ("_fills", "fillId"),
              "alignment": ("_alignments", "alignmentId"), "protection": ("_protections", "protectionId")}


def _style(cell: Any, **styles: Any) -> None:
    """``cell.font = …`` (fill, alignment, protection) with each style object registered in the workbook
    once: openpyxl hashes the object on every assignment, a third of the time of the rollup's smaller sheets."""
    wb = cell.parent.parent
    ids = wb.__dict__.setdefault("_kinerja_style_ids", {})
    if cell._style is None:  # noqa: SLF001 - a cell never styled
        cell._style = StyleArray()  # noqa: SLF001
    for name, value in styles.items():
        collection, key = _STYLE_IDS[name]
        hit = ids.get((name, id(value)))
        if hit is None or hit[0] is not value:  # the object is kept with its index: its id stays its own
            hit = ids[(name, id(value))] = (value, getattr(wb, collection).add(value))
        setattr(cell._style, key, hit[1])  # noqa: SLF001 - what openpyxl's style descriptor sets


class _Book:
    """A workbook plus the cells that hold traced numbers."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.placed: list[tuple[str, str, Nilai, bool]] = []  # sheet, cell, value, comment
        self.more: dict[str, list[str]] = {}  # a sheet's title -> the titles of its continuation sheets

    def place(self, ws: Worksheet, coord: str, v: Nilai, comment: bool = False) -> None:
        """Remember that ``coord`` shows ``v`` (its trail goes to Jejak Data)."""
        if v.home is not None:  # the same value shown a second time: trace it to the first cell
            v = copy(v)
        v.home = Sumber(ROLLUP, ws.title, coord, v.value)
        self.placed.append((ws.title, coord, v, comment))

    def put(self, ws: Worksheet, r: int, c: int, value: Any, fmt: str | None = None, bold: bool = False,
            comment: bool = False) -> None:
        cell = ws.cell(r, c)
        if isinstance(value, Nilai):
            teks.put(cell, value.value)
            if value.value is not None or value.parts:
                self.place(ws, cell.coordinate, value, comment)
        else:
            teks.put(cell, value)  # submitted text (names, file names, kendala) stays text
        if fmt:
            cell.number_format = fmt
        if bold:
            _style(cell, font=BOLD, fill=TOTAL)

    def sheet(self, title: str, lines: Sequence[str] = ()) -> Worksheet:
        ws = self.wb.create_sheet(title)
        for i, text in enumerate(lines, start=1):
            teks.put(ws.cell(i, 1), text).font = Font(bold=True, size=12) if i == 1 else Font(italic=True)
        return ws

    def next_sheet(self, first: Worksheet, lines: Sequence[str] = ()) -> Worksheet:
        """The sheet after ``first`` or its last continuation, when Excel's limits of a sheet
        (:data:`workbooks.xlsx_rows.MAX_ROWS`, :data:`~workbooks.xlsx_rows.MAX_LINKS`) leave no room there:
        "Jejak Data 2", "Jejak Data 3", … (no sheet of the rollup is named so: FORM B titles start with it)."""
        more = self.more.setdefault(first.title, [])
        more.append(f"{first.title} {len(more) + 2}")
        return self.sheet(more[-1], lines)

    def header(self, ws: Worksheet, r: int, layout: sh.Lembar, widths: bool = True) -> None:
        for j, h in enumerate(layout.headers, start=1):
            _style(ws.cell(r, j, h), font=BOLD, fill=HEADER, alignment=HEAD)
        for j, w in enumerate(layout.widths if widths else (), start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.row_dimensions[r].height = 42
        ws.freeze_panes = f"A{r + 1}"
        ws.print_title_rows = f"{r}:{r}"

    def rows(self, ws: Worksheet, r: int, rows: Sequence[Sequence[Any]], layout: sh.Lembar,
             bold: Sequence[bool] = (), comment: Sequence[bool] = ()) -> int:
        """Write ``rows`` (in ``layout``'s column order) from row ``r``; returns the next free row."""
        fmts = layout.formats
        for n, row in enumerate(rows):
            b = bold[n] if n < len(bold) else False
            for j, v in enumerate(row, start=1):
                self.put(ws, r, j, v, fmts[j - 1] if j - 1 < len(fmts) else None, b,
                         b or (comment[n] if n < len(comment) else False))
            r += 1
        return r


def _wrap(ws: Worksheet, first: int, last: int, layout: sh.Lembar) -> None:
    """Wrap the long texts of ``layout``'s wrapped columns and give each row the height its text needs."""
    cols = layout.wrapped
    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 10 for c in cols}
    n = ws.max_column  # once: openpyxl computes it over every cell
    for r in range(first, last + 1):
        lines = 1
        for c in range(1, n + 1):
            cell = ws.cell(r, c)
            _style(cell, alignment=WRAP if c in cols else TOP)
            if c in cols and isinstance(cell.value, str):
                lines = max(lines, -(-len(cell.value) // max(int(widths[c] * 1.1), 1)))
        if lines > 1:
            ws.row_dimensions[r].height = 12.75 * min(lines, 15)


def _judul_periode(t: int | None, tw: int | None) -> str:
    return f"TRIWULAN {ROMAWI.get(tw or 0, '?')} TAHUN ANGGARAN {t or '?'}"


def _dipa(numbers: list[str], limit: int = 30_000) -> str:
    """The satkers' DIPA numbers, comma-separated as the seed prints them, within Excel's cell size."""
    text = ", ".join(numbers)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    for n in numbers:
        if len(", ".join([*kept, n])) > limit - 80:
            break
        kept.append(n)
    return ", ".join(kept) + f", … ({len(numbers) - len(kept)} DIPA lain; daftar lengkap di lembar Kiriman)"


def sheet_title(text: str, taken: Sequence[str] = ()) -> str:
    """A valid, unused sheet title from data: characters Excel forbids (``[]:*?/\\``) and control
    characters replaced, no leading or trailing apostrophe, at most 31 characters, made unique."""
    clean = re.sub(r"[\[\]:*?/\\\x00-\x1f\x7f]", "-", text).strip().strip("'").strip() or "Lembar"
    title, n = clean[:31], 2
    used = {t.casefold() for t in taken}
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = clean[:31 - len(suffix)] + suffix, n + 1
    return title


def _form_b(book: _Book, fb: FormB, meta: Meta) -> str:
    title = sheet_title(f"FORM B {fb.eselon1} {fb.program}", [*book.wb.sheetnames, *SHEETS, META_SHEET])
    ws = book.wb.create_sheet(title)
    base = LAYOUTS["form-b"]
    layout = replace(base, tables=tuple(replace(t, rows=len(fb.rows)) for t in base.tables))  # no blank rows
    K = FORM_B_KEGIATAN
    rows = [{K.c1_kode_kegiatan: k.kode, K.c1_nama_kegiatan: k.nama, K.c3_phln_rp000: k.phln.value,
             K.c4_rm_rp000: k.rm.value, **{FORM_B_PCT[p]: k.pct[p].value for p in PCT},
             K.c8_output_narasi: k.narasi, K.c9_output_satuan: k.satuan, K.c12_lokasi: k.lokasi} for k in fb.rows]
    fields = {"unit_organisasi": eselon1.nama(fb.eselon1).upper(), "nomor_dipa": _dipa(fb.dipa),
              "program": fb.judul_program}
    sp = build_sheet(ws, layout, meta, SheetValues(fields=fields, tables={"kegiatan": rows}))
    tp = sp.tables["kegiatan"]
    dipa = ws[sp.field_cell("nomor_dipa")]
    dipa.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    chars = sum(c.width for c in layout.grid.columns[sp.label_span:]) if layout.grid else 100
    lines = -(-len(str(dipa.value or "")) // max(int(chars * 1.05), 1))
    if lines > 1:
        ws.row_dimensions[dipa.row].height = 12.75 * min(lines, 40)
    keys = {"phln": K.c3_phln_rp000, "rm": K.c4_rm_rp000, "total": K.c5_total_rp000, **FORM_B_PCT}
    for i, k in enumerate(fb.rows):
        for name, v in (("phln", k.phln), ("rm", k.rm), ("total", k.total), *((p, k.pct[p]) for p in PCT)):
            book.place(ws, tp.cell(keys[name], i), v, comment=True)
    for name, v in fb.jumlah.items():  # the Jumlah cells keep their formulas; the trail names the rows
        book.place(ws, f"{tp.letter(keys[name])}{tp.total_row}", v, comment=True)
    return title


# the Polaritas list of the forms whose indicators the Capaian sheet lists (Pengukuran, Perjanjian Kinerja)
(_POLARITAS,) = {lay.rollup.rows.column(lay.rollup.fields["polaritas"]).pilihan  # type: ignore[arg-type]
                 for lay in LAYOUTS.values() if lay.rollup and "polaritas" in lay.rollup.fields}


def _capaian(book: _Book, roll: Rollup) -> None:
    ws = book.sheet("Capaian Kinerja", ["CAPAIAN KINERJA PER UNIT", _judul_periode(roll.tahun, roll.triwulan)
                                        + " — capaian dihitung ulang dari target dan realisasi (R7); predikat "
                                          "menurut skala capaian kinerja"])
    book.header(ws, 4, sh.CAPAIAN)
    rows, bold = [], []
    for cu in roll.capaian:
        u = cu.unit
        for sasaran, inds, mean in cu.sasaran:
            for i in inds:
                rows.append([u.kode, u.nama, u.eselon1, cu.sumber, sasaran, i.indikator, i.satuan,
                             label_pilihan(_POLARITAS, i.polaritas),  # as the forms' list shows it
                             i.target, i.realisasi, i.capaian, i.predikat])
                bold.append(False)
            rows.append([u.kode, u.nama, u.eselon1, cu.sumber, sasaran, "Rata-rata capaian sasaran", "", "", "", "",
                         mean, ""])
            bold.append(True)
    _wrap(ws, 5, book.rows(ws, 5, rows, sh.CAPAIAN, bold) - 1, sh.CAPAIAN)  # real unit names are long


_METODE = SKM.field(SKM.rollup.from_fields["metode"]).pilihan  # type: ignore[union-attr]  # the SKM's Metode list


def _survei(book: _Book, roll: Rollup) -> None:
    ws = book.sheet("Indeks Kepuasan Masyarakat", [
        "INDEKS KEPUASAN MASYARAKAT PER UNIT DAN GABUNGAN",
        "Indeks 1–4 = rata-rata nilai rata-rata unsur (R13); gabungan dihitung dari seluruh kuesioner"])
    book.header(ws, 4, sh.SURVEI)
    rows = [[s.unit.kode, s.unit.nama, s.unit.eselon1, label_pilihan(_METODE, s.metode),  # as the SKM's list shows it
             Nilai(s.kuesioner, "cacah kuesioner", origin=s.indeks.origin), s.indeks, s.konversi, s.mutu]
            for s in roll.survei]
    rows += [["", s.unit.nama, "", label_pilihan(_METODE, s.metode), s.kuesioner, s.indeks, s.konversi, s.mutu]
             for s in roll.survei_total]
    _wrap(ws, 5, book.rows(ws, 5, rows, sh.SURVEI, [False] * len(roll.survei) + [True] * len(roll.survei_total)) - 1,
          sh.SURVEI)


def _p3dn(book: _Book, roll: Rollup) -> None:
    ws = book.sheet("P3DN", ["PENINGKATAN PENGGUNAAN PRODUK DALAM NEGERI (P3DN) PER UNIT",
                             "Akun terpilih saja; capaian gabungan = Σ realisasi (PDN + TKDN) / Σ pagu (R12)"])
    book.header(ws, 4, sh.P3DN)
    items = [*roll.p3dn, *([roll.p3dn_total] if roll.p3dn_total else [])]
    rows = [[p.unit.kode, p.unit.nama, p.unit.eselon1, p.pagu, p.pdn, p.tkdn, p.realisasi, p.pct] for p in items]
    _wrap(ws, 5, book.rows(ws, 5, rows, sh.P3DN, [False] * len(roll.p3dn) + [True] * (len(items) - len(roll.p3dn))) - 1,
          sh.P3DN)


RINGKASAN_VERIFIKASI = sh.RINGKASAN_ESELON.plus(sh.Kolom("dikembalikan", "Satker dikembalikan", 13, sh.BULAT),
                                                sh.Kolom("diterima_verifikator", "Satker diterima verifikator", 13,
                                                         sh.BULAT))
STATUS = sh.STATUS.plus(sh.Kolom("keputusan", vf.COL_KEPUTUSAN, 16), sh.Kolom("catatan", vf.COL_CATATAN, 40, None, True),
                        sh.Kolom("kunci", vf.COL_KUNCI, 12))
STATUS_COUNTED = ("terdaftar", "diterima", "validasi", "ketepatan", "keputusan")  # the cells the Ringkasan counts
INPUT = PatternFill("solid", fgColor="FFF2CC")  # the fill of every form input (workbooks.builder)


def _status(book: _Book, roll: Rollup, kiriman: dict[str, Kiriman], kalender: Kalender) -> list[dict[str, Sumber]]:
    """The Status Pengiriman sheet; returns per status row the cells that the Ringkasan counts."""
    lines = ["STATUS PENGIRIMAN LAPORAN", _judul_periode(roll.tahun, roll.triwulan)]
    if roll.tahun and roll.triwulan:
        end = quarter_end(roll.tahun, roll.triwulan)
        lines.append(
            f"Batas waktu (PP 39/2006): FORM A {HARI_KERJA['form-a']} hari kerja "
            f"(s.d. {kalender.deadline('form-a', roll.tahun, roll.triwulan):%d-%m-%Y}), FORM B "
            f"{HARI_KERJA['form-b']} hari kerja (s.d. {kalender.deadline('form-b', roll.tahun, roll.triwulan):%d-%m-%Y}) "
            f"setelah triwulan berakhir {end:%d-%m-%Y}; {kalender.keterangan} tidak dihitung.")
    ws = book.sheet("Status Pengiriman", lines)
    top = len(lines) + 2
    book.header(ws, top, STATUS)
    cells: list[dict[str, Sumber]] = []
    col = {c.key: get_column_letter(i) for i, c in enumerate(STATUS.columns, start=1)}
    for n, st in enumerate(roll.status):
        r = top + 1 + n
        row = STATUS.row(_status_values(st, kiriman), st)
        book.rows(ws, r, [row], STATUS)
        cells.append({k: Sumber(ROLLUP, ws.title, f"{col[k]}{r}", row[STATUS.position(k) - 1])
                      for k in STATUS_COUNTED})
    _wrap(ws, top + 1, top + len(roll.status), STATUS)
    _decision_inputs(ws, top, len(roll.status), col)
    return cells


def _decision_inputs(ws: Worksheet, top: int, n: int, col: dict[str, str]) -> None:
    """The verifier's columns are inputs (unlocked, yellow, a dropdown); the rest of the sheet is protected
    without a password; the key column is hidden."""
    first, last = top + 1, top + max(n, 1)
    dv = DataValidation(type="list", formula1='"' + ",".join(vf.PILIHAN) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Keputusan Verifikator",
                        error="Pilih Diterima, Dikembalikan atau —.")
    dv.add(f"{col['keputusan']}{first}:{col['keputusan']}{last}")
    ws.add_data_validation(dv)
    for name in ("keputusan", "catatan"):
        for r in range(first, last + 1):
            _style(ws[f"{col[name]}{r}"], protection=UNLOCKED, fill=INPUT)
    ws.column_dimensions[col["kunci"]].hidden = True
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = ws.protection.autoFilter = False
    ws.protection.sort = False


def _status_text(st: StatusUnit) -> str:
    status = "tidak ada" if not st.diterima else st.validasi + (", terlambat" if st.terlambat else "")
    if st.verifikasi:
        status = st.verifikasi if st.verifikasi == vf.ST_DIKEMBALIKAN else f"{status}, {st.verifikasi}"
    return status


def _status_values(st: StatusUnit, kiriman: dict[str, Kiriman]) -> dict[str, Any]:
    """The Status row's values by column key (a column whose value is the StatusUnit attribute of the same
    name needs none here)."""
    u = st.unit
    tepat = "" if not st.diterima else "tidak diketahui" if st.terlambat is None else (
        "terlambat" if st.terlambat else "tepat waktu")
    status = _status_text(st)
    waktu: Any = wk.shown(None) if st.diterima else ""
    hari: Any = ""
    if st.waktu is not None:
        k = max((kiriman[b] for b in st.berkas if kiriman[b].waktu_kirim == st.waktu), key=lambda k: k.rel)
        waktu = Nilai(wk.shown(st.waktu), origin=k.waktu_sumber())
        if st.hari_ke is not None:
            hari = Nilai(st.hari_ke, "hari kerja setelah akhir triwulan (tanpa libur nasional)", (("nilai", waktu),))
    return {"kode": u.kode, "nama": u.nama, "eselon1": u.eselon1, "provinsi": u.provinsi,
            "terdaftar": "ya" if st.terdaftar else "tidak", "diterima": "ya" if st.diterima else "tidak",
            "validasi": st.validasi, "ketepatan": tepat, "status": status, "waktu": waktu,
            "sumber": st.sumber if st.diterima else "", "hari_ke": hari, "batas": st.batas or "",
            "berkas": ", ".join(st.berkas), "keterangan": st.keterangan}


def _temuan(book: _Book, kiriman: list[Kiriman]) -> dict[str, list[Sumber]]:
    """Temuan: one row per finding, a file's findings together on one sheet ("Temuan 2", … when Excel's rows
    run out: a folder of badly filled forms can give a million findings)."""
    lines = ["TEMUAN VALIDASI PER BERKAS",
             "Berkas dengan galat ditolak dan tidak masuk total; peringatan tidak menolak berkas"]
    first = ws = book.sheet(sh.TEMUAN.name, lines)
    book.header(ws, 4, sh.TEMUAN)
    tingkat = sh.TEMUAN.letter("tingkat")
    cells: dict[str, list[Sumber]] = {}
    r = top = 5
    for k in kiriman:
        for i, f in enumerate(k.findings):
            if r > top and ((i == 0 and r - 1 + len(k.findings) > xlsx_rows.MAX_ROWS) or r > xlsx_rows.MAX_ROWS):
                _wrap(ws, top, r - 1, sh.TEMUAN)
                ws = book.next_sheet(first, [f"{lines[0]} (LANJUTAN)", *lines[1:]])
                book.header(ws, top - 1, sh.TEMUAN)
                r = top
            book.rows(ws, r, [sh.TEMUAN.row({"berkas": k.rel, "status": k.status, "aturan": f.rule,
                                             "tingkat": str(f.severity), "lembar": f.sheet, "sel": f.cell,
                                             "kolom": f.column, "pesan": f.message})], sh.TEMUAN)
            cells.setdefault(k.rel, []).append(Sumber(ROLLUP, ws.title, f"{tingkat}{r}", str(f.severity)))
            r += 1
    _wrap(ws, top, r - 1, sh.TEMUAN)
    return cells


def _kiriman(book: _Book, kiriman: list[Kiriman], temuan: dict[str, list[Sumber]]) -> None:
    ws = book.sheet("Kiriman", ["DAFTAR BERKAS KIRIMAN", "Setiap berkas di folder: dipakai, ditolak (galat atau "
                                "metadata tidak sah), kosong (belum diisi), duplikat (ada yang lebih baru), bukan "
                                "form, tidak dapat dibaca, tidak dibaca (format lain) atau periode lain. Waktu kirim: "
                                "cap Siapkan Kiriman, atau saat pertama terlihat oleh konsolidasi; waktu berkas "
                                "tidak dipakai"])
    book.header(ws, 4, sh.KIRIMAN)
    rows = []
    for k in kiriman:
        i = k.ident
        found = temuan.get(k.rel, [])
        counts = [cacah([s for s in found if s.value == sev]) if found else 0
                  for sev in (str(Severity.GALAT), str(Severity.PERINGATAN))]
        rows.append(sh.KIRIMAN.row({
            "berkas": k.rel, "unit": k.unit, "nama": i.nama if i else "", "form": k.form,
            "tahun": i.tahun if i else None, "triwulan": i.triwulan if i else None,
            "waktu": wk.shown(k.waktu_kirim) + (f" ({k.sumber_waktu})" if k.waktu_kirim else ""),
            "status": k.status, "alasan": k.alasan, "galat": counts[0], "peringatan": counts[1],
            "sha256": k.sha256}))
    book.rows(ws, 5, rows, sh.KIRIMAN)
    _wrap(ws, 5, 4 + len(rows), sh.KIRIMAN)


ASAL_ROW = 3  # the Ringkasan's line naming the Jejak Data sheets


def _asal(jejak: Sequence[str]) -> str:
    """The Ringkasan's note on units, means and the sheets of Jejak Data (``jejak``: their titles)."""
    more = "" if len(jejak) < 2 else f" (berlanjut di lembar {jejak[1]}" + (
        f" s.d. {jejak[-1]})" if len(jejak) > 2 else ")")
    return ("Pagu dalam Rp ribu; persen s.d. triwulan ini, rata-rata tertimbang pagu (R3). Asal setiap angka ada di "
            f"lembar {jejak[0]}{more}.")


def _ringkasan(book: _Book, roll: Rollup, status: list[dict[str, Sumber]], run: dt.datetime,
               n_files: int) -> None:
    ws = book.sheet("Ringkasan", [
        "RINGKASAN KONSOLIDASI LAPORAN PP 39/2006", _judul_periode(roll.tahun, roll.triwulan),
        _asal([sh.JEJAK.name]),  # row ASAL_ROW
        f"Dibuat {run:%d-%m-%Y %H:%M} dari {n_files} berkas kiriman."])
    ws.cell(6, 1, "A. PER ESELON I").font = BOLD
    verified = any(s.keputusan for s in roll.status)  # the verifier's counts once verification has begun
    eselon = RINGKASAN_VERIFIKASI if verified else sh.RINGKASAN_ESELON
    book.header(ws, 7, eselon)
    ws.freeze_panes = None
    by_es = {r.eselon1: r for r in roll.eselon}
    names = sorted(set(by_es) | {s.unit.eselon1 for s in roll.status if s.unit.eselon1})

    def counts(keep) -> list[Nilai]:  # over the units of the list; other senders are shown, not counted
        mine = [status[i] for i, s in enumerate(roll.status) if keep(s) and s.terdaftar]
        return [cacah([c["terdaftar"] for c in mine]),
                cacah([c["diterima"] for c in mine if c["diterima"].value == "ya"]),
                cacah([c["validasi"] for c in mine if c["validasi"].value == "valid"]),
                cacah([c["ketepatan"] for c in mine if c["ketepatan"].value == "terlambat"]),
                *((cacah([c["keputusan"] for c in mine if c["keputusan"].value == vf.DIKEMBALIKAN]),
                   cacah([c["keputusan"] for c in mine if c["keputusan"].value == vf.DITERIMA])) if verified else ())]

    def line(label: str, nama: str, r: Ringkas | None, keep) -> list[Any]:
        nums = [r.pagu, *(r.pct[p] for p in PCT)] if r else [None] * 5
        return [label, nama, *nums, *counts(keep)]

    rows = [line(es, eselon1.nama(es), by_es.get(es), lambda s, es=es: s.unit.eselon1 == es) for es in names]
    total = [roll.semua.pagu, *(roll.semua.pct[p] for p in PCT)] if roll.semua else [None] * 5
    rows.append(["Semua Eselon I", "", *total, *(jumlah([r[j] for r in rows]) for j in range(7, len(eselon.columns)))])
    first = 8
    nxt = book.rows(ws, first, rows, eselon, [False] * (len(rows) - 1) + [True], [True] * len(rows))
    ws.cell(nxt + 1, 1, "B. PER PROGRAM").font = BOLD
    book.header(ws, nxt + 2, sh.RINGKASAN_PROGRAM, widths=False)
    ws.freeze_panes = None
    end = book.rows(ws, nxt + 3, [[r.eselon1, r.program, r.pagu, *(r.pct[p] for p in PCT)] for r in roll.program],
                    sh.RINGKASAN_PROGRAM, (), [True] * len(roll.program))
    end = _warna_unit(book, ws, roll, end + 1)
    if names:
        _chart(ws, first, first + len(names) - 1, f"A{end + 2}")


def _warna_unit(book: _Book, ws: Worksheet, roll: Rollup, r: int) -> int:
    """Section C: every unit with its colour (hijau / kuning / merah), as on a status board."""
    ws.cell(r + 1, 1, "C. STATUS PER UNIT (hijau: valid dan tepat waktu atau diterima verifikator; kuning: "
                      "terlambat, waktu kirim tidak diketahui atau revisi menunggu keputusan; merah: belum mengirim, "
                      "ditolak atau dikembalikan)").font = BOLD
    book.header(ws, r + 2, sh.RINGKASAN_WARNA, widths=False)
    ws.freeze_panes = None
    rows = [[s.unit.kode, s.unit.nama, s.unit.eselon1, _status_text(s), s.keputusan, s.warna] for s in roll.status]
    end = book.rows(ws, r + 3, rows, sh.RINGKASAN_WARNA)
    _wrap(ws, r + 3, end - 1, sh.RINGKASAN_WARNA)  # long unit names wrap inside the column section A sized
    for i, s in enumerate(roll.status):
        if s.warna:
            ws.cell(r + 3 + i, sh.RINGKASAN_WARNA.position("warna")).fill = PatternFill("solid", fgColor=vf.WARNA_FILL[s.warna])
    return end


def _chart(ws: Worksheet, first: int, last: int, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Realisasi keuangan dan fisik per Eselon I (%)"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    chart.x_axis.delete = chart.y_axis.delete = False
    for col in (sh.RINGKASAN_ESELON.position("keu_r"), sh.RINGKASAN_ESELON.position("fis_r")):
        chart.add_data(Reference(ws, min_col=col, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                     showPercent=False)
    chart.y_axis.number_format = "0"
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, anchor)


def _target(sheet: str, coord: str) -> str:
    """The hyperlink target of a cell of this workbook."""
    return f"#{quote_sheetname(sheet)}!{coord}"




def _linked(s: Sumber) -> bool:
    """Whether a Jejak Data row links its source: a cell of the rollup itself."""
    return s.file == ROLLUP and re.fullmatch(r"[A-Z]+\d+", s.cell) is not None


def _trail_rows(v: Nilai) -> list[tuple[str, Sumber, Sumber | None]]:
    """(role, source, weight) per row; a weighted mean lists each value with its pagu (same sheet) on one row."""
    items = list(v.sources())
    if v.rule == TERTIMBANG and len(items) % 2 == 0:
        pairs = list(zip(items[::2], items[1::2]))
        if all(ra == "nilai" and rb == "bobot" and a.file == b.file and a.sheet == b.sheet
               for (ra, a), (rb, b) in pairs):
            return [("nilai", a, b) for (_, a), (_, b) in pairs]
    return [(r, s, None) for r, s in items]


def _jejak(book: _Book) -> list[str]:
    """Jejak Data: one row per (rollup cell, source cell); comments on aggregated cells point at their rows.
    Its rows are bulk rows (:mod:`workbooks.xlsx_rows`): a million cells for 200 packages, ~500 rows and ~50
    links per package. Where Excel's limits of a sheet leave no room for a rollup cell's rows, they start
    "Jejak Data 2" (then 3, …; same header, widths and print setup); only a cell with more rows than a whole
    sheet holds goes on over two. Returns the titles of the sheets."""
    first = book.wb.create_sheet(sh.JEJAK.name)
    sel, sel_sumber = sh.JEJAK.position("sel"), sh.JEJAK.position("sel_sumber")

    def start(ws: Worksheet) -> BulkRows:
        book.header(ws, 1, sh.JEJAK)
        return BulkRows(ws)

    rows = start(first)
    for sheet, coord, v, comment in book.placed:
        trail = _trail_rows(v)
        if not trail:
            continue
        n, split = len(trail), False
        room, room_links = rows.room()
        if n > room or n + 1 > room_links:  # may not fit: count its links (one per rollup cell, on its first row)
            links = 1 + sum(_linked(s) for _, s, _ in trail)
            if (n > room or links > room_links) and rows.rows:
                rows = start(book.next_sheet(first))
                room, room_links = rows.room()
            split = n > room or links > room_links  # more rows or links than a whole sheet holds
        files: set[str] = set()
        spans: list[tuple[str, int, int]] = []  # (sheet, first row, last row) of this cell's rows, per sheet
        top = rows.next_row
        head = rows.cells((sheet, coord, v.value, v.rule))  # the same on each of this cell's rows
        for i, (role, s, w) in enumerate(trail):
            linked = _linked(s)
            if split:
                room, room_links = rows.room()
                if room < 1 or room_links < (i == 0) + linked:
                    if i:
                        spans.append((rows.ws.title, top, rows.next_row - 1))
                    rows = start(book.next_sheet(first))
                    top = rows.next_row
                    head = rows.cells((sheet, coord, v.value, v.rule))
            r = rows.append_cells(head + rows.cells((role, s.file, s.sheet, s.cell, s.value,
                                                     *((w.cell, w.value) if w else ()))))
            if i == 0:  # one link per rollup cell (links on every row would double the writing time)
                rows.link(r, sel, _target(sheet, coord), LINK)
            if linked:
                rows.link(r, sel_sumber, _target(s.sheet, s.cell), LINK)
            files.add(s.file)
        spans.append((rows.ws.title, top, rows.next_row - 1))
        if comment:
            where = "; ".join(f"lembar {t} baris {a}" + (f"–{b}" if b > a else "") for t, a, b in spans)
            text = (f"{v.rule}: {n} sel sumber" + (f" dari {len(files)} berkas" if ROLLUP not in files else "")
                    + f". Rincian: {where}.")
            book.wb[sheet][coord].comment = Comment(text, "kinerja", width=260, height=70)
    return [first.title, *book.more.get(first.title, ())]


def _meta(book: _Book, meta: Meta, forms: list[str]) -> None:
    ws = book.wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(meta.with_(sheets=tuple(SheetInfo(s, "form-b") for s in forms)).rows(), start=1):
        ws.cell(i, 1, k)
        teks.put(ws.cell(i, 2), v).number_format = "@"
    ws.sheet_state = "veryHidden"


def _page(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def build_rollup_workbook(roll: Rollup, kiriman: list[Kiriman], kalender: Kalender, run: dt.datetime) -> Workbook:
    book = _Book()
    meta = Meta(form="form-b", versi=LAYOUT_VERSION, tahun=roll.tahun, triwulan=roll.triwulan)
    forms = [_form_b(book, fb, meta) for fb in roll.forms_b]
    _capaian(book, roll)
    _survei(book, roll)
    _p3dn(book, roll)
    status = _status(book, roll, {k.rel: k for k in kiriman}, kalender)
    temuan = _temuan(book, kiriman)
    _kiriman(book, kiriman, temuan)
    _ringkasan(book, roll, status, run, len(kiriman))
    jejak = _jejak(book)
    if len(jejak) > 1:
        teks.put(book.wb["Ringkasan"].cell(ASAL_ROW, 1), _asal(jejak))
    _meta(book, meta.with_(form=ROLLUP_FORM, dibuat=run.isoformat()), forms)
    order = ["Ringkasan", *forms, *(t for s in SHEETS[2:] for t in (s, *book.more.get(s, ()))), META_SHEET]
    book.wb._sheets.sort(key=lambda ws: order.index(ws.title))  # noqa: SLF001 - openpyxl has no public reorder
    for ws in book.wb.worksheets:
        if ws.title not in forms:
            _page(ws)
    book.wb.properties.creator = "kinerja"
    book.wb.active = 0
    return book.wb


class _PinnedZip(zipfile.ZipFile):
    """A zip whose entries all carry one timestamp (openpyxl would stamp the current time).

    Deflate level 1: Jejak Data's sheet XML is ~60 MB for 200 packages; level 1 compresses it in 0,35 s
    against 1,15 s at the default level 6, for a rollup of 5,7 MB instead of 4,6 MB."""

    def __init__(self, file: io.BytesIO, when: dt.datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1)
        self._stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        level = self.compresslevel if compresslevel is None else compresslevel  # a ZipInfo carries none
        super().writestr(zinfo_or_arcname, data, compress_type, level)

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):  # type: ignore[override]
        if mode == "w" and not isinstance(name, zipfile.ZipInfo):  # a part streamed in: pinned as well
            name = self._info(name)
            name._compresslevel = self.compresslevel  # noqa: SLF001 - what writestr sets
        return super().open(name, mode, pwd, force_zip64=force_zip64)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        with open(filename, "rb") as fh:
            self.writestr(self._info(arcname or os.path.basename(filename)), fh.read())


def to_bytes(wb: Workbook, run: dt.datetime) -> bytes:
    """The .xlsx bytes, with the workbook's modified time and every zip entry's time pinned to ``run``:
    the same inputs give the same bytes."""
    wb.properties.created = wb.properties.modified = run
    out = io.BytesIO()
    with _PinnedZip(out, run) as archive:
        ExcelWriter(wb, archive).write_data()
    return out.getvalue()
