"""Each derivation once: how it reads in Excel and how it computes in Python.

A :class:`~workbooks.model.Rule` names one of the calculations below. The
Python side calls the tested functions in :mod:`udfs`. The Excel side is a
native formula, rendered from the same data the Python side uses (polarity
names, scales, akun terpilih, survey constants), so a workbook computes in any
spreadsheet: Excel with or without the add-in, LibreOffice, WPS.

Where domain logic lives in a ``KINERJA.*`` function (capaian, Indeks
Kepuasan Masyarakat, P3DN), the cell keeps calling it and falls back on the
native rendering: ``IF(<blank>,"",IFERROR(KINERJA.X(…),<native>))``. Where the
add-in is not loaded the unknown name is an error value, which IFERROR
catches (checked in LibreOffice: an unknown function inside IFERROR falls
back; Excel does the same with #NAME?). A genuine error of the function
(target 0 → #DIV/0!) makes the native part give the same error.

Only functions of Excel 2007 are used, so no ``_xlfn.`` prefixes are needed;
:data:`XLFN` lists the later ones that would need it and :func:`xlfn` writes
them prefixed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

import udfs
from udfs._args import EMPTY_MARKERS
from udfs.anggaran import kumulatif_rows
from udfs.capaian import _ALIAS, POLARITAS, nama_polaritas
from udfs.ikm import _D, _P, _POPULASI_TABEL, _SAMPEL_TABEL, _X2, KONVERSI, METODE, UMUM, nama_metode
from udfs.errors import NilaiGalat
from udfs.sakip import _ALIAS_BASIS, nama_basis
from udfs.skala import SKALA, Skala
from udfs.survei import SKALA_MAKS
from workbooks.model import Rule
from workbooks.numbers import to_float

Value = Any
Resolve = Callable[[str], Value]  # ref -> scalar (row rules) or list (column refs)

# Functions added after Excel 2007: in a file they must be written "_xlfn.NAME" or Excel shows #NAME?.
XLFN: frozenset[str] = frozenset({
    "AGGREGATE", "CONCAT", "FILTER", "IFNA", "IFS", "LET", "MAXIFS", "MINIFS", "NUMBERVALUE", "SWITCH", "TEXTJOIN",
    "XLOOKUP", "XMATCH", "UNIQUE", "SORT", "SEQUENCE", "STDEV.S", "FLOOR.MATH", "CEILING.MATH",
})


def xlfn(name: str) -> str:
    """A function name as written in the file: post-2007 functions carry the ``_xlfn.`` prefix."""
    return f"_xlfn.{name}" if name.upper() in XLFN else name


def _num0(v: Value) -> float:
    if type(v) is float and math.isfinite(v):  # the common case: to_float gives the same float
        return v
    x = to_float(v)
    return 0.0 if x is None else x


def _jumlah(*xs: Value) -> float:
    return sum(_num0(x) for x in xs)


def _salin(x: Value) -> Value:
    return x


def _sum_col(col: Sequence[Value]) -> float:
    return _jumlah(*col)


def _text(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _array(items: Sequence[object]) -> str:
    return "{" + ",".join(_text(x) if isinstance(x, str) else f"{x:g}" for x in items) + "}"  # type: ignore[str-format]


def _literal(ref: str) -> str | None:
    """The text of a rendered literal argument (``"maksimal"``), None for a cell reference."""
    return ref[1:-1].replace('""', '"') if len(ref) >= 2 and ref[0] == ref[-1] == '"' else None


def _columns(block: str) -> list[str]:
    """``B20:O49`` → ``["B20:B49", …, "O20:O49"]``."""
    c0, r0, c1, r1 = range_boundaries(block.replace("$", ""))
    return [f"{get_column_letter(c)}{r0}:{get_column_letter(c)}{r1}" for c in range(c0, c1 + 1)]


# --- capaian (R7) -----------------------------------------------------------------------------

# the polarity cell may hold a code or a dropdown label "Code — description": the code is the part before "—"
_LABEL_SEP = "—"
_GROUP = {name: i for i, name in enumerate(POLARITAS, start=1)}  # CHOOSE index of each polarity's branch
_NAMES: tuple[tuple[str, int], ...] = (
    *((k, 1) for k in sorted(EMPTY_MARKERS)),
    *((p, _GROUP[p]) for p in POLARITAS),
    *((a, _GROUP[p]) for a, p in _ALIAS.items()),
)


def _polarity_group(p: str) -> str:
    """Native: the polarity's branch number 1–6 (#N/A for an unknown name, as the UDF refuses it)."""
    code = f'LOWER(TRIM(LEFT({p},FIND("{_LABEL_SEP}",{p}&"{_LABEL_SEP}")-1)))'
    return f"INDEX({_array([g for _, g in _NAMES])},MATCH({code},{_array([n for n, _ in _NAMES])},0))"


