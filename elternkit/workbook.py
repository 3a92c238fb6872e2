"""The review workbook ``eltern_pruefung.xlsx`` (a copy for people, not for IServ).

Every cell is written as text with xlsxwriter's string writer, so Kind-IDs and
phone numbers keep their digits and nothing ever becomes a formula, a number
or a link when the file is opened in Excel or LibreOffice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import xlsxwriter

_SEVERITY_COLOURS = {"fehler": "#F8CBAD", "warnung": "#FFE699", "hinweis": "#DDEBF7"}
_MAX_WIDTH = 60


def write_workbook(
    path: Path,
    *,
    sheets: Sequence[tuple[str, pl.DataFrame]],
    summary: Sequence[tuple[str, str]],
) -> None:
    """Write the review workbook.

    Parameters
    ----------
    path
        Target file.
    sheets
        (sheet name, table) pairs, written in order after the summary sheet.
        A table with a ``schwere`` column is coloured by severity.
    summary
        (label, value) lines of the summary sheet ``Übersicht``.
    """
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": False,
        },
    )
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9"})
        text = workbook.add_format({"num_format": "@"})
        _write_summary(workbook, summary, header)
        for name, table in sheets:
            _write_table(workbook, name, table, header=header, text=text)
    finally:
        workbook.close()


def _write_summary(workbook, summary, header) -> None:
    sheet = workbook.add_worksheet("Übersicht")
    sheet.write_string(0, 0, "Angabe", header)
    sheet.write_string(0, 1, "Wert", header)
    for i, (label, value) in enumerate(summary, start=1):
        sheet.write_string(i, 0, label)
        sheet.write_string(i, 1, value)
    sheet.set_column(0, 0, max([len(s[0]) for s in summary] + [10]) + 2)
    sheet.set_column(
        1, 1, min(_MAX_WIDTH, max([len(s[1]) for s in summary] + [10]) + 2)
    )
    sheet.freeze_panes(1, 0)


def _write_table(workbook, name: str, table: pl.DataFrame, *, header, text) -> None:
    sheet = workbook.add_worksheet(name[:31])
    columns = table.columns
    widths = [len(c) for c in columns]
    formats = {
        sev: workbook.add_format({"bg_color": colour, "num_format": "@"})
        for sev, colour in _SEVERITY_COLOURS.items()
    }
    severity_idx = columns.index("schwere") if "schwere" in columns else None
    for j, col in enumerate(columns):
        sheet.write_string(0, j, col, header)
    for i, row in enumerate(table.iter_rows(), start=1):
        fmt = text
        if severity_idx is not None:
            fmt = formats.get(row[severity_idx], text)
        for j, value in enumerate(row):
            if value is None:
                if fmt is not text:
                    sheet.write_blank(i, j, None, fmt)
                continue
            value = str(value)
            sheet.write_string(i, j, value, fmt)
            if len(value) > widths[j]:
                widths[j] = len(value)
    for j, width in enumerate(widths):
        sheet.set_column(j, j, min(_MAX_WIDTH, width + 2), text)
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(table.height, 1), len(columns) - 1)
