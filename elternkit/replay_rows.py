"""Row decisions of a Rezept: split or keep a name cell, swap names, set a value.

These run on the cleaned long table right after
:func:`elternkit.pipeline.clean_long`, as one more stage; the name rules
themselves (:mod:`elternkit.split_names`, :mod:`elternkit.swap_names`) know
nothing of the Rezept. Which row a decision means is found by its
fingerprint (:func:`elternkit.rezept.row_key`):

- ``teilen`` / ``nicht_teilen`` key the row **as read** (the combined cell,
  before any name rule), matched through the ``_row`` id that the first
  person of a split keeps;
- ``tauschen`` keys the cleaned row before the swap; ``wert`` the cleaned row
  after it: the row as the user saw it when deciding.

Every function returns the new :class:`Stage` and an outcome
``(status, grund)``: ``angewendet``, ``erledigt`` (nothing left to do) or
``konflikt`` (the rows are gone or changed; German reason without personal
data). Changed cells are recorded with the rule ``rezept``.
"""

from __future__ import annotations

import polars as pl

from elternkit.mapping import FIELD_LABELS
from elternkit.persons_keys import fingerprint_expr
from elternkit.rules import Stage, concat_changes, record_changes
from elternkit.schema import CHANGES_SCHEMA, ROW_ID
from elternkit.split_names import RULE_SPLIT_FULL_NAME, RULE_SPLIT_PERSONS
from elternkit.swap_names import swap_rows

#: Rule name of every cell changed by a Rezept decision.
RULE_REZEPT = "rezept"
APPLIED, DONE, CONFLICT = "angewendet", "erledigt", "konflikt"

_SPLIT_RULES = (RULE_SPLIT_PERSONS, RULE_SPLIT_FULL_NAME)
_SUFFIXES = "abcdefghij"
Outcome = tuple[str, str]


def _rows_text(rows: list[int]) -> str:
    return "1 Zeile" if len(rows) == 1 else f"{len(rows)} Zeilen"


def _label(feld: str) -> str:
    return FIELD_LABELS.get(feld, feld)


