"""workbooks/numbers.py, branch by branch: every assertion compares the whole result (value, status, unit,
ambiguity flag), so a parser that reads the right number with the wrong status or unit still fails."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from workbooks.numbers import EXCEL_ERRORS, PLACEHOLDERS, Parsed, parse_number, to_float, within

TEXT = "teks-angka"
REFUSED = Parsed(None, "bukan-angka")


# --- cell values that are not text -----------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    (None, Parsed(None, "kosong")),
    (0, Parsed(0.0, "angka")),
    (1234, Parsed(1234.0, "angka")),
    (-7.5, Parsed(-7.5, "angka")),
    (1e308, Parsed(1e308, "angka")),  # finite: the unit bound is within()'s business
    (True, REFUSED),
    (False, REFUSED),
    (float("inf"), Parsed(None, "tidak-wajar")),
    (float("-inf"), Parsed(None, "tidak-wajar")),
    (float("nan"), Parsed(None, "tidak-wajar")),
    (dt.date(2023, 6, 30), REFUSED),
    (dt.datetime(2023, 6, 30, 9, 0), REFUSED),
    (dt.time(9, 0), REFUSED),
    (dt.timedelta(days=1), REFUSED),
])
def test_typed_cells(raw, expected):
    got = parse_number(raw, "uang")
    assert got == expected
    assert type(got.value) is (float if expected.value is not None else type(None))


# --- empty, placeholders, Excel errors ------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["", "   ", "\u00a0", "\t\n"])
def test_blank_text_is_empty(raw):
    assert parse_number(raw) == Parsed(None, "kosong")


@pytest.mark.parametrize("raw", ["-", "--", "—", "–", "n/a", "N/A", "na", "NA", " - ", "\u00a0--\u00a0"])
def test_placeholders(raw):
    assert parse_number(raw, "uang") == Parsed(None, "placeholder")


def test_placeholder_set_is_exactly_the_documented_one():
    assert PLACEHOLDERS == {"-", "--", "—", "–", "n/a", "na", "#n/a"}


@pytest.mark.parametrize("raw", ["#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                                 "#SPILL!", "#CALC!", " #div/0! "])
def test_excel_errors(raw):
    assert parse_number(raw) == Parsed(None, "galat-excel")


def test_na_error_counts_as_a_placeholder_not_an_error():
    # '#N/A' is in both sets; placeholders are checked first (a deliberate "no value" in many templates)
    assert "#n/a" in EXCEL_ERRORS and "#n/a" in PLACEHOLDERS
    assert parse_number("#N/A") == Parsed(None, "placeholder")


# --- Indonesian and US notation -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw,hint,expected", [
    # Indonesian: dots for thousands, comma for decimals
    ("1.234,56", "uang", Parsed(1234.56, TEXT)),
    ("1.234.567,89", "uang", Parsed(1234567.89, TEXT)),
    ("-1.234,5", "uang", Parsed(-1234.5, TEXT)),
    ("+1.234,5", "angka", Parsed(1234.5, TEXT)),
    ("123.456.789", "uang", Parsed(123456789.0, TEXT)),
    ("12,5", "angka", Parsed(12.5, TEXT)),
    ("0,125", "angka", Parsed(0.125, TEXT)),
    (",125", "angka", Parsed(0.125, TEXT)),
    ("1,2345", "angka", Parsed(1.2345, TEXT)),
    ("45,2%", "persen", Parsed(45.2, TEXT)),
    # US: commas for thousands, dot for decimals
    ("1,234.56", "uang", Parsed(1234.56, TEXT)),
    ("7,572,916,000", "uang", Parsed(7572916000.0, TEXT)),
    ("1,234,567.89", "uang", Parsed(1234567.89, TEXT)),
    ("12.5", "angka", Parsed(12.5, TEXT)),
    ("0.279", "uang", Parsed(0.279, TEXT)),
    # plain digits, signs and spaces
    ("400952", "uang", Parsed(400952.0, TEXT)),
    ("  42  ", "angka", Parsed(42.0, TEXT)),
    ("-5", "angka", Parsed(-5.0, TEXT)),
    ("- 5", "angka", Parsed(-5.0, TEXT)),
    ("1 234 567", "uang", Parsed(1234567.0, TEXT)),
    ("1\u00a0234\u00a0567", "uang", Parsed(1234567.0, TEXT)),  # Excel's non-breaking thousands space
])
def test_notations(raw, hint, expected):
    assert parse_number(raw, hint) == expected


@pytest.mark.parametrize("raw,hint,expected", [
    # one separator before exactly three digits: thousands for money and counts, decimal for percentages
    ("1.279", "uang", Parsed(1279.0, TEXT, ambigu=True)),
    ("1.279", "angka", Parsed(1279.0, TEXT, ambigu=True)),
    ("1.279", "persen", Parsed(1.279, TEXT, ambigu=True)),
    ("10,725", "uang", Parsed(10725.0, TEXT, ambigu=True)),
    ("10,725", "persen", Parsed(10.725, TEXT, ambigu=True)),
    ("-1.279", "uang", Parsed(-1279.0, TEXT, ambigu=True)),
    ("1.279%", "angka", Parsed(1.279, TEXT, ambigu=True)),  # a percent sign decides like the persen hint
    # not ambiguous: a leading 0 or nothing before the separator, or not three digits after it
    ("0.279", "persen", Parsed(0.279, TEXT)),
    ("0,279", "uang", Parsed(0.279, TEXT)),
    (".279", "uang", Parsed(0.279, TEXT)),
    ("1.27", "uang", Parsed(1.27, TEXT)),
    ("1.2790", "uang", Parsed(1.279, TEXT)),
    ("1.279.000", "uang", Parsed(1279000.0, TEXT)),
    ("1.279,5", "persen", Parsed(1279.5, TEXT)),
])
def test_ambiguous_separators(raw, hint, expected):
    assert parse_number(raw, hint) == expected


# --- percent, Rupiah prefix, units -----------------------------------------------------------------------

@pytest.mark.parametrize("raw,hint,expected", [
    ("45%", "angka", Parsed(45.0, TEXT)),
    ("45 %", "persen", Parsed(45.0, TEXT)),
    ("100%", "persen", Parsed(100.0, TEXT)),
    ("45% tercapai", "persen", Parsed(45.0, TEXT, satuan="tercapai")),
    ("12%", "uang", REFUSED),  # a percent sign in a Rupiah or count column
    ("Rp 1.234.567", "uang", Parsed(1234567.0, TEXT)),
    ("Rp. 1.234.567,50", "uang", Parsed(1234567.5, TEXT)),
    ("Rp.1.000.000", "uang", Parsed(1000000.0, TEXT)),
    ("rp1000", "uang", Parsed(1000.0, TEXT)),
    ("RP 5", "uang", Parsed(5.0, TEXT)),
    ("Rp 1.234", "uang", Parsed(1234.0, TEXT, ambigu=True)),
    ("Rp", "uang", REFUSED),
    ("Rupiah", "uang", REFUSED),
    ("6 persen", "angka", Parsed(6.0, TEXT, satuan="persen")),
    ("750 SPK/Order", "angka", Parsed(750.0, TEXT, satuan="SPK/Order")),
    ("1.250 orang", "angka", Parsed(1250.0, TEXT, satuan="orang", ambigu=True)),
    ("3 dokumen,", "angka", Parsed(3.0, TEXT, satuan="dokumen")),
    ("3 dokumen -", "angka", Parsed(3.0, TEXT, satuan="dokumen")),
    ("12 laporan  ", "angka", Parsed(12.0, TEXT, satuan="laporan")),
])
def test_percent_rupiah_and_units(raw, hint, expected):
    assert parse_number(raw, hint) == expected


# --- refused forms ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "1e308", "1E5", "2,5e3",  # exponents
    "0x61E38", "0b101",  # hexadecimal, binary
    "400_952",  # underscores
    "400952abc", "6persen", "45%abc", "45 %x",  # letters glued to the digits or to the percent sign
    "30.06.2023", "2023-06-30", "30/06/2023",  # dates
    "INF", "-inf", "NaN", "Infinity",  # non-finite words
    "abc", ".", ",", "+", "--5", "5-", "5 - 6",  # no number, or more than one
    "1.23.4", "1.2345.678", "1234.567.890", "12.34,5", "1.234,5.6", "1.234,56,7", ".234,5",  # bad groups
    "1,23,456.00",  # lakh grouping is not Indonesian or US
])
def test_refused_forms(raw):
    for hint in ("uang", "persen", "angka"):
        assert parse_number(raw, hint) == REFUSED, hint


def test_too_many_digits_is_not_finite():
    assert parse_number("9" * 400, "uang") == Parsed(None, "tidak-wajar")
    assert parse_number("9" * 300, "uang") == Parsed(float("9" * 300), TEXT)


# --- within, to_float, ok ---------------------------------------------------------------------------------

def test_within_bound():
    p = parse_number("1.500 orang", "angka")
    assert within(p, None) is p
    assert within(p, 1500) is p  # the bound itself is allowed
    assert within(p, 1499.5) == Parsed(None, "tidak-wajar", "orang")
    assert within(parse_number(-2000), 1999) == Parsed(None, "tidak-wajar")
    assert within(parse_number(-1999), 1999) == Parsed(-1999.0, "angka")
    empty = parse_number("-")
    assert within(empty, 0) is empty


def test_to_float():
    assert to_float("1.234,5") == 1234.5
    assert to_float("1.279", "persen") == 1.279
    assert to_float("1.279") == 1279.0
    assert to_float("-") is None and to_float(None) is None and to_float("abc") is None and to_float(7) == 7.0


@pytest.mark.parametrize("status,ok", [("kosong", True), ("placeholder", True), ("angka", True), ("teks-angka", True),
                                       ("galat-excel", False), ("bukan-angka", False), ("tidak-wajar", False)])
def test_ok(status, ok):
    assert Parsed(None, status).ok is ok


def test_parsed_values_are_finite_or_none():
    for raw in ("1.234,56", "1e308", "9" * 400, float("nan"), "45%", "-"):
        v = parse_number(raw).value
        assert v is None or math.isfinite(v)


def test_parse_within_takes_plain_floats_as_they_are_and_bounds_them():
    from workbooks.numbers import parse_within

    assert parse_within(30.52, "persen", 1e6) == Parsed(30.52, "angka")
    assert parse_within(2e6, "persen", 1e6).status == "tidak-wajar"
    assert parse_within(float("inf"), "uang", None).status == "tidak-wajar"
    assert parse_within("1.234,5", "uang", 1e15) == parse_number("1.234,5", "uang")
