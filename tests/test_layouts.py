"""Every layout ends in the long table: one row per guardian–child pair."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest

from elternkit.layouts import attach_pupils, pupils_from, to_long
from elternkit.mapping import suggest_mapping
from elternkit.pipeline import build_long, load_sources
from elternkit.schema import ROW_ID


def _frame(rows: list[list[str | None]], columns: list[str]) -> pl.DataFrame:
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    frame = pl.DataFrame(data, schema={c: pl.String for c in columns})
    return frame.with_columns(
        pl.Series("zeile", range(2, 2 + len(rows)), dtype=pl.Int64)
    ).select("zeile", *columns)


def _long(frame: pl.DataFrame) -> pl.DataFrame:
    long, _ = to_long(frame, suggest_mapping(frame.columns[1:]), quelle="t.csv")
    return long


def test_wide_blocks_become_one_row_per_guardian():
    cols = [
        "Schüler-ID",
        "Nachname",
        "Vorname",
        "Klasse",
        "Erz1_Vorname",
        "Erz1_Nachname",
        "Erz2_Vorname",
        "Erz2_Nachname",
    ]
    frame = _frame(
        [
            ["007", "Kind", "Ben", "5a", "Anna", "Beispiel", "Lars", "Muster"],
            ["008", "Kind", "Mia", "6b", "Eva", "Probe", None, None],
        ],
        cols,
    )

    long = _long(frame)

    assert long.select(
        "zeile", "slot", "vorname", "nachname", "kind_id", "kind_vorname", "klasse"
    ).rows() == [
        (2, "1", "Anna", "Beispiel", "007", "Ben", "5a"),
        (2, "2", "Lars", "Muster", "007", "Ben", "5a"),
        (3, "1", "Eva", "Probe", "008", "Mia", "6b"),
    ]
    assert long["quelle"].unique().to_list() == ["t.csv"]


def test_pupil_without_any_guardian_is_reported_not_dropped_silently():
    cols = ["Kind-ID", "Erz1_Vorname", "Erz1_Nachname", "Erz2_Vorname", "Erz2_Nachname"]
    frame = _frame(
        [["1", None, None, None, None], ["2", "Eva", "Probe", None, None]], cols
    )

    long, findings = to_long(frame, suggest_mapping(cols), quelle="t.csv")

    assert long["kind_id"].to_list() == ["2"]
    assert findings.select("zeile", "kind_id", "code").rows() == [
        (2, "1", "kind_ohne_eltern")
    ]


def test_long_file_with_relation_column_uses_it_as_slot():
    cols = ["Schueler_ID", "Art", "Vorname", "Nachname"]
    frame = _frame([["1", "Mutter", "Eva", "Probe"], ["1", None, "Tom", "Probe"]], cols)

    long = _long(frame)

    assert long["slot"].to_list() == ["Mutter", "1"]


def test_several_phone_columns_of_one_guardian_are_coalesced_landline_first():
    cols = ["Kind-ID", "Vorname", "Nachname", "Handy", "Telefon"]
    frame = _frame(
        [
            ["1", "Eva", "Probe", "0151 1", "0351 2"],
            ["2", "Tom", "Test", "0151 3", None],
        ],
        cols,
    )

    long = _long(frame)

    assert long["telefon"].to_list() == ["0351 2", "0151 3"]


def test_full_name_and_plz_ort_columns_are_split_into_fields():
    cols = ["Kind-ID", "Schüler", "Name", "PLZ Ort"]
    frame = _frame([["1", "Beispiel, Ben", "Anna Beispiel", "01067 Dresden"]], cols)

    long = _long(frame)

    assert long.select(
        "kind_vorname", "kind_nachname", "vorname", "nachname", "plz", "ort"
    ).row(0) == ("Ben", "Beispiel", None, "Anna Beispiel", "01067", "Dresden")


def test_pupil_file_fills_names_and_class_by_kind_id():
    guardians = _long(
        _frame(
            [["1", "Eva", "Probe"], ["9", "Tom", "Test"]],
            ["Schueler_ID", "Vorname", "Nachname"],
        )
    )
    pupil_cols = ["Schueler_ID", "Name", "Vorname", "Klasse"]
    pupil_frame = _frame([["1", "Probe", "Mia", "5a"]], pupil_cols)
    pupils = pupils_from(pupil_frame, suggest_mapping(pupil_cols))

    joined = attach_pupils(guardians, pupils)

    assert joined.select("kind_id", "kind_vorname", "klasse").rows() == [
        ("1", "Mia", "5a"),
        ("9", None, None),
    ]


@pytest.mark.parametrize(
    ("ids", "flagged"),
    [
        ([("17", "004711"), ("18", "004712"), ("19", None)], [2, 3, 4]),
        ([("004711", "004711"), (" 004712", "004712 ")], []),
        ([(None, "004711"), (None, "004712")], []),
        ([("17", None), ("18", "")], []),
    ],
    ids=["two-numbering-schemes", "same-ids", "first-column-unused", "second-empty"],
)
def test_two_kind_id_columns_that_disagree_are_flagged(ids, flagged):
    cols = ["ID", "Schülernummer", "Vorname", "Nachname"]
    frame = _frame([[a, b, "Anna", "Beispiel"] for a, b in ids], cols)

    _, findings = to_long(frame, suggest_mapping(cols), quelle="t.csv")

    mixed = findings.filter(pl.col("code") == "kind_id_spalten_uneins")
    assert mixed["zeile"].to_list() == flagged
    assert set(mixed["schwere"]) <= {"fehler"}
    if flagged:
        assert mixed["meldung"][0].startswith(
            "Spalte „Schülernummer“: 004711; Spalte „ID“: 17. Welche davon"
        )


def test_disagreeing_id_columns_hold_back_every_guardian_of_the_row():
    path = Path(tempfile.mkdtemp()) / "eltern.csv"
    path.write_text(
        "ID;Schülernummer;Erz1_Vorname;Erz1_Nachname;Erz2_Vorname;Erz2_Nachname\n"
        "17;004711;Anna;Beispiel;Lars;Beispiel\n"
        "18;18;Eva;Muster;;\n",
        encoding="utf-8",
    )

    long, findings = build_long(load_sources([path]))

    held = findings.filter(pl.col("code") == "kind_id_spalten_uneins")
    first_row = long.filter(pl.col("zeile") == 2)[ROW_ID].to_list()
    assert sorted(held[ROW_ID].to_list()) == sorted(first_row)
    assert len(first_row) == 2
