"""The rollup's own sheets, declared once: per sheet its columns (key, header, width, number format, wrapped).

The writer (:mod:`.writer`) draws headers, widths, number formats and wrapping from these layouts and
places each row's values by key, so adding a column is one line here (plus its value, when it is not an
attribute of the row's object of the same name; see :meth:`Lembar.row`). Readers find columns by key
(:meth:`Lembar.position`, :meth:`Lembar.letter`), never by counting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from workbooks.builder import NUMBER_FORMATS
from workbooks.model import Jenis

UANG = NUMBER_FORMATS[Jenis.RP000]
PERSEN = NUMBER_FORMATS[Jenis.PERSEN]
BULAT = "0"
TANGGAL = "DD-MM-YYYY"


@dataclass(frozen=True)
class Kolom:
    """One column of a rollup sheet."""

    key: str
    header: str
    width: float
    fmt: str | None = None  # number format; None: General
    wrap: bool = False  # long text: wrapped, the row grows to fit


@dataclass(frozen=True)
class Lembar:
    """The columns of a rollup sheet (or of one table on it)."""

    name: str
    columns: tuple[Kolom, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def widths(self) -> list[float]:
        return [c.width for c in self.columns]

    @property
    def formats(self) -> list[str | None]:
        return [c.fmt for c in self.columns]

    @property
    def wrapped(self) -> tuple[int, ...]:
        """1-based positions of the wrapped columns."""
        return tuple(i for i, c in enumerate(self.columns, start=1) if c.wrap)

    def position(self, key: str) -> int:
        """1-based column of ``key``."""
        for i, c in enumerate(self.columns, start=1):
            if c.key == key:
                return i
        raise KeyError(f"{self.name}: no column {key!r}")

    def letter(self, key: str) -> str:
        return get_column_letter(self.position(key))

    def row(self, values: Mapping[str, Any], obj: Any = None) -> list[Any]:
        """One row in column order: ``values[key]``, else ``obj.<key>`` when ``obj`` has it, else ""."""
        return [values[c.key] if c.key in values else getattr(obj, c.key, "") for c in self.columns]

    def plus(self, *columns: Kolom) -> Lembar:
        """This layout with ``columns`` appended."""
        return Lembar(self.name, (*self.columns, *columns))


def _k(*spec: Any) -> tuple[Kolom, ...]:
    return tuple(Kolom(*s) for s in spec)


_PCT = (("keu_s", "Penyerapan Keuangan S (%)", 12, PERSEN), ("keu_r", "Penyerapan Keuangan R (%)", 12, PERSEN),
        ("fis_s", "Fisik S (%)", 12, PERSEN), ("fis_r", "Fisik R (%)", 12, PERSEN))

RINGKASAN_ESELON = Lembar("Ringkasan", _k(
    ("eselon1", "Eselon I", 12),
    ("nama", "Nama Eselon I", 44),
    ("pagu", "Pagu (Rp 000)", 16, UANG),
    *_PCT,
    ("diharapkan", "Satker diharapkan", 11, BULAT),
    ("diterima", "Satker diterima", 11, BULAT),
    ("valid", "Satker valid", 11, BULAT),
    ("terlambat", "Satker terlambat", 11, BULAT),
))

RINGKASAN_PROGRAM = Lembar("Ringkasan", _k(
    ("eselon1", "Eselon I", 12),
    ("program", "Program", 44),
    ("pagu", "Pagu (Rp 000)", 16, UANG),
    *_PCT,
))

CAPAIAN = Lembar("Capaian Kinerja", _k(
    ("kode", "Kode unit", 9),
    ("nama", "Nama unit", 28, None, True),
    ("eselon1", "Eselon I", 9),
    ("sumber", "Sumber", 25),  # "Pengukuran Rencana Aksi" in bold fits
    ("sasaran", "Sasaran", 28, None, True),
    ("indikator", "Indikator Kinerja", 36, None, True),
    ("satuan", "Satuan", 11),
    ("polaritas", "Polaritas", 18, None, True),
    ("target", "Target", 10, "General"),
    ("realisasi", "Realisasi", 10, "General"),
    ("capaian", "Capaian (%)", 10, PERSEN),
    ("predikat", "Predikat", 12),
))

SURVEI = Lembar("Indeks Kepuasan Masyarakat", _k(
    ("kode", "Kode unit", 9),
    ("nama", "Nama unit", 30, None, True),
    ("eselon1", "Eselon I", 9),
    ("metode", "Metode", 20, None, True),
    ("kuesioner", "Kuesioner", 11, "#,##0"),
    ("indeks", "Indeks Kepuasan Masyarakat (1–4)", 16, "0.00"),
    ("konversi", "Nilai konversi (25–100)", 14, "0.00"),
    ("mutu", "Mutu pelayanan", 18),
))

P3DN = Lembar("P3DN", _k(
    ("kode", "Kode unit", 9),
    ("nama", "Nama unit", 30, None, True),
    ("eselon1", "Eselon I", 9),
    ("pagu", "Pagu akun terpilih (Rp)", 18, UANG),
    ("pdn", "Realisasi PDN (Rp)", 18, UANG),
    ("tkdn", "Realisasi TKDN (Rp)", 18, UANG),
    ("realisasi", "Realisasi P3DN = PDN + TKDN (Rp)", 20, UANG),
    ("pct", "Capaian P3DN (%)", 12, PERSEN),
))

STATUS = Lembar("Status Pengiriman", _k(
    ("kode", "Kode satker", 10),
    ("nama", "Nama unit", 34, None, True),
    ("eselon1", "Eselon I", 9),
    ("provinsi", "Provinsi", 17),
    ("terdaftar", "Terdaftar", 9),
    ("diterima", "Diterima", 9),
    ("validasi", "Validasi", 9),
    ("ketepatan", "Ketepatan waktu", 14),
    ("status", "Status", 16),
    ("waktu", "Waktu kirim", 20),
    ("sumber", "Sumber waktu", 16),
    ("hari_ke", "Hari kerja ke-", 8, BULAT),
    ("batas", "Batas waktu", 11, TANGGAL),
    ("berkas", "Berkas", 40, None, True),
    ("keterangan", "Keterangan", 34, None, True),
))

TEMUAN = Lembar("Temuan", _k(
    ("berkas", "Berkas", 36, None, True),
    ("status", "Status berkas", 14),
    ("aturan", "Aturan", 7),
    ("tingkat", "Tingkat", 10),
    ("lembar", "Lembar", 18),
    ("sel", "Sel", 6),
    ("kolom", "Kolom", 24),
    ("pesan", "Pesan", 90, None, True),
))

KIRIMAN = Lembar("Kiriman", _k(
    ("berkas", "Berkas", 40, None, True),
    ("unit", "Kode unit", 10),
    ("nama", "Nama unit", 28, None, True),
    ("form", "Form", 16),
    ("tahun", "Tahun", 7, BULAT),
    ("triwulan", "Triwulan", 8, BULAT),
    ("waktu", "Waktu kirim", 24),
    ("status", "Status", 15),
    ("alasan", "Keterangan", 60, None, True),
    ("galat", "Galat", 7, BULAT),
    ("peringatan", "Peringatan", 10, BULAT),
    ("sha256", "SHA-256", 20),
))

JEJAK = Lembar("Jejak Data", _k(
    ("lembar", "Lembar", 22),
    ("sel", "Sel", 7),
    ("nilai", "Nilai", 14),
    ("rumus", "Rumus", 34),
    ("peran", "Peran", 10),
    ("berkas", "Berkas sumber", 40),
    ("lembar_sumber", "Lembar sumber", 18),
    ("sel_sumber", "Sel sumber", 11),
    ("nilai_sumber", "Nilai sumber", 16),
    ("sel_bobot", "Sel bobot", 10),
    ("bobot", "Bobot", 14),
))

RINGKASAN_WARNA = Lembar("Ringkasan", _k(
    ("kode", "Kode satker", 12),
    ("nama", "Nama unit", 44, None, True),
    ("eselon1", "Eselon I", 12),
    ("status", "Status", 16),
    ("keputusan", "Keputusan verifikator", 16),
    ("warna", "Warna", 12),
))
