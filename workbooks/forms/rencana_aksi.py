"""Rencana Aksi of the Perjanjian Kinerja: target antara and rencana kegiatan per triwulan.

Seed: 003 Tabel 4 (003:L283-325).
"""

from __future__ import annotations

from workbooks.checks import RisesTo100
from workbooks.forms._cols import col, fld, pct, signature
from workbooks.model import Jenis, Layout, Table

_RA = "Rencana Aksi"
_TW = ("I", "II", "III", "IV")

INDIKATOR = Table(
    key="indikator",
    title="",
    columns=(
        col("c1_no", 1, "No.", "", "", jenis=Jenis.CACAH, width=5),
        col("c2_sasaran", 2, "Sasaran Kegiatan", "", "", required=True, width=26),
        col("c3_indikator", 3, "Indikator Kinerja", "", "", required=True, width=30),
        col("c4_target", 4, "Target", "", "Nilai", jenis=Jenis.ANGKA, required=True, width=9),
        col("c4_satuan", 4, "Target", "", "Satuan", required=True, width=10),
        *[
            c
            for i, tw in enumerate(_TW)
            for c in (
                pct(f"c{5 + 2 * i}_tw{i + 1}_target_antara_pct", 5 + 2 * i, _RA, f"Triwulan {tw}",
                    "Target Antara (%)"),
                col(f"c{6 + 2 * i}_tw{i + 1}_rencana_kegiatan", 6 + 2 * i, _RA, f"Triwulan {tw}",
                    "Rencana Kegiatan", width=30),
            )
        ],
    ),
    rows=10,
    row_key=("c3_indikator",),
)

RENCANA_AKSI = Layout(
    form="rencana-aksi",
    nama="Rencana Aksi Perjanjian Kinerja",
    sheet="RENCANA AKSI",
    title=("RENCANA AKSI PERJANJIAN KINERJA", "TAHUN {tahun}"),
    fields=(fld("unit_organisasi", "Unit Organisasi", required=True),),
    tables=(INDIKATOR,),
    signature=signature(),
    identitas=("unit_organisasi",),
    tahunan=True,
    checks=(RisesTo100("V12", steps=tuple(k for k in INDIKATOR.keys if k.endswith("_target_antara_pct")),
                       plans=tuple(k for k in INDIKATOR.keys if k.endswith("_rencana_kegiatan")),
                       label=INDIKATOR.c3_indikator),),
    keterangan=(
        "Satu baris per indikator Perjanjian Kinerja. Target antara adalah kemajuan kumulatif (%): tidak "
        "boleh turun dari triwulan ke triwulan dan 100 pada Triwulan IV."
    ),
)