def keys_of(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``_row`` and ``fingerprint`` of every row."""
    return frame.select(ROW_ID, fingerprint_expr())


def missing_reason(key: str, frame: pl.DataFrame) -> str:
    """German reason why no row has ``key`` (no names, only the Kind-ID)."""
    kind = key.split("|", 1)[0]
    if not kind:
        return "Die betroffene Zeile hat keine Kind-ID und wurde nicht wiedergefunden."
    if kind in set(frame.get_column("kind_id").drop_nulls().str.strip_chars()):
        return (
            f"Beim Kind mit der Kind-ID {kind} steht dieser Elternteil nicht mehr "
            "unter demselben Namen im Export (Name geändert oder nicht mehr "
            "eingetragen)."
        )
    return (
        f"Das Kind mit der Kind-ID {kind} steht nicht mehr im Export (vermutlich "
        "hat es die Schule verlassen)."
    )


def _rows_with(frame: pl.DataFrame, key: str) -> list[int]:
    keyed = keys_of(frame)
    return keyed.filter(pl.col("fingerprint") == key)[ROW_ID].to_list()


def _drop_records(stage: Stage, rows: list[int], codes: tuple[str, ...]) -> Stage:
    """Drop findings with ``codes`` on ``rows`` (a decision settled them)."""
    gone = pl.col(ROW_ID).is_in(pl.Series(rows, dtype=pl.UInt32).implode())
    findings = stage.findings.filter(~(gone & pl.col("code").is_in(codes)))
    return Stage(stage.frame, stage.changes, findings)


def undo_split(raw: pl.DataFrame, stage: Stage, key: str) -> tuple[Stage, Outcome]:
    """``nicht_teilen``: keep a name cell as it was read.

    Rows that the name rules added for the cell are removed, the first row
    gets its names back, and the split's changes and findings are dropped.
    """
    rows = _rows_with(raw, key)
    if not rows:
        return stage, (CONFLICT, missing_reason(key, raw))
    split = stage.changes.filter(
        pl.col(ROW_ID).is_in(rows) & pl.col("regel").is_in(_SPLIT_RULES)
    )
    if split.is_empty():
        return stage, (DONE, "Das Namensfeld wurde ohnehin nicht aufgeteilt.")

    origin = raw.filter(pl.col(ROW_ID).is_in(rows)).select(
        ROW_ID, "quelle", "zeile", pl.col("slot").alias("_slot0")
    )
    known = raw.get_column(ROW_ID).implode()
    added = (
        stage.frame.filter(~pl.col(ROW_ID).is_in(known))
        .join(origin.drop(ROW_ID), on=["quelle", "zeile"], nulls_equal=True)
        .filter(pl.col("slot").str.starts_with(pl.col("_slot0").fill_null("")))
        .get_column(ROW_ID)
        .to_list()
    )
    before = {
        (r, f): v for r, f, v in split.select(ROW_ID, "feld", "vorher").iter_rows()
    }
    frame = stage.frame.filter(~pl.col(ROW_ID).is_in(added))
    frame = frame.join(origin.select(ROW_ID, "_slot0"), on=ROW_ID, how="left")
    restored = []
    for column in ("vorname", "nachname"):
        table = pl.DataFrame(
            [(r, before[(r, column)]) for r in rows if (r, column) in before],
            schema={ROW_ID: pl.UInt32, "_old": pl.String},
            orient="row",
        )
        frame = frame.join(table, on=ROW_ID, how="left", maintain_order="left")
        restored.append(
            pl.when(pl.col(ROW_ID).is_in(table[ROW_ID].implode()))
            .then(pl.col("_old"))
            .otherwise(pl.col(column))
            .alias(column)
        )
        frame = frame.with_columns(restored[-1]).drop("_old")
    frame = frame.with_columns(
        pl.when(pl.col(ROW_ID).is_in(rows))
        .then(pl.col("_slot0"))
        .otherwise(pl.col("slot"))
        .alias("slot")
    ).select(stage.frame.columns)
    touched = pl.Series([*rows, *added], dtype=pl.UInt32).implode()
    changes = stage.changes.filter(
        ~pl.col(ROW_ID).is_in(pl.Series(added, dtype=pl.UInt32).implode())
        & ~(pl.col(ROW_ID).is_in(touched) & pl.col("regel").is_in(_SPLIT_RULES))
    )
    findings = stage.findings.filter(
        ~pl.col(ROW_ID).is_in(pl.Series(added, dtype=pl.UInt32).implode())
    )
    out = _drop_records(Stage(frame, changes, findings), rows, ("name_geteilt",))
    return out, (APPLIED, "Das Namensfeld bleibt ungeteilt.")


def split_cell(
    raw: pl.DataFrame,
    stage: Stage,
    key: str,
    persons: tuple[tuple[str, str], ...],
) -> tuple[Stage, Outcome]:
    """``teilen``: split a name cell into the persons the user named."""
    rows = _rows_with(raw, key)
    if not rows:
        return stage, (CONFLICT, missing_reason(key, raw))
    stage, _ = undo_split(raw, stage, key)
    base = stage.frame.filter(pl.col(ROW_ID).is_in(rows))
    next_id = (stage.frame.get_column(ROW_ID).max() or 0) + 1
    parts, records = [], []
    for i, (vorname, nachname) in enumerate(persons):
        part = base.with_columns(
            pl.lit(vorname, pl.String).alias("vorname"),
            pl.lit(nachname, pl.String).alias("nachname"),
            pl.concat_str(pl.col("slot").fill_null(""), pl.lit(_SUFFIXES[i])).alias(
                "slot"
            ),
        )
        if i:
            ids = pl.int_range(next_id, next_id + base.height, dtype=pl.UInt32)
            part = part.with_columns(ids.alias(ROW_ID))
            next_id += base.height
        parts.append(part)
        for column in ("vorname", "nachname"):
            records.append(
                part.select(
                    ROW_ID,
                    "zeile",
                    "quelle",
                    pl.lit(column).alias("feld"),
                    base.get_column(column).alias("vorher"),
                    pl.col(column).alias("nachher"),
                    pl.lit(RULE_REZEPT).alias("regel"),
                ).cast(CHANGES_SCHEMA)
            )
    rest = stage.frame.filter(~pl.col(ROW_ID).is_in(rows))
    frame = pl.concat([rest, *parts]).sort("quelle", "zeile", "slot", nulls_last=True)
    changes = concat_changes([stage.changes, *records])
    out = _drop_records(
        Stage(frame, changes, stage.findings), rows, ("name_unklar", "name_geteilt")
    )
    return out, (APPLIED, f"Das Namensfeld wurde in {len(persons)} Personen geteilt.")


def swap_names(stage: Stage, key: str) -> tuple[Stage, Outcome]:
    """``tauschen``: swap Vorname and Nachname of the rows with ``key``."""
    rows = _rows_with(stage.frame, key)
    if not rows:
        kind, first, last = [*key.split("|"), "", ""][:3]
        if _rows_with(stage.frame, f"{kind}|{last}|{first}"):
            return stage, (
                DONE,
                "Die Namen stehen bereits richtig (in der Quelle berichtigt oder "
                "automatisch getauscht).",
            )
        return stage, (CONFLICT, missing_reason(key, stage.frame))
    swapped = swap_rows(stage.frame, rows, rule=RULE_REZEPT)
    frame = swapped.frame
    changes = concat_changes([stage.changes, swapped.changes])
    out = _drop_records(
        Stage(frame, changes, stage.findings), rows, ("namen_vertauscht",)
    )
    return out, (APPLIED, f"Vor- und Nachname getauscht ({_rows_text(rows)}).")


def set_value(
    stage: Stage, key: str, feld: str, wert: str | None, alt: str | None
) -> tuple[Stage, Outcome]:
    """``wert``: set ``feld`` of the rows with ``key`` to ``wert``."""
    rows = _rows_with(stage.frame, key)
    if not rows:
        return stage, (CONFLICT, missing_reason(key, stage.frame))
    current = stage.frame.filter(pl.col(ROW_ID).is_in(rows)).get_column(feld)
    if all(v == wert for v in current.to_list()):
        return stage, (DONE, "Der Wert steht bereits so in der Quelle.")
    if alt is not None and any(v not in (alt, wert) for v in current.to_list()):
        return stage, (
            CONFLICT,
            f"Der Wert im Feld {_label(feld)} hat sich in der Quelle geändert, "
            "seit die Entscheidung getroffen wurde. Sie wurde nicht angewendet; "
            "bitte den neuen Wert prüfen und die Entscheidung erneuern oder löschen.",
        )
    frame = stage.frame.with_columns(
        pl.when(pl.col(ROW_ID).is_in(rows))
        .then(pl.lit(wert, pl.String))
        .otherwise(pl.col(feld))
        .alias(feld)
    )
    changes = concat_changes(
        [stage.changes, record_changes(stage.frame, frame, feld, rule=RULE_REZEPT)]
    )
    return Stage(frame, changes, stage.findings), (
        APPLIED,
        f"{_label(feld)} festgelegt ({_rows_text(rows)}).",
    )


__all__ = [
    "APPLIED",
    "CONFLICT",
    "DONE",
    "RULE_REZEPT",
    "keys_of",
    "missing_reason",
    "set_value",
    "split_cell",
    "swap_names",
    "undo_split",
]
