"""An Auskunftssperre noted on one row applies to the whole person.

Siblings' records are kept separately in the administration program, so a
parent's Auskunftssperre is often noted on one child's record only. IServ
creates one account per person: exporting the parent's other rows would give
the account anyway. After the person resolution, every row of a person with a
flagged row gets a finding too; with ``--sperre-zurueckhalten`` those rows are
held back like the flagged one.
"""

from __future__ import annotations

import polars as pl

from elternkit.findings import define_code, findings_for_rows
from elternkit.schema import ROW_ID, empty_findings

#: Finding codes of a flagged row: reviewed, or held back.
FLAG_CODES = ("auskunftssperre", "auskunftssperre_zurueckgehalten")

SAME_PERSON = define_code(
    "auskunftssperre_person",
    "warnung",
    "Auskunftssperre bei derselben Person: bitte von Hand prüfen",
    "Für dieses Elternteil ist in einer anderen Zeile ({detail}) eine "
    "Auskunftssperre vermerkt, in dieser nicht. IServ legt für eine Person ein "
    "Konto an; Lehrkräfte und andere Nutzer sehen dann möglicherweise Name und "
    "Kontaktdaten. Bitte die Sperre im Schulverwaltungsprogramm bei allen "
    "Kindern eintragen und mit der Schulleitung klären, ob das Elternteil "
    "importiert werden darf; zum Zurückhalten elternkit mit "
    "--sperre-zurueckhalten laufen lassen.",
)
SAME_PERSON_HELD = define_code(
    "auskunftssperre_person_zurueckgehalten",
    "fehler",
    "Auskunftssperre bei derselben Person: zurückgehalten",
    "Für dieses Elternteil ist in einer anderen Zeile ({detail}) eine "
    "Auskunftssperre vermerkt, in dieser nicht. Wie gewählt "
    "(--sperre-zurueckhalten) wird auch diese Zeile nicht exportiert; sonst "
    "bekäme das Elternteil trotz Sperre ein Konto. Bitte die Sperre im "
    "Schulverwaltungsprogramm bei allen Kindern eintragen und von Hand "
    "entscheiden, ob und wie das Elternteil in IServ angelegt wird.",
)


MAYBE_SAME_PERSON = define_code(
    "auskunftssperre_vielleicht",
    "warnung",
    "Vielleicht dieselbe Person wie ein Elternteil mit Auskunftssperre",
    "Dieses Elternteil ist vielleicht dieselbe Person wie in {detail}, wo eine "
    "Auskunftssperre vermerkt ist. Ist es dieselbe Person, bekäme sie über diese "
    "Zeile trotz Sperre ein Konto. Bitte in der Dublettenprüfung „gleich“ oder "
    "„verschieden“ wählen und, wenn gleich, die Sperre im "
    "Schulverwaltungsprogramm bei allen Kindern eintragen.",
)


def flagged_rows(findings: pl.DataFrame) -> pl.Series:
    """The ``_row`` ids with an Auskunftssperre finding."""
    flagged = findings.filter(pl.col("code").is_in(FLAG_CODES))
    return flagged.get_column(ROW_ID).drop_nulls().unique().sort()


def _flagged_zeilen(resolved: pl.DataFrame, flagged: pl.Series) -> pl.DataFrame:
    """Per person with a flagged row: ``person`` and the rows (``_zeilen``)."""
    return (
        resolved.filter(pl.col(ROW_ID).is_in(flagged.implode()))
        .group_by("person")
        .agg(pl.col("zeile").unique().sort().cast(pl.String).alias("_zeilen"))
    )


def same_person_findings(
    resolved: pl.DataFrame, flagged: pl.Series, *, hold: bool
) -> pl.DataFrame:
    """Findings for the unflagged rows of persons with a flagged row.

    ``resolved`` is the person resolution's frame (a ``person`` per row),
    ``flagged`` the ``_row`` ids with an Auskunftssperre. ``hold`` chooses the
    held-back code (``fehler``) over the review one (``warnung``).

    >>> resolved = pl.DataFrame({"_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "person": ["p1", "p1", "p2"], "auskunftssperre": ["ja", None, None]})
    >>> found = same_person_findings(resolved, pl.Series([0]), hold=True)
    >>> found.select("zeile", "code").rows()
    [(3, 'auskunftssperre_person_zurueckgehalten')]
    """
    if flagged.is_empty() or resolved.is_empty():
        return empty_findings()
    is_flagged = pl.col(ROW_ID).is_in(flagged.implode())
    where = _flagged_zeilen(resolved, flagged)
    companions = resolved.filter(~is_flagged).join(where, on="person", how="inner")
    if companions.is_empty():
        return empty_findings()
    detail = pl.concat_str(pl.lit("Zeile "), pl.col("_zeilen").list.join(", "))
    code = SAME_PERSON_HELD if hold else SAME_PERSON
    wert = (
        pl.col("auskunftssperre")
        if "auskunftssperre" in companions.columns
        else pl.lit(None, pl.String)
    )
    return findings_for_rows(
        companions.sort(ROW_ID),
        code=code.code,
        feld="auskunftssperre",
        wert=wert,
        detail=detail,
    )


def unsure_partner_findings(
    resolved: pl.DataFrame, pairs: pl.DataFrame | None, flagged: pl.Series
) -> pl.DataFrame:
    """Warnings for persons that may be the same as a person with a Sperre.

    ``pairs`` are the resolution's review pairs (``_row_a``, ``_row_b``,
    ``entscheidung``, ``zusammen``); an unsure pair kept apart whose one side
    belongs to a person with a flagged row warns every row of the other side.

    >>> resolved = pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "person": ["p1", "p2"], "auskunftssperre": ["ja", None]})
    >>> pairs = pl.DataFrame({"_row_a": [0], "_row_b": [1],
    ...     "entscheidung": ["unsicher"], "zusammen": [False]})
    >>> found = unsure_partner_findings(resolved, pairs, pl.Series([0]))
    >>> found.select("zeile", "code").rows()
    [(3, 'auskunftssperre_vielleicht')]
    """
    if pairs is None or pairs.is_empty() or flagged.is_empty():
        return empty_findings()
    person_of = resolved.select(ROW_ID, "person")
    where = _flagged_zeilen(resolved, flagged)
    unsure = pairs.filter(
        (pl.col("entscheidung") == "unsicher") & ~pl.col("zusammen")
    ).select(pl.col("_row_a").cast(pl.UInt32), pl.col("_row_b").cast(pl.UInt32))
    sides = unsure.join(
        person_of.rename({ROW_ID: "_row_a", "person": "_pa"}), on="_row_a"
    ).join(person_of.rename({ROW_ID: "_row_b", "person": "_pb"}), on="_row_b")
    both_ways = pl.concat(
        [
            sides.select(pl.col("_pa").alias("_from"), pl.col("_pb").alias("person")),
            sides.select(pl.col("_pb").alias("_from"), pl.col("_pa").alias("person")),
        ]
    )
    targets = (
        both_ways.join(where.rename({"person": "_from"}), on="_from")
        .filter(~pl.col("person").is_in(where.get_column("person").implode()))
        .group_by("person")
        .agg(
            pl.col("_zeilen")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .unique()
            .sort()
        )
    )
    rows = resolved.join(targets, on="person", how="inner").sort(ROW_ID)
    if rows.is_empty():
        return empty_findings()
    detail = pl.concat_str(pl.lit("Zeile "), pl.col("_zeilen").list.join(", "))
    return findings_for_rows(
        rows, code=MAYBE_SAME_PERSON.code, feld="auskunftssperre", detail=detail
    )
