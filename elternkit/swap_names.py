"""Detect (and on request undo) swapped Vorname and Nachname.

A swap is proposed only when the evidence is clear, because many German
surnames are first names as well (Hermann, Werner, Klaus, Jakob):

- the Nachname cell holds a common first name (strict test of
  :mod:`elternkit.lexicon`; ``van der Berg`` is no first name), and
- the Vorname cell holds nothing that may be a first name (lenient test:
  ``Joerg`` and ``H.-Dieter`` count as first names), or it equals the surname
  of the child or of another guardian of the same child, and
- the Nachname cell is neither the child's surname nor the surname of another
  guardian of the same child (that would mean it is the family name).

Cells naming several persons are never swapped (they were reported by the
split step). A swap is applied only with ``Options.apply_swaps``; otherwise it
is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

from elternkit.findings import define_code, findings_for_rows
from elternkit.lexicon import is_common_first_name, is_first_name_like
from elternkit.name_words import (
    connector_expr,
    formula_start_expr,
    starts_surname,
)
from elternkit.rules import Stage, concat_changes, record_changes
from elternkit.schema import ROW_ID
from elternkit.text import fold_expr

define_code(
    "namen_vertauscht",
    "warnung",
    "Vorname und Nachname vertauscht",
    "Vorname und Nachname scheinen vertauscht: {detail}. Mit vertauschten Namen "
    "erkennt IServ den Elternteil bei anderen Kindern oder im Folgeimport nicht "
    "wieder, und der Registrierungsbrief trägt den falschen Namen. Bitte die "
    "Namen prüfen und im Schulverwaltungsprogramm berichtigen. Tauschen lässt "
    "sich für diese Zeile im Rezept (Entscheidung „tauschen“, Notebook "
    "03_Bereinigen) oder für alle sicher erkannten Fälle mit der Option "
    "„namen_tauschen“ (elternkit run --namen-tauschen).",
)

#: Rule name recorded when a swap is applied.
RULE_SWAP = "namen_getauscht"


def _fold_column(column: str) -> pl.Expr:
    """The folded cell (see :func:`fold_expr`); a null cell stays null."""
    return pl.when(pl.col(column).is_not_null()).then(fold_expr(pl.col(column)))


def _test_column(
    frame: pl.DataFrame, column: str, test: Callable[[str], bool]
) -> pl.Expr:
    """Expression: does ``test`` hold for the cell (run once per distinct value)?"""
    values = frame.get_column(column).drop_nulls().unique().to_list()
    passed = [value for value in values if test(value)]
    return pl.col(column).is_in(pl.Series(passed, dtype=pl.String).implode())


def _is_first_name_not_surname(value: str) -> bool:
    """A common first name that does not start like a surname (``van der …``)."""
    return not starts_surname(value.split(" ")[0]) and is_common_first_name(value)


def _other_guardians(keyed: pl.DataFrame) -> pl.DataFrame:
    """Per child and name pair: do other guardians of the child carry the names?"""
    pairs = keyed.select("kind_id", "_fv", "_fn").drop_nulls().unique()
    others = pairs.join(pairs, on="kind_id", suffix="_o").filter(
        (pl.col("_fv") != pl.col("_fv_o")) | (pl.col("_fn") != pl.col("_fn_o"))
    )
    return others.group_by("kind_id", "_fv", "_fn").agg(
        (pl.col("_fv") == pl.col("_fn_o")).any().alias("_sibling_support"),
        (pl.col("_fn") == pl.col("_fn_o")).any().alias("_sibling_counter"),
    )


def swap_candidates(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of the long table whose names look swapped.

    The result has the columns of ``frame`` plus ``_grund`` (a German
    description of the evidence).

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "vorname": ["Mustermann", "Klaus", "Anna"],
    ...     "nachname": ["Max", "Werner", "Beispiel"],
    ... }))
    >>> swap_candidates(df).select("zeile", "vorname", "nachname").rows()
    [(2, 'Mustermann', 'Max')]
    """
    usable = (
        pl.col("vorname").is_not_null()
        & pl.col("nachname").is_not_null()
        & ~formula_start_expr("vorname")
        & ~formula_start_expr("nachname")
        & ~connector_expr("vorname")
        & ~connector_expr("nachname")
    )
    rows = frame.filter(
        usable & _test_column(frame, "nachname", _is_first_name_not_surname)
    )
    if rows.is_empty():
        return rows.with_columns(pl.lit(None, pl.String).alias("_grund"))

    keyed = rows.with_columns(
        _fold_column("vorname").alias("_fv"),
        _fold_column("nachname").alias("_fn"),
        _fold_column("kind_nachname").alias("_fk"),
        _test_column(rows, "vorname", is_first_name_like).alias("_v_known"),
    )
    context = frame.filter(
        pl.col("kind_id").is_in(keyed.get_column("kind_id").implode())
    )
    context = context.filter(usable).with_columns(
        _fold_column("vorname").alias("_fv"),
        _fold_column("nachname").alias("_fn"),
    )
    keyed = keyed.join(
        _other_guardians(context),
        on=["kind_id", "_fv", "_fn"],
        how="left",
        maintain_order="left",
    )
    child_support = (pl.col("_fv") == pl.col("_fk")).fill_null(False)
    sibling_support = pl.col("_sibling_support").fill_null(False)
    counter = (pl.col("_fn") == pl.col("_fk")).fill_null(False) | pl.col(
        "_sibling_counter"
    ).fill_null(False)
    swapped = ~counter & (~pl.col("_v_known") | child_support | sibling_support)
    reason = (
        pl.when(child_support)
        .then(pl.lit("der Vorname ist der Nachname des Kindes"))
        .when(sibling_support)
        .then(pl.lit("der Vorname ist der Nachname eines anderen Elternteils"))
        .otherwise(pl.lit("nur der Nachname ist als Vorname bekannt"))
    )
    found = keyed.filter(swapped).with_columns(reason.alias("_grund"))
    helpers = ["_fv", "_fn", "_fk", "_v_known", "_sibling_support", "_sibling_counter"]
    return found.drop(helpers)


