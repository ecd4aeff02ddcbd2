"""Perjanjian Kinerja with capaian (canonical layout, DOMAIN.md §3.6).

Seeds: 000 Tabel 2.1 (000:L210-242) and 003 Tabel 1 (003:L167-184).
"""

from __future__ import annotations

from workbooks.checks import FieldIsTotal, RealisasiWithoutTarget, Rollup
from workbooks.forms._cols import col, derived, fld, signature
from workbooks.model import Jenis, Layout, Table

# the mean capaian of a sasaran (kode) or tujuan shows on the group's first row only, as the merged cell of the
# printed table does; the indicator name tells the rows apart (row_key)
_PERTAMA = ("c3_indikator[]", "c3_indikator")

INDIKATOR = Table(
    key="indikator",
    title="",
    columns=(
        col("c1_kode", 1, "No / Kode", jenis=Jenis.KODE, required=True, width=8,
            help="Kode sasaran (SP1, SS3, …), sama pada setiap indikator sasaran itu"),
        col("c2_sasaran", 2, "Sasaran", required=True, width=30),
        col("c3_indikator", 3, "Indikator Kinerja", required=True, width=36),
        col("c4_satuan", 4, "Satuan", required=True, width=12),
        col("c5_polaritas", 5, "Polaritas", pilihan="polaritas", width=16),
        col("c6_target", 6, "Target", jenis=Jenis.ANGKA, required=True, width=10),
        col("c7_realisasi", 7, "Realisasi", jenis=Jenis.ANGKA, width=10),
        col("c8_capaian_pct", 8, "Capaian (%)", jenis=Jenis.PERSEN, width=10,
            **derived("capaian", "c6_target", "c7_realisasi", "c5_polaritas", doc="R7: capaian kinerja")),
        # aggregate rows of the printed form as columns of the one table (DOMAIN §10, R9)
        col("c9_capaian_sasaran_pct", 9, "Rata-rata Capaian Sasaran (%)", jenis=Jenis.PERSEN, width=11,
            **derived("capaian_rata_kelompok", "c8_capaian_pct[]", "c1_kode[]", "c1_kode", *_PERTAMA,
                      doc="R9: rata-rata capaian indikator sasaran (kode) ini, di baris pertamanya")),
        col("c10_tujuan", 10, "Kode Tujuan", jenis=Jenis.KODE, width=8,
            help="Kode tujuan Renstra yang dilayani (T1, T2, …), pada setiap baris; boleh kosong"),
        col("c11_capaian_tujuan_pct", 11, "Rata-rata Capaian Tujuan (%)", jenis=Jenis.PERSEN, width=11,
            **derived("capaian_rata_kelompok", "c8_capaian_pct[]", "c10_tujuan[]", "c10_tujuan", *_PERTAMA,
                      doc="R9: rata-rata capaian indikator tujuan ini, di baris pertamanya")),
        # the year from its quarters (DOMAIN §10): basis, realisasi per triwulan, capaian tahunan
        col("c12_basis", 12, "Basis Capaian Tahunan", pilihan="basis_tahunan", width=16,
            help="tren positif (jumlah triwulan), nilai akhir (triwulan terakhir) atau tren negatif"),
        *[col(f"c{13 + i}_realisasi_tw{i + 1}", 13 + i, f"Realisasi TW {tw}", jenis=Jenis.ANGKA, width=9)
          for i, tw in enumerate(("I", "II", "III", "IV"))],
        col("c17_capaian_tahunan_pct", 17, "Capaian Tahunan (%)", jenis=Jenis.PERSEN, width=10,
            **derived("capaian_tahunan", "c6_target", "c13_realisasi_tw1:c16_realisasi_tw4", "c12_basis",
                      doc="capaian tahunan dari realisasi triwulan menurut basis")),
        # the indicator's budget and its serapan; efficiency in the style of BPKP reviews (DOMAIN §10, R10)
        col("c18_pagu_rp", 18, "Pagu Anggaran (Rp)", jenis=Jenis.RP, lo=0.0, width=15),
        col("c19_realisasi_anggaran_rp", 19, "Realisasi Anggaran (Rp)", jenis=Jenis.RP, lo=0.0, width=15),
        col("c20_serapan_pct", 20, "Serapan Anggaran (%)", jenis=Jenis.PERSEN, width=10,
            **derived("serapan", "c19_realisasi_anggaran_rp", "c18_pagu_rp", doc="R4: realisasi ÷ pagu anggaran")),
        col("c21_efektif", 21, "Efektif", width=12, **derived("efektif", "c8_capaian_pct", doc="capaian ≥ 100")),
        col("c22_efisien", 22, "Efisien", width=12,
            **derived("efisien", "c8_capaian_pct", "c20_serapan_pct", doc="capaian > serapan")),
        col("c23_rasio_efisiensi_pct", 23, "Rasio Efisiensi (%)", jenis=Jenis.PERSEN, width=10,
            **derived("rasio_efisiensi", "c8_capaian_pct", "c20_serapan_pct", doc="(capaian − serapan) / capaian")),
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
        # the same choice for serapan: the unit's serapan (Σ realisasi ÷ Σ pagu) or the mean of the indicators'
        fld("agregat_serapan", "Cara Serapan Agregat", pilihan="agregat_serapan",
            help="rasio jumlah (jumlah realisasi anggaran ÷ jumlah pagu: serapan satker) atau rata-rata persentase "
                 "(rata-rata serapan indikator)"),
        fld("serapan_agregat_pct", "Serapan Anggaran Agregat (%)", jenis=Jenis.PERSEN,
            **derived("capaian_agregat", "indikator.c20_serapan_pct", "indikator.c19_realisasi_anggaran_rp",
                      "indikator.c18_pagu_rp", "@agregat_serapan",
                      doc="R4 atas jumlah (rasio jumlah) atau rata-rata serapan indikator, menurut pilihan")),
    ),
    tables=(INDIKATOR,),
    signature=signature(),
    identitas=("unit_organisasi",),
    tahunan=True,
    checks=(RealisasiWithoutTarget("V32", target=INDIKATOR.c6_target, realisasi=INDIKATOR.c7_realisasi,
                                   label=INDIKATOR.c3_indikator),
            # the header's budget is the indicators' pagu together (a peringatan: the pagu are optional and feed
            # no rollup figure)
            FieldIsTotal("V37", "total_anggaran_rp", INDIKATOR.c18_pagu_rp)),
    rollup=Rollup(
        "indikator", rows=INDIKATOR,
        fields={"sasaran": INDIKATOR.c2_sasaran, "indikator": INDIKATOR.c3_indikator, "satuan": INDIKATOR.c4_satuan,
                "target": INDIKATOR.c6_target, "realisasi": INDIKATOR.c7_realisasi,
                "polaritas": INDIKATOR.c5_polaritas},
    ),
    keterangan=(
        "Satu baris per indikator: kode sasaran (SP1, SS3, …), sasaran, indikator, satuan, polaritas "
        "(maksimal/minimal/stabil), target dan realisasi; kode tujuan Renstra bila ada; pagu dan realisasi anggaran "
        "indikator bila ada. Capaian (%), rata-rata capaian per sasaran dan per tujuan (di baris pertama kelompoknya), "
        "serapan anggaran dan capaian/serapan agregat dihitung otomatis; jangan diketik."
    ),
)
