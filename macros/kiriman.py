"""Action "Siapkan Kiriman": stamp submission time and validation status into the metadata.

The stamp is an ISO time with its offset, in the zone of the unit's province when the unit list knows the
satker (WIB/WITA/WIT, :mod:`macros.waktu`), else in the machine's local zone.
"""

from __future__ import annotations

import datetime as dt

from macros.plan import Plan
from macros.validation import validate
from macros.waktu import parse, shown
from macros.waktu import stamp as make_stamp
from workbooks.reader import WorkbookData
from workbooks.units import load_units


class KirimanDitolak(Exception):
    """The workbook still has galat; the message says what to do (Bahasa Indonesia)."""


def prepare_submission(data: WorkbookData, now: dt.datetime | None = None) -> Plan:
    h = validate(data)
    if h.galat:
        raise KirimanDitolak(
            f"Kiriman belum dapat disiapkan: masih ada {h.galat} galat. Jalankan Validasi, perbaiki sel "
            "yang ditandai merah, lalu coba lagi."
        )
    unit = load_units().get(data.meta.satker) if data.meta and data.meta.satker else None
    stamp = make_stamp(now, unit.provinsi if unit else None)
    plan = h.plan()
    plan.findings_sheet = bool(h.findings)
    plan.meta = {"waktu_kirim": stamp, "status_validasi": f"valid; {h.peringatan} peringatan"}
    plan.messages.append(f"Kiriman siap dikirim ({shown(parse(stamp))}); {h.peringatan} peringatan tercatat. "
                         "Simpan berkas lalu kirimkan.")
    return plan
