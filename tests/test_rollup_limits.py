"""The rollup stays within Excel's limits of a worksheet: Jejak Data (and Temuan) go on over "Jejak Data 2", …

Excel's limits (1.048.576 rows, 65.530 hyperlinks per sheet) are set small here, so that a run of a few
packages needs continuation sheets; every split rollup is read back and compared with the unsplit one.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from macros.konsolidasi import consolidate
from macros.konsolidasi import sheets as sh
from macros.konsolidasi.writer import ASAL_ROW
from tests.synth import Paket, write
from workbooks import xlsx_rows
from workbooks.builder import Typed

RUN = dt.datetime(2023, 7, 20, 9, 0)
JEJAK, TEMUAN = sh.JEJAK.name, sh.TEMUAN.name
WIDTH = len(sh.JEJAK.columns)
SEL, SEL_SUMBER = sh.JEJAK.position("sel"), sh.JEJAK.position("sel_sumber")
RINCIAN = re.compile(r"lembar (.+?) baris (\d+)(?:–(\d+))?(?:;|\.$)")
LINK = re.compile(r"#'?(.+?)'?!([A-Z]+\d+)")


def _galat(v) -> None:  # every Pengukuran capaian typed wrong: one V11 galat per indicator
    for row in v["PENGUKURAN"].tables["indikator"]:
        row.update(c12_capaian_pct=Typed(150.0))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Four valid satkers (FORM A, SKM, P3DN) and three with galat findings."""
    d = tmp_path_factory.mktemp("kiriman")
    for i in range(1, 8):
        write(Paket(satker=f"90000{i}", nama=f"Balai {i}", waktu_kirim="2023-07-04T09:00:00",
                    skm=[[3, 4, 3, 4, 3, 4, 3, 4, 3]] * 5, p3dn=[("521211", 100_000_000, 40_000_000, 5_000_000)]),
              d / f"s{i}.xlsx", mutate=_galat if i > 4 else None)
    return d


def _run(folder: Path, out: Path, rows: int | None = None, links: int | None = None):
    with pytest.MonkeyPatch.context() as mp:
        if rows is not None:
            mp.setattr(xlsx_rows, "MAX_ROWS", rows)
        if links is not None:
            mp.setattr(xlsx_rows, "MAX_LINKS", links)
        return consolidate(folder, out, waktu=RUN)


@pytest.fixture(scope="module")
def plain(folder, tmp_path_factory):
    """The rollup with Excel's own limits: one Jejak Data and one Temuan."""
    h = _run(folder, tmp_path_factory.mktemp("biasa") / "rollup.xlsx")
    return h.out, openpyxl.load_workbook(h.out)


def _series(wb, base: str) -> list[str]:
    """``base`` and its continuation sheets, checked to follow it in order and to be all sheets so named."""
    names = wb.sheetnames
    i = names.index(base)
    titles = [base]
    while i + len(titles) < len(names) and names[i + len(titles)] == f"{base} {len(titles) + 1}":
        titles.append(names[i + len(titles)])
    assert [n for n in names if n == base or n.startswith(base + " ")] == titles
    return titles


def _rows(ws, first: int, width: int) -> list[tuple]:
    return list(ws.iter_rows(min_row=first, max_col=width, values_only=True))


def _jejak_rows(wb, title: str) -> list[tuple]:
    """A Jejak Data sheet's rows, a source cell on Temuan (which may be split too) named by the finding it
    holds."""
    temuan = set(_series(wb, TEMUAN))
    out = []
    for row in _rows(wb[title], 2, WIDTH):
        if row[SEL_SUMBER - 2] in temuan:
            ws = wb[row[SEL_SUMBER - 2]]
            finding = tuple(c.value for c in ws[ws[row[SEL_SUMBER - 1]].row])
            row = (*row[:SEL_SUMBER - 2], finding, *row[SEL_SUMBER:])
        out.append(row)
    return out


