"""Survei Kepuasan Masyarakat: answers 1–4 per respondent and unsur, Indeks Kepuasan Masyarakat.

Methods (DOMAIN.md R13, R14): PermenPANRB 14/2017 (9 unsur) or Kepmenpan
25/2004 (14 unsur). The sheet has 14 unsur columns; the first 9 are used
under PermenPANRB 14/2017.
"""

from __future__ import annotations

from workbooks.checks import Rollup
from workbooks.forms._cols import col, derived, fld, rule, signature
from workbooks.model import Jenis, Layout, Table, Total

N_UNSUR = 14
UNSUR_KEYS = tuple(f"u{i:02d}" for i in range(1, N_UNSUR + 1))

JAWABAN = Table(
    key="jawaban",
    title="",
    columns=(
        col("c1_responden", 1, "No. Responden", "", jenis=Jenis.CACAH, width=10),
        *[
            col(k, i + 2, "Nilai Unsur Pelayanan (1–4)", f"U{i + 1}", jenis=Jenis.CACAH, lo=1.0, hi=4.0, width=6)
            for i, k in enumerate(UNSUR_KEYS)
        ],
    ),
    total=Total("NRR per unsur", {k: rule("nrr", k, doc="nilai rata-rata unsur") for k in UNSUR_KEYS},
                label_key="c1_responden"),
    rows=30,
    isian=UNSUR_KEYS,
)

SKM = Layout(
    form="skm",
    nama="Survei Kepuasan Masyarakat (Indeks Kepuasan Masyarakat)",
    sheet="SKM",
    title=("SURVEI KEPUASAN MASYARAKAT", "{satker_nama} TAHUN {tahun}"),
    fields=(
        fld("metode", "Metode", pilihan="metode_ikm", required=True,
            help="permenpanrb-14-2017 (9 unsur), kepmenpan-25-2004 (14 unsur) atau umum (kuesioner sendiri, N butir)"),
        fld("jenis_layanan", "Jenis Layanan"),
        fld("populasi", "Jumlah pengguna layanan (populasi)", jenis=Jenis.CACAH, lo=0.0),
        fld("sampel_minimal", "Sampel minimal (Krejcie–Morgan)", jenis=Jenis.CACAH,
            **derived("ikm_sampel", "@populasi")),
        fld("ikm", "Indeks Kepuasan Masyarakat (1–4)", jenis=Jenis.ANGKA,
            **derived("ikm", "jawaban.u01:u14", "@metode", doc="rata-rata NRR unsur")),
        fld("ikm_konversi", "Indeks Kepuasan Masyarakat unit pelayanan (25–100)", jenis=Jenis.ANGKA,
            **derived("ikm_konversi", "@ikm")),
        fld("ikm_mutu", "Mutu pelayanan (kinerja unit)", **derived("ikm_mutu", "@ikm", "@metode")),
    ),
    tables=(JAWABAN,),
    signature=signature(),
    identitas=("metode",),
    rollup=Rollup("survei", rows=JAWABAN, fields={"jawaban": JAWABAN.keys[1:]}, from_fields={"metode": "metode"}),
    opsional_dalam_paket=True,  # the survey is not held every quarter
    keterangan=(
        "Satu baris per kuesioner, satu kolom per unsur (U1…U9 untuk PermenPANRB 14/2017, U1…U14 untuk "
        "Kepmenpan 25/2004), nilai 1 sampai 4. Indeks dan mutu pelayanan dihitung otomatis."
    ),
)
