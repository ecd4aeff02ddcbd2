"""Gather one unit's workbooks of a year from a folder, and validate them.

Files are recognised by their hidden metadata (form id, satker, tahun), never by
their names. Any galat in a file the report uses stops the report: the user
gets the list of what to fix (file, sheet, cell, message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from macros.plan import Finding, Severity
from macros.validation import validate
from workbooks.package import SUFFIXES
from workbooks.reader import BacaGagal, SheetData, WorkbookData, read_workbook, shown

FORM_LAPORAN = ("perjanjian-kinerja", "rencana-aksi", "pengukuran-rencana-aksi", "form-a", "alki", "p3dn", "skm",
                "renstra")


class LaporanGagal(Exception):
    """The report cannot be made; the message (Bahasa Indonesia) says why. ``kode`` is the exit code."""

    def __init__(self, pesan: str, kode: int = 2, temuan: list[Finding] | None = None):
        super().__init__(pesan)
        self.kode = kode
        self.temuan = temuan or []


@dataclass
class Lembar:
    """A form sheet of a gathered workbook."""

    data: SheetData
    berkas: WorkbookData
    tahun: int
    triwulan: int | None

    @property
    def nama_berkas(self) -> str:
        return shown(self.berkas.path.name)


@dataclass
class Masukan:
    satker: str
    nama_unit: str
    tahun: int
    lembar: dict[str, list[Lembar]] = field(default_factory=dict)  # form id -> sheets of the year
    pk_lalu: list[Lembar] = field(default_factory=list)  # Perjanjian Kinerja of earlier years
    renstra: list[Lembar] = field(default_factory=list)  # Renstra sheets (any year; the unit's own, else any)
    berkas: list[WorkbookData] = field(default_factory=list)
    dilewati: list[str] = field(default_factory=list)  # files not read, with the reason

    def of(self, form: str) -> list[Lembar]:
        return self.lembar.get(form, [])


def _unit(w: WorkbookData) -> str:
    m = w.meta
    return (m.satker or m.satker_nama or "").strip() if m else ""


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                  and not p.name.startswith((".", "~$")))


def _waktu(w: WorkbookData) -> str:
    m = w.meta
    return (m.waktu_kirim or m.dibuat or "") if m else ""


def kumpulkan(folder: str | Path, tahun: int, unit: str | None = None) -> Masukan:
    """Read every kinerja workbook in ``folder`` (subfolders included) and keep the unit's year.

    ``unit``: satker code or unit name; needed only when the folder holds the year's files of
    several units. Raises :class:`LaporanGagal` when no file fits.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise LaporanGagal(f"Folder '{folder}' tidak ditemukan.")
    books: list[WorkbookData] = []
    dilewati: list[str] = []
    for p in _files(folder):
        try:
            w = read_workbook(p)
        except BacaGagal as exc:
            dilewati.append(f"{shown(p.name)}: {exc}")
            continue
        if w.meta is None:
            continue
        if w.meta.tahun is None and not any(sd.layout.form == "renstra" for sd in w.sheets):
            continue
        if not any(sd.layout.form in FORM_LAPORAN for sd in w.sheets):
            continue
        books.append(w)
    renstra = [w for w in books if any(sd.layout.form == "renstra" for sd in w.sheets)]
    books = [w for w in books if w not in renstra]
    this_year = [w for w in books if w.meta.tahun == tahun]  # type: ignore[union-attr]
    units = sorted({_unit(w) for w in this_year if _unit(w)})
    if unit:
        u = unit.strip().casefold()
        chosen = next((x for x in units if x.casefold() == u), None)
        if chosen is None:
            chosen = next((_unit(w) for w in this_year
                           if (w.meta.satker_nama or "").strip().casefold() == u), None)  # type: ignore[union-attr]
        if chosen is None:
            pilihan = ", ".join(units) or "tidak ada"
            raise LaporanGagal(f"Tidak ada buku kerja tahun {tahun} untuk unit '{unit}' di '{folder}'. "
                               f"Unit yang ada: {pilihan}.")
    elif not units:
        raise LaporanGagal(f"Tidak ada buku kerja kinerja tahun {tahun} (Perjanjian Kinerja, Rencana Aksi, "
                           f"Pengukuran, FORM A, ALKI, P3DN, SKM) di '{folder}'.")
    elif len(units) > 1:
        raise LaporanGagal(f"Folder '{folder}' memuat buku kerja tahun {tahun} dari beberapa unit "
                           f"({', '.join(units)}); pilih satu dengan --unit KODE_SATKER.")
    else:
        chosen = units[0]
    mine = [w for w in books if _unit(w) == chosen]
    first = next(w for w in mine if w.meta.tahun == tahun)  # type: ignore[union-attr]
    m = first.meta
    assert m is not None
    out = Masukan(satker=m.satker, nama_unit=m.satker_nama or m.satker, tahun=tahun, dilewati=dilewati)
    for w in sorted(mine, key=_waktu):  # later submissions last: they replace earlier ones below
        assert w.meta is not None
        for sd in w.sheets:
            form = sd.layout.form
            if form not in FORM_LAPORAN or form == "renstra":
                continue
            lb = Lembar(sd, w, w.meta.tahun or 0, w.meta.triwulan)
            if w.meta.tahun == tahun:
                out.lembar.setdefault(form, []).append(lb)
            elif form == "perjanjian-kinerja" and (w.meta.tahun or 0) < tahun:
                out.pk_lalu.append(lb)
    for form, lbs in out.lembar.items():
        out.lembar[form] = _terbaru(lbs, out.dilewati)
    out.pk_lalu = _terbaru(out.pk_lalu, out.dilewati)
    own = [w for w in renstra if _unit(w) == chosen] or renstra
    for w in sorted(own, key=_waktu):
        out.renstra += [Lembar(sd, w, w.meta.tahun or 0, None) for sd in w.sheets  # type: ignore[union-attr]
                        if sd.layout.form == "renstra"]
    used = [lb.berkas for lbs in out.lembar.values() for lb in lbs] + [lb.berkas for lb in out.pk_lalu]
    if out.renstra:
        used.append(out.renstra[-1].berkas)
    for w in used:
        if all(w is not x for x in out.berkas):
            out.berkas.append(w)
    return out


