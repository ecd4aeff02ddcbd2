"""Clean, internally consistent synthetic submissions: the demo's extra satkers, the tests and benchmarks."""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workbooks.builder import SheetValues, Typed, build_workbook
from workbooks.compute import derive
from workbooks.forms import PENGUKURAN, SKM
from workbooks.forms.alki import KOMPONEN
from workbooks.forms.form_a import ANGGARAN, KENDALA, REALISASI
from workbooks.forms.p3dn import AKUN
from workbooks.meta import Meta
from workbooks.reader import read_workbook

KRO = ("AEF", "BAD", "QDI", "EBA", "EBC", "EBD")
_CUMULATIVE = [c.rule.args for c in REALISASI.columns if c.rule and c.rule.fn == "kumulatif"]
_LALU = tuple(args[0] for args in _CUMULATIVE)  # keu S, keu R, fis S, fis R: s.d. triwulan lalu
_INI = tuple(args[1] for args in _CUMULATIVE)  # and triwulan ini


@dataclass
class Output:
    kode: str
    pagu: int  # Rp 000
    lalu: tuple[float, float, float, float]  # keu S, keu R, fis S, fis R
    ini: tuple[float, float, float, float]


@dataclass
class Paket:
    satker: str = "247246"
    tahun: int = 2023
    triwulan: int = 2
    kegiatan: dict[str, list[Output]] = field(default_factory=lambda: {
        "6077": [Output("AEF", 48488, (10.0, 10.0, 12.0, 12.5), (20.5, 21.0, 19.5, 20.0)),
                 Output("BAD", 548888, (17.95, 18.63, 18.89, 19.0), (8.56, 9.01, 8.96, 9.0))],
        "6042": [Output("EBA", 10725706, (17.27, 17.5, 19.06, 19.2), (29.36, 29.4, 28.94, 29.0))],
    })
    penanggung_jawab: str = "Ir. Henry Pajow, M.Si"
    nama: str = "Balai Contoh"
    eselon1: str = "BSKJI"
    program: dict[str, str] = field(default_factory=lambda: {
        "6077": "04.07.EC. Program Nilai Tambah dan Daya Saing Industri",
        "6042": "04.07.WA. Program Dukungan Manajemen"})
    lokasi: str = "SULAWESI UTARA"
    waktu_kirim: str = ""
    skm: list[list[int]] = field(default_factory=list)  # respondents × 9 unsur
    p3dn: list[tuple[str, int, int, int]] = field(default_factory=list)  # akun, pagu, PDN, TKDN (Rp)

    @property
    def pagu_satker(self) -> int:
        return sum(o.pagu for outs in self.kegiatan.values() for o in outs)


