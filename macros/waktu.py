"""Submission times with their Indonesian time zone (WIB, WITA, WIT).

"Siapkan Kiriman" writes an ISO time with its UTC offset (``2023-07-05T09:00:00+08:00``), in the zone of the
unit's province where the unit list knows it. Readers accept that and the older naive stamps, which are read
in the unit's zone (WIB when unknown).
"""

from __future__ import annotations

import datetime as dt

WIB, WITA, WIT = (dt.timezone(dt.timedelta(hours=h), n) for h, n in ((7, "WIB"), (8, "WITA"), (9, "WIT")))

# Province → zone (Keppres 41/1987): WIB Sumatra, Java, West and Central Kalimantan; WITA Bali, Nusa
# Tenggara, South/East/North Kalimantan, Sulawesi; WIT Maluku and Papua.
_WITA = ("BALI", "NUSA TENGGARA BARAT", "NUSA TENGGARA TIMUR", "KALIMANTAN SELATAN", "KALIMANTAN TIMUR",
         "KALIMANTAN UTARA", "SULAWESI UTARA", "SULAWESI TENGAH", "SULAWESI SELATAN", "SULAWESI TENGGARA",
         "SULAWESI BARAT", "GORONTALO")
_WIT = ("MALUKU", "MALUKU UTARA", "PAPUA", "PAPUA BARAT", "PAPUA SELATAN", "PAPUA TENGAH", "PAPUA PEGUNUNGAN",
        "PAPUA BARAT DAYA")
_WIB = ("ACEH", "SUMATERA UTARA", "SUMATERA BARAT", "RIAU", "KEPULAUAN RIAU", "JAMBI", "BENGKULU",
        "SUMATERA SELATAN", "KEPULAUAN BANGKA BELITUNG", "LAMPUNG", "BANTEN", "DKI JAKARTA", "JAWA BARAT",
        "JAWA TENGAH", "DI YOGYAKARTA", "JAWA TIMUR", "KALIMANTAN BARAT", "KALIMANTAN TENGAH")
ZONA: dict[str, dt.timezone] = {**{p: WIB for p in _WIB}, **{p: WITA for p in _WITA}, **{p: WIT for p in _WIT}}


def zona(provinsi: str | None) -> dt.timezone | None:
    """The zone of a province ('SULAWESI UTARA' → WITA); None when unknown."""
    return ZONA.get(" ".join((provinsi or "").upper().replace("D.I.", "DI").split()))


def stamp(now: dt.datetime | None = None, provinsi: str | None = None) -> str:
    """An ISO stamp with offset: ``now`` (aware, or naive local) in the province's zone, else local."""
    when = (now or dt.datetime.now()).astimezone()
    tz = zona(provinsi)
    return (when.astimezone(tz) if tz else when).replace(microsecond=0).isoformat()


def parse(text: str, provinsi: str | None = None) -> dt.datetime | None:
    """An aware time from an ISO stamp; a naive one is read in the province's zone (WIB when unknown).
    None when ``text`` is not an ISO time."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=zona(provinsi) or WIB)


def aware(when: dt.datetime) -> dt.datetime:
    """``when`` with a zone (a naive time is this machine's local time)."""
    return when if when.tzinfo else when.astimezone()


def shown(when: dt.datetime | None, seconds: bool = False) -> str:
    """'05-07-2023 09:00 WITA' (an offset without a name: 'UTC+05:30'); with ``seconds`` '05-07-2023 09:00:30 WITA'."""
    if when is None:
        return "tidak diketahui"
    off = when.utcoffset() or dt.timedelta(0)
    name = {7: "WIB", 8: "WITA", 9: "WIT"}.get(int(off.total_seconds() // 3600)) \
        if off.total_seconds() % 3600 == 0 else None
    if name is None:
        mins = int(off.total_seconds() // 60)
        name = f"UTC{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
    return f"{when:%d-%m-%Y %H:%M:%S} {name}" if seconds else f"{when:%d-%m-%Y %H:%M} {name}"
