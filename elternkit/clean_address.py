"""Address rules: street, house number, PLZ and Ort written one way.

IServ compares the address of two rows to decide whether they belong to one
parent. ``Hauptstraße 1`` on one child's row and ``Hauptstr.1`` on a sibling's
row would make two accounts for one person, so every address part is written
in one form and ``adresse`` is composed from the cleaned parts only:
``Musterstr. 47, 01067 Dresden`` (street and number, comma, PLZ and Ort;
missing parts are left out without dangling commas).

The rules, in the order they run:

1. **Address given as one text** (the export had a single address column and
   no parts): it is split into parts where it can be parsed
   (``Musterstraße 47, 01067 Dresden``, also without comma or as
   ``01067 Dresden, Musterstraße 47``); the parts then go through the rules
   below and ``adresse`` is composed again (regel ``adresse_format``). Text that
   cannot be parsed keeps its wording, only spaces and commas are tidied, and
   it is reported (``adresse_unklar``).
2. **Street and house number in one cell** (``hausnummer`` empty): a house
   number at the end of ``strasse`` is moved to ``hausnummer``
   (``Hauptstr.1``, ``Am Markt 3-5``, ``Lindenweg 12 b``; regel
   ``strasse_hausnummer_getrennt``).
3. **Street type abbreviated one way** (regel ``strasse_abkuerzung``): every
   word ending in ``straße``, ``strasse``, ``str`` or ``str.`` ends in
   ``str.``; a word of its own becomes ``Str.`` (``Hauptstraße`` →
   ``Hauptstr.``, ``Neue Straße`` → ``Neue Str.``, ``Straße des 17. Juni`` →
   ``Str. des 17. Juni``). The case of the first letter is kept, an all
   upper-case word gets ``STR.``. Chosen over "what most rows use" because it
   gives the same result for one row as for a whole state.
4. **House number** without inner spaces, letter in lower case
   (``12 B`` → ``12b``, ``3 - 5`` → ``3-5``; regel ``hausnummer_format``).
5. **Ort** trimmed; when ``plz`` is empty and ``ort`` starts with a PLZ
   (``01067 Dresden``), the PLZ is moved to ``plz`` (regel
   ``ort_plz_getrennt``).
6. **PLZ** digits only: ``D-01067`` → ``01067`` (regel ``plz_format``); four
   digits lost their leading zero in a spreadsheet (``1067``, ``1067.0``) and
   are padded (regel ``plz_fuehrende_null``). Anything else that is not a
   German PLZ is reported (``plz_ungueltig``) and *kept* in the address: a
   foreign or odd PLZ still helps a person to recognise the address.

Changes are recorded the way the user sees the address: one change per row
on ``adresse``, ``vorher`` the address as the export gave it (the given
``adresse`` cell, or its parts joined like :func:`compose_address`),
``nachher`` the composed address, ``regel`` the rules that changed it. A pure
split that leaves the address text as it was (``Hauptstr. 1`` into
``Hauptstr.`` and ``1``, ``01067 Dresden`` into PLZ and Ort) records no change;
``Hauptstr.1`` → ``Hauptstr. 1`` or ``Straße`` → ``Str.`` does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import polars as pl

from elternkit.address_parts import (
    AddressParts,
    normalize_house_number,
    normalize_place,
    normalize_plz,
    normalize_street,
    parse_address,
    split_place,
    split_street,
    tidy_spaces,
)
from elternkit.findings import Hit, concat_findings, define_code
from elternkit.options import Options
from elternkit.rules import (
    Outcome,
    Stage,
    apply_value_rule,
    concat_changes,
    record_changes,
)
from elternkit.schema import ROW_ID

logger = logging.getLogger(__name__)

PARTS = ("strasse", "hausnummer", "plz", "ort")

define_code(
    "adresse_unklar",
    "hinweis",
    "Adresse nicht in Straße, Postleitzahl und Ort zerlegbar",
    "Die Adresse „{wert}“ ließ sich nicht in Straße, Hausnummer, Postleitzahl "
    "und Ort zerlegen und wurde nur an Leerzeichen und Kommas geglättet. IServ "
    "erkennt dieselbe Person nur, wenn die Adresse auf allen ihren Zeilen gleich "
    "geschrieben ist. Bitte die Adresse im Schulverwaltungsprogramm prüfen, am "
    "besten in der Form „Musterstr. 47, 01067 Dresden“.",
)


def compose_address(
    *,
    strasse: str | None = None,
    hausnummer: str | None = None,
    plz: str | None = None,
    ort: str | None = None,
) -> str | None:
    """Compose the address as IServ gets it: ``Musterstr. 47, 01067 Dresden``.

    Examples
    --------
    >>> compose_address(
    ...     strasse="Musterstr.", hausnummer="47", plz="01067", ort="Dresden"
    ... )
    'Musterstr. 47, 01067 Dresden'
    >>> compose_address(plz="01067", ort="Dresden")
    '01067 Dresden'
    >>> compose_address() is None
    True
    """
    street = " ".join(p for p in (strasse, hausnummer) if p)
    place = " ".join(p for p in (plz, ort) if p)
    return ", ".join(p for p in (street, place) if p) or None


def _joined(columns: tuple[str, ...], separator: str) -> pl.Expr:
    text = pl.concat_str(columns, separator=separator, ignore_nulls=True)
    return pl.when(text == "").then(None).otherwise(text)


def _compose_expr() -> pl.Expr:
    """The frame version of :func:`compose_address`."""
    street = _joined(("strasse", "hausnummer"), " ").alias("_street")
    place = _joined(("plz", "ort"), " ").alias("_place")
    text = pl.concat_str([street, place], separator=", ", ignore_nulls=True)
    return pl.when(text == "").then(None).otherwise(text)


def _tidy_address(value: str) -> Outcome:
    text = re.sub(r"\s*([,;])\s*", r"\1 ", tidy_spaces(value) or "").strip(" ,;")
    hits = (Hit("adresse_unklar"),)
    return Outcome(text or None, None if text == value else "adresse_format", hits)


def _spread(
    frame: pl.DataFrame,
    source: str,
    mask: pl.Expr,
    splitter: Callable[[str], AddressParts | None],
) -> pl.DataFrame:
    """Write the parts ``splitter`` finds in ``source`` into the part columns.

    Only rows matching ``mask`` change, and only the parts that come out not
    null; rows whose value cannot be split stay as they are.
    """
    values = frame.filter(mask).get_column(source).unique().to_list()
    found = {v: p for v in values if (p := splitter(v)) is not None}
    if not found:
        return frame
    keys = list(found)
    lookup = pl.DataFrame(
        {
            "_k": keys,
            "_found": [True] * len(keys),
            **{f"_{c}": [getattr(found[k], c) for k in keys] for c in PARTS},
        },
        schema={"_k": pl.String, "_found": pl.Boolean}
        | {f"_{c}": pl.String for c in PARTS},
    )
    joined = frame.join(
        lookup, left_on=source, right_on="_k", how="left", maintain_order="left"
    )
    hit = mask & pl.col("_found").fill_null(False)
    updates = [
        pl.when(hit & pl.col(f"_{c}").is_not_null())
        .then(pl.col(f"_{c}"))
        .otherwise(pl.col(c))
        .alias(c)
        for c in PARTS
    ]
    return joined.with_columns(updates).drop(["_found", *(f"_{c}" for c in PARTS)])


def _only_split(
    splitter: Callable[[str], AddressParts],
) -> Callable[[str], AddressParts | None]:
    """Wrap a splitter so that a value without a split gives ``None``."""

    def split(value: str) -> AddressParts | None:
        parts = splitter(value)
        return parts if parts.hausnummer or parts.plz else None

    return split


def _split_step(
    frame: pl.DataFrame,
    *,
    source: str,
    target: str,
    splitter: Callable[[str], AddressParts],
    rule: str,
) -> Stage:
    """Move a part out of ``source`` into ``target`` where ``target`` is empty."""
    mask = pl.col(target).is_null() & pl.col(source).is_not_null()
    new = _spread(frame, source, mask, _only_split(splitter))
    changes = [record_changes(frame, new, c, rule=rule) for c in (source, target)]
    return Stage(new, concat_changes(changes))


def _from_given_address(frame: pl.DataFrame) -> Stage:
    """Parse ``adresse`` into the parts where the export gave only ``adresse``.

    Adds the helper column ``_zerlegt``: the parts of that row were parsed
    out of ``adresse``. Text that cannot be parsed is tidied and reported.
    """
    only_given = pl.col("adresse").is_not_null() & pl.all_horizontal(
        pl.col(c).is_null() for c in PARTS
    )
    marked = frame.with_columns(only_given.alias("_nur_adresse"))
    new = _spread(marked, "adresse", pl.col("_nur_adresse"), parse_address)
    has_parts = pl.any_horizontal(pl.col(c).is_not_null() for c in PARTS)
    new = new.with_columns((pl.col("_nur_adresse") & has_parts).alias("_zerlegt"))

    unparsed = new.filter(pl.col("_nur_adresse") & ~pl.col("_zerlegt"))
    tidy = apply_value_rule(unparsed, "adresse", _tidy_address)
    if not tidy.changes.is_empty():
        values = dict(zip(unparsed[ROW_ID], tidy.frame["adresse"], strict=True))
        new = new.with_columns(
            pl.col(ROW_ID)
            .replace_strict(values, default=pl.col("adresse"), return_dtype=pl.String)
            .alias("adresse")
        )
    return Stage(new.drop("_nur_adresse"), tidy.changes, tidy.findings)


def _compose(frame: pl.DataFrame) -> Stage:
    """Compose ``adresse`` from the parts; record changes of given cells only."""
    has_parts = pl.any_horizontal(pl.col(c).is_not_null() for c in PARTS)
    new = frame.with_columns(
        pl.when(has_parts)
        .then(_compose_expr())
        .otherwise(pl.col("adresse"))
        .alias("adresse")
    )
    rule = pl.when(pl.col("_zerlegt")).then(pl.lit("adresse_format"))
    rule = rule.otherwise(pl.lit("adresse_zusammengesetzt"))
    changes = record_changes(frame, new, "adresse", rule=rule)
    changes = changes.filter(pl.col("vorher").is_not_null())
    return Stage(new, changes)


def clean_address(
    frame: pl.DataFrame,
    *,
    options: Options = Options(),
) -> Stage:
    """Write every address part one way and compose ``adresse`` from them.

    See the module docstring for the rules and their order.

    Parameters
    ----------
    frame
        The long table.
    options
        Run options (none of them changes this stage today).

    Examples
    --------
    >>> import polars as pl
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "strasse": ["Hauptstr. 1", "Hauptstraße 1", None],
    ...     "plz": ["1067", "01067", None], "ort": ["Dresden"] * 2 + [None],
    ...     "adresse": [None, None, "Musterstraße 47,01067  Dresden"],
    ... }))
    >>> for adresse in clean_address(df).frame["adresse"]:
    ...     print(adresse)
    Hauptstr. 1, 01067 Dresden
    Hauptstr. 1, 01067 Dresden
    Musterstr. 47, 01067 Dresden
    """
    stage = _from_given_address(frame)
    given_rows = stage.frame.filter(pl.col("_zerlegt")).get_column(ROW_ID)

    steps: list[Callable[[pl.DataFrame], Stage]] = [
        lambda f: _split_step(
            f,
            source="strasse",
            target="hausnummer",
            splitter=split_street,
            rule="strasse_hausnummer_getrennt",
        ),
        lambda f: apply_value_rule(f, "strasse", normalize_street),
        lambda f: apply_value_rule(f, "hausnummer", normalize_house_number),
        lambda f: apply_value_rule(f, "ort", normalize_place),
        lambda f: _split_step(
            f, source="ort", target="plz", splitter=split_place, rule="ort_plz_getrennt"
        ),
        lambda f: apply_value_rule(f, "plz", normalize_plz),
        _compose,
    ]
    for step in steps:
        stage = stage.then(step)

    # Parts parsed out of a given ``adresse`` are not source cells: their
    # changes show up as the one change of ``adresse``.
    derived = pl.col(ROW_ID).is_in(given_rows.implode()) & pl.col("feld").is_in(PARTS)
    changes = _as_address_changes(frame, stage.frame, stage.changes.filter(~derived))
    logger.info(
        "Adresse: %d Zellen geändert, %d Befunde", changes.height, stage.findings.height
    )
    return Stage(
        stage.frame.drop("_zerlegt"), changes, concat_findings([stage.findings])
    )


def _as_address_changes(
    before: pl.DataFrame, after: pl.DataFrame, changes: pl.DataFrame
) -> pl.DataFrame:
    """Fold the part changes of each row into one change of ``adresse``.

    ``vorher`` is the address as the export showed it (the given ``adresse``,
    else the original parts composed), ``nachher`` the final ``adresse``;
    rows whose address text did not change (a pure split) record nothing.
    """
    fields = [*PARTS, "adresse"]
    mine = changes.filter(pl.col("feld").is_in(fields))
    if mine.is_empty():
        return changes
    rules = mine.group_by(ROW_ID, maintain_order=True).agg(
        pl.col("regel").unique(maintain_order=True).str.join(", ")
    )
    shown = before.select(
        ROW_ID, pl.coalesce(pl.col("adresse"), _compose_expr()).alias("vorher")
    )
    folded = (
        rules.join(shown, on=ROW_ID, how="left")
        .join(
            after.select(ROW_ID, "zeile", "quelle", pl.col("adresse").alias("nachher")),
            on=ROW_ID,
            how="left",
        )
        .filter(pl.col("vorher").ne_missing(pl.col("nachher")))
        .with_columns(pl.lit("adresse").alias("feld"))
    )
    return concat_changes([changes.filter(~pl.col("feld").is_in(fields)), folded]).sort(
        ROW_ID, maintain_order=True
    )
