"""Whose report and which period: the metadata against the sheet (V27) and the quarter (V16)."""

from __future__ import annotations

import re

from macros.validation.findings import Findings
from workbooks.forms import FORMS_TAHUNAN
from workbooks.meta import Meta
from workbooks.reader import SheetData


def satker_of_unit(text: object) -> str:
    """The satker code of a Unit Organisasi entry "(247246) NAMA", else ""."""
    m = re.match(r"^\s*\((\d{6})\)", text) if isinstance(text, str) else None
    return m.group(1) if m else ""


def check_identity(sd: SheetData, satker: str, out: Findings) -> None:
    """The satker code in the metadata and in field I.1 "(247246) NAMA" must agree."""
    unit = sd.fields.get("unit_organisasi")
    code = satker_of_unit(unit.value) if unit else ""
    if satker and code and code != satker:
        out.add("V27", unit.address, sd.layout.field("unit_organisasi").label, code, satker,  # type: ignore[union-attr]
                found=code, satker=satker)


def check_period(meta: Meta | None, first_sheet: str, out: Findings) -> None:
    """A quarterly form's metadata names its quarter."""
    if meta and meta.triwulan not in (1, 2, 3, 4) and meta.form not in FORMS_TAHUNAN:
        out.add("V16", f"{first_sheet}!", "Triwulan", meta.triwulan, "1–4", "metadata")
