"""P3DN: use of domestic products in procurement, per akun (DOMAIN.md R12).

Rows start with the 15 akun terpilih; other akun may be added and are left
out of the capaian (KINERJA.P3DN ignores them).
"""

from __future__ import annotations

from udfs import AKUN_TERPILIH
from workbooks.checks import Rollup
from workbooks.forms._cols import HELP_AKUN, RE_AKUN, col, derived, fld, pct, rule, signature
from workbooks.model import Jenis, Layout, Table, Total

_RP = "Realisasi (Rp)"

AKUN = Table(
    key="akun",
    title="",
    columns=(
        col("c1_no", 1, "No", "", jenis=Jenis.CACAH, width=5),
        col("c2_akun", 2, "Akun", "", jenis=Jenis.KODE, pattern=RE_AKUN, required=True, width=9, help=HELP_AKUN),
        col("c3_uraian", 3, "Uraian Akun", "", width=30),
        col("c4_pagu_rp", 4, "Pagu (Rp)", "", jenis=Jenis.RP, lo=0.0, width=16),
        col("c5_realisasi_pdn_rp", 5, _RP, "PDN", jenis=Jenis.RP, lo=0.0, width=16),
        col("c6_realisasi_tkdn_rp", 6, _RP, "TKDN", jenis=Jenis.RP, lo=0.0, width=16),
        col("c7_realisasi_impor_rp", 7, _RP, "Impor", jenis=Jenis.RP, lo=0.0, width=16),
        col("c8_realisasi_p3dn_rp", 8, _RP, "P3DN (PDN + TKDN)", jenis=Jenis.RP, width=16,
            **derived("jumlah", "c5_realisasi_pdn_rp", "c6_realisasi_tkdn_rp")),
        pct("c9_p3dn_pct", 9, "Capaian P3DN (%)", "", lo=None, hi=None,
            **derived("p3dn", "c8_realisasi_p3dn_rp", "c4_pagu_rp", "c2_akun", doc="R12: RA/TotA akun terpilih")),
    ),
    total=Total(
        "Jumlah",
        {
            **{k: rule("sum", k) for k in ("c4_pagu_rp", "c5_realisasi_pdn_rp", "c6_realisasi_tkdn_rp",
                                           "c7_realisasi_impor_rp", "c8_realisasi_p3dn_rp")},
            "c9_p3dn_pct": rule("p3dn", "c8_realisasi_p3dn_rp", "c4_pagu_rp", "c2_akun",
                                doc="R12: jumlah realisasi / jumlah pagu akun terpilih"),
        },
        label_key="c3_uraian",
    ),
    rows=15,
    row_key=("c2_akun",),
    isian=("c4_pagu_rp", "c5_realisasi_pdn_rp", "c6_realisasi_tkdn_rp", "c7_realisasi_impor_rp"),
    prefill=tuple({"c1_no": i + 1, "c2_akun": a} for i, a in enumerate(AKUN_TERPILIH)),
)

P3DN = Layout(
    form="p3dn",
    nama="P3DN — Penggunaan Produk Dalam Negeri per Akun",
    sheet="P3DN",
    title=("PENINGKATAN PENGGUNAAN PRODUK DALAM NEGERI (P3DN)", "{satker_nama} TRIWULAN {triwulan_romawi} "
           "TAHUN ANGGARAN {tahun}"),
    fields=(fld("sumber_data", "Sumber data", help="intranew / SAKTI / OM SPAN / catatan satker"),),
    tables=(AKUN,),
    signature=signature(),
    rollup=Rollup(
        "p3dn", rows=AKUN,
        fields={"pagu": AKUN.c4_pagu_rp, "pdn": AKUN.c5_realisasi_pdn_rp, "tkdn": AKUN.c6_realisasi_tkdn_rp,
                "realisasi": AKUN.c8_realisasi_p3dn_rp},
        only=(AKUN.c2_akun, AKUN_TERPILIH),
    ),
    opsional_dalam_paket=True,  # the package carries P3DN every quarter; a satker may report it separately
    keterangan=(
        "Lima belas akun terpilih sudah tercantum. Isi pagu dan realisasi PDN, TKDN dan impor (Rp) s.d. "
        "triwulan ini. Capaian P3DN = (PDN + TKDN) / pagu akun terpilih."
    ),
)
