"""The benchmark at its smallest size, as a smoke test (never timed here)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "benchmark_run", ROOT / "benchmarks" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_at_the_smallest_size(bench, tmp_path: Path, capsys):
    result_file = tmp_path / "ergebnis.json"

    code = bench.main(
        ["--rows", "2500", "--daten", str(tmp_path), "--json", str(result_file)]
    )

    table = capsys.readouterr().out
    (result,) = json.loads(result_file.read_text(encoding="utf-8"))
    assert code == 0
    assert result["adds_up"] is True
    assert 2_000 < result["rows"] < 3_000
    assert set(result["stages"]) == {label for label, _ in bench.STAGES}
    assert sum(result["stages"].values()) == pytest.approx(result["total"], rel=0.05)
    assert result["peak_mb"] > 0
    assert "| **ganzer Lauf** |" in table
    assert "Kerne" in table


def test_joined_schools_keep_kind_ids_unique(bench, tmp_path: Path):
    exports, pupil_list = bench.generate(5_000, style="danis", seed=3, folder=tmp_path)

    ids = [
        line.split(";")[0]
        for line in pupil_list.read_text(encoding="cp1252").splitlines()[1:]
    ]
    header_lines = [
        line for line in exports[0].read_bytes().splitlines() if b"Erz1_Vorname" in line
    ]
    assert len(ids) > 2_000
    assert len(set(ids)) > 0.99 * len(ids)  # only the planted kind_id_doppelt repeat
    assert all(len(i) == 10 and i.isdigit() for i in ids)
    assert {i[:4] for i in ids} == {"0000", "0001"}
    assert len(header_lines) == 1


@pytest.mark.parametrize(
    ("row_factor", "time_factor", "per_ten"),
    [(10, 10, 10.0), (20, 20, 10.0), (10, 100, 100.0), (20, 24, 11.5)],
    ids=["linear-10x", "linear-20x", "quadratic", "slightly-superlinear"],
)
def test_growth_per_ten_times_the_rows(bench, row_factor, time_factor, per_ten):
    small = {"total": 1.0, "rows": 1_000, "stages": {"lesen": 2.0}}
    large = {
        "total": float(time_factor),
        "rows": 1_000 * row_factor,
        "stages": {"lesen": 2.0 * time_factor},
    }

    total = bench.growth(small, large)
    stage = bench.growth(small, large, "lesen")

    expected = time_factor ** (math.log(10) / math.log(row_factor))
    assert expected == pytest.approx(per_ten, rel=0.01)
    assert total == pytest.approx(expected)
    assert stage == pytest.approx(expected)
    assert (total <= bench.TARGET_GROWTH) is (expected <= 12)
