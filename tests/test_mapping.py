"""Header recognition: every known layout maps to the canonical fields."""

from __future__ import annotations

import pytest

from elternkit.errors import MappingError
from elternkit.mapping import check_mapping, suggest_mapping
from elternkit.mapping_user import apply_user_mapping, parse_user_mapping


def _pairs(columns: list[str]) -> list[tuple[str | None, str | None]]:
    return [(c.field, c.slot) for c in suggest_mapping(columns).columns]


@pytest.mark.parametrize(
    ("columns", "layout", "expected"),
    [
        pytest.param(
            ["Vorname", "Nachname", "Adresse", "E-Mail", "Telefonnummer", "Kind-ID"],
            "lang",
            [
                ("vorname", None),
                ("nachname", None),
                ("adresse", None),
                ("email", None),
                ("telefon", None),
                ("kind_id", None),
            ],
            id="target-format",
        ),
        pytest.param(
            ["kind id", "E-MAIL", "NACHNAME", "vorname"],
            "lang",
            [("kind_id", None), ("email", None), ("nachname", None), ("vorname", None)],
            id="target-format-any-order-and-case",
        ),
        pytest.param(
            [
                "Schüler-ID",
                "Nachname",
                "Vorname",
                "Klasse",
                "Erz1_Vorname",
                "Erz1_Nachname",
                "Erz1_EMail",
                "Erz2_Vorname",
                "Erz2_Nachname",
                "Erz2_EMail",
            ],
            "breit",
            [
                ("kind_id", None),
                ("kind_nachname", None),
                ("kind_vorname", None),
                ("klasse", None),
                ("vorname", "1"),
                ("nachname", "1"),
                ("email", "1"),
                ("vorname", "2"),
                ("nachname", "2"),
                ("email", "2"),
            ],
            id="danis-numbered-blocks",
        ),
        pytest.param(
            [
                "SchuelerIdentNummer",
                "Sorgeberechtigter1_Vorname",
                "Sorgeberechtigter1_Nachname",
                "Sorgeberechtigter2_Vorname",
                "Sorgeberechtigter2_Nachname",
            ],
            "breit",
            [
                ("kind_id", None),
                ("vorname", "1"),
                ("nachname", "1"),
                ("vorname", "2"),
                ("nachname", "2"),
            ],
            id="sorgeberechtigter-blocks",
        ),
        pytest.param(
            ["SchülerNr", "Vorname_V", "Nachname_V", "Vorname_M", "Nachname_M"],
            "breit",
            [
                ("kind_id", None),
                ("vorname", "V"),
                ("nachname", "V"),
                ("vorname", "M"),
                ("nachname", "M"),
            ],
            id="father-mother-suffix",
        ),
        pytest.param(
            [
                "Import-ID",
                "Vater Vorname",
                "Vater Nachname",
                "Mutter Vorname",
                "Mutter Nachname",
            ],
            "breit",
            [
                ("kind_id", None),
                ("vorname", "V"),
                ("nachname", "V"),
                ("vorname", "M"),
                ("nachname", "M"),
            ],
            id="father-mother-prefix",
        ),
        pytest.param(
            ["Vorname 1", "Nachname 1", "Vorname 2", "Nachname 2", "Kind-ID"],
            "breit",
            [
                ("vorname", "1"),
                ("nachname", "1"),
                ("vorname", "2"),
                ("nachname", "2"),
                ("kind_id", None),
            ],
            id="numbered-suffix",
        ),
        pytest.param(
            [
                "Kind-ID",
                "Vorname",
                "Nachname",
                "E-Mail",
                "Vorname (2)",
                "Nachname (2)",
                "E-Mail (2)",
            ],
            "breit",
            [
                ("kind_id", None),
                ("vorname", "1"),
                ("nachname", "1"),
                ("email", "1"),
                ("vorname", "2"),
                ("nachname", "2"),
                ("email", "2"),
            ],
            id="repeated-header-names",
        ),
        pytest.param(
            [
                "Kind-ID",
                "Vorname",
                "Nachname",
                "Vorname (2)",
                "Nachname (2)",
                "E-Mail",
                "Vorname (3)",
                "Nachname (3)",
                "E-Mail (2)",
            ],
            "breit",
            [
                ("kind_id", None),
                ("kind_vorname", None),
                ("kind_nachname", None),
                ("vorname", "1"),
                ("nachname", "1"),
                ("email", "1"),
                ("vorname", "2"),
                ("nachname", "2"),
                ("email", "2"),
            ],
            id="repeated-header-names-after-pupil-names",
        ),
        pytest.param(
            ["Schueler_ID", "Name", "Vorname", "Klasse", "Geburtsdatum"],
            "schueler",
            [
                ("kind_id", None),
                ("kind_nachname", None),
                ("kind_vorname", None),
                ("klasse", None),
                (None, None),
            ],
            id="pupil-file",
        ),
        pytest.param(
            ["Kind-ID", "Schüler", "Vorname", "Nachname"],
            "lang",
            [
                ("kind_id", None),
                ("kind_name", None),
                ("vorname", None),
                ("nachname", None),
            ],
            id="pupil-full-name-column",
        ),
    ],
)
def test_suggest_mapping_recognises_layouts(columns, layout, expected):
    mapping = suggest_mapping(columns)

    assert mapping.layout == layout
    assert _pairs(columns) == expected


