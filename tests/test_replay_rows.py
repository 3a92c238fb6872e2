"""Row decisions on small frames: split a cell, keep it, swap, set a value."""

from __future__ import annotations

import polars as pl
import pytest

from elternkit.options import Options
from elternkit.pipeline import clean_long
from elternkit.replay_rows import set_value, split_cell, swap_names, undo_split
from elternkit.rezept import row_key
from elternkit.rules import Stage
from elternkit.schema import conform_long


def _raw() -> pl.DataFrame:
    return conform_long(
        pl.DataFrame(
            {
                "_row": [0, 1],
                "zeile": [2, 3],
                "quelle": ["a.csv"] * 2,
                "slot": ["1", "1"],
                "kind_id": ["1001", "1002"],
                "vorname": ["Anna und Lars", "Mustermann"],
                "nachname": ["Beispiel", "Max"],
            }
        )
    )


def test_keep_cell_undoes_the_split() -> None:
    raw = _raw()
    cleaned = clean_long(raw, options=Options())
    assert cleaned.frame.height == 3

    stage, (status, _) = undo_split(
        raw, cleaned, row_key("1001", "Anna und Lars", "Beispiel")
    )

    assert status == "angewendet"
    assert stage.frame.select("vorname", "slot").rows()[0] == ("Anna und Lars", "1")
    assert stage.frame.height == 2
    assert "name_geteilt" not in stage.findings["code"].to_list()


def test_split_cell_into_named_persons() -> None:
    raw = _raw()
    stage, (status, _) = split_cell(
        raw,
        Stage(raw),
        row_key("1001", "Anna und Lars", "Beispiel"),
        (("Anna", "Beispiel"), ("Lars", "Muster")),
    )

    assert status == "angewendet"
    rows = stage.frame.filter(pl.col("zeile") == 2).select(
        "vorname", "nachname", "slot"
    )
    assert rows.rows() == [("Anna", "Beispiel", "1a"), ("Lars", "Muster", "1b")]
    assert set(stage.changes["regel"]) == {"rezept"}
    assert stage.frame["_row"].n_unique() == 3


@pytest.mark.parametrize(
    ("key", "status"),
    [
        pytest.param("1002|mustermann|max", "angewendet", id="swap"),
        pytest.param("1002|max|mustermann", "erledigt", id="already-right"),
        pytest.param("9999|max|mustermann", "konflikt", id="pupil-gone"),
    ],
)
def test_swap_outcomes(key: str, status: str) -> None:
    _, (got, why) = swap_names(Stage(_raw()), key)
    assert got == status
    if status == "konflikt":
        assert "Kind-ID 9999 steht nicht mehr im Export" in why


def test_value_kept_when_source_already_has_it() -> None:
    key = row_key("1002", "Mustermann", "Max")
    _, (status, _) = set_value(Stage(_raw()), key, "nachname", "Max", None)
    assert status == "erledigt"
