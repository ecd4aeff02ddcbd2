"""Tahun SAKIP: capaian tahunan dari triwulan, capaian jangka menengah Renstra, agregat dan label BPKP.

- Capaian tahunan (DOMAIN §10, aturan peer berbasis regulasi ``agusnurwanto/wp-eval-sakip``,
  ``get_capaian_realisasi_tahunan_by_type``): *tren positif* Σ realisasi TW / target × 100;
  *nilai akhir* realisasi TW terakhir yang terisi / target × 100; *tren negatif*
  (target − Σ realisasi TW) / target × 100 (makin kecil realisasi makin baik; realisasi di atas
  target memberi capaian negatif, seperti pada peer).
- Capaian jangka menengah (DOMAIN §10): target dan realisasi tahunan Renstra diringkas menurut
  basis yang dinyatakan per indikator: *jumlah* (kumulatif Σ tahun), *rata-rata* (rata-rata
  tahun) atau *nilai akhir* (tahun terakhir). Target memakai semua tahun periode Renstra
  (target akhir periode); realisasi memakai tahun yang sudah dilaporkan.
- Agregat capaian beberapa indikator (DOMAIN §10, R9/R11): laporan berbeda cara membentuknya, maka
  caranya dinyatakan: *rata-rata persentase* (rata-rata capaian % per indikator) atau *rasio jumlah*
  (Σ realisasi ÷ Σ target, untuk indikator bersatuan sama). Keduanya berbeda bila target tidak sama besar.
- Efisiensi gaya reviu BPKP (DOMAIN §10, R10): Efektif bila capaian ≥ 100; Efisien bila
  capaian > serapan; rasio efisiensi (capaian − serapan) / capaian × 100.
"""

from __future__ import annotations

from typing import Any

from udfs._args import as_number, cells, number_column, option_text, per_cell, required_number, scalar
from udfs._agregat import divide
from udfs.capaian import capaian
from udfs.errors import SALAH_NILAI, TIDAK_ADA, NilaiGalat

Hasil = float | NilaiGalat

# basis capaian tahunan (kode, dipakai juga oleh dropdown dan rumus Excel)
BASIS_TAHUNAN: tuple[str, ...] = ("tren-positif", "nilai-akhir", "tren-negatif")
# basis capaian jangka menengah Renstra
BASIS_JANGKA: tuple[str, ...] = ("jumlah", "rata-rata", "nilai-akhir")
# cara membentuk agregat capaian beberapa indikator
CARA_AGREGAT: tuple[str, ...] = ("rata-rata-persentase", "rasio-jumlah")
_ALIAS_BASIS = {
    "kumulatif": "jumlah", "jumlah/kumulatif": "jumlah", "rata": "rata-rata", "rerata": "rata-rata",
    "tren positif": "tren-positif", "tren negatif": "tren-negatif", "nilai akhir": "nilai-akhir",
    "akhir": "nilai-akhir", "rata-rata persentase": "rata-rata-persentase", "rasio jumlah": "rasio-jumlah",
}
_LABEL_SEP = "—"

_TARGET_NOL = "Target 0 atau kosong: capaian tidak dapat dihitung"


def nama_basis(basis: Any, pilihan: tuple[str, ...], bawaan: str) -> str | NilaiGalat:
    """Kode baku basis (label dropdown "kode — keterangan" dibaca bagian sebelum "—"); kosong → ``bawaan``.

    Basis diisi pengguna di sel, jadi nama tak dikenal dikembalikan sebagai #VALUE!, bukan dilempar.
    """
    b = option_text(basis, bawaan).split(_LABEL_SEP)[0].strip()
    b = _ALIAS_BASIS.get(b, b) or bawaan
    if b not in pilihan:
        return NilaiGalat(SALAH_NILAI, f"Basis '{b}' tidak dikenal; pilihan: {', '.join(pilihan)}")
    return b


def _isi(x: Any) -> list[float] | NilaiGalat:
    v = number_column(x)
    return v if isinstance(v, NilaiGalat) else [n for n in v if n is not None]


