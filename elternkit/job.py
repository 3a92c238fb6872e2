"""Run the whole job and write its files; find a school's inputs in a folder."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from elternkit.errors import InputError
from elternkit.options import Options
from elternkit.persons import preview_iserv, render_preview
from elternkit.pipeline import JobResult, prepare
from elternkit.regeln import explain_rule, split_rules
from elternkit.report import count_by_severity, render_report
from elternkit.rezept import Rezept
from elternkit.rezept_report import extra_outputs
from elternkit.schema import IMPORT_HEADER, IMPORT_SOURCE, ROW_ID
from elternkit.text import FORMULA_START
from elternkit.workbook import write_workbook
from elternkit.write import (
    CHANGES_FILE,
    FINDINGS_FILE,
    IMPORT_FILE,
    IMPORT_ORDER,
    REPORT_FILE,
    WORKBOOK_FILE,
    changes_table,
    findings_table,
    import_table,
    write_csv,
    write_outputs,
)

logger = logging.getLogger(__name__)

#: Rows per sheet of the review workbook. A large school has about 5,000
#: guardian rows and stays complete; a longer table (a whole district in one
#: file) is cut here with a note on the summary sheet: the workbook is a copy
#: for people to look through, and only the rows shown are ever built, which
#: keeps a state-wide run's time and memory in bounds. The CSV files always
#: keep every row.
WORKBOOK_ROWS = 10_000

#: File endings picked up automatically in a school folder (an explicitly
#: named file may also be ``.txt``; see :mod:`elternkit.read`).
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
#: Name stems of a pupil list inside a school folder.
PUPIL_LIST_STEMS = ("schueler_ids", "schuelerliste", "schueler_liste")
#: Name stems (prefixes) of files in a school folder that are never exports.
IGNORED_STEMS = ("notiz", "liesmich", "readme", "wahrheit", "rezept", "vergleich")


@dataclass(frozen=True)
class SchoolInputs:
    """The exports and the optional pupil list found in a school's folder."""

    name: str
    exports: list[Path]
    pupil_list: Path | None


def find_school_inputs(folder: Path) -> SchoolInputs:
    """Find the exports and the pupil list in a school's folder.

    Only table files (:data:`TABLE_SUFFIXES`) are looked at; hidden files and
    sub-folders are skipped. A pupil list is recognised by its name
    (``schueler_ids.*``, ``schuelerliste.*``, ``schueler_liste.*``); files
    whose name starts with one of :data:`IGNORED_STEMS` (notes, readme, the
    Rezept, a comparison) are never exports. Every other table file is an
    export.
    """
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in TABLE_SUFFIXES
        and not p.name.startswith(".")
    )
    pupils = [p for p in files if p.stem.lower().startswith(PUPIL_LIST_STEMS)]
    exports = [
        p
        for p in files
        if p not in pupils and not p.stem.lower().startswith(IGNORED_STEMS)
    ]
    if not exports:
        raise InputError(
            f"Im Ordner {folder} wurde keine Exportdatei gefunden (gesucht: "
            f"{', '.join(TABLE_SUFFIXES)}; nicht als Export zählen die Schülerliste "
            "und Dateien, deren Name mit "
            f"{', '.join(IGNORED_STEMS)} beginnt). Ohne Export entsteht keine "
            "Importdatei. Bitte den Export der Schule in den Ordner legen."
        )
    return SchoolInputs(folder.name, exports, pupils[0] if pupils else None)


def run_job(
    paths: Sequence[str | Path],
    *,
    out: str | Path = "ausgabe",
    pupil_list: str | Path | None = None,
    user_mapping: Mapping[str, tuple[str, str | None]] | None = None,
    options: Options | None = None,
    school: str | None = None,
    rezept: Rezept | None = None,
    vorjahr: str | Path | None = None,
    allow_partial: bool = False,
    **read_options: object,
) -> JobResult:
    """Run every stage and write the five output files into ``out``.

    Files are written to a temporary folder first and moved into ``out`` only
    when all of them were written. ``rezept`` is replayed (its outcome is a
    section of the report); ``vorjahr``, last year's ``eltern_import.csv``,
    is compared with the new one (report section and ``vergleich.csv``).
    """
    result = prepare(
        paths,
        pupil_list=pupil_list,
        user_mapping=user_mapping,
        options=options,
        rezept=rezept,
        **read_options,  # type: ignore[arg-type]
        allow_partial=allow_partial,
    )
    result.files = write_result(result, Path(out), school=school, vorjahr=vorjahr)
    return result


