"""Output safety: no formulas, no null words, the import reads back the same."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from messy_exports import messy_exports
from run_outputs import assert_safe_outputs, run_cli, workbook_cells

from elternkit.check_fields import is_formula_like
from elternkit.job import neutralize_formulas
from elternkit.write import CHANGES_FILE, FINDINGS_FILE, WORKBOOK_FILE

RISKY = (
    "Kind-ID;Vorname;Nachname;Adresse;E-Mail;Telefon;Auskunftssperre\n"
    '-5;Anna;Beispiel;"=HYPERLINK(""x"")";anna@example.org;+49 351 1234567;\n'
    "1002;Lars;Muster;@Hinterhaus;=lars@example.org;0351 7654321;ja\n"
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("@SUMME(A1)", "'@SUMME(A1)"),
        ("-Eva", "'-Eva"),
        ("+Tom", "'+Tom"),
        ("\tAnna", "'\tAnna"),
        ("+49 (0)351 1234567", "+49 (0)351 1234567"),
        ("-", "-"),
        ("Anna", "Anna"),
        (None, None),
    ],
    ids=["equals", "at", "minus-word", "plus-word", "tab", "phone", "dash", "plain",
         "null"],
)  # fmt: skip
def test_neutralize_formulas(value, written):
    frame = pl.DataFrame({"wert": [value]}, schema={"wert": pl.String})

    assert neutralize_formulas(frame)["wert"].to_list() == [written]


@pytest.fixture
def risky_run(tmp_path, capsys):
    path = tmp_path / "riskant.csv"
    path.write_text(RISKY, encoding="utf-8")
    return run_cli(capsys, tmp_path / "aus", path)


def test_import_keeps_true_values_and_reports_formula_starts(risky_run):
    rows = {r[5]: r for r in risky_run.rows()}

    assert rows["-5"][2] == '=HYPERLINK("x")'
    assert rows["1002"][2] == "@Hinterhaus"
    found = [(f[1], f[2]) for f in risky_run.findings()]
    assert ("-5", "formel_zeichen_import") in found
    assert ("1002", "formel_zeichen_import") in found
    assert ("1002", "auskunftssperre") in found


def test_review_files_hold_no_formula(risky_run):
    for name in (FINDINGS_FILE, CHANGES_FILE):
        table = risky_run.table(name)
        for column in table.columns:
            assert not any(is_formula_like(v) for v in table[column].to_list())
    cells = workbook_cells(risky_run.out / WORKBOOK_FILE)
    assert '=HYPERLINK("x")' in cells["Import"][1] + cells["Import"][2]
    assert_safe_outputs(risky_run.out)


def test_hold_auskunftssperre_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "sperre.csv"
    path.write_text(RISKY, encoding="utf-8")

    run = run_cli(capsys, tmp_path / "aus", path, "--sperre-zurueckhalten")

    assert [r[5] for r in run.rows()] == ["-5"]
    assert ("1002", "auskunftssperre_zurueckgehalten") in [
        (f[1], f[2]) for f in run.findings()
    ]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(export=messy_exports(max_rows=6))
def test_outputs_of_random_exports_are_safe(tmp_path_factory, capsys, export):
    folder = tmp_path_factory.mktemp("zufall")
    path = export.write(folder)

    run = run_cli(capsys, folder / "aus", path)

    assert run.code in (0, 2), run.stderr
    if run.code == 0:
        assert_safe_outputs(run.out)
    else:
        assert run.stderr.startswith("Fehler: ")
        assert not Path(run.out / "eltern_import.csv").exists()


SIBLINGS = (
    "Kind-ID;Vorname;Nachname;Straße;PLZ;Ort;E-Mail;Auskunftssperre\n"
    "1001;Anna;Beispiel;Weg 1;01067;Dresden;anna@example.org;ja\n"
    "1002;Anna;Beispiel;Weg 1;01067;Dresden;anna@example.org;\n"
    "1003;Lars;Muster;Gasse 2;01067;Dresden;lars@example.org;nein\n"
)


@pytest.mark.parametrize(
    ("args", "exported", "code"),
    [
        ((), ["1001", "1002", "1003"], "auskunftssperre_person"),
        (("--sperre-zurueckhalten",), ["1003"],
         "auskunftssperre_person_zurueckgehalten"),
    ],
    ids=["review", "held-back"],
)  # fmt: skip
def test_auskunftssperre_on_one_sibling_covers_the_person(
    tmp_path, capsys, args, exported, code
):
    path = tmp_path / "geschwister.csv"
    path.write_text(SIBLINGS, encoding="utf-8")

    run = run_cli(capsys, tmp_path / "aus", path, *args)

    assert sorted(r[5] for r in run.rows()) == exported
    assert (3, "1002", code) in run.findings()
    assert not any(f[2].startswith("auskunftssperre") and f[1] == "1003"
                   for f in run.findings())  # fmt: skip
    meldung = run.table("probleme.csv").filter(pl.col("code") == code)["meldung"]
    assert "in einer anderen Zeile (Zeile 2)" in meldung[0]


def test_maybe_same_person_as_a_blocked_parent_is_warned(tmp_path, capsys):
    path = tmp_path / "geschwister.csv"
    path.write_text(
        "Kind-ID;Vorname;Nachname;Straße;PLZ;Ort;Auskunftssperre\n"
        "1001;Th.;Roth;Weg 1;01067;Dresden;ja\n"
        "1002;Thomas;Roth;Weg 1;01067;Dresden;\n"
        "1003;Lars;Muster;Gasse 2;01067;Dresden;\n",
        encoding="utf-8",
    )

    run = run_cli(capsys, tmp_path / "aus", path, "--sperre-zurueckhalten")

    assert (3, "1002", "auskunftssperre_vielleicht") in run.findings()
    assert not any(f[1] == "1003" and "auskunftssperre" in f[2]
                   for f in run.findings())  # fmt: skip
