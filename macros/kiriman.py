"""Action "Siapkan Kiriman": stamp submission time and validation status into the metadata."""

from __future__ import annotations

import datetime as dt

from macros.plan import Plan
from macros.validation import validate
from workbooks.reader import WorkbookData


class KirimanDitolak(Exception):
    """The workbook still has galat; the message says what to do (Bahasa Indonesia)."""


def prepare_submission(data: WorkbookData, now: dt.datetime | None = None) -> Plan:
    h = validate(data)
    if h.galat:
        raise KirimanDitolak(
            f"Kiriman belum dapat disiapkan: masih ada {h.galat} galat. Jalankan Validasi, perbaiki sel "
            "yang ditandai merah, lalu coba lagi."
        )
    stamp = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    plan = h.plan()
    plan.findings_sheet = bool(h.findings)
    plan.meta = {"waktu_kirim": stamp, "status_validasi": f"valid; {h.peringatan} peringatan"}
    plan.messages.append(f"Kiriman siap dikirim ({stamp}); {h.peringatan} peringatan tercatat. Simpan berkas "
                         "lalu kirimkan.")
    return plan
