"""Every rule name that reaches aenderungen.csv has a German explanation."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from elternkit.cli import sample_data_dir
from elternkit.job import find_school_inputs
from elternkit.pipeline import prepare
from elternkit.regeln import RULE_TEXTS, describe_rules, explain_rule, split_rules

PACKAGE = Path(__file__).parent.parent / "elternkit"


def test_every_rule_of_the_sample_runs_is_explained():
    rules: set[str] = set()
    for folder in sorted(sample_data_dir().iterdir()):
        if not folder.is_dir() or not (folder / "wahrheit.csv").exists():
            continue
        inputs = find_school_inputs(folder)
        result = prepare(inputs.exports, pupil_list=inputs.pupil_list)
        for rule in result.changes["regel"].drop_nulls().unique():
            rules.update(split_rules(rule))

    unexplained = sorted(r for r in rules if r not in RULE_TEXTS)

    assert unexplained == []
    assert len(rules) > 5


def test_every_rule_literal_in_the_cleaning_code_is_explained():
    literals: set[str] = set()
    pattern = re.compile(r'(?:rule=|Outcome\([^,()]*,\s*)"([a-z_]+)"')
    for module in PACKAGE.glob("*.py"):
        literals.update(pattern.findall(module.read_text(encoding="utf-8")))

    assert sorted(literals - set(RULE_TEXTS)) == []
    assert literals


def test_combined_rules_are_explained_part_by_part():
    text = explain_rule("unsichtbare_zeichen+leerzeichen")

    assert text.startswith("Unsichtbare Zeichen")
    assert "doppelte Leerzeichen" in text


def test_rule_table_lists_each_rule_once():
    table = describe_rules()

    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(RULE_TEXTS)
    assert pl.Series(rows).n_unique() == len(rows)


def test_rules_doc_is_up_to_date():
    from elternkit.regeln import render_rules_markdown

    doc = Path(__file__).parent.parent / "docs" / "regeln.md"

    assert doc.read_text(encoding="utf-8") == render_rules_markdown(), (
        "docs/regeln.md ist veraltet: uv run python -m elternkit.regeln"
    )
