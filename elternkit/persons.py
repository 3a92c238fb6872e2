"""Person resolution: which rows of the long table are the same guardian.

IServ links rows to one parent account when the name and an auxiliary
identifier (address, phone or e-mail) match. A parent whose siblings' records
disagree gets two accounts; two different people merged by mistake is worse
(one would see the other's children). :func:`find_duplicates` decides which
rows are one person and shows its evidence:

1. rows with identical identity are collapsed into records
   (:mod:`elternkit.persons_block`);
2. candidate pairs are formed within blocks (phonetic surname and PLZ, exact
   name, e-mail, phone, shared child), so the work grows about linearly;
3. each pair is judged ``gleich``, ``verschieden`` or ``unsicher`` by explicit
   rules (:mod:`elternkit.persons_compare`);
4. the user's review decisions (:class:`PairDecision`) override the rules;
5. sure pairs are merged into persons, never across a known difference
   (:mod:`elternkit.persons_cluster`).

Unsure pairs are kept apart (unless ``Options.merge_unsure``) and reported as
``dublette_unsicher``; an e-mail shared by different persons is reported as
``email_geteilt`` (both built in :mod:`elternkit.persons_findings`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from elternkit.harmonize import FieldOverride, harmonize_persons
from elternkit.options import Options
from elternkit.persons_block import build_records, candidate_pairs, cannot_link_pairs
from elternkit.persons_cluster import cluster_records, person_ids
from elternkit.persons_compare import (
    DIFFERENT,
    SAME,
    UNSURE,
    decide_pairs,
    evidence_sides,
    needs_review,
    pair_features,
    pairs_table,
    review_pairs,
)
from elternkit.persons_findings import shared_email_findings, unsure_findings
from elternkit.persons_keys import (
    fingerprint_expr,
    koelner_phonetik,
    row_fingerprint,
)
from elternkit.preview import IServPreview, preview_iserv, render_preview
from elternkit.schema import (
    ROW_ID,
    empty_changes,
    empty_findings,
)

__all__ = [
    "FieldOverride",
    "IServPreview",
    "PairDecision",
    "Resolution",
    "find_duplicates",
    "fingerprint_expr",
    "harmonize_persons",
    "koelner_phonetik",
    "preview_iserv",
    "render_preview",
    "review_pairs",
    "row_fingerprint",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PairDecision:
    """A person's decision about a pair: the same guardian or not.

    ``key_a`` and ``key_b`` are row fingerprints
    (:func:`elternkit.persons_keys.fingerprint_expr`), so the decision still
    applies to next year's export. Plain data, stored in the Rezept.
    """

    key_a: str
    key_b: str
    same: bool
    author: str | None = None
    date: str | None = None
    note: str | None = None


@dataclass
class Resolution:
    """Result of :func:`find_duplicates`.

    Attributes
    ----------
    frame
        The long table with ``person`` filled.
    findings
        ``dublette_unsicher`` and ``email_geteilt``.
    changes
        Always empty: resolution changes no cell (see
        :func:`elternkit.harmonize.harmonize_persons`).
    unmatched_decisions
        Decisions whose rows are not in this export (a conflict to list).
    pairs
        Every compared pair with the evidence side by side (built on first
        use; a state-wide file has over a million): ``score``,
        ``entscheidung`` (gleich/verschieden/unsicher), ``grund`` and
        ``zusammen`` (whether both ended in one person).
    review_pairs
        Only the pairs a person should look at (see :func:`review_pairs`).
    """

    frame: pl.DataFrame
    findings: pl.DataFrame = field(default_factory=empty_findings)
    changes: pl.DataFrame = field(default_factory=empty_changes)
    unmatched_decisions: list[PairDecision] = field(default_factory=list)
    compared: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)
    sides: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)

    @functools.cached_property
    def pairs(self) -> pl.DataFrame:
        """Every compared pair with the evidence of both rows."""
        return pairs_table(self.compared, self.sides)

    @functools.cached_property
    def review_pairs(self) -> pl.DataFrame:
        """The pairs to review, like ``review_pairs(resolution.pairs)``."""
        worth = needs_review() | pl.col("zusammen")
        return review_pairs(pairs_table(self.compared.filter(worth), self.sides))


def _decision_pairs(
    records: pl.DataFrame, decisions: Sequence[PairDecision]
) -> tuple[pl.DataFrame, list[PairDecision]]:
    """Map decisions on fingerprints to record pairs."""
    keys = [k for d in decisions for k in (d.key_a, d.key_b)]
    wanted = pl.Series(keys, dtype=pl.String)
    by_fp = (
        records.select("_rec", "_fps")
        .explode("_fps")
        .filter(pl.col("_fps").is_in(wanted.implode()))
    )
    lookup: dict[str, list[int]] = {}
    for rec, fp in by_fp.iter_rows():
        lookup.setdefault(fp, []).append(rec)
    rows, unmatched = [], []
    for d in decisions:
        recs_a, recs_b = lookup.get(d.key_a, []), lookup.get(d.key_b, [])
        if not recs_a or not recs_b:
            unmatched.append(d)
            continue
        who = ", ".join(x for x in (d.author, d.date) if x)
        why = ("Entscheidung: gleich" if d.same else "Entscheidung: verschieden") + (
            f" ({who})" if who else ""
        )
        rows += [
            (min(a, b), max(a, b), d.same, why)
            for a in recs_a
            for b in recs_b
            if a != b
        ]
    schema = {
        "rec_a": pl.UInt32,
        "rec_b": pl.UInt32,
        "_same": pl.Boolean,
        "_why": pl.String,
    }
    table = pl.DataFrame(rows, schema=schema, orient="row")
    return table.unique(["rec_a", "rec_b"], keep="last", maintain_order=True), unmatched


def _judge(
    records: pl.DataFrame,
    keyed: pl.DataFrame,
    decisions: Sequence[PairDecision],
) -> tuple[pl.DataFrame, pl.DataFrame, list[PairDecision]]:
    """Compare candidate pairs, apply decisions; return pairs and cannot-links."""
    cannot = cannot_link_pairs(keyed)
    decided, unmatched = _decision_pairs(records, decisions)
    pairs = pl.concat(
        [candidate_pairs(records), decided.select("rec_a", "rec_b")]
    ).unique()
    pairs = decide_pairs(pair_features(pairs, records, cannot)).select(
        "rec_a", "rec_b", "score", "entscheidung", "grund"
    )
    pairs = pairs.join(decided, on=["rec_a", "rec_b"], how="left")
    pairs = pairs.with_columns(
        pl.when(pl.col("_same").is_null())
        .then(pl.col("entscheidung"))
        .when(pl.col("_same"))
        .then(pl.lit(SAME))
        .otherwise(pl.lit(DIFFERENT))
        .alias("entscheidung"),
        pl.coalesce("_why", "grund").alias("grund"),
        pl.col("_same").is_not_null().alias("_user"),
    )
    user_apart = decided.filter(~pl.col("_same")).select("rec_a", "rec_b")
    hard = pl.concat(
        [
            cannot,
            user_apart,
            pairs.filter(pl.col("entscheidung") == DIFFERENT).select("rec_a", "rec_b"),
        ]
    ).unique()
    return pairs, hard, unmatched


def _assign_persons(
    keyed: pl.DataFrame,
    records: pl.DataFrame,
    pairs: pl.DataFrame,
    hard: pl.DataFrame,
    *,
    merge_unsure: bool,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Cluster records, name persons; return ``_row`` → ``person`` and pairs."""
    wanted = [SAME, UNSURE] if merge_unsure else [SAME]
    merges = pairs.filter(pl.col("entscheidung").is_in(wanted)).select(
        "rec_a",
        "rec_b",
        (
            pl.col("_user").cast(pl.Float64) * 10
            + (pl.col("entscheidung") == SAME).cast(pl.Float64) * 2
            + pl.col("score")
        ).alias("prioritaet"),
    )
    comp, refused = cluster_records(records.height, merges, hard)
    rows = keyed.select(
        ROW_ID, comp.gather(keyed["_rec"]), "_k_fp", "_k_addr", "_k_email", "_k_tel"
    )
    persons = rows.join(person_ids(rows), on="_comp").select(ROW_ID, "person")

    refused = refused.with_columns(pl.lit(True).alias("_refused"))
    pairs = pairs.join(refused, on=["rec_a", "rec_b"], how="left").with_columns(
        pl.when(pl.col("_refused"))
        .then(pl.lit(UNSURE))
        .otherwise(pl.col("entscheidung"))
        .alias("entscheidung"),
        pl.when(pl.col("_refused"))
        .then(pl.col("grund") + pl.lit("; widerspricht einer anderen Zuordnung"))
        .otherwise(pl.col("grund"))
        .alias("grund"),
        (comp.gather(pairs["rec_a"]) == comp.gather(pairs["rec_b"])).alias("zusammen"),
    )
    return persons, pairs


