"""Comparison of last year's and this year's import file; CLI vergleich."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from elternkit.cli import main
from elternkit.compare import compare_files, compare_imports, read_import
from elternkit.errors import InputError

HEADER = "Vorname;Nachname;Adresse;E-Mail;Telefonnummer;Kind-ID"
OLD = [
    "Anna;Beispiel;Hauptstr. 1, 01067 Dresden;anna@example.org;;1001",
    "Anna;Beispiel;Hauptstr. 1, 01067 Dresden;anna@example.org;;1002",
    "Lars;Muster;Am Markt 2, 01067 Dresden;;+493511234567;1003",
    "Eva;Weg;Gasse 3, 01067 Dresden;;;1004",
    "Jörg;Weiß;Ring 4, 01067 Dresden;;;1005",
]
NEW = [
    "Anna;Beispiel;Neue Str. 9, 30159 Hannover;anna@example.org;;1001",
    "Anna;Beispiel;Neue Str. 9, 30159 Hannover;anna@example.org;;1002",
    "Lars;Muster;Am Markt 2, 01067 Dresden;;+493511234567;1003",
    "JÖRG;WEISS;Ring 4, 01067 Dresden;;;1005",
    "Mia;Neu;Weg 5, 01067 Dresden;;;1006",
]


def _file(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_new_gone_and_changed(tmp_path: Path) -> None:
    c = compare_files(_file(tmp_path / "a.csv", OLD), _file(tmp_path / "b.csv", NEW))

    assert c.neu["kind_id"].to_list() == ["1006"]
    assert c.weg["kind_id"].to_list() == ["1004"]
    changed = c.geaendert.select("kind_id", "feld").rows()
    assert changed == [
        ("1001", "adresse"),
        ("1002", "adresse"),
        ("1005", "nachname"),
        ("1005", "vorname"),
    ]
    assert c.warnings() == []
    assert c.details().columns == ["art", "kind_id", "feld", "vorher", "nachher"]


@pytest.mark.parametrize(
    ("kept", "warned"),
    [
        pytest.param(5, False, id="same-size"),
        pytest.param(4, False, id="minus-20-percent"),
        pytest.param(3, True, id="minus-40-percent"),
        pytest.param(0, True, id="empty"),
    ],
)
def test_sharp_drop_is_a_warning(tmp_path: Path, kept: int, warned: bool) -> None:
    old = read_import(_file(tmp_path / "a.csv", OLD))
    c = compare_imports(old, old.head(kept))
    assert bool(c.warnings()) is warned
    if warned:
        assert "Abgleich" in c.warnings()[0]


def test_wrong_file_is_a_german_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Name;Klasse\nA;1a\n", encoding="utf-8")
    with pytest.raises(InputError, match="Es fehlen die Spalten Vorname"):
        read_import(path)


def test_summary_has_no_names(tmp_path: Path) -> None:
    c = compare_files(_file(tmp_path / "a.csv", OLD), _file(tmp_path / "b.csv", NEW))
    text = " ".join(c.summary())
    assert "Neu hinzugekommen: 1" in text
    assert "Beispiel" not in text and "Mia" not in text


def test_cli_vergleich(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _file(tmp_path / "a.csv", OLD)
    new = _file(tmp_path / "b.csv", NEW[:2])
    out = tmp_path / "v.csv"

    code = main(["vergleich", str(old), str(new), "--csv", str(out)])

    said = capsys.readouterr().out
    assert code == 0
    assert "Warnung:" in said and "60%" in said
    assert pl.read_csv(out, separator=";", infer_schema=False).height >= 3


def test_same_length_file_with_every_row_changed_is_warned(tmp_path):
    from elternkit.compare import compare_files

    header = "Vorname;Nachname;Adresse;E-Mail;Telefonnummer;Kind-ID\n"
    old = tmp_path / "alt.csv"
    new = tmp_path / "neu.csv"
    old.write_text(
        header + "Anna;Beispiel;;;;001\nLars;Muster;;;;002\n", encoding="utf-8"
    )
    new.write_text(header + "Anna;Beispiel;;;;1\nLars;Muster;;;;2\n", encoding="utf-8")

    comparison = compare_files(old, new)

    assert comparison.neu_zeilen == comparison.alt_zeilen
    (warning,) = comparison.warnings()
    assert "2 von 2 Zeilen des Vorjahres" in warning
    assert "führende" in warning
