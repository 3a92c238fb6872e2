"""The machinery every field rule runs on.

A *value rule* is a plain function from one cell value to an :class:`Outcome`:
the new value, the name of the rule that changed it, and any findings. It is
called once per **distinct** value of a column (costly parsing such as phone
numbers runs once per value, not once per row), and :func:`apply_value_rule`
spreads the result over the rows, recording every changed cell as
``(zeile, feld, vorher, nachher, regel)`` and every finding with its row.

A *stage* returns a :class:`Stage`: the new frame plus its changes and findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from elternkit.findings import Hit, concat_findings, format_message, get_code
from elternkit.schema import (
    CHANGES_SCHEMA,
    FINDINGS_SCHEMA,
    ROW_ID,
    empty_changes,
    empty_findings,
)


@dataclass(frozen=True)
class Outcome:
    """What a value rule made of one value.

    ``rule`` names the rule when ``value`` differs from the input (it becomes
    the ``regel`` column of ``aenderungen.csv``); ``hits`` are findings about
    the input value.
    """

    value: str | None
    rule: str | None = None
    hits: tuple[Hit, ...] = ()


@dataclass
class Stage:
    """Result of a cleaning stage: the frame, its changed cells, its findings."""

    frame: pl.DataFrame
    changes: pl.DataFrame = field(default_factory=empty_changes)
    findings: pl.DataFrame = field(default_factory=empty_findings)

    def then(self, step: Callable[[pl.DataFrame], Stage]) -> Stage:
        """Run ``step`` on this stage's frame and accumulate its records."""
        nxt = step(self.frame)
        return Stage(
            nxt.frame,
            concat_changes([self.changes, nxt.changes]),
            concat_findings([self.findings, nxt.findings]),
        )


def concat_changes(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Concatenate change tables, keeping the canonical schema."""
    frames = [f.select(list(CHANGES_SCHEMA)).cast(CHANGES_SCHEMA) for f in frames]
    frames = [f for f in frames if not f.is_empty()]
    return pl.concat(frames) if frames else empty_changes()


def record_changes(
    before: pl.DataFrame, after: pl.DataFrame, column: str, *, rule: str | pl.Expr
) -> pl.DataFrame:
    """Return the changed cells of ``column`` between two aligned frames.

    ``before`` and ``after`` must hold the same rows in the same order (same
    ``_row`` ids). ``rule`` is a rule name or an expression over ``after``
    giving it per row.
    """
    rule_expr = pl.lit(rule, pl.String) if isinstance(rule, str) else rule
    both = after.select(
        ROW_ID,
        "zeile",
        "quelle",
        pl.lit(column).alias("feld"),
        before.get_column(column).alias("vorher"),
        pl.col(column).alias("nachher"),
        rule_expr.alias("regel"),
    )
    changed = both.filter(pl.col("vorher").ne_missing(pl.col("nachher")))
    return changed.cast(CHANGES_SCHEMA)


def apply_value_rule(
    frame: pl.DataFrame,
    column: str,
    rule: Callable[[str], Outcome],
    *,
    feld: str | None = None,
    skip: pl.Expr | None = None,
) -> Stage:
    """Apply ``rule`` to each distinct non-null value of ``column``.

    Parameters
    ----------
    frame
        The long table (needs ``_row``, ``zeile``, ``quelle``, ``kind_id``).
    column
        The column to rewrite.
    rule
        Maps one value to an :class:`Outcome`; called once per distinct value.
    feld
        Field name used in changes and findings (default: ``column``).
    skip
        A fast test over ``pl.col(column)`` for values that skip ``rule`` and
        stay as they are in this stage: values ``rule`` is known to return
        unchanged and without findings, or values the caller handles itself
        in polars (a polars expression instead of a Python call per value).

    Examples
    --------
    >>> import polars as pl
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4], "vorname": [" Anna", "Lars", None]
    ... }))
    >>> strip = lambda v: Outcome(v.strip(), "leerzeichen")
    >>> st = apply_value_rule(df, "vorname", strip)
    >>> st.frame["vorname"].to_list()
    ['Anna', 'Lars', None]
    >>> st.changes.select("zeile", "vorher", "nachher", "regel").rows()
    [(2, ' Anna', 'Anna', 'leerzeichen')]
    """
    feld = feld or column
    distinct = frame.get_column(column).drop_nulls().unique()
    if skip is not None:
        distinct = distinct.to_frame().filter(~skip).get_column(column)
    values = distinct.to_list()
    outcomes = {v: rule(v) for v in values}

    changed = {v: o for v, o in outcomes.items() if o.value != v}
    if not changed:
        new_frame = frame
        changes = empty_changes()
    else:
        keys = list(changed)
        lookup = pl.DataFrame(
            {
                "_k": keys,
                "_v": [changed[k].value for k in keys],
                "_r": [changed[k].rule or "bereinigung" for k in keys],
            },
            schema={"_k": pl.String, "_v": pl.String, "_r": pl.String},
        )
        joined = frame.join(
            lookup, left_on=column, right_on="_k", how="left", maintain_order="left"
        )
        hit = pl.col("_r").is_not_null()
        new_frame = joined.with_columns(
            pl.when(hit).then(pl.col("_v")).otherwise(pl.col(column)).alias(column)
        )
        changes = record_changes(frame, new_frame, column, rule=pl.col("_r"))
        new_frame = new_frame.drop("_v", "_r")
        if feld != column:
            changes = changes.with_columns(pl.lit(feld).alias("feld"))

    hit_rows = [
        (
            value,
            h.code,
            h.wert if h.wert is not None else value,
            format_message(
                h.code,
                wert=h.wert if h.wert is not None else value,
                feld=feld,
                detail=h.detail,
            ),
        )
        for value, outcome in outcomes.items()
        for h in outcome.hits
    ]
    if not hit_rows:
        return Stage(new_frame, changes, empty_findings())
    hits = pl.DataFrame(
        hit_rows, schema=["_k", "code", "wert", "meldung"], orient="row"
    ).with_columns(
        pl.col("code")
        .replace_strict({c: get_code(c).severity for c in {r[1] for r in hit_rows}})
        .alias("schwere")
    )
    keep = dict.fromkeys([ROW_ID, "zeile", "quelle", "kind_id", column])
    findings = frame.select(*keep).join(
        hits, left_on=column, right_on="_k", how="inner", maintain_order="left"
    )
    findings = findings.with_columns(pl.lit(feld).alias("feld"))
    return Stage(
        new_frame, changes, findings.select(list(FINDINGS_SCHEMA)).cast(FINDINGS_SCHEMA)
    )