def write_result(
    result: JobResult,
    out: Path,
    *,
    school: str | None = None,
    vorjahr: str | Path | None = None,
) -> dict[str, Path]:
    """Write the import file, findings, changes, workbook and report."""
    imports = import_table(result.exported)
    sections, tables = extra_outputs(result, imports, vorjahr=vorjahr)
    findings = findings_table(result.findings)
    changes = changes_table(result.changes)
    preview = preview_iserv(result.exported, pupils=result.pupils)
    report = render_report(
        result,
        school=school,
        preview_markdown=render_preview(preview),
        extra_sections=sections,
    )
    writers = {
        IMPORT_FILE: lambda p: write_csv(imports, p),
        FINDINGS_FILE: partial(write_review_csv, findings),
        CHANGES_FILE: partial(write_review_csv, changes),
        WORKBOOK_FILE: lambda p: write_workbook(
            p,
            sheets=workbook_sheets(result, limit=WORKBOOK_ROWS),
            summary=summary_lines(result),
            rows_per_sheet=WORKBOOK_ROWS,
            max_sheets=1,
        ),
        REPORT_FILE: lambda p: p.write_text(report, encoding="utf-8"),
    }
    writers |= {name: partial(write_review_csv, t) for name, t in tables.items()}
    return write_outputs(out, writers)


def write_review_csv(table: pl.DataFrame, path: Path) -> None:
    """Write a CSV meant for Excel: formulas neutralized, with a BOM."""
    write_csv(neutralize_formulas(table), path, with_bom=True)


