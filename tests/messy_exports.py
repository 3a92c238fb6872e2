"""Hypothesis strategies for random messy exports, written as CSV or XLSX.

Used by the property tests (``test_fuzz.py``, ``test_outputs.py``): each
example is a real file in one of the layouts elternkit knows, with cells drawn
from the faults real exports show (and random text), plus the row numbers of
the guardians it holds, so a test can check that none is lost.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from hypothesis import strategies as st

from elternkit.read_table import is_blank

NAMES = [
    "Anna", "Lars", "Jürgen", "Weiß", "Özlem", "Renée", "Marie-Luise", "van Berg",
    "JÃ¼rgen", "MÃ¼ller", "Anna und Lars", "Eva & Tom", "Herr und Frau", "Frau",
    "=1+1", "@Anna", "-Eva", "+Tom", " Anna ", "Anna\u200b", "A\u00a0B", "ANNA",
    "Beispiel, Anna", "Dr. Hans Müller", "Ab\ufffdc", "O'Neill", "x" * 60, "",
]  # fmt: skip
EMAILS = [
    "anna@example.org", "ANNA@Example.org", "anna@example.org; lars@example.org",
    "tom(at)example.org", "ida@example.org (nur abends)", "kein", "@", "a@b",
    "=HYPERLINK(1)", "anna@gmial.com", "",
]  # fmt: skip
PHONES = [
    "0351 1234567", "+49 (0)351 1234567", "0049 351 1234567", "49(0)3511234567",
    "0151-12345678", "12345", "Tel. privat: 0351 1234567", "3,51E+10", "-", "+",
    "0351/123 / 0152 1", "=1+1", "",
]  # fmt: skip
IDS = ["1001", "1002", "001003", "1001.0", "A-17", "", " 1004 ", "-5", "=A1", "1e3"]
STREETS = ["Hauptstr. 1", "Hauptstraße 1", "Hauptstr.1", "Am Markt 3-5", "", "-1"]
PLZ = ["01067", "1067", "D-01069", "123", "", "1067.0"]
ORTE = ["Dresden", "01067 Dresden", "", "=Ort"]
SPERRE = ["ja", "nein", "", "x", "FALSCH"]

#: Long layout: header → pool of values.
LONG_COLUMNS = {
    "Vorname": NAMES,
    "Nachname": NAMES,
    "Kind-ID": IDS,
    "E-Mail": EMAILS,
    "Telefon": PHONES,
    "Straße": STREETS,
    "PLZ": PLZ,
    "Ort": ORTE,
    "Auskunftssperre": SPERRE,
}
WIDE_BLOCK = {"Vorname": NAMES, "Nachname": NAMES, "E-Mail": EMAILS, "Telefon": PHONES}
_NULL_WORDS = {"nan", "none", "null", "na"}
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    max_size=12,
).filter(lambda t: t.strip().lower() not in _NULL_WORDS)


@dataclass
class MessyExport:
    """A generated export: its header, rows, layout and how it is written."""

    header: list[str]
    rows: list[list[str]]
    layout: str
    fmt: str
    delimiter: str
    encoding: str

    def data_rows(self) -> list[int]:
        """Row numbers (header = 1) of the rows with at least one filled cell."""
        return [
            n
            for n, row in enumerate(self.rows, start=2)
            if not all(is_blank(v) for v in row)
        ]

    def write(self, folder: Path) -> Path:
        """Write the export as a real file into ``folder``; return its path."""
        if self.fmt == "xlsx":
            path = folder / "export.xlsx"
            book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
            sheet = book.add_worksheet("Daten")
            for i, row in enumerate([self.header, *self.rows]):
                for j, value in enumerate(row):
                    if value:
                        sheet.write_string(i, j, value)
            book.close()
            return path
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerows([self.header, *self.rows])
        path = folder / "export.csv"
        path.write_bytes(buffer.getvalue().encode(self.encoding, errors="replace"))
        return path


def _cell(pool: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(pool), _TEXT) if pool else _TEXT


@st.composite
def messy_exports(draw: st.DrawFn, *, max_rows: int = 12) -> MessyExport:
    """Draw a random messy export (long or wide layout, CSV or XLSX)."""
    layout = draw(st.sampled_from(["lang", "breit"]))
    if layout == "lang":
        optional = draw(
            st.lists(st.sampled_from(list(LONG_COLUMNS)[3:]), unique=True, max_size=6)
        )
        header = ["Vorname", "Nachname", "Kind-ID", *optional]
        pools = [LONG_COLUMNS[h] for h in header]
    else:
        blocks = draw(st.integers(1, 3))
        header = ["Schüler-ID", "Klasse"]
        pools = [IDS, ["5a", "6b", ""]]
        for b in range(1, blocks + 1):
            header += [f"Erz{b}_{f}" for f in WIDE_BLOCK]
            pools += list(WIDE_BLOCK.values())
    height = draw(st.integers(1, max_rows))
    rows = [[draw(_cell(pool)) for pool in pools] for _ in range(height)]
    fmt = draw(st.sampled_from(["csv", "csv", "xlsx"]))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    if encoding == "cp1252":
        # a real cp1252 export cannot hold other characters
        rows = [[_cp1252(v) for v in row] for row in rows]
    rows = [[v.replace("\r", " ").replace("\n", " ") for v in row] for row in rows]
    return MessyExport(header, rows, layout, fmt, delimiter, encoding)


def _cp1252(value: str) -> str:
    return value.encode("cp1252", errors="replace").decode("cp1252")
