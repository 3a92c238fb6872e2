"""The whole job on the bundled sample schools: real files in, real files out.

``eltern_import.csv`` is compared byte for byte with a reviewed expected file
in ``tests/expected/<schule>/``. After a deliberate change of behaviour,
regenerate them with ``ELTERNKIT_UPDATE_EXPECTED=1 uv run pytest
tests/test_end_to_end.py`` and review the diff before committing.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import polars as pl
import pytest

from elternkit.cli import main, sample_data_dir
from elternkit.job import find_school_inputs, run_job
from elternkit.read import read_export
from elternkit.schema import IMPORT_HEADER

EXPECTED = Path(__file__).parent / "expected"
SCHOOLS = sorted(
    p.name
    for p in sample_data_dir().iterdir()
    if p.is_dir() and (p / "wahrheit.csv").exists()
)
OUTPUTS = (
    "eltern_import.csv",
    "probleme.csv",
    "aenderungen.csv",
    "eltern_pruefung.xlsx",
    "protokoll.md",
)


@pytest.fixture(scope="module", params=SCHOOLS)
def school_run(request, tmp_path_factory):
    inputs = find_school_inputs(sample_data_dir() / request.param)
    out = tmp_path_factory.mktemp(request.param)
    result = run_job(
        inputs.exports, out=out, pupil_list=inputs.pupil_list, school=inputs.name
    )
    return request.param, inputs, result, out


def test_sample_schools_are_found():
    assert SCHOOLS == ["bbs_mitte", "grundschule_am_see", "gymnasium_nord"]


def test_import_file_matches_reviewed_expected_file(school_run):
    school, _, _, out = school_run
    produced = (out / "eltern_import.csv").read_bytes()
    expected_file = EXPECTED / school / "eltern_import.csv"

    if os.environ.get("ELTERNKIT_UPDATE_EXPECTED"):
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_bytes(produced)

    assert produced == expected_file.read_bytes()


def test_every_output_is_written_and_import_header_is_exact(school_run):
    _, _, _, out = school_run

    assert all((out / name).is_file() for name in OUTPUTS)
    first_line = (out / "eltern_import.csv").read_text(encoding="utf-8").split("\n")[0]
    assert first_line == ";".join(IMPORT_HEADER)


def test_counts_add_up_and_every_guardian_is_accounted_for(school_run):
    _, _, result, out = school_run
    c = result.counts

    assert c.adds_up()
    imported = pl.read_csv(out / "eltern_import.csv", separator=";", infer_schema=False)
    assert imported.height == c.exportiert
    held = result.long.filter(pl.col("_zurueckgehalten"))
    assert held.height == c.zurueckgehalten
    problem_rows = set(result.findings.filter(pl.col("schwere") == "fehler")["_row"])
    assert set(held["_row"]) <= problem_rows


def test_import_file_reads_back_as_the_same_table(school_run):
    _, _, _, out = school_run

    export = read_export(out / "eltern_import.csv")

    direct = pl.read_csv(out / "eltern_import.csv", separator=";", infer_schema=False)
    assert export.frame.drop("zeile").equals(direct)
    assert export.info.encoding == "utf-8"


def test_no_output_cell_spells_a_missing_value(school_run):
    _, _, _, out = school_run

    for name in ("eltern_import.csv", "probleme.csv", "aenderungen.csv"):
        frame = pl.read_csv(out / name, separator=";", infer_schema=False)
        for column in frame.columns:
            values = set(frame[column].drop_nulls().to_list())
            assert not values & {"nan", "None", "null", "NaN"}, (name, column)


def test_second_run_is_byte_identical(school_run, tmp_path):
    _, inputs, _, out = school_run

    run_job(inputs.exports, out=tmp_path, pupil_list=inputs.pupil_list)

    for name in ("eltern_import.csv", "probleme.csv", "aenderungen.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_persons_match_the_truth_of_the_generator(school_run):
    """Pairwise: no two true persons merged, no true person split."""
    school, _, result, _ = school_run
    truth = pl.read_csv(
        sample_data_dir() / school / "wahrheit.csv",
        separator=";",
        infer_schema=False,
    ).filter(~pl.col("person_wahr").str.contains("|", literal=True))
    truth = truth.with_columns(pl.col("zeile").cast(pl.Int64))
    keys = ["quelle", "zeile"] if school == "bbs_mitte" else ["quelle", "zeile", "slot"]
    got = result.exported.select(*keys, "person")
    joined = got.join(truth.select(*keys, "person_wahr"), on=keys, how="inner")

    assert joined.height >= 0.95 * got.height
    merged_wrongly, split_wrongly = [], []
    for a, b in itertools.combinations(joined.iter_rows(named=True), 2):
        same_found = a["person"] == b["person"]
        same_true = a["person_wahr"] == b["person_wahr"]
        if same_found and not same_true:
            merged_wrongly.append((a["zeile"], b["zeile"]))
        if same_true and not same_found:
            split_wrongly.append((a["zeile"], b["zeile"]))
    assert merged_wrongly == []
    assert split_wrongly == []


def test_cli_demo_writes_one_folder_per_school(tmp_path, capsys):
    code = main(["demo", "--out", str(tmp_path)])

    assert code == 0
    for school in SCHOOLS:
        assert (tmp_path / school / "eltern_import.csv").is_file()
    said = capsys.readouterr().out
    assert "Elternzeilen gelesen" in said
    assert "eltern_import.csv" in said
