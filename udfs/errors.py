"""Error values returned (not raised) for data problems, shown in Excel as error cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NilaiGalat:
    """An Excel error value with an explanation in Bahasa Indonesia.

    ``kode`` is the Excel literal: ``#DIV/0!``, ``#VALUE!`` or ``#N/A``.
    """

    kode: str
    pesan: str

    def __str__(self) -> str:
        return self.kode


def bagi_nol(pesan: str) -> NilaiGalat:
    return NilaiGalat("#DIV/0!", pesan)


def nilai_salah(pesan: str) -> NilaiGalat:
    return NilaiGalat("#VALUE!", pesan)


def tidak_ada(pesan: str) -> NilaiGalat:
    return NilaiGalat("#N/A", pesan)
