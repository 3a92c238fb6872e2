"""Run the whole job and write its files; find a school's inputs in a folder."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from elternkit.check_fields import FORMULA_START
from elternkit.errors import InputError
from elternkit.options import Options
from elternkit.persons import preview_iserv, render_preview
from elternkit.pipeline import JobResult, prepare
from elternkit.report import render_report
from elternkit.rezept import Rezept
from elternkit.rezept_report import extra_outputs
from elternkit.schema import ROW_ID
from elternkit.workbook import write_workbook
from elternkit.write import (
    CHANGES_FILE,
    FINDINGS_FILE,
    IMPORT_FILE,
    REPORT_FILE,
    WORKBOOK_FILE,
    changes_table,
    findings_table,
    import_table,
    write_csv,
    write_outputs,
)

logger = logging.getLogger(__name__)

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
        FINDINGS_FILE: lambda p: write_csv(
            neutralize_formulas(findings), p, with_bom=True
        ),
        CHANGES_FILE: lambda p: write_csv(
            neutralize_formulas(changes), p, with_bom=True
        ),
        WORKBOOK_FILE: lambda p: write_workbook(
            p, sheets=workbook_sheets(result, imports), summary=summary_lines(result)
        ),
        REPORT_FILE: lambda p: p.write_text(report, encoding="utf-8"),
    }
    for name, table in tables.items():
        writers[name] = lambda p, t=table: write_csv(
            neutralize_formulas(t), p, with_bom=True
        )
    return write_outputs(out, writers)


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
    result: JobResult, imports: pl.DataFrame
) -> list[tuple[str, pl.DataFrame]]:
    """Return the sheets of the review workbook."""
    person_cols = [
        "person",
        "vorname",
        "nachname",
        "adresse",
        "email",
        "telefon",
        "kind_id",
        "kind_vorname",
        "kind_nachname",
        "klasse",
        "quelle",
        "zeile",
    ]
    persons = result.exported.sort("person", "kind_id").select(person_cols)
    held = result.long.filter(pl.col("_zurueckgehalten")).select(
        "zeile",
        "quelle",
        "slot",
        "vorname",
        "nachname",
        "adresse",
        "email",
        "telefon",
        "kind_id",
    )
    findings = result.findings.sort("zeile", "code", nulls_last=True).select(
        "zeile", "quelle", "kind_id", "feld", "wert", "schwere", "code", "meldung"
    )
    changes = result.changes.sort("zeile", ROW_ID, nulls_last=True).select(
        "zeile", "quelle", "feld", "vorher", "nachher", "regel"
    )
    sheets = [
        ("Import", imports),
        ("Probleme", findings),
        ("Personen", persons),
        ("Zurückgehalten", held),
        ("Änderungen", changes),
    ]
    if result.pairs is not None and not result.pairs.is_empty():
        sheets.append(
            (
                "Dubletten",
                result.pairs.drop(
                    [c for c in result.pairs.columns if c.startswith("_")]
                ),
            )
        )
    return sheets


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
    by_severity = dict(result.findings.group_by("schwere").len().iter_rows())
    lines += [
        (f"Befunde: {s}", str(by_severity.get(s, 0)))
        for s in ("fehler", "warnung", "hinweis")
    ]
    return lines
