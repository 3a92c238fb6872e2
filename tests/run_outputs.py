"""Run elternkit end to end on real files and read its outputs back.

Shared by the end-to-end tests (cases, hostile files, output safety, fuzz).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
import polars as pl

from elternkit.cli import main
from elternkit.write import (
    CHANGES_FILE,
    FINDINGS_FILE,
    IMPORT_FILE,
    REPORT_FILE,
    WORKBOOK_FILE,
)

OUTPUT_FILES = (IMPORT_FILE, FINDINGS_FILE, CHANGES_FILE, WORKBOOK_FILE, REPORT_FILE)
NULL_WORDS = frozenset({"nan", "NaN", "None", "null", "NULL", "NA", "<NA>"})


@dataclass
class Run:
    """The exit code, the console text and the output folder of one CLI run."""

    code: int
    stdout: str
    stderr: str
    out: Path

    def table(self, name: str = IMPORT_FILE) -> pl.DataFrame:
        """Read one output CSV as text (empty cells are nulls)."""
        return pl.read_csv(self.out / name, separator=";", infer_schema=False)

    def rows(self, name: str = IMPORT_FILE) -> list[tuple]:
        """The rows of an output CSV, as tuples of text or ``None``."""
        return self.table(name).rows()

    def findings(self) -> list[tuple[int, str | None, str]]:
        """``(zeile, kind_id, code)`` of every finding, in file order."""
        table = self.table(FINDINGS_FILE)
        return [
            (int(z) if z else None, k, c)
            for z, k, c in table.select("zeile", "kind_id", "code").rows()
        ]

    def changes(self) -> list[tuple]:
        """``(zeile, feld, vorher, nachher, regel)`` of every change."""
        table = self.table(CHANGES_FILE)
        return [(int(r[0]), *r[1:]) for r in table.rows()]

    def report(self) -> str:
        return (self.out / REPORT_FILE).read_text(encoding="utf-8")


def run_cli(capsys, out: Path, *args: str | Path) -> Run:
    """Run ``elternkit run ARGS --out OUT`` through :func:`main`."""
    code = main(["run", *map(str, args), "--out", str(out)])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, out)


def workbook_cells(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet of a workbook as rows of values; fails on a formula cell."""
    book = openpyxl.load_workbook(path)
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (
                    f"Formel in {sheet.title}!{cell.coordinate}"
                )
                assert cell.value is None or isinstance(cell.value, str), (
                    f"kein Text in {sheet.title}!{cell.coordinate}: {cell.value!r}"
                )
            rows.append([cell.value for cell in row])
        sheets[sheet.title] = rows
    return sheets


def assert_safe_outputs(out: Path) -> None:
    """No output cell is a null word, no workbook cell a formula or a number.

    The import file reads back through elternkit's own reader to the same
    table.
    """
    from elternkit.read import read_export

    for name in (IMPORT_FILE, FINDINGS_FILE, CHANGES_FILE):
        table = pl.read_csv(out / name, separator=";", infer_schema=False)
        for column in table.columns:
            bad = table.filter(pl.col(column).is_in(list(NULL_WORDS)))
            assert bad.is_empty(), f"{name}:{column} enthält {bad[column].to_list()}"
    for rows in workbook_cells(out / WORKBOOK_FILE).values():
        for row in rows:
            assert not (set(row) & NULL_WORDS)

    written = pl.read_csv(out / IMPORT_FILE, separator=";", infer_schema=False)
    if written.height:
        back = read_export(out / IMPORT_FILE).frame.drop("zeile")
        assert back.columns == written.columns
        assert back.rows() == written.rows()
