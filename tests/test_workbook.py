"""Tests of the review workbook: sheets, colours, frozen header, row limit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from run_outputs import workbook_cells

from elternkit.cli import main, sample_data_dir
from elternkit.job import find_school_inputs, workbook_sheets
from elternkit.pipeline import prepare
from elternkit.workbook import EXCEL_MAX_ROWS, plan_sheets, write_workbook

FINDINGS = pl.DataFrame(
    {
        "zeile": [2, 3, 4],
        "wert": ["=1+1", "+49 351 1", None],
        "schwere": ["fehler", "warnung", "hinweis"],
    }
)


def _write(tmp_path: Path, **kwargs) -> Path:
    path = tmp_path / "pruefung.xlsx"
    write_workbook(
        path,
        sheets=kwargs.pop("sheets", [("Probleme", FINDINGS)]),
        summary=kwargs.pop("summary", [("exportiert", "3")]),
        **kwargs,
    )
    return path


def test_sheets_in_order_with_frozen_header_and_filter(tmp_path):
    book = openpyxl.load_workbook(_write(tmp_path))

    assert book.sheetnames == ["Übersicht", "Probleme"]
    sheet = book["Probleme"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert [c.value for c in sheet[1]] == ["zeile", "wert", "schwere"]
    assert sheet.column_dimensions["B"].width >= len("+49 351 1")


def test_cells_are_text_never_formulas(tmp_path):
    cells = workbook_cells(_write(tmp_path))

    assert cells["Probleme"][1] == ["2", "=1+1", "fehler"]
    assert cells["Probleme"][2] == ["3", "+49 351 1", "warnung"]


@pytest.mark.parametrize(
    ("row", "colour"),
    [(2, "F8CBAD"), (3, "FFE699"), (4, "DDEBF7")],
    ids=["fehler", "warnung", "hinweis"],
)
def test_rows_coloured_by_severity(tmp_path, row, colour):
    sheet = openpyxl.load_workbook(_write(tmp_path))["Probleme"]

    fills = {sheet.cell(row, col).fill.fgColor.rgb[-6:] for col in (1, 2, 3)}

    assert fills == {colour}


@pytest.mark.parametrize(
    ("height", "per_sheet", "max_sheets", "names", "left_out"),
    [
        (5, 2, 3, ["T", "T (2)", "T (3)"], 0),
        (7, 2, 3, ["T", "T (2)", "T (3)"], 1),
        (2, 2, 3, ["T"], 0),
        (0, 2, 3, ["T"], 0),
    ],
    ids=["split", "capped", "fits", "empty"],
)
def test_plan_sheets(height, per_sheet, max_sheets, names, left_out):
    table = pl.DataFrame({"a": [str(i) for i in range(height)]})

    parts, missing = plan_sheets(
        "T", table, rows_per_sheet=per_sheet, max_sheets=max_sheets
    )

    assert [p.name for p in parts] == names
    assert sum(p.table.height for p in parts) + missing == height
    assert missing == left_out


def test_long_table_is_split_and_noted_on_the_summary(tmp_path):
    changes = pl.DataFrame({"zeile": [str(i) for i in range(7)]})

    path = _write(
        tmp_path, sheets=[("Änderungen", changes)], rows_per_sheet=3, max_sheets=2
    )

    cells = workbook_cells(path)
    assert [len(cells[n]) - 1 for n in ("Änderungen", "Änderungen (2)")] == [3, 3]
    summary = dict(tuple(r) for r in cells["Übersicht"][1:])
    assert summary["Blatt Änderungen gekürzt"].startswith("1 von 7 Zeilen fehlen")


def test_sheet_names_are_valid_for_excel(tmp_path):
    table = pl.DataFrame({"a": ["1"]})
    name = "Personen/Zeilen: [alle] mit einem sehr langen Namen"

    book = openpyxl.load_workbook(_write(tmp_path, sheets=[(name, table)]))

    assert len(book.sheetnames[1]) <= 31
    assert not set(book.sheetnames[1]) & set("[]:*?/\\")


def test_excel_row_limit_is_the_real_one():
    assert EXCEL_MAX_ROWS == 2**20


def test_demo_workbooks_read_back_cleanly(tmp_path, capsys):
    code = main(["demo", "--out", str(tmp_path)])
    capsys.readouterr()

    assert code == 0
    schools = sorted(p.name for p in sample_data_dir().iterdir() if p.is_dir())
    for school in schools:
        cells = workbook_cells(tmp_path / school / "eltern_pruefung.xlsx")
        assert {"Übersicht", "Import", "Probleme", "Personen", "Änderungen"} <= set(
            cells
        )
        imported = pl.read_csv(
            tmp_path / school / "eltern_import.csv", separator=";", infer_schema=False
        )
        assert len(cells["Import"]) - 1 == imported.height
        # the six upload columns first, in the file's order, then the context
        assert cells["Import"][0][:6] == imported.columns
        sheet_rows = [row[:6] for row in cells["Import"][1:]]
        csv_rows = [list(row) for row in imported.rows()]
        assert sheet_rows == csv_rows


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice ist auf diesem Rechner nicht installiert",
)
def test_libreoffice_opens_the_workbook(tmp_path):  # pragma: no cover
    office = shutil.which("soffice") or shutil.which("libreoffice")
    path = _write(tmp_path)

    done = subprocess.run(
        [office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), path],
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0
    assert (tmp_path / "pruefung.csv").exists()


@pytest.fixture(scope="module")
def school_result():
    school = find_school_inputs(sample_data_dir() / "gymnasium_nord")
    return prepare(school.exports, pupil_list=school.pupil_list)


def test_limited_sheets_are_the_first_rows_of_the_whole_tables(school_result):
    whole = {name: (t, n) for name, t, n in workbook_sheets(school_result)}
    cut = {name: (t, n) for name, t, n in workbook_sheets(school_result, limit=40)}

    assert whole.keys() == cut.keys()
    for name, (table, total) in cut.items():
        full, full_total = whole[name]
        assert total == full_total == full.height, name
        assert table.equals(full.head(40)), name


def test_cut_sheet_counts_the_whole_table_in_its_note(tmp_path):
    table = pl.DataFrame({"a": ["1", "2"]})

    notes = write_workbook(
        tmp_path / "w.xlsx", sheets=[("Änderungen", table, 7)], summary=[]
    )

    assert ("Blatt Änderungen gekürzt", "5 von 7 Zeilen fehlen in dieser Datei; "
            "alle stehen in der CSV-Datei") in notes  # fmt: skip
