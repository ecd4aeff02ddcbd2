"""FORM B, Laporan Konsolidasi Kegiatan per Program, filed by the Eselon I.

Seed: 000:L881-917 (BPSDMI, FORM B-DL and B-WA, TW II 2023).
"""

from __future__ import annotations

from workbooks.checks import MatchesDipa, Rollup
from workbooks.forms._cols import HELP_KEGIATAN, RE_KEGIATAN, RE_PROGRAM_B, col, derived, fld, pct, rule, signature
from workbooks.model import Jenis, Layout, Table, Total

_ANG = "Anggaran (Rp. 000)"
_OUT = "Indikator Kinerja Keluaran (Output)"
_WEIGHTED = ("c6_penyerapan_S_pct", "c7_penyerapan_R_pct", "c10_output_S_pct", "c11_output_R_pct")

KEGIATAN = Table(
    key="kegiatan",
    title="",
    columns=(
        col("c1_kode_kegiatan", 1, "Nomor Kode dan Nama Kegiatan", "", jenis=Jenis.KODE, pattern=RE_KEGIATAN,
            required=True, width=7, help=HELP_KEGIATAN),
        col("c1_nama_kegiatan", 1, "Nomor Kode dan Nama Kegiatan", "", required=True, width=30),
        col("c2_no_loan", 2, _ANG, "No. Loan", width=8),
        col("c3_phln_rp000", 3, _ANG, "PHLN", jenis=Jenis.RP000, lo=0.0, width=10),
        col("c4_rm_rp000", 4, _ANG, "RM", jenis=Jenis.RP000, lo=0.0, required=True, width=14),
        col("c5_total_rp000", 5, _ANG, "Total", jenis=Jenis.RP000, width=14,
            **derived("jumlah", "c3_phln_rp000", "c4_rm_rp000", doc="PHLN + RM")),
        pct("c6_penyerapan_S_pct", 6, "Penyerapan (%)", "S", required=True),
        pct("c7_penyerapan_R_pct", 7, "Penyerapan (%)", "R", required=True),
        col("c8_output_narasi", 8, _OUT, "Narasi", width=30),
        col("c9_output_satuan", 9, _OUT, "Satuan (Unit)", width=22),
        pct("c10_output_S_pct", 10, _OUT, "S (%)", required=True, kelompok="fisik"),
        pct("c11_output_R_pct", 11, _OUT, "R (%)", required=True, kelompok="fisik"),
        col("c12_lokasi", 12, "Lokasi", "", width=30),
    ),
    total=Total(
        "Jumlah",
        {
            **{k: rule("sum", k) for k in ("c3_phln_rp000", "c4_rm_rp000", "c5_total_rp000")},
            **{k: rule("tertimbang", k, "c5_total_rp000", doc="R3: rata-rata tertimbang pagu") for k in _WEIGHTED},
        },
        label_key="c1_nama_kegiatan",
    ),
    rows=6,
    row_key=("c1_kode_kegiatan",),
)

FORM_B = Layout(
    form="form-b",
    nama="FORM B — Laporan Konsolidasi Kegiatan per Program",
    sheet="FORM B",
    title=("FORMULIR B", "LAPORAN KONSOLIDASI KEGIATAN PER PROGRAM",
           "TRIWULAN {triwulan_romawi} TAHUN ANGGARAN {tahun}"),
    fields=(
        fld("unit_organisasi", "Unit Organisasi", required=True),
        fld("nomor_dipa", "Nomor Surat Pengesahan DIPA", required=True),
        fld("program", "Nomor Kode dan Nama Program", pattern=RE_PROGRAM_B, required=True, pilihan="program_b",
            help="contoh: DL. Program Pendidikan dan Pelatihan Vokasi"),
        fld("indikator_hasil", "Indikator Hasil"),
    ),
    tables=(KEGIATAN,),
    signature=signature(),
    identitas=("unit_organisasi", "program"),
    checks=(MatchesDipa("V15", "nomor_dipa"),),
    rollup=Rollup(
        "output", rows=KEGIATAN,
        fields={"kegiatan": KEGIATAN.c1_kode_kegiatan, "kegiatan_nama": KEGIATAN.c1_nama_kegiatan,
                "nama": KEGIATAN.c8_output_narasi, "satuan": KEGIATAN.c9_output_satuan, "lokasi": KEGIATAN.c12_lokasi,
                "phln": KEGIATAN.c3_phln_rp000, "rupiah": KEGIATAN.c4_rm_rp000, "pagu": KEGIATAN.c5_total_rp000,
                "keu_s": KEGIATAN.c6_penyerapan_S_pct, "keu_r": KEGIATAN.c7_penyerapan_R_pct,
                "fis_s": KEGIATAN.c10_output_S_pct, "fis_r": KEGIATAN.c11_output_R_pct},
        from_fields={"program": "program", "dipa": "nomor_dipa"},
    ),
    keterangan=(
        "Satu lembar per program, diisi Eselon I dari FORM A seluruh satker (atau dibuat otomatis oleh "
        "`kinerja konsolidasi`). Pagu dalam Rp ribu; penyerapan dan output dalam persen s.d. triwulan ini; "
        "baris Jumlah = rata-rata tertimbang pagu."
    ),
)