def _links(ws) -> list[tuple[int, int, str, str]]:
    """(row, column, sheet, cell) of every hyperlink of ``ws``."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            if c.hyperlink is not None:
                m = LINK.fullmatch(c.hyperlink.target or c.hyperlink.location or "")
                assert m, c.hyperlink
                out.append((c.row, c.column, m[1], m[2]))
    return out


def _check_jejak(wb, plain_wb, rows: int, links: int) -> list[str]:
    """Every Jejak Data sheet within ``rows`` and ``links``, laid out as the first; their rows, in order, are
    the unsplit sheet's; each link points at the cell its row names; returns the titles."""
    titles = _series(wb, JEJAK)
    first = wb[JEJAK]
    assert _series(wb, TEMUAN)[-1] == wb.sheetnames[wb.sheetnames.index(JEJAK) - 1]  # after Temuan (and its own)
    union = []
    for t in titles:
        ws = wb[t]
        assert ws.max_row <= rows and len(_links(ws)) <= links
        assert [c.value for c in ws[1]] == sh.JEJAK.headers == [c.value for c in first[1]]
        assert ws.freeze_panes == "A2" and ws.print_title_rows == first.print_title_rows
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert {k: d.width for k, d in ws.column_dimensions.items()} == {
            k: d.width for k, d in first.column_dimensions.items()}
        got = _rows(ws, 2, WIDTH)
        union += _jejak_rows(wb, t)
        for r, col, sheet, cell in _links(ws):
            row = got[r - 2]
            assert col in (SEL, SEL_SUMBER)
            target = wb[sheet][cell].value  # a sheet and a cell that exist and hold something
            assert target is not None
            if col == SEL:
                assert (sheet, cell) == (row[0], row[1])
            else:
                assert (sheet, cell) == (row[SEL_SUMBER - 2], row[SEL_SUMBER - 1])
                assert target == row[SEL_SUMBER] or str(target).startswith("=")  # Jumlah cells keep formulas
    assert union == _jejak_rows(plain_wb, JEJAK)
    assert len(titles) == 1 or titles[-1] in wb["Ringkasan"].cell(ASAL_ROW, 1).value
    return titles


def _trail_by_cell(wb) -> dict[tuple[str, str], list[tuple]]:
    out: dict[tuple[str, str], list[tuple]] = {}
    for t in _series(wb, JEJAK):
        for row in _rows(wb[t], 2, WIDTH):
            out.setdefault((row[0], row[1]), []).append(row)
    return out


def _check_comments(wb) -> int:
    """Every "Rincian" comment names sheets and rows holding exactly its cell's trail; returns how many."""
    trail = _trail_by_cell(wb)
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.comment is None or "Rincian: " not in c.comment.text:
                    continue
                text = c.comment.text
                spans = RINCIAN.findall(text.split("Rincian: ")[1])
                assert spans, text
                held = []
                for t, a, b in spans:
                    held += _rows(wb[t], int(a), WIDTH)[:int(b or a) - int(a) + 1]
                assert held == trail[(ws.title, c.coordinate)], text
                assert re.search(r": (\d+) sel sumber", text)[1] == str(len(held))
                checked += 1
    return checked


@pytest.mark.parametrize("rows,links", [(40, xlsx_rows.MAX_LINKS), (xlsx_rows.MAX_ROWS, 30), (40, 30)])
def test_jejak_data_goes_on_over_sheets_at_rollup_cell_boundaries(folder, plain, tmp_path, rows, links):
    wb = openpyxl.load_workbook(_run(folder, tmp_path / "rollup.xlsx", rows, links).out)
    titles = _check_jejak(wb, plain[1], rows, links)
    assert len(titles) >= 4 and titles[1] == "Jejak Data 2"
    assert wb["Ringkasan"].cell(ASAL_ROW, 1).value.endswith(f"lembar Jejak Data (berlanjut di lembar Jejak Data 2 s.d. "
                                                 f"{titles[-1]}).")
    # one rollup cell's rows on one sheet, and a sheet ends only where the next cell's rows would not fit
    on: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for t in titles:
        for row in _rows(wb[t], 2, WIDTH):
            on[(row[0], row[1])].add(t)
    assert all(len(s) == 1 for s in on.values())
    for t, nxt in zip(titles, titles[1:]):
        head = _rows(wb[nxt], 2, WIDTH)[0][:2]
        group = [r for r in _rows(wb[nxt], 2, WIDTH) if r[:2] == head]
        group_links = sum(1 for r, *_ in _links(wb[nxt]) if r - 2 < len(group))
        assert wb[t].max_row + len(group) > rows or len(_links(wb[t])) + group_links > links
    assert _check_comments(wb) == _check_comments(plain[1]) > 50
    named = {m[0] for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment
             for m in RINCIAN.findall(c.comment.text)}
    assert named <= set(titles) and len(named) >= 3  # comments name continuation sheets too


