"""PP 39/2006 deadlines: working days after the quarter ends, Indonesian public holidays excluded.

Public holidays come from ``holidays.Indonesia``. Cuti bersama (collective
leave, decided yearly by SKB) are configurable: extra dates, and/or the SKB
dates the ``holidays`` package knows (its "government" category).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays

# Working days after the quarter ends (PP 39/2006 annex "Periodesasi dan Mekanisme", DOMAIN.md §2.2):
# FORM A from the penanggung jawab kegiatan, FORM B from the penanggung jawab program.
HARI_KERJA = {"form-a": 5, "form-b": 10}


def quarter_end(tahun: int, triwulan: int) -> dt.date:
    month = 3 * triwulan
    return dt.date(tahun, month, 30 if month in (6, 9) else 31)


class Kalender:
    """Working days: Monday–Friday, not a public holiday, not a cuti bersama day."""

    def __init__(self, cuti_bersama: Iterable[dt.date] = (), cuti_bersama_skb: bool = False):
        self.cuti_bersama = frozenset(cuti_bersama)
        self.cuti_bersama_skb = cuti_bersama_skb
        self._libur: dict[int, holidays.HolidayBase] = {}

    def libur(self, d: dt.date) -> bool:
        if d.year not in self._libur:
            cats = ("public", "government") if self.cuti_bersama_skb else ("public",)
            self._libur[d.year] = holidays.Indonesia(years=d.year, categories=cats)
        return d in self._libur[d.year] or d in self.cuti_bersama

    @property
    def keterangan(self) -> str:
        """What is not a working day, for the Status Pengiriman sheet."""
        extra = []
        if self.cuti_bersama_skb:
            extra.append("cuti bersama SKB")
        if self.cuti_bersama:
            extra.append(f"{len(self.cuti_bersama)} hari cuti bersama tambahan")
        return "Sabtu, Minggu, libur nasional" + "".join(f", {x}" for x in extra)

    def hari_kerja(self, d: dt.date) -> bool:
        return d.weekday() < 5 and not self.libur(d)

    def deadline(self, form: str, tahun: int, triwulan: int) -> dt.date:
        """The last day a ``form`` for the quarter is on time (the n-th working day after its end)."""
        d, left = quarter_end(tahun, triwulan), HARI_KERJA.get(form, HARI_KERJA["form-a"])
        while left:
            d += dt.timedelta(days=1)
            if self.hari_kerja(d):
                left -= 1
        return d

    def hari_ke(self, tahun: int, triwulan: int, when: dt.date) -> int:
        """Which working day after the quarter end ``when`` is (0 = on or before the quarter end)."""
        d, n = quarter_end(tahun, triwulan), 0
        while d < when:
            d += dt.timedelta(days=1)
            if self.hari_kerja(d):
                n += 1
        return n


def deadline(form: str, tahun: int, triwulan: int, cuti_bersama: Iterable[dt.date] = ()) -> dt.date:
    return Kalender(cuti_bersama).deadline(form, tahun, triwulan)


def working_days_after(tahun: int, triwulan: int, when: dt.date, cuti_bersama: Iterable[dt.date] = ()) -> int:
    return Kalender(cuti_bersama).hari_ke(tahun, triwulan, when)
