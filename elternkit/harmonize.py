"""Harmonisation: every row of one person gets identical identity fields.

IServ treats rows as one parent only when the name and an auxiliary
identifier agree; a stale address on one sibling's row makes a second
account. So after person resolution every row of a person gets the same
Vorname, Nachname, Adresse (with its parts), E-Mail and Telefonnummer.

**Which value wins** (per person and field):

1. the value the user set as an override (:class:`FieldOverride`);
2. otherwise the most frequent non-null value among the person's rows
   (first and last name are voted on as one pair);
3. on a tie between a name pair and its swapped form, the order in which the
   first name is a known first name and the surname is not; then the spelling
   with umlauts or ß over its transliteration (``Müller`` over ``Mueller``);
4. then the most complete value: the most filled parts (for the address:
   Straße, Hausnummer, PLZ, Ort), then the longest text;
5. on a further tie, the value of the first row by (quelle, zeile, slot).

A field that is empty on some rows is filled from the winner. Every field
with two or more different values is reported (``abweichende_angaben``) with
all values seen, their rows, and the winner; every overwritten cell is
recorded as a change with the rule ``vereinheitlicht``.

Afterwards the shared e-mail policy (``Options.shared_email``) is applied to
an address held by several persons: ``beide`` keeps it (default), ``keine``
removes it from all, ``erste`` keeps it on the person with the first row;
every removal is a change with the rule ``email_geteilt_entfernt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from elternkit.findings import define_code, findings_for_rows
from elternkit.lexicon import is_known_first_name
from elternkit.options import Options
from elternkit.persons_keys import (
    fingerprint_expr,
    map_distinct,
    person_or_row,
    sort_columns,
)
from elternkit.rules import Stage, concat_changes, record_changes
from elternkit.schema import ROW_ID, empty_findings

define_code(
    "abweichende_angaben",
    "warnung",
    "Zeilen einer Person mit verschiedenen Angaben",
    "Dieselbe Person hat im Feld {feld} verschiedene Angaben: {detail}. "
    "Übernommen wurde „{wert}“. Abweichende Angaben auf den Zeilen einer "
    "Person führen in IServ zu doppelten Elternkonten; deshalb steht jetzt "
    "überall derselbe Wert (der häufigste, bei Gleichstand der vollständigste, "
    "dann der aus der ersten Zeile). Bitte prüfen; ein anderer Wert lässt sich "
    "als Vorgabe festlegen.",
)

#: Harmonised fields: the column that is voted on, and the columns that go with it.
FIELD_UNITS: dict[str, tuple[str, ...]] = {
    # first and last name are voted on together, so that a swapped pair on one
    # row can never produce "Schmidt Schmidt" from two independent votes
    "vorname": ("vorname", "nachname", "namenszusatz"),
    "nachname": ("nachname", "namenszusatz"),
    "adresse": ("adresse", "strasse", "hausnummer", "plz", "ort"),
    "email": ("email",),
    "telefon": ("telefon",),
}

_SHOWN_ROWS = 10


@dataclass(frozen=True)
class FieldOverride:
    """The value a person's field must take, chosen by the user.

    ``key`` is the fingerprint of any row of the person
    (:func:`elternkit.persons_keys.fingerprint_expr`); ``feld`` one of
    ``vorname``, ``nachname``, ``adresse``, ``email``, ``telefon``;
    ``wert`` the value (``None`` empties the field). Plain data, stored in
    the Rezept.
    """

    key: str
    feld: str
    wert: str | None
    author: str | None = None
    date: str | None = None
    note: str | None = None


def _vote_value(feld: str) -> pl.Expr:
    if feld == "vorname":
        return pl.concat_str("vorname", "nachname", separator=" ", ignore_nulls=True)
    if feld != "adresse":
        return pl.col(feld)
    parts = pl.concat_str(
        "strasse", "hausnummer", "plz", "ort", separator=" ", ignore_nulls=True
    )
    return pl.coalesce("adresse", pl.when(parts != "").then(parts))


def _winners(rows: pl.DataFrame, feld: str) -> pl.DataFrame:
    """Per person, the row whose value of ``feld`` wins (see module doc)."""
    unit = FIELD_UNITS[feld]
    votes = rows.filter(pl.col("_v").is_not_null()).with_columns(
        _name_order_score(feld).alias("_order")
    )
    ranked = votes.group_by("person", "_v").agg(
        pl.len().alias("_count"),
        pl.col("_order").max(),
        pl.sum_horizontal(pl.col(c).is_not_null() for c in unit).max().alias("_parts"),
        pl.col("_v").first().str.len_chars().alias("_len"),
        pl.col("_pos").min(),
    )
    best = ranked.sort(
        ["person", "_count", "_order", "_parts", "_len", "_pos"],
        descending=[False, True, True, True, True, False],
    ).unique("person", keep="first")
    return best.join(rows.select("_pos", *unit), on="_pos").select(
        "person", "_pos", *unit
    )


def _name_order_score(feld: str) -> pl.Expr:
    """Tie-break score: plausible name order first, then original spelling.

    A name pair whose first name is in the lexicon and whose surname is not
    beats its swapped form; then the value with more non-ASCII letters wins
    (``Müller`` over ``Mueller``, ``Weiß`` over ``Weiss``), since the ASCII
    form is usually a transliteration.
    """
    # non-ASCII letters: "Müller" is the original of "Mueller", "Weiß" of "Weiss"
    original = _vote_value(feld).str.count_matches(r"[^\x00-\x7F]").clip(0, 99)
    if feld != "vorname":
        return original.cast(pl.Int32)
    known = _is_known_first_name("vorname")
    surname_known = _is_known_first_name("nachname")
    plausible = known.fill_null(False) & ~surname_known.fill_null(False)
    return plausible.cast(pl.Int32) * 100 + original.cast(pl.Int32)


def _is_known_first_name(column: str) -> pl.Expr:
    """Whether ``column`` holds a lexicon first name (null for a null cell)."""
    return map_distinct(
        pl.col(column), is_known_first_name, default=None, return_dtype=pl.Boolean
    )


def _apply_overrides(
    rows: pl.DataFrame,
    winners: pl.DataFrame,
    feld: str,
    overrides: Sequence[FieldOverride],
) -> pl.DataFrame:
    """Replace winners by the user's values for ``feld``."""
    unit = FIELD_UNITS[feld]
    wanted = [o for o in overrides if o.feld == feld]
    if not wanted:
        return winners
    table = pl.DataFrame(
        [(o.key, o.wert) for o in wanted],
        schema={"fingerprint": pl.String, "_wert": pl.String},
        orient="row",
    )
    target = (
        rows.join(table, on="fingerprint")
        .select("person", "_wert")
        .unique("person", keep="last")
    )
    match = rows.join(target, on="person").filter(pl.col("_v") == pl.col("_wert"))
    match = (
        match.sort("_pos")
        .unique("person", keep="first")
        .select("person", "_pos", *unit)
    )
    free = target.join(match, on="person", how="anti").select(
        "person",
        pl.lit(None, pl.UInt32).alias("_pos"),
        pl.col("_wert").alias(unit[0]),
        *[pl.lit(None, pl.String).alias(c) for c in unit[1:]],
    )
    chosen = pl.concat([match, free], how="vertical_relaxed")
    kept = winners.join(chosen, on="person", how="anti")
    return pl.concat([kept, chosen], how="vertical_relaxed")


