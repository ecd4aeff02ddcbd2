"""Konsolidasi: a folder of satker submissions → FORM B and the ministry rollup workbook.

    consolidate(folder, out, units=None, tahun=None, triwulan=None, waktu=None)

Files are read and validated in parallel; a submission with a galat stays out
of every total; duplicates resolve to the newest; the rollup is written to a
temporary file and renamed into place under a lock; a SQLite ledger next to
it remembers what each run saw.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

import udfs
from macros.konsolidasi.collect import Kiriman, find_files, load_all, resolve
from macros.konsolidasi.deadline import deadline
from macros.konsolidasi.rollup import (
    FormB, Nilai, Sumber, capaian_rows, form_b, output_rows, p3dn_rows, pooled, skm_rows, total,
)
from workbooks.builder import SheetValues, Typed, build_sheet
from workbooks.forms import LAYOUT_VERSION, LAYOUTS
from workbooks.meta import Meta
from workbooks.units import Unit, load_units

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


@dataclass
class Hasil:
    out: Path
    kiriman: list[Kiriman]
    winners: list[Kiriman]
    forms_b: list[FormB]
    status: list[dict]
    changes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def dipakai(self) -> list[Kiriman]:
        return [k for k in self.winners if k.status == "dipakai"]


class _Sheet:
    """Writes rows to a worksheet and records each number's trail."""

    def __init__(self, wb: Workbook, title: str, jejak: list, headers: list[str] | None = None):
        self.ws = wb.create_sheet(title)
        self.jejak = jejak
        if headers:
            self.header(headers)

    def header(self, headers: list[str]) -> None:
        self.ws.append(headers)
        for c in self.ws[self.ws._current_row]:
            c.font = Font(bold=True)
            c.fill = HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")

    def row(self, values: list, bold: bool = False) -> int:
        plain = [v.value if isinstance(v, Nilai) else v for v in values]
        self.ws.append(plain)
        r = self.ws._current_row  # ws.max_row scans every cell: quadratic on long sheets
        for j, v in enumerate(values, start=1):
            cell = self.ws.cell(r, j)
            if bold:
                cell.font = Font(bold=True)
            if isinstance(v, Nilai):
                whole = isinstance(v.value, int) or (isinstance(v.value, float) and v.value.is_integer())
                cell.number_format = "#,##0" if whole else "#,##0.00"
                trace(self.jejak, self.ws.title, cell.coordinate, v, cell)
        return r


def trace(jejak: list, sheet: str, cell: str, v: Nilai, target=None) -> None:
    for s in v.sources:
        jejak.append((sheet, cell, v.value, v.rumus, s.file, s.sheet, s.cell, s.value))
    if target is not None and v.sources:
        files = sorted({s.file for s in v.sources})
        target.comment = Comment(f"{v.rumus}; {len(v.sources)} sel sumber dari {len(files)} berkas "
                                 f"(lihat lembar Jejak Data).", "kinerja", width=300, height=80)


def _status(units: dict[str, Unit], winners: list[Kiriman], tahun: int | None, triwulan: int | None) -> list[dict]:
    by_satker: dict[str, list[Kiriman]] = defaultdict(list)
    for k in winners:
        if k.satker:
            by_satker[k.satker].append(k)
    out = []
    for kode in sorted(set(units) | set(by_satker)):
        u = units.get(kode)
        ks = by_satker.get(kode, [])
        row = {"kode": kode, "nama": u.nama if u else "", "eselon1": u.eselon1 if u else "",
               "provinsi": u.provinsi if u else "", "status": "tidak ada", "terlambat": "", "waktu": "",
               "batas": "", "berkas": ""}
        if ks:
            k = max(ks, key=lambda k: k.waktu_kirim)
            m = k.data.meta if k.data else None
            row.update(status="valid" if all(x.valid for x in ks) else "ditolak", waktu=f"{k.waktu_kirim:%Y-%m-%d %H:%M}",
                       berkas=", ".join(sorted(x.path.name for x in ks)))
            t, tw = (m.tahun if m else None) or tahun, (m.triwulan if m else None) or triwulan
            if t and tw:
                batas = deadline(k.form, t, tw)
                row.update(batas=batas.isoformat(), terlambat="ya" if k.waktu_kirim.date() > batas else "tidak")
        out.append(row)
    return out


