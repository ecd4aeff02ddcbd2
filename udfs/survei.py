"""Survei kepuasan dengan bentuk apa pun: N butir, skala 1–k, dan tingkat pengelompokan (DOMAIN §10).

Unit juga menjalankan survei perusahaan atau peserta dengan kuesioner sendiri (mis. 10 butir skala
1–4) dan melaporkan rata-rata per responden, per perusahaan/layanan dan keseluruhan (indikator).
Metode Indeks Kepuasan Masyarakat PermenPANRB 14/2017 (9 unsur) dan Kepmenpan 25/2004 (14 unsur)
adalah preset dari rata-rata N butir ini (lihat :func:`udfs.ikm`): tanpa kelompok, ``survei`` atas 9
atau 14 kolom memberi angka yang sama dengan ``ikm``.

Tingkat: responden → rata-rata butir yang dijawabnya; kelompok (perusahaan/layanan) → rata-rata NRR
butir atas responden kelompok itu; keseluruhan → rata-rata NRR butir (tanpa kelompok) atau
rata-rata indeks kelompok (dengan kelompok, setiap kelompok berbobot sama).
"""

from __future__ import annotations

from typing import Any

from udfs._args import as_number, cells, matrix, scalar
from udfs._agregat import divide
from udfs.errors import BAGI_NOL, DI_LUAR, SALAH_NILAI, TIDAK_ADA, NilaiGalat

Hasil = float | NilaiGalat
Jawaban = list[list[float | None]]
SKALA_MAKS = 10


def skala_survei(skala: Any) -> int | NilaiGalat:
    """Nilai tertinggi skala jawaban (bawaan 4); bilangan bulat 2–10, selain itu #NUM!."""
    v = as_number(scalar(skala))
    if isinstance(v, NilaiGalat):
        return v
    if v is None:
        return 4
    if not v.is_integer() or not 2 <= v <= SKALA_MAKS:
        return NilaiGalat(DI_LUAR, f"Skala jawaban {v:g} harus bilangan bulat 2–{SKALA_MAKS}")
    return int(v)


def jawaban_survei(jawaban: Any, skala: Any = 4) -> Jawaban | NilaiGalat:
    """Matriks responden × butir berisi 1…skala atau None (tidak dijawab); jawaban lain → #VALUE!."""
    k = skala_survei(skala)
    if isinstance(k, NilaiGalat):
        return k
    m = matrix(jawaban)
    if isinstance(m, NilaiGalat):
        return m
    out: Jawaban = []
    for b, baris in enumerate(m, start=1):
        isi = [as_number(v) for v in baris]
        for u, v in enumerate(isi, start=1):
            if isinstance(v, NilaiGalat) or (v is not None and (not v.is_integer() or not 1 <= v <= k)):
                return NilaiGalat(SALAH_NILAI, f"Jawaban responden ke-{b} butir ke-{u} harus bilangan bulat 1–{k}")
        out.append(isi)  # type: ignore[arg-type]
    return out


def _butir(m: Jawaban) -> list[int]:
    """Kolom yang dijawab paling sedikit satu responden (kolom kosong seluruhnya bukan butir)."""
    return [j for j in range(len(m[0])) if any(b[j] is not None for b in m)]


def _indeks(m: Jawaban, butir: list[int], nama: str) -> Hasil:
    if not butir:
        return NilaiGalat(BAGI_NOL, "Belum ada jawaban")
    nrr = []
    for j in butir:
        k = [b[j] for b in m if b[j] is not None]
        if not k:
            return NilaiGalat(BAGI_NOL, f"Butir ke-{j + 1} belum dijawab satu responden pun{nama}")
        nrr.append(sum(k) / len(k))  # type: ignore[arg-type]
    return sum(nrr) / len(nrr)


def _kunci(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return "" if x is None else str(x).strip()


def _kelompok(m: Jawaban, kelompok: Any) -> list[str] | NilaiGalat:
    k = [_kunci(v) for v in cells(kelompok)]
    if len(k) != len(m):
        return NilaiGalat(SALAH_NILAI, "Jumlah sel kelompok tidak sama dengan jumlah baris jawaban")
    return k


def survei(jawaban: Any, skala: Any = 4, kelompok: Any = None) -> Hasil:
    """Indeks survei (skala 1–k): rata-rata nilai rata-rata (NRR) butir, bobot 1/N persis.

    ``jawaban``: baris = responden, kolom = butir (N kolom mana pun; kolom yang tidak dijawab siapa
    pun diabaikan). ``skala``: nilai tertinggi jawaban (bawaan 4; 5 untuk skala 1–5). ``kelompok``
    (opsional): kolom sejajar berisi perusahaan/layanan tiap responden; hasilnya rata-rata indeks
    kelompok (setiap kelompok berbobot sama). Jawaban di luar 1–k → #VALUE!.
    """
    m = jawaban_survei(jawaban, skala)
    if isinstance(m, NilaiGalat):
        return m
    butir = _butir(m)
    if kelompok is None or all(v is None for v in cells(kelompok)):
        return _indeks(m, butir, "")
    k = _kelompok(m, kelompok)
    if isinstance(k, NilaiGalat):
        return k
    nama = list(dict.fromkeys(g for g, b in zip(k, m) if g and any(v is not None for v in b)))
    indeks = [survei_kelompok(m, k, g, skala) for g in nama]
    galat = next((v for v in indeks if isinstance(v, NilaiGalat)), None)
    return galat or divide(sum(indeks), len(indeks), "Belum ada jawaban berkelompok")  # type: ignore[arg-type]


def survei_kelompok(jawaban: Any, kelompok: Any, nama: Any, skala: Any = 4) -> Hasil:
    """Indeks satu kelompok (perusahaan/layanan): rata-rata NRR butir atas responden kelompok ``nama``.

    Butir = kolom yang dijawab di seluruh survei; butir yang tidak dijawab satu pun responden kelompok
    itu → #DIV/0!. Kelompok tanpa responden → #N/A.
    """
    m = jawaban_survei(jawaban, skala)
    if isinstance(m, NilaiGalat):
        return m
    k = _kelompok(m, kelompok)
    if isinstance(k, NilaiGalat):
        return k
    g = _kunci(scalar(nama))
    baris = [b for b, x in zip(m, k) if x == g]
    if not baris:
        return NilaiGalat(TIDAK_ADA, f"Tidak ada responden kelompok {g!r}")
    return _indeks(baris, _butir(m), f" kelompok {g!r}")


def survei_responden(jawaban: Any, skala: Any = 4) -> Hasil | list[Hasil]:
    """Nilai tiap responden: rata-rata butir yang dijawabnya (satu nilai per baris; baris kosong → #N/A)."""
    m = jawaban_survei(jawaban, skala)
    if isinstance(m, NilaiGalat):
        return m
    out: list[Hasil] = []
    for b in m:
        isi = [v for v in b if v is not None]
        out.append(sum(isi) / len(isi) if isi else NilaiGalat(TIDAK_ADA, "Responden belum menjawab"))
    return out[0] if len(out) == 1 else out
