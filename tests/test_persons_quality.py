"""Measured quality of person resolution against known true persons.

Targets of issue 4: no wrong merge; after the automatic stage at most 1 % of
parents with several rows split; with recorded review decisions, none.
Runs on synthetic families (``persons_synth``) and, when the sample data with
its truth files exists, on every sample export through the whole pipeline.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from persons_synth import pair_quality, synthetic_long

from elternkit.persons import PairDecision, find_duplicates

SAMPLE = Path(__file__).parent.parent / "sample_data"


@pytest.fixture(scope="module")
def synthetic() -> pl.DataFrame:
    return synthetic_long(1500, seed=11)


def _resolve(frame: pl.DataFrame, **kwargs: object) -> tuple[pl.DataFrame, object]:
    res = find_duplicates(frame.drop("person_wahr"), **kwargs)
    return res.frame.with_columns(frame["person_wahr"]), res


def test_automatic_stage_meets_the_targets(synthetic: pl.DataFrame) -> None:
    out, _ = _resolve(synthetic)

    q = pair_quality(out)

    assert q["falsch_zusammen"] == 0
    assert q["precision"] == 1.0
    assert q["anteil_getrennt"] <= 0.01
    assert q["recall"] > 0.99


def test_review_decisions_leave_no_split(synthetic: pl.DataFrame) -> None:
    out, res = _resolve(synthetic)
    truth = dict(zip(out["_row"], out["person_wahr"], strict=True))
    unsure = res.pairs.filter(pl.col("entscheidung") == "unsicher")
    decisions = [
        PairDecision(
            r["key_a"], r["key_b"], same=truth[r["_row_a"]] == truth[r["_row_b"]]
        )
        for r in unsure.iter_rows(named=True)
    ]

    reviewed, _ = _resolve(synthetic, decisions=decisions)

    q = pair_quality(reviewed)
    assert q["falsch_zusammen"] == 0
    assert q["extra_konten"] == 0


def _sample_schools() -> list[Path]:
    return sorted(p.parent for p in SAMPLE.glob("*/wahrheit.csv"))


@pytest.mark.parametrize("school", _sample_schools(), ids=lambda p: p.name)
def test_sample_exports_meet_the_targets(school: Path) -> None:
    job = pytest.importorskip("elternkit.job")
    pipeline = pytest.importorskip("elternkit.pipeline")
    inputs = job.find_school_inputs(school)
    result = pipeline.prepare(inputs.exports, pupil_list=inputs.pupil_list)
    truth = pl.read_csv(school / "wahrheit.csv", separator=";", infer_schema=False)
    truth = truth.select(
        "quelle",
        pl.col("zeile").cast(pl.Int64),
        pl.col("slot").alias("_slot_wahr"),
        "person_wahr",
        pl.len().over("quelle", "zeile").alias("_n"),
    )
    # Long files have one guardian per row (slot "1" in the truth); wide files
    # name the block ("1", "2", "V", "M"), a split cell adds "a"/"b".
    # A cell with two guardians has both true persons, "P1|P2": 1a is the first.
    rows = result.exported.join(truth, on=["quelle", "zeile"], how="inner").filter(
        (pl.col("_n") == 1) | (pl.col("slot").str.slice(0, 1) == pl.col("_slot_wahr"))
    )
    part = pl.when(pl.col("slot").str.ends_with("b")).then(1).otherwise(0)
    rows = rows.with_columns(
        pl.col("person_wahr").str.split("|").list.get(part, null_on_oob=True)
    )

    q = pair_quality(rows)

    assert rows.height > 0
    assert q["falsch_zusammen"] == 0
    assert q["anteil_getrennt"] <= 0.01
