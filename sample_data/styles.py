"""The three export styles: school shape, Kind-IDs, planted faults and writers.

Each style writes its export file(s) the way the administration program does
(encoding, delimiter, layout) and returns the truth lines for ``wahrheit.csv``.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import xlsxwriter

from sample_data.people import Family, Pupil, SchoolShape
from sample_data.rows import (
    Row,
    pupil_order,
    pupil_truth_rows,
    render_long,
    render_wide,
    truth_rows,
)

DANIS_HEADER = ["Schüler-ID", "Nachname", "Vorname", "Klasse"] + [
    f"Erz{n}_{name}"
    for n in "12"
    for name in (
        "Anrede",
        "Vorname",
        "Nachname",
        "Straße",
        "PLZ",
        "Ort",
        "Telefon",
        "EMail",
    )
]
_SIBANK_FIELDS = (
    "Vorname",
    "Nachname",
    "Straße",
    "Hausnummer",
    "PLZ",
    "Ort",
    "Telefon",
    "E-Mail",
)
SIBANK_HEADER = ["SchülerNr", "Klasse", "Nachname", "Vorname"] + [
    f"{name}_{block}" for block in "VM" for name in _SIBANK_FIELDS
]
SIBANK_TITLE = ("Schülerliste mit Erziehungsberechtigten", "Stand: 01.08.2026")
#: Sheet row (1-based) of the Sibank header; two title lines and a blank line above.
SIBANK_HEADER_ROW = 4
BBS_PUPIL_HEADER = ["Schueler_ID", "Name", "Vorname", "Klasse", "Geburtsdatum"]
BBS_GUARDIAN_HEADER = [
    "Schueler_ID",
    "Art",
    "Anrede",
    "Vorname",
    "Nachname",
    "Strasse",
    "Hausnr",
    "PLZ",
    "Ort",
    "Telefon",
    "EMail",
    "Auskunftssperre",
]
PUPIL_LIST_HEADER = ["Kind-ID", "Vorname", "Nachname", "Klasse"]
#: Fixed creation date of the workbook, so that two runs give identical bytes.
WORKBOOK_CREATED = datetime(2026, 8, 1, 7, 30, 0)


@dataclass(frozen=True)
class Style:
    """How one invented school and its administration program look."""

    name: str
    folder: str
    pupils: int
    shape: SchoolShape
    encoding: str
    plan: dict[str, int]


def _csv_bytes(lines: Sequence[Sequence[str]], *, encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode(encoding)


def assign_kind_ids(families: Sequence[Family], rng: random.Random, style: str) -> None:
    """Give every pupil a unique Kind-ID in the style of the program."""
    pupils = [c for family in families for c in family.children]
    if style == "danis":
        numbers = rng.sample(range(1000, 100_000), len(pupils))
        ids = [f"{n:06d}" for n in numbers]
    elif style == "sibank":
        counters: dict[int, int] = {}
        ids = []
        for pupil in pupils:
            year = pupil.geburtsdatum.year + 11
            counters[year] = counters.get(year, rng.randrange(1000, 1100)) + 1
            ids.append(f"{year}{counters[year]:04d}")
    else:
        ids = [str(n) for n in rng.sample(range(1_000_000, 10_000_000), len(pupils))]
    for pupil, kind_id in zip(pupils, ids, strict=True):
        pupil.kind_id = kind_id


def render(style: str, families: list[Family]) -> list[Row]:
    """The rows of the export before any cell plant."""
    if style == "danis":
        return render_wide(families, keys="12")
    if style == "sibank":
        return render_wide(families, keys="VM")
    return render_long(families)


def write_danis(rows: list[Row], out: Path) -> list[list[str]]:
    """``danis_export.csv``: Windows-1252, ``;``, CRLF, Erz1/Erz2 blocks."""
    lines = [DANIS_HEADER]
    for row in rows:
        line = [row.kind_cell, row.pupil.nachname, row.pupil.vorname, row.pupil.klasse]
        for key in "12":
            slot = row.slots.get(key)
            if slot is None:
                line += [""] * 8
                continue
            c = slot.cells
            street = f"{c['strasse']} {c['hausnummer']}".rstrip()
            line += [c["anrede"], c["vorname"], c["nachname"], street, c["plz"]]
            line += [c["ort"], c["telefon"], c["email"]]
        lines.append(line)
    (out / "danis_export.csv").write_bytes(_csv_bytes(lines, encoding="cp1252"))
    return truth_rows("danis_export.csv", rows, first_row=2)


def write_sibank(rows: list[Row], out: Path) -> list[list[str]]:
    """``sibank_export.xlsx``: title lines, V/M blocks, numbers as Excel makes them."""
    workbook = xlsxwriter.Workbook(out / "sibank_export.xlsx")
    workbook.set_properties({"created": WORKBOOK_CREATED, "author": "Sekretariat"})
    sheet = workbook.add_worksheet("Schüler")
    bold = workbook.add_format({"bold": True})
    one_decimal = workbook.add_format({"num_format": "0.0"})
    sheet.write_string(
        0, 0, SIBANK_TITLE[0], workbook.add_format({"bold": True, "font_size": 14})
    )
    sheet.write_string(1, 0, SIBANK_TITLE[1])
    for col, name in enumerate(SIBANK_HEADER):
        sheet.write_string(SIBANK_HEADER_ROW - 1, col, name, bold)
    sheet.set_column(0, len(SIBANK_HEADER) - 1, 14)

    for index, row in enumerate(rows):
        r = SIBANK_HEADER_ROW + index
        if row.kind_cell and "kind_id_text_float" in row.faults:
            sheet.write_string(r, 0, row.kind_cell + ".0")
        elif row.kind_cell and "kind_id_float" in row.faults:
            sheet.write_number(r, 0, float(row.kind_cell), one_decimal)
        elif row.kind_cell:
            sheet.write_number(r, 0, int(row.kind_cell))
        for col, value in enumerate(
            (row.pupil.klasse, row.pupil.nachname, row.pupil.vorname), 1
        ):
            sheet.write_string(r, col, value)
        for block, key in enumerate("VM"):
            slot = row.slots.get(key)
            if slot is None:
                continue
            c = slot.cells
            values = [c["vorname"], c["nachname"], c["strasse"], c["hausnummer"]]
            values += [c["plz"], c["ort"], c["telefon"], c["email"]]
            for offset, value in enumerate(values):
                col = 4 + block * len(_SIBANK_FIELDS) + offset
                numeric = offset == 4 or (offset == 6 and "telefon_zahl" in slot.faults)
                if value and numeric:
                    sheet.write_number(r, col, int(value))
                elif value:
                    sheet.write_string(r, col, value)
            if c["plz"].startswith("0"):
                slot.faults.append("plz_zahl")
    workbook.close()
    return truth_rows("sibank_export.xlsx", rows, first_row=SIBANK_HEADER_ROW + 1)


def write_bbs(rows: list[Row], out: Path, pupils: list[Pupil]) -> list[list[str]]:
    """``schueler.csv`` and the long ``erziehungsberechtigte.csv``, UTF-8 with BOM."""
    by_id = sorted(pupils, key=lambda p: (p.kind_id, p.vorname))
    lines = [BBS_PUPIL_HEADER]
    for p in by_id:
        lines.append(
            [p.kind_id, p.nachname, p.vorname, p.klasse, f"{p.geburtsdatum:%d.%m.%Y}"]
        )
    (out / "schueler.csv").write_bytes(_csv_bytes(lines, encoding="utf-8-sig"))

    lines = [BBS_GUARDIAN_HEADER]
    for row in rows:
        c = row.slots["1"].cells
        fields = ("art", "anrede", "vorname", "nachname", "strasse", "hausnummer")
        fields += ("plz", "ort", "telefon", "email", "sperre")
        lines.append([row.kind_cell, *(c[name] for name in fields)])
    (out / "erziehungsberechtigte.csv").write_bytes(
        _csv_bytes(lines, encoding="utf-8-sig")
    )
    truth = truth_rows("erziehungsberechtigte.csv", rows, first_row=2)
    return truth + pupil_truth_rows("schueler.csv", by_id, first_row=2)


def write_pupil_list(
    pupils: list[Pupil], out: Path, *, encoding: str
) -> list[list[str]]:
    """``schueler_ids.csv`` for the ``--schueler`` check: every pupil of the school."""
    ordered = sorted(pupils, key=pupil_order)
    lines = [PUPIL_LIST_HEADER]
    lines += [[p.kind_id, p.vorname, p.nachname, p.klasse] for p in ordered]
    (out / "schueler_ids.csv").write_bytes(_csv_bytes(lines, encoding=encoding))
    return pupil_truth_rows("schueler_ids.csv", ordered, first_row=2)
