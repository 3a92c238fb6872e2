"""The speed-ups change nothing: fast paths agree with the per-value rules."""

from __future__ import annotations

from pathlib import Path

import gender_guesser.detector as gender_detector
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elternkit.clean_email import normalize_email, tidy_email_expr
from elternkit.clean_phone import normalize_phone, plain_phone_table
from elternkit.findings import Hit
from elternkit.lexicon import _detector
from elternkit.read import read_export
from elternkit.rules import Outcome

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

_LOCAL = st.text(alphabet="abcxyz019._+-AÄ ", min_size=1, max_size=70)
_DOMAIN = st.sampled_from(
    [
        "web.de",
        "gmx.dee",
        "example.org",
        "localhost",
        "b.test",
        "schule-am-see.de",
        "-x.de",
        "a..de",
        "gmial.com",
        "x" * 64 + ".de",
        "123.45",
    ]
)


def _tidy(values: list[str]) -> list[bool]:
    series = pl.Series("email", values, dtype=pl.String)
    return series.to_frame().select(tidy_email_expr(series))["email"].to_list()


@settings(max_examples=400, deadline=None)
@given(local=_LOCAL, domain=_DOMAIN)
def test_tidy_email_means_unchanged_without_findings(local: str, domain: str):
    value = f"{local}@{domain}"

    (tidy,) = _tidy([value])

    if tidy:
        assert normalize_email(value) == Outcome(value)


@pytest.mark.parametrize(
    ("value", "tidy"),
    [
        ("anna.beispiel@example.org", True),
        ("anna_b+schule@web.de", True),
        ("Anna@web.de", False),
        ("anna@gmx.dee", False),
        ("anna..b@web.de", False),
        (".anna@web.de", False),
        ("anna@web.de; lars@web.de", False),
        ("anna(at)web.de", False),
        ("a" * 65 + "@web.de", False),
    ],
    ids=[
        "plain",
        "plus-underscore",
        "upper-case",
        "typo-domain",
        "double-dot",
        "leading-dot",
        "two-addresses",
        "obfuscated-at",
        "local-part-too-long",
    ],
)
def test_tidy_email_table(value: str, tidy: bool):
    assert _tidy([value]) == [tidy]
    if tidy:
        assert normalize_email(value) == Outcome(value)


def test_tidy_email_agrees_on_the_sample_exports():
    values = []
    for path in SAMPLE.glob("*/*.csv"):
        frame = read_export(path).frame
        for column in frame.columns:
            if "mail" in column.lower():
                values += frame[column].drop_nulls().to_list()
    assert values

    tidy = _tidy(values)

    assert sum(tidy) > len(values) / 2
    for value, is_tidy in zip(values, tidy, strict=True):
        if is_tidy:
            assert normalize_email(value) == Outcome(value), value


def test_fast_name_list_is_the_detectors_own():
    reference = gender_detector.Detector(case_sensitive=False).names

    fast = _detector().names

    assert fast == reference
    assert list(fast) == list(reference)
    assert all(list(fast[k]) == list(reference[k]) for k in reference)


_GROUP = st.text(alphabet="0123456789", min_size=1, max_size=5)
_NATIONAL = st.builds(
    lambda head, groups, seps: (
        "0"
        + head
        + "".join(sep + group for sep, group in zip(seps, groups, strict=False))
    ),
    st.sampled_from("123456789"),
    st.lists(_GROUP, min_size=1, max_size=4),
    st.lists(st.sampled_from(["", "", " ", "/", "-", " / ", " - ", "  "]), max_size=4),
)


def _outcome(e164: str | None) -> Outcome:
    """What normalize_phone gives for a plain national number."""
    if e164 is not None:
        return Outcome(e164, "telefon_format")
    return Outcome(None, "telefon_ungueltig", (Hit("telefon_ungueltig", detail=""),))


@settings(max_examples=500, deadline=None)
@given(values=st.lists(_NATIONAL, min_size=1, max_size=20, unique=True))
def test_plain_phone_table_agrees_with_normalize_phone(values: list[str]):
    table = plain_phone_table(pl.Series("telefon", values), phone_format="e164")

    for value, e164 in table.iter_rows():
        assert _outcome(e164) == normalize_phone(value), value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0351 1234567", "+493511234567"),
        ("015155522384", "+4915155522384"),
        ("0351/123 45-67", "+493511234567"),
        ("0351 12", None),
        ("+49 351 1234567", "fallback"),
        ("0351 0123456", "fallback"),
        ("0351/0351 123456", "fallback"),
        ("Tel. 0351 1234567", "fallback"),
        ("(0351) 1234567", "fallback"),
    ],
    ids=["landline", "mobile", "separators", "too-short", "plus", "space-before-0",
         "two-numbers", "label", "brackets"],
)  # fmt: skip
def test_plain_phone_table_rows(value: str, expected: str | None):
    table = plain_phone_table(pl.Series("telefon", [value]), phone_format="e164")

    if expected == "fallback":
        assert table.is_empty()
    else:
        assert table.rows() == [(value, expected)]
        assert _outcome(expected) == normalize_phone(value)


def test_plain_phone_table_only_for_e164():
    series = pl.Series("telefon", ["0351 1234567"])

    assert plain_phone_table(series, phone_format="international").is_empty()