def sheet_values(p: Paket) -> tuple[Meta, dict[str, SheetValues]]:
    meta = Meta(form="paket-triwulan", versi="", satker=p.satker, satker_nama=p.nama, eselon1=p.eselon1,
                tahun=p.tahun, triwulan=p.triwulan, kegiatan=tuple(p.kegiatan), dibuat="2023-07-05T08:00:00",
                waktu_kirim=p.waktu_kirim)
    out: dict[str, SheetValues] = {}
    komponen = []
    for keg, outs in p.kegiatan.items():
        fields = {
            "unit_organisasi": f"({p.satker}) BALAI CONTOH", "fungsi": "04. Ekonomi",
            "sub_fungsi": "04.07. Industri Dan Konstruksi",
            "program": p.program.get(keg, "04.07.EC. Program Nilai Tambah dan Daya Saing Industri"),
            "kegiatan": f"{keg} - Kegiatan Contoh", "jangka_waktu": "1/1", "penanggung_jawab": p.penanggung_jawab,
            "tempat_kedudukan": "Jl. Contoh No. 1", "nomor_dipa": f"SP DIPA-019.07.2.{p.satker}/{p.tahun}",
            "pagu_satker_rp000": p.pagu_satker, "ttd_tempat_tanggal": "Manado, 30 Juni 2023",
            "ttd_jabatan": "Kepala Balai", "ttd_nama": p.penanggung_jawab,
        }
        A, R, K = ANGGARAN, REALISASI, KENDALA
        ang = [{A.c1_output_kode: o.kode, A.c1_output_nama: f"Output {o.kode}", A.c3_phln_rp000: "-",
                A.c4_rupiah_rp000: o.pagu, A.c6_indikator_keluaran: f"Jumlah layanan {o.kode}",
                A.c7_satuan: "10 Layanan"} for o in outs]
        rea = [{**dict(zip(_LALU, o.lalu)), **dict(zip(_INI, o.ini)), R.c14_lokasi: p.lokasi} for o in outs]
        ken = [{K.c1_no: n + 1, K.c2_output: f"Output {o.kode}", K.c3_kendala: "Pengadaan belum selesai",
                K.c4_tindak_lanjut: "Percepatan pengadaan"} for n, o in enumerate(outs)]
        out[f"FORM A {keg}"] = SheetValues(fields=fields, tables={"anggaran": ang, "realisasi": rea, "kendala": ken})
        for o in outs:
            sd = [a + b for a, b in zip(o.lalu, o.ini)]
            half = o.pagu * 1000 // 2
            for n, pagu in enumerate((half, o.pagu * 1000 - half)):
                C = KOMPONEN
                komponen.append({C.c1_no: len(komponen) + 1, C.c2_kegiatan: keg, C.c3_kro: o.kode, C.c4_ro: "002",
                                 C.c5_komponen: f"{n + 1:03d}", C.c6_uraian: f"Komponen {o.kode} {n + 1}",
                                 C.c7_pagu_rp: pagu, C.c8_target_keuangan_pct: sd[0],
                                 C.c9_realisasi_keuangan_pct: sd[1], C.c10_target_fisik_pct: sd[2],
                                 C.c11_realisasi_fisik_pct: sd[3]})
    out["ALKI"] = SheetValues(fields={"tanggal_posisi": dt.date(p.tahun, 3 * p.triwulan, 30 if p.triwulan in (2, 3) else 31),
                                      "ttd_nama": p.penanggung_jawab},
                              tables={"komponen": komponen})
    I = PENGUKURAN.indikator  # noqa: E741
    out["PENGUKURAN"] = SheetValues(
        fields={"unit_organisasi": "BALAI CONTOH"},
        tables={"indikator": [
            {I.c1_no: 1, I.c2_sasaran_strategis: "Meningkatnya layanan", I.c3_indikator_kinerja: "Nilai akuntabilitas",
             I.c4_target: 80, I.c4_satuan: "nilai", I.c5_realisasi: 85, I.c6_target_antara_pct: 50,
             I.c7_rencana_kegiatan: "Evaluasi", I.c8_realisasi_antara_pct: 50, I.c9_realisasi_kegiatan: "B04: evaluasi",
             I.c11_polaritas: "maksimal"},
            {I.c1_no: 2, I.c2_sasaran_strategis: "Meningkatnya layanan", I.c3_indikator_kinerja: "Jumlah layanan",
             I.c4_target: 750, I.c4_satuan: "SPK/Order", I.c5_realisasi: 426, I.c6_target_antara_pct: 50,
             I.c7_rencana_kegiatan: "Promosi", I.c8_realisasi_antara_pct: 56.8, I.c9_realisasi_kegiatan: "B05",
             I.c11_polaritas: "maksimal"},
        ]})
    if p.skm:
        J = SKM.jawaban
        keys = J.keys[1:10]  # the 9 unsur of PermenPANRB 14/2017
        out["SKM"] = SheetValues(fields={"metode": "permenpanrb-14-2017", "populasi": 254},
                                 tables={"jawaban": [{J.c1_responden: n + 1, **dict(zip(keys, row))}
                                                     for n, row in enumerate(p.skm)]})
    if p.p3dn:
        import udfs

        given = {a: (pagu, pdn, tkdn) for a, pagu, pdn, tkdn in p.p3dn}
        rows = []
        for n, a in enumerate(udfs.AKUN_TERPILIH):  # fill the prefilled rows of the 15 akun terpilih
            row: dict = {AKUN.c1_no: n + 1, AKUN.c2_akun: a}
            if a in given:
                row.update(zip((AKUN.c4_pagu_rp, AKUN.c5_realisasi_pdn_rp, AKUN.c6_realisasi_tkdn_rp), given[a]))
            rows.append(row)
        out["P3DN"] = SheetValues(tables={"akun": rows})
    return meta, out


def write(p: Paket, path: Path, typed_derived: bool = False, mutate=None) -> Path:
    """Write a paket; ``typed_derived`` stores derived values as numbers (as Excel saves them)."""
    meta, values = sheet_values(p)
    if mutate:
        mutate(values)
    wb, _ = build_workbook(meta, computed_values(meta, values) if typed_derived else values)
    wb.save(path)
    return path


def computed_values(meta: Meta, values: dict[str, SheetValues]) -> dict[str, SheetValues]:
    """``values`` plus every derived cell's computed value (what Excel would store)."""
    wb, _ = build_workbook(meta, values)
    with tempfile.TemporaryDirectory() as tmp:
        wb.save(Path(tmp) / "x.xlsx")
        data = read_workbook(Path(tmp) / "x.xlsx")
    full = copy.deepcopy(values)
    for sd in data.sheets:
        view, derived = derive(sd)
        sv = full.setdefault(sd.name, SheetValues())
        for d in derived:
            if d.value is None or isinstance(d.value, list):
                continue
            if d.table is None:
                sv.fields.setdefault(d.key, Typed(d.value))
            elif d.row is None:
                sv.totals.setdefault(d.table, {}).setdefault(d.key, Typed(d.value))
            else:
                rows = sv.tables.setdefault(d.table, [])
                while len(rows) <= d.row:
                    rows.append({})
                rows[d.row].setdefault(d.key, Typed(d.value))
    return full


