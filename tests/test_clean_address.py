"""Tests of elternkit.clean_address: address parts written one way."""

from __future__ import annotations

import fastexcel
import polars as pl
import pytest
from case_frames import CASES, long_frame, long_frame_from_case
from hypothesis import given, settings
from hypothesis import strategies as st
from stage_checks import assert_twice_equals_once

from elternkit.clean_address import (
    AddressParts,
    _compose_expr,
    clean_address,
    compose_address,
    normalize_house_number,
    normalize_plz,
    normalize_street,
    parse_address,
    split_place,
    split_street,
)

ADDRESS_HEADERS = {"Straße": "strasse", "PLZ": "plz", "Ort": "ort"}

# (id, street cell, street, house number)
SPLIT_CASES = [
    ("no-space", "Hauptstr.1", "Hauptstr.", "1"),
    ("letter", "Hauptstr. 1a", "Hauptstr.", "1a"),
    ("range", "Am Markt 3-5", "Am Markt", "3-5"),
    ("spaced-letter", "Lindenweg 12 b", "Lindenweg", "12 b"),
    ("spaced-range", "Am Markt 3 - 5", "Am Markt", "3 - 5"),
    ("comma", "Lindenweg, 12", "Lindenweg", "12"),
    ("digits-in-name", "Straße des 17. Juni 5", "Straße des 17. Juni", "5"),
    ("unchanged-no-number", "Am Markt", "Am Markt", None),
    ("unchanged-digits-in-name", "Straße des 17. Juni", "Straße des 17. Juni", None),
    ("unchanged-remark", "Hauptstr. 1 Hinterhaus", "Hauptstr. 1 Hinterhaus", None),
    ("unchanged-number-only", "12", "12", None),
]

# (id, street, normalised street, regel)
STREET_CASES = [
    ("strasse-sz", "Hauptstraße", "Hauptstr.", "strasse_abkuerzung"),
    ("strasse-ss", "Hauptstrasse", "Hauptstr.", "strasse_abkuerzung"),
    ("str-no-dot", "Hauptstr", "Hauptstr.", "strasse_abkuerzung"),
    ("own-word", "Neue Straße", "Neue Str.", "strasse_abkuerzung"),
    ("own-word-lower", "neue straße", "neue str.", "strasse_abkuerzung"),
    ("hyphenated", "Karl-Marx-Straße", "Karl-Marx-Str.", "strasse_abkuerzung"),
    ("upper-case", "HAUPTSTRASSE", "HAUPTSTR.", "strasse_abkuerzung"),
    ("first-word", "Straße des 17. Juni", "Str. des 17. Juni", "strasse_abkuerzung"),
    ("spaces", "  Am   Markt ", "Am Markt", "strasse_format"),
    ("unchanged-abbreviated", "Hauptstr.", "Hauptstr.", None),
    ("unchanged-weg", "Lindenweg", "Lindenweg", None),
    ("unchanged-strasser", "Am Strasser Hof", "Am Strasser Hof", None),
]

# (id, house number, normalised)
HOUSE_NUMBER_CASES = [
    ("spaced-letter", "12 b", "12b"),
    ("upper-letter", "12B", "12b"),
    ("spaced-range", "3 - 5", "3-5"),
    ("slash", "12 / 1", "12/1"),
    ("unchanged-plain", "47", "47"),
    ("unchanged-range", "3-5", "3-5"),
    ("unchanged-remark", "1, Hinterhaus", "1, Hinterhaus"),
]

# (id, PLZ, normalised, regel, codes)
PLZ_CASES = [
    ("lost-zero", "1067", "01067", "plz_fuehrende_null", []),
    ("lost-zero-float", "1067.0", "01067", "plz_fuehrende_null", []),
    ("float", "26121.0", "26121", "plz_format", []),
    ("country-prefix", "D-01067", "01067", "plz_format", []),
    ("inner-space", "01 067", "01067", "plz_format", []),
    ("spaces", " 01067 ", "01067", "plz_format", []),
    ("unchanged", "01067", "01067", None, []),
    ("unchanged-west", "26121", "26121", None, []),
    ("too-short", "123", "123", None, ["plz_ungueltig"]),
    ("too-long", "123456", "123456", None, ["plz_ungueltig"]),
    ("double-zero", "00123", "00123", None, ["plz_ungueltig"]),
    ("letters", "SW1A 1AA", "SW1A 1AA", None, ["plz_ungueltig"]),
]

