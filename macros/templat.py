"""Action: write an empty template workbook for a form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from macros.files import save_atomic
from workbooks.builder import build_workbook
from workbooks.forms import FORM_IDS, LAYOUT_VERSION
from workbooks.meta import Meta
from workbooks.units import unit


class OpsiSalah(ValueError):
    """A bad option value (message in Bahasa Indonesia)."""


def triwulan_berjalan(today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return (today.month - 1) // 3 + 1


def template_meta(form: str, satker: str | None = None, tahun: int | None = None, triwulan: int | None = None,
                  kegiatan: Sequence[str] = ()) -> Meta:
    if form not in FORM_IDS:
        raise OpsiSalah(f"Form '{form}' tidak dikenal. Pilihan: {', '.join(FORM_IDS)}.")
    if satker and not (satker.isdigit() and len(satker) == 6):
        raise OpsiSalah(f"Kode satker '{satker}' harus 6 digit angka (contoh: 247246).")
    for k in kegiatan:
        if not (k.isdigit() and len(k) == 4):
            raise OpsiSalah(f"Kode kegiatan '{k}' harus 4 digit angka (contoh: 6077).")
    if triwulan is not None and triwulan not in (1, 2, 3, 4):
        raise OpsiSalah(f"Triwulan {triwulan} tidak sah: isi 1 sampai 4.")
    u = unit(satker) if satker else None
    return Meta(
        form=form, versi=LAYOUT_VERSION, satker=satker or "", satker_nama=u.nama if u else "",
        eselon1=u.eselon1 if u else "", tahun=tahun or dt.date.today().year,
        triwulan=triwulan or triwulan_berjalan(), kegiatan=tuple(kegiatan),
    )


def make_template(form: str, out: str | Path, **kw) -> Path:
    meta = template_meta(form, **kw)
    wb, _ = build_workbook(meta)
    return save_atomic(wb, out)
