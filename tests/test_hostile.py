"""Hostile files through the command line: exit 2, a German message, no trace.

And nothing partial over an earlier good output, also when a writer fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from run_outputs import OUTPUT_FILES, assert_safe_outputs, run_cli

from elternkit import job
from elternkit.cli import EXIT_INPUT, EXIT_INTERNAL

CASES = Path(__file__).parent / "fixtures" / "cases"
ENCRYPTED = (
    bytes.fromhex("D0CF11E0A1B11AE1")
    + b"\0" * 500
    + "EncryptedPackage".encode("utf-16-le")
)
GOOD = "Vorname;Nachname;Kind-ID\nAnna;Beispiel;1001\n"


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.fixture
def earlier(tmp_path, capsys):
    """An output folder holding a good earlier run; returns (folder, bytes)."""
    source = _write(tmp_path / "gut.csv", GOOD.encode())
    run = run_cli(capsys, tmp_path / "ausgabe", source)
    assert run.code == 0
    return run.out, {p.name: p.read_bytes() for p in run.out.iterdir()}


def _untouched(out: Path, before: dict[str, bytes]) -> bool:
    now = {p.name: p.read_bytes() for p in out.iterdir()}
    return now == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("leer.csv", b"", "leer (0 Bytes)", id="empty"),
        pytest.param("ws.csv", b" \r\n\t\n", "nur Leerzeichen", id="whitespace"),
        pytest.param(
            "nur_kopf.csv",
            b"Vorname;Nachname;Kind-ID\n",
            "keine Eltern",
            id="header-only",
        ),
        pytest.param("bild.csv", bytes(range(256)) * 8, "keine Textdatei", id="binary"),
        pytest.param(
            "kaputt.xlsx", b"PK\x03\x04" + b"x" * 300, "beschädigt", id="corrupt-xlsx"
        ),
        pytest.param("geheim.xlsx", ENCRYPTED, "Passwort", id="password-xlsx"),
        pytest.param(
            "brief.txt",
            b"Liebe Eltern,\nbitte bringen Sie ... mit.\n",
            "",
            id="prose-not-a-table",
        ),
        pytest.param(
            "zahlen.csv", b"1;2;3\n4;5;6\n", "keine Kopfzeile", id="no-header"
        ),
        pytest.param(
            "lang.csv",
            b"Vorname;Nachname\n" + b"a" * 2_000_000,
            "Zeichen",
            id="huge-line",
        ),
        pytest.param("export.pdf", b"%PDF-1.4\n", "Unterstützt werden", id="pdf"),
    ],
)
def test_hostile_file_exit_2_names_file_and_keeps_earlier_output(
    tmp_path, capsys, earlier, name, content, message
):
    out, before = earlier
    path = _write(tmp_path / name, content)

    run = run_cli(capsys, out, path)

    assert run.code == EXIT_INPUT
    assert run.stderr.startswith("Fehler: ")
    assert message in run.stderr
    if name != "export.pdf":
        assert name in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert _untouched(out, before)


def test_mixed_line_endings_are_read(tmp_path, capsys):
    content = (
        b"Vorname;Nachname;Kind-ID\r\nAnna;Beispiel;1\nLars;Muster;2\rEva;Probe;3\r\n"
    )
    path = _write(tmp_path / "gemischt.csv", content)

    run = run_cli(capsys, tmp_path / "aus", path)

    assert run.code == 0
    assert sorted(r[0] for r in run.rows()) == ["Anna", "Eva", "Lars"]
    assert_safe_outputs(run.out)


def test_unquoted_line_break_in_a_field_is_reported_not_lost(tmp_path, capsys):
    content = (
        "Vorname;Nachname;Adresse;Kind-ID\n"
        "Anna;Beispiel;Haupt\n"
        "str. 1;1001\n"
        "Lars;Muster;Weg 2;1002\n"
        "Eva;Probe;Weg 3;1003\n"
    )
    path = _write(tmp_path / "umbruch.csv", content.encode())

    run = run_cli(capsys, tmp_path / "aus", path)

    assert run.code == 0
    found = run.findings()
    assert (2, None, "zeile_zu_wenige_felder") in found
    assert (3, None, "zeile_zu_wenige_felder") in found
    assert sorted(r[0] for r in run.rows()) == ["Eva", "Lars"]
    assert_safe_outputs(run.out)


def test_sheet_used_to_row_1048576_is_read(tmp_path, capsys):
    path = tmp_path / "weit.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Daten")
    for i, row in enumerate(["Vorname;Nachname;Kind-ID", "Anna;Beispiel;1"]):
        for j, value in enumerate(row.split(";")):
            sheet.write_string(i, j, value)
    sheet.write_string(1_048_575, 0, "Ende")
    book.close()

    run = run_cli(capsys, tmp_path / "aus", path)

    assert run.code == 0
    assert ("Anna", "Beispiel") in [(r[0], r[1]) for r in run.rows()]
    assert [f[0] for f in run.findings() if f[2] == "name_unvollstaendig"] == [
        1_048_576
    ]


@pytest.mark.slow
def test_sheet_with_a_million_filled_rows(tmp_path, capsys):  # pragma: no cover
    path = tmp_path / "million.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Daten")
    for j, value in enumerate(("Vorname", "Nachname", "Kind-ID")):
        sheet.write_string(0, j, value)
    for i in range(1, 1_048_576):
        sheet.write_string(i, 0, f"V{i % 997}")
        sheet.write_string(i, 1, f"N{i}")
        sheet.write_string(i, 2, str(i))
    book.close()

    run = run_cli(capsys, tmp_path / "aus", path)

    assert run.code in (0, EXIT_INPUT)
    assert "Traceback" not in run.stderr


def test_failing_writer_leaves_earlier_output_and_no_temp_folder(
    tmp_path, capsys, earlier, monkeypatch
):
    out, before = earlier

    def broken(*args, **kwargs):
        raise OSError("Datenträger voll")

    monkeypatch.setattr(job, "write_workbook", broken)
    source = _write(tmp_path / "neu.csv", b"Vorname;Nachname;Kind-ID\nLars;Muster;2\n")

    run = run_cli(capsys, out, source)

    assert run.code == EXIT_INTERNAL
    assert "Ihre Dateien wurden nicht verändert" in run.stderr
    assert "Traceback" not in run.stderr
    assert _untouched(out, before)
    assert not [p for p in out.iterdir() if p.name.startswith(".elternkit-")]


def test_good_run_writes_every_file(tmp_path, capsys):
    source = _write(tmp_path / "gut.csv", GOOD.encode())

    run = run_cli(capsys, tmp_path / "aus", source)

    assert sorted(p.name for p in run.out.iterdir()) == sorted(OUTPUT_FILES)