def capaian_tahunan(target: Any, realisasi_tw: Any, basis: Any = "tren-positif") -> Hasil:
    """Capaian tahunan (%) dari realisasi per triwulan dan target tahunan.

    - tren-positif (bawaan): Σ realisasi TW / target × 100 (indikator kumulatif, mis. jumlah layanan);
    - nilai-akhir: realisasi TW terakhir yang terisi / target × 100 (indeks, persentase pada suatu saat);
    - tren-negatif: (target − Σ realisasi TW) / target × 100 (makin kecil makin baik).

    ``realisasi_tw``: rentang TW I–IV; sel kosong = belum dilaporkan. Target 0 atau kosong → #DIV/0!;
    belum ada realisasi → #N/A.
    """
    b = nama_basis(basis, BASIS_TAHUNAN, "tren-positif")
    t = required_number(scalar(target), _TARGET_NOL)
    r = _isi(realisasi_tw)
    if isinstance(b, NilaiGalat):
        return b
    if isinstance(t, NilaiGalat):
        return t
    if isinstance(r, NilaiGalat):
        return r
    if not r:
        return NilaiGalat(TIDAK_ADA, "Realisasi triwulan kosong: capaian tahunan belum dapat dihitung")
    if b == "nilai-akhir":
        return divide(r[-1], t, _TARGET_NOL, 100.0)
    if b == "tren-negatif":
        return divide(t - sum(r), t, _TARGET_NOL, 100.0)
    return divide(sum(r), t, _TARGET_NOL, 100.0)


def _ringkas(tahunan: Any, basis: Any, kosong: str) -> Hasil:
    """The years of a Renstra row summarised by ``basis``: Σ, mean or the last one filled."""
    b = nama_basis(basis, BASIS_JANGKA, "jumlah")
    v = _isi(tahunan)
    if isinstance(b, NilaiGalat):
        return b
    if isinstance(v, NilaiGalat):
        return v
    if not v:
        return NilaiGalat(TIDAK_ADA, kosong)
    return {"jumlah": sum(v), "rata-rata": sum(v) / len(v)}.get(b, v[-1])


def target_jangka_menengah(target_tahun: Any, basis: Any = "jumlah") -> Hasil:
    """Target akhir periode Renstra menurut basis: jumlah (Σ target tahunan), rata-rata, atau nilai-akhir
    (target tahun terakhir yang terisi). Tidak ada target → #N/A."""
    return _ringkas(target_tahun, basis, "Target tahunan kosong")


def realisasi_jangka_menengah(realisasi_tahun: Any, basis: Any = "jumlah") -> Hasil:
    """Realisasi Renstra s.d. tahun terakhir yang dilaporkan menurut basis: jumlah, rata-rata atau nilai-akhir.
    Belum ada realisasi → #N/A."""
    return _ringkas(realisasi_tahun, basis, "Realisasi tahunan kosong: capaian belum dapat dihitung")


def capaian_jangka_menengah(target_tahun: Any, realisasi_tahun: Any, basis: Any = "jumlah",
                            polaritas: Any = "maksimal") -> Hasil:
    """Capaian jangka menengah (%) terhadap target akhir periode Renstra.

    Target dan realisasi tahunan diringkas dengan basis yang sama (jumlah: Σ; rata-rata: rata-rata;
    nilai-akhir: tahun terakhir yang terisi), lalu capaian = realisasi / target × 100 sesuai polaritas
    (lihat ``capaian``). Contoh: target 37, 46, 61, 71 perusahaan (Σ 215), realisasi 40, 50 → jumlah
    90/215 = 41,86 %.
    """
    t = target_jangka_menengah(target_tahun, basis)
    r = realisasi_jangka_menengah(realisasi_tahun, basis)
    if isinstance(t, NilaiGalat):
        return t
    if isinstance(r, NilaiGalat):
        return r
    return capaian(t, r, polaritas)  # type: ignore[return-value]


def capaian_rata_kelompok(capaian: Any, kelompok: Any, nama: Any, pengenal: Any = None,
                          baris: Any = None) -> Hasil | str:
    """Rata-rata capaian (%) baris yang kelompoknya ``nama`` (mis. kode sasaran "SS3"); kosong diabaikan.

    Rata-rata biasa (R9) per sasaran atau tujuan. Tidak ada capaian di kelompok itu → #DIV/0!.

    ``pengenal`` (kolom yang membedakan baris, mis. nama indikator, sejajar ``kelompok``) dan ``baris``
    (nilainya pada baris sel ini): rata-rata hanya tampil pada baris pertama kelompok, seperti sel gabungan
    pada tabel cetak; baris lain kelompok itu dan baris tanpa kelompok "" (kosong).
    """
    v, k = number_column(capaian), cells(kelompok)
    if isinstance(v, NilaiGalat):
        return v
    kunci = kunci_kelompok(scalar(nama))
    if pengenal is not None and (not kunci or not _baris_pertama(k, cells(pengenal), kunci, scalar(baris))):
        return ""
    isi = [x for x, g in zip(v, k) if x is not None and kunci_kelompok(g) == kunci]
    return divide(sum(isi), len(isi), f"Tidak ada capaian pada kelompok {str(scalar(nama)).strip()!r}")


