"""The ribbon's scripts: each a thin call into addin.kerja, errors shown in Bahasa Indonesia."""

from __future__ import annotations

import logging

import xlwings as xw
from xlwings.server import script

from addin import kerja

logger = logging.getLogger(__name__)


def _run(action, book: xw.Book) -> None:
    try:
        action(book)
    except kerja.PesanPengguna as exc:
        raise xw.XlwingsError(str(exc)) from exc
    except xw.XlwingsError:
        raise
    except Exception as exc:  # noqa: BLE001 - the user gets a readable message, the log the details
        logger.exception("Skrip kinerja gagal")
        raise xw.XlwingsError(f"{kerja.PESAN_GAGAL} ({type(exc).__name__})") from exc


@script(name="Validasi")
def validasi(book: xw.Book):
    _run(kerja.validasi, book)


@script(name="Hapus Tanda")
def hapus_tanda(book: xw.Book):
    _run(kerja.hapus_tanda, book)


@script(name="Hitung Ulang")
def hitung_ulang(book: xw.Book):
    _run(kerja.hitung_ulang, book)


@script(name="Siapkan Kiriman")
def siapkan_kiriman(book: xw.Book):
    _run(kerja.siapkan_kiriman, book)


@script(name="Pulihkan Rumus")
def pulihkan_rumus(book: xw.Book):
    _run(kerja.pulihkan_rumus, book)


@script(name="Tambah Baris")
def tambah_baris(book: xw.Book):
    _run(kerja.tambah_baris, book)
