"""The vocabulary of a declarative form layout.

A :class:`Layout` describes one sheet of an official form: its title block,
its "label : value" fields, its tables (multi-level headers, the numbered
column row, data rows and a Total/Jumlah row) and its signature block. The
template builder, the reader, the validation schemas and the FORM B/rollup
writers all work from this one description.

Derived cells carry a :class:`Rule`: a calculation in ``udfs`` plus the cells
it takes. The same rule renders as an Excel formula (native where Excel says
it simply, a ``KINERJA.*`` call otherwise) and evaluates in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbooks.checks import Check, FromComponents, Rollup


class Jenis(StrEnum):
    """Type and unit of a value."""

    TEKS = "teks"
    KODE = "kode"
    RP = "Rp"
    RP000 = "Rp 000"
    PERSEN = "%"
    ANGKA = "angka"
    CACAH = "cacah"  # whole count
    TANGGAL = "tanggal"

    @property
    def numeric(self) -> bool:
        return self in _NUMERIC

    @property
    def hint(self) -> str:
        if self in (Jenis.RP, Jenis.RP000, Jenis.CACAH):
            return "uang"
        return "persen" if self is Jenis.PERSEN else "angka"

    @property
    def batas(self) -> float | None:
        """The largest magnitude a value of this unit can plausibly have (see :data:`BATAS`)."""
        return BATAS.get(self)


_NUMERIC = frozenset({Jenis.RP, Jenis.RP000, Jenis.PERSEN, Jenis.ANGKA, Jenis.CACAH})

# Plausibility bounds per unit: beyond them a number is a typing error or a forged file ("tidak wajar"),
# refused before any calculation. Rp 1.000 triliun is a third of the whole state budget (APBN).
BATAS: dict[Jenis, float] = {
    Jenis.RP: 1e15,
    Jenis.RP000: 1e12,
    Jenis.PERSEN: 1e6,  # capaian of a tiny target can be large; 1e6 % is not a percentage anyone reports
    Jenis.ANGKA: 1e12,
    Jenis.CACAH: 1e9,
}


class Peran(StrEnum):
    """Who fills a cell: the user, a formula, or a copy from another form."""

    INPUT = "input"
    TURUNAN = "turunan"  # derived
    SALINAN = "salinan"  # copied from another form/quarter (typed, but checked)


@dataclass(frozen=True)
class Rule:
    """A derivation: ``fn`` names a calculation (see :mod:`workbooks.rules`).

    ``args`` reference cells: ``"key"`` is the same row of this table,
    ``"tabel.key"`` the row with the same position in another table of the
    sheet (or the whole column, for a total), ``"@key"`` a field, and a
    literal in quotes (``"'maksimal'"``) is passed as is. In a row rule,
    ``"k1:k2"`` is the span of this row from column ``k1`` to ``k2`` and
    ``"tabel.key[]"`` the whole column of a table (a subtotal's SUMIF range).
    """

    fn: str
    args: tuple[str, ...]
    doc: str = ""


class Key(str):
    """A column key that knows its table: ``FORM_A.realisasi.c11_sd_keu_R`` (equal to the plain string).

    Layout keys are read as attributes (:meth:`Table.__getattr__`), so a typo fails when the module
    is imported rather than when a workbook is checked; ``key.table`` names the table holding it.
    """

    table: str

    def __new__(cls, key: str, table: str) -> Key:
        obj = super().__new__(cls, key)
        obj.table = table
        return obj

    def __reduce__(self):
        return Key, (str(self), self.table)


def _attribute(obj: object, name: str, found: Any) -> Any:
    if found is None:
        raise AttributeError(f"{type(obj).__name__} has no attribute {name!r}")
    return found


@dataclass(frozen=True)
class Column:
    key: str
    number: int
    headers: tuple[str, ...]
    jenis: Jenis
    peran: Peran = Peran.INPUT
    rule: Rule | None = None
    pattern: str | None = None
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    pilihan: str | None = None  # name of a dropdown list (see workbooks.masters)
    width: float = 12.0
    help: str = ""
    span: int = 1  # Excel columns the cell spans (merged), on sheets holding several tables
    # data a unit may not carry at all ("fisik", "fungsi"): required only when some cell of the group in the
    # table is filled; a group empty in the whole table is skipped, not reported missing (issue 12 item 7)
    kelompok: str = ""

    @property
    def label(self) -> str:
        """Header text over all levels, for messages."""
        parts: list[str] = []
        for h in self.headers:
            if h and h not in parts:
                parts.append(h)
        return " / ".join(parts) or self.key


@dataclass(frozen=True)
class Total:
    """The bold Total/Jumlah row under a table: ``rules`` per column key."""

    label: str
    rules: dict[str, Rule]
    label_key: str  # the column whose cell holds the label


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    total: Total | None = None
    rows: int = 8  # blank data rows in a fresh template
    row_key: tuple[str, ...] = ()  # columns that identify a row (unique)
    prefill: tuple[dict[str, object], ...] = ()  # rows every template starts with
    wajib: bool = True  # a form with no filled row here is not filled in (rule V00)
    isian: tuple[str, ...] = ()  # columns whose value makes a row "filled"; () = see :attr:`filled_by`

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}.{key}")

    def __getattr__(self, name: str) -> Key:
        """A column key as an attribute (``REALISASI.c11_sd_keu_R``); unknown names raise AttributeError."""
        cols = self.__dict__.get("columns", ()) if not name.startswith("_") else ()
        return _attribute(self, name, next((Key(c.key, self.__dict__["key"]) for c in cols if c.key == name), None))

    @property
    def keys(self) -> tuple[Key, ...]:
        """Every column key, in order."""
        return tuple(Key(c.key, self.key) for c in self.columns)

    @property
    def filled_by(self) -> tuple[str, ...]:
        """Columns whose value makes a row count as filled in: :attr:`isian`, else the required
        input columns a template does not prefill (else every input column it does not prefill)."""
        if self.isian:
            return self.isian
        prefilled = {k for row in self.prefill for k in row}
        inputs = [c for c in self.columns if c.peran is not Peran.TURUNAN and c.key not in prefilled]
        return tuple(c.key for c in inputs if c.required) or tuple(c.key for c in inputs)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The printed numbered column row, merged cells counted once."""
        out: list[int] = []
        for c in self.columns:
            if not out or out[-1] != c.number:
                out.append(c.number)
        return tuple(out)

    @property
    def ncols(self) -> int:
        """Excel columns the table occupies."""
        return sum(c.span for c in self.columns)

    @property
    def levels(self) -> int:
        return max(len(c.headers) for c in self.columns)


@dataclass(frozen=True)
class Field:
    """A "label : value" line of the header block (or a signature line)."""

    key: str
    label: str
    jenis: Jenis = Jenis.TEKS
    number: str = ""  # "1." … "10." as printed; "" when the form has none
    peran: Peran = Peran.INPUT
    rule: Rule | None = None
    pattern: str | None = None
    required: bool = False
    pilihan: str | None = None
    lo: float | None = None
    hi: float | None = None
    help: str = ""
    kelompok: str = ""  # as :attr:`Column.kelompok`, over the fields of the group


@dataclass(frozen=True)
class Layout:
    """One sheet of one official form."""

    form: str  # form id: "form-a", "form-b", …
    nama: str  # user-facing name of the form
    sheet: str  # default sheet name
    title: tuple[str, ...]  # title lines; may use {triwulan_romawi} {tahun} {satker_nama} …
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    signature: tuple[Field, ...] = ()
    subtitle_fields: tuple[Field, ...] = field(default=())  # fields printed under the tables
    per_kegiatan: bool = False
    identitas: tuple[str, ...] = ()  # fields that say whose report this is; empty → form not filled in (V00)
    opsional_dalam_paket: bool = False  # in a paket-triwulan an untouched sheet of this form is allowed
    tahunan: bool = False  # filed once a year: no triwulan in its metadata, nor in its key when consolidated
    keterangan: str = ""  # a few lines for users, shown in README/CLI
    checks: tuple[Check | FromComponents, ...] = ()  # the form's own checks (specs of :mod:`workbooks.checks`)
    rollup: Rollup | None = None  # what the consolidation takes from the form (record field ← table.key)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"{self.form}.{key}")

    def field(self, key: str) -> Field:
        for f in (*self.fields, *self.signature):
            if f.key == key:
                return f
        raise KeyError(f"{self.form}.@{key}")

    def __getattr__(self, name: str) -> Table:
        """A table as an attribute (``FORM_A.realisasi``); unknown names raise AttributeError."""
        tables = self.__dict__.get("tables", ()) if not name.startswith("_") else ()
        return _attribute(self, name, next((t for t in tables if t.key == name), None))

    @property
    def width(self) -> int:
        """Number of Excel columns the sheet uses."""
        return max([t.ncols for t in self.tables] + [6])

    @property
    def grid(self) -> Table | None:
        """The table whose single-width columns set the sheet's column widths."""
        return max(self.tables, key=lambda t: (all(c.span == 1 for c in t.columns), t.ncols), default=None)