def _write_form_b(wb: Workbook, fb: FormB, meta: Meta, jejak: list) -> None:
    title = f"FORM B {fb.eselon1} {fb.program}"[:31]
    ws = wb.create_sheet(title)
    lay = LAYOUTS["form-b"]
    rows = [{"c1_kode_kegiatan": k.kode, "c1_nama_kegiatan": k.nama, "c3_phln_rp000": k.phln.value,
             "c4_rm_rp000": k.rm.value, "c5_total_rp000": Typed(k.total.value), "c6_penyerapan_S_pct": k.pen_s.value,
             "c7_penyerapan_R_pct": k.pen_r.value, "c8_output_narasi": k.narasi, "c9_output_satuan": k.satuan,
             "c10_output_S_pct": k.out_s.value, "c11_output_R_pct": k.out_r.value, "c12_lokasi": k.lokasi}
            for k in fb.rows]
    values = SheetValues(
        fields={"unit_organisasi": fb.eselon1, "program": fb.program_nama,
                "nomor_dipa": f"{sum(len(k.satker) for k in fb.rows)} DIPA satker (lihat lembar Kiriman)"},
        tables={"kegiatan": rows}, totals={"kegiatan": {k: Typed(v.value) for k, v in fb.jumlah.items()}})
    sp = build_sheet(ws, lay, meta, values)
    ws.protection.sheet = False
    tp = sp.tables["kegiatan"]
    for i, k in enumerate(fb.rows):
        for key, v in (("c3_phln_rp000", k.phln), ("c4_rm_rp000", k.rm), ("c5_total_rp000", k.total),
                       ("c6_penyerapan_S_pct", k.pen_s), ("c7_penyerapan_R_pct", k.pen_r),
                       ("c10_output_S_pct", k.out_s), ("c11_output_R_pct", k.out_r)):
            trace(jejak, title, tp.cell(key, i), v, ws[tp.cell(key, i)])
    for key, v in fb.jumlah.items():
        cell = f"{tp.letter(key)}{tp.total_row}"
        trace(jejak, title, cell, v, ws[cell])


def _ringkasan(wb: Workbook, forms: list[FormB], status: list[dict], jejak: list) -> None:
    s = _Sheet(wb, "Ringkasan", jejak)
    wb.move_sheet("Ringkasan", -(len(wb.sheetnames) - 1))
    s.ws.append(["RINGKASAN KONSOLIDASI"])
    s.ws["A1"].font = Font(bold=True, size=12)
    s.ws.append([])
    s.header(["Tingkat", "Eselon I", "Program", "Pagu (Rp 000)", "Penyerapan S (%)", "Penyerapan R (%)",
              "Fisik S (%)", "Fisik R (%)", "Satker diharapkan", "Satker diterima", "Satker valid"])
    first = s.ws.max_row + 1
    by_es: dict[str, list[FormB]] = defaultdict(list)
    for fb in forms:
        by_es[fb.eselon1].append(fb)
    st_rows = {r["kode"]: n for n, r in enumerate(status, start=4)}

    def counts(es: str) -> list[Nilai]:
        mine = [r for r in status if r["eselon1"] == es]
        out = []
        for label, pick in (("diharapkan", lambda r: True), ("diterima", lambda r: r["status"] != "tidak ada"),
                            ("valid", lambda r: r["status"] == "valid")):
            rows = [r for r in mine if pick(r)]
            out.append(Nilai(len(rows), f"cacah satker {label}",
                             [Sumber("(rollup)", "Status Pengiriman", f"E{st_rows[r['kode']]}", r["status"]) for r in rows]))
        return out

    for es in sorted(set(by_es) | {r["eselon1"] for r in status if r["eselon1"]}):
        fbs = by_es.get(es, [])
        pagu = [fb.jumlah["c5_total_rp000"] for fb in fbs]
        vals = [pooled([fb.jumlah[k] for fb in fbs], pagu) if fbs else Nilai(None)
                for k in ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct", "c11_output_R_pct")]
        s.row(["Eselon I", es, "", total(pagu), *vals, *counts(es)], bold=True)
        for fb in fbs:
            s.row(["Program", es, fb.program_nama, fb.jumlah["c5_total_rp000"],
                   *(fb.jumlah[k] for k in ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct",
                                            "c11_output_R_pct")), "", "", ""])
    last = s.ws.max_row
    for col, w in zip("ABCDEFGHIJK", (10, 12, 40, 16, 12, 12, 12, 12, 11, 11, 11)):
        s.ws.column_dimensions[col].width = w
    eselon_rows = [r for r in range(first, last + 1) if s.ws.cell(r, 1).value == "Eselon I"]
    if eselon_rows:
        chart = BarChart()
        chart.type = "col"
        chart.title = "Penyerapan keuangan dan fisik per Eselon I (s.d. triwulan ini)"
        chart.y_axis.title = "%"
        for col in (6, 8):  # Penyerapan R and Fisik R
            ref = Reference(s.ws, min_col=col, min_row=first - 1, max_row=eselon_rows[-1])
            chart.add_data(ref, titles_from_data=True)
        chart.set_categories(Reference(s.ws, min_col=2, min_row=first, max_row=eselon_rows[-1]))
        chart.height, chart.width = 8, 18
        s.ws.add_chart(chart, f"A{last + 3}")


