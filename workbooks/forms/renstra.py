"""Rencana Strategis (Renstra): multi-year targets, realisasi per year and capaian jangka menengah.

Seed: [004] Renstra BSKJI 2021–2024 (Perka BSKJI 280/2021), Tabel 2 tujuan / sasaran strategis /
indikator / target 2021–2024 (004:L686-709) and the kerangka pendanaan (004:L996-1001). The
medium-term bases (DOMAIN §10): each indicator declares how its years make the period — jumlah
(kumulatif Σ), rata-rata, or nilai akhir (tahun terakhir); target akhir, realisasi and capaian
jangka menengah are derived with that basis (udfs.sakip).
"""

from __future__ import annotations

from workbooks.checks import NoGap
from workbooks.forms._cols import col, derived, fld, rule, signature
from workbooks.model import Jenis, Layout, Table, Total

TAHUN = 5  # a Renstra runs 4 or 5 years; the fifth column stays empty for a 4-year plan
_TH = tuple(f"Tahun ke-{i}" for i in range(1, TAHUN + 1))
TARGET = tuple(f"c{8 + i}_target_th{i}" for i in range(1, TAHUN + 1))
REALISASI = tuple(f"c{13 + i}_realisasi_th{i}" for i in range(1, TAHUN + 1))
_T = f"{TARGET[0]}:{TARGET[-1]}"
_R = f"{REALISASI[0]}:{REALISASI[-1]}"

INDIKATOR = Table(
    key="indikator",
    title="",
    columns=(
        col("c1_kode", 1, "Kode", "", jenis=Jenis.KODE, width=7, help="T1 untuk tujuan, SS3 untuk sasaran strategis"),
        col("c2_tujuan", 2, "Tujuan", "", width=22),
        col("c3_sasaran", 3, "Sasaran Strategis", "", width=22),
        col("c4_indikator", 4, "Indikator Kinerja", "", required=True, width=32),
        col("c5_satuan", 5, "Satuan", "", required=True, width=10),
        col("c6_polaritas", 6, "Polaritas", "", pilihan="polaritas", width=14),
        col("c7_basis", 7, "Basis Capaian Jangka Menengah", "", pilihan="basis_jangka", width=16,
            help="jumlah (indikator kumulatif/cacah), rata-rata, atau nilai akhir (indeks, persentase)"),
        col("c8_baseline", 8, "Kondisi Awal (Baseline)", "", jenis=Jenis.ANGKA, width=10),
        *[col(k, 9 + i, "Target", _TH[i], jenis=Jenis.ANGKA, width=8) for i, k in enumerate(TARGET)],
        *[col(k, 14 + i, "Realisasi", _TH[i], jenis=Jenis.ANGKA, width=8) for i, k in enumerate(REALISASI)],
        col("c19_target_akhir", 19, "Capaian Jangka Menengah", "Target Akhir Periode", jenis=Jenis.ANGKA, width=10,
            **derived("target_jangka_menengah", _T, "c7_basis", doc="target akhir periode menurut basis")),
        col("c20_realisasi_akhir", 20, "Capaian Jangka Menengah", "Realisasi s.d. Tahun Terakhir",
            jenis=Jenis.ANGKA, width=11,
            **derived("realisasi_jangka_menengah", _R, "c7_basis", doc="realisasi s.d. tahun terakhir menurut basis")),
        col("c21_capaian_pct", 21, "Capaian Jangka Menengah", "Capaian (%)", jenis=Jenis.PERSEN, width=10,
            **derived("capaian", "c19_target_akhir", "c20_realisasi_akhir", "c6_polaritas",
                      doc="R7 atas target dan realisasi jangka menengah")),
    ),
    rows=12,
    row_key=("c1_kode", "c4_indikator"),
)

