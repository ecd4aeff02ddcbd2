"""FORM A, Laporan Pelaksanaan Kegiatan (PP 39/2006), one per satker per kegiatan.

Seed: 003:L1260-1371 (BSPJI Manado, TW II 2023, kegiatan 6077 and 6042).
"""

from __future__ import annotations

from workbooks.checks import (
    CarriedOver, FieldEquals, FromComponents, MatchesDipa, RequiredWhenBelow, Rollup, SameInAllRows, SumOf, WeightedOf,
)
from workbooks.forms._cols import (
    HELP_KRO, RE_DIPA, RE_KEGIATAN_A, RE_KRO, RE_PROGRAM_A, RE_UNIT_A, col, derived, fld, pct, rule, signature,
)
from workbooks.forms.alki import KOMPONEN
from workbooks.model import Jenis, Layout, Table, Total

_ANG = "Anggaran (Rp. 000)"
_LALU, _INI, _SD = "S.D. Triwulan Lalu (%)", "Triwulan Ini (%)", "S.D. Triwulan Ini (%)"
_KEU, _FIS = "Keuangan", "Fisik"

ANGGARAN = Table(
    key="anggaran",
    title="II. DATA KEUANGAN DAN INDIKATOR KELUARAN PER OUTPUT KEGIATAN",
    columns=(
        col("c1_output_kode", 1, "Nomor Kode dan Nama Output", "", jenis=Jenis.KODE, pattern=RE_KRO,
            required=True, width=7, help=HELP_KRO),
        col("c1_output_nama", 1, "Nomor Kode dan Nama Output", "", required=True, width=28),
        col("c2_no_loan", 2, _ANG, "No. Loan", width=9),
        col("c3_phln_rp000", 3, _ANG, "PHLN", jenis=Jenis.RP000, lo=0.0, width=11),
        col("c4_rupiah_rp000", 4, _ANG, "Rupiah", jenis=Jenis.RP000, lo=0.0, required=True, width=13, span=2,
            help="Rupiah Murni + PNBP, dalam ribuan rupiah"),
        col("c5_total_rp000", 5, _ANG, "Total", jenis=Jenis.RP000, width=13, span=2,
            **derived("jumlah", "c3_phln_rp000", "c4_rupiah_rp000", doc="PHLN + Rupiah")),
        col("c6_indikator_keluaran", 6, "Indikator Keluaran (Output)", "", required=True, width=34, span=5),
        col("c7_satuan", 7, "Satuan (Unit)", "", required=True, width=14, span=2, help="Volume dan satuan, contoh: 30 Orang"),
    ),
    total=Total("Total", {k: rule("sum", k) for k in ("c3_phln_rp000", "c4_rupiah_rp000", "c5_total_rp000")},
                label_key="c1_output_nama"),
    rows=6,
    row_key=("c1_output_kode",),
)


def _r1(n: int, key: str, ind: str, *h: str):
    return pct(key, n, *h, **derived("kumulatif", f"c{n - 8}_lalu_{ind}", f"c{n - 4}_ini_{ind}",
                                      doc="R1: s.d. triwulan lalu + triwulan ini"))


_SR = ("keu_S", "keu_R", "fis_S", "fis_R")
_PCT_KEYS = [f"c{n}_{p}_{m}" for p, base in (("lalu", 2), ("ini", 6), ("sd", 10)) for n, m in zip(range(base, base + 4), _SR)]

REALISASI = Table(
    key="realisasi",
    title="III. TARGET DAN REALISASI PELAKSANAAN PER OUTPUT",
    columns=(
        col("c1_output_kode", 1, "Output", "", "", jenis=Jenis.KODE, width=7,
            **derived("salin", "anggaran.c1_output_kode", doc="kode output dari bagian II")),
        col("c1_output_nama", 1, "Output", "", "", width=26,
            **derived("salin", "anggaran.c1_output_nama", doc="nama output dari bagian II")),
        pct("c2_lalu_keu_S", 2, _LALU, _KEU, "S", help="= S.D. Triwulan Ini pada laporan triwulan lalu"),
        pct("c3_lalu_keu_R", 3, _LALU, _KEU, "R"),
        pct("c4_lalu_fis_S", 4, _LALU, _FIS, "S", kelompok="fisik"),
        pct("c5_lalu_fis_R", 5, _LALU, _FIS, "R", kelompok="fisik"),
        pct("c6_ini_keu_S", 6, _INI, _KEU, "S", required=True),
        pct("c7_ini_keu_R", 7, _INI, _KEU, "R", required=True),
        pct("c8_ini_fis_S", 8, _INI, _FIS, "S", required=True, kelompok="fisik"),
        pct("c9_ini_fis_R", 9, _INI, _FIS, "R", required=True, kelompok="fisik"),
        _r1(10, "c10_sd_keu_S", "keu_S", _SD, _KEU, "S"),
        _r1(11, "c11_sd_keu_R", "keu_R", _SD, _KEU, "R"),
        _r1(12, "c12_sd_fis_S", "fis_S", _SD, _FIS, "S"),
        _r1(13, "c13_sd_fis_R", "fis_R", _SD, _FIS, "R"),
        col("c14_lokasi", 14, "Lokasi Kegiatan", "", "", pilihan="provinsi", required=True, width=17),
    ),
    total=Total(
        "Jumlah",
        {k: rule("kontribusi", k, "anggaran.c5_total_rp000", "@pagu_satker_rp000",
                 doc="R2: kontribusi terhadap pagu satker") for k in _PCT_KEYS},
        label_key="c1_output_nama",
    ),
    rows=6,
    row_key=("c1_output_kode",),
)

