"""A school's folder: working data deleted, the Rezept never touched."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from elternkit.cli import main
from elternkit.errors import InputError
from elternkit.school import delete_working_data, school_folder


def _school(tmp_path: Path) -> Path:
    root = tmp_path / "schulen" / "gs"
    (root / "daten").mkdir(parents=True)
    (root / "ausgabe" / "alt").mkdir(parents=True)
    (root / "rezept.toml").write_text('[schule]\nname = "GS"\n', encoding="utf-8")
    (root / "daten" / "export.csv").write_text("x", encoding="utf-8")
    (root / "ausgabe" / "alt" / "eltern_import.csv").write_text("x", encoding="utf-8")
    return root


def test_delete_keeps_the_rezept(tmp_path: Path) -> None:
    root = _school(tmp_path)
    deleted = delete_working_data(school_folder(root))
    assert len(deleted) == 2
    assert (root / "rezept.toml").exists()
    assert not (root / "daten").exists() and not (root / "ausgabe").exists()


def test_delete_does_not_follow_links(tmp_path: Path) -> None:
    root = _school(tmp_path)
    outside = tmp_path / "woanders"
    outside.mkdir()
    (outside / "wichtig.txt").write_text("x", encoding="utf-8")
    (root / "daten" / "link").symlink_to(outside)
    delete_working_data(school_folder(root))
    assert (outside / "wichtig.txt").exists()


def test_missing_folder_is_a_german_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="existiert nicht"):
        school_folder(tmp_path / "fehlt")


@pytest.mark.parametrize(
    ("args", "answer", "code", "gone"),
    [
        pytest.param(["--ja"], "", 0, True, id="ja-flag"),
        pytest.param([], "j\n", 0, True, id="confirmed"),
        pytest.param([], "n\n", 2, False, id="declined"),
        pytest.param([], "", 2, False, id="no-input"),
    ],
)
def test_cli_aufraeumen(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    answer: str,
    code: int,
    gone: bool,
) -> None:
    root = _school(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    assert main(["aufraeumen", str(root), *args]) == code
    assert (root / "daten").exists() is not gone
    assert (root / "rezept.toml").exists()
