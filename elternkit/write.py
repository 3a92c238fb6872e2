"""Write the output files of a run.

All files are first written into a temporary folder beside the target and
then moved into place, so an interrupted or failed run never leaves half a
file over an earlier good output.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from elternkit.schema import IMPORT_HEADER, IMPORT_SOURCE

logger = logging.getLogger(__name__)

IMPORT_FILE = "eltern_import.csv"
FINDINGS_FILE = "probleme.csv"
CHANGES_FILE = "aenderungen.csv"
WORKBOOK_FILE = "eltern_pruefung.xlsx"
REPORT_FILE = "protokoll.md"

FINDINGS_COLUMNS = ("zeile", "kind_id", "feld", "wert", "schwere", "code", "meldung")
CHANGES_COLUMNS = ("zeile", "feld", "vorher", "nachher", "regel")


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
    order = ["Nachname", "Vorname", "Adresse", "E-Mail", "Telefonnummer", "Kind-ID"]
    return table.unique(maintain_order=True).sort(order, nulls_last=True)


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """Write a UTF-8 CSV with ``;``, empty cells for nulls, ``\\n`` line ends."""
    frame.write_csv(
        path,
        separator=";",
        null_value="",
        quote_style="necessary",
        line_terminator="\n",
        include_bom=False,
    )


def findings_table(findings: pl.DataFrame) -> pl.DataFrame:
    """Return ``probleme.csv``'s columns, sorted by row, severity and code."""
    order = {"fehler": 0, "warnung": 1, "hinweis": 2}
    return (
        findings.with_columns(
            pl.col("schwere").replace_strict(order, default=3).alias("_s")
        )
        .sort(["zeile", "_s", "code", "feld"], nulls_last=True, maintain_order=True)
        .select(FINDINGS_COLUMNS)
    )


def changes_table(changes: pl.DataFrame) -> pl.DataFrame:
    """Return ``aenderungen.csv``'s columns, in row order."""
    return changes.sort(["zeile", "_row"], nulls_last=True, maintain_order=True).select(
        CHANGES_COLUMNS
    )


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into ``out``.

    On an exception nothing in ``out`` is touched and the temporary folder is
    removed.
    """
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".elternkit-", dir=out))
    try:
        yield tmp
        for item in sorted(tmp.iterdir()):
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