def _terbaru(lbs: list[Lembar], dilewati: list[str]) -> list[Lembar]:
    """One sheet per (form, year, quarter, kegiatan): the latest submission (``lbs`` is in submission order)."""
    keep: dict[tuple, Lembar] = {}
    for lb in lbs:
        key = (lb.data.layout.form, lb.tahun, lb.triwulan, lb.data.kegiatan)
        old = keep.get(key)
        if old is not None and old.berkas is not lb.berkas:
            dilewati.append(f"{old.nama_berkas} (lembar {old.data.name}): digantikan oleh {lb.nama_berkas} "
                            "yang lebih baru")
        keep[key] = lb
    return list(keep.values())


def periksa_galat(m: Masukan) -> list[Finding]:
    """Validate every workbook the report uses; returns the galat findings (empty: all clean)."""
    galat: list[Finding] = []
    for w in m.berkas:
        try:
            h = validate(w)
        except BacaGagal as exc:
            galat.append(Finding("V00", Severity.GALAT, "", "", "", None, None, str(exc), shown(w.path.name)))
            continue
        galat += [f for f in h.findings if f.severity is Severity.GALAT]
    return galat


def daftar_galat(galat: list[Finding]) -> str:
    """The galat as the Indonesian list the user fixes from."""
    baris = [f"Laporan Kinerja tidak dibuat: {len(galat)} galat pada buku kerja masukan. Perbaiki dahulu "
             "(lalu jalankan lagi):"]
    for f in galat:
        tempat = f"lembar {f.sheet}" + (f", sel {f.cell}" if f.cell else "") if f.sheet else "berkas"
        baris.append(f"- {f.file} — {tempat}: {f.message}")
    return "\n".join(baris)
