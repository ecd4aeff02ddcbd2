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


PICKED = ("688", "689", "696")  # SNI, LPK, Indeks Kepuasan Masyarakat: 2022 = 10, 87, 3,6; 2023 = 15, 90, 3,6


def _save(folder: Path, layout, values: SheetValues, name: str, triwulan: int | None = None,  # noqa: ANN001
          tahun: int = 2023) -> Path:
    wb, _ = build_workbook(Meta(form=layout.form, versi="", satker="247246", tahun=tahun, triwulan=triwulan),
                           {layout.sheet: values})
    wb.save(folder / name)
    return folder / name


def _pk(folder: Path, name: str, tahun: int = 2023, target_lpk: float | None = None,
        realisasi_ikm: float | None = None) -> Path:
    """A Perjanjian Kinerja of ``tahun`` giving the Renstra's figures of that year for SNI, LPK and IKM, but
    for LPK's target and IKM's realisasi when given."""
    rows = {r["src_line"]: r for r in _renstra()}
    ind = [{PK.c1_kode: r["ss"], PK.c2_sasaran: r["ss"], PK.c3_indikator: r["indikator"], PK.c4_satuan: r["satuan"],
            PK.c6_target: float(r[f"t{tahun}"]), PK.c7_realisasi: float(r[f"t{tahun}"])}
           for r in (rows[n] for n in PICKED)]
    if target_lpk is not None:
        ind[1][PK.c6_target] = target_lpk
    if realisasi_ikm is not None:
        ind[2][PK.c7_realisasi] = realisasi_ikm
    values = SheetValues(fields={"unit_organisasi": "BSKJI"}, tables={"indikator": ind})
    return _save(folder, PERJANJIAN_KINERJA, values, name, tahun=tahun)


def _tw4(folder: Path) -> Path:
    rows = {r["src_line"]: r for r in _renstra()}
    tw4 = [{PU.c1_no: i + 1, PU.c2_sasaran_strategis: r["ss"], PU.c3_indikator_kinerja: r["indikator"],
            PU.c4_target: float(r["t2023"]), PU.c4_satuan: r["satuan"], PU.c5_realisasi: float(r["t2023"])}
           for i, r in enumerate(rows[n] for n in PICKED)]
    return _save(folder, PENGUKURAN, SheetValues(fields={"unit_organisasi": "BSKJI"}, tables={"indikator": tw4}),
                 "tw4.xlsx", 4)


def _renstra_row(src_line: str) -> int:
    return next(i for i, r in enumerate(_renstra()) if r["src_line"] == src_line)


def test_pk_against_renstra_and_tw_iv_in_konsolidasi_changes_no_status(tmp_path):
    """V34 (PK target vs the Renstra's 2023 target, 004:L689 LPK = 90), V35 (PK realisasi vs the TW IV
    Pengukuran) and V36 (vs the Renstra's 2023 realisasi) over clean built workbooks of one satker: every file
    dipakai before and after."""
    folder, out = tmp_path / "kiriman", tmp_path / "hasil" / "rollup.xlsx"
    folder.mkdir()
    _tw4(folder)
    renstra = _save(folder, RENSTRA, _renstra_values(), "renstra.xlsx")
    _pk(folder, "pk.xlsx", 2023, 90.0, 3.6)
    clean = consolidate(folder, out, waktu=RUN, workers=1)
    assert _cross(out) == set()
    assert {k.rel: (k.status, k.galat) for k in clean.kiriman} == {n: ("dipakai", 0) for n in (
        "pk.xlsx", "renstra.xlsx", "tw4.xlsx")}
    pk_file = _pk(folder, "pk.xlsx", 2023, 92.0, 3.68)
    changed = consolidate(folder, out, waktu=RUN, workers=1)
    lpk, ikm = _renstra_row("689"), _renstra_row("696")
    pk_cell = lambda row, key: _cell(pk_file, "PERJANJIAN KINERJA", row, key)  # noqa: E731
    assert _cross(out) == {
        ("pk.xlsx", "V34", "peringatan", "PERJANJIAN KINERJA", pk_cell(1, PK.c6_target)),
        ("renstra.xlsx", "V34", "peringatan", "RENSTRA", _cell(renstra, "RENSTRA", lpk, TARGET[2])),
        ("pk.xlsx", "V35", "peringatan", "PERJANJIAN KINERJA", pk_cell(2, PK.c7_realisasi)),
        ("tw4.xlsx", "V35", "peringatan", "PENGUKURAN", _cell(folder / "tw4.xlsx", "PENGUKURAN", 2, PU.c5_realisasi)),
        ("pk.xlsx", "V36", "peringatan", "PERJANJIAN KINERJA", pk_cell(2, PK.c7_realisasi)),
        ("renstra.xlsx", "V36", "peringatan", "RENSTRA", _cell(renstra, "RENSTRA", ikm, REALISASI[2]))}
    assert {k.rel: k.status for k in changed.kiriman} == {k.rel: k.status for k in clean.kiriman}


def _outcome(out: Path, result) -> dict[str, tuple]:  # noqa: ANN001 - a ConsolidationResult
    """Per file: status, galat, and the peringatan of its Kiriman row; with the run's figures (Ringkasan)."""
    kiriman = {r["berkas"]: (r["status"], r["galat"], r["peringatan"]) for r in _rows(out, sh.KIRIMAN)}
    assert kiriman == {k.rel: (k.status, k.galat, k.peringatan) for k in result.kiriman}
    ringkasan = [r for r in openpyxl.load_workbook(out)["Ringkasan"].iter_rows(values_only=True)]
    return kiriman | {"(ringkasan)": tuple(map(tuple, ringkasan)), "(dipakai)": tuple(k.rel for k in result.dipakai)}