def _range_bound(t: str, upper: bool) -> str:
    """Native: lower/upper bound of a rentang target, a number (L = U) or text "80-90", "80 s.d. 90", …"""
    norm = f'SUBSTITUTE(LOWER({t}&""),"{" "}","")'
    for sep in ("–", "—", "s/d", "s.d.", "s.d", "sd.", "sd"):
        norm = f'SUBSTITUTE({norm},"{sep}","-")'
    split = f'SUBSTITUTE({norm},"-",REPT(" ",99))'
    part = f"TRIM({'RIGHT' if upper else 'LEFT'}({split},99))"
    # "." is the decimal point in the text; MID(1/2,2,1) is the spreadsheet's own decimal separator
    return f'IF(ISNUMBER({t}),{t},VALUE(SUBSTITUTE({part},".",MID(1/2,2,1))))'


def _capaian_branches(t: str, r: str) -> dict[str, str]:
    """Native capaian per polarity (names as :data:`udfs.capaian.POLARITAS`)."""
    lo, hi = _range_bound(t, False), _range_bound(t, True)

    def rentang(lewat: str) -> str:
        return f'IF({hi}<{lo},#VALUE!,IF({r}<{lo},{r}/{lo}*100,IF({r}<={hi},100,{lewat})))'

    out = {
        "maksimal": f"{r}/{t}*100",
        "minimal": f"MAX(0,(2*{t}-{r})/{t}*100)",
        "minimal-tr": f"IF({t}=0,1/0,{t}/{r}*100)",
        "stabil": f"MAX(0,(1-ABS({r}-{t})/{t})*100)",
        "rentang": rentang(f"{r}/{hi}*100"),
        "rentang-minimal": rentang(f"MAX(0,200-{r}/{hi}*100)"),
    }
    if set(out) != set(POLARITAS):
        raise RuntimeError("every polarity of udfs.capaian needs a native rendering")
    return out


def capaian_native(t: str, r: str, p: str = '"maksimal"', batas: str | None = None) -> str:
    """Native capaian for every polarity, equal to :func:`udfs.capaian` for one target/realisasi pair."""
    branches = _capaian_branches(t, r)
    lit = _literal(p)
    if lit is not None:  # polarity known when the template is built: only its branch
        v = branches[nama_polaritas(lit)]
    else:
        v = f"CHOOSE({_polarity_group(p)},{','.join(branches[name] for name in POLARITAS)})"
    if batas is None:
        return v
    lit_b = _literal(batas)
    if lit_b is not None:
        return v if lit_b.strip() in EMPTY_MARKERS else f"MIN({v},{float(lit_b):g})"
    return f"MIN({v},IF(ISNUMBER({batas}),{batas},9E+307))"


# --- Indeks Kepuasan Masyarakat (R13–R15) -------------------------------------------------------

_ANSWERS = (1, 2, 3, 4, *sorted(k for k in EMPTY_MARKERS if k))


def _invalid_answers(rng: str) -> str:
    """Native: how many cells of ``rng`` hold something other than 1–4 or a blank marker."""
    return f'SUMPRODUCT(({rng}<>"")*ISNA(MATCH({rng},{_array(_ANSWERS)},0)))'


def _metode_is(m: str, nama: str) -> str:
    return f'LOWER(TRIM(LEFT({m},FIND("{_LABEL_SEP}",{m}&"{_LABEL_SEP}")-1)))="{nama}"'