def neutralize_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``.

    Used for the review files (``probleme.csv``, ``aenderungen.csv``) only,
    never for the import file. Text made only of digits, spaces and ``()/.-``
    after a leading ``+`` or ``-`` (a phone number) stays as it is; a leading
    tab or carriage return counts as a formula start, as in Excel.

    >>> df = pl.DataFrame({"wert": ["=1+1", "+49 (0)351 1", "@x", "-Eva", None]})
    >>> neutralize_formulas(df)["wert"].to_list()
    ["'=1+1", '+49 (0)351 1', "'@x", "'-Eva", None]
    """
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        col = pl.col(name)
        risky = pl.any_horizontal(
            col.str.starts_with(c) for c in FORMULA_START if c not in "+-"
        ) | (
            (col.str.starts_with("+") | col.str.starts_with("-"))
            & ~col.str.contains(r"^[+\-][0-9 ()/.\-]*$")
        )
        exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def workbook_sheets(
    result: JobResult, *, limit: int | None = None
) -> list[tuple[str, pl.DataFrame, int]]:
    """Return the sheets of the review workbook: (name, first rows, all rows).

    Only the first ``limit`` rows of each table are built (all when None);
    the third item is the height of the whole table, for the note on the
    summary sheet (the CSV files always hold every row). ``Import`` holds the
    upload rows in the order of ``eltern_import.csv`` with the context a
    reviewer needs beside them (person, child, class, source row);
    ``Personen`` one row per parent account with its children and rows;
    ``Dubletten`` only the pairs worth a look (unsure, merged, or kept apart
    although similar).
    """

    def first(frame: pl.LazyFrame) -> pl.DataFrame:
        return (frame if limit is None else frame.head(limit)).collect()

    findings = first(
        result.findings.lazy()
        .sort("zeile", "code", nulls_last=True, maintain_order=True)
        .select(
            "zeile", "quelle", "kind_id", "feld", "wert", "schwere", "code", "meldung"
        )
    )
    changes = first(
        result.changes.lazy()
        .sort("zeile", ROW_ID, nulls_last=True, maintain_order=True)
        .select("zeile", "quelle", "feld", "vorher", "nachher", "regel")
    )
    held_rows = result.long.lazy().filter(pl.col("_zurueckgehalten"))
    held = first(
        held_rows.select(
            "zeile", "quelle", "slot", "vorname", "nachname", "adresse", "email",
            "telefon", "kind_id",
        )
    )  # fmt: skip
    exported = result.exported
    persons = exported.get_column("person").n_unique() if exported.height else 0
    rules = _rules_sheet(result.changes)
    sheets = [
        ("Import", first(_import_sheet(exported)), exported.height),
        ("Personen", _persons_sheet(exported, limit=limit), persons),
        ("Probleme", findings, result.findings.height),
        ("Zurückgehalten", held, held_rows.select(pl.len()).collect().item()),
        ("Änderungen", changes, result.changes.height),
        ("Regeln", rules, rules.height),
    ]
    pairs = pairs_sheet(result.pairs)
    if pairs is not None and not pairs.is_empty():
        sheets.append(("Dubletten", first(pairs.lazy()), pairs.height))
    return sheets


def _import_sheet(exported: pl.DataFrame) -> pl.LazyFrame:
    kind = pl.concat_str(
        "kind_vorname", "kind_nachname", separator=" ", ignore_nulls=True
    )
    table = exported.lazy().select(
        *[
            pl.col(src).alias(dst)
            for src, dst in zip(IMPORT_SOURCE, IMPORT_HEADER, strict=True)
        ],
        pl.col("person").alias("Person"),
        pl.when(kind != "").then(kind).alias("Kind"),
        pl.col("klasse").alias("Klasse"),
        pl.col("quelle").alias("Quelle"),
        pl.col("zeile").cast(pl.String).alias("Zeile"),
    )
    return table.sort([*IMPORT_ORDER, "Zeile"], nulls_last=True, maintain_order=True)


def _persons_sheet(exported: pl.DataFrame, *, limit: int | None = None) -> pl.DataFrame:
    """One row per parent account: identity, number of children, rows.

    Sorted by the name of each person's first row; with ``limit`` only the
    first ``limit`` persons of that order are built.
    """
    rows = exported.sort("zeile")
    if limit is not None:
        order = (
            rows.group_by("person", maintain_order=True)
            .agg(pl.col("nachname").first(), pl.col("vorname").first())
            .sort("nachname", "vorname", "person", nulls_last=True)
            .head(limit)
        )
        rows = rows.filter(pl.col("person").is_in(order.get_column("person").implode()))
    return (
        rows.group_by("person", maintain_order=True)
        .agg(
            pl.col("vorname").first().alias("Vorname"),
            pl.col("nachname").first().alias("Nachname"),
            pl.col("adresse").first().alias("Adresse"),
            pl.col("email").first().alias("E-Mail"),
            pl.col("telefon").first().alias("Telefonnummer"),
            pl.col("kind_id").n_unique().cast(pl.String).alias("Kinder"),
            pl.col("kind_id")
            .unique(maintain_order=True)
            .str.join(", ")
            .alias("Kind-IDs"),
            pl.col("zeile")
            .cast(pl.String)
            .unique(maintain_order=True)
            .str.join(", ")
            .alias("Zeilen"),
        )
        .rename({"person": "Person"})
        .sort("Nachname", "Vorname", "Person", nulls_last=True)
    )


def _rules_sheet(changes: pl.DataFrame) -> pl.DataFrame:
    """The rules used in this run, each with its German explanation."""
    used = sorted(
        {
            name
            for rule in changes["regel"].drop_nulls().unique()
            for name in split_rules(rule)
        }
    )
    return pl.DataFrame(
        {"regel": used, "erklaerung": [explain_rule(r) for r in used]},
        schema={"regel": pl.String, "erklaerung": pl.String},
    )


#: Pair columns shown in the review workbook, with their German headers.
_PAIR_LABELS = {
    "entscheidung": "Entscheidung",
    "grund": "Grund",
    "score": "Ähnlichkeit",
    "zeile_a": "Zeile A",
    "zeile_b": "Zeile B",
    "vorname_a": "Vorname A",
    "vorname_b": "Vorname B",
    "nachname_a": "Nachname A",
    "nachname_b": "Nachname B",
    "adresse_a": "Adresse A",
    "adresse_b": "Adresse B",
    "email_a": "E-Mail A",
    "email_b": "E-Mail B",
    "telefon_a": "Telefon A",
    "telefon_b": "Telefon B",
    "kind_id_a": "Kind-ID A",
    "kind_id_b": "Kind-ID B",
    "quelle_a": "Quelle A",
    "quelle_b": "Quelle B",
}


def pairs_sheet(pairs: pl.DataFrame | None) -> pl.DataFrame | None:
    """Return the pairs for review (``Resolution.review_pairs``), German headers.

    The unsure pairs, the pairs a user decided, and the merged pairs whose
    names or contact data differ; not the many pairs that were obviously
    different.
    """
    if pairs is None or pairs.is_empty():
        return pairs
    present = [c for c in _PAIR_LABELS if c in pairs.columns]
    return pairs.sort("entscheidung", "zeile_a", "zeile_b", nulls_last=True).select(
        pl.col(c).cast(pl.String).alias(_PAIR_LABELS[c])
        if c != "score"
        else pl.col(c).round(2).cast(pl.String).alias(_PAIR_LABELS[c])
        for c in present
    )


def summary_lines(result: JobResult) -> list[tuple[str, str]]:
    """Return the lines of the workbook's summary sheet."""
    c = result.counts
    lines = [(s.name, f"{s.export.frame.height} Datenzeilen") for s in result.sources]
    lines += [
        ("Elternzeilen gelesen", str(c.gelesen)),
        ("durch Aufteilen hinzugekommen", str(c.geteilt)),
        ("zusammengefasst", str(c.zusammengefasst)),
        ("zurückgehalten", str(c.zurueckgehalten)),
        ("exportiert", str(c.exportiert)),
        ("Elternkonten", str(c.konten)),
        ("Rechnung geht auf", "ja" if c.adds_up() else "NEIN"),
    ]
    by_severity = count_by_severity(result.findings)
    lines += [
        (f"Befunde: {s}", str(by_severity.get(s, 0)))
        for s in ("fehler", "warnung", "hinweis")
    ]
    return lines
