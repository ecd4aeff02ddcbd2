"""FORM Pengukuran Rencana Aksi: the quarterly measurement (10 numbered columns).

Seed: 003:L1373-1411 (Tabel 5 at L329-360 is the same layout). kinerja adds the
indicator's polaritas (11) and a derived Capaian (12), computed by KINERJA.CAPAIAN.

How four quarters make a year (issue 12 item 2): each indicator declares its annual basis (13) with
the Perjanjian Kinerja's dropdown (masters ``basis_tahunan``: tren positif / nilai akhir / tren
negatif). A Pengukuran holds one value per indicator, the realisasi *s.d.* this triwulan (5), so its
Capaian Tahunan (14) is ``KINERJA.CAPAIAN_TAHUNAN(target, realisasi, basis)`` over that one value:
tren positif and nilai akhir give realisasi ÷ target, tren negatif (target − realisasi) ÷ target. In
the TW IV Pengukuran that is the year's capaian. Where quarters are reported as separate values
(not cumulative), the year is computed in the Perjanjian Kinerja from its Realisasi TW I–IV columns
with the same basis (``c14_capaian_tahunan_pct``); rule V35 ties the PK's realisasi to the TW IV
Pengukuran.
"""

from __future__ import annotations

from workbooks.checks import ProgressAgrees, RealisasiWithoutTarget, Rollup
from workbooks.forms._cols import col, derived, fld, pct, signature
from workbooks.model import Jenis, Layout, Table

_TW = "Triwulan {triwulan_romawi}"

INDIKATOR = Table(
    key="indikator",
    title="",
    columns=(
        col("c1_no", 1, "No", "", "", jenis=Jenis.CACAH, width=5),
        col("c2_sasaran_strategis", 2, "Sasaran Strategis", "", "", required=True, width=24),
        col("c3_indikator_kinerja", 3, "Indikator Kinerja", "", "", required=True, width=28),
        col("c4_target", 4, "Target", "", "Nilai", jenis=Jenis.ANGKA, required=True, width=9),
        col("c4_satuan", 4, "Target", "", "Satuan", required=True, width=10),
        col("c5_realisasi", 5, "Realisasi", "", "", jenis=Jenis.ANGKA, width=10,
            help="Nilai indikator s.d. triwulan ini"),
        pct("c6_target_antara_pct", 6, _TW, "Target", "Target Antara (%)"),
        col("c7_rencana_kegiatan", 7, _TW, "Target", "Rencana Kegiatan", width=30),
        pct("c8_realisasi_antara_pct", 8, _TW, "Realisasi", "Realisasi Antara (%)"),
        col("c9_realisasi_kegiatan", 9, _TW, "Realisasi", "Realisasi Kegiatan", width=30),
        col("c10_kendala", 10, "Kendala/Permasalahan", "", "", width=26),
        col("c11_polaritas", 11, "Polaritas", "", "", pilihan="polaritas", width=16),
        col("c12_capaian_pct", 12, "Capaian (%)", "", "", jenis=Jenis.PERSEN, width=10,
            **derived("capaian", "c4_target", "c5_realisasi", "c11_polaritas", doc="R7: capaian kinerja")),
        col("c13_basis", 13, "Basis Capaian Tahunan", "", "", pilihan="basis_tahunan", width=16,
            help="tren positif (nilai s.d. triwulan ini), nilai akhir (nilai triwulan terakhir) atau tren negatif"),
        col("c14_capaian_tahunan_pct", 14, "Capaian Tahunan (%)", "", "", jenis=Jenis.PERSEN, width=10,
            **derived("capaian_tahunan", "c4_target", "c5_realisasi", "c13_basis",
                      doc="capaian tahunan s.d. triwulan ini menurut basis")),
    ),
    rows=10,
    row_key=("c3_indikator_kinerja",),
)

PENGUKURAN = Layout(
    form="pengukuran-rencana-aksi",
    nama="FORM Pengukuran Rencana Aksi",
    sheet="PENGUKURAN",
    title=("TABEL REALISASI RENCANA AKSI", "SAMPAI TRIWULAN {triwulan_romawi} TA. {tahun}"),
    fields=(fld("unit_organisasi", "Unit Organisasi", required=True),),
    tables=(INDIKATOR,),
    signature=signature(),
    identitas=("unit_organisasi",),
    checks=(ProgressAgrees("V13", target=INDIKATOR.c4_target, realisasi=INDIKATOR.c5_realisasi,
                           target_antara=INDIKATOR.c6_target_antara_pct,
                           realisasi_antara=INDIKATOR.c8_realisasi_antara_pct, polaritas=INDIKATOR.c11_polaritas,
                           satuan=INDIKATOR.c4_satuan, label=INDIKATOR.c3_indikator_kinerja),
            RealisasiWithoutTarget("V32", target=INDIKATOR.c4_target, realisasi=INDIKATOR.c5_realisasi,
                                   label=INDIKATOR.c3_indikator_kinerja)),
    rollup=Rollup(
        "indikator", rows=INDIKATOR,
        fields={"sasaran": INDIKATOR.c2_sasaran_strategis, "indikator": INDIKATOR.c3_indikator_kinerja,
                "satuan": INDIKATOR.c4_satuan, "target": INDIKATOR.c4_target, "realisasi": INDIKATOR.c5_realisasi,
                "polaritas": INDIKATOR.c11_polaritas},
    ),
    keterangan=(
        "Salin sasaran, indikator, target dan target antara dari Rencana Aksi; isi realisasi nilai indikator, "
        "realisasi antara (%) dan realisasi kegiatan (awali dengan kode bulan, mis. B05). Capaian dihitung "
        "otomatis dari target dan realisasi sesuai polaritas."
    ),
)