# (id, address text, parts)
PARSE_CASES = [
    (
        "comma",
        "Musterstraße 47, 01067 Dresden",
        AddressParts("Musterstraße 47", None, "01067", "Dresden"),
    ),
    (
        "no-comma",
        "Musterstr. 47 01067 Dresden",
        AddressParts("Musterstr. 47", None, "01067", "Dresden"),
    ),
    (
        "semicolon-four-digit-plz",
        "Musterstr. 47; 1067 Dresden",
        AddressParts("Musterstr. 47", None, "1067", "Dresden"),
    ),
    (
        "place-first",
        "01067 Dresden, Musterstr. 47",
        AddressParts("Musterstr. 47", None, "01067", "Dresden"),
    ),
    ("place-only", "01067 Dresden", AddressParts(None, None, "01067", "Dresden")),
    ("street-only", "Musterstr. 47", AddressParts("Musterstr. 47")),
    ("free-text", "bei Familie Muster", None),
]


@pytest.mark.parametrize(
    ("raw", "street", "number"),
    [c[1:] for c in SPLIT_CASES],
    ids=[c[0] for c in SPLIT_CASES],
)
def test_split_street(raw, street, number):
    assert split_street(raw) == AddressParts(strasse=street, hausnummer=number)


@pytest.mark.parametrize(
    ("raw", "expected", "rule"),
    [c[1:] for c in STREET_CASES],
    ids=[c[0] for c in STREET_CASES],
)
def test_normalize_street(raw, expected, rule):
    outcome = normalize_street(raw)

    assert (outcome.value, outcome.rule) == (expected, rule)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [c[1:] for c in HOUSE_NUMBER_CASES],
    ids=[c[0] for c in HOUSE_NUMBER_CASES],
)
def test_normalize_house_number(raw, expected):
    assert normalize_house_number(raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected", "rule", "codes"),
    [c[1:] for c in PLZ_CASES],
    ids=[c[0] for c in PLZ_CASES],
)
def test_normalize_plz(raw, expected, rule, codes):
    outcome = normalize_plz(raw)

    assert (outcome.value, outcome.rule) == (expected, rule)
    assert [h.code for h in outcome.hits] == codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01067 Dresden", AddressParts(plz="01067", ort="Dresden")),
        ("D-01067 Dresden", AddressParts(plz="01067", ort="Dresden")),
        ("Dresden", AddressParts(ort="Dresden")),
        ("Frankfurt am Main", AddressParts(ort="Frankfurt am Main")),
        ("1067 Dresden", AddressParts(ort="1067 Dresden")),
    ],
    ids=["plz-first", "country-prefix", "ort-only", "ort-words", "four-digits-kept"],
)
def test_split_place(raw, expected):
    assert split_place(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [c[1:] for c in PARSE_CASES],
    ids=[c[0] for c in PARSE_CASES],
)
def test_parse_address(raw, expected):
    assert parse_address(raw) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Musterstr.", "47", "01067", "Dresden"), "Musterstr. 47, 01067 Dresden"),
        (("Musterstr.", None, "01067", "Dresden"), "Musterstr., 01067 Dresden"),
        ((None, None, "01067", "Dresden"), "01067 Dresden"),
        (("Musterstr.", "47", None, None), "Musterstr. 47"),
        ((None, None, None, "Dresden"), "Dresden"),
        ((None, None, None, None), None),
    ],
    ids=["full", "no-number", "place-only", "street-only", "ort-only", "empty"],
)
def test_compose_address(parts, expected):
    strasse, hausnummer, plz, ort = parts

    composed = compose_address(strasse=strasse, hausnummer=hausnummer, plz=plz, ort=ort)

    assert composed == expected


def test_clean_address_b28_same_address_written_two_ways():
    frame = _address_case("b28_sibling_conflict.csv")

    stage = clean_address(frame)

    assert stage.frame["adresse"].to_list() == [
        "Hauptstr. 1, 01067 Dresden",
        "Neue Str. 5, 01069 Dresden",
        "Hauptstr. 1, 01067 Dresden",
    ]
    assert stage.findings.is_empty()


