"""Compare candidate record pairs with explicit rules: same, different, unsure.

A family is not a person: two parents of one child share surname, address,
often a landline and a family e-mail. So the rules below never let shared
contact data alone merge two first names. The rules, in the order they apply:

1. two guardians of one source row (slot 1 and 2, 1a and 1b) → different;
2. first and last name swapped on one row (``Ring Roselinde`` /
   ``Roselinde Ring``) with a shared address, e-mail or phone and no
   contradicting contact data → same (harmonisation then gives both rows the
   more frequent order); with contradicting data or only a shared child →
   unsure;
3. first names of different gender (Samir/Samira, Jan/Jana) → different;
4. the same folded name (case, ä = ae, ß = ss, accents, hyphens) but
   different e-mail *and* different phone, without a shared child → unsure
   (father and son at one address); else the same name and a shared
   address, e-mail, phone or child → same;
   the same name with nothing else in common → unsure;
5. a one-letter typo or spelling variant of the first or last name (Stefan/
   Stephan, Beispiel/Beispeil) with a shared address, e-mail or phone and no
   contradicting contact data → same; with contradicting data, or on the same
   child (then it may well be a second guardian) → unsure; with nothing in
   common → different;
6. a double first name that only partly matches (Anna-Lena/Anna) with
   something in common → unsure;
7. the same first name under another surname with the same e-mail or phone
   (a changed surname?) → unsure;
8. everything else → different.

A one-letter difference counts as a variant only for names of four letters or
more (Jan/Jon is not a typo one can be sure of).

The pairs table (:func:`pairs_table`) puts the evidence of both rows side by
side; :func:`review_pairs` keeps the pairs a person should look at.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import OSA, Indel, Levenshtein

from elternkit.schema import IDENTITY_FIELDS, ROW_ID

SAME, DIFFERENT, UNSURE = "gleich", "verschieden", "unsicher"

_SIDE_COLUMNS = (
    "_k_fv",
    "_k_fn",
    "_k_fv_head",
    "_k_addr",
    "_k_email",
    "_k_tel",
    "_kinds",
    "_gender",
    "_ph_fv",
    "_ph_fn",
    "_named",
)


def _add_distances(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """Add OSA and Levenshtein distance and Indel similarity of two name keys.

    rapidfuzz runs once per distinct pair of names (``cpdist`` would need
    numpy, which is not a dependency).
    """
    a, b = f"_k_{name}_a", f"_k_{name}_b"
    distinct = frame.select(a, b).unique()
    rows = [
        (
            x,
            y,
            OSA.distance(x, y),
            Levenshtein.distance(x, y),
            Indel.normalized_similarity(x, y),
        )
        for x, y in distinct.iter_rows()
    ]
    schema = {
        a: pl.String,
        b: pl.String,
        f"_osa_{name}": pl.Int32,
        f"_lev_{name}": pl.Int32,
        f"_sim_{name}": pl.Float64,
    }
    table = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.join(table, on=[a, b], how="left", maintain_order="left")


def _both_equal(col: str) -> pl.Expr:
    return (pl.col(f"{col}_a") == pl.col(f"{col}_b")).fill_null(False)


def _both_differ(col: str) -> pl.Expr:
    return (pl.col(f"{col}_a") != pl.col(f"{col}_b")).fill_null(False)


def _variant(name: str) -> pl.Expr:
    shortest = pl.min_horizontal(
        pl.col(f"_k_{name}_a").str.len_chars(), pl.col(f"_k_{name}_b").str.len_chars()
    )
    typo = (pl.col(f"_osa_{name}") <= 1) & (shortest >= 4)
    sound = (pl.col(f"_ph_{name}_a") == pl.col(f"_ph_{name}_b")) & (
        pl.col(f"_lev_{name}") <= 2
    )
    return (pl.col(f"_k_{name}_a") != pl.col(f"_k_{name}_b")) & (typo | sound)


#: Longest folded first name read as a possible abbreviation (Th., Chr.).
ABBREVIATION_CHARS = 3


def _abbreviates(short: str, long: str) -> pl.Expr:
    """Is the first name ``short`` an abbreviation of ``long`` (``th``/``thomas``)?"""
    length = pl.col(short).str.len_chars()
    return (
        length.is_between(1, ABBREVIATION_CHARS)
        & (pl.col(long).str.len_chars() > length)
        & pl.col(long).str.starts_with(pl.col(short))
    )


def pair_features(
    pairs: pl.DataFrame, records: pl.DataFrame, cannot: pl.DataFrame
) -> pl.DataFrame:
    """Join both records of each pair and add the evidence flags."""
    side = records.select("_rec", *_SIDE_COLUMNS)
    both = pairs.join(
        side.rename({c: f"{c}_a" for c in side.columns}),
        left_on="rec_a",
        right_on="_rec_a",
    ).join(
        side.rename({c: f"{c}_b" for c in side.columns}),
        left_on="rec_b",
        right_on="_rec_b",
    )
    both = _add_distances(_add_distances(both, "fv"), "fn")
    flagged = cannot.with_columns(pl.lit(True).alias("_cl"))
    both = both.join(flagged, on=["rec_a", "rec_b"], how="left")
    gendered = pl.col("_gender_a").is_in(["m", "w"]) & pl.col("_gender_b").is_in(
        ["m", "w"]
    )
    return both.with_columns(
        pl.col("_cl").fill_null(False),
        (gendered & (pl.col("_gender_a") != pl.col("_gender_b"))).alias("_g_conf"),
        (pl.col("_k_fv_a") == pl.col("_k_fv_b")).alias("_fv_eq"),
        (pl.col("_k_fn_a") == pl.col("_k_fn_b")).alias("_fn_eq"),
        _variant("fv").alias("_fv_var"),
        _variant("fn").alias("_fn_var"),
        (
            (pl.col("_k_fv_head_a") == pl.col("_k_fv_head_b"))
            & (pl.col("_k_fv_head_a") != "")
        ).alias("_fv_head"),
        (_abbreviates("_k_fv_a", "_k_fv_b") | _abbreviates("_k_fv_b", "_k_fv_a")).alias(
            "_fv_abbr"
        ),
        _both_equal("_k_addr").alias("_addr_eq"),
        _both_equal("_k_email").alias("_email_eq"),
        _both_equal("_k_tel").alias("_tel_eq"),
        (
            _both_differ("_k_addr") | _both_differ("_k_email") | _both_differ("_k_tel")
        ).alias("_conflict"),
        (_both_differ("_k_email") & _both_differ("_k_tel")).alias(
            "_both_personal_differ"
        ),
        (pl.col("_kinds_a").list.set_intersection("_kinds_b").list.len() > 0).alias(
            "_kid"
        ),
        pl.col("_named_a").and_(pl.col("_named_b")).alias("_named"),
        (
            (pl.col("_k_fv_a") == pl.col("_k_fn_b"))
            & (pl.col("_k_fn_a") == pl.col("_k_fv_b"))
            & (pl.col("_k_fv_a") != pl.col("_k_fn_a"))
        ).alias("_swapped"),
    )


def _evidence() -> pl.Expr:
    return pl.concat_str(
        pl.when("_addr_eq").then(pl.lit("Adresse")),
        pl.when("_email_eq").then(pl.lit("E-Mail")),
        pl.when("_tel_eq").then(pl.lit("Telefon")),
        pl.when("_kid").then(pl.lit("Kind")),
        separator=", ",
        ignore_nulls=True,
    )


def _rules() -> list[tuple[pl.Expr, str, str, bool]]:
    """The rules in order: condition, verdict, reason, reason names evidence."""
    contact = pl.col("_addr_eq") | pl.col("_email_eq") | pl.col("_tel_eq")
    name_exact = pl.col("_fv_eq") & pl.col("_fn_eq")
    variant = (pl.col("_fv_var") & pl.col("_fn_eq")) | (
        pl.col("_fv_eq") & pl.col("_fn_var")
    )
    return [
        (
            pl.col("_cl"),
            DIFFERENT,
            "zwei Erziehungsberechtigte derselben Quellzeile",
            False,
        ),
        (~pl.col("_named"), DIFFERENT, "Name fehlt", False),
        (
            pl.col("_swapped") & contact & ~pl.col("_conflict"),
            SAME,
            "Vor- und Nachname vertauscht",
            True,
        ),
        (
            pl.col("_swapped") & (contact | pl.col("_kid")),
            UNSURE,
            "Vor- und Nachname vertauscht, aber andere Kontaktdaten",
            True,
        ),
        (pl.col("_g_conf"), DIFFERENT, "Vornamen verschiedenen Geschlechts", False),
        (
            name_exact & ~pl.col("_kid") & pl.col("_both_personal_differ"),
            UNSURE,
            "gleicher Name, aber E-Mail und Telefon verschieden: vielleicht "
            "zwei Personen (Vater und Sohn?)",
            True,
        ),
        (name_exact & (contact | pl.col("_kid")), SAME, "gleicher Name", True),
        (name_exact, UNSURE, "gleicher Name, sonst nichts gemeinsam", False),
        (
            variant & pl.col("_kid"),
            UNSURE,
            "ähnlicher Name beim selben Kind: vielleicht zwei Personen",
            False,
        ),
        (
            variant & contact & ~pl.col("_conflict"),
            SAME,
            "Schreibvariante des Namens",
            True,
        ),
        (
            variant & contact,
            UNSURE,
            "Schreibvariante des Namens, aber andere Kontaktdaten",
            True,
        ),
        (
            pl.col("_fn_eq") & pl.col("_fv_head") & (contact | pl.col("_kid")),
            UNSURE,
            "Doppelname nur teilweise gleich",
            True,
        ),
        (
            pl.col("_fn_eq") & pl.col("_fv_abbr") & (contact | pl.col("_kid")),
            UNSURE,
            "Vorname vielleicht abgekürzt (etwa „Th.“ und „Thomas“)",
            True,
        ),
        (
            pl.col("_fv_eq") & (pl.col("_email_eq") | pl.col("_tel_eq")),
            UNSURE,
            "gleicher Vorname, anderer Nachname",
            True,
        ),
        (
            contact,
            DIFFERENT,
            "verschiedene Vornamen; gemeinsame Kontaktdaten allein reichen nicht",
            False,
        ),
    ]


def decide_pairs(features: pl.DataFrame) -> pl.DataFrame:
    """Add ``score``, ``entscheidung`` and ``grund`` (German) to each pair.

    The first rule that holds decides; only its number is computed per pair,
    the verdict and the reason text are looked up from it.
    """
    rules = _rules()
    number = pl.when(rules[0][0]).then(pl.lit(0, pl.UInt8))
    for i, (cond, *_) in enumerate(rules[1:], start=1):
        number = number.when(cond).then(pl.lit(i, pl.UInt8))
    number = number.otherwise(pl.lit(len(rules), pl.UInt8))
    # the rule that holds for none: everything else is different
    verdicts = [verdict for _, verdict, _, _ in rules] + [DIFFERENT]
    texts = [why for _, _, why, _ in rules] + ["verschiedene Namen"]
    cited = [i for i, (*_, names_evidence) in enumerate(rules) if names_evidence]
    rule = pl.col("_rule")
    reason = rule.replace_strict(list(range(len(texts))), texts, return_dtype=pl.String)
    evidence_count = pl.sum_horizontal(
        pl.col("_addr_eq", "_email_eq", "_tel_eq", "_kid").cast(pl.Int32)
    )
    score = 0.6 * (pl.col("_sim_fv") + pl.col("_sim_fn")) / 2 + 0.4 * (
        pl.min_horizontal(evidence_count, pl.lit(2)) / 2
    )
    return (
        features.with_columns(number.alias("_rule"))
        .with_columns(
            score.round(3).alias("score"),
            rule.replace_strict(
                list(range(len(verdicts))), verdicts, return_dtype=pl.String
            ).alias("entscheidung"),
            pl.when(rule.is_in(cited))
            .then(reason + pl.lit("; gemeinsam: ") + _evidence())
            .otherwise(reason)
            .alias("grund"),
        )
        .drop("_rule")
    )


# The pairs table: evidence side by side, and what to review ---------------

#: Columns of the pairs table, besides the ``_a``/``_b`` evidence columns.
EVIDENCE_FIELDS = (*IDENTITY_FIELDS, "kind_id", "klasse", "zeile", "quelle")


def evidence_sides(keyed: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """Return the evidence of each record's representative row, by ``_rec``."""
    rep = records.select("_rec", "_rep", pl.col("_kinds").list.join(", ").alias("_k"))
    rows = keyed.select(
        ROW_ID, *[c for c in EVIDENCE_FIELDS if c != "kind_id"], pl.col("_k_fp")
    )
    side = rep.join(rows, left_on="_rep", right_on=ROW_ID).rename({"_k": "kind_id"})
    side = side.rename({"_k_fp": "key", "_rep": "_row"})
    return side.select("_rec", "_row", "key", *EVIDENCE_FIELDS)