def _table_sheet(wb: Workbook, title: str, headers: list[str], rows: list[list], jejak: list,
                 widths: tuple[int, ...] = ()) -> _Sheet:
    s = _Sheet(wb, title, jejak, headers)
    for r in rows:
        s.row(r[:-1] if r and r[-1] == "__bold__" else r, bold=bool(r) and r[-1] == "__bold__")
    for j, w in enumerate(widths, start=1):
        s.ws.column_dimensions[get_column_letter(j)].width = w
    s.ws.freeze_panes = "A2"
    return s


def build_rollup(kiriman: list[Kiriman], winners: list[Kiriman], units: dict[str, Unit], meta: Meta,
                 run: dt.datetime) -> tuple[Workbook, list[FormB], list[dict]]:
    valid = [k for k in winners if k.status == "dipakai"]
    jejak: list = []
    wb = Workbook()
    wb.remove(wb.active)
    rows = [r for k in valid for r in output_rows(k, units)]
    forms = form_b(rows)
    status = _status(units, winners, meta.tahun, meta.triwulan)
    for fb in forms:
        _write_form_b(wb, fb, meta, jejak)
    # Capaian Kinerja
    ind = [i for k in valid for i in capaian_rows(k)]
    cap_rows: list[list] = [[i.satker, i.sasaran, i.indikator, i.satuan, i.target, i.realisasi, i.capaian, i.predikat]
                            for i in ind]
    by_sas: dict[tuple[str, str], list] = defaultdict(list)
    for i in ind:
        by_sas[(i.satker, i.sasaran)].append(i.capaian)
    for (satker, sas), caps in sorted(by_sas.items()):
        vals = [c for c in caps if c.value is not None]
        mean = udfs.capaian_rata([c.value for c in vals]) if vals else None
        cap_rows.append([satker, sas, "Rata-rata capaian sasaran", "", "", "",
                         Nilai(None if isinstance(mean, udfs.NilaiGalat) else mean, "rata-rata capaian indikator (R9)",
                               [s for c in vals for s in c.sources]), "", "__bold__"])
    _table_sheet(wb, "Capaian Kinerja", ["Satker", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi",
                                         "Capaian (%)", "Predikat"], cap_rows, jejak, (9, 34, 40, 10, 10, 10, 11, 14))
    # Indeks Kepuasan Masyarakat
    skm = [r for k in valid for r in skm_rows(k)]
    ikm_rows: list[list] = []
    for satker, metode, answers, idx in skm:
        conv = udfs.ikm_konversi(idx.value) if idx.value is not None else None
        ikm_rows.append([satker, metode, len(answers), idx, Nilai(conv, "indeks × 25", idx.sources),
                         udfs.ikm_mutu(idx.value, metode) if idx.value is not None else ""])
    for metode in sorted({m for _, m, _, _ in skm}):
        pooled_answers = [row for _, m, a, _ in skm if m == metode for row in a]
        idx = udfs.ikm(pooled_answers, metode)
        if not isinstance(idx, udfs.NilaiGalat):
            src = [s for _, m, _, i in skm if m == metode for s in i.sources]
            ikm_rows.append(["Semua unit", metode, len(pooled_answers), Nilai(idx, "indeks seluruh kuesioner", src),
                             Nilai(udfs.ikm_konversi(idx), "indeks × 25", src), udfs.ikm_mutu(idx, metode), "__bold__"])
    _table_sheet(wb, "Indeks Kepuasan", ["Satker", "Metode", "Kuesioner", "Indeks Kepuasan Masyarakat (1–4)",
                                         "Indeks unit pelayanan (25–100)", "Mutu pelayanan"], ikm_rows, jejak,
                 (12, 22, 11, 18, 18, 18))
    # P3DN
    p3 = [r for k in valid for r in p3dn_rows(k)]
    p3_rows: list[list] = [[satker, r, p, pct] for satker, r, p, pct in p3]
    if p3:
        rs, ps = total([x[1] for x in p3]), total([x[2] for x in p3])
        pct = udfs.rasio_gabungan([rs.value], [ps.value])
        p3_rows.append(["Semua unit", rs, ps, Nilai(None if isinstance(pct, udfs.NilaiGalat) else pct,
                                                    "Σ realisasi / Σ pagu (rasio jumlah)", rs.sources + ps.sources),
                        "__bold__"])
    _table_sheet(wb, "P3DN", ["Satker", "Realisasi P3DN (Rp)", "Pagu akun terpilih (Rp)", "Capaian P3DN (%)"],
                 p3_rows, jejak, (14, 20, 22, 16))
    # Status Pengiriman
    st = _table_sheet(wb, "Status Pengiriman", ["Kode satker", "Nama", "Eselon I", "Provinsi", "Status",
                                                "Terlambat", "Waktu kirim", "Batas waktu", "Berkas"],
                      [[r["kode"], r["nama"], r["eselon1"], r["provinsi"], r["status"], r["terlambat"], r["waktu"],
                        r["batas"], r["berkas"]] for r in status], jejak, (11, 40, 10, 18, 10, 10, 16, 11, 40))
    st.ws.insert_rows(1, 2)
    st.ws["A1"] = f"STATUS PENGIRIMAN — batas waktu {', '.join(f'{f}: {n} hari kerja' for f, n in (('FORM A', 5), ('FORM B', 10)))} setelah triwulan berakhir (libur nasional dikecualikan)"
    st.ws["A1"].font = Font(bold=True)
    st.ws.freeze_panes = "A4"
    # Kiriman and Temuan
    _table_sheet(wb, "Kiriman", ["Berkas", "Satker", "Form", "Tahun", "Triwulan", "Status", "Keterangan", "Galat",
                                 "Peringatan", "SHA-256"],
                 [[k.path.name, k.satker, k.form, k.data.meta.tahun if k.data and k.data.meta else "",
                   k.data.meta.triwulan if k.data and k.data.meta else "", k.status, k.alasan, k.galat, k.peringatan,
                   k.sha256] for k in kiriman], jejak, (40, 9, 16, 7, 9, 11, 50, 7, 10, 20))
    temuan = _table_sheet(wb, "Temuan", ["Berkas", "Aturan", "Tingkat", "Lembar", "Sel", "Pesan"],
                          [[f.file, f.rule, str(f.severity), f.sheet, f.cell, f.message]
                           for k in kiriman if k.status in ("dipakai", "ditolak", "duplikat") for f in k.findings],
                          jejak, (36, 7, 10, 16, 6, 100))
    del temuan
    _ringkasan(wb, forms, status, jejak)
    # Jejak Data last: every number with its sources
    jd = _table_sheet(wb, "Jejak Data", ["Lembar rollup", "Sel", "Nilai", "Rumus", "Berkas sumber", "Lembar sumber",
                                         "Sel sumber", "Nilai sumber"],
                      [list(r) for r in jejak], [], (22, 7, 14, 30, 40, 16, 11, 14))
    for row in jd.ws.iter_rows(min_row=2):
        sheet, cell = row[0].value, row[1].value
        if sheet in wb.sheetnames and cell:
            row[1].hyperlink = f"#{quote_sheetname(sheet)}!{cell}"
            row[1].font = Font(color="0563C1", underline="single")
    for ws in wb.worksheets:
        if not ws.title.startswith("FORM B"):
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.properties.creator = "kinerja"
    wb.properties.created = wb.properties.modified = run
    wb.active = 0
    return wb, forms, status


