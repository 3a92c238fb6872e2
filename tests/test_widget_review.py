"""Headless tests of the review widget: click buttons, read the decisions."""

from __future__ import annotations

import polars as pl
from case_frames import long_frame

from elternkit.persons import PairDecision, find_duplicates
from elternkit.widgets import ReviewWidget, evidence_html

HAUPT = "Hauptstr. 1, 01067 Dresden"
LINDEN = "Lindenweg 3, 01099 Dresden"


def unsure_frame() -> pl.DataFrame:
    """Two unsure pairs: Anna and Lars each appear at two unrelated addresses."""
    return long_frame(
        zeile=[2, 3, 4, 5],
        vorname=["Anna", "Anna", "Lars", "Lars"],
        nachname=["Beispiel"] * 4,
        adresse=[HAUPT, LINDEN, HAUPT, LINDEN],
        kind_id=["1001", "1002", "1003", "1004"],
        kind_vorname=["Ben", "Mia", "Tim", "Ida"],
        kind_nachname=["Beispiel"] * 4,
    )


def widget_for(frame: pl.DataFrame) -> ReviewWidget:
    res = find_duplicates(frame)
    return ReviewWidget(res.pairs, frame, author="Sekretariat", date="2026-08-01")


def test_shows_only_unsure_pairs_with_progress() -> None:
    w = widget_for(unsure_frame())

    assert len(w.pairs) == 2
    assert w.progress.value == "Paar 1 von 2 (0 entschieden)"
    assert "Hauptstr. 1, 01067 Dresden" in w.evidence.value
    assert "1001 (Ben Beispiel)" in w.evidence.value


def test_buttons_record_decisions_as_plain_data() -> None:
    frame = unsure_frame()
    w = widget_for(frame)

    w.note.value = "gleiche Handynummer laut Sekretariat"
    w.same_button.click()
    w.different_button.click()

    assert w.decisions == [
        PairDecision(
            "1001|anna|beispiel",
            "1002|anna|beispiel",
            same=True,
            author="Sekretariat",
            date="2026-08-01",
            note="gleiche Handynummer laut Sekretariat",
        ),
        PairDecision(
            "1003|lars|beispiel",
            "1004|lars|beispiel",
            same=False,
            author="Sekretariat",
            date="2026-08-01",
            note=None,
        ),
    ]
    assert w.progress.value == "Fertig: 2 von 2 Paaren entschieden."
    assert w.same_button.disabled


def test_skip_records_nothing() -> None:
    w = widget_for(unsure_frame())

    w.skip_button.click()
    w.same_button.click()

    assert [d.key_a for d in w.decisions] == ["1003|lars|beispiel"]


def test_decisions_change_the_result() -> None:
    frame = unsure_frame()
    w = widget_for(frame)
    before = find_duplicates(frame).frame["person"].n_unique()

    w.same_button.click()
    w.same_button.click()
    after = find_duplicates(frame, decisions=w.decisions)

    assert before == 4
    assert after.frame["person"].n_unique() == 2
    assert after.findings.filter(pl.col("code") == "dublette_unsicher").is_empty()


def test_errors_in_a_callback_show_in_the_output() -> None:
    w = widget_for(unsure_frame())
    w.pairs[0] = {"grund": "kaputt"}  # no keys: the decision cannot be built

    w.same_button.click()

    assert w.decisions == []
    assert "Fehler in der Dublettenprüfung" in w.output.outputs[0]["text"]


def test_no_unsure_pairs() -> None:
    frame = long_frame(vorname=["Anna"], nachname=["Beispiel"], kind_id=["1001"])

    w = widget_for(frame)

    assert w.progress.value == "Fertig: 0 von 0 Paaren entschieden."
    assert w.decisions == []


def test_evidence_html_escapes_and_marks_differences() -> None:
    pair = {
        "vorname_a": "<b>Anna</b>",
        "vorname_b": "Anna",
        "nachname_a": "Beispiel",
        "nachname_b": "Beispiel",
        "grund": "gleicher Name",
    }

    html = evidence_html(pair)

    assert "&lt;b&gt;Anna&lt;/b&gt;" in html
    assert '<tr style="font-weight:bold"><th>Vorname</th>' in html
    assert "<tr><th>Nachname</th>" in html
