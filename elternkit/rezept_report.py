"""The Rezept's and last year's parts of a run's outputs.

:func:`extra_outputs` gives :func:`elternkit.job.write_result` the report
sections (replayed decisions, comparison with last year) and the extra review
table ``vergleich.csv``, so the job module only passes them through.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from elternkit.compare import (
    compare_imports,
    read_import,
    rename_to_source,
    render_comparison,
)
from elternkit.pipeline import JobResult
from elternkit.replay import render_replay

COMPARISON_FILE = "vergleich.csv"


def extra_outputs(
    result: JobResult,
    imports: pl.DataFrame,
    *,
    vorjahr: str | Path | None = None,
) -> tuple[list[str], dict[str, pl.DataFrame]]:
    """Return report sections and extra review tables (file name → table).

    ``imports`` is the upload table as written (IServ header); ``vorjahr``
    last year's ``eltern_import.csv``.
    """
    sections: list[str] = []
    tables: dict[str, pl.DataFrame] = {}
    if result.replay is not None:
        sections.append(render_replay(result.replay))
        # an unusable entry of the Rezept changes the whole run: say so on the
        # console too, not only in the report
        result.warnings.extend(
            f"Rezept ({p.gegenstand}): {p.grund}"
            if "Bitte" in p.grund
            else f"Rezept ({p.gegenstand}): {p.grund.rstrip('.')}. Bitte im Rezept "
            "berichtigen; bis dahin gilt, was hier steht."
            for p in result.replay.problems
            if not p.behoben
        )
    if vorjahr is not None:
        new = rename_to_source(imports)
        comparison = compare_imports(read_import(vorjahr), new)
        result.warnings.extend(comparison.warnings())
        sections.append(render_comparison(comparison, old_name=Path(vorjahr).name))
        tables[COMPARISON_FILE] = comparison.details()
    return sections, tables


__all__ = ["COMPARISON_FILE", "extra_outputs"]
