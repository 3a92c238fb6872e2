"""Write the output files of a run.

All files are first written into a temporary folder beside the target and
then moved into place, so an interrupted or failed run never leaves half a
file over an earlier good output.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from elternkit.errors import InputError
from elternkit.schema import IMPORT_HEADER, IMPORT_SOURCE

logger = logging.getLogger(__name__)

IMPORT_FILE = "eltern_import.csv"
FINDINGS_FILE = "probleme.csv"
CHANGES_FILE = "aenderungen.csv"
WORKBOOK_FILE = "eltern_pruefung.xlsx"
REPORT_FILE = "protokoll.md"

FINDINGS_COLUMNS = ("zeile", "kind_id", "feld", "wert", "schwere", "code", "meldung")
CHANGES_COLUMNS = ("zeile", "feld", "vorher", "nachher", "regel")
#: Sort order of the upload rows: every IServ column, Nachname and Vorname first.
IMPORT_ORDER = ("Nachname", "Vorname", "Adresse", "E-Mail", "Telefonnummer", "Kind-ID")


def import_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the IServ upload table: six columns with the exact header, sorted.

    Sorting is by every column in header order after Nachname and Vorname, so
    the file is byte-identical for identical input.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": ["Lars", "Anna"], "nachname": ["Muster", "Beispiel"],
    ...     "kind_id": ["2", "1"]}))
    >>> import_table(df).select("Vorname", "Kind-ID").rows()
    [('Anna', '1'), ('Lars', '2')]
    """
    table = frame.select(
        pl.col(src).cast(pl.String).alias(dst)
        for src, dst in zip(IMPORT_SOURCE, IMPORT_HEADER, strict=True)
    )
    return table.unique(maintain_order=True).sort(IMPORT_ORDER, nulls_last=True)


def write_csv(frame: pl.DataFrame, path: Path, *, with_bom: bool = False) -> None:
    """Write a UTF-8 CSV with ``;``, empty cells for nulls, ``\\n`` line ends.

    ``with_bom`` puts a byte order mark first: the review files get one, so
    that a double click opens them in German Excel with their umlauts intact.
    The IServ upload file never gets one (whether IServ accepts it is not
    verified).
    """
    frame.write_csv(
        path,
        separator=";",
        null_value="",
        quote_style="necessary",
        line_terminator="\n",
        include_bom=with_bom,
    )


def findings_table(findings: pl.DataFrame) -> pl.DataFrame:
    """Return ``probleme.csv``'s columns, sorted by row, severity and code.

    Lines that would read exactly alike (both guardians of one pupil row with
    the same finding about the pupil) are written once.
    """
    order = {"fehler": 0, "warnung": 1, "hinweis": 2}
    return (
        findings.with_columns(
            pl.col("schwere").replace_strict(order, default=3).alias("_s")
        )
        .sort(["zeile", "_s", "code", "feld"], nulls_last=True, maintain_order=True)
        .select(FINDINGS_COLUMNS)
        .unique(maintain_order=True)
    )


def changes_table(changes: pl.DataFrame) -> pl.DataFrame:
    """Return ``aenderungen.csv``'s columns, in row order."""
    return changes.sort(["zeile", "_row"], nulls_last=True, maintain_order=True).select(
        CHANGES_COLUMNS
    )


#: Name prefix of the staging folder inside the output folder.
STAGING_PREFIX = ".elternkit-"


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into ``out``.

    On an exception nothing in ``out`` is touched and the temporary folder is
    removed. Staging folders left in ``out`` by an earlier run that was killed
    (they hold parents' data) are removed first. An output folder that cannot
    be created raises :class:`InputError` naming it.
    """
    _make_output_folder(out)
    remove_stale_staging(out)
    tmp = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        yield tmp
        for item in sorted(tmp.iterdir()):
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders (``.elternkit-*``) an interrupted run left in ``out``.

    Only real folders are removed, never a symbolic link or a file. Returns the
    removed folders.
    """
    removed = []
    for item in sorted(out.glob(f"{STAGING_PREFIX}*")):
        if item.is_symlink() or not item.is_dir():
            continue
        shutil.rmtree(item, ignore_errors=True)
        removed.append(item)
    if removed:
        logger.info(
            "%d Zwischenordner eines abgebrochenen Laufs entfernt", len(removed)
        )
    return removed


#: German wording of the operating system's error numbers seen when writing.
_OS_REASONS = {
    errno.ENOENT: "der Ort existiert nicht und lässt sich dort nicht anlegen",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EROFS: "das Laufwerk ist schreibgeschützt",
    errno.ENOSPC: "kein Platz mehr auf dem Laufwerk",
    errno.EDQUOT: "Speicherkontingent erschöpft",
    errno.ENAMETOOLONG: "der Name ist zu lang",
}


def os_reason(exc: OSError) -> str:
    """Return a short German reason for an operating-system error."""
    return _OS_REASONS.get(exc.errno or -1, f"Systemfehler {exc.errno}")


def _make_output_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(
            f"Der Ausgabeordner {out} lässt sich nicht anlegen: Es gibt dort schon "
            "eine Datei mit diesem Namen. Die Ergebnisdateien wurden nicht "
            "geschrieben. Bitte mit --out einen anderen Ordner angeben."
        ) from None
    except NotADirectoryError:
        raise InputError(
            f"Der Ausgabeordner {out} lässt sich nicht anlegen: Ein Teil des Pfades "
            "ist eine Datei, kein Ordner. Die Ergebnisdateien wurden nicht "
            "geschrieben. Bitte mit --out einen Ordner angeben, z. B. --out ausgabe."
        ) from None
    except PermissionError:
        raise InputError(
            f"Der Ausgabeordner {out} lässt sich nicht anlegen: keine Schreibrechte. "
            "Die Ergebnisdateien wurden nicht geschrieben. Bitte mit --out einen "
            "Ordner angeben, in den Sie schreiben dürfen."
        ) from None
    except OSError as exc:
        raise InputError(
            f"Der Ausgabeordner {out} lässt sich nicht anlegen "
            f"({os_reason(exc)}). Die Ergebnisdateien wurden "
            "nicht geschrieben. Bitte mit --out einen beschreibbaren Ordner "
            "angeben, z. B. --out ausgabe."
        ) from None
    if not out.is_dir():
        raise InputError(
            f"Der Ausgabeordner {out} ist kein Ordner. Die Ergebnisdateien wurden "
            "nicht geschrieben. Bitte mit --out einen Ordner angeben."
        )


def write_outputs(
    out: Path, writers: dict[str, Callable[[Path], None]]
) -> dict[str, Path]:
    """Run each writer into the staging folder and move the results to ``out``.

    ``writers`` maps a file name to a function that writes that file.
    """
    with staged_output(out) as tmp:
        for name, write in writers.items():
            write(tmp / name)
            logger.debug("geschrieben: %s", name)
    return {name: out / name for name in writers}
