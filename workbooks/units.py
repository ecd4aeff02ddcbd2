"""The unit list (kode satker, nama, eselon I, provinsi) and the kegiatan list (kode, nama, program, fungsi).

A sample ships with kinerja (the seeds' satker and the Renstra BSKJI units);
ministries pass their own with ``--unit UNITS.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Unit:
    kode: str
    nama: str
    eselon1: str
    provinsi: str


UNIT_COLUMNS = ("kode_satker", "nama", "eselon1", "provinsi")


class DaftarTidakSah(ValueError):
    """A user's unit list that cannot be used; the message is Indonesian and names the file."""


def load_units(path: str | Path | None = None) -> dict[str, Unit]:
    """Read a unit list CSV (columns kode_satker, nama, eselon1, provinsi; comma or, as Excel saves it where
    the list separator is ';', semicolon). A user's list (``path``) that is not UTF-8, lacks a column or
    lists no unit raises :class:`DaftarTidakSah`: with it every submission would be refused."""
    if path is None:
        text = resources.files("workbooks.data").joinpath("unit_contoh.csv").read_text(encoding="utf-8")
    else:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DaftarTidakSah(f"Daftar unit '{path}' bukan teks UTF-8. Di Excel simpan sebagai \"CSV UTF-8 "
                                 "(Comma delimited)\".") from exc
    lines = text.splitlines()
    header = lines[0] if lines else ""
    reader = csv.DictReader(lines, delimiter=";" if ";" in header and "," not in header else ",")
    reader.fieldnames = [(f or "").strip().lower() for f in reader.fieldnames or ()]  # rows keyed by these
    missing = [c for c in UNIT_COLUMNS if c not in reader.fieldnames]
    if path is not None and missing:
        raise DaftarTidakSah(f"Daftar unit '{path}': kolom {', '.join(missing)} tidak ada (baris pertama: "
                             f"'{header[:120]}'). Baris pertama harus memuat judul kolom "
                             f"{','.join(UNIT_COLUMNS)}.")
    out: dict[str, Unit] = {}
    for row in reader:
        kode = (row.get("kode_satker") or "").strip()
        if kode:
            out[kode] = Unit(kode, (row.get("nama") or "").strip(), (row.get("eselon1") or "").strip(),
                             (row.get("provinsi") or "").strip().upper())
    if path is not None and not out:
        raise DaftarTidakSah(f"Daftar unit '{path}' tidak memuat satu unit pun (kolom kode_satker kosong).")
    return out


@cache
def _sample() -> dict[str, Unit]:
    return load_units()


def unit(kode: str) -> Unit | None:
    return _sample().get(kode)


@dataclass(frozen=True)
class Kegiatan:
    kode: str
    nama: str
    program: str  # program code, 2 letters (masters.PROGRAM)
    fungsi: str  # as printed: "04. Ekonomi"; "" when the master does not know it
    sub_fungsi: str  # "04.07. Industri Dan Konstruksi"; ""


def load_kegiatan(path: str | Path | None = None) -> dict[str, Kegiatan]:
    """Read a kegiatan list CSV (columns kode_kegiatan, nama, program, fungsi, sub_fungsi)."""
    if path is None:
        text = resources.files("workbooks.data").joinpath("kegiatan_contoh.csv").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8-sig")
    out: dict[str, Kegiatan] = {}
    for row in csv.DictReader(text.splitlines()):
        kode = (row.get("kode_kegiatan") or "").strip()
        if kode:
            out[kode] = Kegiatan(kode, *((row.get(k) or "").strip() for k in ("nama", "program", "fungsi", "sub_fungsi")))
    return out


@cache
def _sample_kegiatan() -> dict[str, Kegiatan]:
    return load_kegiatan()


def kegiatan(kode: str) -> Kegiatan | None:
    return _sample_kegiatan().get(kode)
