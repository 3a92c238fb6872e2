"""Turn every export layout into the long table.

Wide exports (guardian 1 and 2 side by side, father/mother blocks, repeated
header names) become one row per guardian block; long exports keep their rows;
a pupil file is joined to a guardian file on the Kind-ID. The result has the
canonical columns of :mod:`elternkit.schema` (without ``_row``, which the
pipeline assigns once all sources are joined).
"""

from __future__ import annotations

import polars as pl

from elternkit.findings import concat_findings, define_code, findings_for_rows
from elternkit.mapping import ColumnMapping
from elternkit.schema import ROW_ID, conform_long, empty_findings
from elternkit.synonyms import header_tokens, synonym_priority

define_code(
    "kind_ohne_eltern",
    "warnung",
    "Kind ohne Elterndaten in der Exportdatei",
    "Für das Kind {wert} steht in dieser Zeile kein Elternteil (alle "
    "Elternblöcke sind leer). Ohne Elternzeile bekommt das Kind keinen "
    "Elternzugang in IServ. Bitte die Erziehungsberechtigten im "
    "Schulverwaltungsprogramm nachtragen und neu exportieren.",
)

ID_COLUMNS_DISAGREE = define_code(
    "kind_id_spalten_uneins",
    "fehler",
    "Zwei Spalten kommen als Kind-ID in Frage und widersprechen sich",
    "{detail}. Welche davon die Import-ID ist, die IServ kennt, lässt sich "
    "nicht erkennen (vorläufig stünde „{wert}“ in der Importdatei); mit der "
    "falschen landen die Eltern beim falschen oder bei keinem Kind. Die Zeile "
    "wird deshalb nicht exportiert. Bitte die Spalte mit der Kind-ID von IServ "
    'festlegen: elternkit run DATEI --zuordnung "Kind-ID=Spaltenname" (oder im '
    "Notebook 02_Spalten_zuordnen).",
)

#: Fields that make a guardian block non-empty.
GUARDIAN_FIELDS = (
    "vorname",
    "nachname",
    "volle_name",
    "email",
    "telefon",
    "strasse",
    "adresse",
)

_PUPIL_CONTEXT = ("kind_id", "kind_vorname", "kind_nachname", "klasse")


