"""The findings of the person resolution: unsure pairs and shared e-mails.

``dublette_unsicher`` names, per row, the partners that may be the same
person but were kept apart; ``email_geteilt`` (or ``email_geteilt_entfernt``)
names the rows of different persons that give one e-mail address. Both are
built in polars, one finding per row or per address.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from elternkit.findings import define_code, findings_for_rows
from elternkit.persons_compare import UNSURE, pairs_table
from elternkit.persons_keys import sort_columns
from elternkit.schema import ROW_ID, empty_findings

define_code(
    "dublette_unsicher",
    "warnung",
    "Mögliche Dublette, nicht zusammengefasst",
    "Vielleicht dieselbe Person: {wert}, {detail}. Bleiben beide getrennt, "
    "legt IServ zwei Elternkonten an, die die Schule später von Hand "
    "zusammenführen muss. Bitte in der Dublettenprüfung „gleich“ oder "
    "„verschieden“ wählen; ohne Entscheidung bleiben beide getrennt.",
)
define_code(
    "email_geteilt",
    "hinweis",
    "Eine E-Mail-Adresse bei mehreren Personen",
    "Die E-Mail-Adresse {wert} steht bei verschiedenen Personen: {detail}. "
    "Sie werden deshalb nicht zusammengefasst; IServ nutzt die E-Mail aber als "
    "Hilfsmerkmal, und registrieren kann sich damit nur eine Person. Die "
    "Adresse bleibt bei allen (Einstellung „beide“). Bitte möglichst jeder "
    "Person eine eigene Adresse geben.",
)
define_code(
    "email_geteilt_entfernt",
    "warnung",
    "Gemeinsame E-Mail-Adresse bei Personen entfernt",
    "Die E-Mail-Adresse {wert} steht bei verschiedenen Personen, die deshalb "
    "nicht zusammengefasst werden: {detail}. Mit einer Adresse kann sich nur "
    "eine Person bei IServ registrieren. Bitte den Eltern eigene Adressen geben "
    "lassen und im Schulverwaltungsprogramm nachtragen.",
)

_POLICY_TEXT = {
    "keine": "sie wird bei allen entfernt (Einstellung „keine“)",
    "erste": "sie bleibt nur bei der Person der ersten Zeile und wird bei den "
    "anderen entfernt (Einstellung „erste“)",
}


def rows_text(places: Sequence[tuple[object, object]]) -> str:
    """Name source rows for a message: ``Zeile 2 und Zeile 3 (a.csv)``.

    >>> rows_text([(2, "a.csv"), (3, "a.csv")])
    'Zeile 2 und Zeile 3 (a.csv)'
    >>> rows_text([(2, "a.csv"), (3, "b.csv"), (4, "b.csv")])
    'Zeile 2 (a.csv), Zeile 3 (b.csv) und Zeile 4 (b.csv)'
    """
    files = {q for _, q in places}
    if len(files) == 1:
        names = [f"Zeile {z}" for z, _ in places]
        suffix = f" ({next(iter(files))})" if None not in files else ""
    else:
        names = [f"Zeile {z} ({q})" for z, q in places]
        suffix = ""
    joined = (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
    )
    return joined + suffix


def _rows_text_expr() -> pl.Expr:
    """:func:`rows_text` for the two rows of each pair, as an expression."""
    zeile_a = pl.col("zeile_a").cast(pl.String).fill_null("None")
    zeile_b = pl.col("zeile_b").cast(pl.String).fill_null("None")
    quelle_a, quelle_b = pl.col("quelle_a"), pl.col("quelle_b")
    one_file = pl.concat_str(
        pl.lit("Zeile "),
        zeile_a,
        pl.lit(" und Zeile "),
        zeile_b,
        pl.when(quelle_a.is_not_null())
        .then(" (" + quelle_a + ")")
        .otherwise(pl.lit("")),
    )
    two_files = pl.concat_str(
        pl.lit("Zeile "),
        zeile_a,
        pl.lit(" ("),
        quelle_a.fill_null("None"),
        pl.lit(") und Zeile "),
        zeile_b,
        pl.lit(" ("),
        quelle_b.fill_null("None"),
        pl.lit(")"),
    )
    return pl.when(quelle_a.eq_missing(quelle_b)).then(one_file).otherwise(two_files)


#: Further rows named in one ``dublette_unsicher`` finding.
_MORE_SHOWN = 5


def unsure_findings(compared: pl.DataFrame, sides: pl.DataFrame) -> pl.DataFrame:
    """One ``dublette_unsicher`` finding per row with unsure partners left apart.

    The first partner is described in full (rows and reason); up to
    :data:`_MORE_SHOWN` further partner rows are named, then only counted.
    """
    apart = compared.filter((pl.col("entscheidung") == UNSURE) & ~pl.col("zusammen"))
    if apart.is_empty():
        return empty_findings()
    table = pairs_table(apart, sides)
    name = pl.concat_str(
        pl.col("vorname_a").fill_null(""),
        pl.lit(" "),
        pl.col("nachname_a").fill_null(""),
    )
    pairs = table.sort("_row_a", "zeile_b", maintain_order=True).select(
        pl.col("_row_a").alias(ROW_ID),
        pl.col("zeile_a").alias("zeile"),
        pl.col("quelle_a").alias("quelle"),
        pl.col("kind_id_a").alias("kind_id"),
        name.str.strip_chars().alias("wert"),
        (_rows_text_expr() + "; Grund: " + pl.col("grund")).alias("_detail"),
        pl.col("zeile_b").cast(pl.String).alias("_other"),
    )
    # one finding per row, not per pair: a common name without any contact
    # data would otherwise give one finding for every pair of its bearers
    rows = pairs.group_by(ROW_ID, maintain_order=True).agg(
        pl.col("zeile", "quelle", "kind_id", "wert", "_detail").first(),
        pl.len().alias("_n"),
        pl.col("_other").slice(1, _MORE_SHOWN).alias("_more"),
    )
    more = (
        pl.lit("; außerdem vielleicht dieselbe Person wie Zeile ")
        + pl.col("_more").list.join(", ")
        + pl.when(pl.col("_n") > _MORE_SHOWN + 1)
        .then(pl.format(" und {} weitere", pl.col("_n") - _MORE_SHOWN - 1))
        .otherwise(pl.lit(""))
    )
    rows = rows.with_columns(
        pl.when(pl.col("_n") > 1)
        .then(pl.col("_detail") + more)
        .otherwise(pl.col("_detail"))
        .alias("_detail")
    )
    return findings_for_rows(
        rows,
        code="dublette_unsicher",
        feld="person",
        wert=pl.col("wert"),
        detail=pl.col("_detail"),
    )


def _places_text(rows: pl.DataFrame, by: str) -> pl.DataFrame:
    """:func:`rows_text` of the ``zeile``/``quelle`` places of each ``by`` group.

    Returns ``by`` and ``_where``, groups in the order of ``rows``.
    """
    zeile = pl.lit("Zeile ") + pl.col("zeile").cast(pl.String).fill_null("None")
    one_file = pl.col("quelle").n_unique().over(by) == 1
    label = (
        pl.when(one_file)
        .then(zeile)
        .otherwise(zeile + " (" + pl.col("quelle").fill_null("None") + ")")
    )
    groups = rows.group_by(by, maintain_order=True).agg(
        label.alias("_names"),
        (one_file & pl.col("quelle").is_not_null()).first().alias("_suffix"),
        pl.col("quelle").first(),
    )
    names = pl.col("_names")
    joined = (
        pl.when(names.list.len() == 1)
        .then(names.list.first())
        .otherwise(
            names.list.head(names.list.len() - 1).list.join(", ")
            + " und "
            + names.list.last()
        )
    )
    where = (
        pl.when(pl.col("_suffix"))
        .then(joined + " (" + pl.col("quelle") + ")")
        .otherwise(joined)
    )
    return groups.select(by, where.alias("_where"))


def shared_email_findings(frame: pl.DataFrame, *, policy: str) -> pl.DataFrame:
    """One finding per e-mail held by several persons, naming their rows.

    ``email_geteilt`` (hinweis) when the policy keeps the address on all,
    ``email_geteilt_entfernt`` (warnung) when it is removed from some.
    """
    email = pl.col("email").str.to_lowercase()
    mails = frame.select(
        ROW_ID, "quelle", "zeile", "slot", "kind_id", "email", "person"
    ).filter(pl.col("email").is_not_null())
    # most addresses belong to one person: sort only the shared ones
    shared = (
        mails.with_columns(email.alias("_e"))
        .filter(pl.col("person").n_unique().over("_e") > 1)
        .sort(sort_columns(), nulls_last=True)
        .group_by("_e", "person", maintain_order=True)
        .first()
    )
    if shared.is_empty():
        return empty_findings()
    groups = shared.group_by("_e", maintain_order=True).agg(
        pl.col(ROW_ID, "zeile", "quelle", "kind_id", "email").first()
    )
    groups = groups.join(_places_text(shared, "_e"), on="_e", maintain_order="left")
    code = "email_geteilt" if policy == "beide" else "email_geteilt_entfernt"
    detail = pl.col("_where")
    if policy != "beide":
        detail = detail + pl.lit(f"; {_POLICY_TEXT[policy]}")
    return findings_for_rows(
        groups, code=code, feld="email", wert=pl.col("email"), detail=detail
    )