def find_swapped_names(frame: pl.DataFrame, *, apply: bool = False) -> Stage:
    """Report swapped Vorname and Nachname; swap them back when ``apply`` is set.

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1], "zeile": [2, 3], "kind_id": ["1001", "1002"],
    ...     "vorname": ["Mustermann", "Anna"], "nachname": ["Max", "Beispiel"],
    ... }))
    >>> st = find_swapped_names(df, apply=True)
    >>> st.frame.select("vorname", "nachname").rows()
    [('Max', 'Mustermann'), ('Anna', 'Beispiel')]
    >>> st.changes.select("zeile", "feld", "nachher", "regel").rows()
    [(2, 'vorname', 'Max', 'namen_getauscht'), (2, 'nachname', 'Mustermann', \
'namen_getauscht')]
    """
    found = swap_candidates(frame)
    if found.is_empty():
        return Stage(frame)

    findings = _swap_findings(found, applied=apply)
    if not apply:
        return Stage(frame, findings=findings)
    swapped = swap_rows(frame, found.get_column(ROW_ID), rule=RULE_SWAP)
    return Stage(swapped.frame, swapped.changes, findings)


def swap_rows(frame: pl.DataFrame, rows: Iterable[int], *, rule: str) -> Stage:
    """Swap Vorname and Nachname on the rows with these ``_row`` ids.

    Both changed cells of each row are recorded with ``rule``; used by the
    ``apply_swaps`` option and by the Rezept's ``tauschen`` decision.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": ["Mustermann", "Anna"], "nachname": ["Max", "Beispiel"]}))
    >>> st = swap_rows(df, [0], rule="namen_getauscht")
    >>> st.frame.select("vorname", "nachname").rows()
    [('Max', 'Mustermann'), ('Anna', 'Beispiel')]
    >>> st.changes.height
    2
    """
    hit = pl.col(ROW_ID).is_in(pl.Series(list(rows), dtype=pl.UInt32).implode())
    new_frame = frame.with_columns(
        pl.when(hit)
        .then(pl.col("nachname"))
        .otherwise(pl.col("vorname"))
        .alias("vorname"),
        pl.when(hit)
        .then(pl.col("vorname"))
        .otherwise(pl.col("nachname"))
        .alias("nachname"),
    )
    changes = concat_changes(
        record_changes(frame, new_frame, column, rule=rule)
        for column in ("vorname", "nachname")
    ).sort(ROW_ID, maintain_order=True)
    return Stage(new_frame, changes)


def _swap_findings(found: pl.DataFrame, *, applied: bool) -> pl.DataFrame:
    action = "getauscht" if applied else "nicht getauscht, nur gemeldet"
    detail = pl.format(
        "Vorname „{}“, Nachname „{}“ ({}; {})",
        "vorname",
        "nachname",
        "_grund",
        pl.lit(action),
    )
    return findings_for_rows(
        found, code="namen_vertauscht", feld="vorname", detail=detail
    )