def find_duplicates(
    frame: pl.DataFrame,
    *,
    decisions: Sequence[PairDecision] | None = None,
    options: Options = Options(),
) -> Resolution:
    """Decide which rows of the long table belong to the same guardian.

    Parameters
    ----------
    frame
        The cleaned long table (names proper-cased, ``adresse`` composed).
    decisions
        Review decisions; ``same=False`` keeps even a sure pair apart,
        ``same=True`` merges even an unsure one (never two guardians of one
        source row).
    options
        ``merge_unsure`` merges unsure pairs; ``shared_email`` is named in
        the ``email_geteilt`` finding (applied by ``harmonize_persons``).

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 3], "slot": ["1", "1", "2"],
    ...     "kind_id": ["1001", "1002", "1002"],
    ...     "vorname": ["Stefan", "Stephan", "Sabine"],
    ...     "nachname": ["Müller", "Mueller", "Müller"],
    ...     "email": ["mueller@example.org"] * 3,
    ... }))
    >>> res = find_duplicates(df)
    >>> p = res.frame["person"].to_list()
    >>> p[0] == p[1], p[1] == p[2]
    (True, False)
    """
    keyed, records = build_records(frame)
    pairs, hard, unmatched = _judge(records, keyed, decisions or ())
    persons, pairs = _assign_persons(
        keyed, records, pairs, hard, merge_unsure=options.merge_unsure
    )
    out = frame.drop("person").join(
        persons, on=ROW_ID, how="left", maintain_order="left"
    )
    out = out.select(frame.columns)
    compared = pairs.select(
        "rec_a", "rec_b", "score", "entscheidung", "grund", "zusammen"
    )
    sides = evidence_sides(keyed, records)
    findings = pl.concat(
        [
            unsure_findings(compared, sides),
            shared_email_findings(out, policy=options.shared_email),
        ]
    )
    logger.info(
        "%d rows, %d records, %d pairs compared, %d persons",
        frame.height,
        records.height,
        compared.height,
        out["person"].n_unique(),
    )
    return Resolution(out, findings, empty_changes(), unmatched, compared, sides)
