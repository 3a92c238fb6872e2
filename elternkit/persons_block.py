"""Records and candidate pairs for person resolution (blocking).

Rows of the long table that agree on every identity key (folded names,
address, e-mail, phone) are first collapsed into one *record*: a parent with
three children is three rows but one record. Only records are compared, and
only within *blocks* of records that share something:

``name_ort``
    Kölner Phonetik of the surname, PLZ and the first phonetic digit of the
    first name (so Meier/Mayer at one PLZ meet, Stefan/Stephan too);
``name``
    the exact folded name within the PLZ region (first two digits), so a
    parent who moved within the region is found; in a state-wide file the
    many people who merely share a common name are not all paired;
``adresse``, ``email``, ``telefon``
    the exact (folded) address, e-mail address or phone number;
``kind``
    a shared child (Kind-ID).

A block larger than ``max_block`` records (a common surname state-wide, a
placeholder e-mail) is not compared all against all: its records are sorted
by name and compared within overlapping windows of ``max_block``, so the work
stays about linear in the number of rows.
"""

from __future__ import annotations

import logging

import polars as pl

from elternkit.lexicon import first_name_gender
from elternkit.persons_keys import add_row_keys, koelner_expr, sort_columns
from elternkit.schema import ROW_ID

logger = logging.getLogger(__name__)

#: Largest block compared all against all.
MAX_BLOCK = 200

#: Columns that make two rows one record (identical identity).
RECORD_KEY = ("_k_fv", "_k_fn", "_k_addr", "_k_email", "_k_tel", "_k_anchor", "_k_dup")


def _gender_expr(expr: pl.Expr) -> pl.Expr:
    def batch(series: pl.Series) -> pl.Series:
        values = series.unique().drop_nulls().to_list()
        mapping = {v: first_name_gender(v) for v in values}
        return series.replace_strict(mapping, default=None, return_dtype=pl.String)

    return expr.map_batches(batch, return_dtype=pl.String)


