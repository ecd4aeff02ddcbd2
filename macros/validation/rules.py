"""The rule catalogue: stable ids, severities and short Indonesian titles (DOMAIN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from macros.plan import Severity

G, P = Severity.GALAT, Severity.PERINGATAN


@dataclass(frozen=True)
class Aturan:
    id: str
    severity: Severity
    judul: str


ATURAN: dict[str, Aturan] = {a.id: a for a in (
    Aturan("V00", G, "Form belum diisi"),
    Aturan("V01", G, "Sel angka berisi teks atau galat Excel"),
    Aturan("V03", P, "Angka diketik sebagai teks atau pemisah ribuan/desimal meragukan"),
    Aturan("V04", G, "Nilai di luar rentang yang sah"),
    Aturan("V05", G, "Format kode salah"),
    Aturan("V05b", P, "Isi salinan berbeda dengan sumbernya"),
    Aturan("V06", G, "Isian wajib kosong"),
    Aturan("V06b", G, "Baris Jumlah/Total kosong"),
    Aturan("V06k", P, "Kendala belum diisi untuk output yang realisasinya di bawah sasaran"),
    Aturan("V07", G, "Total tidak sama dengan jumlah baris"),
    Aturan("V08", G, "Jumlah FORM A tidak sama dengan kontribusi terhadap pagu satker"),
    Aturan("V09", G, "Jumlah FORM B tidak sama dengan rata-rata tertimbang pagu"),
    Aturan("V10", G, "S.d. triwulan ini tidak sama dengan s.d. triwulan lalu + triwulan ini"),
    Aturan("V10b", G, "Nilai kumulatif turun dibanding triwulan lalu"),
    Aturan("V11", G, "Capaian diketik tidak sama dengan hasil hitung"),
    Aturan("V11b", P, "Capaian diketik hanya cocok bila dipotong, bukan dibulatkan"),
    Aturan("V12", G, "Target antara tidak naik bertahap sampai 100 pada Triwulan IV"),
    Aturan("V13", P, "Realisasi antara tidak sejalan dengan nilai indikator"),
    Aturan("V14", P, "Fisik S sama dengan R di semua baris (target mungkin diisi belakangan)"),
    Aturan("V15", G, "Nomor DIPA tidak cocok dengan tahun atau satker laporan"),
    Aturan("V16", G, "Periode laporan tidak cocok"),
    Aturan("V17", G, "Pagu ALKI per output tidak sama dengan pagu FORM A bagian II"),
    Aturan("V18", G, "Realisasi fisik output tidak sama dengan rata-rata tertimbang komponen ALKI"),
    Aturan("V18b", P, "Realisasi keuangan output tidak sama dengan rata-rata tertimbang komponen ALKI"),
    Aturan("V19", G, "S.d. triwulan lalu tidak sama dengan s.d. triwulan ini laporan triwulan sebelumnya"),
    Aturan("V22", G, "Kode ganda"),
    Aturan("V24", G, "Nilai P3DN tidak sama dengan hasil hitung"),
    Aturan("V25", G, "Indeks Kepuasan Masyarakat tidak sama dengan hasil hitung"),
    Aturan("V26", P, "Nama penanda tangan berbeda dengan penanggung jawab kegiatan"),
    Aturan("V27", G, "Kode satker isian Unit Organisasi berbeda dengan kode satker berkas"),
    Aturan("V28", G, "Rumus sel terhitung diganti atau nilai tersimpannya tidak sesuai rumus"),
    Aturan("V29", G, "Angka tidak wajar (tak hingga atau melampaui batas satuannya)"),
    Aturan("V30", G, "Baris tabel berpasangan tidak sebaris (output tanpa pasangan)"),
    Aturan("V31", G, "Data diketik di bawah baris Jumlah/Total"),
)}


def angka(x: object) -> str:
    """A number the Indonesian way (1.234.567,89); other values as text."""
    if isinstance(x, bool) or x is None:
        return "kosong" if x is None else str(x)
    if isinstance(x, (int, float)):
        if isinstance(x, float) and x.is_integer() and abs(x) >= 1000:
            x = int(x)
        return format_decimal(x, format="#,##0.##" if isinstance(x, float) else "#,##0", locale="id_ID")
    return f"'{x}'"
