"""A school's folder: the Rezept kept, working data deleted after the upload.

Layout (documented in the README)::

    schulen/<name>/rezept.toml     the Rezept: kept, belongs in git
    schulen/<name>/daten/          this year's exports (git-ignored)
    schulen/<name>/ausgabe/        elternkit's output (git-ignored)

Exports and outputs hold personal data; after the IServ upload they should be
deleted (:func:`delete_working_data`). The Rezept holds only fingerprints,
settings and notes, and is never deleted here.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from elternkit.errors import InputError

REZEPT_FILE = "rezept.toml"
#: Folders of a school that hold working data (personal data).
WORKING_FOLDERS = ("daten", "ausgabe")


@dataclass(frozen=True)
class SchoolFolder:
    """Paths of one school's folder."""

    root: Path

    @property
    def name(self) -> str:
        """The school's folder name."""
        return self.root.name

    @property
    def rezept(self) -> Path:
        """``rezept.toml``."""
        return self.root / REZEPT_FILE

    @property
    def daten(self) -> Path:
        """The folder for this year's exports."""
        return self.root / "daten"

    @property
    def ausgabe(self) -> Path:
        """The output folder."""
        return self.root / "ausgabe"

    def working_files(self) -> list[Path]:
        """Every file below the working folders (what would be deleted)."""
        return sorted(
            p
            for folder in WORKING_FOLDERS
            if (self.root / folder).is_dir()
            for p in (self.root / folder).rglob("*")
            if p.is_file() or p.is_symlink()
        )


def school_folder(path: str | Path) -> SchoolFolder:
    """Return the :class:`SchoolFolder` at ``path`` (which must exist)."""
    root = Path(path)
    if not root.is_dir():
        raise InputError(
            f"Der Schulordner {root} existiert nicht. Erwartet wird ein Ordner "
            "wie schulen/<name>/ mit rezept.toml, daten/ und ausgabe/."
        )
    return SchoolFolder(root)


def delete_working_data(folder: SchoolFolder) -> list[Path]:
    """Delete ``daten/`` and ``ausgabe/`` of a school; keep the Rezept.

    Returns the deleted files. Symbolic links are removed, never followed,
    so nothing outside the school's folder is touched.
    """
    deleted = folder.working_files()
    for name in WORKING_FOLDERS:
        target = folder.root / name
        if target.is_symlink():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
    return deleted


__all__ = [
    "REZEPT_FILE",
    "WORKING_FOLDERS",
    "SchoolFolder",
    "delete_working_data",
    "school_folder",
]