def build_records(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Collapse rows with identical identity into records.

    Returns the keyed rows (with ``_rec``) and the records: one row each with
    the keys, the Kind-IDs (``_kinds``), the fingerprints (``_fps``), the
    representative row (first by quelle, zeile, slot) and phonetic codes.
    Record numbers depend on content only, not on the order of the rows.

    Two rows without address, e-mail and phone are one record only when they
    share the child; two slots of one source row never become one record.
    """
    keyed = add_row_keys(frame).sort(sort_columns(), nulls_last=True)
    no_contact = pl.all_horizontal(
        pl.col("_k_addr").is_null(),
        pl.col("_k_email").is_null(),
        pl.col("_k_tel").is_null(),
    )
    no_name = (pl.col("_k_fv") == "") & (pl.col("_k_fn") == "")
    source = pl.concat_str(
        pl.col("quelle").fill_null(""),
        pl.col("zeile").cast(pl.String).fill_null(""),
        pl.col("slot").fill_null(""),
        separator="|",
    )
    keyed = keyed.with_columns(
        pl.when(no_name)
        .then(pl.lit("#") + source)
        .when(no_contact)
        .then(pl.col("_k_kind").fill_null(""))
        .alias("_k_anchor")
    )
    same_source = ["quelle", "zeile", *RECORD_KEY[:-1]]
    keyed = keyed.with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).over(same_source).alias("_k_dup")
    )

    records = (
        keyed.group_by(RECORD_KEY)
        .agg(
            pl.col(ROW_ID).first().alias("_rep"),
            pl.col("vorname").first().alias("_vorname"),
            pl.col("_k_fv_head").first(),
            pl.col("_k_plz").drop_nulls().first(),
            pl.col("_k_kind").drop_nulls().unique().sort().alias("_kinds"),
            pl.col("_k_fp").unique().sort().alias("_fps"),
            pl.len().alias("_n"),
        )
        .sort(RECORD_KEY, nulls_last=True)
        .with_row_index("_rec")
        .with_columns(
            _gender_expr(pl.col("_vorname")).alias("_gender"),
            koelner_expr(pl.col("_k_fv")).alias("_ph_fv"),
            koelner_expr(pl.col("_k_fn")).alias("_ph_fn"),
            (pl.col("_k_fv") != "").and_(pl.col("_k_fn") != "").alias("_named"),
        )
    )
    keyed = keyed.join(
        records.select(*RECORD_KEY, "_rec"), on=RECORD_KEY, nulls_equal=True
    )
    return keyed, records


def cannot_link_pairs(keyed: pl.DataFrame) -> pl.DataFrame:
    """Return record pairs from one source row (same quelle and zeile).

    Guardians of one source record (slot 1 and 2, father and mother, a cell
    split into 1a/1b) are certainly different people.
    """
    src = keyed.select("quelle", "zeile", "_rec").unique()
    pairs = src.join(src, on=["quelle", "zeile"], suffix="_b", nulls_equal=True)
    pairs = pairs.filter(pl.col("_rec") < pl.col("_rec_b"))
    return pairs.select(
        pl.col("_rec").alias("rec_a"), pl.col("_rec_b").alias("rec_b")
    ).unique()


def _block_keys(records: pl.DataFrame) -> list[pl.DataFrame]:
    named = records.filter("_named")
    order = pl.concat_str("_k_fn", "_k_fv", separator="|").alias("order")
    first_digit = pl.col("_ph_fv").str.slice(0, 1)
    name_ort = pl.concat_str(
        pl.lit("o"),
        "_ph_fn",
        pl.col("_k_plz").fill_null("?"),
        first_digit,
        separator="|",
    )
    region = pl.col("_k_plz").str.slice(0, 2).fill_null("?")
    name = pl.concat_str(pl.lit("n"), "_k_fn", "_k_fv", region, separator="|")
    kinds = named.select("_rec", "_kinds", order).explode("_kinds")
    return [
        named.select("_rec", name_ort.alias("key"), order),
        named.select("_rec", name.alias("key"), order),
        named.select("_rec", ("a|" + pl.col("_k_addr")).alias("key"), order),
        named.select("_rec", ("e|" + pl.col("_k_email")).alias("key"), order),
        named.select("_rec", ("t|" + pl.col("_k_tel")).alias("key"), order),
        kinds.select("_rec", ("k|" + pl.col("_kinds")).alias("key"), "order"),
    ]


def candidate_pairs(
    records: pl.DataFrame, *, max_block: int = MAX_BLOCK
) -> pl.DataFrame:
    """Return the record pairs (``rec_a`` < ``rec_b``) that share a block."""
    keys = pl.concat(_block_keys(records)).drop_nulls("key").unique(["key", "_rec"])
    keys = keys.with_columns(pl.len().over("key").alias("size")).filter(
        pl.col("size") > 1
    )
    small = keys.filter(pl.col("size") <= max_block).select("key", "_rec")
    big = keys.filter(pl.col("size") > max_block)
    if not big.is_empty():
        logger.info("%d oversized blocks compared in windows", big["key"].n_unique())
        big = big.sort("key", "order", "_rec").with_columns(
            pl.int_range(pl.len()).over("key").alias("r")
        )
        half = max(max_block // 2, 1)
        windows = [
            big.select(
                pl.concat_str("key", pl.lit("#a"), (pl.col("r") // max_block)),
                "_rec",
            ),
            big.select(
                pl.concat_str("key", pl.lit("#b"), ((pl.col("r") + half) // max_block)),
                "_rec",
            ),
        ]
        small = pl.concat([small, *[w.rename({w.columns[0]: "key"}) for w in windows]])
    pairs = small.join(small, on="key", suffix="_b")
    pairs = pairs.filter(pl.col("_rec") < pl.col("_rec_b"))
    return (
        pairs.select(pl.col("_rec").alias("rec_a"), pl.col("_rec_b").alias("rec_b"))
        .unique()
        .sort("rec_a", "rec_b")
    )
