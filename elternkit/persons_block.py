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
    the exact (folded) address, e-mail address or phone number; when more
    than ``MAX_HOUSEHOLD`` records hold the value (a placeholder number, the
    same street in many schools of a state-wide file), only those that also
    share the first name, the surname or both names in either order;
``kind``
    a shared child (Kind-ID).

A block larger than ``max_block`` records (a common surname state-wide) is
not compared all against all: its records are sorted by name and compared
within overlapping windows of ``max_block``. Pairs are formed inside a join
that keeps only ``rec_a < rec_b``, so the work stays about linear in the
number of rows (about 1.5 candidate pairs per record in the benchmark data).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import polars as pl

from elternkit.lexicon import first_name_gender
from elternkit.persons_keys import (
    add_row_keys,
    koelner_expr,
    map_distinct,
    sort_columns,
)
from elternkit.schema import ROW_ID

logger = logging.getLogger(__name__)

#: Largest block compared all against all.
MAX_BLOCK = 200
#: Most records sharing one address, e-mail or phone that are all compared.
MAX_HOUSEHOLD = 10

#: Columns that make two rows one record (identical identity).
RECORD_KEY = ("_k_fv", "_k_fn", "_k_addr", "_k_email", "_k_tel", "_k_anchor", "_k_dup")


#: Columns of the long table that person resolution reads (others stay out of
#: the sorts and joins below: a state-wide file has a million rows).
USED_COLUMNS = (
    ROW_ID,
    "quelle",
    "zeile",
    "slot",
    "vorname",
    "nachname",
    "strasse",
    "hausnummer",
    "plz",
    "ort",
    "adresse",
    "email",
    "telefon",
    "kind_id",
    "klasse",
)


def _add_anchor(keyed: pl.DataFrame) -> pl.DataFrame:
    """Add ``_k_anchor``, the record key part beyond identity.

    A row without a name is a record of its own; a row without address,
    e-mail and phone is one record only with rows of the same child.
    """
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
    return keyed.with_columns(
        pl.when(no_name)
        .then(pl.lit("#") + source)
        .when(no_contact)
        .then(pl.col("_k_kind").fill_null(""))
        .alias("_k_anchor")
    )


def _changed(columns: Sequence[str]) -> pl.Expr:
    """Whether a row starts a new run of equal ``columns`` (sorted rows)."""
    return pl.any_horizontal(
        pl.int_range(pl.len()) == 0,
        *(pl.col(c).ne_missing(pl.col(c).shift(1)) for c in columns),
    )


def _number_records(keyed: pl.DataFrame) -> pl.DataFrame:
    """Sort the rows by record key and number the records (``_rec``).

    ``keyed`` comes in the order of :func:`sort_columns`. ``_k_dup`` numbers
    the rows of one source row (quelle, zeile) with identical identity, so
    that two slots of one source row never become one record. The sorts are
    stable, so the rows of one record keep the order of :func:`sort_columns`;
    record numbers follow the content, not the order of the rows.
    """
    identity = list(RECORD_KEY[:-1])
    # rows of one identity and one source row are adjacent after this sort
    keyed = keyed.sort(identity, nulls_last=True, maintain_order=True)
    same = _changed(identity)
    run = (same | _changed(["quelle", "zeile"])).cum_sum()
    keyed = keyed.with_columns(
        same.cum_sum().cast(pl.UInt32).alias("_same"),
        pl.int_range(pl.len(), dtype=pl.UInt32).over(run).alias("_k_dup"),
    ).sort("_same", "_k_dup", maintain_order=True)
    start = _changed(["_same", "_k_dup"])
    return keyed.with_columns((start.cum_sum() - 1).cast(pl.UInt32).alias("_rec")).drop(
        "_same"
    )


