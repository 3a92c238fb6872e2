"""Proposals of the field rules and the Rezept side of the notebooks."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import polars as pl
import pytest

from elternkit.persons import PairDecision
from elternkit.rezept import Rezept
from elternkit.widgets.proposals import (
    ProposalsWidget,
    collect_proposals,
    proposal_decision,
)
from elternkit.widgets.session import (
    load_rezept,
    mapping_widgets,
    read_exports,
    record_decisions,
    run_with_rezept,
    with_save_button,
)
from elternkit.widgets.workspace import open_workspace


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory):
    """The sample school with swaps, splits and a typo, run once."""
    rezept_path = tmp_path_factory.mktemp("arbeit") / "rezept.toml"
    workspace = open_workspace("grundschule_am_see", rezept=rezept_path)
    result = run_with_rezept(workspace, load_rezept(workspace))
    proposals = collect_proposals(result.long, result.findings, result.changes)
    return workspace, proposals


def test_sample_school_proposes_each_kind(school) -> None:
    _, proposals = school

    assert set(proposals["art"]) == {"tauschen", "teilen", "email"}
    assert proposals["schluessel"].str.contains(r"^\d+\|").all()


@pytest.mark.parametrize(
    ("art", "accepted", "expected"),
    [
        pytest.param("tauschen", True, "tauschen", id="swap-accepted"),
        pytest.param("tauschen", False, None, id="swap-rejected-records-nothing"),
        pytest.param("teilen", True, "teilen", id="split-accepted"),
        pytest.param("teilen", False, "nicht_teilen", id="split-rejected"),
        pytest.param("email", True, "wert", id="typo-accepted"),
        pytest.param("email", False, None, id="typo-rejected-records-nothing"),
    ],
)
def test_answer_becomes_decision(
    school,
    art: str,
    accepted: bool,
    expected: str | None,
) -> None:
    _, proposals = school
    proposal = proposals.filter(art=art).row(0, named=True)

    decision = proposal_decision(proposal, accepted=accepted, autor="AB")

    assert (decision.art if decision else None) == expected
    if decision is not None:
        assert decision.schluessel == (proposal["schluessel"],)
        assert decision.problem() is None


def test_widget_saves_answers_and_replay_applies_them(school) -> None:
    workspace, proposals = school
    rezept = Rezept.new(workspace.school)
    widget = ProposalsWidget(
        proposals, on_save=lambda d: record_decisions(rezept, workspace, d)
    )
    for toggle in widget.choices:
        toggle.value = "annehmen"

    widget.save_button.click()

    assert widget.output.outputs == ()
    assert "Rezept gespeichert" in widget.status.value
    saved = Rezept.load(workspace.rezept_path)
    assert len(saved.decisions) == proposals.height
    replayed = run_with_rezept(workspace, saved)
    assert replayed.replay is not None
    assert replayed.replay.count("angewendet") == proposals.height
    fixed = proposals.filter(art="email")["vorschlag"].to_list()
    assert set(fixed) <= set(replayed.exported["email"].to_list())


def test_widget_without_proposals_says_so() -> None:
    empty = collect_proposals(
        pl.DataFrame(schema={"_row": pl.UInt32}),
        pl.DataFrame(schema={"_row": pl.UInt32, "code": pl.String}),
        pl.DataFrame(
            schema={
                "_row": pl.UInt32,
                "zeile": pl.Int64,
                "quelle": pl.String,
                "feld": pl.String,
                "vorher": pl.String,
                "regel": pl.String,
            }
        ),
    )

    widget = ProposalsWidget(empty)

    assert empty.is_empty()
    assert "Keine Vorschläge" in widget.widget.children[0].value


def test_mapping_saved_in_the_widget_is_replayed(tmp_path: Path) -> None:
    workspace = open_workspace("gymnasium_nord", rezept=tmp_path / "r.toml")
    rezept = load_rezept(workspace)
    widget = mapping_widgets(workspace, rezept, read_exports(workspace, rezept))[0]
    widget.dropdowns[("email", "M")].value = None

    widget.save_button.click()
    again = load_rezept(workspace)
    reopened = mapping_widgets(workspace, again, read_exports(workspace, again))[0]

    assert reopened.dropdowns[("email", "M")].value is None
    assert reopened.dropdowns[("email", "V")].value == "E-Mail_V"


@pytest.mark.parametrize(
    ("pair", "expected_arts", "error"),
    [
        pytest.param(
            PairDecision("1|anna|weiss", "2|anna|weiss", same=True),
            ["gleich"],
            "",
            id="saved",
        ),
        pytest.param(
            PairDecision("", "", same=True),
            None,
            "Die Entscheidung lässt sich nicht speichern",
            id="broken-decision-german-error",
        ),
    ],
)
def test_review_decisions_saved_through_the_button(
    tmp_path: Path, pair: PairDecision, expected_arts: list[str] | None, error: str
) -> None:
    workspace = open_workspace("gymnasium_nord", rezept=tmp_path / "r.toml")
    rezept = load_rezept(workspace)
    box = with_save_button(
        widgets.Label("Paare"),
        lambda: [pair],
        lambda d: record_decisions(rezept, workspace, d),
    )

    box.save_button.click()

    text = "".join(o["text"] for o in box.children[-1].outputs)
    assert (error in text) if error else text == ""
    if expected_arts is None:
        assert not workspace.rezept_path.exists()
    else:
        saved = Rezept.load(workspace.rezept_path).decisions
        assert [d.art for d in saved] == expected_arts
