"""One declarative layout per form; :data:`LAYOUTS` indexes them by form id."""

from __future__ import annotations

from workbooks.forms.alki import ALKI
from workbooks.forms.form_a import FORM_A
from workbooks.forms.form_b import FORM_B
from workbooks.forms.p3dn import P3DN
from workbooks.forms.pengukuran import PENGUKURAN
from workbooks.forms.perjanjian_kinerja import PERJANJIAN_KINERJA
from workbooks.forms.rencana_aksi import RENCANA_AKSI
from workbooks.forms.renstra import RENSTRA
from workbooks.forms.rincian import RINCIAN, RINCIAN_PNBP
from workbooks.forms.skm import SKM
from workbooks.model import Layout

LAYOUT_VERSION = "2026.2"  # the minor number rises when a form's layout changes (listed in LAYOUT_CHANGES)

# Which forms' layouts changed in each version: a file made with an earlier template no longer matches them.
LAYOUT_CHANGES: dict[str, frozenset[str]] = {
    "2026.2": frozenset({PERJANJIAN_KINERJA.form}),  # columns 9-23: sasaran/tujuan means, anggaran and serapan
}


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(x) for x in text.split("."))
    except ValueError:
        return None


def layout_changed_since(versi: str, form: str) -> bool:
    """Whether ``form``'s layout changed after the template version ``versi`` (False when ``versi`` is unknown)."""
    made = _version(versi)
    return made is not None and any(form in forms and (v := _version(version)) is not None and v > made
                                    for version, forms in LAYOUT_CHANGES.items())

LAYOUTS: dict[str, Layout] = {
    lay.form: lay
    for lay in (FORM_A, FORM_B, ALKI, RENCANA_AKSI, PENGUKURAN, PERJANJIAN_KINERJA, SKM, P3DN, RENSTRA, RINCIAN,
                RINCIAN_PNBP)
}

# Forms filed once a year (no triwulan), from the layouts' own ``tahunan``.
FORMS_TAHUNAN = tuple(form for form, lay in LAYOUTS.items() if lay.tahunan)

# The satker's quarterly package: one FORM A sheet per kegiatan plus these.
PAKET_TRIWULAN = "paket-triwulan"
PAKET_FORMS = ("alki", "pengukuran-rencana-aksi", "p3dn", "skm")
FORM_IDS = (*LAYOUTS, PAKET_TRIWULAN)
