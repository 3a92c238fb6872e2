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
from dataclasses import dataclass

import polars as pl

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
    "plz_ungueltig",
    "warnung",
    "Postleitzahl ungültig",
    "Die Postleitzahl „{wert}“ ist keine fünfstellige deutsche Postleitzahl."
    "{detail} IServ vergleicht die Adresse, um die Zeilen derselben Person zu "
    "erkennen; eine falsche Postleitzahl kann dabei stören. Sie bleibt in der "
    "Adresse stehen. Bitte im Schulverwaltungsprogramm prüfen.",
)
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

_SPACES = re.compile(r"\s+")
_HOUSE_NUMBER = r"\d{1,4}\s*[a-zA-Z]?(?:\s*[-/]\s*\d{1,4}\s*[a-zA-Z]?)?"
_STREET_WITH_NUMBER = re.compile(
    rf"^(?P<street>.*?[^\W\d_].*?)[\s,]*(?P<nr>{_HOUSE_NUMBER})$"
)
_HOUSE_NUMBER_ONLY = re.compile(rf"^{_HOUSE_NUMBER}$")
_STREET_SUFFIX = re.compile(r"(str)(?:aße|asse|\.)?$", re.IGNORECASE)
_PLZ_PREFIX = re.compile(r"^(?:D|DE)\s*-\s*|^DE\s+", re.IGNORECASE)
_EXCEL_FLOAT = re.compile(r"^(\d+)[.,]0+$")
_PLACE = re.compile(r"^(?:D\s*-\s*)?(?P<plz>\d{5})\s+(?P<ort>[^\d\s].*)$")
_STREET_THEN_PLACE = re.compile(
    r"^(?P<street>.+?)(?:\s*[,;]\s*(?:D\s*-\s*)?(?P<plz4>\d{4,5})"
    r"|\s+(?:D\s*-\s*)?(?P<plz5>\d{5}))\s+(?P<ort>[^\d\s,;][^,;]*)$"
)
_PLACE_THEN_STREET = re.compile(
    r"^(?:D\s*-\s*)?(?P<plz>\d{5})\s+(?P<ort>[^,;]+?)\s*[,;]\s*(?P<street>.+)$"
)


@dataclass(frozen=True)
class AddressParts:
    """Street (may still hold the number), house number, PLZ and Ort."""

    strasse: str | None = None
    hausnummer: str | None = None
    plz: str | None = None
    ort: str | None = None


def _tidy(value: str) -> str | None:
    text = _SPACES.sub(" ", value).strip()
    return text or None


def split_street(value: str) -> AddressParts:
    """Split a house number off the end of a street.

    Examples
    --------
    >>> split_street("Hauptstr.1")
    AddressParts(strasse='Hauptstr.', hausnummer='1', plz=None, ort=None)
    >>> split_street("Lindenweg 12 b").hausnummer
    '12 b'
    >>> split_street("Straße des 17. Juni 5").strasse
    'Straße des 17. Juni'
    >>> split_street("Am Markt")  # no number: unchanged
    AddressParts(strasse='Am Markt', hausnummer=None, plz=None, ort=None)
    """
    text = _tidy(value)
    match = _STREET_WITH_NUMBER.match(text or "")
    if match is None:
        return AddressParts(strasse=text)
    return AddressParts(strasse=match["street"].strip(), hausnummer=match["nr"])


def normalize_street(value: str) -> Outcome:
    """Write the street type one way: ``…str.`` or ``Str.``.

    Examples
    --------
    >>> normalize_street("Hauptstraße").value
    'Hauptstr.'
    >>> normalize_street("Neue Strasse").value
    'Neue Str.'
    >>> normalize_street("Karl-Marx-Straße").value
    'Karl-Marx-Str.'
    >>> normalize_street("Am Markt")
    Outcome(value='Am Markt', rule=None, hits=())
    """
    tidy = _tidy(value)
    if tidy is None:
        return Outcome(None, "strasse_format")
    words = [_abbreviate(word) for word in tidy.split(" ")]
    text = " ".join(words)
    if text == value:
        return Outcome(value)
    return Outcome(text, "strasse_abkuerzung" if text != tidy else "strasse_format")