def test_clean_address_b28_records_the_split():
    stage = clean_address(_address_case("b28_sibling_conflict.csv"))

    assert stage.changes.select(
        "zeile", "feld", "vorher", "nachher", "regel"
    ).rows() == [
        (
            4,
            "adresse",
            "Hauptstr.1, 01067 Dresden",
            "Hauptstr. 1, 01067 Dresden",
            "strasse_hausnummer_getrennt",
        ),
    ]


@pytest.mark.parametrize(
    ("parts", "change"),
    [
        pytest.param(("Hauptstr. 1", None, "01067", "Dresden"), None, id="pure-split"),
        pytest.param((None, None, None, "01067 Dresden"), None, id="pure-plz-split"),
        pytest.param(("Am Markt 3-5", None, None, None), None, id="pure-split-range"),
        pytest.param(
            ("Hauptstr.1", None, "01067", "Dresden"),
            (
                "Hauptstr.1, 01067 Dresden",
                "Hauptstr. 1, 01067 Dresden",
                "strasse_hausnummer_getrennt",
            ),
            id="split-adds-space",
        ),
        pytest.param(
            ("Hauptstraße 1", None, "01067", "Dresden"),
            (
                "Hauptstraße 1, 01067 Dresden",
                "Hauptstr. 1, 01067 Dresden",
                "strasse_hausnummer_getrennt, strasse_abkuerzung",
            ),
            id="split-and-abbreviation",
        ),
        pytest.param(
            ("Hauptstraße", "1", "01067", "Dresden"),
            (
                "Hauptstraße 1, 01067 Dresden",
                "Hauptstr. 1, 01067 Dresden",
                "strasse_abkuerzung",
            ),
            id="abbreviation-only",
        ),
        pytest.param(
            ("Hauptstr.", "1", "1067", "Dresden"),
            (
                "Hauptstr. 1, 1067 Dresden",
                "Hauptstr. 1, 01067 Dresden",
                "plz_fuehrende_null",
            ),
            id="plz-padded",
        ),
        pytest.param(("Hauptstr.", "1", "01067", "Dresden"), None, id="unchanged"),
    ],
)
def test_clean_address_records_one_change_as_the_user_sees_it(parts, change):
    strasse, hausnummer, plz, ort = parts
    frame = long_frame(strasse=[strasse], hausnummer=[hausnummer], plz=[plz], ort=[ort])

    stage = clean_address(frame)

    rows = stage.changes.select("feld", "vorher", "nachher", "regel").rows()
    assert rows == ([] if change is None else [("adresse", *change)])


def test_clean_address_b09_plz_kept_byte_for_byte():
    frame = _address_case("b09_leading_zeros.csv")

    stage = clean_address(frame)

    assert stage.frame["plz"].to_list() == ["01067", "26121"]
    assert stage.frame["adresse"].to_list() == ["01067", "26121"]
    assert stage.changes.is_empty()


def test_clean_address_b09_plz_number_format_padded_with_a_note():
    sheet = fastexcel.read_excel(CASES / "b09_plz_number_format.xlsx").load_sheet(
        0, dtypes="string"
    )
    frame = long_frame(plz=sheet.to_polars()["PLZ"].to_list())

    stage = clean_address(frame)

    assert stage.frame["plz"].to_list() == ["01067", "26121"]
    assert stage.changes.select("zeile", "vorher", "nachher", "regel").rows() == [
        (2, "1067", "01067", "plz_fuehrende_null")
    ]


def test_clean_address_given_address_is_normalised_and_split():
    frame = long_frame(adresse=["Musterstraße 47,01067  Dresden", None])

    stage = clean_address(frame)

    first = stage.frame.row(0, named=True)
    assert first["adresse"] == "Musterstr. 47, 01067 Dresden"
    assert (first["strasse"], first["hausnummer"], first["plz"], first["ort"]) == (
        "Musterstr.",
        "47",
        "01067",
        "Dresden",
    )
    assert stage.changes.select("feld", "regel").rows() == [
        ("adresse", "adresse_format")
    ]


def test_clean_address_given_and_composed_addresses_agree():
    frame = long_frame(
        adresse=["Hauptstraße 1, 1067 Dresden", None],
        strasse=[None, "Hauptstr.1"],
        plz=[None, "01067"],
        ort=[None, "Dresden"],
    )

    adressen = clean_address(frame).frame["adresse"].to_list()

    assert adressen == ["Hauptstr. 1, 01067 Dresden"] * 2


