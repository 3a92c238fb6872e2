"""Read a workbook (XLSX, XLS, ODS) as a grid of text (helpers of :mod:`read`).

Every cell is read as text through fastexcel; nothing is type-inferred.
Numbers come as fastexcel writes them: whole numbers without ``.0``
(``9896508``), others with a point (``3.5``). Excel number formats such as
``00000`` are not exposed by fastexcel, so a PLZ stored as the number 1067
stays ``1067`` (the address stage pads four-digit PLZ). Date and time cells
become ``dd.mm.yyyy``, ``dd.mm.yyyy HH:MM`` (``:SS`` when not zero) or
``HH:MM`` for a time alone; boolean cells become ``WAHR`` / ``FALSCH``, as a
German Excel shows them. Text cells stay exactly as typed, also text that
looks like a date or a boolean (``2014-03-05``, ``true``, ``FALSE``) and the
word ``null``. Error cells of an XLSX (``#N/A``, ``#DIV/0!``), which
fastexcel reads as empty, are read from the sheet's XML and keep their error
text, so that the cleaning reports them instead of silently losing the value;
in XLS and ODS files they stay empty.

The sheet used is the first *visible* sheet that holds a table (see
:func:`elternkit.read_table.find_header`); empty, hidden and notes sheets are
skipped and named in the notes. ``zeile`` is the row number Excel shows.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import fastexcel
import polars as pl

from elternkit.errors import InputError
from elternkit.read_table import find_header

logger = logging.getLogger(__name__)

#: Rows probed per sheet when looking for the sheet that holds the table.
PROBE_ROWS = 80

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)?$"
)
_ISO_PATTERN = _ISO.pattern
_BOOLEANS = {"true": "WAHR", "false": "FALSCH"}


@dataclass
class SheetGrid:
    """The cells of one sheet as text, from row 1 down, with column numbers."""

    frame: pl.DataFrame
    numbers: list[int]
    sheet: str
    notes: list[str]


def format_datetime(value: str) -> str:
    """Show an ISO date/time string from fastexcel as a German user sees it.

    >>> format_datetime("2014-03-05 00:00:00"), format_datetime("2014-03-05")
    ('05.03.2014', '05.03.2014')
    >>> format_datetime("2014-03-05T13:45:10"), format_datetime("1899-12-31 07:30:00")
    ('05.03.2014 13:45:10', '07:30')
    """
    match = _ISO.match(value)
    if match is None:
        return value
    year, month, day, hour, minute, second = match.groups()
    date = f"{day}.{month}.{year}"
    if hour is None or (hour, minute, second) == ("00", "00", "00"):
        return date
    time = f"{hour}:{minute}" if second == "00" else f"{hour}:{minute}:{second}"
    if f"{year}-{month}-{day}" in ("1899-12-30", "1899-12-31"):
        return time
    return f"{date} {time}"


def corrupt_workbook(name: str) -> InputError:
    """Return the error for a workbook that cannot be opened at all."""
    return InputError(
        f"Die Datei {name} ist beschädigt oder keine Excel- bzw. "
        "OpenDocument-Tabelle und lässt sich nicht öffnen. So kann keine "
        "Importdatei entstehen. Bitte die Datei in Excel oder LibreOffice öffnen "
        "und neu als .xlsx speichern, oder den Export wiederholen."
    )


def _open(data: bytes, *, name: str) -> fastexcel.ExcelReader:
    try:
        return fastexcel.read_excel(data)
    except fastexcel.FastExcelError as exc:
        logger.debug("fastexcel could not open a workbook: %s", type(exc).__name__)
        raise corrupt_workbook(name) from None


def _load(
    reader: fastexcel.ExcelReader,
    sheet: str,
    *,
    name: str,
    n_rows: int | None = None,
    dtypes: dict[str, str] | str = "string",
    columns: list[str] | None = None,
) -> tuple[pl.DataFrame, list[int], bool]:
    try:
        loaded = reader.load_sheet(
            sheet,
            header_row=None,
            skip_rows=0,
            n_rows=n_rows,
            dtypes=dtypes,  # type: ignore[arg-type]
            use_columns=columns,
        )
        numbers = [c.absolute_index + 1 for c in loaded.available_columns()]
        return loaded.to_polars(), numbers, loaded.visible == "visible"
    except (fastexcel.FastExcelError, ValueError) as exc:
        logger.debug("fastexcel could not load a sheet: %s", type(exc).__name__)
        msg = (
            f"Das Tabellenblatt „{sheet}“ der Datei {name} lässt sich nicht lesen "
            "(beschädigte Zellen). Bitte die Datei in Excel oder LibreOffice öffnen, "
            "als neue .xlsx-Datei speichern und diese angeben."
        )
        raise InputError(msg) from None


def _typed_read(
    reader: fastexcel.ExcelReader, sheet: str, cols: list[str], dtype: str, *, name: str
) -> pl.DataFrame | None:
    """Re-read ``cols`` typed; None when fastexcel refuses (an error cell).

    fastexcel can refuse a typed read because of an error cell (``#NAME?``)
    anywhere in the sheet; the cells then stay as the text read before.
    """
    try:
        typed, _, _ = _load(
            reader, sheet, name=name, dtypes=dict.fromkeys(cols, dtype), columns=cols
        )
    except InputError:
        return None
    return typed


def _typed_cells(
    reader: fastexcel.ExcelReader, sheet: str, grid: pl.DataFrame, *, name: str
) -> pl.DataFrame:
    """Rewrite date and boolean cells, told apart from text by a typed re-read."""
    date_cols = [
        c for c in grid.columns if grid.get_column(c).str.contains(_ISO_PATTERN).any()
    ]
    bool_cols = [
        c for c in grid.columns if grid.get_column(c).is_in(list(_BOOLEANS)).any()
    ]
    for cols, dtype in ((date_cols, "date"), (bool_cols, "boolean")):
        if not cols:
            continue
        typed = _typed_read(reader, sheet, cols, dtype, name=name)
        if typed is None or typed.height != grid.height:
            logger.debug("typed re-read failed or differs; cells kept as text")
            continue
        for col in cols:
            is_typed = typed.get_column(col).is_not_null()
            values = grid.get_column(col)
            if dtype == "date":
                hit = is_typed & values.str.contains(_ISO_PATTERN)
                distinct = values.filter(hit).unique().to_list()
                mapping = {v: format_datetime(v) for v in distinct}
            else:
                hit = is_typed & values.is_in(list(_BOOLEANS))
                mapping = _BOOLEANS
            new = values.replace(mapping)
            grid = grid.with_columns(
                pl.when(hit).then(new).otherwise(values).alias(col)
            )
    return grid


def _choose_sheet(
    reader: fastexcel.ExcelReader, *, name: str, sheet: str | None
) -> tuple[str, list[str]]:
    names = reader.sheet_names
    listed = ", ".join(f"„{n}“" for n in names)
    if sheet is not None:
        match = [n for n in names if n == sheet] or [
            n for n in names if n.strip().casefold() == sheet.strip().casefold()
        ]
        if not match:
            msg = (
                f"Die Datei {name} hat kein Tabellenblatt „{sheet}“. Ohne das "
                f"richtige Blatt werden keine Eltern gelesen. Vorhanden: {listed}. "
                "Bitte einen dieser Namen angeben."
            )
            raise InputError(msg)
        return match[0], [f"Tabellenblatt „{match[0]}“ verwendet (vorgegeben)."]

    skipped: list[str] = []
    fallback = None
    for sheet_name in names:
        grid, _, visible = _load(reader, sheet_name, name=name, n_rows=PROBE_ROWS)
        if not visible:
            skipped.append(f"„{sheet_name}“ (ausgeblendet)")
            continue
        if grid.width == 0 or grid.height == 0:
            skipped.append(f"„{sheet_name}“ (leer)")
            continue
        found = find_header(grid.rows())
        if found is not None and found[1]:
            note = f"Tabellenblatt „{sheet_name}“ verwendet"
            if skipped:
                note += "; übersprungen: " + ", ".join(skipped)
            return sheet_name, [note + "."]
        fallback = fallback or sheet_name
        skipped.append(f"„{sheet_name}“ (keine Tabelle)")
    if fallback is not None:
        note = (
            f"Tabellenblatt „{fallback}“ verwendet (erstes sichtbares Blatt mit Daten)."
        )
        return fallback, [note]
    msg = (
        f"Die Datei {name} enthält in keinem sichtbaren Tabellenblatt Daten "
        f"(Blätter: {listed}). Ohne Daten entsteht keine Importdatei. Bitte den "
        "Export wiederholen oder das Blatt mit sheet= angeben."
    )
    raise InputError(msg)


_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*)>(.*?)</(?:\w+:)?c>", re.DOTALL)
_REF = re.compile(r"""\br=["']([A-Z]+)(\d+)["']""")
_ERROR_TYPE = re.compile(r"""\bt=["']e["']""")
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def xlsx_error_cells(data: bytes, sheet: str) -> list[tuple[int, int, str]]:
    """Return ``(row, column, error text)`` of the error cells of an XLSX sheet.

    Rows and columns are 1-based as Excel shows them. Anything that is not a
    readable XLSX package gives an empty list (the caller reads on without).

    >>> xlsx_error_cells(b"not a zip", "Eltern")
    []
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            book = ElementTree.fromstring(package.read("xl/workbook.xml"))
            ids = {
                s.get("name"): s.get(_REL)
                for s in book.iter()
                if s.tag.endswith("}sheet")
            }
            rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
            target = next(
                r.get("Target", "") for r in rels if r.get("Id") == ids.get(sheet)
            )
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            raw = package.read(path)
            if not re.search(_ERROR_TYPE.pattern.encode(), raw):
                return []  # the usual sheet: no error cell, nothing decoded
            xml = raw.decode("utf-8")
    except (zipfile.BadZipFile, KeyError, StopIteration, ElementTree.ParseError,
            UnicodeDecodeError, ValueError):  # fmt: skip
        return []
    found = []
    for attributes, body in _CELL.findall(xml):
        ref, value = _REF.search(attributes), _VALUE.search(body)
        if _ERROR_TYPE.search(attributes) and ref and value and value.group(1):
            found.append(
                (int(ref.group(2)), _column_number(ref.group(1)), value.group(1))
            )
    return found


def _with_error_cells(
    grid: pl.DataFrame, numbers: list[int], errors: list[tuple[int, int, str]]
) -> pl.DataFrame:
    """Put the error texts into the (empty) cells fastexcel read for them."""
    by_column: dict[str, dict[int, str]] = {}
    for row, column, text in errors:
        if column in numbers and row <= grid.height:
            name = grid.columns[numbers.index(column)]
            by_column.setdefault(name, {})[row - 1] = text
    if not by_column:
        return grid
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    return grid.with_columns(
        pl.coalesce(
            pl.col(name),
            index.replace_strict(
                list(cells), list(cells.values()), default=None, return_dtype=pl.String
            ),
        ).alias(name)
        for name, cells in by_column.items()
    )


def read_sheet_grid(data: bytes, *, name: str, sheet: str | None) -> SheetGrid:
    """Read the chosen sheet of a workbook as text, every row from row 1."""
    reader = _open(data, name=name)
    chosen, notes = _choose_sheet(reader, name=name, sheet=sheet)
    grid, numbers, _ = _load(reader, chosen, name=name)
    grid = _typed_cells(reader, chosen, grid, name=name)
    errors = xlsx_error_cells(data, chosen)
    if errors:
        grid = _with_error_cells(grid, numbers, errors)
        notes.append(
            f"{len(errors)} Zelle(n) mit Excel-Fehlerwerten (etwa „{errors[0][2]}“) "
            "als Text gelesen, damit sie als Befund gemeldet werden (probleme.csv)."
        )
    logger.debug("sheet read: %d rows, %d columns", grid.height, grid.width)
    return SheetGrid(grid, numbers, chosen, notes)