# Aggregate rows: the mean capaian of each sasaran's (or tujuan's) indicators (R9), never typed
SASARAN = Table(
    key="sasaran",
    title="RATA-RATA CAPAIAN PER SASARAN",
    columns=(
        col("c1_kode", 1, "Kode", jenis=Jenis.KODE, width=8, help="kode sasaran seperti pada kolom Kode di atas"),
        col("c2_capaian_rata_pct", 2, "Rata-rata Capaian Jangka Menengah (%)", jenis=Jenis.PERSEN, width=14,
            **derived("capaian_rata_kelompok", "indikator.c21_capaian_pct[]", "indikator.c1_kode[]", "c1_kode",
                      doc="R9: rata-rata capaian indikator dengan kode ini")),
    ),
    rows=6,
    wajib=False,
    isian=("c1_kode",),
    row_key=("c1_kode",),
)

PAGU = tuple(f"c{1 + i}_pagu_th{i}" for i in range(1, TAHUN + 1))
SERAP = tuple(f"c{6 + i}_realisasi_th{i}" for i in range(1, TAHUN + 1))
_MILIAR = "Target Pendanaan Renstra (Rp miliar)"
_REAL = "Realisasi Anggaran (Rp miliar)"

ANGGARAN = Table(
    key="anggaran",
    title="KERANGKA PENDANAAN",
    columns=(
        col("c1_uraian", 1, "Program / Kegiatan", "", required=True, width=32),
        *[col(k, 2 + i, _MILIAR, _TH[i], jenis=Jenis.ANGKA, lo=0.0, width=10) for i, k in enumerate(PAGU)],
        *[col(k, 7 + i, _REAL, _TH[i], jenis=Jenis.ANGKA, lo=0.0, width=10) for i, k in enumerate(SERAP)],
        col("c12_pagu_total", 12, "Jumlah Periode", "Target", jenis=Jenis.ANGKA, width=11,
            **derived("jumlah", *PAGU, doc="jumlah target pendanaan semua tahun")),
        col("c13_realisasi_total", 13, "Jumlah Periode", "Realisasi", jenis=Jenis.ANGKA, width=11,
            **derived("jumlah", *SERAP, doc="jumlah realisasi anggaran semua tahun")),
        col("c14_serapan_pct", 14, "Jumlah Periode", "Serapan (%)", jenis=Jenis.PERSEN, width=9,
            **derived("serapan", "c13_realisasi_total", "c12_pagu_total", doc="R4 atas jumlah periode")),
    ),
    total=Total("Total", {k: rule("sum", k, doc="jumlah kolom") for k in (*PAGU, *SERAP, "c12_pagu_total",
                                                                         "c13_realisasi_total")},
                label_key="c1_uraian"),
    rows=6,
    wajib=False,
    row_key=("c1_uraian",),
)

RENSTRA = Layout(
    form="renstra",
    nama="Rencana Strategis: Target Jangka Menengah dan Capaian",
    sheet="RENSTRA",
    title=("MATRIKS KINERJA DAN PENDANAAN RENCANA STRATEGIS", "{satker_nama}"),
    fields=(
        fld("unit_organisasi", "Unit Organisasi", required=True),
        # Tahun ke-1 … ke-5 are the period's years: without it no column has a year (laporan, V34, V36)
        fld("periode", "Periode Renstra", required=True, help="Contoh: 2021–2024 (Tahun ke-1 = 2021)"),
    ),
    tables=(INDIKATOR, SASARAN, ANGGARAN),
    signature=signature(),
    identitas=("unit_organisasi",),
    # a year left empty between filled ones drops out of the medium-term figures (V38)
    checks=(NoGap("V38", steps=tuple(getattr(INDIKATOR, k) for k in TARGET), label=INDIKATOR.c4_indikator),
            NoGap("V38", steps=tuple(getattr(INDIKATOR, k) for k in REALISASI), label=INDIKATOR.c4_indikator)),
    tahunan=True,  # filed once a year (the year's realisasi of the medium-term plan)
    keterangan=(
        "Satu baris per tujuan atau indikator sasaran: target per tahun (Tahun ke-1 = tahun pertama periode; "
        "kosongkan Tahun ke-5 untuk Renstra 4 tahun) dan realisasi tahun yang sudah dilaporkan. Basis capaian "
        "jangka menengah: jumlah (kumulatif), rata-rata, atau nilai akhir; target akhir, realisasi dan capaian "
        "dihitung otomatis. Kerangka pendanaan: target Renstra dan realisasi anggaran per tahun dengan Total."
    ),
)
