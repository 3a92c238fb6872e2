"""Tests of elternkit.preview: what the IServ import will create."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame, table

from elternkit.preview import iserv_groups, preview_iserv, render_preview

HAUPT = "Hauptstr. 1, 01067 Dresden"


def family() -> pl.DataFrame:
    """Anna with two children, Lars with one, Eva with one."""
    return long_frame(
        person=["P1", "P1", "P2", "P3"],
        vorname=["Anna", "Anna", "Lars", "Eva"],
        nachname=["Beispiel", "Beispiel", "Beispiel", "Probe"],
        adresse=[HAUPT, HAUPT, HAUPT, None],
        email=["anna@example.org", "anna@example.org", None, "eva@example.org"],
        kind_id=["1001", "1002", "1001", "2001"],
    )


def test_counts() -> None:
    p = preview_iserv(family())

    assert (p.rows, p.accounts, p.children) == (4, 3, 3)
    assert p.several_children.select("vorname", "kinder").rows() == [("Anna", 2)]
    assert p.several_children["kind_ids"].to_list() == [["1001", "1002"]]
    assert p.without_guardian is None
    assert p.over_four.is_empty()


def test_children_without_guardian_need_the_pupil_list() -> None:
    pupils = pl.DataFrame(
        {"kind_id": ["1001", "1002", "3001", " 3002"], "klasse": ["1a"] * 4}
    )

    p = preview_iserv(family(), pupils=pupils)

    assert p.without_guardian["kind_id"].to_list() == ["3001", "3002"]


def test_children_with_more_than_four_guardians() -> None:
    names = ["Anna", "Lars", "Eva", "Tom", "Ida"]
    frame = long_frame(
        person=[f"P{i}" for i in range(5)],
        vorname=names,
        nachname=["Beispiel"] * 5,
        kind_id=["1001"] * 5,
    )

    p = preview_iserv(frame)

    assert p.over_four.rows() == [("1001", 5)]


# (id, rows as (vorname, adresse, email, telefon, person), accounts, split, joined)
ISERV_CASES = [
    (
        "identical-rows-one-account",
        [("Anna", HAUPT, None, None, "P1"), ("Anna", HAUPT, None, None, "P1")],
        1,
        0,
        0,
    ),
    (
        "stale-address-splits-a-person",
        [("Anna", HAUPT, None, None, "P1"), ("Anna", "Neue Str. 5", None, None, "P1")],
        2,
        1,
        0,
    ),
    (
        "chain-of-identifiers-joins",
        [
            ("Anna", HAUPT, "a@example.org", None, "P1"),
            ("Anna", "Neue Str. 5", "a@example.org", "+49351", "P1"),
            ("Anna", None, None, "+49351", "P1"),
        ],
        1,
        0,
        0,
    ),
    (
        "same-name-same-address-joins-two-persons",
        [("Anna", HAUPT, None, None, "P1"), ("Anna", HAUPT, None, None, "P2")],
        1,
        0,
        1,
    ),
    (
        "different-names-never-join",
        [("Anna", HAUPT, None, None, "P1"), ("Lars", HAUPT, None, None, "P2")],
        2,
        0,
        0,
    ),
]


@pytest.mark.parametrize(("rows", "accounts", "split", "joined"), **table(ISERV_CASES))
def test_iserv_rule_estimate(
    rows: list, accounts: int, split: int, joined: int
) -> None:
    frame = long_frame(
        vorname=[r[0] for r in rows],
        nachname=["Beispiel"] * len(rows),
        adresse=[r[1] for r in rows],
        email=[r[2] for r in rows],
        telefon=[r[3] for r in rows],
        person=[r[4] for r in rows],
        kind_id=[str(1000 + i) for i in range(len(rows))],
    )

    p = preview_iserv(frame)

    assert (p.iserv_accounts, p.split_persons, p.joined_persons) == (
        accounts,
        split,
        joined,
    )
    assert iserv_groups(frame).n_unique() == accounts


def test_render_preview_in_german() -> None:
    pupils = pl.DataFrame({"kind_id": ["1001", "3001"]})

    text = render_preview(preview_iserv(family(), pupils=pupils))

    assert text.startswith("## Vorschau: was der IServ-Import anlegt")
    assert "| Elternkonten (verschiedene Personen) | 3 |" in text
    assert "| Kinder der Schülerliste ohne Eltern | 1 |" in text
    assert "Kinder ohne Eltern in der Datei (Kind-ID): 3001." in text
    assert "Das stimmt mit der Personenzuordnung überein." in text


def test_render_preview_names_split_accounts() -> None:
    frame = family().with_columns(
        pl.when(pl.col("_row") == 1)
        .then(pl.lit("Neue Str. 5"))
        .otherwise(pl.col("adresse"))
        .alias("adresse"),
        pl.lit(None, pl.String).alias("email"),
    )

    text = render_preview(preview_iserv(frame))

    assert "1 Person(en) bekämen mehrere Konten" in text


def test_empty_frame() -> None:
    p = preview_iserv(long_frame(vorname=[]))

    assert (p.rows, p.accounts, p.children, p.iserv_accounts) == (0, 0, 0, 0)
