"""Konsolidasi runs the cross-form rules V33–V36 over the files of each unit and year (issue 12 item 3):
the worker keeps the small view the rules need (macros.validation.lintas), the read cache stores it, the
parent compares; findings show in the rollup's Temuan and in the feedback copies."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from macros.konsolidasi import consolidate
from macros.konsolidasi import sheets as sh
from tests.test_incremental import reads  # noqa: F401 - the fixture: files each run gave the workers
from tests.test_sakip import PAKET_FILE, RA_FILE, _renstra, _renstra_values  # 003 Tabel 5 and Tabel 4
from workbooks.builder import SheetValues, build_workbook
from workbooks.forms.pengukuran import INDIKATOR as PU
from workbooks.forms.pengukuran import PENGUKURAN
from workbooks.forms.perjanjian_kinerja import INDIKATOR as PK
from workbooks.forms.perjanjian_kinerja import PERJANJIAN_KINERJA
from workbooks.forms.rencana_aksi import INDIKATOR as RA
from workbooks.forms.renstra import REALISASI, RENSTRA, TARGET
from workbooks.meta import Meta
from workbooks.reader import read_workbook

RUN = dt.datetime(2023, 7, 20, 9)
CROSS = ("V33", "V34", "V35", "V36")


def _rows(out: Path, sheet: sh.Lembar, top: int = 5) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(out)[sheet.name]
    keys = [c.key for c in sheet.columns]
    return [dict(zip(keys, r)) for r in ws.iter_rows(min_row=top, values_only=True) if r[0]]


def _cross(out: Path) -> set[tuple[object, ...]]:
    """The cross-form rows of the rollup's Temuan sheet: (berkas, aturan, tingkat, lembar, sel)."""
    return {(r["berkas"], r["aturan"], r["tingkat"], r["lembar"], r["sel"]) for r in _rows(out, sh.TEMUAN)
            if r["aturan"] in CROSS}


def _cell(path: Path, sheet: str, row: int, key: str) -> str:
    sd = next(s for s in read_workbook(path).sheets if s.name == sheet)
    return sd.tables["indikator"].address(row, key).split("!")[1]


def test_rencana_aksi_against_the_pengukuran_of_the_same_unit_in_konsolidasi_cached(demo_dir, tmp_path, reads):
    folder, out = tmp_path / "kiriman", tmp_path / "hasil" / "rollup.xlsx"
    folder.mkdir()
    for name in (RA_FILE, PAKET_FILE):
        shutil.copy(demo_dir / name, folder / name)
    ra, paket = folder / RA_FILE, folder / PAKET_FILE
    # the consistent seeds: no cross-form finding, though the Temuan sheet lists the files' own findings
    clean = consolidate(folder, out, waktu=RUN, workers=1)
    assert _cross(out) == set() and len(_rows(out, sh.TEMUAN)) == sum(len(k.findings) for k in clean.kiriman) > 0
    before = {k.rel: (k.status, k.galat, k.peringatan) for k in clean.kiriman}
    # jumlah layanan, TW II: 50 in the seed's Rencana Aksi and in its Pengukuran; the Rencana Aksi now says 40
    cell = _cell(ra, "RENCANA AKSI", 4, RA.c7_tw2_target_antara_pct)
    pg_cell = _cell(paket, "PENGUKURAN", 4, PU.c6_target_antara_pct)
    wb = openpyxl.load_workbook(ra)
    assert wb["RENCANA AKSI"][cell].value == 50
    wb["RENCANA AKSI"][cell] = 40
    wb.save(ra)
    feedback = tmp_path / "umpan_balik"
    changed = consolidate(folder, out, waktu=RUN, workers=1, umpan_balik=feedback)
    expected = {(RA_FILE, "V33", "peringatan", "RENCANA AKSI", cell), (PAKET_FILE, "V33", "peringatan", "PENGUKURAN", pg_cell)}
    assert _cross(out) == expected
    pesan = {r["berkas"]: r["pesan"] for r in _rows(out, sh.TEMUAN) if r["aturan"] == "V33"}
    assert "tertulis 40 di sini, tetapi 50 di " + f"{PAKET_FILE} — PENGUKURAN!{pg_cell}" in pesan[RA_FILE]
    assert "tertulis 50 di sini, tetapi 40 di " + f"{RA_FILE} — RENCANA AKSI!{cell}" in pesan[PAKET_FILE]
    # a peringatan: the status of each file is what it was (the seeds' own galat decide it), one more peringatan
    after = {k.rel: (k.status, k.galat, k.peringatan) for k in changed.kiriman}
    assert after == {rel: (st, g, p + 1) for rel, (st, g, p) in before.items()}
    kiriman = {r["berkas"]: r["peringatan"] for r in _rows(out, sh.KIRIMAN)}
    assert kiriman == {rel: p for rel, (_, _, p) in after.items()}
    # the feedback copy of each file lists it on its Hasil Validasi sheet
    for k in changed.kiriman:
        hasil = openpyxl.load_workbook(next(p for p in changed.umpan_balik if p.name.startswith(
            f"247246_{k.form}_")))["Hasil Validasi"]
        assert any(r[:1] and "V33" in r and "tertulis" in " ".join(map(str, r))
                   for r in hasil.iter_rows(values_only=True))
    # nothing changed: no file is read again and the finding stands (the views come from the read cache)
    again = consolidate(folder, out, waktu=RUN, workers=1)
    assert reads == [[PAKET_FILE, RA_FILE], [RA_FILE]]
    assert _cross(out) == expected
    assert {k.rel: (k.status, k.galat, k.peringatan) for k in again.kiriman} == after


