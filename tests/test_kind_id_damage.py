"""Kind-IDs a spreadsheet stored as numbers (elternkit.check_fields)."""

from __future__ import annotations

import time

import polars as pl
import pytest
from case_frames import long_frame

from elternkit.check import run_checks
from elternkit.check_fields import check_kind_id_damage


@pytest.mark.parametrize(
    ("kind_id", "codes"),
    [
        pytest.param("1e5", ["kind_id_zerstoert"], id="scientific"),
        pytest.param("1,5E+06", ["kind_id_zerstoert"], id="scientific-comma"),
        pytest.param("1.23E-3", ["kind_id_zerstoert"], id="scientific-negative"),
        pytest.param("7.0", ["kind_id_nachkomma"], id="trailing-zero"),
        pytest.param("7,00", ["kind_id_nachkomma"], id="trailing-zeros-comma"),
        pytest.param("7.5", [], id="not-whole"),
        pytest.param("S007", [], id="letters"),
        pytest.param("007", [], id="leading-zeros-alone"),
        pytest.param("E12", [], id="letter-e"),
    ],
)
def test_single_kind_ids(kind_id, codes):
    df = long_frame(kind_id=[kind_id], vorname=["Anna"], nachname=["Muster"])

    found = check_kind_id_damage(df)

    assert found.get_column("code").to_list() == codes


def test_scientific_notation_holds_the_row_back():
    df = long_frame(kind_id=["1e5"], vorname=["Anna"], nachname=["Muster"])

    found = run_checks(df)

    row = found.filter(pl.col("code") == "kind_id_zerstoert")
    assert row.get_column("schwere").to_list() == ["fehler"]
    assert "Excel hat die Kind-ID als Zahl gespeichert" in row["meldung"][0]


def test_variants_by_leading_zeros_are_named_on_every_row():
    df = long_frame(
        kind_id=["007", "7", "0007", "7", "008", "S7"],
        vorname=["A", "B", "C", "D", "E", "F"],
        nachname=["X"] * 6,
    )

    found = check_kind_id_damage(df)

    assert found.select("zeile", "code").rows() == [
        (2, "kind_id_fuehrende_nullen"),
        (3, "kind_id_fuehrende_nullen"),
        (4, "kind_id_fuehrende_nullen"),
        (5, "kind_id_fuehrende_nullen"),
    ]
    assert "„007“ kommt in der Datei auch als „0007“, „7“ vor" in found["meldung"][0]


def test_a_million_rows_stay_fast():
    n = 1_000_000
    df = long_frame(
        kind_id=[f"{i % 300_000:06d}" for i in range(n - 2)] + ["1", "1e5"],
        vorname=["Anna"] * n,
        nachname=["Muster"] * n,
    )

    start = time.perf_counter()
    found = check_kind_id_damage(df)
    elapsed = time.perf_counter() - start

    assert set(found.get_column("code")) == {
        "kind_id_fuehrende_nullen",
        "kind_id_zerstoert",
    }
    assert elapsed < 5


@pytest.mark.parametrize("value", ["07.01.2026", "1.7.26", "2026-01-07"])
def test_kind_id_turned_into_a_date_is_held_back(value):
    import polars as pl

    from elternkit.check_fields import check_kind_id_damage
    from elternkit.schema import conform_long

    frame = conform_long(pl.DataFrame({"_row": [0], "zeile": [2], "kind_id": [value]}))

    found = check_kind_id_damage(frame)

    assert found.select("code", "schwere").rows() == [("kind_id_datum", "fehler")]
