"""Perjanjian Kinerja with capaian (canonical layout, DOMAIN.md §3.6).

Seeds: 000 Tabel 2.1 (000:L210-242) and 003 Tabel 1 (003:L167-184).
"""

from __future__ import annotations

from workbooks.checks import RealisasiWithoutTarget, Rollup
from workbooks.forms._cols import col, derived, fld, pct, signature
from workbooks.model import Jenis, Layout, Table

INDIKATOR = Table(
    key="indikator",
    title="",
    columns=(
        col("c1_kode", 1, "No / Kode", jenis=Jenis.KODE, required=True, width=8),
        col("c2_sasaran", 2, "Sasaran", required=True, width=30),
        col("c3_indikator", 3, "Indikator Kinerja", required=True, width=36),
        col("c4_satuan", 4, "Satuan", required=True, width=12),
        col("c5_polaritas", 5, "Polaritas", pilihan="polaritas", width=16),
        col("c6_target", 6, "Target", jenis=Jenis.ANGKA, required=True, width=10),
        col("c7_realisasi", 7, "Realisasi", jenis=Jenis.ANGKA, width=10),
        col("c8_capaian_pct", 8, "Capaian (%)", jenis=Jenis.PERSEN, width=10,
            **derived("capaian", "c6_target", "c7_realisasi", "c5_polaritas", doc="R7: capaian kinerja")),
        # the year from its quarters (DOMAIN §10): basis, realisasi per triwulan, capaian tahunan
        col("c9_basis", 9, "Basis Capaian Tahunan", pilihan="basis_tahunan", width=16,
            help="tren positif (jumlah triwulan), nilai akhir (triwulan terakhir) atau tren negatif"),
        *[col(f"c{10 + i}_realisasi_tw{i + 1}", 10 + i, f"Realisasi TW {tw}", jenis=Jenis.ANGKA, width=9)
          for i, tw in enumerate(("I", "II", "III", "IV"))],
        col("c14_capaian_tahunan_pct", 14, "Capaian Tahunan (%)", jenis=Jenis.PERSEN, width=10,
            **derived("capaian_tahunan", "c6_target", "c10_realisasi_tw1:c13_realisasi_tw4", "c9_basis",
                      doc="capaian tahunan dari realisasi triwulan menurut basis")),
        # efficiency in the style of BPKP reviews (DOMAIN §10, R10)
        pct("c15_serapan_pct", 15, "Serapan Anggaran (%)", width=10),
        col("c16_efektif", 16, "Efektif", width=12, **derived("efektif", "c8_capaian_pct", doc="capaian ≥ 100")),
        col("c17_efisien", 17, "Efisien", width=12,
            **derived("efisien", "c8_capaian_pct", "c15_serapan_pct", doc="capaian > serapan")),
        col("c18_rasio_efisiensi_pct", 18, "Rasio Efisiensi (%)", jenis=Jenis.PERSEN, width=10,
            **derived("rasio_efisiensi", "c8_capaian_pct", "c15_serapan_pct", doc="(capaian − serapan) / capaian")),
    ),
    rows=12,
    row_key=("c1_kode", "c3_indikator"),
)

PERJANJIAN_KINERJA = Layout(
    form="perjanjian-kinerja",
    nama="Perjanjian Kinerja dan Capaian",
    sheet="PERJANJIAN KINERJA",
    title=("PERJANJIAN KINERJA TAHUN {tahun}", "{satker_nama}"),
    fields=(
        fld("unit_organisasi", "Unit Organisasi", required=True),
        fld("total_anggaran_rp", "Total Anggaran (Rp)", jenis=Jenis.RP, lo=0.0),
        # reports differ in how the unit's overall capaian is formed: the choice is declared (DOMAIN §10)
        fld("agregat", "Cara Capaian Agregat", pilihan="agregat",
            help="rata-rata persentase (rata-rata capaian indikator) atau rasio jumlah (jumlah realisasi ÷ "
                 "jumlah target, untuk indikator bersatuan sama)"),
        fld("capaian_agregat_pct", "Capaian Agregat (%)", jenis=Jenis.PERSEN,
            **derived("capaian_agregat", "indikator.c8_capaian_pct", "indikator.c7_realisasi", "indikator.c6_target",
                      "@agregat", doc="R9 rata-rata persentase atau R11 rasio jumlah, menurut pilihan")),
    ),
    tables=(INDIKATOR,),
    signature=signature(),
    identitas=("unit_organisasi",),
    tahunan=True,
    checks=(RealisasiWithoutTarget("V32", target=INDIKATOR.c6_target, realisasi=INDIKATOR.c7_realisasi,
                                   label=INDIKATOR.c3_indikator),),
    rollup=Rollup(
        "indikator", rows=INDIKATOR,
        fields={"sasaran": INDIKATOR.c2_sasaran, "indikator": INDIKATOR.c3_indikator, "satuan": INDIKATOR.c4_satuan,
                "target": INDIKATOR.c6_target, "realisasi": INDIKATOR.c7_realisasi,
                "polaritas": INDIKATOR.c5_polaritas},
    ),
    keterangan=(
        "Satu baris per indikator: kode sasaran (SP1, SS3, …), sasaran, indikator, satuan, polaritas "
        "(maksimal/minimal/stabil), target dan realisasi. Capaian (%) dihitung otomatis; jangan diketik."
    ),
)
