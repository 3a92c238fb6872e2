"""German command-line messages: argparse, file errors, interruption, grammar."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from elternkit import cli
from elternkit.job import find_school_inputs
from elternkit.report import count
from elternkit.write import staged_output

ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "the following arguments are required",
    "invalid choice",
    "invalid int value",
    "unrecognized arguments",
    "show this help message",
    "error:",
)


@pytest.fixture
def one_parent(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(
        "Schüler-ID;Vorname Erziehungsberechtigter;Nachname Erziehungsberechtigter;"
        "E-Mail\n1001;Anna;Muster;anna.muster@example.org\n",
        encoding="utf-8",
    )
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _assert_german(text: str) -> None:
    found = [word for word in ENGLISH if word in text]
    assert not found, f"English argparse text {found} in:\n{text}"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["run"], "Folgende Angaben fehlen: EXPORT", id="missing-export"),
        pytest.param(
            ["run", "x.csv", "--kopfzeile", "abc"], "„abc“ ist keine Zahl", id="int"
        ),
        pytest.param(["quatsch"], "'quatsch' gibt es nicht", id="unknown-command"),
        pytest.param(
            ["run", "x.csv", "--telefon-format", "foo"], "'foo' gibt es nicht", id="ch"
        ),
        pytest.param(["run", "x.csv", "--zzz"], "unbekannte Angaben: --zzz", id="unk"),
        pytest.param(["run", "x.csv", "--out"], "hier fehlt der Wert", id="no-value"),
    ],
)
def test_argument_errors_are_german(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run(argv, capsys)

    assert code == 2
    assert expected in text
    assert "Aufruf:" in text and "Hilfe: elternkit" in text
    _assert_german(text)


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["demo", "-h"]])
def test_help_is_german(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(argv, capsys)

    assert code == 0
    assert "Aufruf: elternkit" in text and "Optionen:" in text
    assert "diese Hilfe zeigen" in text
    _assert_german(text)


def test_argparse_is_english_again_after_main(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _run(["run"], capsys)

    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["file", "below-file"])
def test_out_that_is_no_folder(
    kind: str, one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "datei.txt"
    blocker.write_text("x", encoding="utf-8")
    out = blocker if kind == "file" else blocker / "ausgabe"

    code, text = _run(["run", str(one_parent), "--out", str(out)], capsys)

    assert code == 2
    assert f"Der Ausgabeordner {out}" in text and "--out" in text
    assert "Interner Fehler" not in text


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (PermissionError(13, "Permission denied", "/x/eltern.csv"), "Berechtigung"),
        (FileNotFoundError(2, "No such file", "/x/eltern.csv"), "nicht gefunden"),
        (IsADirectoryError(21, "Is a directory", "/x/eltern.csv"), "ein Ordner"),
        (NotADirectoryError(20, "Not a directory", "/x/eltern.csv"), "eine Datei"),
        (FileExistsError(17, "File exists", "/x/eltern.csv"), "gibt es schon"),
        (OSError(28, "No space left", "/x/eltern.csv"), "kein Platz"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, OSError) else "",
)
def test_os_errors_become_german_with_file_name(
    exc: OSError,
    expected: str,
    one_parent: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(cli, "run_job", fail)

    code, text = _run(["run", str(one_parent), "--out", str(tmp_path / "a")], capsys)

    assert code == 2
    assert "/x/eltern.csv" in text and expected in text
    assert "Interner Fehler" not in text


def test_unicode_error_becomes_german(
    one_parent: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        b"\xff".decode("utf-8")

    monkeypatch.setattr(cli, "run_job", fail)

    code, text = _run(["run", str(one_parent), "--out", str(tmp_path / "a")], capsys)

    assert code == 2
    assert "--kodierung" in text and "Interner Fehler" not in text


def test_missing_files_named_by_role(
    one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "a")
    missing = str(tmp_path / "nix.csv")

    code, pupils = _run(
        ["run", str(one_parent), "--schueler", missing, "--out", out], capsys
    )
    code_vj, vorjahr = _run(
        ["run", str(one_parent), "--vorjahr", missing, "--out", out], capsys
    )

    assert code == 2 and "Die Schülerliste" in pupils and missing in pupils
    assert "Quelldatei" not in pupils
    assert code_vj == 2 and missing in vorjahr


def test_binary_rezept(
    one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rezept = tmp_path / "rezept.toml"
    rezept.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")

    code, text = _run(
        ["run", str(one_parent), "--rezept", str(rezept), "--out", str(tmp_path)],
        capsys,
    )

    assert code == 2 and str(rezept) in text and "UTF-8" in text


def test_unusable_rezept_option_is_said_on_the_console(
    one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rezept = tmp_path / "rezept.toml"
    rezept.write_text('[optionen]\ntelefon_format = "quatsch"\n', encoding="utf-8")

    code, text = _run(
        ["run", str(one_parent), "--rezept", str(rezept), "--out", str(tmp_path)],
        capsys,
    )

    assert code == 0
    assert (
        "Achtung: Rezept (Optionen): Option „telefon_format“ hat den Wert „quatsch“"
        in text
    )
    assert 'telefon_format = "quatsch"' in rezept.read_text(encoding="utf-8")


def test_missing_rezept_is_created_and_used_next_time(
    one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    school = tmp_path / "schulen" / "gs"
    school.mkdir(parents=True)
    rezept = school / "rezept.toml"
    argv = ["run", str(one_parent), "--rezept", str(rezept), "--out", str(school)]

    code, text = _run([*argv, "--telefon-format", "international"], capsys)
    code2, text2 = _run(argv, capsys)

    assert code == 0 and "Neues Rezept angelegt" in text
    saved = rezept.read_text(encoding="utf-8")
    assert 'name = "gs"' in saved and 'telefon_format = "international"' in saved
    assert 'feld = "kind_id"' in saved
    assert code2 == 0 and "Neues Rezept" not in text2 and "Rezept: 0 " in text2


def test_rezept_in_missing_folder(
    one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rezept = tmp_path / "nix" / "rezept.toml"

    code, text = _run(
        ["run", str(one_parent), "--rezept", str(rezept), "--out", str(tmp_path)],
        capsys,
    )

    assert code == 2 and str(rezept.parent) in text


def test_summary_grammar(
    one_parent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run(["run", str(one_parent), "--out", str(tmp_path / "a")], capsys)

    assert code == 0
    assert "1 Elternzeile gelesen" in text and "(1 Elternkonto)" in text
    assert "0 Warnungen" in text and "0 Hinweise" in text


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 Warnungen"), (1, "1 Warnung"), (2, "2 Warnungen")],
)
def test_count(number: int, expected: str) -> None:
    assert count(number, "Warnung", "Warnungen") == expected


def test_stale_staging_folders_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".elternkit-abc123"
    stale.mkdir()
    (stale / "eltern_import.csv").write_text("Vorname\nAnna\n", encoding="utf-8")
    keep = tmp_path / ".elternkit-datei"
    keep.write_text("keine Stufe", encoding="utf-8")

    with staged_output(tmp_path) as tmp:
        (tmp / "neu.csv").write_text("x", encoding="utf-8")

    assert not stale.exists()
    assert keep.exists()
    assert (tmp_path / "neu.csv").exists()
    assert not [p for p in tmp_path.glob(".elternkit-*") if p.is_dir()]


def test_sigterm_handler_raises_keyboard_interrupt() -> None:
    before = signal.getsignal(signal.SIGTERM)

    with pytest.raises(KeyboardInterrupt), cli._sigterm_cleans_up():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts the sleep

    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_removes_staging_folder(one_parent: Path, tmp_path: Path) -> None:
    out = tmp_path / "ausgabe"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from elternkit import cli
        from elternkit.write import staged_output

        def slow_job(*args, out, **kwargs):
            with staged_output(Path(out)) as tmp:
                (tmp / "eltern_import.csv").write_text("Anna", encoding="utf-8")
                print("bereit", flush=True)
                time.sleep(60)

        cli.run_job = slow_job
        sys.exit(cli.main(["run", {str(one_parent)!r}, "--out", {str(out)!r}]))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "bereit"
        assert [p for p in out.glob(".elternkit-*")]

        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert proc.returncode == 2
    assert "Abgebrochen" in err
    assert not list(out.glob(".elternkit-*"))
    assert not (out / "eltern_import.csv").exists()


def test_school_folder_skips_notes_and_other_files(tmp_path: Path) -> None:
    for name in [
        "export.csv",
        "notizen.txt",
        "Notiz.csv",
        "liesmich.xlsx",
        "README.csv",
        "vergleich.csv",
        "rezept.toml",
        "wahrheit.csv",
        "schuelerliste.xlsx",
        "eltern.TXT",
    ]:
        (tmp_path / name).write_text("x", encoding="utf-8")

    inputs = find_school_inputs(tmp_path)

    assert [p.name for p in inputs.exports] == ["export.csv"]
    assert inputs.pupil_list == tmp_path / "schuelerliste.xlsx"
