"""What the IServ import will do with the resolved table: a preview.

:func:`preview_iserv` counts the parent accounts the import creates (one per
resolved person), the parents with several children, the children without
any guardian (given the pupil list) and the children with more than four
guardians. It also replays IServ's own same-person rule on the rows as they
will be uploaded (same name **and** a shared address, e-mail or phone; this
rule is documented by IServ only loosely, so the result is an estimate) and
reports where IServ would split a person into several accounts or join
different persons into one. :func:`render_preview` renders it in German
Markdown for ``protokoll.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from elternkit.persons_keys import person_or_row
from elternkit.schema import MAX_GUARDIANS

_SHOWN_IDS = 20


@dataclass
class IServPreview:
    """Counts and small tables describing the import's effect.

    Attributes
    ----------
    rows
        Rows of the import file (parent–child pairs).
    accounts
        Parent accounts the import creates (distinct persons).
    children
        Distinct Kind-IDs in the file.
    several_children
        One row per parent with two or more children: ``person``,
        ``vorname``, ``nachname``, ``kinder`` (count), ``kind_ids``.
    over_four
        Children with more than four guardians: ``kind_id``, ``eltern``.
    without_guardian
        Pupils of the pupil list without any guardian row (``None`` when no
        pupil list was given).
    iserv_accounts
        Accounts IServ's own rule would create from these rows (estimate).
    split_persons
        Persons IServ would spread over several accounts.
    joined_persons
        Accounts IServ would give to two or more different persons.
    """

    rows: int
    accounts: int
    children: int
    several_children: pl.DataFrame
    over_four: pl.DataFrame
    without_guardian: pl.DataFrame | None
    iserv_accounts: int
    split_persons: int
    joined_persons: int


def iserv_groups(frame: pl.DataFrame) -> pl.Series:
    """Label each row with the account IServ's same-person rule would give it.

    Rows with the same Vorname and Nachname are one account when they share
    the address, the e-mail or the phone, or when all three are equal
    (also when all are empty). Chains count: label propagation until stable.
    """
    keys = ["adresse", "email", "telefon"]
    work = frame.select(
        "vorname",
        "nachname",
        "adresse",
        "email",
        "telefon",
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_g"),
    )
    full = ["vorname", "nachname", "adresse", "email", "telefon"]
    work = work.with_columns(pl.col("_g").min().over(full))
    while True:
        before = work["_g"]
        for key in keys:
            group = ["vorname", "nachname", key]
            work = work.with_columns(
                pl.when(pl.col(key).is_not_null())
                .then(pl.col("_g").min().over(group))
                .otherwise(pl.col("_g"))
                .alias("_g")
            )
            work = work.with_columns(pl.col("_g").gather(pl.col("_g")))
        if work["_g"].equals(before):
            return work["_g"]


def preview_iserv(
    frame: pl.DataFrame, *, pupils: pl.DataFrame | None = None
) -> IServPreview:
    """Preview the effect of importing the resolved long table into IServ.

    Parameters
    ----------
    frame
        The long table after person resolution and harmonisation (rows that
        are held back should already be removed).
    pupils
        Optional pupil list with ``kind_id`` (and optionally ``vorname``,
        ``nachname``, ``klasse``) to find children without any guardian.

    Examples
    --------
    >>> df = pl.DataFrame({
    ...     "_row": [0, 1, 2], "person": ["P1", "P1", "P2"],
    ...     "vorname": ["Anna", "Anna", "Lars"],
    ...     "nachname": ["Beispiel"] * 3,
    ...     "adresse": ["Hauptstr. 1"] * 3, "email": [None] * 3,
    ...     "telefon": [None] * 3, "kind_id": ["1001", "1002", "1001"],
    ... })
    >>> p = preview_iserv(df, pupils=pl.DataFrame({"kind_id": ["1001", "1003"]}))
    >>> p.accounts, p.several_children.height, p.without_guardian["kind_id"].to_list()
    (2, 1, ['1003'])
    """
    work = frame.with_columns(
        person_or_row().alias("_p"), pl.col("kind_id").str.strip_chars()
    )
    per_person = work.group_by("_p").agg(
        pl.col("vorname").first(),
        pl.col("nachname").first(),
        pl.col("kind_id").drop_nulls().unique().sort().alias("kind_ids"),
    )
    several = (
        per_person.with_columns(pl.col("kind_ids").list.len().alias("kinder"))
        .filter(pl.col("kinder") > 1)
        .select(
            pl.col("_p").alias("person"), "vorname", "nachname", "kinder", "kind_ids"
        )
        .sort("kinder", "nachname", "vorname", descending=[True, False, False])
    )
    over_four = (
        work.filter(pl.col("kind_id").is_not_null())
        .group_by("kind_id")
        .agg(pl.col("_p").n_unique().alias("eltern"))
        .filter(pl.col("eltern") > MAX_GUARDIANS)
        .sort("kind_id")
    )
    missing = None
    if pupils is not None:
        known = work["kind_id"].drop_nulls().unique().implode()
        missing = (
            pupils.with_columns(pl.col("kind_id").cast(pl.String).str.strip_chars())
            .filter(pl.col("kind_id").is_not_null() & ~pl.col("kind_id").is_in(known))
            .unique("kind_id", keep="first")
            .sort("kind_id")
        )

    accounts = work.with_columns(iserv_groups(work).alias("_acc"))
    split = accounts.group_by("_p").agg(pl.col("_acc").n_unique().alias("_n"))
    joined = accounts.group_by("_acc").agg(pl.col("_p").n_unique().alias("_n"))
    return IServPreview(
        rows=frame.height,
        accounts=per_person.height,
        children=work["kind_id"].drop_nulls().n_unique(),
        several_children=several,
        over_four=over_four,
        without_guardian=missing,
        iserv_accounts=accounts["_acc"].n_unique(),
        split_persons=split.filter(pl.col("_n") > 1).height,
        joined_persons=joined.filter(pl.col("_n") > 1).height,
    )


def render_preview(preview: IServPreview) -> str:
    """Render the preview as a German Markdown section for ``protokoll.md``."""
    lines = [
        "## Vorschau: was der IServ-Import anlegt",
        "",
        "| | Anzahl |",
        "|---|---|",
        f"| Zeilen der Importdatei (Elternteil–Kind) | {preview.rows} |",
        f"| Elternkonten (verschiedene Personen) | {preview.accounts} |",
        f"| Kinder (Kind-IDs) | {preview.children} |",
        f"| Eltern mit mehreren Kindern | {preview.several_children.height} |",
        f"| Kinder mit mehr als {MAX_GUARDIANS} Eltern | {preview.over_four.height} |",
    ]
    if preview.without_guardian is not None:
        missing = preview.without_guardian.height
        lines.append(f"| Kinder der Schülerliste ohne Eltern | {missing} |")
    lines += ["", _iserv_rule_text(preview)]
    notes = [
        (
            preview.without_guardian,
            "Kinder ohne Eltern in der Datei (Kind-ID): {ids}. Für sie kann sich "
            "kein Elternteil registrieren; bitte die Erziehungsberechtigten im "
            "Schulverwaltungsprogramm nachtragen.",
        ),
        (
            preview.over_four,
            f"Kinder mit mehr als {MAX_GUARDIANS} Eltern (Kind-ID): {{ids}}. Das "
            "deutet auf nicht erkannte Dubletten oder eine doppelt vergebene "
            "Kind-ID hin; bitte in der Prüfmappe ansehen.",
        ),
    ]
    for table, text in notes:
        if table is not None and table.height:
            ids = ", ".join(table["kind_id"].to_list()[:_SHOWN_IDS])
            more = " …" if table.height > _SHOWN_IDS else ""
            lines += ["", text.format(ids=ids + more)]
    return "\n".join(lines) + "\n"


def _iserv_rule_text(preview: IServPreview) -> str:
    head = (
        f"Nach der (nicht offiziell bestätigten) Regel von IServ – gleicher Name "
        f"und gleiche Adresse, E-Mail oder Telefonnummer – entstünden "
        f"{preview.iserv_accounts} Konten."
    )
    if preview.split_persons == 0 and preview.joined_persons == 0:
        return head + " Das stimmt mit der Personenzuordnung überein."
    parts = []
    if preview.split_persons:
        parts.append(
            f"{preview.split_persons} Person(en) bekämen mehrere Konten, die "
            "später von Hand zusammengeführt werden müssten"
        )
    if preview.joined_persons:
        parts.append(
            f"{preview.joined_persons}-mal bekämen verschiedene Personen ein "
            "gemeinsames Konto und sähen die Kinder des anderen"
        )
    return (
        head
        + " Abweichung: "
        + "; ".join(parts)
        + ". Bitte die Dubletten-Hinweise in probleme.csv prüfen."
    )
