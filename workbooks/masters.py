"""Reference lists used by dropdowns and checks (provinces, programs, methods)."""

from __future__ import annotations

PROVINSI: tuple[str, ...] = (
    "ACEH", "SUMATERA UTARA", "SUMATERA BARAT", "RIAU", "JAMBI", "SUMATERA SELATAN", "BENGKULU", "LAMPUNG",
    "KEPULAUAN BANGKA BELITUNG", "KEPULAUAN RIAU", "DKI JAKARTA", "JAWA BARAT", "JAWA TENGAH", "DI YOGYAKARTA",
    "JAWA TIMUR", "BANTEN", "BALI", "NUSA TENGGARA BARAT", "NUSA TENGGARA TIMUR", "KALIMANTAN BARAT",
    "KALIMANTAN TENGAH", "KALIMANTAN SELATAN", "KALIMANTAN TIMUR", "KALIMANTAN UTARA", "SULAWESI UTARA",
    "SULAWESI TENGAH", "SULAWESI SELATAN", "SULAWESI TENGGARA", "GORONTALO", "SULAWESI BARAT", "MALUKU",
    "MALUKU UTARA", "PAPUA", "PAPUA BARAT", "PAPUA SELATAN", "PAPUA TENGAH", "PAPUA PEGUNUNGAN",
    "PAPUA BARAT DAYA",
)

# Program codes seen in the seeds (DOMAIN.md §1); the list is data, extend as needed.
PROGRAM: dict[str, str] = {
    "DL": "Program Pendidikan dan Pelatihan Vokasi",
    "EC": "Program Nilai Tambah dan Daya Saing Industri",
    "WA": "Program Dukungan Manajemen",
}

# Choices whose cells show words while kinerja computes with a code: (code, what the dropdown shows).
# Declared once here; the builder writes the words, formulas and the reader turn them back into codes.
OPSI: dict[str, tuple[tuple[str, str], ...]] = {
    "polaritas": (
        ("maksimal", "Maksimal — makin tinggi makin baik"),
        ("minimal", "Minimal — makin rendah makin baik (2T − R)"),
        ("minimal-tr", "Minimal T/R — makin rendah makin baik (T / R)"),
        ("stabil", "Stabil — makin dekat ke target makin baik"),
        ("rentang", "Rentang — baik bila di dalam rentang target"),
    ),
    "metode_ikm": (
        ("permenpanrb-14-2017", "PermenPANRB 14/2017 — 9 unsur"),
        ("kepmenpan-25-2004", "Kepmenpan 25/2004 — 14 unsur"),
        ("umum", "Umum — kuesioner sendiri, N butir skala 1–4"),
    ),
    # how four quarters make a year / how the Renstra years make the period (udfs.sakip, DOMAIN §10)
    "basis_tahunan": (
        ("tren-positif", "Tren positif — jumlah realisasi triwulan ÷ target"),
        ("nilai-akhir", "Nilai akhir — realisasi triwulan terakhir ÷ target"),
        ("tren-negatif", "Tren negatif — (target − jumlah realisasi) ÷ target"),
    ),
    # how the capaian of several indicators is aggregated (udfs.sakip.capaian_agregat)
    "agregat": (
        ("rata-rata-persentase", "Rata-rata persentase — rata-rata capaian (%) indikator"),
        ("rasio-jumlah", "Rasio jumlah — jumlah realisasi ÷ jumlah target"),
    ),
    # the same choice for the serapan anggaran of several indicators (Perjanjian Kinerja)
    "agregat_serapan": (
        ("rata-rata-persentase", "Rata-rata persentase — rata-rata serapan (%) indikator"),
        ("rasio-jumlah", "Rasio jumlah — jumlah realisasi anggaran ÷ jumlah pagu"),
    ),
    "basis_jangka": (
        ("jumlah", "Jumlah — kumulatif semua tahun"),
        ("rata-rata", "Rata-rata — rata-rata tahunan"),
        ("nilai-akhir", "Nilai akhir — tahun terakhir"),
    ),
}
POLARITAS: tuple[str, ...] = tuple(k for k, _ in OPSI["polaritas"])
METODE_IKM: tuple[str, ...] = tuple(k for k, _ in OPSI["metode_ikm"])

# Dropdown lists by name (Column.pilihan / Field.pilihan).
LISTS: dict[str, tuple[str, ...]] = {
    "provinsi": PROVINSI,
    "program": tuple(f"04.07.{k}. {v}" for k, v in PROGRAM.items()),
    "program_b": tuple(f"{k}. {v}" for k, v in PROGRAM.items()),
    **{name: tuple(label for _, label in opsi) for name, opsi in OPSI.items()},
}


def _key(text: str) -> str:
    return " ".join(text.replace("—", " ").replace("–", " ").split()).casefold()


_KODE = {name: {_key(label): kode for kode, label in opsi} | {_key(k): k for k, _ in opsi}
         for name, opsi in OPSI.items()}


def kode_pilihan(pilihan: str | None, value: object) -> object:
    """The code behind a dropdown's words ("Maksimal — makin tinggi makin baik" → "maksimal");
    codes and anything unknown come back unchanged."""
    if not pilihan or pilihan not in _KODE or not isinstance(value, str):
        return value
    return _KODE[pilihan].get(_key(value), value)


def pilihan_sah(pilihan: str | None, value: object) -> bool:
    """Whether a cell of a dropdown column holds one of its choices (the words, the code, or, for polarities,
    a name the capaian function accepts); empty cells and lists without declared choices pass."""
    if not pilihan or pilihan not in _KODE or value is None or (isinstance(value, str) and not value.strip()):
        return True
    if not isinstance(value, str):
        return False
    if _key(value) in _KODE[pilihan]:
        return True
    if pilihan == "polaritas":
        from udfs.capaian import nama_polaritas

        try:
            nama_polaritas(value)
        except ValueError:
            return False
        return True
    return False


def label_pilihan(pilihan: str | None, value: object) -> object:
    """The words a dropdown shows for a code; anything else unchanged."""
    if not pilihan or pilihan not in OPSI or not isinstance(value, str):
        return value
    kode = kode_pilihan(pilihan, value)
    return next((label for k, label in OPSI[pilihan] if k == kode), value)

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
