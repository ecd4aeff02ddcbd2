"""The hidden metadata sheet that identifies a kinerja workbook, even renamed.

It is a two-column key/value list. ``lembar`` rows map each form sheet to its
form id (and kegiatan), so a satker's package is read like single-form files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

META_SHEET = "_kinerja"
ROLLUP_FORM = "konsolidasi"  # the form id a rollup workbook carries
TAHUN_MIN, TAHUN_MAX = 2000, 2100
_SHEET_PREFIX = "lembar:"
_RE_SATKER = re.compile(r"\d{6}")
_RE_ESELON1 = re.compile(r"[A-Za-z0-9 .()&-]{1,40}")


class MetaTidakSah(ValueError):
    """A metadata value is not valid data (message in Bahasa Indonesia, without the file name)."""


@dataclass(frozen=True)
class SheetInfo:
    sheet: str
    form: str
    kegiatan: str = ""


@dataclass(frozen=True)
class Meta:
    form: str  # "form-a", … or "paket-triwulan"
    versi: str
    satker: str = ""
    satker_nama: str = ""
    eselon1: str = ""
    tahun: int | None = None
    triwulan: int | None = None
    kegiatan: tuple[str, ...] = ()
    dibuat: str = ""  # ISO time the template was made
    waktu_kirim: str = ""  # ISO time stamped by "Siapkan Kiriman"
    status_validasi: str = ""
    sheets: tuple[SheetInfo, ...] = field(default=())

    def with_(self, **kw: object) -> Meta:
        return replace(self, **kw)

    def rows(self) -> list[tuple[str, str]]:
        out = [
            ("aplikasi", "kinerja"),
            ("form", self.form),
            ("versi_layout", self.versi),
            ("satker", self.satker),
            ("satker_nama", self.satker_nama),
            ("eselon1", self.eselon1),
            ("tahun", "" if self.tahun is None else str(self.tahun)),
            ("triwulan", "" if self.triwulan is None else str(self.triwulan)),
            ("kegiatan", ",".join(self.kegiatan)),
            ("dibuat", self.dibuat),
            ("waktu_kirim", self.waktu_kirim),
            ("status_validasi", self.status_validasi),
        ]
        out += [(f"{_SHEET_PREFIX}{s.sheet}", f"{s.form}|{s.kegiatan}") for s in self.sheets]
        return out

    @classmethod
    def from_rows(cls, rows: list[list[object]]) -> Meta | None:
        kv: dict[str, str] = {}
        sheets: list[SheetInfo] = []
        for row in rows:
            if len(row) < 2 or row[0] in (None, ""):
                continue
            k, v = str(row[0]).strip(), "" if row[1] is None else str(row[1]).strip()
            if k.startswith(_SHEET_PREFIX):
                form, _, keg = v.partition("|")
                sheets.append(SheetInfo(k[len(_SHEET_PREFIX):], form, keg))
            else:
                kv[k] = v
        if kv.get("aplikasi") != "kinerja" or not kv.get("form"):
            return None

        satker, eselon1 = kv.get("satker", ""), kv.get("eselon1", "")
        if satker and not _RE_SATKER.fullmatch(satker):
            raise MetaTidakSah(f"kode satker pada metadata ({satker[:40]!r}) bukan 6 digit")
        if eselon1 and not _RE_ESELON1.fullmatch(eselon1):
            raise MetaTidakSah(f"kode Eselon I pada metadata ({eselon1[:40]!r}) memuat karakter yang tidak sah")
        return cls(
            form=kv["form"],
            versi=kv.get("versi_layout", ""),
            satker=satker,
            satker_nama=kv.get("satker_nama", ""),
            eselon1=eselon1,
            tahun=_whole(kv.get("tahun", ""), "tahun", TAHUN_MIN, TAHUN_MAX),
            triwulan=_whole(kv.get("triwulan", ""), "triwulan", 1, 4),
            kegiatan=tuple(k for k in kv.get("kegiatan", "").split(",") if k),
            dibuat=kv.get("dibuat", ""),
            waktu_kirim=kv.get("waktu_kirim", ""),
            status_validasi=kv.get("status_validasi", ""),
            sheets=tuple(sheets),
        )


def _whole(text: str, what: str, lo: int, hi: int) -> int | None:
    """A whole number in [lo, hi] from a metadata value; None when empty; :class:`MetaTidakSah` otherwise."""
    if not text:
        return None
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x) or not x.is_integer() or not lo <= x <= hi:
        raise MetaTidakSah(f"{what} pada metadata ({text[:40]!r}) tidak sah; yang sah bilangan bulat {lo}–{hi}")
    return int(x)
