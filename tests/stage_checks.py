"""Shared property checks for cleaning stages (twice equals once)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from elternkit.rules import Stage


def assert_twice_equals_once(
    clean: Callable[..., Stage], frame: pl.DataFrame, **kwargs: object
) -> tuple[Stage, Stage]:
    """Run ``clean`` on ``frame`` and on its own output; both must agree.

    The second run must change nothing and record no change; no row may be
    lost or reordered. Returns both stages for further checks.
    """
    once = clean(frame, **kwargs)
    twice = clean(once.frame, **kwargs)

    assert twice.frame.equals(once.frame)
    assert twice.changes.is_empty()
    assert once.frame["_row"].to_list() == frame["_row"].to_list()
    return once, twice