def test_pk_against_renstra_and_tw_iv_in_konsolidasi_changes_no_status(tmp_path):
    """V34 (PK target vs the Renstra's 2023 target, 004:L689 LPK = 90), V35 (PK realisasi vs the TW IV
    Pengukuran) and V36 (vs the Renstra's 2023 realisasi) over clean built workbooks of one satker: every file
    dipakai before and after."""
    rows = {r["src_line"]: r for r in _renstra()}
    picked = [rows["688"], rows["689"], rows["696"]]  # SNI, LPK, Indeks Kepuasan Masyarakat: 2023 = 15, 90, 3,6
    folder, out = tmp_path / "kiriman", tmp_path / "hasil" / "rollup.xlsx"
    folder.mkdir()

    def save(layout, values: SheetValues, name: str, triwulan: int | None = None) -> Path:
        wb, _ = build_workbook(Meta(form=layout.form, versi="", satker="247246", tahun=2023, triwulan=triwulan),
                               {layout.sheet: values})
        wb.save(folder / name)
        return folder / name

    def pk(target_lpk: float, realisasi_ikm: float) -> Path:
        ind = [{PK.c1_kode: r["ss"], PK.c2_sasaran: r["ss"], PK.c3_indikator: r["indikator"], PK.c4_satuan: r["satuan"],
                PK.c6_target: float(r["t2023"]), PK.c7_realisasi: float(r["t2023"])} for r in picked]
        ind[1][PK.c6_target], ind[2][PK.c7_realisasi] = target_lpk, realisasi_ikm
        return save(PERJANJIAN_KINERJA, SheetValues(fields={"unit_organisasi": "BSKJI"}, tables={"indikator": ind}),
                    "pk.xlsx")

    tw4 = [{PU.c1_no: i + 1, PU.c2_sasaran_strategis: r["ss"], PU.c3_indikator_kinerja: r["indikator"],
            PU.c4_target: float(r["t2023"]), PU.c4_satuan: r["satuan"], PU.c5_realisasi: float(r["t2023"])}
           for i, r in enumerate(picked)]
    save(PENGUKURAN, SheetValues(fields={"unit_organisasi": "BSKJI"}, tables={"indikator": tw4}), "tw4.xlsx", 4)
    renstra = save(RENSTRA, _renstra_values(), "renstra.xlsx")
    pk(90.0, 3.6)
    clean = consolidate(folder, out, waktu=RUN, workers=1)
    assert _cross(out) == set()
    assert {k.rel: (k.status, k.galat) for k in clean.kiriman} == {n: ("dipakai", 0) for n in (
        "pk.xlsx", "renstra.xlsx", "tw4.xlsx")}
    pk_file = pk(92.0, 3.68)
    changed = consolidate(folder, out, waktu=RUN, workers=1)
    lpk, ikm = (next(i for i, r in enumerate(_renstra()) if r["src_line"] == n) for n in ("689", "696"))
    pk_cell = lambda row, key: _cell(pk_file, "PERJANJIAN KINERJA", row, key)  # noqa: E731
    assert _cross(out) == {
        ("pk.xlsx", "V34", "peringatan", "PERJANJIAN KINERJA", pk_cell(1, PK.c6_target)),
        ("renstra.xlsx", "V34", "peringatan", "RENSTRA", _cell(renstra, "RENSTRA", lpk, TARGET[2])),
        ("pk.xlsx", "V35", "peringatan", "PERJANJIAN KINERJA", pk_cell(2, PK.c7_realisasi)),
        ("tw4.xlsx", "V35", "peringatan", "PENGUKURAN", _cell(folder / "tw4.xlsx", "PENGUKURAN", 2, PU.c5_realisasi)),
        ("pk.xlsx", "V36", "peringatan", "PERJANJIAN KINERJA", pk_cell(2, PK.c7_realisasi)),
        ("renstra.xlsx", "V36", "peringatan", "RENSTRA", _cell(renstra, "RENSTRA", ikm, REALISASI[2]))}
    assert {k.rel: k.status for k in changed.kiriman} == {k.rel: k.status for k in clean.kiriman}


def test_a_superseded_rencana_aksi_is_not_compared(demo_dir, tmp_path):
    """Only the files in play are compared: an older Rencana Aksi replaced by a newer one (by name, neither
    stamped, both seen first now) gives no finding, though its TW II target antara differs."""
    folder, out = tmp_path / "kiriman", tmp_path / "rollup.xlsx"
    folder.mkdir()
    shutil.copy(demo_dir / PAKET_FILE, folder / PAKET_FILE)
    shutil.copy(demo_dir / RA_FILE, folder / "2_baru.xlsx")
    wb = openpyxl.load_workbook(demo_dir / RA_FILE)
    wb["RENCANA AKSI"][_cell(demo_dir / RA_FILE, "RENCANA AKSI", 4, RA.c7_tw2_target_antara_pct)] = 40
    wb.save(folder / "1_lama.xlsx")
    h = consolidate(folder, out, waktu=RUN, workers=1)
    lama = next(k for k in h.kiriman if k.rel == "1_lama.xlsx")
    assert [b.digantikan for b in lama.bagian] == ["2_baru.xlsx"]  # (listed as ditolak: the seed's own galat)
    assert _cross(out) == set()
