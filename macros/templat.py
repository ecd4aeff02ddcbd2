"""Action: write an empty template workbook for a form, prefilled with what the masters know."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from macros.files import save_atomic
from workbooks.builder import SheetValues, build_workbook, sheet_plan
from workbooks.forms import FORM_IDS, LAYOUT_VERSION
from workbooks.masters import LISTS
from workbooks.meta import Meta
from workbooks.model import Layout
from workbooks.units import kegiatan as kegiatan_master
from workbooks.units import unit

MAX_BARIS = 500


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


def _program_a(code: str) -> str:
    """FORM A's program text for a program code, as its dropdown lists it ("04.07.EC. Program …")."""
    return next((p for p in LISTS["program"] if p.split(".")[2] == code), "")


def prefill(layout: Layout, meta: Meta, kode_kegiatan: str) -> dict[str, str]:
    """Identity fields the masters can fill: the unit's name, the kegiatan's name, program, fungsi, sub fungsi."""
    keys = {f.key for f in layout.fields}
    out: dict[str, str] = {}
    if meta.satker_nama and "unit_organisasi" in keys and layout.form != "form-b":  # FORM B names the Eselon I
        nama = meta.satker_nama.upper()
        out["unit_organisasi"] = f"({meta.satker}) {nama}" if layout.form == "form-a" else nama
    k = kegiatan_master(kode_kegiatan) if kode_kegiatan and layout.form == "form-a" else None
    if k is not None:
        out["kegiatan"] = f"{k.kode} - {k.nama}"
        if _program_a(k.program):
            out["program"] = _program_a(k.program)
        if k.fungsi:
            out["fungsi"] = k.fungsi
        if k.sub_fungsi:
            out["sub_fungsi"] = k.sub_fungsi
    return out


def template_values(meta: Meta) -> dict[str, SheetValues]:
    return {name: SheetValues(fields=fields)
            for name, lay, keg in sheet_plan(meta.form, meta.kegiatan)
            if (fields := prefill(lay, meta, keg))}


def make_template(form: str, out: str | Path, baris: int | None = None, **kw) -> Path:
    """Write the template of ``form``; ``baris`` data rows per table (the layout's own count when None)."""
    if baris is not None and not 1 <= baris <= MAX_BARIS:
        raise OpsiSalah(f"Jumlah baris {baris} tidak sah: isi 1 sampai {MAX_BARIS}.")
    meta = template_meta(form, **kw)
    wb, _ = build_workbook(meta, template_values(meta), baris=baris)
    return save_atomic(wb, out)