def _ikm_for(cols: list[str], n: int) -> str:
    extra = cols[n:]
    mean = "(" + "+".join(f"AVERAGE({c})" for c in cols[:n]) + f")/{n}"
    if not extra:
        return mean
    rest = f"{extra[0].split(':')[0]}:{extra[-1].split(':')[1]}"
    return f'IF(SUMPRODUCT(({rest}<>"")*ISNA(MATCH({rest},{_array(_ANSWERS[4:])},0)))>0,#VALUE!,{mean})'


def ikm_native(block: str, metode: str = '"permenpanrb-14-2017"') -> str:
    """Native Indeks Kepuasan Masyarakat: mean of the unsur NRRs (9 or 14 unsur by method)."""
    cols = _columns(block)
    lit = _literal(metode)
    check = f"IF({_invalid_answers(block)}>0,#VALUE!,"
    if lit is not None:
        if nama_metode(lit, umum=True) == UMUM:
            return survei_native(block)
        return check + _ikm_for(cols, len(METODE[nama_metode(lit)])) + ")"
    n = {k: len(v) for k, v in METODE.items()}
    other = next(k for k in METODE if k != "permenpanrb-14-2017")
    return (f"IF({_metode_is(metode, UMUM)},{survei_native(block)},"
            + check + f"IF({_metode_is(metode, other)},{_ikm_for(cols, n[other])},"
            f"{_ikm_for(cols, n['permenpanrb-14-2017'])})))")


def ikm_konversi_native(x: str) -> str:
    return f"IF(OR({x}<1,{x}>4),#NUM!,{x}*{KONVERSI:g})"


def _bands(v: str, s: Skala) -> str:
    """Native: the "A (Sangat Baik)" text of the band ``v`` falls in (v already rounded)."""
    out = "#NUM!"
    for p in reversed(s.pita):
        op = ">=" if p.inklusif else ">"
        out = f'IF({v}{op}{p.bawah:g},"{p.kode} ({p.keterangan})",{out})'
    lo, hi = s.minimum, s.maksimum
    return f"IF(OR({v}<{lo:g},{v}>{hi:g}),#NUM!,{out})"


def _mutu_for(x: str, nama: str) -> str:
    s = SKALA[f"ikm-{nama}"]
    k = f"{KONVERSI:g}"
    scaled = f"IF({x}<=4,{x}*{k},{x})" if s.minimum == KONVERSI else f"IF({x}<=4,{x},{x}/{k})"
    return _bands(f"ROUND({scaled},{s.desimal})", s)


def ikm_mutu_native(x: str, metode: str = '"permenpanrb-14-2017"') -> str:
    """Native mutu pelayanan from an index 1–4 or a konversi 25–100, as :func:`udfs.ikm_mutu`."""
    k = f"{KONVERSI:g}"
    domain = f"OR(AND({x}>=1,{x}<=4),AND({x}>={k},{x}<=100))"
    lit = _literal(metode)
    if lit is not None:
        nama = nama_metode(lit, umum=True)
        body = _mutu_for(x, "permenpanrb-14-2017" if nama == UMUM else nama)
    else:
        other = next(k for k in METODE if k != "permenpanrb-14-2017")
        body = f"IF({_metode_is(metode, other)},{_mutu_for(x, other)},{_mutu_for(x, 'permenpanrb-14-2017')})"
    return f"IF(NOT({domain}),#NUM!,{body})"


def ikm_sampel_native(n: str) -> str:
    """Native Krejcie–Morgan sample size (R15)."""
    x2, p, d = _X2, _P, _D
    s = f"{x2:g}*{n}*{p * (1 - p):g}/({d * d:g}*({n}-1)+{x2 * p * (1 - p):g})"
    return f"IF({n}<1,#NUM!,IF({n}>={_POPULASI_TABEL},{_SAMPEL_TABEL},ROUND({s},0)))"


# --- P3DN (R12) -----------------------------------------------------------------------------------

def _sum_terpilih(akun: str, x: str) -> str:
    return f"SUMPRODUCT(SUMIF({akun},{_array(udfs.AKUN_TERPILIH)},{x}))"


def _any_akun(akun: str) -> str:
    return f'SUMPRODUCT(--(TRIM({akun}&"")<>""))>0'


