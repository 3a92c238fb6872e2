"""The review workbook ``eltern_pruefung.xlsx`` (a copy for people, not for IServ).

xlsxwriter writes the workbook: the summary sheet (with a colour legend),
and for each table sheet a bold, frozen header row, an autofilter and sized
columns formatted as text. The data rows are then built by polars and put
into the package (:mod:`elternkit.sheet_rows`, many times faster than writing
cell by cell). Every cell is an inline string, so Kind-IDs and phone numbers
keep their digits and nothing ever becomes a formula, a number or a link when
the file is opened in Excel or LibreOffice; a table with a ``schwere`` column
is coloured by severity.

Excel holds at most 1,048,576 rows per sheet. A longer table (the changes of
a state-wide run can have millions of rows) continues on further sheets
(``Änderungen (2)``); beyond ``max_sheets`` sheets per table the rest is left
out and the summary sheet says so. The CSV files always hold every row.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import xlsxwriter

from elternkit.sheet_rows import CellStyles, fill_sheets

logger = logging.getLogger(__name__)

#: Rows of an Excel sheet, the header row included.
EXCEL_MAX_ROWS = 1_048_576

_SEVERITY_COLOURS = {"fehler": "#F8CBAD", "warnung": "#FFE699", "hinweis": "#DDEBF7"}
_MAX_WIDTH = 60
_WIDTH_SAMPLE = 2_000
_SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class SheetPart:
    """One sheet of the workbook: its name and its slice of a table."""

    name: str
    table: pl.DataFrame


def plan_sheets(
    name: str,
    table: pl.DataFrame,
    *,
    rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
    max_sheets: int = 3,
    total_rows: int | None = None,
) -> tuple[list[SheetPart], int]:
    """Split ``table`` into sheets of at most ``rows_per_sheet`` data rows.

    Returns the parts and the number of rows left out (beyond ``max_sheets``).
    ``total_rows`` is the height of the whole table when ``table`` holds only
    its first rows (a caller that never builds the rows no sheet shows).

    >>> df = pl.DataFrame({"a": ["1", "2", "3", "4", "5"]})
    >>> parts, left_out = plan_sheets("Änderungen", df, rows_per_sheet=2,
    ...                               max_sheets=2)
    >>> [(p.name, p.table.height) for p in parts], left_out
    ([('Änderungen', 2), ('Änderungen (2)', 2)], 1)
    """
    base = name.translate(_SHEET_NAME_BAD)
    count = max(1, -(-table.height // rows_per_sheet))
    shown = min(count, max_sheets)
    parts = []
    for i in range(shown):
        suffix = f" ({i + 1})" if i else ""
        parts.append(
            SheetPart(
                name=base[: 31 - len(suffix)] + suffix,
                table=table.slice(i * rows_per_sheet, rows_per_sheet),
            )
        )
    total = table.height if total_rows is None else max(total_rows, table.height)
    left_out = max(0, total - sum(p.table.height for p in parts))
    return parts, left_out


def write_workbook(
    path: Path,
    *,
    sheets: Sequence[tuple[str, pl.DataFrame] | tuple[str, pl.DataFrame, int]],
    summary: Sequence[tuple[str, str]],
    rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
    max_sheets: int = 3,
) -> list[tuple[str, str]]:
    """Write the review workbook.

    Parameters
    ----------
    path
        Target file.
    sheets
        (sheet name, table) pairs, written in order after the summary sheet.
        A table with a ``schwere`` column is coloured by severity. A third
        item gives the height of the whole table when ``table`` holds only
        its first rows (the note then counts the rows left out).
    summary
        (label, value) lines of the summary sheet ``Übersicht``.
    rows_per_sheet, max_sheets
        Data rows per sheet (Excel's limit by default) and sheets per table;
        rows beyond are left out with a note on the summary sheet.

    Returns
    -------
    The notes about split or shortened tables (also on the summary sheet).
    """
    planned = []
    notes: list[tuple[str, str]] = []
    for name, table, *total in sheets:
        parts, left_out = plan_sheets(
            name,
            table,
            rows_per_sheet=rows_per_sheet,
            max_sheets=max_sheets,
            total_rows=total[0] if total else None,
        )
        planned.extend(parts)
        shown = sum(part.table.height for part in parts)
        if len(parts) > 1:
            notes.append(
                (
                    f"Blatt {name}",
                    f"auf {len(parts)} Blätter verteilt (Excel fasst "
                    f"{rows_per_sheet:,} Zeilen je Blatt)".replace(",", "."),
                )
            )
        if left_out:
            notes.append(
                (
                    f"Blatt {name} gekürzt",
                    f"{left_out} von {left_out + shown} Zeilen fehlen in dieser "
                    "Datei; alle stehen in der CSV-Datei",
                )
            )
            logger.warning("Blatt %s gekürzt: %d Zeilen fehlen", name, left_out)

    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": False,
            "constant_memory": True,
        },
    )
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9"})
        text = workbook.add_format({"num_format": "@"})
        severity = {
            sev: workbook.add_format({"bg_color": colour, "num_format": "@"})
            for sev, colour in _SEVERITY_COLOURS.items()
        }
        _write_summary(workbook, [*summary, *notes], header, severity)
        for part in planned:
            _write_frame(workbook, part, header=header, text=text)
    finally:
        workbook.close()
    styles = CellStyles(
        text=text.xf_index,
        severity={sev: fmt.xf_index for sev, fmt in severity.items()},
    )
    fill_sheets(path, [part.table for part in planned], styles)
    return notes


def _write_summary(workbook, summary, header, severity) -> None:
    sheet = workbook.add_worksheet("Übersicht")
    sheet.write_string(0, 0, "Angabe", header)
    sheet.write_string(0, 1, "Wert", header)
    for i, (label, value) in enumerate(summary, start=1):
        sheet.write_string(i, 0, label)
        sheet.write_string(i, 1, value)
    # the colour legend; it also puts the colours into the workbook's styles
    for i, (sev, fmt) in enumerate(severity.items(), start=len(summary) + 2):
        sheet.write_string(i, 0, f"Farbe „{sev}“")
        sheet.write_string(i, 1, f"Zeilen mit der Schwere „{sev}“", fmt)
    sheet.set_column(
        0, 0, min(_MAX_WIDTH, max([len(s[0]) for s in summary] + [10]) + 2)
    )
    sheet.set_column(
        1, 1, min(_MAX_WIDTH, max([len(s[1]) for s in summary] + [30]) + 2)
    )
    sheet.freeze_panes(1, 0)


def _column_widths(table: pl.DataFrame) -> list[int]:
    """Widths from the header and a sample of the rows (fast on huge tables)."""
    sample = table.head(_WIDTH_SAMPLE)
    widths = []
    for col in table.columns:
        longest = sample.get_column(col).cast(pl.String).str.len_chars().max()
        widths.append(min(_MAX_WIDTH, max(len(col), int(longest or 0)) + 2))
    return widths


def _write_frame(workbook, part: SheetPart, *, header, text) -> None:
    """Write a table sheet without its data rows: those come from ``fill_sheets``."""
    sheet = workbook.add_worksheet(part.name)
    table = part.table
    for j, width in enumerate(_column_widths(table)):
        sheet.set_column(j, j, width, text)
    for j, col in enumerate(table.columns):
        sheet.write_string(0, j, col, header)
    sheet.freeze_panes(1, 0)
    if table.columns:
        sheet.autofilter(0, 0, max(table.height, 1), table.width - 1)