def test_similar_header_is_suggested_for_confirmation():
    mapping = suggest_mapping(["Vornme", "Nachnahme", "Kind ID"])

    assert [(c.field, c.how) for c in mapping.columns] == [
        ("vorname", "aehnlich"),
        ("nachname", "aehnlich"),
        ("kind_id", "synonym"),
    ]


def test_check_mapping_lists_found_and_missing_columns():
    mapping = suggest_mapping(["E-Mail"])

    with pytest.raises(MappingError, match=r"Vorname, Nachname, Kind-ID") as err:
        check_mapping(mapping, file_name="b04a_one_column.csv")

    message = str(err.value)
    assert "b04a_one_column.csv" in message
    assert "„E-Mail“" in message
    assert "--zuordnung" in message


def test_user_mapping_overrides_suggestion():
    mapping = suggest_mapping(["Nummer des Kindes", "Vorname", "Nachname"])
    user = parse_user_mapping(["Kind-ID=Nummer des Kindes"])

    mapped = apply_user_mapping(mapping, user)

    assert mapped.for_column("Nummer des Kindes").field == "kind_id"
    assert mapped.for_column("Nummer des Kindes").how == "benutzer"
    check_mapping(mapped, file_name="x.csv")


def test_user_mapping_with_unknown_column_names_the_columns_found():
    mapping = suggest_mapping(["Vorname", "Nachname"])

    with pytest.raises(MappingError, match=r"„Kind“.*Vorhandene Spalten"):
        apply_user_mapping(mapping, parse_user_mapping(["Kind-ID=Kind"]))


@pytest.mark.parametrize("text", ["Kind-ID", "=Spalte", "Quatsch=Spalte"])
def test_unreadable_user_mapping_is_explained(text):
    with pytest.raises(MappingError, match="FELD=SPALTE"):
        parse_user_mapping([text])


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        pytest.param(
            ["Student ID", "First Name", "Last Name", "Street", "Zip", "City"],
            [
                ("kind_id", None),
                ("vorname", None),
                ("nachname", None),
                ("strasse", None),
                ("plz", None),
                ("ort", None),
            ],
            id="english-long",
        ),
        pytest.param(
            ["Postal Code", "Phone", "Mobile", "E-mail", "Email Address"],
            [("plz", None), ("telefon", None), ("telefon", None)]
            + [("email", None)] * 2,
            id="english-contact",
        ),
        pytest.param(
            [
                "Student ID",
                "Parent 1 First Name",
                "Parent 1 Last Name",
                "Guardian 2 First Name",
                "Guardian 2 Email",
            ],
            [
                ("kind_id", None),
                ("vorname", "1"),
                ("nachname", "1"),
                ("vorname", "2"),
                ("email", "2"),
            ],
            id="english-guardian-blocks",
        ),
        pytest.param(
            ["Student ID", "Mother First Name", "Father Last Name", "Mother"],
            [
                ("kind_id", None),
                ("vorname", "M"),
                ("nachname", "V"),
                ("volle_name", "M"),
            ],
            id="english-mother-father",
        ),
        pytest.param(
            ["Kind-ID", "Vorname", "Nachname", "StraÃŸe", "Ã–rtlichkeit"],
            [
                ("kind_id", None),
                ("vorname", None),
                ("nachname", None),
                ("strasse", None),
                (None, None),
            ],
            id="mojibake-header",
        ),
    ],
)
def test_english_and_damaged_headers_are_recognised(columns, expected):
    assert _pairs(columns) == expected


def test_unused_contact_like_columns_get_a_note():
    mapping = suggest_mapping(
        ["Kind-ID", "Vorname", "Nachname", "Wohnstr", "TelNr Mutter", "Geburtsdatum"]
    )

    notes = " ".join(mapping.notes)

    assert [c.field for c in mapping.columns[3:]] == [None, None, None]
    assert '--zuordnung "Straße=Wohnstr"' in notes
    assert '--zuordnung "Telefonnummer=TelNr Mutter"' in notes
    assert "Geburtsdatum" not in notes
