"""Replay of a Rezept on next year's export of the same families.

Year 1: a generated DaNiS export whose ID column has an unknown header
(mapped by hand), decisions of every kind recorded in a Rezept. Year 2: the
same families, some pupils left, new pupils came, one family moved, and the
hand-mapped header renamed. The replay applies what still fits, lists the rest
as conflicts, and never fails as a whole.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from elternkit.cli import main
from elternkit.persons import PairDecision
from elternkit.persons_keys import fingerprint_expr
from elternkit.pipeline import JobResult, prepare
from elternkit.replay import name_cell_keys, render_replay
from elternkit.rezept import Decision, Rezept
from sample_data.generate import generate_school

ENCODING = "cp1252"
ID_YEAR1, ID_YEAR2 = "Lfd Kennz", "LfdKenz"


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding=ENCODING, newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=ENCODING, newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)
    return path


def _keyed(result: JobResult) -> pl.DataFrame:
    return result.exported.with_columns(fingerprint_expr())


@dataclass
class Story:
    year1: JobResult
    year2: JobResult
    rezept: Rezept
    numbers: dict[str, int]  # label → decision number in the Rezept
    left: list[str]
    moved: str
    new_ids: list[str]
    files: dict[str, Path]


def _single_kids(result: JobResult) -> list[str]:
    """Kind-IDs with two guardians, no findings, and no sibling."""
    rows = _keyed(result)
    persons_with_one_kid = rows.group_by("person").agg(pl.col("kind_id").n_unique())
    single = persons_with_one_kid.filter(pl.col("kind_id") == 1)["person"]
    kids = (
        rows.filter(pl.col("person").is_in(single.implode()))
        .group_by("kind_id")
        .len()
        .filter(pl.col("len") == 2)["kind_id"]
    )
    flagged = result.findings["kind_id"].drop_nulls().unique()
    return sorted(set(kids.to_list()) - set(flagged.to_list()))


def _row(result: JobResult, kind_id: str, index: int = 0) -> dict:
    rows = _keyed(result).filter(pl.col("kind_id") == kind_id).sort("fingerprint")
    return rows.row(index, named=True)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    base = tmp_path_factory.mktemp("rezept")
    school = generate_school("danis", pupils=60, seed=5, out=base / "gen1")
    rows = _read(school.exports[0])
    rows[0][0] = ID_YEAR1
    export1 = _write(base / "jahr1" / "danis_export.csv", rows)

    rezept = Rezept.new("Grundschule am See")
    year1 = prepare([export1], user_mapping={ID_YEAR1: ("kind_id", None)})
    rezept.set_mapping(year1.sources[0].mapping, datei=export1.name)

    kids = _single_kids(year1)
    swap, excl, excl_gone, email, moved, pair_gone, apart = kids[:7]
    who = {"autor": "Frau Sekretariat", "datum": "2025-08-20"}
    numbers: dict[str, int] = {}

    def add(label: str, decision: Decision) -> None:
        rezept.add_decision(decision)
        numbers[label] = len(rezept.decisions)

    add("tauschen", Decision("tauschen", (_row(year1, swap)["fingerprint"],), **who))
    add(
        "ausschliessen",
        Decision(
            "ausschliessen",
            (_row(year1, excl)["fingerprint"],),
            notiz="kein Sorgerecht laut Beschluss",
            **who,
        ),
    )
    add(
        "ausschliessen_weg",
        Decision("ausschliessen", (_row(year1, excl_gone)["fingerprint"],), **who),
    )
    target = _row(year1, email)
    add(
        "wert",
        Decision(
            "wert",
            (target["fingerprint"],),
            feld="email",
            wert="neu.adresse@example.org",
            alt=target["email"],
            **who,
        ),
    )
    home = _row(year1, moved)
    add(
        "wert_umgezogen",
        Decision(
            "wert",
            (home["fingerprint"],),
            feld="adresse",
            wert="Am Markt 1, 31515 Wunstorf",
            alt=home["adresse"],
            **who,
        ),
    )
    a, b = _row(year1, pair_gone, 0), _row(year1, pair_gone, 1)
    pair = PairDecision(a["fingerprint"], b["fingerprint"], same=False)
    add("paar_weg", Decision.from_pair(pair, **who))
    sure = year1.pairs.filter(pl.col("zusammen")).row(0, named=True)
    add(
        "verschieden",
        Decision.from_pair(
            PairDecision(sure["key_a"], sure["key_b"], same=False), **who
        ),
    )
    cell = name_cell_keys(year1.long, year1.changes, year1.findings)
    cell = cell.filter(pl.col("code") == "name_geteilt").row(0, named=True)
    add("nicht_teilen", Decision("nicht_teilen", (cell["schluessel"],), **who))
    r = _row(year1, apart, 0)
    add(
        "gewinner",
        Decision(
            "gewinner", (r["fingerprint"],), feld="telefon", wert="+4951315550000"
        ),
    )
    rezept.save(base / "rezept.toml")

    # next year: pupils left, new pupils, one family moved, a header renamed
    left = [excl_gone, pair_gone, *kids[7:10]]
    year2_rows = [rows[0][:]] + [r for r in rows[1:] if r[0] not in left]
    year2_rows[0][0] = ID_YEAR2
    newcomers = _read(
        generate_school("danis", pupils=8, seed=99, out=base / "gen2").exports[0]
    )[1:]
    ids = [r[0] for r in newcomers]
    newcomers = [r for r in newcomers if r[0] and ids.count(r[0]) == 1][:5]
    year2_rows += newcomers
    header = year2_rows[0]
    for r in year2_rows:
        if r[0] == moved:
            for block in ("Erz1", "Erz2"):
                r[header.index(f"{block}_Straße")] = "Neue Straße 9"
                r[header.index(f"{block}_PLZ")] = "30159"
                r[header.index(f"{block}_Ort")] = "Hannover"
    export2 = _write(base / "jahr2" / "danis_export.csv", year2_rows)
    loaded = Rezept.load(base / "rezept.toml")
    year2 = prepare([export2], rezept=loaded)
    files = {"export1": export1, "export2": export2, "rezept": base / "rezept.toml"}
    new_ids = [r[0] for r in newcomers]
    return Story(year1, year2, loaded, numbers, left, moved, new_ids, files)


def _outcome(story: Story, label: str) -> str:
    entry = story.year2.replay.entries[story.numbers[label] - 1]
    return entry.status


@pytest.mark.parametrize(
    ("label", "status"),
    [
        pytest.param("tauschen", "angewendet", id="swap-survives"),
        pytest.param("ausschliessen", "angewendet", id="exclude-survives"),
        pytest.param("ausschliessen_weg", "konflikt", id="exclude-pupil-left"),
        pytest.param("wert", "angewendet", id="value-survives"),
        pytest.param("wert_umgezogen", "konflikt", id="value-family-moved"),
        pytest.param("paar_weg", "konflikt", id="pair-pupil-left"),
        pytest.param("verschieden", "angewendet", id="keep-apart-survives"),
        pytest.param("nicht_teilen", "angewendet", id="keep-cell-survives"),
        pytest.param("gewinner", "angewendet", id="winner-survives"),
    ],
)
def test_replay_outcome_per_decision(story: Story, label: str, status: str) -> None:
    assert _outcome(story, label) == status


def test_replay_counts_add_up_and_nothing_fails(story: Story) -> None:
    log = story.year2.replay
    assert len(log.entries) == len(story.rezept.decisions)
    assert log.count("konflikt") == 3
    assert story.year2.counts.adds_up()
    exported = set(story.year2.exported["kind_id"])
    assert set(story.new_ids) <= exported
    assert not set(story.left) & exported


def test_conflicts_say_why_in_german(story: Story) -> None:
    gone = story.year2.replay.entries[story.numbers["ausschliessen_weg"] - 1]
    moved = story.year2.replay.entries[story.numbers["wert_umgezogen"] - 1]
    assert "steht nicht mehr im Export" in gone.grund
    assert "in der Quelle geändert" in moved.grund


def test_renamed_header_is_rematched(story: Story) -> None:
    notes = story.year2.replay.mapping
    assert [n.behoben for n in notes] == [True]
    assert f"„{ID_YEAR1}“ heißt jetzt „{ID_YEAR2}“" in notes[0].grund
    assert story.year2.exported["kind_id"].null_count() == 0


def test_applied_decisions_change_the_export(story: Story) -> None:
    changes = story.year2.changes.filter(pl.col("regel") == "rezept")
    assert set(changes["feld"]) == {"vorname", "nachname", "email"}
    assert "neu.adresse@example.org" in story.year2.exported["email"].to_list()
    held = story.year2.findings.filter(pl.col("code") == "ausgeschlossen_rezept")
    assert held.height == 1
    assert "kein Sorgerecht" in held["meldung"][0]
    assert story.year2.counts.geteilt == 0


def test_keep_apart_decision_splits_a_sure_pair(story: Story) -> None:
    pair = story.rezept.decisions[story.numbers["verschieden"] - 1]
    keyed = _keyed(story.year2).filter(
        pl.col("fingerprint").is_in(list(pair.schluessel))
    )
    assert keyed["person"].n_unique() == 2


def test_report_section_names_no_parent(story: Story) -> None:
    text = render_replay(story.year2.replay)
    assert "9 Entscheidungen: 6 wurden angewendet" in text
    for name in story.year2.exported["nachname"].drop_nulls().unique().to_list():
        assert name not in text


def test_without_rezept_the_renamed_header_fails(story: Story) -> None:
    from elternkit.errors import MappingError

    path = story.year2.sources[0].export.info.path
    with pytest.raises(MappingError, match="Kind-ID wurden nicht gefunden"):
        prepare([path])


def test_cli_run_with_rezept_and_last_year(
    story: Story, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = tmp_path / "vorjahr"
    first = [str(story.files["export1"]), "--zuordnung", f"Kind-ID={ID_YEAR1}"]
    assert main(["run", *first, "--out", str(last)]) == 0
    out = tmp_path / "neu"

    code = main(
        [
            "run",
            str(story.files["export2"]),
            "--rezept",
            str(story.files["rezept"]),
            "--vorjahr",
            str(last / "eltern_import.csv"),
            "--telefon-format",
            "international",
            "--out",
            str(out),
        ]
    )

    said = capsys.readouterr().out
    assert code == 0
    assert "Rezept: 6 Entscheidungen angewendet" in said
    report = (out / "protokoll.md").read_text(encoding="utf-8")
    assert "## Rezept: frühere Entscheidungen" in report
    assert "## Vergleich mit dem Vorjahr" in report
    assert (out / "vergleich.csv").exists()
    phones = pl.read_csv(out / "eltern_import.csv", separator=";", infer_schema=False)
    cleaned = (
        phones["Telefonnummer"]
        .drop_nulls()
        .filter(
            phones["Telefonnummer"].drop_nulls()
            != "+4951315550000"  # set by the Rezept
        )
    )
    assert cleaned.str.contains(" ").all()