def pairs_table(pairs: pl.DataFrame, sides: pl.DataFrame) -> pl.DataFrame:
    """Select the evidence of both representative rows side by side."""
    cols = ["_row", "key", *EVIDENCE_FIELDS]
    out = pairs.join(
        sides.rename({c: f"{c}_a" for c in cols}), left_on="rec_a", right_on="_rec"
    ).join(sides.rename({c: f"{c}_b" for c in cols}), left_on="rec_b", right_on="_rec")
    ordered = [f"{c}_{s}" for c in cols for s in ("a", "b")]
    return out.select(*ordered, "score", "entscheidung", "grund", "zusammen").sort(
        "quelle_a",
        "zeile_a",
        "quelle_b",
        "zeile_b",
        "_row_a",
        "_row_b",
        nulls_last=True,
    )


def needs_review() -> pl.Expr:
    """Unsure pairs and pairs a user decided (``grund`` names the decision)."""
    return (pl.col("entscheidung") == UNSURE) | pl.col("grund").str.starts_with(
        "Entscheidung:"
    )


def review_pairs(pairs: pl.DataFrame) -> pl.DataFrame:
    """Return the pairs of :attr:`Resolution.pairs` a person should look at.

    These are the ``unsicher`` pairs, the pairs a user decided, and the pairs
    merged into one person whose rows differ in a name or contact field (the
    evidence for the merge). Pairs judged ``verschieden`` by the rules and
    merged pairs with identical rows are left out: a state-wide file compares
    over a million pairs, nearly all of them plainly different people.

    Examples
    --------
    >>> pairs = pl.DataFrame({
    ...     "vorname_a": ["Anna", "Anna", "Lars"], "vorname_b": ["Anna", "Ana", "Eva"],
    ...     "nachname_a": ["Beispiel"] * 3, "nachname_b": ["Beispiel"] * 3,
    ...     "entscheidung": ["gleich", "gleich", "verschieden"],
    ...     "grund": ["gleicher Name", "Schreibvariante", "verschiedene Namen"],
    ...     "zusammen": [True, True, False],
    ... })
    >>> review_pairs(pairs)["vorname_b"].to_list()
    ['Ana']
    """
    fields = [f for f in IDENTITY_FIELDS if f"{f}_a" in pairs.columns]
    differ = pl.any_horizontal(
        pl.lit(False), *(pl.col(f"{f}_a").ne_missing(pl.col(f"{f}_b")) for f in fields)
    )
    return pairs.filter(needs_review() | (pl.col("zusammen") & differ))