def p3dn_pagu_native(pagu: str, akun: str | None = None) -> str:
    """Native denominator of P3DN: pagu of the akun terpilih (all pagu when no akun is given)."""
    if akun is None:
        return f"SUM({pagu})"
    return f"IF({_any_akun(akun)},{_sum_terpilih(akun, pagu)},SUM({pagu}))"


def p3dn_native(realisasi: str, pagu: str, akun: str | None = None) -> str:
    """Native capaian P3DN: Σ realisasi / Σ pagu × 100 over the akun terpilih, as :func:`udfs.p3dn`."""
    if akun is None:
        return f"SUM({realisasi})/SUM({pagu})*100"
    return (f"IF({_any_akun(akun)},{_sum_terpilih(akun, realisasi)}/{_sum_terpilih(akun, pagu)},"
            f"SUM({realisasi})/SUM({pagu}))*100")


def _nrr_native(col: str) -> str:
    return f"IF({_invalid_answers(col)}>0,#VALUE!,AVERAGE({col}))"


# --- the calculations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Calc:
    """One calculation: its Python function and its native Excel rendering.

    ``udf``: the ``KINERJA.*`` function the cell calls first (native rendering as fallback).
    ``blank``: the condition (from rendered refs) under which the cell shows "" instead.
    ``column``: for a row rule, the same calculation over whole columns (one list per argument, one value per
    row; each result exactly what ``python`` gives for that row), used by :func:`evaluate_rows`.
    """

    python: Callable[..., Value]
    excel: Callable[..., str]  # receives rendered refs, returns the native formula body (no "=")
    udf: str | None = None
    blank: Callable[..., str] | None = None
    column: Callable[..., list[Value]] | None = None

    @property
    def native(self) -> bool:
        return self.udf is None


def _capaian_py(t: Value, r: Value, p: Value = "maksimal", batas: Value = None) -> Value:
    return udfs.capaian(t, r, p or "maksimal", batas)


CALCS: dict[str, Calc] = {
    # row rules
    "jumlah": Calc(_jumlah, lambda *r: "+".join(f"N({x})" for x in r)),
    "kumulatif": Calc(lambda a, b: udfs.kumulatif(a, b), lambda a, b: f"N({a})+N({b})", column=kumulatif_rows),
    "salin": Calc(_salin, lambda a: f'IF({a}="","",{a})'),
    "capaian": Calc(_capaian_py, capaian_native, "CAPAIAN", lambda t, r, *_: f'OR({t}="",{r}="")'),
    "p3dn": Calc(lambda r, p, a=None: udfs.p3dn(r, p, a), p3dn_native, "P3DN",
                 lambda r, p, a=None: f"{p3dn_pagu_native(p, a)}=0"),
    "ikm": Calc(lambda j, m="permenpanrb-14-2017": udfs.ikm(j, m), ikm_native, "IKM",
                lambda j, *_: f"COUNT({j})=0"),
    "ikm_konversi": Calc(lambda x: udfs.ikm_konversi(x), ikm_konversi_native, "IKM_KONVERSI", lambda x: f'{x}=""'),
    "ikm_mutu": Calc(lambda x, m="permenpanrb-14-2017": udfs.ikm_mutu(x, m), ikm_mutu_native, "IKM_MUTU",
                     lambda x, *_: f'{x}=""'),
    "ikm_sampel": Calc(lambda n: udfs.ikm_sampel(n), ikm_sampel_native, "IKM_SAMPEL", lambda n: f"N({n})=0"),
    # column (total) rules
    "sum": Calc(_sum_col, lambda r: f"SUM({r})"),
    "kontribusi": Calc(
        lambda col, bobot, penyebut: udfs.kontribusi(col, bobot, penyebut),
        lambda col, bobot, pen: f'IF(N({pen})=0,"",SUMPRODUCT({bobot},{col})/{pen})',
    ),
    "tertimbang": Calc(
        lambda col, bobot: udfs.rata_tertimbang(col, bobot),
        lambda col, bobot: f'IF(SUM({bobot})=0,"",SUMPRODUCT({bobot},{col})/SUM({bobot}))',
    ),
    "nrr": Calc(lambda col: udfs.ikm_nrr(col), lambda col: f'IF(COUNT({col})=0,"",{_nrr_native(col)})'),
}


