"""Tests of elternkit.clean_phone: one canonical form for phone numbers."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import CASES, long_frame, long_frame_from_case
from hypothesis import given, settings
from hypothesis import strategies as st
from stage_checks import assert_twice_equals_once

from elternkit.clean_phone import clean_phone, normalize_phone
from elternkit.errors import OptionError
from elternkit.options import Options
from elternkit.rules import Outcome

DRESDEN = "+493511234567"
MOBILE = "+4915112345678"

# (id, messy value, canonical E.164 value, regel)
CANONICAL_CASES = [
    ("plus49-zero-in-brackets", "+49 (0)351 1234567", DRESDEN, "telefon_format"),
    ("plus49-zero-no-brackets", "+49 0351 1234567", DRESDEN, "telefon_format"),
    ("slash-area-code", "0351/1234567", DRESDEN, "telefon_format"),
    ("slash-with-spaces", "0351 / 123 45 67", DRESDEN, "telefon_format"),
    ("double-zero-49", "0049 351 1234567", DRESDEN, "telefon_format"),
    ("bare-49-zero", "49(0)3511234567", DRESDEN, "telefon_format"),
    ("double-zero-49-zero", "0049 (0) 351 1234567", DRESDEN, "telefon_format"),
    ("brackets-and-dash", "(0351) 12 34 56-7", DRESDEN, "telefon_format"),
    ("dots", "0351.123.45.67", DRESDEN, "telefon_format"),
    ("mobile-dash", "0151-12345678", MOBILE, "telefon_format"),
    ("label-tel-privat", "Tel. privat: 0351 1234567", DRESDEN, "telefon_format"),
    ("label-handy", "Handy 0151 12345678", MOBILE, "telefon_format"),
    ("label-mobil-colon", "mobil: 0151/12345678", MOBILE, "telefon_format"),
    ("label-priv", "priv. 0351 1234567", DRESDEN, "telefon_format"),
    ("label-dienstl", "dienstl.: 0351-1234567", DRESDEN, "telefon_format"),
    ("surrounding-spaces", "  0351 1234567 ", DRESDEN, "telefon_format"),
    ("international-spaces", "+49 351 1234567", DRESDEN, "telefon_format"),
    ("lost-zero", "351123456", "+49351123456", "telefon_fuehrende_null"),
    ("lost-zero-float", "351123456.0", "+49351123456", "telefon_fuehrende_null"),
    ("lost-plus", "4915112345678", MOBILE, "telefon_plus_ergaenzt"),
    ("foreign", "+43 1 234567", "+431234567", "telefon_format"),
    ("same-number-twice", "0351 1234567; 0351/1234567", DRESDEN, "telefon_format"),
]

# (id, placeholder): nothing to report, the cell just becomes empty.
PLACEHOLDERS = [("dash", "-"), ("slash", "/"), ("spaces", "   ")]

UNCHANGED = [
    ("e164-landline", DRESDEN),
    ("e164-mobile", MOBILE),
    ("e164-foreign", "+442079460958"),
]

# (id, messy value, kept value, codes of the findings)
FINDING_CASES = [
    ("too-short", "12345", None, ["telefon_ungueltig"]),
    ("no-digits", "unbekannt", None, ["telefon_ungueltig"]),
    ("area-code-only", "0351", None, ["telefon_ungueltig"]),
    ("scientific-comma", "4,91511E+12", None, ["telefon_ziffern_verloren"]),
    ("scientific-dot", "4.91511e+12", None, ["telefon_ziffern_verloren"]),
    ("ambiguous-49", "49351123456", None, ["telefon_mehrdeutig"]),
    ("two-slash", "0351 123456 / 0171 1234567", "+49351123456", ["telefon_mehrere"]),
    ("two-semicolon", "0351 123456; 0171 1234567", "+49351123456", ["telefon_mehrere"]),
    ("two-comma", "0351 123456, 0171 1234567", "+49351123456", ["telefon_mehrere"]),
    ("two-oder", "0171 1234567 oder 0351 123456", "+491711234567", ["telefon_mehrere"]),
    ("two-spaces-only", "0351 1234567 0171 1234567", DRESDEN, ["telefon_mehrere"]),
    (
        "two-labelled",
        "Handy: 0171 1234567, Festnetz: 0351 123456",
        "+491711234567",
        ["telefon_mehrere"],
    ),
    ("first-invalid", "12345; 0351 1234567", DRESDEN, ["telefon_mehrere"]),
    ("remark", "0351 1234567 (nur abends)", DRESDEN, ["telefon_bemerkung"]),
]


@pytest.mark.parametrize(
    ("raw", "expected", "rule"),
    [c[1:] for c in CANONICAL_CASES],
    ids=[c[0] for c in CANONICAL_CASES],
)
def test_normalize_phone_gives_canonical_form(raw, expected, rule):
    outcome = normalize_phone(raw)

    assert (outcome.value, outcome.rule, outcome.hits) == (expected, rule, ())


@pytest.mark.parametrize(
    "value", [c[1] for c in UNCHANGED], ids=[c[0] for c in UNCHANGED]
)
def test_normalize_phone_keeps_canonical_values(value):
    assert normalize_phone(value).value == value
    assert normalize_phone(value).rule is None


@pytest.mark.parametrize(
    "value", [c[1] for c in PLACEHOLDERS], ids=[c[0] for c in PLACEHOLDERS]
)
def test_normalize_phone_placeholder_becomes_empty(value):
    assert normalize_phone(value) == Outcome(None, "telefon_format")


@pytest.mark.parametrize(
    ("raw", "expected", "codes"),
    [c[1:] for c in FINDING_CASES],
    ids=[c[0] for c in FINDING_CASES],
)
def test_normalize_phone_reports(raw, expected, codes):
    outcome = normalize_phone(raw)

    assert outcome.value == expected
    assert [h.code for h in outcome.hits] == codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+49 (0)351 1234567", "+49 351 1234567"),
        ("0151-12345678", "+49 1511 2345678"),
        ("+49 351 1234567", "+49 351 1234567"),
    ],
    ids=["landline", "mobile", "already-international"],
)
def test_normalize_phone_international_format(raw, expected):
    assert normalize_phone(raw, phone_format="international").value == expected


def test_normalize_phone_names_dropped_numbers():
    outcome = normalize_phone("0351 123456 / 0171 1234567")

    assert outcome.hits[0].detail == " „0171 1234567“"


def test_normalize_phone_rejects_unknown_format():
    with pytest.raises(OptionError, match="Das Telefonformat 'national' ist unbekannt"):
        normalize_phone("0351 1234567", phone_format="national")  # type: ignore[arg-type]


def test_clean_phone_b17_same_number_one_form():
    frame = long_frame_from_case("b17_phones.csv")

    stage = clean_phone(frame)

    phones = dict(zip(stage.frame["kind_id"], stage.frame["telefon"], strict=True))
    for kind_id in ("1001", "1002", "1003", "1004", "1006", "1007"):
        assert phones[kind_id] == DRESDEN, kind_id
    assert phones["1005"] == MOBILE
    assert phones["1008"] is None
    assert stage.findings.select("zeile", "kind_id", "code", "schwere").rows() == [
        (9, "1008", "telefon_ungueltig", "warnung")
    ]
    dropped = stage.changes.filter(pl.col("zeile") == 9)
    assert dropped.select("vorher", "nachher", "regel").rows() == [
        ("12345", None, "telefon_ungueltig")
    ]


def test_clean_phone_b17_message_has_three_parts():
    stage = clean_phone(long_frame_from_case("b17_phones.csv"))

    message = stage.findings["meldung"][0]
    assert "„12345“" in message
    assert "IServ nutzt die Telefonnummer als Hilfsmerkmal" in message
    assert "Bitte die Nummer mit Vorwahl" in message


def test_clean_phone_b19_plus_numbers_stay_intact():
    # The formula cell in row 2 holds a ";" of its own, so the phone is taken
    # from the end of each line (Telefon;Kind-ID are the last two fields).
    lines = (CASES / "b19_formula.csv").read_text(encoding="utf-8").splitlines()
    phones = [line.rsplit(";", 2)[1] or None for line in lines[1:]]
    frame = long_frame(telefon=phones)

    e164 = clean_phone(frame).frame["telefon"].to_list()
    international = clean_phone(
        frame, options=Options(phone_format="international")
    ).frame["telefon"]

    assert e164 == ["+493511234567", None, "+4915112345678", "+493517654321"]
    assert international.to_list()[0] == "+49 351 1234567"


def test_clean_phone_b09_leading_zero_kept():
    stage = clean_phone(long_frame_from_case("b09_leading_zeros.csv"))

    assert stage.frame["telefon"].to_list() == ["+49351123456", "+4944198765"]
    assert stage.findings.is_empty()


def test_clean_phone_scientific_notation_is_dropped_not_expanded():
    frame = long_frame(telefon=["4,91511E+12"], kind_id=["1001"])

    stage = clean_phone(frame)

    assert stage.frame["telefon"].to_list() == [None]
    assert stage.findings["code"].to_list() == ["telefon_ziffern_verloren"]
    assert "wissenschaftlicher Schreibweise" in stage.findings["meldung"][0]


def test_clean_phone_reports_every_row_of_a_repeated_value():
    frame = long_frame(telefon=["12345", "12345", None], kind_id=["1", "2", "3"])

    stage = clean_phone(frame)

    assert stage.findings["zeile"].to_list() == [2, 3]
    assert stage.changes["zeile"].to_list() == [2, 3]


PHONE_FRAGMENTS = [
    *"0123456789+()/-. ;,",
    *("Tel. ", "Handy ", "oder ", "E+12", "49(0)", "0351", "0171", "(nur abends)"),
]
PHONE_TEXT = st.lists(st.sampled_from(PHONE_FRAGMENTS), max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | PHONE_TEXT, min_size=1, max_size=6))
def test_clean_phone_twice_equals_once(values):
    once, _ = assert_twice_equals_once(clean_phone, long_frame(telefon=values))

    kept = once.frame["telefon"].drop_nulls()
    assert kept.str.starts_with("+").all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.none() | PHONE_TEXT, min_size=1, max_size=6))
def test_clean_phone_international_twice_equals_once(values):
    options = Options(phone_format="international")

    once, _ = assert_twice_equals_once(
        clean_phone, long_frame(telefon=values), options=options
    )

    assert once.frame["telefon"].drop_nulls().str.starts_with("+").all()
