"""Headless tests of the findings browser and the data-quality charts."""

from __future__ import annotations

import polars as pl
import pytest

import elternkit.pipeline  # noqa: F401  (registers every finding code)
from elternkit.findings import finding_rows
from elternkit.widgets.charts import (
    bar_chart_html,
    fill_overview,
    findings_overview,
    show_findings_chart,
)
from elternkit.widgets.findings import FindingsBrowser, filter_findings

FINDINGS = finding_rows(
    [
        {"code": "kind_id_fehlt", "zeile": 4, "feld": "kind_id"},
        {"code": "email_geteilt", "zeile": 5, "feld": "email", "wert": "a@x.de"},
        {"code": "email_geteilt", "zeile": 6, "feld": "email", "wert": "a@x.de"},
        {"code": "telefon_mehrere", "zeile": 7, "feld": "telefon", "wert": "0351 1"},
    ]
)


@pytest.mark.parametrize(
    ("filters", "expected_rows"),
    [
        pytest.param({}, [4, 5, 6, 7], id="no-filter"),
        pytest.param({"schwere": "fehler"}, [4], id="severity"),
        pytest.param({"code": "email_geteilt"}, [5, 6], id="code"),
        pytest.param({"text": "0351"}, [7], id="text-in-value"),
        pytest.param({"text": "Kind-ID fehlt"[:7]}, [4], id="text-in-message"),
        pytest.param({"schwere": "alle", "code": "alle"}, [4, 5, 6, 7], id="alle"),
    ],
)
def test_filter_findings(filters: dict[str, str], expected_rows: list[int]) -> None:
    assert filter_findings(FINDINGS, **filters)["zeile"].to_list() == expected_rows


def test_browser_filters_when_a_dropdown_changes() -> None:
    browser = FindingsBrowser(FINDINGS)
    assert "4 Befunde" in browser.table.value

    browser.code.value = "email_geteilt"

    assert "2 Befunde" in browser.table.value
    assert browser.message.value == FINDINGS["meldung"][1]


def test_browser_escapes_values() -> None:
    hostile = finding_rows(
        [{"code": "email_geteilt", "wert": "<script>x</script>", "feld": "email"}]
    )

    browser = FindingsBrowser(hostile)

    assert "<script>" not in browser.table.value


def test_fill_overview_counts_every_row() -> None:
    frame = pl.DataFrame({"zeile": [1, 2], "A": ["x", None], "B": [None, ""]})

    counts = fill_overview(frame)

    assert counts.rows() == [("A", 1, 1), ("B", 0, 2)]
    assert (counts["gefuellt"] + counts["leer"]).to_list() == [2, 2]


def test_findings_overview_orders_by_severity_then_count() -> None:
    counts = findings_overview(FINDINGS)

    assert counts["code"].to_list() == [
        "kind_id_fehlt",
        "email_geteilt",
        "telefon_mehrere",
    ]
    assert counts["anzahl"].to_list() == [1, 2, 1]


def test_chart_scales_the_longest_bar_to_the_width() -> None:
    out = bar_chart_html(
        ["a", "b"], [[10], [5]], names=["n"], colors=["red"], title="T", width_px=100
    )

    assert "width:100px" in out
    assert "width:50px" in out


def test_findings_chart_without_findings_says_so() -> None:
    empty = FINDINGS.clear()

    assert "keine Befunde" in show_findings_chart(empty, title="Befunde").data
