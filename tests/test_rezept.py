"""The Rezept file: written, edited by hand, read back; comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elternkit.errors import RezeptError
from elternkit.mapping import suggest_mapping
from elternkit.mapping_user import apply_user_mapping
from elternkit.options import Options
from elternkit.persons import PairDecision
from elternkit.rezept import Decision, Rezept, row_key
from elternkit.rezept_mapping import MappingEntry, header_key, match_mapping
from elternkit.rezept_options import options_from_toml

HEADERS = ["Lfd Kennz", "Klasse", "Erz1_Vorname", "Erz1_Nachname", "Erz1_EMail"]


def _rezept() -> Rezept:
    rezept = Rezept.new("Grundschule am See")
    mapping = apply_user_mapping(
        suggest_mapping(HEADERS), {"Lfd Kennz": ("kind_id", None)}
    )
    rezept.set_mapping(mapping, datei="export.csv")
    rezept.add_decision(
        Decision.from_pair(
            PairDecision("1001|anna|beispiel", "1002|anna|beispiel", same=True),
            autor="Sekretariat",
            datum="2025-08-20",
            notiz="Geschwister",
        )
    )
    rezept.add_decision(Decision("tauschen", ("1003|mustermann|max",)))
    return rezept


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "rezept.toml"
    rezept = _rezept()
    rezept.options = Options(apply_swaps=True, phone_format="international")

    rezept.save(path)
    back = Rezept.load(path)

    assert back.school == "Grundschule am See"
    assert back.options == rezept.options
    assert back.decisions == rezept.decisions
    assert back.mapping == rezept.mapping
    assert back.problems == []


def test_comments_written_by_hand_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "rezept.toml"
    _rezept().save(path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('art = "gleich"', '# Eltern haben angerufen\nart = "gleich"')
    text = text.replace("[optionen]", "[optionen]\n# so gewollt")
    path.write_text(text, encoding="utf-8")

    rezept = Rezept.load(path)
    rezept.add_decision(Decision("ausschliessen", ("1004|eva|muster",)))
    rezept.save(path)
    again = path.read_text(encoding="utf-8")

    assert '# Eltern haben angerufen\nart = "gleich"' in again
    assert "# so gewollt" in again
    assert again.count("[[entscheidung]]") == 3
    rezept.save(path)
    assert path.read_text(encoding="utf-8") == again


def test_new_file_explains_itself_in_german(tmp_path: Path) -> None:
    path = tmp_path / "rezept.toml"
    _rezept().save(path)
    text = path.read_text(encoding="utf-8")
    for table in ("[schule]", "[quelle]", "[optionen]", "[[zuordnung]]"):
        assert table in text
    assert "namen_tauschen = false" in text
    assert text.startswith("# Rezept von elternkit")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param('[schule\nname = "x"', "kein gültiges TOML", id="syntax"),
        pytest.param("name = ", "Zeile 1", id="no-value"),
    ],
)
def test_unreadable_file_is_a_german_error(
    tmp_path: Path, text: str, match: str
) -> None:
    path = tmp_path / "rezept.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RezeptError, match=match):
        Rezept.load(path)


def test_missing_file_is_a_german_error(tmp_path: Path) -> None:
    with pytest.raises(RezeptError, match="wurde nicht gefunden"):
        Rezept.load(tmp_path / "fehlt.toml")


def test_broken_entries_are_problems_not_failures(tmp_path: Path) -> None:
    path = tmp_path / "rezept.toml"
    path.write_text(
        """