def _conflict_findings(
    rows: pl.DataFrame, winners: pl.DataFrame, feld: str
) -> pl.DataFrame:
    seen = (
        rows.filter(pl.col("_v").is_not_null())
        .group_by("person", "_v")
        .agg(
            pl.col("zeile").unique().sort(),
            pl.len().alias("_count"),
            pl.col("_pos").min(),
        )
    )
    many = seen.filter(pl.len().over("person") > 1).sort("person", "_pos")
    if many.is_empty():
        return empty_findings()
    per_person = many.group_by("person", maintain_order=True).agg(
        _seen_text().str.join(", ").alias("_detail")
    )
    first = (
        rows.join(per_person.select("person"), on="person", how="semi")
        .sort("_pos")
        .unique("person", keep="first")
        .select("person", ROW_ID, "zeile", "quelle", "kind_id")
    )
    table = per_person.join(first, on="person")
    # the name unit votes on "Vorname Nachname": report it as the name
    win = _vote_value(feld) if feld == "vorname" else pl.col(feld)
    table = table.join(winners.select("person", win.alias("_win")), on="person")
    label = "name" if feld == "vorname" else feld
    return findings_for_rows(
        table,
        code="abweichende_angaben",
        feld=label,
        wert=pl.col("_win").fill_null(""),
        detail=pl.col("_detail"),
    )


def _seen_text() -> pl.Expr:
    """``„Hauptstr. 1“ (Zeilen 2, 4)``: one value and the rows holding it."""
    zeilen = pl.col("zeile")
    label = (
        pl.when(zeilen.list.len() == 1)
        .then(pl.lit("Zeile"))
        .otherwise(pl.lit("Zeilen"))
    )
    shown = zeilen.list.head(_SHOWN_ROWS).cast(pl.List(pl.String)).list.join(", ")
    more = (
        pl.when(zeilen.list.len() > _SHOWN_ROWS)
        .then(pl.lit(" …"))
        .otherwise(pl.lit(""))
    )
    return pl.concat_str(
        pl.lit("„"),
        pl.col("_v"),
        pl.lit("“ ("),
        label,
        pl.lit(" "),
        shown,
        more,
        pl.lit(")"),
    )


