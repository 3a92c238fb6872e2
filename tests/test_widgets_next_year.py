"""Next school year in the notebooks: simulated export, replay, comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from elternkit.compare import read_import
from elternkit.widgets.next_year import (
    compare_with_last_year,
    last_year_import,
    next_year_workspace,
)
from elternkit.widgets.session import (
    load_rezept,
    mapping_widgets,
    read_exports,
    run_with_rezept,
)
from elternkit.widgets.workspace import WORK_FOLDER_VARIABLE, open_workspace


@pytest.mark.parametrize("school", ["gymnasium_nord", "bbs_mitte"])
def test_simulated_year_replays_the_mapping_and_compares(
    tmp_path: Path, school: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WORK_FOLDER_VARIABLE, str(tmp_path))
    workspace = open_workspace(school, rezept=tmp_path / school / "rezept.toml")
    rezept = load_rezept(workspace)
    for widget in mapping_widgets(workspace, rezept, read_exports(workspace, rezept)):
        widget.save()
    last_year = last_year_import(workspace, rezept)

    new_year = next_year_workspace(workspace)
    result = run_with_rezept(new_year, rezept)
    shown = compare_with_last_year(new_year, result, last_year=last_year)

    assert all(
        p.parent == tmp_path / school / "naechstes_jahr" for p in new_year.exports
    )
    assert result.counts.adds_up()
    assert (
        read_import(new_year.out / "eltern_import.csv").height
        < read_import(last_year).height
    )
    assert "Nicht mehr enthalten" in shown.data
    assert (new_year.out / "vergleich.csv").is_file()
    assert workspace.out.parent == tmp_path / school


def test_named_new_export_is_used_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WORK_FOLDER_VARIABLE, str(tmp_path))
    workspace = open_workspace("gymnasium_nord", rezept=tmp_path / "r.toml")

    new_year = next_year_workspace(workspace, exports=workspace.exports)

    assert new_year.exports == workspace.exports
    assert new_year.pupil_list is None
    assert not (tmp_path / "naechstes_jahr").exists()