def test_renstra_against_last_years_pk_of_another_period_in_konsolidasi_cached(tmp_path, reads):
    """V36 across years, as Validasi does over several years' files: the SAKIP folder of 2023 keeps the
    2022 Perjanjian Kinerja (periode lain: not counted); the Renstra's realisasi 2022 (its Tahun ke-2 history
    column, IKM 3,6) is compared with that PK's realisasi, and its target 2022 (LPK 87) with the PK's target
    (86: V34, as Validasi gives it too). A finding shows on both files (the PK's row in Kiriman and Temuan
    with status periode lain), names the other cell, and changes no status or figure of the run."""
    folder, out = tmp_path / "kiriman", tmp_path / "hasil" / "rollup.xlsx"
    folder.mkdir()
    _tw4(folder)
    renstra = _save(folder, RENSTRA, _renstra_values(), "renstra.xlsx")
    _pk(folder, "pk.xlsx", 2023)
    _pk(folder, "pk_2022.xlsx", 2022, target_lpk=86.0)
    clean = consolidate(folder, out, waktu=RUN, workers=1)
    lpk = _renstra_row("689")
    v34 = {("pk_2022.xlsx", "V34", "peringatan", "PERJANJIAN KINERJA",
            _cell(folder / "pk_2022.xlsx", "PERJANJIAN KINERJA", 1, PK.c6_target)),
           ("renstra.xlsx", "V34", "peringatan", "RENSTRA", _cell(renstra, "RENSTRA", lpk, TARGET[1]))}
    assert _cross(out) == v34
    assert {k.rel: k.status for k in clean.kiriman} == {"pk.xlsx": "dipakai", "pk_2022.xlsx": "periode lain",
                                                        "renstra.xlsx": "dipakai", "tw4.xlsx": "dipakai"}
    before = _outcome(out, consolidate(folder, out, waktu=RUN, workers=1))  # the ledger has seen every file now
    pk_2022 = _pk(folder, "pk_2022.xlsx", 2022, target_lpk=86.0, realisasi_ikm=3.4)
    changed = consolidate(folder, out, waktu=RUN, workers=1)
    pk_cell = _cell(pk_2022, "PERJANJIAN KINERJA", 2, PK.c7_realisasi)
    rs_cell = _cell(renstra, "RENSTRA", _renstra_row("696"), REALISASI[1])
    expected = v34 | {("pk_2022.xlsx", "V36", "peringatan", "PERJANJIAN KINERJA", pk_cell),
                      ("renstra.xlsx", "V36", "peringatan", "RENSTRA", rs_cell)}
    assert _cross(out) == expected
    temuan = {r["berkas"]: r for r in _rows(out, sh.TEMUAN) if r["aturan"] == "V36"}
    assert temuan["pk_2022.xlsx"]["status"] == "periode lain" and temuan["renstra.xlsx"]["status"] == "dipakai"
    assert "tertulis 3,6 di sini, tetapi 3,4 di " + f"pk_2022.xlsx — PERJANJIAN KINERJA!{pk_cell}" in \
        temuan["renstra.xlsx"]["pesan"]
    assert "tertulis 3,4 di sini, tetapi 3,6 di " + f"renstra.xlsx — RENSTRA!{rs_cell}" in \
        temuan["pk_2022.xlsx"]["pesan"]
    # a peringatan on the two files; every status, galat and figure of the run as it was
    after = _outcome(out, changed)
    plus = {"pk_2022.xlsx", "renstra.xlsx"}
    assert after == {n: (v[0], v[1], v[2] + (n in plus)) if n in plus else v for n, v in before.items()}
    # nothing changed: no file is read again, the finding stands (the views come from the read cache)
    again = consolidate(folder, out, waktu=RUN, workers=1)
    assert reads == [["pk.xlsx", "pk_2022.xlsx", "renstra.xlsx", "tw4.xlsx"], ["pk_2022.xlsx"]]  # runs 1 and 3
    assert _cross(out) == expected and _outcome(out, again) == after


def test_a_replaced_earlier_pk_is_not_compared(tmp_path):
    """Of last year's Perjanjian Kinerja only the newest file serves (as duplicates are decided for the files
    in play; by name here: neither stamped, both seen first now): an older disagreeing one replaced by an
    agreeing one gives nothing; the other way round, the newer one's disagreement is found."""
    folder, out = tmp_path / "kiriman", tmp_path / "rollup.xlsx"
    folder.mkdir()
    _tw4(folder)
    renstra = _save(folder, RENSTRA, _renstra_values(), "renstra.xlsx")
    _pk(folder, "1_pk_2022_lama.xlsx", 2022, realisasi_ikm=3.4)
    _pk(folder, "2_pk_2022_baru.xlsx", 2022)
    consolidate(folder, out, waktu=RUN, workers=1)
    assert _cross(out) == set()
    newer = _pk(folder, "2_pk_2022_baru.xlsx", 2022, realisasi_ikm=3.7)
    _pk(folder, "1_pk_2022_lama.xlsx", 2022)
    h = consolidate(folder, out, waktu=RUN, workers=1)
    assert _cross(out) == {
        ("2_pk_2022_baru.xlsx", "V36", "peringatan", "PERJANJIAN KINERJA",
         _cell(newer, "PERJANJIAN KINERJA", 2, PK.c7_realisasi)),
        ("renstra.xlsx", "V36", "peringatan", "RENSTRA", _cell(renstra, "RENSTRA", _renstra_row("696"), REALISASI[1]))}
    assert {k.rel: k.status for k in h.kiriman if "pk_2022" in k.rel} == {
        "1_pk_2022_lama.xlsx": "periode lain", "2_pk_2022_baru.xlsx": "periode lain"}


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
