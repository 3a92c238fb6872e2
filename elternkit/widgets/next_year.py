"""Next school year in the notebooks: a new export, the Rezept, last year's file.

Without a real new export, :func:`next_year_workspace` simulates one from the
sample data so that a workshop can show the replay: the pupils of every
tenth Kind-ID have left, and one e-mail header is spelled differently (the
Rezept re-matches it). :func:`last_year_import` finds (or makes) last year's
``eltern_import.csv``; :func:`compare_with_last_year` writes this year's
files and shows the comparison.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl
from IPython.display import Markdown

from elternkit.compare import compare_files, render_comparison
from elternkit.job import write_result
from elternkit.mapping import suggest_mapping
from elternkit.pipeline import JobResult
from elternkit.read import read_export
from elternkit.rezept import Rezept
from elternkit.widgets.session import run_with_rezept
from elternkit.widgets.workspace import Workspace
from elternkit.write import write_csv

logger = logging.getLogger(__name__)

#: Every n-th Kind-ID leaves the school in the simulated next year.
LEAVING_EVERY = 10


def _kind_id_columns(frame: pl.DataFrame) -> list[str]:
    columns = [c for c in frame.columns if c != "zeile"]
    return [c.column for c in suggest_mapping(columns).columns if c.field == "kind_id"]


def _renamed(header: str) -> str:
    """The header spelled as another program version might (E-Mail → EMail)."""
    return header.replace("E-Mail", "EMail") if "E-Mail" in header else header


def simulate_export(path: Path, out: Path, *, leaving: set[str]) -> Path:
    """Write ``path`` as next year's CSV export without the ``leaving`` pupils."""
    frame = read_export(path).frame.drop("zeile")
    for column in _kind_id_columns(frame):
        frame = frame.filter(~pl.col(column).str.strip_chars().is_in(list(leaving)))
    frame = frame.rename({c: _renamed(c) for c in frame.columns})
    target = out / f"{path.stem}.csv"
    frame.write_csv(target, separator=";")
    return target


def next_year_workspace(
    workspace: Workspace,
    *,
    exports: Sequence[str | Path] | None = None,
    pupil_list: str | Path | None = None,
) -> Workspace:
    """This year's workspace: the new export, or a simulated one.

    The Rezept stays the same file; outputs go to
    ``<arbeitsordner>/<schule>/naechstes_jahr/ausgabe``.
    """
    folder = workspace.rezept_path.parent / "naechstes_jahr"
    if exports is not None:
        pupils = Path(pupil_list) if pupil_list is not None else None
        return replace(
            workspace,
            exports=[Path(p) for p in exports],
            pupil_list=pupils,
            out=folder / "ausgabe",
        )
    folder.mkdir(parents=True, exist_ok=True)
    ids: set[str] = set()
    for path in workspace.exports:
        frame = read_export(path).frame
        for column in _kind_id_columns(frame):
            ids |= set(frame[column].drop_nulls().str.strip_chars().to_list())
    leaving = set(sorted(ids)[::LEAVING_EVERY])
    paths = [simulate_export(p, folder, leaving=leaving) for p in workspace.exports]
    pupils = workspace.pupil_list
    if pupils is not None:
        pupils = simulate_export(pupils, folder, leaving=leaving)
    logger.info("next year simulated: %d pupils left", len(leaving))
    return replace(workspace, exports=paths, pupil_list=pupils, out=folder / "ausgabe")


def last_year_import(
    workspace: Workspace, rezept: Rezept, *, vorjahr: str | Path | None = None
) -> Path:
    """Last year's ``eltern_import.csv``: given, written by notebook 05, or made now."""
    if vorjahr is not None:
        return Path(vorjahr)
    path = workspace.out / "eltern_import.csv"
    if not path.is_file():
        write_result(run_with_rezept(workspace, rezept), workspace.out)
    return path


def compare_with_last_year(
    workspace: Workspace, result: JobResult, *, last_year: Path
) -> Markdown:
    """Write this year's files and ``vergleich.csv``; show the comparison."""
    files = write_result(result, workspace.out, school=workspace.school)
    new = next(p for p in files.values() if p.name == "eltern_import.csv")
    comparison = compare_files(last_year, new)
    write_csv(comparison.details(), workspace.out / "vergleich.csv")
    return Markdown(render_comparison(comparison, old_name=last_year.name))
