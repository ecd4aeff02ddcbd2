"""Small constructors shared by the layout modules (keeps each layout terse)."""

from __future__ import annotations

from workbooks.model import Column, Field, Jenis, Peran, Rule

PCT = dict(jenis=Jenis.PERSEN, lo=0.0, hi=100.0, width=8.5)

# code formats (DOMAIN.md §2.3)
RE_SATKER = r"^\d{6}$"
RE_KEGIATAN = r"^\d{4}$"
RE_KRO = r"^[A-Z]{3}$"
RE_RO = r"^\d{3}$"
RE_KOMPONEN = r"^\d{3}$"
RE_AKUN = r"^\d{6}$"
RE_PROGRAM = r"^[A-Z]{2}$"
RE_DIPA = r"^(?:SP\s*)?DIPA\s*-\s*(\d{3})\.(\d{2})\.(\d)\.(\d{6})/(\d{4})$"
RE_UNIT_A = r"^\((\d{6})\)\s*(.+)$"
RE_PROGRAM_A = r"^(\d{2})\.(\d{2})\.([A-Z]{2})\.\s*(.+)$"
RE_PROGRAM_B = r"^([A-Z]{2})\.\s*(.+)$"
RE_KEGIATAN_A = r"^(\d{4})\s*-\s*(.+)$"
# what a code column's V05 message says it should look like (a pattern is never shown to users)
HELP_KEGIATAN = "Kode kegiatan, 4 digit (contoh: 6077)"
HELP_KRO = "Kode KRO, 3 huruf kapital (contoh: AEF)"
HELP_RO = "Kode RO, 3 digit (contoh: 001)"
HELP_KOMPONEN = "Kode komponen, 3 digit (contoh: 051)"
HELP_AKUN = "Kode akun, 6 digit (contoh: 521211)"


def col(key: str, number: int, *headers: str, jenis: Jenis = Jenis.TEKS, **kw) -> Column:
    return Column(key=key, number=number, headers=headers, jenis=jenis, **kw)


def pct(key: str, number: int, *headers: str, **kw) -> Column:
    return Column(key=key, number=number, headers=headers, **{**PCT, **kw})


def derived(fn: str, *args: str, doc: str = "") -> dict:
    return dict(peran=Peran.TURUNAN, rule=Rule(fn, args, doc))


def rule(fn: str, *args: str, doc: str = "") -> Rule:
    return Rule(fn, args, doc)


def fld(key: str, label: str, number: str = "", **kw) -> Field:
    return Field(key=key, label=label, number=number, **kw)


def signature() -> tuple[Field, ...]:
    return (
        fld("ttd_tempat_tanggal", "Tempat, tanggal", help="Contoh: Manado, 30 Juni 2023"),
        fld("ttd_jabatan", "Jabatan", required=True),
        fld("ttd_nama", "Nama", required=True),
    )
