"""Classic xlwings on Windows: the ribbon/button macros, called from VBA with RunPython.

In the workbook's VBA module (or an .xlam), with the xlwings add-in installed:

    Sub Validasi():       RunPython "import addin.desktop as k; k.validasi()": End Sub
    Sub HapusTanda():     RunPython "import addin.desktop as k; k.hapus_tanda()": End Sub
    Sub HitungUlang():    RunPython "import addin.desktop as k; k.hitung_ulang()": End Sub
    Sub SiapkanKiriman(): RunPython "import addin.desktop as k; k.siapkan_kiriman()": End Sub
    Sub PulihkanRumus():  RunPython "import addin.desktop as k; k.pulihkan_rumus()": End Sub
    Sub TambahBaris():    RunPython "import addin.desktop as k; k.tambah_baris()": End Sub

Custom functions: ``UDF_MODULES = udfs.excel`` in the ``xlwings.conf`` sheet, then
"Import Functions" on the xlwings ribbon.
"""

from __future__ import annotations

import logging

import xlwings as xw

from addin import kerja

logger = logging.getLogger(__name__)


def _run(action) -> None:
    book = xw.Book.caller()
    try:
        action(book)
    except kerja.PesanPengguna as exc:
        book.app.alert(str(exc), title="Kinerja")
    except Exception:  # noqa: BLE001 - not xlwings' English traceback box: an Indonesian message, details logged
        logger.exception("Makro kinerja gagal")
        book.app.alert(kerja.PESAN_GAGAL, title="Kinerja")


def validasi() -> None:
    _run(kerja.validasi)


def hapus_tanda() -> None:
    _run(kerja.hapus_tanda)


def hitung_ulang() -> None:
    _run(kerja.hitung_ulang)


def siapkan_kiriman() -> None:
    _run(kerja.siapkan_kiriman)


def pulihkan_rumus() -> None:
    _run(kerja.pulihkan_rumus)


def tambah_baris() -> None:
    _run(kerja.tambah_baris)
