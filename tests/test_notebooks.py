"""Shape of the guided notebooks (their cells run under nbval, see notebooks/).

Every notebook is German, starts with what it does, reads and writes, has one
parameters cell, keeps cells short, and is stored without outputs except for
the cells whose output nbval checks (no personal data in the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = [
    "00_Ueberblick",
    "01_Export_einlesen",
    "02_Spalten_zuordnen",
    "03_Bereinigen",
    "04_Dubletten_pruefen",
    "05_Pruefen_und_Exportieren",
    "06_Naechstes_Schuljahr",
]
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
#: Most lines of one code cell ("cells stay a few lines long").
MAX_CELL_LINES = 8
PARAMETERS = ("schule", "exporte", "schuelerliste", "rezept_datei")


def _cells(name: str) -> list[dict]:
    book = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    return book["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_every_step_has_a_notebook() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_starts_with_what_it_does_reads_and_writes(name: str) -> None:
    first = _cells(name)[0]

    assert first["cell_type"] == "markdown"
    for part in ("**Was dieses Notebook tut:**", "**Liest:**", "**Schreibt:**"):
        assert part in _source(first)


@pytest.mark.parametrize("name", EXPECTED[1:])
def test_one_parameters_cell_first(name: str) -> None:
    code = [c for c in _cells(name) if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]

    assert tagged == [code[0]]
    for parameter in PARAMETERS:
        assert f"\n{parameter} = " in _source(code[0])


@pytest.mark.parametrize("name", EXPECTED)
def test_cells_are_short(name: str) -> None:
    long = [
        _source(c).splitlines()[0]
        for c in _cells(name)
        if c["cell_type"] == "code" and len(_source(c).splitlines()) > MAX_CELL_LINES
    ]

    assert long == []


@pytest.mark.parametrize("name", EXPECTED)
def test_only_checked_cells_keep_outputs(name: str) -> None:
    with_output = [
        _source(c)
        for c in _cells(name)
        if c["cell_type"] == "code"
        and c.get("outputs")
        and not _source(c).startswith(CHECK_MARK)
    ]

    assert with_output == []


@pytest.mark.parametrize("name", EXPECTED)
def test_never_writes_into_sample_data(name: str) -> None:
    code = "\n".join(_source(c) for c in _cells(name) if c["cell_type"] == "code")

    assert "sample_data" not in code.replace("(Ordner in sample_data/)", "")