# --- the SAKIP year: capaian tahunan, Renstra jangka menengah, BPKP labels, surveys of any shape ----------
# (udfs.sakip, udfs.survei; DOMAIN §10)

# the last number of a one-row or one-column range (blanks and "-" skipped); SUMPRODUCT evaluates the
# positions as an array in Excel and LibreOffice alike (MATCH(9.99E+307,…) stops at a blank in LibreOffice)
_LAST = "INDEX({r},SUMPRODUCT(MAX(ISNUMBER({r})*(COLUMN({r})-MIN(COLUMN({r}))+ROW({r})-MIN(ROW({r}))+1))))"


def _basis_index(b: str, codes: tuple[str, ...]) -> str:
    """Native: 1-based position of the basis code (blank → 1, the default); unknown → #N/A."""
    names = ("", *codes, *(a for a, c in _ALIAS_BASIS.items() if c in codes))
    groups = (1, *range(1, len(codes) + 1), *(codes.index(c) + 1 for c in _ALIAS_BASIS.values()
                                              if c in codes))
    code = f'LOWER(TRIM(LEFT({b},FIND("{_LABEL_SEP}",{b}&"{_LABEL_SEP}")-1)))'
    return f"INDEX({_array(groups)},MATCH({code},{_array(names)},0))"


def _by_basis(b: str, codes: tuple[str, ...], branches: dict[str, str]) -> str:
    lit = _literal(b)
    if lit is not None:
        code = nama_basis(lit, codes, codes[0])
        return "#VALUE!" if isinstance(code, NilaiGalat) else branches[code]
    return f"CHOOSE({_basis_index(b, codes)},{','.join(branches[c] for c in codes)})"


def capaian_tahunan_native(t: str, rtw: str, basis: str = '"tren-positif"') -> str:
    """Native capaian tahunan from the quarters' realisasi, as :func:`udfs.capaian_tahunan`."""
    return _by_basis(basis, udfs.BASIS_TAHUNAN, {
        "tren-positif": f"SUM({rtw})/{t}*100",
        "nilai-akhir": f"{_LAST.format(r=rtw)}/{t}*100",
        "tren-negatif": f"({t}-SUM({rtw}))/{t}*100",
    })


def jangka_menengah_native(rng: str, basis: str = '"jumlah"') -> str:
    """Native Σ / mean / last year of a Renstra row, as :func:`udfs.target_jangka_menengah`."""
    return _by_basis(basis, udfs.BASIS_JANGKA, {
        "jumlah": f"SUM({rng})", "rata-rata": f"AVERAGE({rng})", "nilai-akhir": _LAST.format(r=rng)})


def capaian_agregat_native(c: str, r: str, t: str, cara: str = '"rata-rata-persentase"') -> str:
    """Native capaian agregat, as :func:`udfs.capaian_agregat`: AVERAGE of the capaian or Σ realisasi ÷ Σ target
    over the rows where both are numbers (SUMIF with a numeric criterion skips blanks and text)."""
    both = f'SUMIF({t},">-9E+307",{r})/SUMIF({r},">-9E+307",{t})*100'
    return _by_basis(cara, udfs.CARA_AGREGAT, {"rata-rata-persentase": f"AVERAGE({c})", "rasio-jumlah": both})


def _survey_check(block: str, skala: str) -> str:
    """Native: answers outside 1…skala (or not whole) or a skala outside 2–10 → an error, else 0."""
    ok = (*range(1, SKALA_MAKS + 1), *sorted(k for k in EMPTY_MARKERS if k))
    bad = (f'SUMPRODUCT(({block}<>"")*ISNA(MATCH({block},{_array(ok)},0)))'
           f"+SUMPRODUCT(ISNUMBER({block})*({block}>N({skala})))")
    sk = f"OR(N({skala})<2,N({skala})>{SKALA_MAKS},INT(N({skala}))<>N({skala}))"
    return f"IF({sk},#NUM!,IF({bad}>0,#VALUE!,0))"