def to_long(
    frame: pl.DataFrame, mapping: ColumnMapping, *, quelle: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Turn a mapped export into long rows (one per guardian–child pair).

    Parameters
    ----------
    frame
        The export as read: ``zeile`` plus one text column per header.
    mapping
        Which column holds which field, and in which guardian block.
    quelle
        The source file name, written to the ``quelle`` column.

    Returns
    -------
    The long table (canonical columns, no ``_row``) and findings about pupils
    without any guardian in a wide export.

    Examples
    --------
    >>> from elternkit.mapping import suggest_mapping
    >>> df = pl.DataFrame({"zeile": [2], "Kind-ID": ["7"],
    ...     "Erz1_Vorname": ["Anna"], "Erz1_Nachname": ["Beispiel"],
    ...     "Erz2_Vorname": [None], "Erz2_Nachname": [None]})
    >>> long, _ = to_long(df, suggest_mapping(df.columns[1:]), quelle="x.csv")
    >>> long.select("zeile", "slot", "vorname", "kind_id").rows()
    [(2, '1', 'Anna', '7')]
    """
    common = _select_fields(frame, mapping, slot=None)
    if mapping.layout == "breit":
        blocks = []
        for order, slot in enumerate(mapping.slots()):
            block = _select_fields(frame, mapping, slot=slot).with_columns(
                pl.lit(slot).alias("slot"), pl.lit(order).alias("_slot_order")
            )
            blocks.append(pl.concat([common, block], how="horizontal"))
        long = pl.concat(blocks, how="diagonal_relaxed") if blocks else common
    else:
        long = common.with_columns(pl.lit(0).alias("_slot_order"))
        if "slot_label" in long.columns:
            long = long.with_columns(
                pl.col("slot_label").fill_null("1").alias("slot")
            ).drop("slot_label")
        else:
            long = long.with_columns(pl.lit("1").alias("slot"))

    long = _split_compound_fields(long)
    present = [f for f in GUARDIAN_FIELDS if f in long.columns]
    has_guardian = (
        pl.any_horizontal(pl.col(present).is_not_null()) if present else pl.lit(False)
    )
    findings = _id_columns_disagree(frame, mapping, quelle=quelle)
    if mapping.layout == "breit":
        empty_rows = (
            long.group_by("zeile", maintain_order=True)
            .agg(has_guardian.any().alias("_any"), pl.col("kind_id").first())
            .filter(~pl.col("_any"))
            .with_columns(pl.lit(quelle).alias("quelle"))
        )
        missing = findings_for_rows(empty_rows, code="kind_ohne_eltern", feld="kind_id")
        findings = concat_findings([findings, missing])
        long = long.filter(has_guardian)

    long = long.with_columns(pl.lit(quelle).alias("quelle")).sort(
        "zeile", "_slot_order", maintain_order=True
    )
    return conform_long(long.drop("_slot_order")).drop(ROW_ID), findings


def _columns_by_field(
    frame: pl.DataFrame, mapping: ColumnMapping, *, slot: str | None
) -> dict[str, list[str]]:
    """The columns of each field of one block, best synonym first."""
    by_field: dict[str, list[str]] = {}
    for c in mapping.columns:
        if c.field and c.slot == slot and c.column in frame.columns:
            by_field.setdefault(c.field, []).append(c.column)
    return {
        fld: sorted(
            cols,
            key=lambda col, fld=fld: (
                synonym_priority(fld, _header_key(col)),
                frame.columns.index(col),
            ),
        )
        for fld, cols in by_field.items()
    }


def _select_fields(
    frame: pl.DataFrame, mapping: ColumnMapping, *, slot: str | None
) -> pl.DataFrame:
    """Select the columns of one block, one column per field (coalesced)."""
    exprs = [pl.col("zeile")] if slot is None else []
    for fld, cols in _columns_by_field(frame, mapping, slot=slot).items():
        exprs.append(pl.coalesce([pl.col(c) for c in cols]).alias(fld))
    return frame.select(exprs)


def _id_columns_disagree(
    frame: pl.DataFrame, mapping: ColumnMapping, *, quelle: str
) -> pl.DataFrame:
    """Findings for rows whose several Kind-ID columns hold different IDs."""
    columns = _columns_by_field(frame, mapping, slot=None).get("kind_id", [])
    if len(columns) < 2:
        return empty_findings()
    values = [pl.col(c).str.strip_chars().replace("", None).alias(c) for c in columns]
    differ = pl.concat_list(values).list.drop_nulls().list.n_unique() > 1
    # the first column is used elsewhere but empty here: another one stands in
    first_used = frame.get_column(columns[0]).str.strip_chars().replace("", None)
    if first_used.null_count() < frame.height:
        others = pl.any_horizontal(v.is_not_null() for v in values[1:])
        differ = differ | (values[0].is_null() & others)
    detail = pl.concat_str(
        [
            pl.concat_str(pl.lit(f"Spalte „{c}“: "), v.fill_null("(leer)"))
            for c, v in zip(columns, values, strict=True)
        ],
        separator="; ",
    )
    rows = frame.filter(differ).with_columns(
        pl.coalesce(columns).alias("kind_id"), pl.lit(quelle).alias("quelle")
    )
    return findings_for_rows(
        rows, code=ID_COLUMNS_DISAGREE.code, feld="kind_id", detail=detail
    )


def _header_key(column: str) -> str:
    return "".join(t for t in header_tokens(column) if not t.isdigit())


def _split_compound_fields(long: pl.DataFrame) -> pl.DataFrame:
    """Resolve helper fields: full names, pupil names, ``PLZ Ort`` in one cell."""
    if "volle_name" in long.columns:
        # a single full-name column goes to nachname; the name rules split it
        long = long.with_columns(
            pl.coalesce(
                [pl.col("nachname"), pl.col("volle_name")]
                if "nachname" in long.columns
                else [pl.col("volle_name")]
            ).alias("nachname")
        ).drop("volle_name")
    if "kind_name" in long.columns:
        name = pl.col("kind_name").str.strip_chars()
        comma = name.str.contains(",")
        first = (
            pl.when(comma)
            .then(name.str.split(",").list.last().str.strip_chars())
            .otherwise(name.str.extract(r"^(.*\S)\s+\S+$"))
        )
        last = (
            pl.when(comma)
            .then(name.str.split(",").list.first().str.strip_chars())
            .otherwise(pl.coalesce(name.str.extract(r"\s(\S+)$"), name))
        )
        fill = []
        if "kind_vorname" not in long.columns:
            fill.append(first.alias("kind_vorname"))
        if "kind_nachname" not in long.columns:
            fill.append(last.alias("kind_nachname"))
        long = long.with_columns(fill).drop("kind_name")
    if "plz_ort" in long.columns:
        parts = pl.col("plz_ort").str.strip_chars()
        fill = []
        if "plz" not in long.columns:
            fill.append(parts.str.extract(r"^(\d{4,5})\b").alias("plz"))
        if "ort" not in long.columns:
            fill.append(
                pl.coalesce(parts.str.extract(r"^\d{4,5}\s+(.*)$"), parts).alias("ort")
            )
        long = long.with_columns(fill).drop("plz_ort")
    return long


def pupils_from(frame: pl.DataFrame, mapping: ColumnMapping) -> pl.DataFrame:
    """Return the pupil table (kind_id, names, klasse) of a mapped pupil file.

    One row per Kind-ID (the first one wins); rows without Kind-ID dropped.
    """
    table = _split_compound_fields(_select_fields(frame, mapping, slot=None))
    for col in _PUPIL_CONTEXT:
        if col not in table.columns:
            table = table.with_columns(pl.lit(None, pl.String).alias(col))
    return (
        table.select("zeile", *_PUPIL_CONTEXT)
        .with_columns(pl.col("kind_id").str.strip_chars())
        .filter(pl.col("kind_id").is_not_null() & (pl.col("kind_id") != ""))
    )


def attach_pupils(long: pl.DataFrame, pupils: pl.DataFrame) -> pl.DataFrame:
    """Fill the pupil context of the long table from a pupil file.

    Values already in the long table win; the pupil file fills the gaps.
    """
    lookup = pupils.unique("kind_id", keep="first", maintain_order=True).select(
        pl.col("kind_id").alias("_kid"),
        *[pl.col(c).alias(f"_p_{c}") for c in _PUPIL_CONTEXT[1:]],
    )
    joined = long.join(
        lookup,
        left_on=pl.col("kind_id").str.strip_chars(),
        right_on="_kid",
        how="left",
        maintain_order="left",
    )
    return joined.with_columns(
        pl.coalesce(pl.col(c), pl.col(f"_p_{c}")).alias(c) for c in _PUPIL_CONTEXT[1:]
    ).drop([f"_p_{c}" for c in _PUPIL_CONTEXT[1:]] + ["_kid"], strict=False)
