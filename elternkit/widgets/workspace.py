"""Where a notebook finds its inputs and writes its work.

Every notebook starts with one parameters cell (school, exports, pupil list,
Rezept). :func:`open_workspace` turns those parameters into paths: without
exports it uses the bundled synthetic sample data of the school, and it
writes only into a git-ignored working folder (``arbeitsdaten/<schule>/``),
never into ``sample_data/``. The environment variable
``ELTERNKIT_ARBEITSORDNER`` moves that working folder (the tests use it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from elternkit.errors import InputError
from elternkit.job import find_school_inputs

#: Environment variable that overrides the working folder.
WORK_FOLDER_VARIABLE = "ELTERNKIT_ARBEITSORDNER"

#: The repository root when elternkit runs from a checkout.
REPOSITORY = Path(__file__).resolve().parents[2]

#: The bundled synthetic exports, one folder per invented school.
SAMPLE_DATA = REPOSITORY / "sample_data"


@dataclass(frozen=True)
class Workspace:
    """The inputs and output folders of one school in the notebooks.

    Attributes
    ----------
    school
        The school's name (folder name).
    exports
        The export files (guardian file, optionally a pupil file).
    pupil_list
        The pupils' import IDs, or None.
    rezept_path
        The school's Rezept (``rezept.toml``); it may not exist yet.
    out
        Where the output files are written.
    """

    school: str
    exports: list[Path]
    pupil_list: Path | None
    rezept_path: Path
    out: Path


def sample_schools() -> list[str]:
    """Return the names of the bundled sample schools."""
    if not SAMPLE_DATA.is_dir():
        return []
    return sorted(
        p.name for p in SAMPLE_DATA.iterdir() if p.is_dir() and any(p.glob("*.csv"))
    )


def work_folder() -> Path:
    """Return the git-ignored working folder (``arbeitsdaten/`` by default)."""
    chosen = os.environ.get(WORK_FOLDER_VARIABLE)
    return Path(chosen) if chosen else REPOSITORY / "arbeitsdaten"


def open_workspace(
    school: str,
    *,
    exports: Sequence[str | Path] | None = None,
    pupil_list: str | Path | None = None,
    rezept: str | Path | None = None,
) -> Workspace:
    """Resolve a notebook's parameters into a :class:`Workspace`.

    Parameters
    ----------
    school
        The school's name; with ``exports=None`` one of :func:`sample_schools`.
    exports
        The export files; None takes the sample data of ``school``.
    pupil_list
        The pupils' import IDs; None takes the sample's list (if any).
    rezept
        The Rezept file; None takes ``<arbeitsordner>/<schule>/rezept.toml``.

    Raises
    ------
    InputError
        The school has no sample data and no exports were named, or a named
        file does not exist.
    """
    if exports is None:
        folder = SAMPLE_DATA / school
        if not folder.is_dir():
            known = ", ".join(f"„{s}“" for s in sample_schools()) or "(keine)"
            raise InputError(
                f"Zur Schule „{school}“ gibt es keine Beispieldaten und es wurde "
                f"keine Exportdatei genannt. Beispielschulen: {known}. Bitte im "
                "Parameter-Feld oben „exporte“ mit dem Pfad zum Export füllen."
            )
        inputs = find_school_inputs(folder)
        paths = inputs.exports
        pupils = inputs.pupil_list if pupil_list is None else Path(pupil_list)
    else:
        paths = [Path(p) for p in exports]
        pupils = None if pupil_list is None else Path(pupil_list)
    missing = [p for p in [*paths, pupils] if p is not None and not p.is_file()]
    if missing:
        raise InputError(
            "Diese Dateien gibt es nicht: "
            + ", ".join(str(p) for p in missing)
            + ". Bitte den Pfad im Parameter-Feld oben prüfen (relativ zum Ordner "
            "des Notebooks oder als vollständiger Pfad)."
        )
    base = work_folder() / school
    return Workspace(
        school=school,
        exports=paths,
        pupil_list=pupils,
        rezept_path=Path(rezept) if rezept is not None else base / "rezept.toml",
        out=base / "ausgabe",
    )
