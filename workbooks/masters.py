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

POLARITAS: tuple[str, ...] = ("maksimal", "minimal", "minimal-tr", "stabil", "rentang")
METODE_IKM: tuple[str, ...] = ("permenpanrb-14-2017", "kepmenpan-25-2004")

# Dropdown lists by name (Column.pilihan / Field.pilihan).
LISTS: dict[str, tuple[str, ...]] = {
    "provinsi": PROVINSI,
    "program": tuple(f"04.07.{k}. {v}" for k, v in PROGRAM.items()),
    "program_b": tuple(f"{k}. {v}" for k, v in PROGRAM.items()),
    "polaritas": POLARITAS,
    "metode_ikm": METODE_IKM,
}

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
