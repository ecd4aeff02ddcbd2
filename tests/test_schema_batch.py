"""Konsolidasi checks the schema (pandera) of every file's tables at once: each file's findings stay exactly
what Validasi gives for it alone, in the same order, and only complete results are cached."""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from macros.konsolidasi import collect
from macros.konsolidasi.cache import ReadCache
from macros.validation import schema, validate
from tests.synth import Output, Paket, write
from workbooks.forms import FORM_A
from workbooks.reader import read_workbook

A, R = FORM_A.anggaran, FORM_A.realisasi
RUN = dt.datetime(2023, 7, 20, 9, 0)


def _codes(n: int) -> list[str]:
    return [f"A{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(n)]


def _blank(path: Path, table: str, i: int, key: str) -> None:
    """Empty one data cell of the (first) FORM A sheet, as a user deleting it."""
    td = read_workbook(path).sheets_of("form-a")[0].tables[table]
    sheet, cell = td.address(i, key).rsplit("!", 1)
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = None
    wb.save(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Five packages (FORM A of the same layout in each): two with a few schema failures, one clean, two with
    many (more than pandera sorts stably: its order must still be each file's own)."""
    d = tmp_path_factory.mktemp("kiriman")
    few = Paket(satker="247246", kegiatan={"6077": [
        Output("AEF", 48488, (10.0, 10.0, 12.0, 12.5), (120.0, 21.0, 19.5, 20.0)),  # % above 100 (V04)
        Output("AEF", 548888, (17.95, 18.63, 18.89, 19.0), (8.56, 9.01, 8.96, 9.0))]})  # row key twice (V22)
    write(few, d / "a_few.xlsx")
    other = Paket(satker="247247", kegiatan={"6077": [
        Output("bad", 48488, (10.0, 10.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0)),  # code format (V05)
        Output("BAD", 548888, (17.95, 18.63, 18.89, 19.0), (8.56, 9.01, 180.0, 9.0))]})
    write(other, d / "b_few.xlsx")
    _blank(d / "b_few.xlsx", "anggaran", 1, A.c6_indikator_keluaran)  # a required cell left empty (V06)
    write(Paket(satker="247248"), d / "c_clean.xlsx")
    for name, satker, dup in (("d_many.xlsx", "247249", 3), ("e_many.xlsx", "247250", 5)):
        codes = _codes(14)
        codes[dup] = codes[dup + 1] = codes[0]
        codes[7] = "x1"
        outs = [Output(code, -5 if i % 2 else 1000 + i, (10.0, 10.0, 12.0, 12.5), (150.0, 101.0, 19.5, 120.0))
                for i, code in enumerate(codes)]
        write(Paket(satker=satker, kegiatan={"6077": outs[:10], "6042": outs[10:]}), d / name)
        _blank(d / name, "anggaran", 2, A.c6_indikator_keluaran)
    return d


def _loaded(folder: Path, **kw) -> dict[str, collect.Kiriman]:
    paths, _ = collect.find_files(folder)
    return {k.rel: k for k in collect.load_all(folder, paths, workers=1, run=RUN, **kw)}


def test_konsolidasi_findings_are_validasi_findings_in_order(folder, monkeypatch):
    stacks: list[int] = []
    check_stack = schema._check_stack

    def counted(units, members, out):  # noqa: ANN001, ANN202 - in the run (the workers leave the schema to it)
        stacks.append(len(members))
        return check_stack(units, members, out)

    monkeypatch.setattr(schema, "_check_stack", counted)
    got = _loaded(folder)
    assert max(stacks) == 5  # one stack held the same table of all five files
    rules = {}
    for name, k in got.items():
        want = validate(folder / name)
        assert k.findings == want.findings, name
        assert (k.galat, k.peringatan) == (want.galat, want.peringatan) and k.pending is None
        rules[name] = {f.rule for f in k.findings}
    assert {"V04", "V22"} <= rules["a_few.xlsx"] and {"V04", "V05", "V06"} <= rules["b_few.xlsx"]
    assert not rules["c_clean.xlsx"] & {"V04", "V05", "V06", "V22"}
    many = [f for f in got["d_many.xlsx"].findings if f.rule in ("V04", "V05", "V06", "V22")]
    assert len(many) > 30 and {f.rule for f in many} == {"V04", "V05", "V06", "V22"}


def test_a_stack_that_fails_is_checked_file_by_file(folder, monkeypatch):
    """pandera failing on the stack of all files: each file is checked alone; one file that fails alone too
    is listed as not checkable, the others keep their findings."""
    check_stack = schema._check_stack
    victim: list[int] = []

    def fragile(units, members, out):  # noqa: ANN001, ANN202
        if len(members) > 1:
            raise RuntimeError("stack")
        if victim and members[0][0] == victim[0]:
            raise schema.UnknownFailure("pandera check 'x' has no rule")
        return check_stack(units, members, out)

    monkeypatch.setattr(schema, "_check_stack", fragile)
    victim.append(3)  # the fourth file of the run (d_many.xlsx)
    got = _loaded(folder)
    for name, k in got.items():
        if name == "d_many.xlsx":
            assert k.findings == [] and k.galat == 1 and k.bagian == [] and k.error == (
                "kinerja tidak dapat memeriksa berkas ini (UnknownFailure: pandera check 'x' has no rule); "
                "laporkan ke pengelola")
        else:
            assert k.findings == validate(folder / name).findings and not k.error, name


def test_the_cache_keeps_complete_results_only(folder):
    cache = ReadCache(sqlite3.connect(":memory:"))
    first = _loaded(folder, cache=cache)
    for name, k in first.items():
        kept = cache.get(k.sha256, name)
        assert kept is not None and kept.pending is None, name
        assert kept.findings == validate(folder / name).findings, name
    again = _loaded(folder, cache=cache)
    assert [k.findings for k in again.values()] == [k.findings for k in first.values()]


def test_a_schema_input_travels_as_its_table_s_place(folder):
    data = read_workbook(folder / "a_few.xlsx")
    inputs = [si for _, si in schema.schema_inputs(data.sheets)]
    back = [pickle.loads(pickle.dumps(si)) for si in inputs]
    assert [b.table for b in back] == [si.table for si in inputs] and back[0].table is inputs[0].table
    td = data.sheets_of("form-a")[0].tables["anggaran"]
    assert all(si.portable for si in inputs)
    code = A.c1_output_kode
    assert back[0].address(1, code) == inputs[0].address(1, code) == td.address(1, code)
    assert schema.stacked_failures([back]) == schema.stacked_failures([inputs])
    assert any(schema.stacked_failures([inputs])[0])  # the file's V04 and V22 are among them


def test_a_table_the_run_cannot_look_up_is_checked_in_the_worker(folder, monkeypatch):
    monkeypatch.setattr(schema, "_PLACES", {0: ("form-a", "anggaran")})  # no layout table has a place
    k = collect.load((folder / "b_few.xlsx", "b_few.xlsx", "", True))
    assert k.pending is None and k.findings == validate(folder / "b_few.xlsx").findings
    assert "V06" in {f.rule for f in k.findings}
