"""The Eselon I units known from the seeds: abbreviation, 2-digit code in the DIPA number, name.

Master data; extend as ministries adopt kinerja (better moved next to the other
masters in ``workbooks.masters``).
"""

from __future__ import annotations

import re

ESELON_I: dict[str, tuple[str, str]] = {
    "BSKJI": ("07", "Badan Standardisasi dan Kebijakan Jasa Industri"),  # [003], [004]
    "BPSDMI": ("10", "Badan Pengembangan Sumber Daya Manusia Industri"),  # [000]
}


def by_code(code: str) -> str:
    """'07' → 'BSKJI'; '' when unknown."""
    return next((k for k, (c, _) in ESELON_I.items() if c == code), "")


def by_name(text: str) -> str:
    """'BADAN PENGEMBANGAN SUMBER DAYA MANUSIA INDUSTRI' (or 'BPSDMI') → 'BPSDMI'; '' when unknown."""
    t = re.sub(r"\s+", " ", text or "").strip().casefold()
    return next((k for k, (_, n) in ESELON_I.items() if t in (k.casefold(), n.casefold())), "")


def nama(abbr: str) -> str:
    """Full name for FORM B's Unit Organisasi; the abbreviation itself when unknown."""
    return ESELON_I[abbr][1] if abbr in ESELON_I else abbr