def _normalise_zip(path: Path, when: dt.datetime) -> None:
    """Same inputs → same bytes: pin every zip entry's time (openpyxl stamps the current time)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    items = [(n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, d) if n == "docProps/core.xml" else d)
             for n, d in items]  # openpyxl stamps "modified" with the save time
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def _ledger(path: Path, run: dt.datetime, kiriman: list[Kiriman]) -> dict[str, list[str]]:
    con = sqlite3.connect(path)
    try:
        con.execute("""CREATE TABLE IF NOT EXISTS kiriman (run TEXT, berkas TEXT, sha256 TEXT, satker TEXT,
                       form TEXT, tahun INTEGER, triwulan INTEGER, kegiatan TEXT, hasil TEXT, galat INTEGER,
                       peringatan INTEGER, waktu_konsolidasi TEXT)""")
        last = con.execute("SELECT MAX(run) FROM kiriman").fetchone()[0]
        before = dict(con.execute("SELECT berkas, sha256 FROM kiriman WHERE run = ?", (last,)).fetchall()) if last else {}
        now = {str(k.path): k.sha256 for k in kiriman}
        changes = {"baru": sorted(set(now) - set(before)),
                   "berubah": sorted(p for p in now if p in before and before[p] != now[p]),
                   "ditarik": sorted(set(before) - set(now))}
        stamp = run.isoformat()
        con.executemany("INSERT INTO kiriman VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
            (stamp, str(k.path), k.sha256, k.satker, k.form, k.data.meta.tahun if k.data and k.data.meta else None,
             k.data.meta.triwulan if k.data and k.data.meta else None,
             ",".join(k.data.meta.kegiatan) if k.data and k.data.meta else "", k.status, k.galat, k.peringatan,
             dt.datetime.now().replace(microsecond=0).isoformat()) for k in kiriman])
        con.commit()
        return changes
    finally:
        con.close()


def consolidate(folder: str | Path, out: str | Path, units: str | Path | None = None, tahun: int | None = None,
                triwulan: int | None = None, waktu: dt.datetime | None = None,
                progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> Hasil:
    """Consolidate every submission under ``folder`` into the rollup workbook ``out``."""
    folder, out = Path(folder), Path(out)
    run = (waktu or dt.datetime.now()).replace(microsecond=0)
    paths = [p for p in find_files(folder) if p.resolve() != out.resolve()]
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], len(paths))

    kiriman = load_all(paths, workers, tick)
    winners = resolve(kiriman, tahun, triwulan)
    unit_list = load_units(units) if units else {}
    if not units:  # units come from the submissions themselves
        sample = load_units()
        for k in winners:
            m = k.data.meta if k.data else None
            if m and m.satker:
                unit_list[m.satker] = sample.get(m.satker) or Unit(m.satker, m.satker_nama, m.eselon1, "")
    periods = [(k.data.meta.tahun, k.data.meta.triwulan) for k in winners
               if k.data and k.data.meta and k.data.meta.tahun and k.data.meta.triwulan]
    t = tahun or (max(periods)[0] if periods else None)
    tw = triwulan or (max(periods)[1] if periods else None)
    meta = Meta(form="form-b", versi=LAYOUT_VERSION, tahun=t, triwulan=tw)
    wb, forms, status = build_rollup(kiriman, winners, unit_list, meta, run)
    out.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(out) + ".lock", timeout=600):
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".tmp", dir=out.parent)
        os.close(fd)
        try:
            wb.save(tmp)
            _normalise_zip(Path(tmp), run)
            os.replace(tmp, out)
        finally:
            Path(tmp).unlink(missing_ok=True)
        changes = _ledger(out.with_suffix(".ledger.sqlite"), run, kiriman)
    return Hasil(out, kiriman, winners, forms, status, changes)