def _baris_pertama(kelompok: list[Any], pengenal: list[Any], kunci: str, baris: Any) -> bool:
    """Whether ``baris`` identifies the first row of group ``kunci`` (Excel: INDEX(pengenal, MATCH(kunci, …)))."""
    pertama = next((p for g, p in zip(kelompok, pengenal) if kunci_kelompok(g) == kunci), None)
    return kunci_kelompok(pertama) == kunci_kelompok(baris)


def capaian_agregat(capaian: Any, realisasi: Any, target: Any, cara: Any = "rata-rata-persentase") -> Hasil:
    """Capaian agregat (%) beberapa indikator menurut cara yang dinyatakan.

    - rata-rata-persentase (bawaan): rata-rata capaian (%) baris yang terisi (R9);
    - rasio-jumlah: Σ realisasi ÷ Σ target × 100 atas baris yang target dan realisasinya terisi (R11;
      hanya bermakna untuk indikator bersatuan sama, polaritas maksimal).

    Contoh: target 750 dan 10, realisasi 426 dan 12 → rata-rata (56,8 + 120) / 2 = 88,4 %, rasio jumlah
    438 / 760 = 57,63 %. Tidak ada capaian → #DIV/0!; Σ target 0 → #DIV/0!.
    """
    b = nama_basis(cara, CARA_AGREGAT, "rata-rata-persentase")
    c, r, t = number_column(capaian), number_column(realisasi), number_column(target)
    for x in (b, c, r, t):
        if isinstance(x, NilaiGalat):
            return x
    if b == "rasio-jumlah":
        pasangan = [(a, z) for a, z in zip(r, t) if a is not None and z is not None]  # type: ignore[arg-type]
        return divide(sum(a for a, _ in pasangan), sum(z for _, z in pasangan),
                      "Jumlah target 0: rasio jumlah tidak dapat dihitung", 100.0)
    isi = [x for x in c if x is not None]  # type: ignore[union-attr]
    return divide(sum(isi), len(isi), "Tidak ada capaian untuk dirata-ratakan")


def kunci_kelompok(x: Any) -> str:
    """A group's code or name as :func:`capaian_rata_kelompok` compares it (case and surrounding spaces ignored)."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return "" if x is None else str(x).strip().casefold()  # Excel's AVERAGEIF and MATCH ignore case


def _label(c: Any, s: Any, uji: Any, ya: str, tidak: str) -> str | NilaiGalat:
    a, b = required_number(c, "Capaian kosong"), (None if s is None else as_number(s))
    if isinstance(a, NilaiGalat):
        return a
    if isinstance(b, NilaiGalat):
        return b
    hasil = uji(a, b)
    return hasil if isinstance(hasil, NilaiGalat) else (ya if hasil else tidak)


def efektif(capaian: Any) -> str | NilaiGalat | list[str | NilaiGalat]:
    """Label BPKP: "Efektif" bila capaian ≥ 100 %, selain itu "Tidak Efektif"; kosong → #N/A."""
    return per_cell(lambda c: _label(c, None, lambda a, _: a >= 100, "Efektif", "Tidak Efektif"), capaian)


def efisien(capaian: Any, serapan: Any) -> str | NilaiGalat | list[str | NilaiGalat]:
    """Label BPKP: "Efisien" bila capaian > serapan anggaran (%), selain itu "Tidak Efisien"; kosong → #N/A."""
    def uji(a: float, b: float | None) -> bool | NilaiGalat:
        return NilaiGalat(TIDAK_ADA, "Serapan kosong") if b is None else a > b

    return per_cell(lambda c, s: _label(c, s, uji, "Efisien", "Tidak Efisien"), capaian, serapan)


def _rasio_satu(c: Any, s: Any) -> Hasil:
    a, b = required_number(c, "Capaian kosong"), required_number(s, "Serapan kosong")
    if isinstance(a, NilaiGalat):
        return a
    if isinstance(b, NilaiGalat):
        return b
    return divide(a - b, a, "Capaian 0: rasio efisiensi tidak dapat dihitung", 100.0)


def rasio_efisiensi(capaian: Any, serapan: Any) -> Hasil | list[Hasil]:
    """Rasio efisiensi (%) = (capaian − serapan) / capaian × 100 (reviu BPKP).

    Contoh: capaian 110, serapan 88 → 20 %. Capaian 0 → #DIV/0!; kosong → #N/A.
    """
    return per_cell(_rasio_satu, capaian, serapan)