def _survey_mean(block: str, item: Callable[[str], str]) -> str:
    cols = _columns(block)
    return ("(" + "+".join(f"IF(COUNT({c})>0,{item(c)},0)" for c in cols) + ")/("
            + "+".join(f"(COUNT({c})>0)" for c in cols) + ")")


def survei_native(block: str, skala: str = "4") -> str:
    """Native survey index: mean of the NRR of every answered item, as :func:`udfs.survei` (no kelompok)."""
    return f"{_survey_check(block, skala)}+{_survey_mean(block, lambda c: f'AVERAGE({c})')}"


def survei_kelompok_native(block: str, kel: str, nama: str, skala: str = "4") -> str:
    """Native index of one perusahaan/layanan, as :func:`udfs.survei_kelompok`."""
    return (f"{_survey_check(block, skala)}+"
            f"{_survey_mean(block, lambda c: f'AVERAGEIF({kel},{nama},{c})')}")


def survei_responden_native(row: str, skala: str = "4") -> str:
    return f"{_survey_check(row, skala)}+AVERAGE({row})"


CALCS.update({
    "capaian_tahunan": Calc(udfs.capaian_tahunan, capaian_tahunan_native, "CAPAIAN_TAHUNAN",
                            lambda t, r, *_: f'OR({t}="",COUNT({r})=0)'),
    "target_jangka_menengah": Calc(udfs.target_jangka_menengah, jangka_menengah_native,
                                   "TARGET_JANGKA_MENENGAH", lambda r, *_: f"COUNT({r})=0"),
    "realisasi_jangka_menengah": Calc(udfs.realisasi_jangka_menengah, jangka_menengah_native,
                                      "REALISASI_JANGKA_MENENGAH", lambda r, *_: f"COUNT({r})=0"),
    # with a row identifier (ids, this row's id) the mean shows on the group's first row only
    "capaian_rata_kelompok": Calc(udfs.capaian_rata_kelompok,
                                  lambda c, k, n, *_: f"AVERAGEIF({k},{n},{c})", "CAPAIAN_RATA_KELOMPOK",
                                  lambda c, k, n, ids=None, me=None: f'OR({n}="",SUMPRODUCT(({k}={n})*ISNUMBER({c}))=0'
                                  + (f",IFERROR(INDEX({ids},MATCH({n},{k},0))<>{me},1))" if ids else ")")),
    "capaian_agregat": Calc(udfs.capaian_agregat, capaian_agregat_native, "CAPAIAN_AGREGAT",
                            lambda c, r, t, *_: f"COUNT({r})=0"),
    "efektif": Calc(udfs.efektif, lambda c: f'IF({c}>=100,"Efektif","Tidak Efektif")', "EFEKTIF",
                    lambda c: f"NOT(ISNUMBER({c}))"),
    "efisien": Calc(udfs.efisien, lambda c, s: f'IF({c}>{s},"Efisien","Tidak Efisien")', "EFISIEN",
                    lambda c, s: f"OR(NOT(ISNUMBER({c})),NOT(ISNUMBER({s})))"),
    "rasio_efisiensi": Calc(udfs.rasio_efisiensi, lambda c, s: f"({c}-{s})/{c}*100", "RASIO_EFISIENSI",
                            lambda c, s: f"OR(NOT(ISNUMBER({c})),NOT(ISNUMBER({s})),N({c})=0)"),
    "survei": Calc(udfs.survei, survei_native, "SURVEI", lambda j, *_: f"COUNT({j})=0"),
    "survei_kelompok": Calc(udfs.survei_kelompok, survei_kelompok_native, "SURVEI_KELOMPOK",
                            lambda j, k, n, *_: f"COUNTIF({k},{n})=0"),
    "survei_responden": Calc(udfs.survei_responden, survei_responden_native, "SURVEI_RESPONDEN",
                             lambda j, *_: f"COUNT({j})=0"),
    # native only: serapan (or any ratio %) of one row, blank without a denominator
    "serapan": Calc(lambda r, p: udfs.penyerapan(r, p), lambda r, p: f'IF(N({p})=0,"",N({r})/{p}*100)'),
    "kali": Calc(lambda a, b: _num0(a) * _num0(b), lambda a, b: f'IF(AND({a}="",{b}=""),"",N({a})*N({b}))'),
    "pertumbuhan": Calc(lambda a, b: udfs.pertumbuhan(a, b),
                        lambda a, b: f'IF(OR(N({a})=0,{b}=""),"",({b}-{a})/{a}*100)'),
    # a row of a subtotal table: Σ of ``col`` over the detail rows whose group is ``nama``
    "subtotal": Calc(lambda n, k, c: _subtotal(n, k, c), lambda n, k, c: f'IF({n}="","",SUMIF({k},{n},{c}))'),
    # total rules over whole columns
    "rasio_jumlah": Calc(lambda a, b: udfs.rasio_gabungan(a, b),
                         lambda a, b: f'IF(SUM({b})=0,"",SUM({a})/SUM({b})*100)'),
    "pertumbuhan_jumlah": Calc(lambda a, b: udfs.pertumbuhan(_sum_col(a), _sum_col(b)) if _sum_col(a) else None,
                               lambda a, b: f'IF(SUM({a})=0,"",(SUM({b})-SUM({a}))/SUM({a})*100)'),
})


