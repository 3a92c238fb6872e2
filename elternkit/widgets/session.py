"""The Rezept side of a notebook: load it, read the exports, run, save.

Each notebook runs on its own from the Rezept and the export, so a trainer can
start a workshop at any step: :func:`load_rezept` starts a new Rezept when the
school has none yet, :func:`run_with_rezept` replays whatever it holds, and
the widgets' save buttons call :func:`save_rezept`, which creates the working
folder when needed and answers with a German confirmation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from elternkit.mapping import ColumnMapping, suggest_mapping
from elternkit.mapping_user import apply_user_mapping
from elternkit.persons import PairDecision
from elternkit.pipeline import JobResult, prepare
from elternkit.read import Export, read_export
from elternkit.rezept import Decision, Rezept
from elternkit.widgets.guard import guarded
from elternkit.widgets.mapping import MappingWidget
from elternkit.widgets.workspace import Workspace

logger = logging.getLogger(__name__)


def load_rezept(workspace: Workspace) -> Rezept:
    """Load the school's Rezept, or start a new one if there is none yet."""
    if workspace.rezept_path.is_file():
        return Rezept.load(workspace.rezept_path)
    return Rezept.new(workspace.school)


def save_rezept(rezept: Rezept, workspace: Workspace) -> str:
    """Write the Rezept and return a German confirmation."""
    workspace.rezept_path.parent.mkdir(parents=True, exist_ok=True)
    rezept.save(workspace.rezept_path)
    logger.info("Rezept saved")
    return (
        f"Rezept gespeichert: {workspace.rezept_path} "
        f"({len(rezept.mapping)} Spaltenzuordnungen, "
        f"{len(rezept.decisions)} Entscheidungen)."
    )


def read_exports(workspace: Workspace, rezept: Rezept) -> list[Export]:
    """Read every export with the Rezept's source settings (None: detect)."""
    source = rezept.source
    return [
        read_export(
            path,
            encoding=source.encoding,
            delimiter=source.delimiter,
            sheet=source.sheet,
            header_row=source.header_row,
        )
        for path in workspace.exports
    ]


def recorded_mapping(export: Export, rezept: Rezept) -> ColumnMapping:
    """The suggestion for an export with the Rezept's mapping applied."""
    columns = [c for c in export.frame.columns if c != "zeile"]
    suggestion = suggest_mapping(columns)
    user, _conflicts = rezept.user_mapping(columns)
    return apply_user_mapping(suggestion, user) if user else suggestion


def mapping_widgets(
    workspace: Workspace, rezept: Rezept, exports: Sequence[Export]
) -> list[MappingWidget]:
    """One mapping widget per export; saving records it in the Rezept."""

    def saver(name: str) -> Callable[[ColumnMapping], str]:
        def save(mapping: ColumnMapping) -> str:
            rezept.set_mapping(mapping, datei=name)
            return save_rezept(rezept, workspace)

        return save

    return [
        MappingWidget(
            e.frame,
            file_name=e.info.path.name,
            mapping=recorded_mapping(e, rezept),
            on_save=saver(e.info.path.name),
        )
        for e in exports
    ]


def run_with_rezept(workspace: Workspace, rezept: Rezept) -> JobResult:
    """Run every stage in memory with the Rezept replayed (nothing written)."""
    return prepare(workspace.exports, pupil_list=workspace.pupil_list, rezept=rezept)


def record_decisions(
    rezept: Rezept,
    workspace: Workspace,
    decisions: Sequence[Decision | PairDecision],
) -> str:
    """Add decisions (Rezept or review-widget ones) and save the Rezept."""
    for d in decisions:
        rezept.add_decision(Decision.from_pair(d) if isinstance(d, PairDecision) else d)
    return f"{len(decisions)} Entscheidungen übernommen. " + save_rezept(
        rezept, workspace
    )


def with_save_button(
    shown: widgets.Widget,
    decisions: Callable[[], Sequence[Decision | PairDecision]],
    on_save: Callable[[Sequence[Decision | PairDecision]], str],
    *,
    label: str = "Entscheidungen speichern",
) -> widgets.VBox:
    """Put a save button under a widget that collects decisions.

    The button hands ``decisions()`` to ``on_save`` and shows its answer;
    errors appear under the button.
    """
    status = widgets.HTML()
    output = widgets.Output()
    button = widgets.Button(description=label, button_style="primary", icon="save")

    def save() -> None:
        status.value = on_save(decisions())

    button.on_click(guarded(output, save, context="dem Speichern"))
    box = widgets.VBox([shown, button, status, output])
    box.save_button = button  # type: ignore[attr-defined]
    box.status = status  # type: ignore[attr-defined]
    return box