def test_clean_address_unparsed_address_is_tidied_and_reported():
    frame = long_frame(adresse=["bei Familie  Muster ,Hinterhaus"], kind_id=["1001"])

    stage = clean_address(frame)

    assert stage.frame["adresse"].to_list() == ["bei Familie Muster, Hinterhaus"]
    assert stage.findings.select("kind_id", "code", "schwere").rows() == [
        ("1001", "adresse_unklar", "hinweis")
    ]
    assert "„Musterstr. 47, 01067 Dresden“" in stage.findings["meldung"][0]


def test_clean_address_invalid_plz_kept_in_address_and_reported():
    frame = long_frame(strasse=["Am Markt 3"], plz=["123"], ort=["Dresden"])

    stage = clean_address(frame)

    assert stage.frame["adresse"].to_list() == ["Am Markt 3, 123 Dresden"]
    assert stage.findings["code"].to_list() == ["plz_ungueltig"]
    assert stage.findings["meldung"][0].startswith(
        "Die Postleitzahl „123“ ist keine fünfstellige deutsche Postleitzahl."
    )


def test_clean_address_ort_with_plz_is_split():
    frame = long_frame(strasse=["Am Markt 3"], ort=["01067 Dresden"])

    stage = clean_address(frame)

    assert stage.frame.select("plz", "ort", "adresse").rows() == [
        ("01067", "Dresden", "Am Markt 3, 01067 Dresden")
    ]


def test_clean_address_given_house_number_not_overwritten():
    frame = long_frame(strasse=["Straße des 17. Juni"], hausnummer=["5"])

    stage = clean_address(frame)

    assert stage.frame["adresse"].to_list() == ["Str. des 17. Juni 5"]


STREETS = st.sampled_from(
    ["Hauptstraße", "Hauptstr.1", "Neue Straße 5", "Am Markt 3 - 5", " Lindenweg 12 b"]
)
PLZS = st.sampled_from(["01067", "1067", "1067.0", "123", "D-26121", " 01069 "])
ORTE = st.sampled_from(["Dresden", "01067 Dresden", " Bad  Zwischenahn "])
ADRESSEN = st.sampled_from(
    ["Musterstraße 47,01067 Dresden", "01067 Dresden, Neue Str. 5", "irgendwo", "x,"]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | STREETS,
            st.none() | st.sampled_from(["1", "12 B"]),
            st.none() | PLZS,
            st.none() | ORTE,
            st.none() | ADRESSEN,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_clean_address_twice_equals_once(rows):
    columns = ["strasse", "hausnummer", "plz", "ort", "adresse"]
    frame = long_frame(**{c: [row[i] for row in rows] for i, c in enumerate(columns)})

    once, _ = assert_twice_equals_once(clean_address, frame)

    # Wherever there are parts, adresse is a function of the cleaned parts only.
    for row in once.frame.iter_rows(named=True):
        parts = {c: row[c] for c in ("strasse", "hausnummer", "plz", "ort")}
        if any(parts.values()):
            assert row["adresse"] == compose_address(**parts)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.none() | st.sampled_from(["Am Markt", "3", "01067", "Dresden", "a b"]),
        min_size=4,
        max_size=4,
    )
)
def test_compose_expression_matches_compose_address(parts):
    frame = pl.DataFrame(
        [parts], schema=["strasse", "hausnummer", "plz", "ort"], orient="row"
    )

    from_frame = frame.select(_compose_expr()).item()

    strasse, hausnummer, plz, ort = parts
    assert from_frame == compose_address(
        strasse=strasse, hausnummer=hausnummer, plz=plz, ort=ort
    )


def _address_case(name: str) -> pl.DataFrame:
    """Load a case file and map its address headers, which the shared helper skips."""
    frame = long_frame_from_case(name)
    present = {k: v for k, v in ADDRESS_HEADERS.items() if k in frame.columns}
    return frame.with_columns(pl.col(k).alias(v) for k, v in present.items())


def test_overlong_texts_are_not_taken_apart():
    """A long non-address (a pasted text) stays whole and is read at once."""
    from elternkit.address_parts import parse_address, split_place, split_street

    text = "A" * 30_000 + "_x0041_"

    assert split_street(text).strasse == text
    assert split_street(text + " 12").hausnummer is None
    assert parse_address(text + ", 01067 Dresden") is None
    assert split_place("01067 " + text).plz is None
