"""FORM ALKI: monitoring per komponen (pagu, keuangan and fisik, target and realisasi).

Seed: 003:L1413-1452 (31 komponen, posisi 30 Juni 2023). The seed has no code
columns; kinerja carries kegiatan, KRO, RO and komponen codes explicitly so
that komponen roll up to the FORM A outputs (R5).
"""

from __future__ import annotations

from workbooks.checks import SameInAllRows, WithinQuarter
from workbooks.forms._cols import (
    HELP_KEGIATAN, HELP_KOMPONEN, HELP_KRO, HELP_RO, RE_KEGIATAN, RE_KOMPONEN, RE_KRO, RE_RO, col, derived, fld, pct,
    rule, signature,
)
from workbooks.model import Jenis, Layout, Table, Total

_KEU, _FIS = "Keuangan (%)", "Fisik (%)"
_W = ("c8_target_keuangan_pct", "c9_realisasi_keuangan_pct", "c10_target_fisik_pct", "c11_realisasi_fisik_pct")

KOMPONEN = Table(
    key="komponen",
    title="",
    columns=(
        col("c1_no", 1, "No.", "", jenis=Jenis.CACAH, width=5),
        col("c2_kegiatan", 2, "Kode", "Kegiatan", jenis=Jenis.KODE, pattern=RE_KEGIATAN, required=True, width=8,
            help=HELP_KEGIATAN),
        col("c3_kro", 3, "Kode", "KRO", jenis=Jenis.KODE, pattern=RE_KRO, required=True, width=6, help=HELP_KRO),
        col("c4_ro", 4, "Kode", "RO", jenis=Jenis.KODE, pattern=RE_RO, required=True, width=6, help=HELP_RO),
        col("c5_komponen", 5, "Kode", "Komponen", jenis=Jenis.KODE, pattern=RE_KOMPONEN, width=9, help=HELP_KOMPONEN),
        col("c6_uraian", 6, "Kegiatan", "", required=True, width=40, help="Nama komponen/sub komponen"),
        col("c7_pagu_rp", 7, "Pagu (Rp)", "", jenis=Jenis.RP, lo=0.0, required=True, width=16),
        pct("c8_target_keuangan_pct", 8, _KEU, "Target", required=True),
        pct("c9_realisasi_keuangan_pct", 9, _KEU, "Realisasi", required=True),
        pct("c10_target_fisik_pct", 10, _FIS, "Target", required=True, kelompok="fisik"),
        pct("c11_realisasi_fisik_pct", 11, _FIS, "Realisasi", required=True, kelompok="fisik"),
    ),
    total=Total(
        "Jumlah",
        {"c7_pagu_rp": rule("sum", "c7_pagu_rp"),
         **{k: rule("tertimbang", k, "c7_pagu_rp", doc="rata-rata tertimbang pagu") for k in _W}},
        label_key="c6_uraian",
    ),
    rows=12,
    row_key=("c2_kegiatan", "c3_kro", "c4_ro", "c5_komponen", "c6_uraian"),
)

ALKI = Layout(
    form="alki",
    nama="FORM ALKI — Monitoring Pelaksanaan Kegiatan per Komponen",
    sheet="ALKI",
    title=("MONITORING PELAKSANAAN KEGIATAN", "{satker_nama} TA. {tahun}"),
    fields=(
        fld("tanggal_posisi", "Posisi per tanggal", jenis=Jenis.TANGGAL, required=True),
        fld("pagu_alki_rp", "Pagu anggaran pada ALKI (Rp)", jenis=Jenis.RP,
            **derived("sum", "komponen.c7_pagu_rp", doc="jumlah pagu komponen")),
    ),
    tables=(KOMPONEN,),
    signature=signature(),
    identitas=("tanggal_posisi",),
    checks=(
        SameInAllRows("V14", KOMPONEN.c10_target_fisik_pct, KOMPONEN.c11_realisasi_fisik_pct),
        WithinQuarter("V16", "tanggal_posisi"),
    ),
    keterangan=(
        "Satu baris per komponen: kode kegiatan, KRO, RO dan komponen, pagu dalam rupiah penuh, target dan "
        "realisasi keuangan dan fisik (%) s.d. tanggal posisi. Realisasi fisik per output di FORM A dihitung "
        "dari lembar ini (rata-rata tertimbang pagu)."
    ),
)
