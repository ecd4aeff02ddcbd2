"""Feedback for each satker: an annotated copy of its submission, ready to send back as it is.

Per unit with findings or a Dikembalikan decision, each of its files in play is copied with the Validasi marks
(:mod:`macros.apply_file`) and a first sheet "Umpan Balik" holding the verifier's decision and note, named
``<kode_satker>_<form>_TW<n>_<tahun>_umpan_balik.xlsx`` (``.xlsm`` kept). Inputs are only read; every copy
is written atomically; submitted text and notes are written as text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Font, PatternFill

from macros import waktu as wk
from macros.apply_file import apply_plan, open_copy
from macros.files import OutputError, save_atomic
from macros.konsolidasi.collect import DUPLIKAT, PERIODE_LAIN, ROLLUP_LAMA
from macros.konsolidasi.verifikasi import DIKEMBALIKAN, WARNA_FILL, Keputusan
from macros.plan import Plan, marks_for
from workbooks.teks import put

if TYPE_CHECKING:
    from macros.konsolidasi import ConsolidationResult

SHEET = "Umpan Balik"


def feedback_name(kode: str, form: str, tahun: int | None, triwulan: int | None, suffix: str) -> str:
    """``<kode>_<form>_TW<n>_<tahun>_umpan_balik<suffix>`` (an annual form without ``TW<n>``)."""
    safe = lambda t: re.sub(r"[^0-9A-Za-z-]+", "-", t).strip("-") or "x"  # noqa: E731
    tw = f"TW{triwulan}_" if triwulan else ""
    return f"{safe(kode)}_{safe(form)}_{tw}{tahun or 'x'}_umpan_balik{suffix}"


def _sheet(wb, rows: list[tuple[str, object]], colour: str) -> None:  # noqa: ANN001 - an openpyxl Workbook
    ws = wb.create_sheet(SHEET, 0)
    put(ws.cell(1, 1), "UMPAN BALIK VERIFIKASI LAPORAN").font = Font(bold=True, size=12)
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(i, 1, label).font = Font(bold=True)
        put(ws.cell(i, 2), value).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(4, 2).fill = PatternFill("solid", fgColor=colour)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 24, 80
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for sheet in wb.worksheets:  # the satker opens the workbook on the feedback
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = 0


def write_feedback(h: ConsolidationResult, folder: Path, decisions: dict[str, Keputusan]) -> tuple[list[Path], list[str]]:
    """Write the feedback workbooks of a consolidation into ``folder``; returns (paths, warnings)."""
    names = {s.unit.kode: s.unit.nama for s in h.status}
    written: list[Path] = []
    notes: list[str] = []
    used: set[str] = set()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Folder umpan balik '{folder}' tidak dapat dibuat ({exc.strerror or exc}).") from exc
    for k in h.kiriman:  # every file of the period in play (annual forms included), superseded ones left out
        if k.ident is None or k.status in (DUPLIKAT, PERIODE_LAIN, ROLLUP_LAMA):
            continue
        d = decisions.get(k.sha256)
        back = d is not None and d.keputusan == DIKEMBALIKAN
        if not (k.findings or back):
            continue
        i = k.ident
        kode = k.unit or Path(k.rel).stem
        suffix = k.path.suffix.lower()
        name, n = feedback_name(kode, k.form, i.tahun, i.triwulan, suffix), 2
        while name.casefold() in used:
            name, n = feedback_name(kode, k.form, i.tahun, i.triwulan, f"_{n}{suffix}"), n + 1
        used.add(name.casefold())
        rows: list[tuple[str, object]] = [
            ("Unit", f"{kode} {names.get(kode) or i.nama}".strip()),
            ("Status", k.status),
            ("Keputusan verifikator", d.keputusan if d else "belum ada"),
            ("Catatan verifikator", d.catatan if d else ""),
            ("Verifikator", (d.verifikator or "") if d else ""),
            ("Waktu keputusan", wk.shown(wk.parse(d.waktu)) if d and d.waktu else ""),
            ("Berkas kiriman", k.rel),
            ("SHA-256", k.sha256[:12]),
            ("Periode", (f"Triwulan {i.triwulan} " if i.triwulan else "") + f"tahun {i.tahun or '?'}"),
            ("Temuan validasi", f"{k.galat} galat, {k.peringatan} peringatan (lihat lembar Hasil Validasi "
                                "dan sel yang ditandai)"),
            ("Tindak lanjut", "Perbaiki sel yang ditandai sesuai catatan, jalankan Validasi dan Siapkan "
                              "Kiriman, lalu kirim ulang berkas laporan."
                              if back or k.galat else "Periksa peringatan; kirim ulang bila perlu diperbaiki."),
        ]
        colour = WARNA_FILL["merah" if back or k.galat else "kuning"]
        try:
            wb = open_copy(k.path)
            apply_plan(wb, Plan(findings=list(k.findings), marks=marks_for(k.findings)))
            _sheet(wb, rows, colour)
        except Exception as exc:  # noqa: BLE001 - a file openpyxl cannot open gets no copy, the run goes on
            notes.append(f"Umpan balik untuk {k.rel} tidak dapat dibuat ({type(exc).__name__}: {exc}).")
            continue
        written.append(save_atomic(wb, folder / name))
    return written, notes
