"""Placeholders and Excel error values in cells (elternkit.clean_text)."""

from __future__ import annotations

import pytest
import xlsxwriter
from case_frames import long_frame
from run_outputs import run_cli

from elternkit.clean_names import fix_name_case
from elternkit.clean_text import clean_text, clean_text_value, is_placeholder
from elternkit.pipeline import prepare
from elternkit.split_names import parse_guardian_names, split_combined_names

PLACEHOLDER_CASES = [
    "#NV",
    "#nv",
    "#N/A",
    "#WERT!",
    "#VALUE!",
    "#BEZUG!",
    "#REF!",
    "#DIV/0!",
    "#NAME?",
    "#ZAHL!",
    "#NUM!",
    "#NULL!",
    "#LEER!",
    "nan",
    "NaN",
    "None",
    "null",
    "NULL",
    "N/A",
    "n/a",
    "-",
    "--",
    "?",
    " #NV ",
    "\u00a0nan",
    "#SPILL!",
    "#ÜBERLAUF!",
    "#CALC!",
    "#GETTING_DATA",
    "#BLOCKED!",
    "k.A.",
    "k. A.",
    "keine Angabe",
    "N.N.",
    "xxx",
]


@pytest.mark.parametrize("value", PLACEHOLDER_CASES)
def test_a_placeholder_cell_becomes_empty_with_a_change_and_a_finding(value):
    out = clean_text_value(value, feld="vorname")

    assert out.value is None
    assert out.rule is not None and out.rule.endswith("platzhalter_entfernt")
    assert [h.code for h in out.hits] == ["platzhalter"]


@pytest.mark.parametrize(
    "value", ["Nana", "Nanette", "Noneman", "N/B Muster", "Weg 1", "#2", "Anna-"]
)
def test_real_values_are_no_placeholders(value):
    assert not is_placeholder(value)
    assert clean_text_value(value, feld="vorname").hits == ()


def test_a_dash_in_the_phone_column_is_left_to_the_phone_stage():
    assert clean_text_value("-", feld="telefon").value == "-"
    assert clean_text_value("#NV", feld="telefon").value is None


@pytest.mark.parametrize(
    ("feld", "code"),
    [
        ("vorname", "excel_fehlerwert"),
        ("nachname", "excel_fehlerwert"),
        ("kind_id", "excel_fehlerwert"),
        ("strasse", "excel_fehlerwert_uebernommen"),
        ("email", "excel_fehlerwert_uebernommen"),
    ],
)
def test_an_error_value_among_text_is_kept_and_reported(feld, code):
    out = clean_text_value("#nv Muster", feld=feld)

    assert out.value == "#nv Muster"
    assert out.rule is None
    assert [(h.code, h.detail) for h in out.hits] == [(code, "#nv")]


def test_casing_never_touches_an_error_value():
    assert fix_name_case("#NV MUSTER", kind="nachname") == "#NV MUSTER"
    assert fix_name_case("BERND #WERT!") == "BERND #WERT!"


def test_a_placeholder_is_never_split_into_two_persons():
    assert split_combined_names("N/A") == ["N/A"]
    assert parse_guardian_names("N/A", "Test").persons == ()
    assert parse_guardian_names("#N/A Anna", "Test").persons == ()


def test_clean_text_empties_placeholders_in_every_column():
    df = long_frame(
        vorname=["#NV", "Bernd", "NULL"],
        nachname=["Muster", "#WERT!", "None"],
        strasse=["Weg 1", "#BEZUG!", "nan"],
    )

    st = clean_text(df)

    assert st.frame.select("vorname", "nachname", "strasse").rows() == [
        (None, "Muster", "Weg 1"),
        ("Bernd", None, None),
        (None, None, None),
    ]
    assert set(st.changes.get_column("regel")) == {"platzhalter_entfernt"}
    assert st.findings.height == 6
    assert set(st.findings.get_column("schwere")) == {"hinweis"}


def test_the_run_holds_back_names_with_error_values(tmp_path):
    src = tmp_path / "nv.csv"
    src.write_text(
        "Kind-ID;Vorname;Nachname;Ort\n"
        "001;#NV;Muster;Dresden\n"
        "002;Bernd;#WERT! Muster;Dresden\n"
        "003;N/A;Test;Dresden\n"
        "004;Clara;Beispiel;#NV\n",
        encoding="utf-8",
    )

    result = prepare([src])

    names = result.exported.select("vorname", "nachname").rows()
    assert names == [("Clara", "Beispiel")]
    codes = set(result.findings.get_column("code"))
    assert {"platzhalter", "excel_fehlerwert"} <= codes


def test_an_error_value_in_the_kind_id_is_reported_with_its_kind_id():
    df = long_frame(kind_id=["#NV 7", "8"], vorname=["Anna", "Bernd"])

    st = clean_text(df)

    assert st.findings.select("zeile", "kind_id", "code").rows() == [
        (2, "#NV 7", "excel_fehlerwert")
    ]


def test_checkbox_cells_never_become_names_or_ids(tmp_path, capsys):
    """A TRUE/FALSE cell (checkbox, formula) is no name, e-mail or Kind-ID."""
    path = tmp_path / "eltern.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Eltern")
    sheet.write_row(0, 0, ["Vorname", "Nachname", "E-Mail", "Kind-ID", "Sperre"])
    sheet.write_row(1, 0, ["Anna", "Beispiel", "anna@example.org", "1001"])
    sheet.write_boolean(1, 4, True)  # a flag column may hold a truth value
    sheet.write_boolean(2, 0, True)
    sheet.write_row(2, 1, ["Muster", "b@example.org", "1002"])
    sheet.write_row(3, 0, ["Carla", "Test"])
    sheet.write_boolean(3, 2, False)
    sheet.write_string(3, 3, "1003")
    book.close()

    run = run_cli(capsys, tmp_path / "aus", path)

    exported = [(r[0], r[3]) for r in run.rows()]
    assert ("Wahr", "1002") not in exported
    assert ("Carla", None) in exported  # the e-mail was emptied, not "Falsch"
    codes = {(z, c) for z, _, c in run.findings()}
    assert {(3, "platzhalter"), (4, "platzhalter")} <= codes


def test_a_surname_wahr_is_a_name_not_a_truth_value():
    assert not is_placeholder("Wahr", feld="nachname")
    assert is_placeholder("WAHR", feld="nachname")
    assert is_placeholder("falsch", feld="vorname")
    assert is_placeholder("Wahr", feld="email")
