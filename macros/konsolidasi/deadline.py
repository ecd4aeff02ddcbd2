"""PP 39/2006 deadlines: working days after the quarter ends, Indonesian public holidays excluded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays

# Working days after the quarter ends (PP 39/2006 annex "Periodesasi dan Mekanisme").
HARI_KERJA = {"form-a": 5, "paket-triwulan": 5, "alki": 5, "pengukuran-rencana-aksi": 5, "p3dn": 5, "skm": 5,
              "form-b": 10}


def quarter_end(tahun: int, triwulan: int) -> dt.date:
    month = 3 * triwulan
    return dt.date(tahun, month, 30 if month in (6, 9) else 31)


def is_working_day(d: dt.date, libur: holidays.HolidayBase) -> bool:
    return d.weekday() < 5 and d not in libur


def deadline(form: str, tahun: int, triwulan: int, cuti_bersama: Iterable[dt.date] = ()) -> dt.date:
    """The last day a submission of ``form`` for the quarter is on time."""
    libur = holidays.Indonesia(years=(tahun, tahun + 1))
    for d in cuti_bersama:
        libur[d] = "Cuti bersama"
    d, left = quarter_end(tahun, triwulan), HARI_KERJA.get(form, 5)
    while left:
        d += dt.timedelta(days=1)
        if is_working_day(d, libur):
            left -= 1
    return d


def working_days_after(tahun: int, triwulan: int, when: dt.date) -> int:
    """How many working days after the quarter end ``when`` is (the seed satker sent on the 7th)."""
    libur = holidays.Indonesia(years=(tahun, tahun + 1))
    d, n = quarter_end(tahun, triwulan), 0
    while d < when:
        d += dt.timedelta(days=1)
        if is_working_day(d, libur):
            n += 1
    return n
