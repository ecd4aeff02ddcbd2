"""The Laporan Kinerja as data: numbered tables of figures and texts, the indicators behind them.

Writers (:mod:`macros.laporan.xlsx`, :mod:`macros.laporan.dokumen`) only lay this
out; :mod:`macros.laporan.periksa` compares a document with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.laporan.angka import BELUM, Angka

Sel = Angka | str | None  # None: nothing to show ("-")


@dataclass
class Baris:
    sel: list[Sel]
    jenis: str = "isi"  # "isi" | "kelompok" (a heading row: sasaran, program) | "jumlah" (a mean or total)
    indikator: str = ""  # the indicator the row is about (lookup for periksa-laporan)


# BAB III's tables in the order the document prints them (PermenPANRB 53/2014: A. Capaian Kinerja 1–5,
# B. Realisasi Anggaran, C. Program Pendukung); their numbers follow that order in LAPORAN.docx and LAPORAN.xlsx
BAB3 = ("capaian", "triwulan", "perbandingan", "renstra", "kendala", "efisiensi", "anggaran", "p3dn", "ikm")


def nomor(tabel: str) -> str:
    """The number of BAB III table ``tabel`` (a key of :data:`BAB3`): "3.5" for "kendala"."""
    return f"3.{BAB3.index(tabel) + 1}"


@dataclass
class Tabel:
    nomor: str  # "3.1"
    judul: str
    kolom: list[str]
    baris: list[Baris] = field(default_factory=list)
    catatan: str = ""
    tersedia: bool = True  # False: the table prints "data belum tersedia" (with the reason in catatan)

    @property
    def label(self) -> str:
        return f"Tabel {self.nomor} {self.judul}"

    def belum(self, alasan: str) -> Tabel:
        self.tersedia = False
        self.baris = []
        self.catatan = f"{BELUM[0].upper()}{BELUM[1:]}: {alasan}"
        return self


@dataclass
class Riwayat:
    tahun: int
    target: Angka | None
    realisasi: Angka | None
    capaian: Angka | None


@dataclass
class RenstraIndikator:
    """An indicator's Renstra figures: the target for the report year and the period's end."""

    target_tahun: Angka | None
    capaian_tahun: Angka | None  # realisasi of the report year against target_tahun
    target_akhir: Angka | None
    capaian_akhir: Angka | None  # capaian jangka menengah, as the Renstra workbook computes it
    akhir: int | None  # final year of the period


@dataclass
class Indikator:
    no: str
    sasaran: str
    nama: str
    satuan: str
    polaritas: str
    target: Angka | None
    realisasi: Angka | None
    capaian: Angka | None
    predikat: str = ""
    per_tw: dict[int, tuple[Angka | None, Angka | None]] = field(default_factory=dict)  # tw -> (realisasi, capaian)
    riwayat: list[Riwayat] = field(default_factory=list)  # earlier years, oldest first
    renstra: RenstraIndikator | None = None
    # the tujuan the indicator serves: the year's Perjanjian Kinerja's Kode Tujuan when that column is filled,
    # else the Renstra's tujuan (when a Renstra is present)
    tujuan: str = ""
    kendala: str = ""
    realisasi_kegiatan: str = ""
    pk_baris: int | None = None  # row of the year's Perjanjian Kinerja whose target, realisasi and capaian these are


@dataclass
class Sasaran:
    """A sasaran (or a tujuan: same shape) and its indicators."""

    nama: str
    indikator: list[Indikator]
    capaian: Angka | None  # plain mean of the members' capaian (R9)
    kode: str = ""  # the Perjanjian Kinerja's kode sasaran / Kode Tujuan, when the grouping is the PK's
    dari_pk: bool = False  # capaian is the Perjanjian Kinerja's derived group mean (its cell), not recomputed


@dataclass
class Kendala:
    sumber: str  # "Pengukuran — indikator …" / "FORM A 6077 — output …"
    kendala: str
    upaya: str


@dataclass
class Laporan:
    satker: str
    nama_unit: str
    tahun: int
    triwulan: int | None  # the latest quarter measured (None: no Pengukuran)
    indikator: list[Indikator]
    sasaran: list[Sasaran]
    ikhtisar: Tabel
    bab2: list[Tabel]
    bab3: list[Tabel]
    kendala: list[Kendala]
    berkas: list[str]  # input files used
    catatan: list[str] = field(default_factory=list)  # what is missing, in Indonesian
    ringkasan: dict[str, Angka | str | None] = field(default_factory=dict)
    dilewati: list[str] = field(default_factory=list)  # files not used (unreadable, replaced by a later one)
    peringatan: list[str] = field(default_factory=list)  # indicators the PK or Renstra does not list by name

    @property
    def tabel(self) -> list[Tabel]:
        return [self.ikhtisar, *self.bab2, *self.bab3]
