"""Tests of elternkit.clean_email: one valid lower-case address per cell."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame, long_frame_from_case
from hypothesis import given, settings
from hypothesis import strategies as st
from stage_checks import assert_twice_equals_once

from elternkit.clean_email import clean_email, normalize_email, suggest_email_domain
from elternkit.clean_text import clean_text
from elternkit.rules import Outcome

# (id, messy value, clean value, regel)
CLEAN_CASES = [
    ("upper-case", "ANNA@example.org", "anna@example.org", "email_kleinschreibung"),
    (
        "mixed-case",
        "Anna.Beispiel@Web.DE",
        "anna.beispiel@web.de",
        "email_kleinschreibung",
    ),
    ("spaces-around", "  anna@example.org ", "anna@example.org", "email_format"),
    ("mailto", "mailto:anna@example.org", "anna@example.org", "email_format"),
    ("angle-brackets", "<anna@example.org>", "anna@example.org", "email_format"),
    (
        "same-twice",
        "anna@example.org; ANNA@example.org",
        "anna@example.org",
        "email_format",
    ),
    ("umlaut-domain", "anna@müller.de", "anna@müller.de", None),
]

UNCHANGED = [
    ("plain", "anna@example.org"),
    ("plus-tag", "anna+schule@example.org"),
    ("subdomain", "eltern@mail.example.org"),
    ("real-austrian-gmx", "anna@gmx.at"),
]

# (id, messy value, kept value, codes of the findings)
FINDING_CASES = [
    (
        "two-semicolon",
        "anna@example.org; lars@example.org",
        "anna@example.org",
        ["email_mehrere"],
    ),
    (
        "two-comma",
        "lars@example.org, l.muster@example.net",
        "lars@example.org",
        ["email_mehrere"],
    ),
    (
        "two-space",
        "eva@example.org eva.p@example.net",
        "eva@example.org",
        ["email_mehrere"],
    ),
    (
        "two-line-break",
        "eva@example.org\neva.p@example.net",
        "eva@example.org",
        ["email_mehrere"],
    ),
    (
        "two-slash",
        "eva@example.org / eva.p@example.net",
        "eva@example.org",
        ["email_mehrere"],
    ),
    (
        "first-invalid",
        "anna(at)example.org; lars@example.org",
        "lars@example.org",
        ["email_mehrere"],
    ),
    ("at-round", "tom(at)example.org", None, ["email_ungueltig"]),
    ("at-square-spaced", "tom [at] example [dot] org", None, ["email_ungueltig"]),
    ("no-at", "keine Angabe", None, ["email_ungueltig"]),
    ("two-at-glued", "anna@example.orglars@example.org", None, ["email_ungueltig"]),
    ("trailing-dot", "anna@gmx.de.", None, ["email_ungueltig"]),
    ("remark", "ida@example.org (nur abends)", "ida@example.org", ["email_bemerkung"]),
    ("label", "Mutter: anna@example.org", "anna@example.org", ["email_bemerkung"]),
    ("typo-tld", "anna@gmx.dee", "anna@gmx.dee", ["email_tippfehler"]),
    ("typo-doubled-tld", "anna@web.de.de", "anna@web.de.de", ["email_tippfehler"]),
    ("typo-swapped", "anna@gmial.com", "anna@gmial.com", ["email_tippfehler"]),
    ("typo-missing-letter", "anna@t-onlne.de", "anna@t-onlne.de", ["email_tippfehler"]),
    (
        "typo-wrong-tld",
        "anna@googlemail.de",
        "anna@googlemail.de",
        ["email_tippfehler"],
    ),
]

# (id, domain, proposal)
DOMAIN_CASES = [
    ("gmx-dee", "gmx.dee", "gmx.de"),
    ("web-doubled", "web.de.de", "web.de"),
    ("gmail-swapped", "gmial.com", "gmail.com"),
    ("t-online-missing", "t-onlne.de", "t-online.de"),
    ("trailing-dot", "gmx.de.", "gmx.de"),
    ("googlemail-de", "googlemail.de", "googlemail.com"),
    ("upper-case", "GMX.DEE", "gmx.de"),
    ("known", "gmx.net", None),
    ("known-foreign", "gmx.ch", None),
    ("school", "schule-musterstadt.de", None),
    ("example", "example.org", None),
]


@pytest.mark.parametrize(
    ("raw", "expected", "rule"),
    [c[1:] for c in CLEAN_CASES],
    ids=[c[0] for c in CLEAN_CASES],
)
def test_normalize_email_cleans(raw, expected, rule):
    outcome = normalize_email(raw)

    assert (outcome.value, outcome.rule, outcome.hits) == (expected, rule, ())


@pytest.mark.parametrize(
    "value", [c[1] for c in UNCHANGED], ids=[c[0] for c in UNCHANGED]
)
def test_normalize_email_keeps_clean_values(value):
    assert normalize_email(value) == Outcome(value)


@pytest.mark.parametrize(
    ("raw", "expected", "codes"),
    [c[1:] for c in FINDING_CASES],
    ids=[c[0] for c in FINDING_CASES],
)
def test_normalize_email_reports(raw, expected, codes):
    outcome = normalize_email(raw)

    assert outcome.value == expected
    assert [h.code for h in outcome.hits] == codes
    assert outcome.value is None or outcome.value.count("@") == 1


@pytest.mark.parametrize(
    ("domain", "proposal"),
    [c[1:] for c in DOMAIN_CASES],
    ids=[c[0] for c in DOMAIN_CASES],
)
def test_suggest_email_domain(domain, proposal):
    assert suggest_email_domain(domain) == proposal


def test_normalize_email_proposes_but_never_applies_a_typo_fix():
    outcome = normalize_email("Anna@GMX.dee")

    assert outcome.value == "anna@gmx.dee"
    assert outcome.hits[0].detail == "anna@gmx.de"


def test_normalize_email_names_the_spelled_out_address():
    outcome = normalize_email("tom(at)example.org")

    assert "„tom@example.org“" in outcome.hits[0].detail


def test_clean_email_b16_one_address_per_person():
    frame = long_frame_from_case("b16_several_emails.csv")

    stage = clean_email(frame)

    assert stage.frame["email"].to_list() == [
        "anna@example.org",
        "lars@example.org",
        "eva@example.org",
        None,
        "ida@example.org",
    ]
    found = stage.findings.select("kind_id", "code", "schwere").rows()
    assert found == [
        ("1001", "email_mehrere", "warnung"),
        ("1002", "email_mehrere", "warnung"),
        ("1003", "email_mehrere", "warnung"),
        ("1004", "email_ungueltig", "warnung"),
        ("1005", "email_bemerkung", "hinweis"),
    ]


def test_clean_email_b16_messages_name_what_was_dropped():
    stage = clean_email(long_frame_from_case("b16_several_emails.csv"))

    messages = dict(
        zip(stage.findings["kind_id"], stage.findings["meldung"], strict=True)
    )
    assert "weggelassen: „lars@example.org“" in messages["1001"]
    assert "weggelassen: „l.muster@example.net“" in messages["1002"]
    assert "weggelassen: „eva.p@example.net“" in messages["1003"]
    assert (
        "„tom(at)example.org“; das ist keine gültige E-Mail-Adresse" in messages["1004"]
    )
    assert "ohne E-Mail exportiert" in messages["1004"]
    assert "weggelassen: „nur abends“" in messages["1005"]


def test_clean_email_b16_no_cell_holds_two_at():
    stage = clean_email(long_frame_from_case("b16_several_emails.csv"))

    assert stage.frame["email"].drop_nulls().str.count_matches("@").max() == 1


def test_clean_email_b15_shared_address_left_to_persons():
    frame = long_frame_from_case("b15_shared_email.csv")

    stage = clean_email(frame)

    assert stage.frame["email"].to_list() == ["familie.beispiel@example.org"] * 2
    assert stage.changes.is_empty()
    assert stage.findings.is_empty()


def test_clean_email_b13_after_clean_text():
    cleaned = clean_text(long_frame_from_case("b13_invisible_spaces.csv")).frame

    stage = clean_email(cleaned)

    assert stage.frame["email"].to_list() == [
        "anna.beispiel@example.org",
        "lars.muster@example.org",
    ]


def test_clean_email_b13_robust_without_clean_text():
    frame = long_frame(email=[" anna.beispiel@example.org\u200b "])

    stage = clean_email(frame)

    assert stage.frame["email"].to_list() == ["anna.beispiel@example.org"]


def test_clean_email_records_lower_casing():
    stage = clean_email(long_frame(email=["ANNA@example.org", "anna@example.org"]))

    assert stage.changes.select("zeile", "vorher", "nachher", "regel").rows() == [
        (2, "ANNA@example.org", "anna@example.org", "email_kleinschreibung")
    ]


EMAIL_FRAGMENTS = [
    *"abAB.@;, /()-_+",
    *("anna", "@example.org", "(at)", "[at]", "gmx.dee", "web.de", "mailto:"),
    *(" (nur abends)", "\n", "ÄÖ", "@@"),
]
EMAIL_TEXT = st.lists(st.sampled_from(EMAIL_FRAGMENTS), max_size=10).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | EMAIL_TEXT, min_size=1, max_size=6))
def test_clean_email_twice_equals_once(values):
    once, twice = assert_twice_equals_once(clean_email, long_frame(email=values))

    assert set(twice.findings["code"]) <= {"email_tippfehler"}
    assert once.frame["email"].drop_nulls().str.count_matches("@").max() in (None, 1)


def test_clean_email_keeps_rows_and_order():
    frame = long_frame(email=["b@example.org", None, "a@example.org"])

    stage = clean_email(frame)

    assert stage.frame["_row"].to_list() == [0, 1, 2]
    assert stage.frame.select(pl.exclude("email")).equals(
        frame.select(pl.exclude("email"))
    )
