"""Read a guardian export (CSV or spreadsheet) as a table of text.

:func:`read_export` is the first stage of every run. It finds out what a
person would see when opening the file: the encoding and delimiter of a CSV,
the sheet of a workbook, the header row even below title lines, and the row
number of each record. Every cell is text (``pl.String``), empty cells are
nulls. What was detected or repaired is listed in German in ``info.notes``;
rows with surplus or missing fields come back as findings. Files that cannot
be a table raise :class:`~elternkit.errors.InputError` with a German message.

``zeile`` is the row number a person sees: in Excel the row number, in a text
editor the line number (blank lines count). A record whose quoted field holds
a line break spans several lines; its ``zeile`` is the line where it starts.

Header cells are stripped (whitespace, zero-width characters, inner runs of
whitespace become one space); the frame's column names are made unique
(``Vorname``, ``Vorname (2)``), a column with data but no header text is named
``Spalte N`` after its position (N counts from 1, as Excel's columns do), and
``info.columns`` keeps the header texts (``""`` for such a column). Data cells
stay exactly as in the file, except that empty and whitespace-only cells
become null; a cell holding the word ``null`` typed by a person stays.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from elternkit.errors import InputError
from elternkit.read_csv import looks_binary, read_records
from elternkit.read_excel import corrupt_workbook, read_sheet_grid
from elternkit.read_table import (
    Table,
    find_header,
    finish_table,
    is_blank,
    keyword_hits,
    table_from_records,
)
from elternkit.schema import empty_findings

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv"}
SHEET_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
SUPPORTED = "CSV (.csv, .txt, .tsv), Excel (.xlsx, .xlsm, .xls) und OpenDocument (.ods)"

#: Largest file accepted, in bytes.
MAX_BYTES = 1 << 30

_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class ReadInfo:
    """What :func:`read_export` detected about a file."""

    path: Path
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    columns: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class Export:
    """A read export: the frame (``zeile`` first), what was detected, findings."""

    frame: pl.DataFrame
    info: ReadInfo
    findings: pl.DataFrame = field(default_factory=empty_findings)


def _load_bytes(path: Path) -> bytes:
    name = path.name
    if not path.exists():
        raise InputError(
            f"Die Datei {path} wurde nicht gefunden. Ohne Quelldatei kann keine "
            "Importdatei entstehen. Bitte Pfad und Dateinamen prüfen."
        )
    if not path.is_file():
        raise InputError(
            f"{path} ist ein Ordner, keine Datei. Bitte die exportierte Datei selbst "
            "angeben."
        )
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in SHEET_SUFFIXES:
        raise InputError(
            f"Die Datei {name} hat die Endung „{path.suffix or '(keine)'}“, die "
            f"elternkit nicht lesen kann. Unterstützt werden {SUPPORTED}. Bitte die "
            "Daten im Schulverwaltungsprogramm in einem dieser Formate exportieren."
        )
    size = path.stat().st_size
    if size == 0:
        raise InputError(
            f"Die Datei {name} ist leer (0 Bytes). Ohne Daten entsteht keine "
            "Importdatei. Bitte den Export im Schulverwaltungsprogramm wiederholen."
        )
    if size > MAX_BYTES:
        raise InputError(
            f"Die Datei {name} ist mit {size // (1 << 20)} MB zu groß (höchstens "
            f"{MAX_BYTES >> 20} MB). Das ist kein Elternexport einer Schule. Bitte "
            "die richtige Datei angeben oder den Export nach Schulen aufteilen."
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Die Datei {name} lässt sich nicht lesen ({exc.strerror}). Bitte prüfen, "
            "ob sie noch in einem anderen Programm geöffnet ist, und es erneut "
            "versuchen."
        ) from None


def sniff_format(data: bytes, *, path: Path) -> tuple[str, list[str]]:
    """Return the format by content (``csv``, ``xlsx``, ``xls``, ``ods``)."""
    name, suffix = path.name, path.suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        found = "ods" if _ODS_MIME in data[:200] else "xlsx"
    elif data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise InputError(
                f"Die Datei {name} ist mit einem Passwort geschützt (verschlüsselt). "
                "elternkit kann verschlüsselte Dateien nicht lesen und fragt nie nach "
                "Passwörtern. Bitte die Datei in Excel öffnen, den Kennwortschutz "
                "entfernen (Datei → Informationen → Arbeitsmappe schützen) und sie "
                "ohne Kennwort speichern."
            )
        found = "xls"
    else:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if suffix in SHEET_SUFFIXES and looks_binary(data[:65536].decode("latin-1")):
            raise corrupt_workbook(name)
        if suffix in SHEET_SUFFIXES and head.startswith((b"<", b"\xff\xfe<")):
            raise InputError(
                f"Die Datei {name} ist keine echte Excel-Datei, sondern eine "
                "Web-Seite (HTML) mit Excel-Endung. So lässt sie sich nicht sicher "
                "lesen. Bitte sie in Excel öffnen und als .xlsx oder CSV speichern."
            )
        found = "csv"
    expected = TEXT_SUFFIXES.get(suffix) or SHEET_SUFFIXES[suffix]
    if found == expected:
        return found, []
    return found, [
        f"Die Datei {name} heißt „{path.suffix}“, ist aber eine "
        f"{found.upper()}-Datei; sie wurde als {found.upper()} gelesen."
    ]


def _header_notes(header_row: int, skipped_rows: int, header: list) -> list[str]:
    notes = [f"Kopfzeile: Zeile {header_row}."]
    if skipped_rows:
        notes[0] += f" {skipped_rows} Zeile(n) darüber (Titel o. Ä.) übersprungen."
    cells = [(i, v) for i, v in enumerate(header) if not is_blank(v)]
    if len(cells) > 1 and not keyword_hits(cells):
        notes.append(
            "Die Kopfzeile enthält keinen bekannten Spaltennamen (wie Vorname, "
            "Nachname, Kind-ID); fehlt sie, wird die erste Datenzeile als Kopfzeile "
            "gelesen. Bitte prüfen und sonst eine Kopfzeile einfügen."
        )
    return notes


def _no_header(name: str) -> InputError:
    return InputError(
        f"In der Datei {name} wurde keine Kopfzeile gefunden (eine Zeile mit "
        "mehreren Spaltennamen wie Vorname, Nachname, Kind-ID). Ohne Kopfzeile "
        "lassen sich die Spalten nicht den IServ-Feldern zuordnen. Bitte eine "
        "Kopfzeile über die Daten setzen oder ihre Zeilennummer angeben "
        "(elternkit run … --kopfzeile NR; in Python header_row=NR)."
    )


def _bad_header_row(name: str, header_row: int) -> InputError:
    return InputError(
        f"Zeile {header_row} der Datei {name} kann nicht die Kopfzeile sein: sie "
        "ist leer, liegt außerhalb der Datei oder mitten in einem Datensatz. Ohne "
        "Kopfzeile lassen sich die Spalten nicht zuordnen. Bitte die Zeilennummer "
        "angeben, die Excel oder der Texteditor für die Kopfzeile zeigt."
    )


def _read_text(
    data: bytes,
    path: Path,
    *,
    encoding: str | None,
    delimiter: str | None,
    header_row: int | None,
) -> tuple[Table, ReadInfo]:
    name = path.name
    records = read_records(data, name=name, encoding=encoding, delimiter=delimiter)
    if header_row is not None:
        if header_row not in records.zeilen:
            raise _bad_header_row(name, header_row)
        index = records.zeilen.index(header_row)
        if all(is_blank(v) for v in records.row(index)):
            raise _bad_header_row(name, header_row)
    else:
        found = find_header(records.head(500))
        if found is None:
            raise _no_header(name)
        index = found[0]
    above = sum(not all(is_blank(v) for v in row) for row in records.head(index))
    table = table_from_records(records, index, name=name)
    zeile = records.zeilen[index]
    notes = _header_notes(zeile, above, records.row(index))
    info = ReadInfo(
        path=path,
        format="csv",
        encoding=records.encoding,
        delimiter=records.delimiter,
        sheet=None,
        header_row=zeile,
        columns=table.columns,
        notes=[*records.notes, *notes],
    )
    return table, info


def _read_sheet(
    data: bytes, path: Path, *, fmt: str, sheet: str | None, header_row: int | None
) -> tuple[Table, ReadInfo]:
    name = path.name
    grid = read_sheet_grid(data, name=name, sheet=sheet)
    frame = grid.frame
    if frame.height == 0 or frame.width == 0:
        raise InputError(
            f"Das Tabellenblatt „{grid.sheet}“ der Datei {name} ist leer. Ohne Daten "
            "entsteht keine Importdatei. Bitte das Blatt mit den Elterndaten angeben."
        )
    if header_row is not None:
        index = header_row - 1
        if not 0 <= index < frame.height or all(v is None for v in frame.row(index)):
            raise _bad_header_row(name, header_row)
    else:
        found = find_header(frame.head(500).rows())
        if found is None:
            raise _no_header(name)
        index = found[0]
    header = list(frame.row(index))
    body = frame.slice(index + 1)
    zeilen = range(index + 2, index + 2 + body.height)
    table = finish_table(body, zeilen, header, grid.numbers)
    above = frame.head(index)
    skipped = (
        above.height - above.select(pl.all_horizontal(pl.all().is_null()).sum()).item()
    )
    info = ReadInfo(
        path=path,
        format=fmt,
        encoding=None,
        delimiter=None,
        sheet=grid.sheet,
        header_row=index + 1,
        columns=table.columns,
        notes=[*grid.notes, *_header_notes(index + 1, skipped, header)],
    )
    return table, info


def read_export(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> Export:
    """Read a guardian export as text, finding what a person would see.

    Parameters
    ----------
    path
        A CSV (``.csv``, ``.txt``, ``.tsv``) or a workbook (``.xlsx``,
        ``.xlsm``, ``.xls``, ``.ods``). The content decides the format; a
        mismatch with the file name is noted.
    encoding
        Force the encoding of a CSV (``utf-8``, ``cp1252``, ``iso8859_15``…);
        detected when None (see :mod:`elternkit.read_csv`).
    delimiter
        Force the delimiter of a CSV (``;``, ``,``, ``tab``, ``|``).
    sheet
        Force the sheet of a workbook by name (also a hidden one).
    header_row
        Force the header row, 1-based, as Excel or a text editor shows it.

    Returns
    -------
    Export
        ``frame`` (``zeile`` first, then one String column per header),
        ``info`` (what was detected, German notes) and ``findings`` (rows
        with too many or too few fields).

    Raises
    ------
    InputError
        The file is missing, empty, not a table, corrupt or encrypted.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "eltern.csv").write_bytes(
    ...     b"Liste 5a\\nVorname;Nachname;Kind-ID\\nJ\\xfcrgen;Wei\\xdf;0123\\n"
    ... )
    >>> export = read_export(folder / "eltern.csv")
    >>> export.frame.rows()
    [(3, 'Jürgen', 'Weiß', '0123')]
    >>> export.info.encoding, export.info.delimiter, export.info.header_row
    ('cp1252', ';', 2)
    """
    path = Path(path)
    data = _load_bytes(path)
    fmt, notes = sniff_format(data, path=path)
    if fmt == "csv":
        table, info = _read_text(
            data, path, encoding=encoding, delimiter=delimiter, header_row=header_row
        )
    else:
        table, info = _read_sheet(
            data, path, fmt=fmt, sheet=sheet, header_row=header_row
        )
    info.notes = [*notes, *info.notes, *table.notes]
    if table.frame.height == 0:
        info.notes.append(
            f"Keine Datenzeilen: die Datei enthält nur die Kopfzeile (Zeile "
            f"{info.header_row})."
        )
    logger.info(
        "read %s: %d rows, %d columns",
        info.format,
        table.frame.height,
        len(info.columns),
    )
    return Export(table.frame, info, table.findings)