def _subtotal(nama: Value, groups: Sequence[Value], col: Sequence[Value]) -> float | None:
    key = "" if nama is None else str(nama).strip().casefold()
    if not key:
        return None
    return sum(_num0(v) for g, v in zip(groups, col) if g is not None and str(g).strip().casefold() == key)

PARTS = ("cell", "udf", "native")


def is_literal(ref: str) -> bool:
    return ref.startswith("'") and ref.endswith("'")


def formula(rule: Rule, render: Callable[[str], str], parts: str = "cell") -> str:
    """The Excel formula for ``rule``; ``render`` turns a ref into A1 text.

    ``parts="cell"`` is exactly what the template builder writes (and what Validasi / Pulihkan Rumus
    compare with or restore). ``"udf"`` keeps only the ``KINERJA.*`` call and ``"native"`` only the
    native rendering (both under the same blank condition), for tests that check each part.
    """
    if parts not in PARTS:
        raise ValueError(parts)
    refs = [_text(r[1:-1]) if is_literal(r) else render(r) for r in rule.args]
    calc = CALCS[rule.fn]
    if calc.udf is None:
        return "=" + calc.excel(*refs)
    call = f"KINERJA.{calc.udf}({','.join(refs)})"
    body = {"cell": f"IFERROR({call},{calc.excel(*refs)})", "udf": call, "native": calc.excel(*refs)}[parts]
    return f'=IF({calc.blank(*refs)},"",{body})' if calc.blank else "=" + body


def cell_value(result: Value) -> float | str | None:
    """A calculation's result as the cell holds it: None for an error value or "" (a formula's "" reads back
    as no value); a one-cell range result unwrapped."""
    if type(result) is float:  # the common case, none of the checks below apply
        return result
    if isinstance(result, NilaiGalat) or (isinstance(result, str) and result == ""):
        return None
    if isinstance(result, (list, tuple)):
        result = result[0] if len(result) == 1 else result
    return result


def evaluate(rule: Rule, resolve: Resolve) -> float | str | None:
    """Compute ``rule`` in Python; None where the result is an error value."""
    args = [r[1:-1] if is_literal(r) else resolve(r) for r in rule.args]
    return cell_value(CALCS[rule.fn].python(*args))


def evaluate_rows(rule: Rule, columns: Sequence[Sequence[Value]]) -> list[float | str | None]:
    """A row rule over whole columns: ``columns`` holds, per argument of ``rule``, its value on every row
    (literal arguments included, repeated). Equal, row by row, to :func:`evaluate` with that row's values."""
    calc = CALCS[rule.fn]
    if calc.column is not None:
        results = calc.column(*columns)
    else:
        results = list(map(calc.python, *columns))
    return [cell_value(x) for x in results]


_FUNC = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


def functions(text: str) -> set[str]:
    """Names of the functions a formula calls (string literals skipped)."""
    return set(_FUNC.findall(re.sub(r'"(?:[^"]|"")*"', '""', text)))
