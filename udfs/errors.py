"""Nilai galat: hasil fungsi kinerja yang tidak dapat dihitung dari datanya.

Fungsi di :mod:`udfs` tidak melempar pengecualian untuk masalah data (target 0,
sel kosong, teks di sel angka); fungsi itu *mengembalikan* :class:`NilaiGalat`
(atau menaruhnya di elemen hasil bervektor). Adaptor Excel mengubahnya menjadi
nilai galat Excel (``#DIV/0!``, ``#VALUE!``, ``#N/A``, ``#NUM!``).
"""

from __future__ import annotations

from dataclasses import dataclass

BAGI_NOL = "#DIV/0!"  # penyebut 0 atau kosong
SALAH_NILAI = "#VALUE!"  # jenis data salah: teks, rentang tidak sepadan, jawaban di luar 1–4
TIDAK_ADA = "#N/A"  # nilai wajib kosong
DI_LUAR = "#NUM!"  # angka di luar ranah (di luar skala, populasi ≤ 0)
KODE_GALAT: frozenset[str] = frozenset({BAGI_NOL, SALAH_NILAI, TIDAK_ADA, DI_LUAR})


@dataclass(frozen=True)
class NilaiGalat:
    """Nilai galat Excel beserta penjelasannya dalam Bahasa Indonesia.

    ``kode`` adalah literal galat Excel; ``pesan`` menjelaskan penyebabnya,
    mis. ``NilaiGalat("#DIV/0!", "Target 0 atau kosong: capaian tidak dapat dihitung")``.
    """

    kode: str
    pesan: str

    def __post_init__(self) -> None:
        if self.kode not in KODE_GALAT:
            raise ValueError(f"Kode galat tidak dikenal: {self.kode!r}; pilih salah satu dari {sorted(KODE_GALAT)}")

    def __str__(self) -> str:
        return self.kode

