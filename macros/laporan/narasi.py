"""The narrative of BAB III: one paragraph per indicator, written from the same figures as the tables.

The register follows the seeds' reports ("Indikator … ditargetkan 3 perusahaan dan
terealisasi 4 perusahaan, sehingga capaiannya 133,33 % (sangat baik)"). Every
number is an :class:`~macros.laporan.angka.Angka` printed with ``teks``, the same
text its table cell shows. Derived quantities that no table shows (differences
between years) are said in words, never as numbers.
"""

from __future__ import annotations

from macros.laporan.model import Indikator, Laporan, Sasaran
from macros.laporan.susun import ROMAWI


def _dengan_satuan(teks: str, satuan: str) -> str:
    return f"{teks} {satuan}".strip()


def _posisi(lap: Laporan) -> str:
    return f" s.d. Triwulan {ROMAWI[lap.triwulan]}" if lap.triwulan and lap.triwulan < 4 else ""


def _banding(a: float, b: float) -> str:
    if abs(a - b) < 0.005:
        return "sama dengan"
    return "lebih tinggi daripada" if a > b else "lebih rendah daripada"


def paragraf_indikator(x: Indikator, lap: Laporan) -> str:
    """The paragraph that explains one indicator."""
    pos = _posisi(lap)
    if x.target is None:
        kal = [f"Indikator “{x.nama}” belum memiliki target pada buku kerja tahun {lap.tahun}."]
    elif x.realisasi is None:
        kal = [f"Indikator “{x.nama}” ditargetkan {_dengan_satuan(x.target.teks, x.satuan)}; realisasinya{pos} "
               "belum tersedia, sehingga capaiannya belum dapat dihitung."]
    else:
        cap = (f"sehingga capaiannya {x.capaian.teks} %" + (f" ({x.predikat})" if x.predikat else "")
               if x.capaian is not None else "sehingga capaiannya belum dapat dihitung")
        kal = [f"Indikator “{x.nama}” ditargetkan {_dengan_satuan(x.target.teks, x.satuan)} dan terealisasi "
               f"{_dengan_satuan(x.realisasi.teks, x.satuan)}{pos}, {cap}."]
    for r in reversed(x.riwayat):
        if r.realisasi is None:
            continue
        s = f"Dibandingkan tahun {r.tahun}, realisasinya {_dengan_satuan(r.realisasi.teks, x.satuan)}"
        if r.capaian is not None:
            s += f" dengan capaian {r.capaian.teks} %"
            if x.capaian is not None:
                s += f"; capaian tahun ini {_banding(x.capaian.nilai, r.capaian.nilai)} tahun itu"
        kal.append(s + ".")
    r = x.renstra
    if r is not None and r.target_tahun is not None:
        s = f"Terhadap target Renstra tahun {lap.tahun} sebesar {_dengan_satuan(r.target_tahun.teks, x.satuan)}"
        s += f", capaiannya {r.capaian_tahun.teks} %." if r.capaian_tahun is not None else (
            ", capaiannya belum dapat dihitung.")
        kal.append(s)
    if r is not None and r.target_akhir is not None:
        akhir = f" ({r.akhir})" if r.akhir else ""
        s = f"Target akhir periode Renstra{akhir} {_dengan_satuan(r.target_akhir.teks, x.satuan)}"
        s += f" dengan capaian jangka menengah {r.capaian_akhir.teks} %." if r.capaian_akhir is not None else "."
        kal.append(s)
    return " ".join(kal)


def nama_sasaran(s: Sasaran) -> str:
    """"Sasaran SP3" with the Perjanjian Kinerja's kode (two sasaran may share a text), else "Sasaran"."""
    return f"Sasaran {s.kode}" if s.kode else "Sasaran"


def paragraf_sasaran(s: Sasaran) -> str:
    n = len(s.indikator)
    if s.capaian is None:
        return f"{nama_sasaran(s)} “{s.nama}” diukur dengan {n} indikator; capaiannya belum dapat dihitung."
    return f"{nama_sasaran(s)} “{s.nama}” diukur dengan {n} indikator, dengan rata-rata capaian {s.capaian.teks} %."
