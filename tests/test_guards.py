"""Guards against outputs that would harm the school: an empty import file."""

from __future__ import annotations

import pytest

from elternkit.cli import main, sample_data_dir

SCHOOL = sample_data_dir() / "grundschule_am_see"


def _pupil_list_without_zeros(tmp_path):
    source = (SCHOOL / "schueler_ids.csv").read_bytes().decode("cp1252")
    lines = source.splitlines()
    stripped = [lines[0]] + [
        line.split(";", 1)[0].lstrip("0") + ";" + line.split(";", 1)[1]
        for line in lines[1:]
        if line
    ]
    path = tmp_path / "schueler_ohne_nullen.csv"
    path.write_text("\n".join(stripped) + "\n", encoding="utf-8")
    return path


def test_all_rows_held_back_writes_nothing_and_keeps_earlier_output(tmp_path, capsys):
    out = tmp_path / "ausgabe"
    export = str(SCHOOL / "danis_export.csv")
    good = str(SCHOOL / "schueler_ids.csv")
    assert main(["run", export, "--schueler", good, "--out", str(out)]) == 0
    before = (out / "eltern_import.csv").read_bytes()
    broken = str(_pupil_list_without_zeros(tmp_path))

    code = main(["run", export, "--schueler", broken, "--out", str(out)])

    assert code == 2
    assert (out / "eltern_import.csv").read_bytes() == before
    message = capsys.readouterr().err
    assert "Keine einzige Elternzeile" in message
    assert "führende" in message
    assert "kind_id_unbekannt" in message


@pytest.mark.parametrize("n", [1, 2])
def test_reason_counts_are_grammatical(n):
    import polars as pl

    from elternkit.check import require_exported_rows
    from elternkit.errors import InputError
    from elternkit.schema import empty_findings, empty_long

    findings = pl.concat(
        [
            empty_findings(),
            pl.DataFrame(
                {
                    "_row": list(range(n)),
                    "schwere": ["fehler"] * n,
                    "code": ["name_fehlt"] * n,
                },
                schema={"_row": pl.UInt32, "schwere": pl.String, "code": pl.String},
            ),
        ],
        how="diagonal_relaxed",
    )

    expected = (
        f"„Elternteil ohne Namen“ \\(name_fehlt, {n} Zeile{'n' if n > 1 else ''}\\)"
    )
    with pytest.raises(InputError, match=expected):
        require_exported_rows(empty_long(), findings)


def test_value_rule_on_the_kind_id_column_reports_findings():
    import polars as pl

    from elternkit.findings import Hit
    from elternkit.rules import Outcome, apply_value_rule
    from elternkit.schema import conform_long

    frame = conform_long(pl.DataFrame({"_row": [0], "zeile": [2], "kind_id": ["1e5"]}))

    stage = apply_value_rule(
        frame, "kind_id", lambda v: Outcome(v, hits=(Hit("kind_id_fehlt"),))
    )

    assert stage.findings.select("zeile", "kind_id", "code").rows() == [
        (2, "1e5", "kind_id_fehlt")
    ]


def test_most_rows_held_back_stops_unless_partial_is_asked_for(tmp_path, capsys):
    pupils = tmp_path / "zwei.csv"
    pupils.write_text(
        "Kind-ID;Vorname;Nachname\n004711;A;B\n053492;C;D\n", encoding="utf-8"
    )
    export = str(SCHOOL / "danis_export.csv")
    out = tmp_path / "aus"

    refused = main(["run", export, "--schueler", str(pupils), "--out", str(out)])
    message = capsys.readouterr().err
    allowed = main(
        ["run", export, "--schueler", str(pupils), "--out", str(out), "--teilweise"]
    )

    assert refused == 2
    assert "--teilweise" in message
    assert "Nur " in message
    assert allowed == 0
    assert (out / "eltern_import.csv").is_file()


def test_vorjahr_warning_reaches_the_console(tmp_path, capsys):
    old = tmp_path / "alt.csv"
    header = "Vorname;Nachname;Adresse;E-Mail;Telefonnummer;Kind-ID\n"
    rows = "".join(f"Anna{i};Beispiel;;;;9{i:05d}\n" for i in range(400))
    old.write_text(header + rows, encoding="utf-8")
    export = str(SCHOOL / "danis_export.csv")
    pupils = str(SCHOOL / "schueler_ids.csv")

    code = main(
        [
            "run",
            export,
            "--schueler",
            pupils,
            "--out",
            str(tmp_path / "o"),
            "--vorjahr",
            str(old),
        ]
    )

    assert code == 0
    assert "Achtung:" in capsys.readouterr().err
