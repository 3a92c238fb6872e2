"""Tests of elternkit.clean_text: invisible characters, whitespace, mojibake."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame, long_frame_from_case, table
from hypothesis import given, settings
from hypothesis import strategies as st

from elternkit.clean_text import (
    clean_text,
    clean_text_value,
    normalize_whitespace,
    repair_mojibake,
    unchanged_text_expr,
)
from elternkit.rules import Outcome

WHITESPACE_CASES = [
    ("nbsp-around", "\u00a0 Anna ", "Anna"),
    ("nbsp-trailing", "Beispiel\u00a0", "Beispiel"),
    ("narrow-nbsp", "Muster\u202fMann", "Muster Mann"),
    ("figure-space", "01067\u2007Dresden", "01067 Dresden"),
    (
        "zero-width-space",
        "anna.beispiel@example.org\u200b",
        "anna.beispiel@example.org",
    ),
    ("zero-width-joiner", "An\u200dna", "Anna"),
    ("word-joiner", "An\u2060na", "Anna"),
    ("bom-inside", "\ufeffAnna", "Anna"),
    ("soft-hyphen", "Bei\u00adspiel", "Beispiel"),
    ("doubled-space", "Muster  Mann", "Muster Mann"),
    ("tab", "Muster\tMann", "Muster Mann"),
    ("line-break", "Musterstr. 47\r\n01067 Dresden", "Musterstr. 47 01067 Dresden"),
    ("only-spaces", "   ", None),
    ("only-invisible", "\u200b\u00a0", None),
    ("unchanged-plain", "Anna", "Anna"),
    ("unchanged-hyphen", "Marie-Luise", "Marie-Luise"),
    ("unchanged-single-spaces", "von der Heide", "von der Heide"),
]


@pytest.mark.parametrize(
    ("messy", "clean"),
    **table(WHITESPACE_CASES),
)
def test_normalize_whitespace(messy: str, clean: str | None) -> None:
    assert normalize_whitespace(messy) == clean


MOJIBAKE_CASES = [
    ("ue-lower", "JÃ¼rgen", "Jürgen"),
    ("ue-in-surname", "MÃ¼ller", "Müller"),
    ("oe-upper-cp1252-dash", "Ã–zlem", "Özlem"),
    ("sz", "WeiÃŸ", "Weiß"),
    ("ae", "BÃ¤cker", "Bäcker"),
    ("e-acute", "RenÃ©e", "Renée"),
    ("a-grave-nbsp", "Ã\u00a0 la carte", "à la carte"),
    ("twice-encoded", "MÃƒÂ¼ller", "Müller"),
    ("edge-spaces-kept", " MÃ¼ller ", " Müller "),
    ("unchanged-renee", "Renée", "Renée"),
    ("unchanged-umlaut", "Jürgen Müller", "Jürgen Müller"),
    ("unchanged-ascii", "Anna Beispiel", "Anna Beispiel"),
    ("damage-beside-correct-text", "Müller und MÃ¼ller", "Müller und Müller"),
    ("unchanged-czech-caps", "JÍŠA", "JÍŠA"),
    ("unchanged-polish", "Łukasz Wójcik", "Łukasz Wójcik"),
    ("unchanged-turkish", "Çağlar Öztürk", "Çağlar Öztürk"),
    ("unchanged-euro", "5 €", "5 €"),
]


@pytest.mark.parametrize(
    ("messy", "clean"),
    **table(MOJIBAKE_CASES),
)
def test_repair_mojibake(messy: str, clean: str) -> None:
    assert repair_mojibake(messy) == clean


RULE_CASES = [
    ("mojibake", "JÃ¼rgen", "Jürgen", "doppelt_kodiert"),
    ("spaces", " Anna", "Anna", "leerzeichen"),
    ("zero-width", "Anna\u200b", "Anna", "unsichtbare_zeichen"),
    ("nfd-umlaut", "Mu\u0308ller", "Müller", "unicode_nfc"),
    ("nbsp-and-strip", "Anna\u00a0", "Anna", "unsichtbare_zeichen+leerzeichen"),
    ("unchanged", "Renée", "Renée", None),
]


@pytest.mark.parametrize(
    ("messy", "clean", "rule"),
    **table(RULE_CASES),
)
def test_clean_text_value_names_its_rules(
    messy: str, clean: str, rule: str | None
) -> None:
    outcome = clean_text_value(messy)

    assert (outcome.value, outcome.rule) == (clean, rule)


def test_replacement_character_is_reported_and_kept() -> None:
    frame = long_frame(vorname=["J\ufffdrgen", "Anna"], kind_id=["1001", "1002"])

    stage = clean_text(frame)

    assert stage.frame["vorname"].to_list() == ["J\ufffdrgen", "Anna"]
    assert stage.findings.select("zeile", "feld", "code", "schwere").rows() == [
        (2, "vorname", "zeichen_verloren", "warnung")
    ]
    assert stage.findings["meldung"].str.contains("UTF-8").all()


def test_b02_mojibake_repaired_and_recorded() -> None:
    frame = long_frame_from_case("b02_mojibake.csv")

    stage = clean_text(frame)

    assert stage.frame["vorname"].to_list() == ["Jürgen", "Renée", "Özlem"]
    assert stage.frame["nachname"].to_list() == ["Müller", "Beispiel", "Probe"]
    assert sorted(stage.changes.select("zeile", "feld", "nachher", "regel").rows()) == [
        (2, "nachname", "Müller", "doppelt_kodiert"),
        (2, "vorname", "Jürgen", "doppelt_kodiert"),
        (4, "vorname", "Özlem", "doppelt_kodiert"),
    ]


def test_b13_invisible_spaces() -> None:
    frame = long_frame_from_case("b13_invisible_spaces.csv")

    stage = clean_text(frame)

    row = stage.frame.select("vorname", "nachname", "email").rows()
    assert row == [
        ("Anna", "Beispiel", "anna.beispiel@example.org"),
        ("Lars", "Muster Mann", "lars.muster@example.org"),
    ]
    assert stage.findings.is_empty()


def test_identity_columns_are_not_touched() -> None:
    frame = long_frame(vorname=[" Anna"]).with_columns(
        pl.lit(" Q.csv ").alias("quelle"), pl.lit(" 1").alias("slot")
    )

    stage = clean_text(frame)

    assert stage.frame.select("quelle", "slot").row(0) == (" Q.csv ", " 1")
    assert stage.changes["feld"].to_list() == ["vorname"]


def test_formula_and_phone_values_are_left_to_later_stages() -> None:
    frame = long_frame(
        vorname=["=HYPERLINK(1)", "-Eva"], telefon=["+49 351 1234567", "+4915112345678"]
    )

    stage = clean_text(frame)

    assert stage.frame.select("vorname", "telefon").equals(
        frame.select("vorname", "telefon")
    )
    assert stage.changes.is_empty()


@given(
    st.text(
        alphabet=st.sampled_from("aAüÃ¼–©\u00a0\u200b \t\n-é\u0301\ufffd"), max_size=12
    )
)
def test_clean_text_value_is_idempotent(value: str) -> None:
    once = clean_text_value(value)

    if once.value is not None:
        twice = clean_text_value(once.value)
        assert twice.value == once.value
        assert twice.rule is None


@settings(deadline=None)
@given(st.lists(st.text(max_size=8) | st.none(), min_size=1, max_size=6))
def test_clean_text_stage_is_idempotent(values: list[str | None]) -> None:
    frame = long_frame(vorname=values, email=values)

    once = clean_text(frame)
    twice = clean_text(once.frame)

    assert twice.frame.equals(once.frame)
    assert twice.changes.is_empty()
    assert once.frame.height == frame.height


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(
        st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12),
        st.sampled_from(["Wahr", "nan", "-", " Anna", "Anna  B", "#NV", "Ünal"]),
    ),
    feld=st.sampled_from(["vorname", "telefon", "email", "sperre", "kind_id"]),
)
def test_fast_test_claims_only_values_the_rule_keeps(value: str, feld: str) -> None:
    frame = pl.DataFrame({feld: [value]}, schema={feld: pl.String})

    claimed = frame.select(unchanged_text_expr(feld)).item()

    if claimed:
        assert clean_text_value(value, feld=feld) == Outcome(value)
