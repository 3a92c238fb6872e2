"""The vectorised paths of person resolution agree with their plain references."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elternkit.persons_findings import _places_text, rows_text

_PLACES = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(1, 999)),
        st.one_of(st.none(), st.sampled_from(["a.csv", "b.csv", "c.xlsx"])),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        pytest.param([(2, "a.csv")], "Zeile 2 (a.csv)", id="one-row"),
        pytest.param(
            [(2, "a.csv"), (3, "a.csv")], "Zeile 2 und Zeile 3 (a.csv)", id="one-file"
        ),
        pytest.param(
            [(2, "a.csv"), (3, "b.csv"), (4, "b.csv")],
            "Zeile 2 (a.csv), Zeile 3 (b.csv) und Zeile 4 (b.csv)",
            id="two-files",
        ),
        pytest.param([(2, None), (3, None)], "Zeile 2 und Zeile 3", id="no-file"),
        pytest.param(
            [(2, None), (3, "a.csv")], "Zeile 2 (None) und Zeile 3 (a.csv)", id="mixed"
        ),
    ],
)
def test_places_text_names_rows_like_rows_text(places, expected):
    rows = pl.DataFrame(
        {
            "g": [1] * len(places),
            "zeile": [z for z, _ in places],
            "quelle": [q for _, q in places],
        },
        schema={"g": pl.Int64, "zeile": pl.Int64, "quelle": pl.String},
    )
    assert _places_text(rows, "g")["_where"].to_list() == [expected]
    assert rows_text(places) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(_PLACES, min_size=1, max_size=5))
def test_places_text_equals_rows_text_per_group(groups):
    rows = pl.DataFrame(
        [(g, z, q) for g, places in enumerate(groups) for z, q in places],
        schema={"g": pl.Int64, "zeile": pl.Int64, "quelle": pl.String},
        orient="row",
    )
    got = _places_text(rows, "g")
    assert got["g"].to_list() == list(range(len(groups)))
    assert got["_where"].to_list() == [rows_text(p) for p in groups]
