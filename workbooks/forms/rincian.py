"""Rincian (detail) tables with subtotals and a Jumlah, as annual reports carry behind an indicator.

DOMAIN §10 "Detail (rincian) tables with totals": PNBP per layanan, customers per layanan, trainees per
skema, hasil layanan per jenis — each with subtotals and a Jumlah; a wrong Jumlah propagates into the
indicator. Here every detail row names its kelompok; the subtotal table lists the kelompok and each of
its figures is derived (SUMIF over the detail rows), and the Jumlah row under the details is derived too,
so no total is ever typed. Numeric columns are declared per preset: plain figures (summed), ratio
columns (Σ numerator ÷ Σ denominator on the total rows, R11), products (paket × orang) and growth
against last year (R10).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbooks.forms._cols import col, fld, rule, signature
from workbooks.model import Column, Jenis, Layout, Peran, Rule, Table, Total


@dataclass(frozen=True)
class Angka:
    """A typed figure: summed in the subtotals and the Jumlah."""

    key: str
    header: str
    jenis: Jenis = Jenis.ANGKA


@dataclass(frozen=True)
class Rasio:
    """``pembilang`` ÷ ``penyebut`` × 100 per row; Σ ÷ Σ on subtotal and Jumlah rows."""

    key: str
    header: str
    pembilang: str
    penyebut: str


@dataclass(frozen=True)
class Kali:
    """``a`` × ``b`` per row (paket × orang per paket); summed on the total rows."""

    key: str
    header: str
    a: str
    b: str
    jenis: Jenis = Jenis.CACAH


@dataclass(frozen=True)
class Tumbuh:
    """Growth (%) from ``lalu`` to ``ini`` per row; growth of the sums on the total rows."""

    key: str
    header: str
    lalu: str
    ini: str


Spec = Angka | Rasio | Kali | Tumbuh


def _row_rule(s: Spec) -> Rule | None:
    if isinstance(s, Rasio):
        return rule("serapan", s.pembilang, s.penyebut, doc=f"{s.header}: pembilang ÷ penyebut")
    if isinstance(s, Kali):
        return rule("kali", s.a, s.b, doc=f"{s.header}: perkalian")
    if isinstance(s, Tumbuh):
        return rule("pertumbuhan", s.lalu, s.ini, doc="R10: pertumbuhan")
    return None


def _total_rule(s: Spec) -> Rule:
    if isinstance(s, Rasio):
        return rule("rasio_jumlah", s.pembilang, s.penyebut, doc="R11: Σ pembilang ÷ Σ penyebut")
    if isinstance(s, Tumbuh):
        return rule("pertumbuhan_jumlah", s.lalu, s.ini, doc="R10 atas jumlah")
    return rule("sum", s.key, doc="jumlah kolom")


def _jenis(s: Spec) -> Jenis:
    return Jenis.PERSEN if isinstance(s, (Rasio, Tumbuh)) else s.jenis


def _column(s: Spec, number: int, row_rule: Rule | None) -> Column:
    extra = dict(peran=Peran.TURUNAN, rule=row_rule) if row_rule else {}
    return col(s.key, number, s.header, jenis=_jenis(s), width=16 if _jenis(s) is Jenis.RP else 12, **extra)


def rincian_layout(form: str, nama: str, sheet: str, judul: str, uraian: str, specs: tuple[Spec, ...],
                   keterangan: str) -> Layout:
    """A rincian layout: detail rows (kelompok, uraian, ``specs``) with a Jumlah, and a subtotal table."""
    detail = Table(
        key="rincian",
        title="",
        columns=(
            col("c1_kelompok", 1, "Kelompok", width=18, help="Nama kelompok; subtotal dihitung per kelompok"),
            col("c2_uraian", 2, uraian, required=True, width=30),
            *[_column(s, 3 + i, _row_rule(s)) for i, s in enumerate(specs)],
        ),
        total=Total("Jumlah", {s.key: _total_rule(s) for s in specs}, label_key="c2_uraian"),
        rows=15,
        row_key=("c1_kelompok", "c2_uraian"),
    )

    def sub_rule(s: Spec) -> Rule:
        if isinstance(s, (Rasio, Tumbuh)):
            return _row_rule(s)  # type: ignore[return-value]
        return rule("subtotal", "c1_kelompok", "rincian.c1_kelompok[]", f"rincian.{s.key}[]",
                    doc="subtotal kelompok: jumlah baris rincian kelompok ini")

    subtotal = Table(
        key="subtotal",
        title="SUBTOTAL PER KELOMPOK",
        columns=(
            col("c1_kelompok", 1, "Kelompok", width=18),
            col("c2_keterangan", 2, "Keterangan", width=30),
            *[_column(s, 3 + i, sub_rule(s)) for i, s in enumerate(specs)],
        ),
        rows=5,
        wajib=False,
        isian=("c1_kelompok",),
        row_key=("c1_kelompok",),
    )
    return Layout(
        form=form,
        nama=nama,
        sheet=sheet,
        title=(judul, "{satker_nama} TAHUN {tahun}"),
        fields=(fld("unit_organisasi", "Unit Organisasi", required=True), fld("indikator", "Indikator terkait")),
        tables=(detail, subtotal),
        signature=signature(),
        identitas=("unit_organisasi",),
        tahunan=True,
        keterangan=keterangan,
    )


RINCIAN = rincian_layout(
    "rincian", "Tabel Rincian dengan Subtotal dan Jumlah", "RINCIAN", "TABEL RINCIAN", "Uraian",
    (Angka("c3_target", "Target"), Angka("c4_realisasi", "Realisasi"),
     Rasio("c5_capaian_pct", "Capaian (%)", "c4_realisasi", "c3_target")),
    "Satu baris per rincian dengan nama kelompoknya. Baris Jumlah dan tabel subtotal per kelompok (tulis nama "
    "kelompok saja) dihitung otomatis; capaian = realisasi ÷ target.",
)

RINCIAN_PNBP = rincian_layout(
    "rincian-pnbp", "PNBP per Layanan", "PNBP", "PENERIMAAN NEGARA BUKAN PAJAK PER LAYANAN", "Layanan",
    (Angka("c3_target_rp", "Target (Rp)", Jenis.RP), Angka("c4_realisasi_rp", "Realisasi (Rp)", Jenis.RP),
     Rasio("c5_capaian_pct", "Capaian (%)", "c4_realisasi_rp", "c3_target_rp"),
     Angka("c6_realisasi_lalu_rp", "Realisasi Tahun Lalu (Rp)", Jenis.RP),
     Tumbuh("c7_pertumbuhan_pct", "Pertumbuhan (%)", "c6_realisasi_lalu_rp", "c4_realisasi_rp")),
    "Satu baris per layanan (kelompok: pengujian, kalibrasi, sertifikasi, …): target dan realisasi PNBP tahun ini "
    "dan realisasi tahun lalu. Capaian, pertumbuhan, subtotal per kelompok dan Jumlah dihitung otomatis.",
)