[schule]
name = "X"
[optionen]
telefon_format = "lang"
namen_tauschen = "ja"
[[entscheidung]]
art = "gleich"
schluessel = ["1|a|b"]
[[entscheidung]]
art = "zaubern"
schluessel = ["1|a|b"]
[[entscheidung]]
art = "tauschen"
schluessel = "1|a|b"
datum = 2025-08-20
""",
        encoding="utf-8",
    )

    rezept = Rezept.load(path)
    rezept.save(path)

    assert [d.art for d in rezept.decisions] == ["tauschen"]
    assert rezept.decisions[0].datum == "2025-08-20"
    assert rezept.options == Options()
    texts = " ".join(p.grund for p in rezept.problems)
    assert "Nr. 1" in texts and "unbekannte Art „zaubern“" in texts
    assert "telefon_format" in texts and "true oder false" in texts
    assert Rezept.load(path).problems[-1].nummer is not None
    assert "zaubern" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("decision", "match"),
    [
        pytest.param(Decision("gleich", ("1|a|b",)), "Schlüssel", id="pair-one-key"),
        pytest.param(
            Decision("wert", ("1|a|b",), feld="klasse"), "Feld", id="value-bad-field"
        ),
        pytest.param(
            Decision("teilen", ("1|a|b",), teile=(("A", "B"),)),
            "zwei Personen",
            id="split-one-person",
        ),
    ],
)
def test_add_decision_refuses_incomplete(decision: Decision, match: str) -> None:
    with pytest.raises(RezeptError, match=match):
        Rezept.new("X").add_decision(decision)


def test_later_decision_replaces_the_opposite() -> None:
    rezept = Rezept.new("X")
    rezept.add_decision(Decision("gleich", ("1|a|b", "2|a|b")))
    rezept.add_decision(Decision("verschieden", ("2|a|b", "1|a|b")))
    assert [d.art for d in rezept.decisions] == ["verschieden"]


@pytest.mark.parametrize(
    ("columns", "expected", "how"),
    [
        pytest.param(HEADERS, {"Lfd Kennz": ("kind_id", None)}, [], id="same"),
        pytest.param(
            ["LFD_KENNZ", *HEADERS[1:]],
            {"LFD_KENNZ": ("kind_id", None)},
            ["schluessel"],
            id="spelling",
        ),
        pytest.param(
            ["LfdKenz", *HEADERS[1:]],
            {"LfdKenz": ("kind_id", None)},
            ["aehnlich"],
            id="similar",
        ),
        pytest.param(["Schüler-ID", *HEADERS[1:]], {}, ["synonym"], id="known-synonym"),
    ],
)
def test_user_mapping_rematches_renamed_headers(
    columns: list[str], expected: dict, how: list[str]
) -> None:
    rezept = _rezept()
    entries = [e for e in rezept.mapping if e.feld == "kind_id"]

    mapping, conflicts = rezept.user_mapping(columns)

    assert mapping == expected
    assert [c.behoben for c in conflicts] == [True] * len(how)
    assert [h for _, _, h in match_mapping(entries, columns).renamed] == how


def test_user_mapping_reports_a_column_found_nowhere() -> None:
    _, conflicts = _rezept().user_mapping(["Ganz anders", *HEADERS[1:]])
    assert not conflicts[0].behoben
    assert "passt zu keiner Spalte mehr" in conflicts[0].grund


def test_two_files_pick_their_own_entries() -> None:
    rezept = Rezept.new("BBS")
    rezept.mapping = [
        MappingEntry("Vorname", "kind_vorname", datei="schueler.csv"),
        MappingEntry("Klasse", "klasse", datei="schueler.csv"),
        MappingEntry("Vorname", "vorname", datei="eltern.csv"),
        MappingEntry("EMail", "email", datei="eltern.csv"),
    ]
    mapping, _ = rezept.user_mapping(["Kind", "Vorname", "Klasse"])
    assert mapping.get("Vorname", ("kind_vorname", None))[0] == "kind_vorname"


def test_options_accept_english_names() -> None:
    options, problems = options_from_toml({"apply_swaps": True})
    assert options.apply_swaps and problems == []


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_row_key_is_stable_under_case_and_spaces(k: str, v: str, n: str) -> None:
    assert row_key(k, v.upper(), f" {n} ") == row_key(k, v.lower(), n)
    assert row_key(k, v, n).count("|") >= 2


@given(st.text(max_size=20))
def test_header_key_is_idempotent(header: str) -> None:
    assert header_key(header_key(header)) == header_key(header)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[quelle]\nkopfzeile = -5\n", "„kopfzeile“ muss eine Zeilennummer ab 1"),
        ('[quelle]\nkopfzeile = "zwei"\n', "„kopfzeile“ muss eine Zeilennummer ab 1"),
        ("[quelle]\nkopfzeile = true\n", "„kopfzeile“ muss eine Zeilennummer ab 1"),
        ("quelle = 5\n", "„quelle“ muss ein Abschnitt [quelle] sein"),
        ("optionen = [1]\n", "„optionen“ muss ein Abschnitt [optionen] sein"),
        (
            '[[zuordnung]]\nspalte = "Blut"\nfeld = "blutgruppe"\n',
            "Spalte „Blut“: unbekanntes Feld „blutgruppe“",
        ),
        (
            '[[entscheidung]]\nart = "gleich"\nschluessel = 5\n',
            "„schluessel“ muss Text oder eine Liste sein",
        ),
        ("[quelle2]\nblatt = 1\n", "unbekannter Eintrag „quelle2“"),
        ('[schule]\nname = "a"\nquelle = 5\n', "„quelle“ in [schule]"),
        ('entscheidung = "x"\n', "„entscheidung“ muss eine Liste"),
    ],
    ids=["negative-header", "text-header", "bool-header", "quelle-value",
         "optionen-list", "unknown-field", "key-number", "unknown-section",
         "unknown-key", "decisions-text"],
)  # fmt: skip
def test_unusable_values_are_named_as_problems(
    tmp_path: Path, toml: str, expected: str
) -> None:
    path = tmp_path / "rezept.toml"
    path.write_text(toml, encoding="utf-8")

    problems = Rezept.load(path).problems

    assert any(expected in p.grund for p in problems), problems


def test_new_rezept_starts_with_its_comment(tmp_path: Path) -> None:
    path = tmp_path / "rezept.toml"
    Rezept("Schule").save(path)

    assert path.read_text(encoding="utf-8").startswith("# Rezept von elternkit")
