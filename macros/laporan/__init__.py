"""Laporan Kinerja tahunan (LAKIP/LKjIP, PermenPANRB 53/2014) generated from the year's workbooks.

:func:`buat_laporan` gathers and validates a unit's workbooks, builds the model
(:mod:`macros.laporan.susun`) and writes LAPORAN.xlsx and LAPORAN.docx;
:func:`periksa_laporan` compares an existing .docx with the workbooks.
"""

from __future__ import annotations

from pathlib import Path

from macros.files import guard_output
from macros.laporan.kumpul import LaporanGagal, daftar_galat, kumpulkan, periksa_galat
from macros.laporan.model import Laporan
from macros.laporan.periksa import HasilPeriksa, periksa_dokumen, tahun_dokumen

__all__ = ["HasilPeriksa", "Laporan", "LaporanGagal", "buat_laporan", "keluaran", "model_laporan",
           "periksa_laporan"]


def keluaran(base: str | Path) -> tuple[Path, Path]:
    """LAPORAN → (LAPORAN.xlsx, LAPORAN.docx); a given .xlsx/.docx suffix is dropped first."""
    p = Path(base)
    if p.suffix.lower() in (".xlsx", ".docx"):
        p = p.with_suffix("")
    return p.with_name(p.name + ".xlsx"), p.with_name(p.name + ".docx")


def model_laporan(folder: str | Path, tahun: int, unit: str | None = None) -> Laporan:
    """Gather, validate (a galat raises :class:`LaporanGagal` with exit code 1) and build the model."""
    from macros.laporan.susun import susun

    m = kumpulkan(folder, tahun, unit)
    galat = periksa_galat(m)
    if galat:
        raise LaporanGagal(daftar_galat(galat), kode=1, temuan=galat)
    return susun(m)


def buat_laporan(folder: str | Path, tahun: int, base: str | Path, unit: str | None = None
                 ) -> tuple[Path, Path, Laporan]:
    """Write LAPORAN.xlsx and LAPORAN.docx for the unit's year in ``folder``. Inputs are never modified;
    an output inside ``folder`` is refused (:class:`~macros.files.OutputOverlap`)."""
    from macros.laporan.dokumen import tulis_docx
    from macros.laporan.xlsx import tulis_xlsx

    xlsx, docx = keluaran(base)
    for out in (xlsx, docx):
        guard_output(out, folders=[folder], what="Laporan")
    lap = model_laporan(folder, tahun, unit)
    return tulis_xlsx(lap, xlsx), tulis_docx(lap, docx), lap


def periksa_laporan(dokumen: str | Path, folder: str | Path, tahun: int | None = None, unit: str | None = None
                    ) -> HasilPeriksa:
    """Compare the numbers ``dokumen`` quotes next to each indicator with the workbooks in ``folder``."""
    from docx import Document

    path = Path(dokumen)
    if not path.is_file():
        raise LaporanGagal(f"Berkas '{dokumen}' tidak ditemukan.")
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and package errors for a file that is not a .docx
        raise LaporanGagal(f"'{dokumen}' tidak dapat dibaca sebagai dokumen Word (.docx).") from exc
    th = tahun or tahun_dokumen(doc)
    if th is None:
        raise LaporanGagal(f"Tahun laporan tidak ditemukan pada judul '{dokumen}'; sebutkan dengan --tahun.")
    try:
        lap = model_laporan(folder, th, unit)
    except LaporanGagal as exc:  # galat in the workbooks: nothing to compare with (exit 2, not "differences")
        raise LaporanGagal(str(exc).replace("Laporan Kinerja tidak dibuat", "Laporan tidak dapat diperiksa", 1),
                           kode=2, temuan=exc.temuan) from exc
    return periksa_dokumen(doc, lap)
