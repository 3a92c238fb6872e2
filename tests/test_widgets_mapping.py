"""Headless tests of the column mapping widget: set dropdowns, call handlers."""

from __future__ import annotations

import polars as pl
import pytest

from elternkit.errors import MappingError
from elternkit.mapping import suggest_mapping
from elternkit.widgets.mapping import (
    MappingWidget,
    mapping_from_choice,
    mapping_targets,
    sample_values,
)

EXPORT = pl.DataFrame(
    {
        "zeile": [2, 3, 4],
        "Vorname": ["Anna", "Lars", None],
        "Nachname": ["Weiß", "Weiß", "Öztürk"],
        "Kind-ID": ["001", "001", "002"],
        "Ausweis": ["A1", "A2", "A3"],
        "Notiz": ["anna@example.org", " ", None],
    }
)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        pytest.param(
            ["Voller Name", "Kind-ID"],
            [
                ("volle_name", None),
                ("kind_id", None),
                ("email", None),
                ("telefon", None),
            ],
            id="full-name-column-stands-in-for-first-and-last",
        ),
        pytest.param(
            ["Schüler-ID", "Erz1_Vorname", "Erz1_Nachname", "Erz2_Vorname"],
            [
                ("kind_id", None),
                ("vorname", "1"),
                ("nachname", "1"),
                ("vorname", "2"),
                ("email", "1"),
                ("telefon", "1"),
                ("nachname", "2"),
                ("email", "2"),
                ("telefon", "2"),
            ],
            id="wide-export-offers-each-block",
        ),
    ],
)
def test_targets(columns: list[str], expected: list[tuple[str, str | None]]) -> None:
    assert mapping_targets(suggest_mapping(columns)) == expected


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        pytest.param("Vorname", ["Anna", "Lars"], id="nulls-skipped"),
        pytest.param("Nachname", ["Weiß", "Öztürk"], id="repeats-once"),
        pytest.param("Notiz", ["anna@example.org"], id="blank-skipped"),
    ],
)
def test_sample_values(column: str, expected: list[str]) -> None:
    assert sample_values(EXPORT, column) == expected


def test_same_column_twice_is_a_german_error() -> None:
    suggestion = suggest_mapping(["Vorname", "Nachname", "Kind-ID"])
    choice = {
        ("vorname", None): "Vorname",
        ("nachname", None): "Vorname",
        ("kind_id", None): "Kind-ID",
    }

    with pytest.raises(MappingError, match="„Vorname“ für Vorname und Nachname"):
        mapping_from_choice(suggestion, choice)


def test_suggestion_is_preselected_and_samples_follow_the_dropdown() -> None:
    widget = MappingWidget(EXPORT, file_name="export.csv")

    assert widget.dropdowns[("kind_id", None)].value == "Kind-ID"
    assert "001" in widget.samples[("kind_id", None)].value

    widget.dropdowns[("kind_id", None)].value = "Ausweis"

    assert "A1" in widget.samples[("kind_id", None)].value


def test_save_hands_the_changed_mapping_to_on_save() -> None:
    saved = []
    widget = MappingWidget(
        EXPORT,
        file_name="export.csv",
        on_save=lambda m: saved.append(m) or "gespeichert",
    )
    widget.dropdowns[("kind_id", None)].value = "Ausweis"
    widget.dropdowns[("email", None)].value = "Notiz"

    widget.save_button.click()

    fields = {c.column: (c.field, c.how) for c in saved[0].columns}
    assert fields["Ausweis"] == ("kind_id", "benutzer")
    assert fields["Kind-ID"] == (None, "benutzer")
    assert fields["Notiz"] == ("email", "benutzer")
    assert widget.status.value == "gespeichert"


def test_missing_kind_id_shows_error_in_widget_and_saves_nothing() -> None:
    saved = []
    widget = MappingWidget(EXPORT, file_name="export.csv", on_save=saved.append)
    widget.dropdowns[("kind_id", None)].value = None

    widget.save_button.click()

    assert saved == []
    text = "".join(o["text"] for o in widget.output.outputs)
    assert "export.csv: Die Spalten für Kind-ID wurden nicht gefunden" in text