def _harmonize_field(
    frame: pl.DataFrame, feld: str, overrides: Sequence[FieldOverride]
) -> Stage:
    unit = FIELD_UNITS[feld]
    override_keys = pl.Series(
        [o.key for o in overrides if o.feld == feld], dtype=pl.String
    )
    # Only persons whose rows differ (or that have an override) need a vote;
    # they are found on the few columns the test reads, not the whole table.
    needy = (
        frame.select("person", *unit, "fingerprint")
        .filter(pl.col("person").is_not_null())
        .filter(
            (pl.struct(unit).n_unique().over("person") > 1)
            | pl.col("fingerprint").is_in(override_keys.implode())
        )["person"]
        .unique()
    )
    rows = frame.filter(pl.col("person").is_in(needy.implode())).with_columns(
        _vote_value(feld).alias("_v")
    )
    winners = _apply_overrides(rows, _winners(rows, feld), feld, overrides)
    findings = _conflict_findings(rows, winners, feld)

    win = winners.select("person", *[pl.col(c).alias(f"_w_{c}") for c in unit])
    # the winners, aligned to the rows of the table (null for other persons)
    aligned = frame.select("person").join(
        win, on="person", how="left", maintain_order="left"
    )
    has = pl.col("person").is_in(winners["person"].implode())
    new = frame.with_columns(
        pl.when(has).then(aligned[f"_w_{c}"]).otherwise(pl.col(c)).alias(c)
        for c in unit
    )
    changes = concat_changes(
        record_changes(frame, new, c, rule="vereinheitlicht") for c in unit
    )
    return Stage(new, changes, findings)


def _shared_email_policy(frame: pl.DataFrame, policy: str) -> Stage:
    """Apply ``Options.shared_email`` to addresses held by several persons."""
    if policy == "beide":
        return Stage(frame)
    owner = person_or_row()
    mail = pl.col("email").str.to_lowercase()
    shared = frame.filter(pl.col("email").is_not_null()).with_columns(
        owner.alias("_owner"), mail.alias("_mail")
    )
    shared = shared.filter(pl.col("_owner").n_unique().over("_mail") > 1)
    if policy == "erste":
        keep = shared.sort("_pos").group_by("_mail").agg(pl.col("_owner").first())
        shared = shared.join(keep, on=["_mail", "_owner"], how="anti")
    drop = shared[ROW_ID].implode()
    new = frame.with_columns(
        pl.when(pl.col(ROW_ID).is_in(drop))
        .then(pl.lit(None, pl.String))
        .otherwise(pl.col("email"))
        .alias("email")
    )
    return Stage(
        new, record_changes(frame, new, "email", rule="email_geteilt_entfernt")
    )


def harmonize_persons(
    frame: pl.DataFrame,
    *,
    overrides: Sequence[FieldOverride] | None = None,
    options: Options = Options(),
) -> Stage:
    """Give every row of one person identical identity fields.

    The rule for the winning value is given in the module docstring: the
    user's override, else the most frequent value, then the most complete,
    then the first row by (quelle, zeile, slot). Rows without ``person`` are
    left alone. Then ``options.shared_email`` is applied.

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4], "person": ["P1"] * 3,
    ...     "vorname": ["Anna"] * 3, "nachname": ["Beispiel"] * 3,
    ...     "adresse": ["Hauptstr. 1", "Neue Str. 5", "Hauptstr. 1"],
    ... }))
    >>> st = harmonize_persons(df)
    >>> st.frame["adresse"].to_list()
    ['Hauptstr. 1', 'Hauptstr. 1', 'Hauptstr. 1']
    >>> st.changes.select("zeile", "vorher", "nachher", "regel").rows()
    [(3, 'Neue Str. 5', 'Hauptstr. 1', 'vereinheitlicht')]
    >>> st.findings["code"].to_list()
    ['abweichende_angaben']
    """
    order = frame.select(ROW_ID, *sort_columns()[:-1]).sort(
        sort_columns(), nulls_last=True
    )
    pos = order.select(ROW_ID, pl.int_range(pl.len(), dtype=pl.UInt32).alias("_pos"))
    work = frame.join(pos, on=ROW_ID, maintain_order="left").with_columns(
        fingerprint_expr()
    )
    stage = Stage(work)
    for feld in FIELD_UNITS:
        stage = stage.then(
            lambda f, feld=feld: _harmonize_field(f, feld, overrides or ())
        )
    stage = stage.then(lambda f: _shared_email_policy(f, options.shared_email))
    return Stage(stage.frame.select(frame.columns), stage.changes, stage.findings)