def _abbreviate(word: str) -> str:
    match = _STREET_SUFFIX.search(word)
    if match is None:
        return word
    suffix = match.group()
    if suffix.isupper():
        new = "STR."
    elif suffix[0].isupper():
        new = "Str."
    else:
        new = "str."
    return word[: match.start()] + new


def normalize_house_number(value: str) -> Outcome:
    """Write a house number without spaces and with a lower-case letter.

    Examples
    --------
    >>> normalize_house_number("12 B").value
    '12b'
    >>> normalize_house_number("3 - 5").value
    '3-5'
    >>> normalize_house_number("1, Hinterhaus")  # not a plain number: kept
    Outcome(value='1, Hinterhaus', rule=None, hits=())
    """
    tidy = _tidy(value)
    if tidy is None:
        return Outcome(None, "hausnummer_format")
    text = tidy.replace(" ", "").lower() if _HOUSE_NUMBER_ONLY.match(tidy) else tidy
    return Outcome(value) if text == value else Outcome(text, "hausnummer_format")


def normalize_plz(value: str) -> Outcome:
    """Write a German PLZ as five digits, padding a lost leading zero.

    Examples
    --------
    >>> normalize_plz("1067").value
    '01067'
    >>> normalize_plz("1067.0").rule
    'plz_fuehrende_null'
    >>> normalize_plz("D-01067").value
    '01067'
    >>> normalize_plz("01067")
    Outcome(value='01067', rule=None, hits=())
    >>> o = normalize_plz("123")
    >>> o.value, o.hits[0].code
    ('123', 'plz_ungueltig')
    """
    tidy = _tidy(value)
    if tidy is None:
        return Outcome(None, "plz_format")
    digits = _PLZ_PREFIX.sub("", tidy).replace(" ", "")
    if match := _EXCEL_FLOAT.match(digits):
        digits = match.group(1)

    if digits.isdigit() and len(digits) == 5 and not digits.startswith("00"):
        return Outcome(value) if digits == value else Outcome(digits, "plz_format")
    if digits.isdigit() and len(digits) == 4 and not digits.startswith("0"):
        return Outcome("0" + digits, "plz_fuehrende_null")
    detail = " Sie enthält Zeichen außer Ziffern." if not digits.isdigit() else ""
    hits = (Hit("plz_ungueltig", detail=detail),)
    return Outcome(tidy, None if tidy == value else "plz_format", hits)


def split_place(value: str) -> AddressParts:
    """Split a PLZ off the start of an Ort (``01067 Dresden``).

    Examples
    --------
    >>> split_place("01067 Dresden")
    AddressParts(strasse=None, hausnummer=None, plz='01067', ort='Dresden')
    >>> split_place("Dresden").plz is None
    True
    """
    text = _tidy(value)
    match = _PLACE.match(text or "")
    if match is None:
        return AddressParts(ort=text)
    return AddressParts(plz=match["plz"], ort=match["ort"])


def parse_address(value: str) -> AddressParts | None:
    """Split an address given as one text into its parts, or return ``None``.

    The street part may still hold the house number; :func:`clean_address`
    splits it afterwards.

    Examples
    --------
    >>> parse_address("Musterstraße 47, 01067 Dresden")
    AddressParts(strasse='Musterstraße 47', hausnummer=None, plz='01067', ort='Dresden')
    >>> parse_address("01067 Dresden, Musterstr. 47").strasse
    'Musterstr. 47'
    >>> parse_address("bei Familie Muster") is None
    True
    """
    text = _tidy(value) or ""
    if match := _STREET_THEN_PLACE.match(text):
        plz = match["plz4"] or match["plz5"]
        return AddressParts(match["street"], None, plz, match["ort"].strip())
    if match := _PLACE_THEN_STREET.match(text):
        return AddressParts(match["street"], None, match["plz"], match["ort"])
    if _PLACE.match(text):
        return split_place(text)
    if split_street(text).hausnummer is not None:
        return AddressParts(strasse=text)
    return None


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
    text = re.sub(r"\s*([,;])\s*", r"\1 ", _tidy(value) or "").strip(" ,;")
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
        lambda f: apply_value_rule(f, "ort", _normalize_place),
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


def _normalize_place(value: str) -> Outcome:
    text = _tidy(value)
    return Outcome(value) if text == value else Outcome(text, "ort_format")


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