KENDALA = Table(
    key="kendala",
    title="IV. KENDALA DAN LANGKAH TINDAK LANJUT YANG DIPERLUKAN",
    columns=(
        col("c1_no", 1, "No", jenis=Jenis.CACAH, width=7),
        col("c2_output", 2, "Output", width=28),
        col("c3_kendala", 3, "Kendala", width=40, span=5),
        col("c4_tindak_lanjut", 4, "Tindak Lanjut yang Diperlukan", width=40, span=5),
        col("c5_pihak", 5, "Pihak yang Diharapkan Dapat Membantu Penyelesaian Masalah", width=30, span=3),
    ),
    rows=5,
    wajib=False,
)

FORM_A = Layout(
    form="form-a",
    nama="FORM A — Laporan Pelaksanaan Kegiatan",
    sheet="FORM A",
    title=("FORMULIR A", "LAPORAN PELAKSANAAN KEGIATAN", "TRIWULAN {triwulan_romawi} TAHUN ANGGARAN {tahun}",
           "{satker_nama}"),
    fields=(
        fld("unit_organisasi", "Nomor Kode dan Nama Unit Organisasi", "1.", pattern=RE_UNIT_A, required=True,
            help="(kode satker 6 digit) NAMA SATKER"),
        fld("fungsi", "Nomor Kode dan Nama Fungsi", "2.", required=True, kelompok="fungsi", help="contoh: 04. Ekonomi"),
        fld("sub_fungsi", "Nomor Kode dan Nama Sub Fungsi", "3.", required=True, kelompok="fungsi"),
        fld("program", "Nomor Kode dan Nama Program", "4.", pattern=RE_PROGRAM_A, required=True,
            pilihan="program", help="contoh: 04.07.EC. Program Nilai Tambah dan Daya Saing Industri"),
        fld("indikator_hasil", "Indikator Hasil", "5."),
        fld("kegiatan", "Nomor Kode dan Nama Kegiatan", "6.", pattern=RE_KEGIATAN_A, required=True,
            help="contoh: 6077 - Pengembangan dan Penyelenggaraan Jasa Industri"),
        fld("jangka_waktu", "Jangka Waktu Pelaksanaan Kegiatan/Tahun Ke", "7."),
        fld("penanggung_jawab", "Penanggung Jawab Kegiatan", "8.", required=True),
        fld("tempat_kedudukan", "Tempat Kedudukan Penanggung Jawab Kegiatan", "9."),
        fld("nomor_dipa", "Nomor Surat Pengesahan DIPA", "10.", pattern=RE_DIPA, required=True,
            help="contoh: SP DIPA-019.07.2.247246/2023"),
        fld("pagu_satker_rp000", "Pagu DIPA Satker (Rp. 000)", jenis=Jenis.RP000, required=True, lo=1.0,
            help="Seluruh pagu DIPA satker; penyebut baris Jumlah bagian III (kontribusi terhadap pagu satker)"),
    ),
    tables=(ANGGARAN, REALISASI, KENDALA),
    signature=signature(),
    per_kegiatan=True,
    identitas=("unit_organisasi", "kegiatan"),
    checks=(
        SameInAllRows("V14", REALISASI.c8_ini_fis_S, REALISASI.c9_ini_fis_R),
        MatchesDipa("V15", "nomor_dipa", unit_field="unit_organisasi"),
        FieldEquals("V26", "ttd_nama", "penanggung_jawab"),
        RequiredWhenBelow("V06k", pairs=((REALISASI.c10_sd_keu_S, REALISASI.c11_sd_keu_R),
                                         (REALISASI.c12_sd_fis_S, REALISASI.c13_sd_fis_R)),
                          names=(REALISASI.c1_output_kode, ANGGARAN.c1_output_nama), named_in=KENDALA.c2_output,
                          at=REALISASI.c11_sd_keu_R),
        FromComponents("alki", group=(KOMPONEN.c2_kegiatan, KOMPONEN.c3_kro), match=ANGGARAN.c1_output_kode,
                       weight=KOMPONEN.c7_pagu_rp, checks=(
                           SumOf("V17", KOMPONEN.c7_pagu_rp, ANGGARAN.c5_total_rp000, at=ANGGARAN.c4_rupiah_rp000,
                                 scale=1000.0),
                           WeightedOf("V18", KOMPONEN.c11_realisasi_fisik_pct, REALISASI.c13_sd_fis_R),
                           WeightedOf("V18b", KOMPONEN.c9_realisasi_keuangan_pct, REALISASI.c11_sd_keu_R))),
        CarriedOver("V19", REALISASI),
    ),
    rollup=Rollup(
        "output", rows=ANGGARAN,
        fields={"nama": ANGGARAN.c1_output_nama, "satuan": ANGGARAN.c7_satuan, "lokasi": REALISASI.c14_lokasi,
                "phln": ANGGARAN.c3_phln_rp000, "rupiah": ANGGARAN.c4_rupiah_rp000, "pagu": ANGGARAN.c5_total_rp000,
                "keu_s": REALISASI.c10_sd_keu_S, "keu_r": REALISASI.c11_sd_keu_R, "fis_s": REALISASI.c12_sd_fis_S,
                "fis_r": REALISASI.c13_sd_fis_R},
        from_fields={"program": "program", "kegiatan": "kegiatan", "dipa": "nomor_dipa"},
    ),
    keterangan=(
        "Satu lembar per kegiatan per triwulan. Isi bagian I dari DIPA, bagian II pagu per output (Rp ribu), "
        "bagian III persentase triwulan ini (S = sasaran/rencana, R = realisasi) dan s.d. triwulan lalu; "
        "kolom S.D. Triwulan Ini dan baris Jumlah terhitung otomatis. Bagian IV wajib untuk output yang "
        "realisasinya di bawah sasaran."
    ),
)