def test_a_rollup_cell_longer_than_a_sheet_goes_on_over_two_and_its_comment_names_both(folder, plain, tmp_path):
    largest = max(_trail_by_cell(plain[1]).items(), key=lambda kv: len(kv[1]))
    rows = len(largest[1])  # the header and all but one of its rows fit on a sheet
    wb = openpyxl.load_workbook(_run(folder, tmp_path / "rollup.xlsx", rows, xlsx_rows.MAX_LINKS).out)
    _check_jejak(wb, plain[1], rows, xlsx_rows.MAX_LINKS)
    sheet, coord = largest[0]
    text = wb[sheet][coord].comment.text
    assert len(RINCIAN.findall(text.split("Rincian: ")[1])) == 2, text
    assert _check_comments(wb) == _check_comments(plain[1])


def test_below_the_limits_the_rollup_is_the_same_bytes(folder, plain, tmp_path):
    """Limits exactly what the unsplit Jejak Data needs: the same rollup; one row or link fewer: a split."""
    out, wb = plain
    need_rows, need_links = wb[JEJAK].max_row, len(_links(wb[JEJAK]))
    assert _series(wb, JEJAK) == [JEJAK] and _series(wb, TEMUAN) == [TEMUAN]
    assert wb["Ringkasan"].cell(ASAL_ROW, 1).value.endswith("Asal setiap angka ada di lembar Jejak Data.")
    same = _run(folder, tmp_path / "a" / "rollup.xlsx", need_rows, need_links).out
    assert same.read_bytes() == out.read_bytes()
    for rows, links in ((need_rows - 1, need_links), (need_rows, need_links - 1)):
        h = _run(folder, tmp_path / f"{rows}_{links}" / "rollup.xlsx", rows, links)
        split = openpyxl.load_workbook(h.out)
        assert _check_jejak(split, wb, rows, links) == [JEJAK, "Jejak Data 2"]
        asal = split["Ringkasan"].cell(ASAL_ROW, 1).value
        assert asal.endswith("lembar Jejak Data (berlanjut di lembar Jejak Data 2).")


@pytest.mark.parametrize("rows", [7, 5])
def test_temuan_goes_on_over_sheets_a_files_findings_together(folder, plain, tmp_path, rows):
    """Three files with two galat each; 7 rows: title lines and header (rows 1–4) and three findings a sheet,
    so each file starts a sheet; 5 rows: one finding a sheet, a file's findings go on over two."""
    wb = openpyxl.load_workbook(_run(folder, tmp_path / "rollup.xlsx", rows).out)
    titles = _series(wb, TEMUAN)
    width = len(sh.TEMUAN.columns)
    before = _rows(plain[1][TEMUAN], 5, width)
    assert collections.Counter(r[0] for r in before) == {"s5.xlsx": 2, "s6.xlsx": 2, "s7.xlsx": 2}
    assert titles == [TEMUAN, *(f"Temuan {i}" for i in range(2, 4 if rows == 7 else 7))]
    union, files = [], {}
    for t in titles:
        ws = wb[t]
        assert ws.max_row <= rows and [c.value for c in ws[4]] == sh.TEMUAN.headers
        assert ws["A1"].value == "TEMUAN VALIDASI PER BERKAS" + (" (LANJUTAN)" if t != TEMUAN else "")
        assert ws.freeze_panes == "A5" and ws.page_setup.orientation == "landscape"
        got = _rows(ws, 5, width)
        union += got
        for r in got:
            files.setdefault(r[0], set()).add(t)
    assert union == before
    assert all(len(s) == (1 if rows == 7 else 2) for s in files.values())
    # Kiriman's galat counts trail to the findings' cells, on whichever Temuan sheet they are
    kiriman = {r[0]: r for r in _rows(wb["Kiriman"], 5, len(sh.KIRIMAN.columns))}
    galat_col = sh.KIRIMAN.letter("galat")
    trail = _trail_by_cell(wb)
    for name in files:
        r = 5 + list(kiriman).index(name)
        entries = trail[("Kiriman", f"{galat_col}{r}")]
        assert len(entries) == kiriman[name][sh.KIRIMAN.position("galat") - 1] == 2
        for e in entries:
            sheet, cell, value = e[SEL_SUMBER - 2:SEL_SUMBER + 1]
            assert sheet in titles and wb[sheet][cell].value == value == "galat"
            assert wb[sheet][f"A{wb[sheet][cell].row}"].value == name
    _check_jejak(wb, plain[1], rows, xlsx_rows.MAX_LINKS)  # Jejak Data split too, its links to Temuan right
    assert _check_comments(wb) == _check_comments(plain[1])
