"""The whole job: exports in, IServ import table and its records out.

:func:`prepare` runs every stage in memory and returns a :class:`JobResult`;
:func:`run_job` also writes the five output files. The command line and the
notebooks call these functions and nothing else does the work.

Accounting, which the report shows and the tests assert::

    gelesen + geteilt = exportiert + zurueckgehalten + zusammengefasst

``gelesen`` counts guardian–child rows of the exports, ``geteilt`` the rows
added by splitting two persons in one cell, ``zusammengefasst`` the rows that
repeated another row exactly (or did after the person's fields were made
identical), ``zurueckgehalten`` the rows held back by a ``fehler`` finding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from elternkit import check
from elternkit.clean_address import clean_address
from elternkit.clean_email import clean_email
from elternkit.clean_ids import clean_kind_id
from elternkit.clean_names import clean_names
from elternkit.clean_phone import clean_phone
from elternkit.clean_text import clean_text
from elternkit.errors import InputError, MappingError
from elternkit.findings import concat_findings, held_findings
from elternkit.layouts import attach_pupils, pupils_from, to_long
from elternkit.mapping import (
    ColumnMapping,
    as_pupil_mapping,
    check_mapping,
    suggest_mapping,
)
from elternkit.mapping_user import apply_user_mapping, unknown_columns_error
from elternkit.options import Options
from elternkit.person_flags import (
    FLAG_CODES,
    flagged_rows,
    same_person_findings,
    unsure_partner_findings,
)
from elternkit.persons import find_duplicates, harmonize_persons
from elternkit.read import Export, read_export
from elternkit.replay import Replay, ReplayLog
from elternkit.rules import Stage, concat_changes
from elternkit.schema import IDENTITY_FIELDS, ROW_ID, conform_long

if TYPE_CHECKING:
    from elternkit.rezept import Rezept

logger = logging.getLogger(__name__)


@dataclass
class Source:
    """One input file: what was read, how its columns were mapped, its role."""

    export: Export
    mapping: ColumnMapping
    role: str  # "eltern" (guardian rows) or "schueler" (pupil file)

    @property
    def name(self) -> str:
        """The file name as written to ``quelle``."""
        return self.export.info.path.name


@dataclass
class Counts:
    """The numbers of the report; they add up (see the module docstring)."""

    gelesen: int = 0
    geteilt: int = 0
    zusammengefasst: int = 0
    zurueckgehalten: int = 0
    exportiert: int = 0
    konten: int = 0
    kinder: int = 0

    def adds_up(self) -> bool:
        """Tell whether every read row is accounted for."""
        return self.gelesen + self.geteilt == (
            self.exportiert + self.zurueckgehalten + self.zusammengefasst
        )


@dataclass
class JobResult:
    """Everything a run produced, before or after writing."""

    sources: list[Source]
    long: pl.DataFrame
    exported: pl.DataFrame
    findings: pl.DataFrame
    changes: pl.DataFrame
    counts: Counts
    options: Options
    pupils: pl.DataFrame | None = None
    pairs: pl.DataFrame | None = None
    files: dict[str, Path] = field(default_factory=dict)
    #: German warnings the command line shows on the console after the run.
    warnings: list[str] = field(default_factory=list)
    replay: ReplayLog | None = None  # what the Rezept's decisions did


def load_sources(
    paths: Sequence[str | Path],
    *,
    user_mapping: Mapping[str, tuple[str, str | None]] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    remap: Callable[[Sequence[str]], Mapping[str, tuple[str, str | None]]]
    | None = None,
) -> list[Source]:
    """Read every export and map its columns (the user's mapping wins).

    ``remap`` gives a recorded mapping for a file's columns (a Rezept's,
    re-matched to this year's headers); ``user_mapping`` wins over it.

    Raises
    ------
    InputError
        A file cannot be read.
    MappingError
        A file's columns cannot be mapped; the message lists what is missing.
    """
    if not paths:
        raise InputError("Es wurde keine Exportdatei angegeben.")
    user_mapping = dict(user_mapping or {})
    used: set[str] = set()
    sources = []
    for path in paths:
        export = read_export(
            path,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            header_row=header_row,
        )
        columns = [c for c in export.frame.columns if c != "zeile"]
        mapping = suggest_mapping(columns)
        mine = {c: v for c, v in user_mapping.items() if c in columns}
        recorded = dict(remap(columns)) if remap is not None else {}
        if mine or recorded:
            mapping = apply_user_mapping(mapping, {**recorded, **mine})
            used |= set(mine)
        role = "schueler" if mapping.layout == "schueler" else "eltern"
        sources.append(Source(export, mapping, role))
    unused = [c for c in user_mapping if c not in used]
    if unused:
        found = {c for s in sources for c in s.export.frame.columns} - {"zeile"}
        raise unknown_columns_error(unused, found, absent="in keiner Datei vorkommen")
    if all(s.role == "schueler" for s in sources):
        # a lone pupil-like file is a guardian file with unusual headers
        for s in sources:
            check_mapping(_as_guardian(s.mapping), file_name=s.name)
    for s in sources:
        if s.role == "eltern":
            check_mapping(s.mapping, file_name=s.name)
    return sources


def _as_guardian(mapping: ColumnMapping) -> ColumnMapping:
    back = {"kind_vorname": "vorname", "kind_nachname": "nachname"}
    cols = [replace(c, field=back.get(c.field or "", c.field)) for c in mapping.columns]
    return ColumnMapping(cols, layout="lang", notes=mapping.notes)


def read_pupil_list(path: str | Path) -> pl.DataFrame:
    """Read the pupils' import IDs (CSV or spreadsheet) for the Kind-ID check.

    Returns a table with ``kind_id``, ``kind_vorname``, ``kind_nachname``,
    ``klasse``, ``zeile`` and ``quelle``. Raises :class:`MappingError` when no
    column holds the Kind-ID.
    """
    export = read_export(path)
    columns = [c for c in export.frame.columns if c != "zeile"]
    mapping = as_pupil_mapping(suggest_mapping(columns))
    if "kind_id" not in mapping.fields():
        raise MappingError(
            f"{export.info.path.name}: In der Schülerliste wurde keine Spalte mit der "
            f"Kind-ID gefunden. Gefundene Spalten: "
            + ", ".join(f"„{c}“" for c in columns)
            + ". Bitte die Spalte „Kind-ID“ nennen (oder „Import-ID“, „Schüler-ID“)."
        )
    return _pupils_of(Source(export, mapping, "schueler"))


def _pupils_of(source: Source) -> pl.DataFrame:
    """The pupil table of a pupil file, with its file name as ``quelle``."""
    return pupils_from(source.export.frame, source.mapping).with_columns(
        pl.lit(source.name).alias("quelle")
    )


def build_long(sources: Sequence[Source]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Turn all guardian sources into one long table with ``_row`` ids.

    Pupil files fill the pupil context (names, class) by Kind-ID.
    """
    parts, findings = [], []
    for s in sources:
        if s.role != "eltern":
            continue
        long, found = to_long(s.export.frame, s.mapping, quelle=s.name)
        parts.append(long)
        findings.append(found)
    long = pl.concat(parts, how="vertical_relaxed")
    for s in sources:
        if s.role == "schueler":
            long = attach_pupils(long, pupils_from(s.export.frame, s.mapping))
    long = conform_long(long.drop(ROW_ID, strict=False).with_row_index(ROW_ID))
    row_findings = concat_findings([*(s.export.findings for s in sources), *findings])
    return long, _tie_to_rows(row_findings, long)


def _tie_to_rows(findings: pl.DataFrame, long: pl.DataFrame) -> pl.DataFrame:
    """Give the findings about source rows the ``_row`` ids of their guardians.

    A reader or layout finding of severity ``fehler`` (a row whose fields are
    shifted, two Kind-ID columns that disagree) then holds back every guardian
    of that source row; findings about rows without guardians, or about the
    file, keep an empty ``_row``.
    """
    if findings.is_empty():
        return findings
    rows = long.select(
        pl.col(ROW_ID).alias("_r"),
        pl.col("quelle").alias("_q"),
        pl.col("zeile").alias("_z"),
        pl.col("kind_id").alias("_k"),
    )
    tied = findings.join(
        rows,
        left_on=["quelle", "zeile"],
        right_on=["_q", "_z"],
        how="left",
        maintain_order="left",
    )
    return tied.with_columns(
        pl.coalesce(ROW_ID, "_r").alias(ROW_ID),
        pl.coalesce("kind_id", "_k").alias("kind_id"),
    ).drop("_r", "_k")


def clean_long(frame: pl.DataFrame, *, options: Options) -> Stage:
    """Run the field rules in order: text, Kind-ID, names, address, e-mail, phone."""
    stage = Stage(frame)
    steps = (
        clean_text,
        clean_kind_id,
        clean_names,
        clean_address,
        clean_email,
        clean_phone,
    )
    for step in steps:
        stage = stage.then(lambda f, step=step: step(f, options=options))
    return stage


def prepare(
    paths: Sequence[str | Path],
    *,
    pupil_list: str | Path | None = None,
    user_mapping: Mapping[str, tuple[str, str | None]] | None = None,
    options: Options | None = None,
    decisions: object | None = None,
    rezept: Rezept | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    allow_partial: bool = False,
) -> JobResult:
    """Run every stage in memory and return the result (nothing is written).

    Parameters
    ----------
    paths
        One or more exports (a guardian file, optionally with a pupil file).
    pupil_list
        The pupils' import IDs; every Kind-ID is checked against it.
    user_mapping
        Column → (field, slot) assignments overriding the suggestion.
    allow_partial
        Accept a run in which more than half of the guardian rows are held
        back (otherwise :class:`InputError`: such an import file would lock
        most parent accounts in IServ's full sync).
    options
        Rule options (:class:`elternkit.options.Options`).
    decisions
        Recorded review decisions for the person resolution.
    rezept
        A school's Rezept: its options, source settings and mapping are the
        defaults (arguments given here win), its decisions are replayed
        (:class:`elternkit.replay.Replay`); the outcome is ``result.replay``.
    encoding, delimiter, sheet, header_row
        Force what the reader would otherwise detect.
    """
    replay = None
    if rezept is not None:  # the Rezept gives defaults; arguments win
        replay = Replay(rezept)
        options = options or rezept.options
        encoding = encoding or rezept.source.encoding
        delimiter = delimiter or rezept.source.delimiter
        sheet = sheet or rezept.source.sheet
        header_row = header_row or rezept.source.header_row
    options = options or Options()
    sources = load_sources(
        paths,
        user_mapping=user_mapping,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        header_row=header_row,
        remap=replay.remap if replay else None,
    )
    pupils = _pupils(sources, pupil_list)
    long, read_findings = build_long(sources)
    check.require_guardian_rows(
        long, files=[s.name for s in sources if s.role == "eltern"]
    )
    gelesen = long.height
    logger.info("%d Elternzeilen gelesen", gelesen)

    cleaned = clean_long(long, options=options)
    if replay:
        cleaned = replay.apply_rows(long, cleaned)
    geteilt = cleaned.frame.height - gelesen
    stage = cleaned.then(check.collapse_exact_duplicates)

    frame = stage.frame
    checks = check.run_checks(frame, pupils=pupils, options=options)
    findings = concat_findings([read_findings, stage.findings, checks])
    if replay:
        findings = concat_findings([findings, replay.exclusions(frame)])

    pair_decisions = list(decisions or [])  # type: ignore[call-overload]
    if replay:
        pair_decisions += replay.pair_decisions()
    flagged = flagged_rows(findings)
    active = frame.filter(_resolvable(findings, flagged))
    resolution = find_duplicates(active, decisions=pair_decisions, options=options)
    if replay:
        replay.settle_pairs(resolution.unmatched_decisions, frame)
    findings = concat_findings(
        [
            findings,
            same_person_findings(
                resolution.frame, flagged, hold=options.hold_auskunftssperre
            ),
            unsure_partner_findings(resolution.frame, resolution.review_pairs, flagged),
        ]
    )
    held = _held_rows(findings)
    harmonized = harmonize_persons(
        resolution.frame.filter(~pl.col(ROW_ID).is_in(held.implode())),
        overrides=replay.overrides(resolution.frame) if replay else None,
        options=options,
    )
    collapsed = check.collapse_exact_duplicates(
        harmonized.frame, keys=(*IDENTITY_FIELDS, "kind_id")
    )
    exported = collapsed.frame
    findings = concat_findings(
        [findings, resolution.findings, harmonized.findings, collapsed.findings]
    )
    check.require_exported_rows(
        exported,
        findings,
        pupils=pupils,
        read=gelesen + geteilt,
        allow_partial=allow_partial,
    )
    counts = Counts(
        gelesen=gelesen,
        geteilt=geteilt,
        zusammengefasst=(cleaned.frame.height - frame.height)
        + (harmonized.frame.height - exported.height),
        # rows collapsed as duplicates count there, even when their finding
        # is a ``fehler``
        zurueckgehalten=frame.filter(pl.col(ROW_ID).is_in(held.implode())).height,
        exportiert=exported.height,
        konten=exported["person"].n_unique() if exported.height else 0,
        kinder=exported["kind_id"].n_unique() if exported.height else 0,
    )
    return JobResult(
        sources=sources,
        long=_final_long(frame, exported, held),
        exported=exported,
        findings=findings,
        changes=concat_changes([stage.changes, resolution.changes, harmonized.changes]),
        counts=counts,
        options=options,
        pupils=pupils,
        pairs=resolution.review_pairs,
        replay=replay.log if replay else None,
    )


def _pupils(
    sources: Sequence[Source], pupil_list: str | Path | None
) -> pl.DataFrame | None:
    """The pupils for the Kind-ID check: the pupil list, else a pupil file."""
    if pupil_list is not None:
        return read_pupil_list(pupil_list)
    files = [s for s in sources if s.role == "schueler"]
    return _pupils_of(files[0]) if files else None


def _resolvable(findings: pl.DataFrame, flagged: pl.Series) -> pl.Expr:
    """Rows that take part in the person resolution: those not held back.

    A row held back only for its Auskunftssperre (``flagged``) takes part
    too, so that the same person's other rows can follow it
    (:mod:`elternkit.person_flags`).
    """
    held = _held_rows(findings)
    other_reasons = _held_rows(findings.filter(~pl.col("code").is_in(FLAG_CODES)))
    return ~pl.col(ROW_ID).is_in(held.implode()) | (
        pl.col(ROW_ID).is_in(flagged.implode())
        & ~pl.col(ROW_ID).is_in(other_reasons.implode())
    )


def _final_long(
    frame: pl.DataFrame, exported: pl.DataFrame, held: pl.Series
) -> pl.DataFrame:
    """Every cleaned row with its person (when exported) and its held flag."""
    person_of = exported.select(ROW_ID, pl.col("person").alias("_person"))
    return (
        frame.join(person_of, on=ROW_ID, how="left", maintain_order="left")
        .with_columns(
            pl.col("_person").alias("person"),
            pl.col(ROW_ID).is_in(held.implode()).alias("_zurueckgehalten"),
        )
        .drop("_person")
    )


def _held_rows(findings: pl.DataFrame) -> pl.Series:
    return held_findings(findings).get_column(ROW_ID).unique().sort()


__all__ = [
    "Counts",
    "JobResult",
    "Source",
    "build_long",
    "clean_long",
    "load_sources",
    "prepare",
    "read_pupil_list",
]
