"""The polars-built data rows equal what xlsxwriter writes cell by cell.

The reference workbook is written in the test with xlsxwriter's own
``write_string`` (constant-memory mode, as the review workbook was written
before); both are read back with openpyxl and compared cell by cell: value,
type, fill colour and whitespace.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from elternkit.sheet_rows import CHUNK_ROWS, column_letter, cut_to_excel_limit
from elternkit.workbook import write_workbook

TRICKY = [
    "Anna",
    '=HYPERLINK("http://x")',
    "+49 351 1234",
    "0012",
    "1e5",
    "  führende und folgende Leerzeichen ",
    "Tab\tin der Mitte",
    "Zeile\numbruch",
    "Wagen\rrücklauf",
    "Steuer\x01zeichen\x1f",
    "_x0041_ sieht aus wie ein Escape",
    "A & B <c> \"d\" 'e'",
    "Emoji 👨‍👩‍👧 und Ümläute ß",
    "\u00a0geschütztes Leerzeichen",
    "https://example.org/eltern",
    "x" * 40_000,
    "😀" * 20_000,
    "a" + "😀" * 16_383 + "b",
    None,
]


def _reference(path: Path, name: str, table: pl.DataFrame) -> None:
    """The old way: every cell through xlsxwriter's write_string."""
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False, "constant_memory": True},
    )  # fmt: skip
    colours = {"fehler": "#F8CBAD", "warnung": "#FFE699", "hinweis": "#DDEBF7"}
    fmts = {k: book.add_format({"bg_color": c, "num_format": "@"})
            for k, c in colours.items()}  # fmt: skip
    text = book.add_format({"num_format": "@"})
    book.add_worksheet("Übersicht")
    sheet = book.add_worksheet(name)
    for j, col in enumerate(table.columns):
        sheet.write_string(0, j, col)
    coloured = "schwere" in table.columns
    for i, row in enumerate(table.iter_rows(named=True), start=1):
        fmt = fmts.get(row["schwere"], text) if coloured else text
        for j, value in enumerate(row.values()):
            if value is None:
                if fmt is not text:
                    sheet.write_blank(i, j, None, fmt)
                continue
            sheet.write_string(i, j, cut_to_excel_limit(value), fmt)
    book.close()


def _cells(path: Path, name: str) -> list[list[tuple[object, str, str]]]:
    sheet = openpyxl.load_workbook(path)[name]
    return [
        [(c.value, c.data_type, c.fill.fgColor.rgb if c.fill.fill_type else "")
         for c in row]
        for row in sheet.iter_rows(min_row=2)
    ]  # fmt: skip


def _compare(tmp_path: Path, table: pl.DataFrame, name: str = "Probleme") -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write_workbook(ours, sheets=[(name, table)], summary=[("a", "b")])
    _reference(theirs, name, table)
    assert _cells(ours, name) == _cells(theirs, name)


def test_tricky_values_equal_xlsxwriter_cell_by_cell(tmp_path):
    n = len(TRICKY)
    table = pl.DataFrame(
        {
            "wert": TRICKY,
            "schwere": (["fehler", "warnung", "hinweis", None] * n)[:n],
            "leer": [None] * n,
            "rueckwaerts": list(reversed(TRICKY)),
        }
    )
    _compare(tmp_path, table)


def test_text_like_a_rich_string_stays_text(tmp_path):
    # xlsxwriter's constant-memory mode writes such a value as raw XML: Excel
    # then shows an empty cell; the polars-built rows escape it like any text
    table = pl.DataFrame({"wert": ["<r>kein Rich Text</r>"]})
    path = tmp_path / "w.xlsx"

    write_workbook(path, sheets=[("T", table)], summary=[])

    assert openpyxl.load_workbook(path)["T"]["A2"].value == "<r>kein Rich Text</r>"


def test_table_without_severity_leaves_empty_cells_out(tmp_path):
    table = pl.DataFrame({"Vorname": ["Anna", None], "Kind-ID": [None, "007"]})
    _compare(tmp_path, table, name="Import")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    values=st.lists(st.one_of(st.none(), st.text(max_size=20)), min_size=1, max_size=8)
)
def test_any_text_equals_xlsxwriter(tmp_path, values):
    rich = [v for v in values if v and v.startswith("<r>") and v.endswith("</r>")]
    assume(not rich)  # xlsxwriter's quirk, see the test above
    table = pl.DataFrame({"wert": values, "schwere": ["warnung"] * len(values)})
    _compare(tmp_path, table)


def test_dimension_and_rows_cover_the_whole_table(tmp_path, monkeypatch):
    monkeypatch.setattr("elternkit.sheet_rows.CHUNK_ROWS", 3)
    table = pl.DataFrame({"a": [str(i) for i in range(8)], "b": ["x"] * 8})
    path = tmp_path / "w.xlsx"

    write_workbook(path, sheets=[("T", table)], summary=[])

    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/worksheets/sheet2.xml")
    root = ElementTree.fromstring(xml)
    ns = {"m": root.tag.split("}")[0][1:]}
    assert root.find("m:dimension", ns).get("ref") == "A1:B9"
    rows = root.findall("m:sheetData/m:row", ns)
    assert [r.get("r") for r in rows] == [str(i) for i in range(1, 10)]
    sheet = openpyxl.load_workbook(path)["T"]
    assert [c.value for c in sheet["A"]] == ["a", *map(str, range(8))]


def test_chunk_size_is_large():
    assert CHUNK_ROWS >= 10_000


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (16383, "XFD")]
)
def test_column_letter(index, letters):
    assert column_letter(index) == letters


def test_long_cells_fit_excels_limit_in_utf16_units(tmp_path):
    table = pl.DataFrame({"wert": ["😀" * 20_000, "ä" * 40_000]})
    path = tmp_path / "w.xlsx"

    write_workbook(path, sheets=[("T", table)], summary=[])

    cells = [c.value for c in openpyxl.load_workbook(path)["T"]["A"][1:]]
    assert [len(v.encode("utf-16-le")) // 2 for v in cells] == [32_766, 32_767]
