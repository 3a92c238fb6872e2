"""Tests of the pre-flight checks (run_checks and the single-row checks)."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame

from elternkit.check import (
    check_guardian_count,
    require_guardian_rows,
    run_checks,
)
from elternkit.check_fields import (
    account_name,
    check_account_names,
    check_flags,
    check_formula_values,
    is_flag_set,
    is_formula_like,
    lacks_custody,
)
from elternkit.check_names import (
    check_name_characters,
    check_name_length,
    check_name_parts,
)
from elternkit.codes_doc import DOC_PATH, render_codes_markdown
from elternkit.errors import InputError
from elternkit.findings import _REGISTRY, describe_codes, format_message, message_expr
from elternkit.options import Options
from elternkit.schema import conform_long, empty_long


def _codes(findings: pl.DataFrame) -> list[tuple[int, str]]:
    return findings.select("zeile", "code").rows()


@pytest.mark.parametrize(
    ("value", "flagged"),
    [
        pytest.param("ja", True, id="ja"),
        pytest.param("J", True, id="j"),
        pytest.param("x", True, id="x"),
        pytest.param("1", True, id="one"),
        pytest.param("WAHR", True, id="wahr"),
        pytest.param("Sperre bis 2027", True, id="remark"),
        pytest.param("nein", False, id="nein"),
        pytest.param("FALSCH", False, id="falsch"),
        pytest.param("0", False, id="zero"),
        pytest.param(" ", False, id="blank"),
        pytest.param(None, False, id="null"),
    ],
)
def test_is_flag_set(value, flagged):
    assert is_flag_set(value) is flagged


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        pytest.param("nein", True, id="nein"),
        pytest.param("kein Sorgerecht", True, id="kein"),
        pytest.param("Sorgerecht entzogen", True, id="entzogen"),
        pytest.param("FALSE", True, id="false"),
        pytest.param("FALSCH", True, id="falsch"),
        pytest.param("ja", False, id="ja"),
        pytest.param("gemeinsam", False, id="gemeinsam"),
        pytest.param("WAHR", False, id="wahr"),
        pytest.param(None, False, id="null"),
    ],
)
def test_lacks_custody(value, missing):
    assert lacks_custody(value) is missing


@pytest.mark.parametrize(
    ("hold", "codes"),
    [
        pytest.param(
            False,
            [(2, "auskunftssperre"), (4, "sorgerecht_fehlt")],
            id="report-only",
        ),
        pytest.param(
            True,
            [
                (2, "auskunftssperre_zurueckgehalten"),
                (4, "sorgerecht_fehlt_zurueckgehalten"),
            ],
            id="held-back",
        ),
    ],
)
def test_check_flags_reports_or_holds(hold, codes):
    frame = long_frame(
        vorname=["Anna", "Lars", "Eva"],
        auskunftssperre=["ja", "nein", None],
        sorgerecht=["ja", None, "nein"],
    )

    found = check_flags(frame, options=Options(hold_auskunftssperre=hold))

    assert _codes(found) == codes
    expected = {"fehler"} if hold else {"warnung"}
    assert set(found["schwere"]) == expected


def test_check_flags_message_says_what_to_do():
    frame = long_frame(vorname=["Anna"], auskunftssperre=["x"])

    found = check_flags(frame, options=Options())

    assert found["meldung"][0].startswith(
        "Für dieses Elternteil ist eine Auskunftssperre vermerkt („x“)."
    )
    assert "--sperre-zurueckhalten" in found["meldung"][0]


@pytest.mark.parametrize(
    ("vorname", "nachname", "expected"),
    [
        pytest.param(None, "Beispiel", [(2, "vorname", "Beispiel")], id="no-vorname"),
        pytest.param("Anna", None, [(2, "nachname", "Anna")], id="no-nachname"),
        pytest.param("Anna", "Beispiel", [], id="complete"),
        pytest.param(None, None, [], id="neither-is-name-fehlt"),
    ],
)
def test_check_name_parts(vorname, nachname, expected):
    frame = long_frame(vorname=[vorname], nachname=[nachname])

    found = check_name_parts(frame)

    assert found.select("zeile", "feld", "wert").rows() == expected
    assert set(found["schwere"]) <= {"fehler"}


@pytest.mark.parametrize(
    ("vorname", "nachname", "account"),
    [
        pytest.param("Anna", "Beispiel", "anna.beispiel", id="plain"),
        pytest.param("Jürgen", "Weiß", "juergen.weiss", id="umlauts"),
        pytest.param("Renée", "Dupont", "renee.dupont", id="accent"),
        pytest.param("Anna Lena", "van Berg", "anna-lena.van-berg", id="spaces"),
        pytest.param("O'Neill", "Smith", "oneill.smith", id="apostrophe"),
    ],
)
def test_account_name(vorname, nachname, account):
    assert account_name(vorname, nachname) == account


@pytest.mark.parametrize(
    ("vorname", "nachname", "hint"),
    [
        pytest.param("Anna", "Beispiel", None, id="short"),
        pytest.param("Annabell", "Beispielman", None, id="exactly-20"),
        pytest.param(
            "Annabell", "Beispielmann", "annabell.beispielmann", id="just-too-long"
        ),
        pytest.param(
            "Marie-Luise",
            "Müller-Lüdenscheidt",
            "marie-luise.mueller-luedenscheidt",
            id="umlauts-count-twice",
        ),
        pytest.param("Herr und Frau", "Beispielhausen", None, id="two-persons"),
        pytest.param("=HYPERLINK(1)", "Beispielhausen", None, id="formula"),
    ],
)
def test_check_account_names(vorname, nachname, hint):
    frame = long_frame(vorname=[vorname], nachname=[nachname])

    found = check_account_names(frame)

    assert found["wert"].to_list() == ([] if hint is None else [hint])
    if hint:
        assert found["schwere"][0] == "hinweis"
        assert f"({len(hint)} Zeichen, mehr als 20)" in found["meldung"][0]


@pytest.mark.parametrize(
    ("field", "value", "reported"),
    [
        pytest.param("adresse", "=HYPERLINK(1)", True, id="adresse-equals"),
        pytest.param("adresse", "-Hinterhaus", True, id="adresse-minus"),
        pytest.param("email", "@anna@example.org", True, id="email-at"),
        pytest.param("kind_id", "+1001", True, id="kind-id-plus"),
        pytest.param("telefon", "+493511234567", False, id="phone-plus"),
        pytest.param("telefon", "=1+1", True, id="phone-formula"),
        pytest.param("adresse", "Hauptstr. 1", False, id="plain-address"),
        pytest.param("adresse", None, False, id="empty"),
    ],
)
def test_check_formula_values(field, value, reported):
    frame = long_frame(**{field: [value]})

    found = check_formula_values(frame)

    assert found.select("feld", "wert").rows() == ([(field, value)] if reported else [])


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        pytest.param("=1+1", True, id="equals"),
        pytest.param("@SUM(A1)", True, id="at"),
        pytest.param("-Eva", True, id="minus-word"),
        pytest.param("+49 (0)351 1234", False, id="phone"),
        pytest.param("-", False, id="dash-placeholder"),
        pytest.param("\tAnna", True, id="tab"),
        pytest.param("Anna", False, id="name"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_formula_like(value, formula):
    assert is_formula_like(value) is formula


def test_check_guardian_count_counts_spellings_once():
    names = ["Anna", "Lars", "Eva", "Tom", "ANNA"]
    frame = long_frame(vorname=names, nachname=["Beispiel"] * 5, kind_id=["1001"] * 5)

    assert check_guardian_count(frame).is_empty()


def test_check_guardian_count_reports_five_guardians():
    names = ["Anna", "Lars", "Eva", "Tom", "Ida", "Ole"]
    frame = long_frame(
        vorname=names,
        nachname=["Beispiel"] * 6,
        kind_id=["1001"] * 5 + ["1002"],
    )

    found = check_guardian_count(frame)

    assert found["zeile"].to_list() == [2, 3, 4, 5, 6]
    assert set(found["code"]) == {"zu_viele_eltern"}
    assert found["meldung"][0].startswith(
        "Für das Kind mit der Kind-ID „1001“ stehen 5 verschiedene Elternteile"
    )


def test_run_checks_collects_every_finding_at_once():
    frame = long_frame(
        vorname=["Anna", None, None, "Lars", "Eva"],
        nachname=["Beispiel", None, "Muster", "Muster", "Probe"],
        kind_id=["1001", "1002", "1003", None, "9999"],
        auskunftssperre=[None, None, None, None, "ja"],
    )
    pupils = pl.DataFrame(
        {
            "kind_id": ["1001", "1002", "1003", "1004"],
            "kind_vorname": ["Kim", "Ben", "Mia", "Lia"],
            "kind_nachname": ["Beispiel", "X", "Muster", "Neu"],
            "klasse": ["5a", "5a", "5b", "6c"],
            "zeile": [2, 3, 4, 5],
            "quelle": ["schueler.csv"] * 4,
        }
    )

    found = run_checks(frame, pupils=pupils, options=Options())

    assert sorted(found["code"].to_list()) == sorted(
        [
            "name_fehlt",
            "name_unvollstaendig",
            "kind_id_fehlt",
            "kind_id_unbekannt",
            "auskunftssperre",
            "kind_ohne_eltern_liste",
        ]
    )
    assert found.filter(pl.col("meldung").is_null()).is_empty()


def test_require_guardian_rows_names_the_file():
    with pytest.raises(InputError, match=r"Die Datei eltern\.csv enthält keine"):
        require_guardian_rows(empty_long(), files=["eltern.csv"])


def test_require_guardian_rows_accepts_rows():
    require_guardian_rows(long_frame(vorname=["Anna"]), files=["eltern.csv"])


def test_codes_doc_is_up_to_date():
    text = render_codes_markdown()

    assert describe_codes() in text
    assert DOC_PATH.read_text(encoding="utf-8") == text, (
        "docs/codes.md ist veraltet: uv run python -m elternkit.codes_doc"
    )


def test_messages_built_by_polars_equal_format_message():
    """findings_for_rows fills templates in polars exactly as format_message."""
    values = ["#NV", None, "  Anna  ", "{wert}", "a\\nb", "Ünal & Co"]
    details = ["", "Zeile 7", None, "{detail}", " x ", "„y“"]
    frame = pl.DataFrame({"w": values, "d": details})
    for code in _REGISTRY:
        built = frame.select(
            message_expr(code, wert=pl.col("w"), feld="vorname", detail=pl.col("d"))
        )["meldung"].to_list()
        expected = [
            format_message(code, wert=w, feld="vorname", detail=d or "")
            for w, d in zip(values, details, strict=True)
        ]
        assert built == expected, code


@pytest.mark.parametrize(
    ("check", "vorname", "held"),
    [
        (check_name_length, "Anna-Maria Josefine Magdalena", False),
        (check_name_length, "x" * 60, False),
        (check_name_length, "x" * 61, True),
        (check_name_length, "Ann" * 13_334, True),
        (check_name_characters, "Anna-Lena", False),
        (check_name_characters, "O'Brien", False),
        (check_name_characters, "Beispiel (geb. Muster)", False),
        (check_name_characters, "<r>Anna<", True),
        (check_name_characters, "Anna2", True),
        (check_name_characters, "Lars_", True),
        (check_name_characters, "R>", True),
    ],
    ids=["long-real", "at-limit", "over-limit", "40000-chars", "hyphen",
         "apostrophe", "birth-name", "markup", "digit", "underscore", "markup-tail"],
)  # fmt: skip
def test_implausible_names_are_held_back(check, vorname, held):
    frame = conform_long(
        pl.DataFrame({"_row": [0], "zeile": [2], "vorname": [vorname],
                      "nachname": ["Beispiel"]})
    )  # fmt: skip

    found = check(frame)

    assert found.height == int(held)
    if held:
        assert found["schwere"][0] == "fehler"
        if check is check_name_length:
            assert f"mit {len(vorname)} Zeichen" in found["meldung"][0]
