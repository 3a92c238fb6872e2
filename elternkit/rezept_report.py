"""The Rezept's and last year's parts of a run's outputs.

:func:`extra_outputs` gives :func:`elternkit.job.write_result` the report
sections (replayed decisions, comparison with last year) and the extra review
table ``vergleich.csv``, so the job module only passes them through.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from elternkit.compare import compare_imports, read_import, render_comparison
from elternkit.pipeline import JobResult
from elternkit.replay import render_replay
from elternkit.schema import IMPORT_HEADER, IMPORT_SOURCE

COMPARISON_FILE = "vergleich.csv"


def extra_outputs(
    result: JobResult,
    imports: pl.DataFrame,
    *,
    vorjahr: str | Path | None = None,
    rezept_name: str = "rezept.toml",
) -> tuple[list[str], dict[str, pl.DataFrame]]:
    """Return report sections and extra review tables (file name → table).

    ``imports`` is the upload table as written (IServ header); ``vorjahr``
    last year's ``eltern_import.csv``.
    """
    sections: list[str] = []
    tables: dict[str, pl.DataFrame] = {}
    if result.replay is not None:
        sections.append(render_replay(result.replay, rezept_name=rezept_name))
    if vorjahr is not None:
        new = imports.select(
            pl.col(h).alias(s)
            for h, s in zip(IMPORT_HEADER, IMPORT_SOURCE, strict=True)
        )
        comparison = compare_imports(read_import(vorjahr), new)
        result.warnings.extend(comparison.warnings())
        sections.append(render_comparison(comparison, old_name=Path(vorjahr).name))
        tables[COMPARISON_FILE] = comparison.details()
    return sections, tables


__all__ = ["COMPARISON_FILE", "extra_outputs"]
