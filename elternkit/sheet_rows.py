"""Data rows of the review workbook's sheets, built by polars, not cell by cell.

xlsxwriter writes the workbook: styles, the summary sheet and, for each table
sheet, the header row, column widths, frozen pane and autofilter. Writing the
data cells through xlsxwriter costs about 7 µs per cell (a 10,000-row sheet of
ten columns takes 0.7 s), so :func:`fill_sheets` builds the ``<row>`` elements
of every table sheet with polars string expressions instead and puts them into
the finished package, behind the header row that xlsxwriter wrote.

Each cell is an inline string (``t="inlineStr"``), exactly as xlsxwriter's
``write_string`` writes it in constant-memory mode: ``&``, ``<`` and ``>``
escaped, control characters as ``_xHHHH_`` (a literal ``_xHHHH_`` with its
underscore escaped), leading or trailing whitespace kept with
``xml:space="preserve"``, text beyond Excel's 32,767 characters cut (counted
as Excel counts, in UTF-16 units). So no
cell can ever become a formula, a number or a link.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

#: Longest text Excel keeps in one cell.
EXCEL_MAX_CHARS = 32_767
#: Rows turned into XML at a time (bounds the memory of a huge sheet).
CHUNK_ROWS = 50_000

_SHEET_FILE = "xl/worksheets/sheet{}.xml"
_END = "</sheetData>"
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
#: What needs the slow escape: control characters, a literal ``_xHHHH_``,
#: and the two non-characters XML cannot hold.
_NEEDS_ESCAPE = r"[\x00-\x08\x0b-\x1f\x{fffe}\x{ffff}]|_x[0-9a-fA-F]{4}_"
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


@dataclass(frozen=True)
class CellStyles:
    """Style (xf) indices: plain text cells and rows coloured by severity."""

    text: int
    severity: dict[str, int]


def escape_control(value: str) -> str:
    """Escape control characters the way Excel reads them back (``_xHHHH_``).

    >>> escape_control("a\\x01b"), escape_control("_x0041_")
    ('a_x0001_b', '_x005F_x0041_')
    """
    value = _LITERAL_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", value)
    return value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def column_letter(index: int) -> str:
    """Return the Excel column name of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cut_to_excel_limit(value: str) -> str:
    """Cut ``value`` to Excel's 32,767 characters, counted in UTF-16 units.

    Excel counts an emoji as two characters; a cut never splits one.

    >>> len(cut_to_excel_limit("x" * 40_000)), len(cut_to_excel_limit("😀" * 20_000))
    (32767, 16383)
    """
    units = value.encode("utf-16-le")
    if len(units) <= 2 * EXCEL_MAX_CHARS:
        return value
    return units[: 2 * EXCEL_MAX_CHARS].decode("utf-16-le", errors="ignore")


