"""Batch mode: many school folders in one call, one failure never stops the rest."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from elternkit import batch as batch_module
from elternkit.batch import (
    ProgressBar,
    find_school_folders,
    is_batch_folder,
    render_batch_table,
    run_batch,
)
from elternkit.cli import main
from elternkit.errors import InputError
from elternkit.job import IMPORT_FILE

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

GOOD = "Vorname;Nachname;Kind-ID\nAnna;Beispiel;1001\nLars;Muster;1002\n"
NO_ID = "nur;text\n1;2\n"


def _school(root: Path, name: str, text: str, file: str = "export.csv") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / file).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def stapel(tmp_path: Path) -> Path:
    root = tmp_path / "stapel"
    _school(root, "a_gut", GOOD)
    _school(root, "b_kaputt", NO_ID)
    _school(root, "c_gut", GOOD.replace("Anna", "Eva"))
    (root / "ausgabe").mkdir()  # an output folder inside is never a school
    (root / ".versteckt").mkdir()
    return root


def test_every_school_runs_and_a_failure_is_recorded(stapel: Path, tmp_path: Path):
    out = tmp_path / "aus"

    result = run_batch(stapel, out=out)

    assert [s.name for s in result.schools] == ["a_gut", "b_kaputt", "c_gut"]
    assert [s.name for s in result.failed] == ["b_kaputt"]
    assert result.failed[0].error is not None
    assert "Kind-ID" in result.failed[0].error
    assert (out / "a_gut" / IMPORT_FILE).is_file()
    assert (out / "c_gut" / IMPORT_FILE).is_file()
    assert not (out / "b_kaputt" / IMPORT_FILE).exists()
    assert result.schools[2].result is not None
    assert result.schools[2].result.counts.exportiert == 2


def test_internal_error_of_one_school_does_not_stop_the_batch(
    stapel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    real = batch_module.run_job

    def flaky(paths, **kwargs):
        if "a_gut" in str(paths[0]):
            raise RuntimeError("kaputt")
        return real(paths, **kwargs)

    monkeypatch.setattr(batch_module, "run_job", flaky)

    result = run_batch(stapel, out=tmp_path / "aus")

    assert [s.name for s in result.failed] == ["a_gut", "b_kaputt"]
    assert "Interner Fehler von elternkit (RuntimeError)" in str(result.failed[0].error)
    assert (tmp_path / "aus" / "c_gut" / IMPORT_FILE).is_file()


def test_cli_batch_prints_summaries_table_and_exits_2(
    stapel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    code = main(["run", str(stapel), "--out", str(tmp_path / "aus")])

    captured = capsys.readouterr()
    assert code == 2
    assert "== a_gut ==" in captured.out
    assert "FEHLGESCHLAGEN: export.csv" in captured.out
    assert "3 Schulen: 2 fertig, 1 fehlgeschlagen (b_kaputt)." in captured.out
    assert "1 von 3 Schulen sind fehlgeschlagen (b_kaputt)" in captured.err
    assert "\r" not in captured.err  # no progress bar when stderr is no terminal


def test_cli_batch_of_good_schools_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    root = tmp_path / "stapel"
    _school(root, "eins", GOOD)
    shutil.copytree(SAMPLE / "grundschule_am_see", root / "grundschule_am_see")

    code = main(["run", str(root), "--out", str(tmp_path / "aus")])

    out = capsys.readouterr().out
    assert code == 0
    assert "2 Schulen: 2 fertig, 0 fehlgeschlagen." in out
    assert (tmp_path / "aus" / "grundschule_am_see" / IMPORT_FILE).is_file()


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--schueler", "ids.csv"), ("--zuordnung", "Kind-ID=Nr")],
    ids=["schuelerliste", "zuordnung"],
)
def test_cli_batch_rejects_per_school_options(
    stapel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag, value
):
    code = main(["run", str(stapel), flag, value, "--out", str(tmp_path / "aus")])

    assert code == 2
    assert f"{flag} gilt für eine einzelne Schule" in capsys.readouterr().err


def test_folder_with_exports_is_one_school(tmp_path: Path):
    folder = _school(tmp_path, "gs", GOOD)

    assert find_school_folders(folder) == [folder]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "fehlt", "existiert nicht"),
        (lambda p: p, "weder eine Exportdatei noch ein Schulordner"),
    ],
    ids=["missing", "empty"],
)
def test_unusable_batch_folder_is_a_german_error(tmp_path: Path, make, message):
    with pytest.raises(InputError, match=message):
        find_school_folders(make(tmp_path))


@pytest.mark.parametrize(
    ("paths", "expected"),
    [(["."], True), (["a.csv"], False), ([".", "."], False)],
    ids=["one-folder", "file", "two-paths"],
)
def test_is_batch_folder(paths, expected):
    assert is_batch_folder(paths) is expected


def test_progress_bar_draws_on_a_terminal_only():
    on, off = io.StringIO(), io.StringIO()

    bar = ProgressBar(4, stream=on, enabled=True)
    bar.show(2, "gymnasium_nord")
    bar.close()
    silent = ProgressBar(4, stream=off)  # StringIO is no terminal
    silent.show(2, "gymnasium_nord")

    assert on.getvalue().startswith("\r[###############...............]  2/4")
    assert off.getvalue() == ""


def test_progress_bar_estimates_the_rest():
    bar = ProgressBar(4, enabled=False)
    bar.started -= 60  # one minute for the first two schools

    assert bar.text(2, "x").endswith("1:00, noch etwa 1:00")


def test_batch_table_lists_every_school(stapel: Path, tmp_path: Path):
    result = run_batch(stapel, out=tmp_path / "aus")

    table = render_batch_table(result).splitlines()

    assert table[0].startswith("Schule")
    assert [line.split(" | ")[0].strip() for line in table[2:5]] == [
        "a_gut",
        "b_kaputt",
        "c_gut",
    ]
    assert "FEHLGESCHLAGEN" in table[3]