def build_records(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Collapse rows with identical identity into records.

    Returns the keyed rows (the columns of :data:`USED_COLUMNS`, the keys and
    ``_rec``) and the records: one row each with the keys, the Kind-IDs
    (``_kinds``), the fingerprints (``_fps``), the representative row (first
    by quelle, zeile, slot) and phonetic codes. Record numbers depend on
    content only, not on the order of the rows.

    Two rows without address, e-mail and phone are one record only when they
    share the child; two slots of one source row never become one record.
    """
    used = frame.select(c for c in USED_COLUMNS if c in frame.columns)
    keyed = add_row_keys(used).drop("strasse", "hausnummer", "plz", "ort")
    keyed = keyed.sort(sort_columns(), nulls_last=True)
    keyed = _number_records(_add_anchor(keyed))

    records = (
        keyed.group_by("_rec", maintain_order=True)
        .agg(
            pl.col(RECORD_KEY).first(),
            pl.col(ROW_ID).first().alias("_rep"),
            pl.col("vorname").first().alias("_vorname"),
            pl.col("_k_fv_head").first(),
            pl.col("_k_plz").drop_nulls().first(),
            pl.col("_k_kind").drop_nulls().unique().sort().alias("_kinds"),
            pl.col("_k_fp").unique().sort().alias("_fps"),
            pl.len().alias("_n"),
        )
        .with_columns(
            map_distinct(pl.col("_vorname"), first_name_gender, default=None).alias(
                "_gender"
            ),
            koelner_expr(pl.col("_k_fv")).alias("_ph_fv"),
            koelner_expr(pl.col("_k_fn")).alias("_ph_fn"),
            (pl.col("_k_fv") != "").and_(pl.col("_k_fn") != "").alias("_named"),
        )
    )
    spent = ("_k_fv", "_k_fn", "_k_fv_head", "_k_plz", "_k_kind", "_k_anchor")
    return keyed.drop(*spent, "_k_dup"), records


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


def _name_keys(named: pl.LazyFrame) -> list[pl.LazyFrame]:
    """Blocks by name: phonetic surname at one PLZ, exact name in the region."""
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
    return [
        named.select("_rec", name_ort.alias("key")),
        named.select("_rec", name.alias("key")),
    ]


def _contact_keys(
    named: pl.LazyFrame, *, max_household: int = MAX_HOUSEHOLD
) -> list[pl.LazyFrame]:
    """Blocks by a shared address, e-mail address or phone number.

    A value held by at most ``max_household`` records is one household's: all
    of them are compared. A value held by more (a placeholder number, a
    switchboard, a made-up address in many schools) only pairs records that
    also share the first name, the surname, or both names in either order:
    every other pair would be judged ``verschieden`` anyway (shared contact
    data never merges two different names).
    """
    low = pl.min_horizontal("_k_fv", "_k_fn")
    high = pl.max_horizontal("_k_fv", "_k_fn")
    out = []
    for tag, column in (("a", "_k_addr"), ("e", "_k_email"), ("t", "_k_tel")):
        value = pl.col(column)
        held = named.filter(value.is_not_null()).with_columns(
            (pl.len().over(column) <= max_household).alias("_household")
        )
        household = held.filter("_household")
        shared = held.filter(~pl.col("_household"))
        out.append(household.select("_rec", (f"{tag}|" + value).alias("key")))
        for sub, part in (("v", pl.col("_k_fv")), ("n", pl.col("_k_fn"))):
            key = pl.concat_str(pl.lit(f"{tag}{sub}"), part, value, separator="|")
            out.append(shared.select("_rec", key.alias("key")))
        both = pl.concat_str(pl.lit(f"{tag}s"), low, high, value, separator="|")
        out.append(shared.select("_rec", both.alias("key")))
    return out


def _block_keys(records: pl.DataFrame) -> pl.DataFrame:
    """Return one row per record and block with two or more records.

    Columns: ``_rec`` and ``_b``, a 64-bit hash of the block key. Two keys
    with the same hash would only add candidate pairs, never a merge.
    """
    named = (
        records.lazy()
        .filter("_named")
        .select(
            "_rec",
            "_k_fv",
            "_k_fn",
            "_ph_fv",
            "_ph_fn",
            "_k_plz",
            "_kinds",
            "_k_addr",
            "_k_email",
            "_k_tel",
        )
    )
    kinds = named.select("_rec", "_kinds").explode("_kinds")
    kind = kinds.select("_rec", ("k|" + pl.col("_kinds")).alias("key"))
    parts = [*_name_keys(named), *_contact_keys(named), kind]
    keys = (
        pl.concat(parts)
        .drop_nulls("key")
        .select("_rec", pl.col("key").hash().alias("_b"))
        .unique(["_b", "_rec"])
    )
    return keys.filter(pl.len().over("_b") > 1).collect()


def _windows(big: pl.DataFrame, records: pl.DataFrame, max_block: int) -> pl.DataFrame:
    """Cut oversized blocks into overlapping windows of ``max_block`` records.

    Records are sorted by surname and first name, so the records in a window
    are alike; two window grids shifted by half a window let every record
    meet its ``max_block / 2`` nearest neighbours on both sides. Returns
    ``_b``, ``_w`` (window, from 1) and ``_rec``.
    """
    logger.info("%d oversized blocks compared in windows", big["_b"].n_unique())
    names = records.select("_rec", "_k_fn", "_k_fv")
    big = (
        big.join(names, on="_rec")
        .sort("_b", "_k_fn", "_k_fv", "_rec")
        .with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).over("_b").alias("r"))
    )
    half = max(max_block // 2, 1)
    grids = [
        2 * (pl.col("r") // max_block) + 1,
        2 * ((pl.col("r") + half) // max_block) + 2,
    ]
    return pl.concat(big.select("_b", w.alias("_w"), "_rec") for w in grids)


def _pairs_within(blocks: pl.DataFrame) -> pl.DataFrame:
    """Return each pair ``rec_a`` < ``rec_b`` that shares a block, once.

    ``blocks`` holds ``_b``, ``_w`` and ``_rec``. The ``<`` is evaluated
    inside the join (polars fuses the filter), so neither mirrored pairs nor
    a record paired with itself are built.
    """
    ids = blocks.lazy()
    joined = ids.join(ids, on=["_b", "_w"], suffix="_b").filter(
        pl.col("_rec") < pl.col("_rec_b")
    )
    return (
        joined.select(pl.col("_rec").alias("rec_a"), pl.col("_rec_b").alias("rec_b"))
        .unique()
        .sort("rec_a", "rec_b")
        .collect()
    )


def candidate_pairs(
    records: pl.DataFrame, *, max_block: int = MAX_BLOCK
) -> pl.DataFrame:
    """Return the record pairs (``rec_a`` < ``rec_b``) that share a block.

    Blocks of at most ``max_block`` records are compared all against all,
    larger ones within windows (:func:`_windows`); the number of pairs grows
    about linearly with the number of records.
    """
    keys = _block_keys(records)
    size = pl.len().over("_b")
    small = keys.filter(size <= max_block).select(
        "_b", pl.lit(0, dtype=pl.UInt32).alias("_w"), "_rec"
    )
    big = keys.filter(size > max_block)
    if not big.is_empty():
        small = pl.concat([small, _windows(big, records, max_block)])
    return _pairs_within(small)
