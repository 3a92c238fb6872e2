"""Tests of the name rules: clean_names and its value functions."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame, long_frame_from_case, table
from hypothesis import given, settings
from hypothesis import strategies as st
from run_outputs import run_cli

from elternkit.clean_names import (
    clean_names,
    fix_name_case,
    join_particles,
    strip_title,
)
from elternkit.clean_text import clean_text
from elternkit.name_words import is_salutation
from elternkit.options import Options
from elternkit.split_names import (
    parse_guardian_names,
    split_combined_names,
    split_full_name,
)
from elternkit.swap_names import find_swapped_names

CASE_CASES = [
    ("caps-first", "vorname", "ANNA", "Anna"),
    ("lower-first", "vorname", "lars", "Lars"),
    ("caps-hyphen", "nachname", "MÜLLER-LÜDENSCHEIDT", "Müller-Lüdenscheidt"),
    ("lower-hyphen-first", "vorname", "marie-luise", "Marie-Luise"),
    ("apostrophe", "nachname", "O'BRIEN", "O'Brien"),
    ("typographic-apostrophe", "nachname", "d’angelo", "D’Angelo"),
    ("particles-inside", "nachname", "VAN DER BERG", "van der Berg"),
    ("particle-von", "nachname", "von bülow", "von Bülow"),
    ("von-und-zu", "nachname", "VON UND ZU GUTTENBERG", "von und zu Guttenberg"),
    ("particle-alone-is-surname", "nachname", "LE", "Le"),
    ("particle-in-first-name", "vorname", "DA", "Da"),
    ("sz", "nachname", "WEIẞ", "Weiß"),
    ("zusatz-lower", "namenszusatz", "VON DER", "von der"),
    ("zusatz-title", "namenszusatz", "freiherr von", "Freiherr von"),
    ("anrede-and", "anrede", "HERR UND FRAU", "Herr und Frau"),
    ("unchanged-mcarthur", "nachname", "McArthur", "McArthur"),
    ("unchanged-deluca", "nachname", "DeLuca", "DeLuca"),
    ("unchanged-van-der-berg", "nachname", "van der Berg", "van der Berg"),
    ("unchanged-proper", "vorname", "Anna", "Anna"),
    ("unchanged-mixed-caps", "nachname", "MÜLLER-Lüdenscheidt", "MÜLLER-Lüdenscheidt"),
    ("unchanged-formula", "vorname", "-EVA", "-EVA"),
    ("unchanged-no-letters", "vorname", "123", "123"),
]


@pytest.mark.parametrize(("kind", "messy", "clean"), **table(CASE_CASES))
def test_fix_name_case(kind: str, messy: str, clean: str) -> None:
    assert fix_name_case(messy, kind=kind) == clean  # type: ignore[arg-type]


@given(st.text(alphabet="aAbBüÜß -'vonVON", max_size=15))
def test_fix_name_case_is_idempotent(value: str) -> None:
    once = fix_name_case(value, kind="nachname")

    assert fix_name_case(once, kind="nachname") == once


PARTICLE_CASES = [
    ("von", ("Bülow", "von"), ("von Bülow", None)),
    ("van-der", ("Berg", "van der"), ("van der Berg", None)),
    ("noble-title", ("Bülow", "Freiherr von"), ("Freiherr von Bülow", None)),
    ("already-joined", ("von Bülow", "von"), ("von Bülow", None)),
    ("already-joined-other-case", ("Von Bülow", "von"), ("Von Bülow", None)),
    ("not-a-prefix-of-vonderau", ("Vonderau", "von"), ("von Vonderau", None)),
    ("unchanged-doctor", ("Beispiel", "Dr."), ("Beispiel", "Dr.")),
    ("unchanged-no-zusatz", ("Beispiel", None), ("Beispiel", None)),
    ("unchanged-no-surname", (None, "von"), (None, "von")),
]


@pytest.mark.parametrize(("cells", "joined"), **table(PARTICLE_CASES))
def test_join_particles(cells: tuple, joined: tuple) -> None:
    assert join_particles(*cells) == joined


COMBINED_CASES = [
    ("und", "Anna und Lars", ["Anna", "Lars"]),
    ("und-caps", "ANNA UND LARS", ["ANNA", "LARS"]),
    ("ampersand", "Anna & Lars", ["Anna", "Lars"]),
    ("u-dot", "Anna u. Lars", ["Anna", "Lars"]),
    ("plus-no-spaces", "Anna+Lars", ["Anna", "Lars"]),
    ("slash", "Anna/Lars", ["Anna", "Lars"]),
    ("comma", "Anna, Lars", ["Anna", "Lars"]),
    ("three", "Anna, Lars und Eva", ["Anna", "Lars", "Eva"]),
    ("unchanged-hyphen", "Marie-Luise", ["Marie-Luise"]),
    ("unchanged-und-inside-word", "Undine", ["Undine"]),
    ("unchanged-two-given-names", "Anna Maria", ["Anna Maria"]),
]


@pytest.mark.parametrize(("cell", "parts"), **table(COMBINED_CASES))
def test_split_combined_names(cell: str, parts: list[str]) -> None:
    assert split_combined_names(cell) == parts


FULL_NAME_CASES = [
    ("comma", "Beispiel, Anna", ("Anna", "Beispiel")),
    ("comma-particle", "von Bülow, Anna", ("Anna", "von Bülow")),
    ("first-last", "Anna Beispiel", ("Anna", "Beispiel")),
    ("particle", "Anna von Bülow", ("Anna", "von Bülow")),
    ("two-particles", "Anna Maria von der Heide", ("Anna Maria", "von der Heide")),
    ("noble-title", "Anna Freifrau von Bülow", ("Anna", "Freifrau von Bülow")),
    ("two-given-names", "Anna Maria Beispiel", ("Anna Maria", "Beispiel")),
    ("double-surname", "Anna Müller Lüdenscheidt", ("Anna", "Müller Lüdenscheidt")),
    ("rare-first-name-as-surname", "Anna Maria Hartmann", ("Anna Maria", "Hartmann")),
    ("ambiguous-all-first-names", "Hans Werner Hermann", None),
    ("ambiguous-two-ways", "Anna Hartmann Beispiel", None),
    ("ambiguous-no-first-name", "Beispiel Muster Probe", None),
    ("single-word", "Beispiel", None),
    ("two-commas", "Beispiel, Anna, Lars", None),
]


@pytest.mark.parametrize(("cell", "split"), **table(FULL_NAME_CASES))
def test_split_full_name(cell: str, split: tuple[str, str] | None) -> None:
    assert split_full_name(cell) == split


PARSE_CASES = [
    (
        "two-first-names",
        ("Anna und Lars", "Beispiel"),
        (("Anna", "Beispiel"), ("Lars", "Beispiel")),
        "name_geteilt",
    ),
    ("salutation-pair", ("Herr und Frau", "Beispiel"), (), "anrede_statt_name"),
    ("salutation-family", ("Familie", "Beispiel"), (), "anrede_statt_name"),
    ("salutation-eheleute", ("Eheleute", "Beispiel"), (), "anrede_statt_name"),
    ("salutation-herr", ("Herr", "Beispiel"), (), "anrede_statt_name"),
    ("two-surnames-one-first-name", ("Anna", "Beispiel und Muster"), (), "name_unklar"),
    (
        "combined-in-vorname-shared-surname",
        ("Anna und Lars Beispiel", None),
        (("Anna", "Beispiel"), ("Lars", "Beispiel")),
        "name_geteilt",
    ),
    (
        "combined-in-vorname-two-surnames",
        ("Anna Beispiel und Lars Muster", None),
        (("Anna", "Beispiel"), ("Lars", "Muster")),
        "name_geteilt",
    ),
    (
        "combined-in-vorname-no-surname",
        ("Anna und Lars", None),
        (("Anna", None), ("Lars", None)),
        "name_geteilt",
    ),
    ("full-name-column-comma", (None, "Beispiel, Anna"), (("Anna", "Beispiel"),), None),
    (
        "full-name-column-comma-two",
        (None, "Beispiel, Anna und Lars"),
        (("Anna", "Beispiel"), ("Lars", "Beispiel")),
        "name_geteilt",
    ),
    (
        "full-name-column-plain",
        (None, "Anna von Bülow"),
        (("Anna", "von Bülow"),),
        None,
    ),
    (
        "full-name-column-salutation",
        (None, "Frau Anna Beispiel"),
        (("Anna", "Beispiel"),),
        None,
    ),
    ("full-name-column-family", (None, "Familie Beispiel"), (), "anrede_statt_name"),
    ("full-name-column-ambiguous", (None, "Hans Werner Hermann"), (), "name_unklar"),
    (
        "full-name-ambiguous-chunk",
        (None, "Anna Werner und Lars Beispiel"),
        (),
        "name_unklar",
    ),
    ("unchanged-one-person", ("Anna", "Beispiel"), (), None),
    ("unchanged-hyphenated", ("Marie-Luise", "Beispiel"), (), None),
    ("unchanged-surname-only", (None, "Beispiel"), (), None),
    ("unchanged-first-name-only", ("Anna", None), (), None),
    ("unchanged-von-und-zu", ("Karl", "von und zu Guttenberg"), (), None),
    ("unchanged-formula", ('=HYPERLINK("a";"b")', "Beispiel"), (), None),
]


@pytest.mark.parametrize(("cells", "persons", "code"), **table(PARSE_CASES))
def test_parse_guardian_names(cells: tuple, persons: tuple, code: str | None) -> None:
    found = parse_guardian_names(*cells)

    assert (found.persons, found.code) == (persons, code)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Herr u. Frau", True), ("Herr&Frau", True), ("Frau Anna", False), ("", False)],
    ids=["u-dot", "ampersand", "salutation-and-name", "empty"],
)
def test_is_salutation(cell: str, expected: bool) -> None:
    assert is_salutation(cell) is expected


def run_names(frame: pl.DataFrame, **options: bool):
    return clean_text(frame).then(lambda f: clean_names(f, options=Options(**options)))


def test_b14_two_persons_in_one_cell() -> None:
    frame = long_frame_from_case("b14_two_in_one_cell.csv").with_columns(
        pl.lit("eltern@example.org").alias("email")
    )

    stage = run_names(frame)

    out = stage.frame
    for kind_id, surname in [
        ("1001", "Beispiel"),
        ("1002", "Muster"),
        ("1003", "Probe"),
        ("1004", "Test"),
        ("1007", "Muster"),
    ]:
        rows = out.filter(pl.col("kind_id") == kind_id)
        assert rows.select("vorname", "nachname", "slot").rows() == [
            ("Anna", surname, "1a"),
            ("Lars", surname, "1b"),
        ]
        assert rows["zeile"].n_unique() == 1
        assert rows["email"].to_list() == ["eltern@example.org"] * 2
    assert out.filter(pl.col("kind_id") == "1006")["vorname"].to_list() == [
        "Marie-Luise"
    ]
    assert out.filter(pl.col("kind_id") == "1005")["vorname"].to_list() == [
        "Herr und Frau"
    ]
    assert out["_row"].is_unique().all()
    assert out.filter(pl.col("slot") == "1b")["_row"].min() > frame["_row"].max()


def test_b14_findings_and_changes() -> None:
    frame = long_frame_from_case("b14_two_in_one_cell.csv")

    stage = run_names(frame)

    codes = stage.findings.select("kind_id", "code", "schwere").sort("kind_id").rows()
    assert codes == [
        ("1001", "name_geteilt", "warnung"),
        ("1002", "name_geteilt", "warnung"),
        ("1003", "name_geteilt", "warnung"),
        ("1004", "name_geteilt", "warnung"),
        ("1005", "anrede_statt_name", "fehler"),
        ("1007", "name_geteilt", "warnung"),
    ]
    split = stage.changes.filter(pl.col("regel") == "zwei_personen_geteilt")
    assert split.height == 10
    assert split.filter(pl.col("zeile") == 2).select("vorher", "nachher").rows() == [
        ("Anna und Lars", "Anna"),
        ("Anna und Lars", "Lars"),
    ]
    meldung = stage.findings.filter(pl.col("code") == "name_geteilt")["meldung"][0]
    assert "„Anna Beispiel“ und „Lars Beispiel“" in meldung
    anrede = stage.findings.filter(pl.col("code") == "anrede_statt_name")["meldung"][0]
    assert "Anrede" in anrede and "nicht importiert" in anrede


def test_b19_formula_names_reported_and_kept() -> None:
    # The reader owns the quoting of row 2; the long table gets the whole cell.
    frame = long_frame(
        vorname=[
            '=HYPERLINK("http://example.invalid";"klick")',
            "@Anna",
            "Lars",
            "-Eva",
        ],
        nachname=["Beispiel", "Beispiel", "Muster", "Probe"],
        telefon=["+49 351 1234567", None, "+4915112345678", "0351 7654321"],
        kind_id=["1001", "1002", "1003", "1004"],
    )

    stage = run_names(frame)

    assert stage.frame.select("vorname", "telefon").equals(
        frame.select("vorname", "telefon")
    )
    assert stage.findings.select("zeile", "code", "schwere").rows() == [
        (2, "formel_zeichen", "fehler"),
        (3, "formel_zeichen", "fehler"),
        (5, "formel_zeichen", "fehler"),
    ]
    assert stage.changes.is_empty()


def test_b02_names_after_text_repair_stay() -> None:
    stage = run_names(long_frame_from_case("b02_mojibake.csv"))

    assert stage.frame["vorname"].to_list() == ["Jürgen", "Renée", "Özlem"]
    assert set(stage.changes["regel"]) == {"doppelt_kodiert"}


def test_b13_names_after_text_cleaning() -> None:
    stage = run_names(long_frame_from_case("b13_invisible_spaces.csv"))

    assert stage.frame.select("vorname", "nachname").rows() == [
        ("Anna", "Beispiel"),
        ("Lars", "Muster Mann"),
    ]


def test_full_name_column_is_split() -> None:
    frame = long_frame(
        vorname=[None, None, None],
        nachname=["BEISPIEL, ANNA", "Anna von Bülow", "Hans Werner Hermann"],
        kind_id=["1001", "1002", "1003"],
    )

    stage = run_names(frame)

    assert stage.frame.select("vorname", "nachname").rows() == [
        ("Anna", "Beispiel"),
        ("Anna", "von Bülow"),
        (None, "Hans Werner Hermann"),
    ]
    assert stage.findings.select("zeile", "feld", "code").rows() == [
        (4, "nachname", "name_unklar")
    ]
    assert stage.changes.filter(pl.col("zeile") == 2)["regel"].to_list() == [
        "name_aufgeteilt",
        "name_aufgeteilt",
        "gross_klein",
        "gross_klein",
    ]


def test_namenszusatz_joined_and_both_changes_recorded() -> None:
    frame = long_frame(vorname=["Anna"], nachname=["Bülow"], namenszusatz=["von"])

    stage = run_names(frame)

    assert stage.frame.select("nachname", "namenszusatz").row(0) == ("von Bülow", None)
    assert stage.changes.select("feld", "vorher", "nachher", "regel").rows() == [
        ("nachname", "Bülow", "von Bülow", "namenszusatz_verbunden"),
        ("namenszusatz", "von", None, "namenszusatz_verbunden"),
    ]


def test_other_namenszusatz_is_kept_and_noted() -> None:
    frame = long_frame(vorname=["Anna"], nachname=["Beispiel"], namenszusatz=["Dr."])

    stage = run_names(frame)

    assert stage.frame["namenszusatz"].to_list() == ["Dr."]
    assert stage.findings.select("code", "schwere").rows() == [
        ("namenszusatz_unklar", "hinweis")
    ]


SWAP_CASES = [
    ("max-mustermann", ("Mustermann", "Max", None, None), True),
    ("child-surname-evidence", ("Werner", "Anna", "Werner", None), True),
    ("known-surname-both-first-names", ("Klaus", "Werner", None, None), False),
    ("hermann-as-surname", ("Anna", "Hermann", None, None), False),
    ("surname-is-childs", ("Beispiel", "Hermann", "Hermann", None), False),
    ("surname-of-other-guardian", ("Yilmaz", "Hans", None, ("Ayse", "Hans")), False),
    (
        "first-name-is-other-guardians-surname",
        ("Werner", "Klaus", None, ("Eva", "Werner")),
        True,
    ),
    ("transliterated-first-name", ("Joerg", "Hermann", None, None), False),
    ("initial-first-name", ("H.-Dieter", "Werner", None, None), False),
    ("particle-surname", ("Anna", "van der Berg", None, None), False),
    ("rare-first-name-in-surname-slot", ("Beispiel", "Hartmann", None, None), False),
    ("unchanged-normal", ("Anna", "Beispiel", "Beispiel", None), False),
    ("unchanged-formula", ("-Mustermann", "Max", None, None), False),
]


@pytest.mark.parametrize(("names", "swapped"), **table(SWAP_CASES))
def test_find_swapped_names(names: tuple, swapped: bool) -> None:
    vorname, nachname, child_surname, other = names
    rows = [(vorname, nachname)] + ([other] if other else [])
    frame = long_frame(
        vorname=[r[0] for r in rows],
        nachname=[r[1] for r in rows],
        kind_id=["1001"] * len(rows),
        kind_nachname=[child_surname] * len(rows),
    )

    stage = find_swapped_names(frame)

    assert (0 in stage.findings["_row"].to_list()) is swapped
    assert stage.frame.equals(frame)


def test_swap_applied_only_with_option() -> None:
    frame = long_frame(vorname=["Mustermann"], nachname=["Max"], kind_id=["1001"])

    proposed = run_names(frame)
    applied = run_names(frame, apply_swaps=True)

    assert proposed.frame.select("vorname", "nachname").row(0) == ("Mustermann", "Max")
    assert proposed.changes.is_empty()
    assert proposed.findings["meldung"][0].startswith(
        "Vorname und Nachname scheinen vertauscht"
    )
    assert "nur gemeldet" in proposed.findings["meldung"][0]
    assert applied.frame.select("vorname", "nachname").row(0) == ("Max", "Mustermann")
    assert set(applied.changes["regel"]) == {"namen_getauscht"}
    assert applied.findings["code"].to_list() == ["namen_vertauscht"]


NAMES = st.sampled_from(
    [
        "Anna", "LARS", "anna und lars", "Anna & Lars", "Herr und Frau", "Marie-Luise",
        "Beispiel", "MÜLLER-LÜDENSCHEIDT", "von bülow", "Beispiel, Anna", "Max",
        "Mustermann", "Anna von Bülow", "Hans Werner Hermann", "-Eva", "O'BRIEN",
        "Anna Beispiel und Lars Muster", "Beispiel und Muster",
    ]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | NAMES, st.none() | NAMES, st.sampled_from([None, "von", "Dr."])
        ),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_clean_names_twice_equals_once(rows: list[tuple], apply_swaps: bool) -> None:
    frame = long_frame(
        vorname=[r[0] for r in rows],
        nachname=[r[1] for r in rows],
        namenszusatz=[r[2] for r in rows],
        kind_id=[str(i % 2) for i in range(len(rows))],
    )
    options = Options(apply_swaps=apply_swaps)

    once = clean_names(frame, options=options)
    twice = clean_names(once.frame, options=options)

    assert twice.frame.equals(once.frame)
    assert twice.changes.is_empty()
    assert once.frame.height >= frame.height
    assert set(frame["zeile"]) == set(once.frame["zeile"])
    assert once.frame["_row"].is_unique().all()


@pytest.mark.parametrize(
    ("cells", "wording"),
    [
        (("Anna", "Beispiel und Muster"), "der Nachname nennt mehrere Namen"),
        ((None, "Hans Werner Hermann"), "wo der Vorname endet"),
        (("Frau und Lars", "Beispiel"), "Anrede und Vorname stehen gemischt"),
    ],
    ids=["several-surnames", "three-words", "salutation-mixed"],
)
def test_unclear_names_say_why(cells: tuple, wording: str) -> None:
    frame = long_frame(vorname=[cells[0]], nachname=[cells[1]])

    stage = clean_names(frame)

    assert stage.findings["code"].to_list() == ["name_unklar"]
    assert wording in stage.findings["meldung"][0]
    assert stage.frame.select("vorname", "nachname").row(0) == cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Dr. Thomas", "Thomas"),
        ("Prof. Dr. Maria", "Maria"),
        ("Dr. med. Anna-Lena", "Anna-Lena"),
        ("Dr. rer. nat. Jens", "Jens"),
        ("Dipl.-Ing. Schulze", "Schulze"),
        ("Dr.-Ing. Peter", "Peter"),
        ("Dr.Schulze", "Schulze"),
        ("DR. THOMAS", "THOMAS"),
        ("Prof. Dr. h.c. mult. Ernst", "Ernst"),
        ("Drago", "Drago"),
        ("Doris", "Doris"),
        ("Magnus", "Magnus"),
        ("Dr.", None),
        ("Prof. Dr.", None),
        ("Thomas Dr.", "Thomas Dr."),
        ("Med Ali", "Med Ali"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_academic_titles_are_removed(value: str, expected: str) -> None:
    outcome = strip_title(value)

    assert outcome.value == expected
    assert outcome.rule == ("titel_entfernt" if expected != value else None)
    if expected is not None:
        assert strip_title(expected).value == expected  # twice equals once


def test_titled_and_abbreviated_parent_of_siblings(tmp_path, capsys) -> None:
    """Dr. Thomas and Thomas become one account; Th. is left for review."""
    path = tmp_path / "geschwister.csv"
    path.write_text(
        "Kind-ID;Vorname;Nachname;Straße;PLZ;Ort\n"
        "1001;Dr. Thomas;Schulze;Weg 1;01067;Dresden\n"
        "1002;Thomas;Schulze;Weg 1;01067;Dresden\n"
        "1003;Th.;Schulze;Weg 1;01067;Dresden\n",
        encoding="utf-8",
    )

    run = run_cli(capsys, tmp_path / "aus", path)

    rows = {r[5]: r[:2] for r in run.rows()}
    assert rows["1001"] == rows["1002"] == ("Thomas", "Schulze")
    assert (4, "1003", "dublette_unsicher") in run.findings()
    assert (2, "vorname", "Dr. Thomas", "Thomas", "titel_entfernt") in run.changes()