def _text_expr(table: pl.DataFrame, column: str) -> pl.Expr:
    """The escaped XML text of a column (null stays null)."""
    values = table.get_column(column).cast(pl.String)
    value = pl.col(column).cast(pl.String)
    # only a text of more than half the limit in characters can be too long
    long = values.filter(values.str.len_chars() > EXCEL_MAX_CHARS // 2).unique()
    if not long.is_empty():
        value = value.replace({v: cut_to_excel_limit(v) for v in long})
    if values.str.contains(_NEEDS_ESCAPE).any():
        value = value.map_elements(escape_control, return_dtype=pl.String)
    return (
        value.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def rows_xml(
    table: pl.DataFrame, styles: CellStyles, *, first_row: int = 2
) -> Iterator[str]:
    """Yield the ``<row>`` elements of ``table``, a chunk of rows at a time.

    ``first_row`` is the 1-based sheet row of the table's first row. In a
    table with a ``schwere`` column every cell of a row takes the colour of
    its severity, empty cells too; elsewhere empty cells are left out.

    >>> styles = CellStyles(text=1, severity={"fehler": 2})
    >>> table = pl.DataFrame({"wert": ["<a> & b", None], "schwere": ["fehler", None]})
    >>> print("".join(rows_xml(table, styles)))  # doctest: +NORMALIZE_WHITESPACE
    <row r="2"><c r="A2" s="2" t="inlineStr"><is><t>&lt;a&gt; &amp; b</t></is></c><c
    r="B2" s="2" t="inlineStr"><is><t>fehler</t></is></c></row><row r="3"></row>
    """
    if table.width == 0:
        return
    text_style = str(styles.text)
    if "schwere" in table.columns:
        style = (
            pl.col("schwere")
            .cast(pl.String)
            .replace_strict(
                {k: str(v) for k, v in styles.severity.items()},
                default=text_style,
                return_dtype=pl.String,
            )
            .fill_null(text_style)
        )
    else:
        style = pl.lit(text_style)
    number = (pl.int_range(pl.len()) + pl.col("_first")).cast(pl.String)
    cells = []
    for j, column in enumerate(table.columns):
        at = pl.concat_str(pl.lit(f'<c r="{column_letter(j)}'), number, pl.lit('" s="'))
        value = _text_expr(table, column)
        preserve = (
            pl.when(value.str.contains(r"^\s|\s$"))
            .then(pl.lit(' xml:space="preserve"'))
            .otherwise(pl.lit(""))
        )
        filled = pl.concat_str(
            at, style, pl.lit('" t="inlineStr"><is><t'), preserve, pl.lit(">"),
            value, pl.lit("</t></is></c>"),
        )  # fmt: skip
        blank = (
            pl.when(style != pl.lit(text_style))
            .then(pl.concat_str(at, style, pl.lit('"/>')))
            .otherwise(pl.lit(""))
        )
        cells.append(pl.when(value.is_null()).then(blank).otherwise(filled))
    row = pl.concat_str(
        pl.lit('<row r="'), number, pl.lit('">'), *cells, pl.lit("</row>")
    )
    for start in range(0, table.height, CHUNK_ROWS):
        chunk = table.slice(start, CHUNK_ROWS)
        first = pl.lit(first_row + start, dtype=pl.Int64).alias("_first")
        yield chunk.with_columns(first).select(row.str.join("")).item()


def fill_sheets(path: Path, tables: Sequence[pl.DataFrame], styles: CellStyles) -> None:
    """Put the data rows of ``tables`` into the workbook at ``path``.

    ``tables[i]`` belongs to the workbook's sheet ``i + 2`` (sheet 1 is the
    summary); each such sheet holds its header row only. The package is
    rewritten next to ``path`` and then replaces it.
    """
    path = Path(path)
    targets = {_SHEET_FILE.format(i + 2): table for i, table in enumerate(tables)}
    partial = path.with_name(path.name + ".teil")
    try:
        with (
            zipfile.ZipFile(path) as source,
            zipfile.ZipFile(
                partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as target,
        ):
            missing = set(targets) - set(source.namelist())
            if missing:
                msg = f"workbook lacks the sheets {sorted(missing)}"
                raise RuntimeError(msg)
            for item in source.infolist():
                data = source.read(item.filename)
                table = targets.get(item.filename)
                if table is None:
                    target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                _write_sheet(target, item, data.decode("utf-8"), table, styles)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _write_sheet(
    target: zipfile.ZipFile,
    item: zipfile.ZipInfo,
    xml: str,
    table: pl.DataFrame,
    styles: CellStyles,
) -> None:
    head, end, tail = xml.partition(_END)
    if not end:
        msg = f"{item.filename} has no {_END}"
        raise RuntimeError(msg)
    if table.width:
        last = f"{column_letter(table.width - 1)}{table.height + 1}"
        head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>', head, count=1)
    with target.open(item.filename, "w", force_zip64=True) as out:
        out.write(head.encode("utf-8"))
        for chunk in rows_xml(table, styles):
            out.write(chunk.encode("utf-8"))
        out.write((end + tail).encode("utf-8"))
