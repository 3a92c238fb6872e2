"""Phone rules: one canonical form for every guardian's phone number.

IServ uses the phone number as an auxiliary identifier: two rows of one parent
are only recognised as one person when such a field matches. ``0351/1234567``
and ``+49 (0)351 1234567`` are the same number, so every number is parsed with
``phonenumbers`` (region DE, offline) and written in one form: E.164
(``+493511234567``) by default, ``+49 351 1234567`` with
``phone_format="international"``.

What the rules do with the usual damage:

- labels (``Tel. privat:``, ``Handy``, ``mobil:``, ``dienstl.``) are dropped,
  other text (``nur abends``) is dropped and reported (``telefon_bemerkung``);
- ``+49 (0)``, ``0049``, a bare ``49(0)``, brackets, dashes, dots, ``/`` and
  spaces are understood;
- several numbers in one cell (``;``, ``,``, line break, ``oder``, or ``/`` and
  spaces when *both* sides are complete numbers): the first is kept, the rest
  reported (``telefon_mehrere``);
- Excel's scientific notation (``4,91511E+12``) lost digits for good: the value
  is dropped and reported, never expanded (``telefon_ziffern_verloren``);
- a number stored as a number lost its leading zero (``351123456``): the zero
  is added only when that gives a valid German number
  (regel ``telefon_fuehrende_null``); digits that lost the ``+`` of ``+49``
  get it back the same way (regel ``telefon_plus_ergaenzt``);
- anything else that is not a valid number is dropped and reported
  (``telefon_ungueltig``): a wrong number in IServ is worse than none.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import phonenumbers as pn
import polars as pl

from elternkit.errors import OptionError
from elternkit.findings import Hit, define_code, findings_for_rows
from elternkit.options import Options
from elternkit.rules import Outcome, Stage, apply_value_rule, record_changes
from elternkit.text import excel_whole_number, quote_values

logger = logging.getLogger(__name__)

PhoneFormat = Literal["e164", "international"]

_FORMATS = {
    "e164": pn.PhoneNumberFormat.E164,
    "international": pn.PhoneNumberFormat.INTERNATIONAL,
}

_WHY = (
    "IServ nutzt die Telefonnummer als Hilfsmerkmal, um die Zeilen derselben "
    "Person zu erkennen."
)

define_code(
    "telefon_ungueltig",
    "warnung",
    "Telefonnummer ungültig, ohne Telefonnummer exportiert",
    "In der Spalte {feld} steht „{wert}“; das ist keine gültige Telefonnummer."
    "{detail} " + _WHY + " Eine falsche Nummer stört mehr als eine fehlende, "
    "deshalb wird die Zeile ohne Telefonnummer exportiert. Bitte die Nummer mit "
    "Vorwahl im Schulverwaltungsprogramm nachtragen.",
)
define_code(
    "telefon_mehrdeutig",
    "warnung",
    "Telefonnummer mehrdeutig, ohne Telefonnummer exportiert",
    "In der Spalte {feld} steht „{wert}“, eine Nummer ohne führende 0 oder +."
    "{detail} " + _WHY + " Die Zeile wird ohne Telefonnummer exportiert. Bitte "
    "die richtige Nummer im Schulverwaltungsprogramm als Text eintragen.",
)
define_code(
    "telefon_ziffern_verloren",
    "warnung",
    "Telefonnummer von Excel abgeschnitten, ohne Telefonnummer exportiert",
    "In der Spalte {feld} steht „{wert}“: Excel hat die Nummer als Zahl in "
    "wissenschaftlicher Schreibweise gespeichert, die hinteren Ziffern sind "
    "verloren. " + _WHY + " Die Nummer lässt sich nicht wiederherstellen; die "
    "Zeile wird ohne Telefonnummer exportiert. Bitte die Spalte im "
    "Schulverwaltungsprogramm als Text exportieren oder in Excel als Text "
    "formatieren, bevor die Nummern eingetragen werden.",
)
define_code(
    "telefon_mehrere",
    "hinweis",
    "Mehrere Telefonnummern in einer Zelle, die erste übernommen",
    "In der Spalte {feld} stehen mehrere Nummern: „{wert}“. IServ nimmt nur "
    "eine Telefonnummer je Zeile; übernommen wurde die erste, weggelassen:"
    "{detail}. Soll eine andere Nummer gelten, bitte sie im "
    "Schulverwaltungsprogramm an erster Stelle eintragen.",
)
define_code(
    "telefon_bemerkung",
    "hinweis",
    "Bemerkung neben der Telefonnummer entfernt",
    "In der Spalte {feld} steht neben der Nummer ein Text: „{wert}“. In die "
    "Importdatei kommt nur die Nummer; weggelassen:{detail}. Bemerkungen "
    "gehören im Schulverwaltungsprogramm in ein eigenes Feld.",
)

# Excel's scientific notation: 4,91511E+12 or 4.91511e+12.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?\s*[eE]\s*\+?\d+$")
# A number that went through a float column: 351123456.0
# A stretch that may be (part of) a number: digits and what people put between.
_SPAN = re.compile(r"(?:\+\s*|\(\s*\+?\s*)?\d[\d\s().\-/]*")
# +49 (0)351, 0049(0)351, a bare 49(0)351: country code with the trunk zero.
_COUNTRY_WITH_ZERO = re.compile(r"^(?:\+|00)?\s*49\s*\(\s*0\s*\)\s*")
_WORD = re.compile(r"[^\W\d_]+")
# Words around a number that only label it; they go without a finding.
# fmt: off
_LABEL_WORDS = frozenset((
    "tel", "telefon", "telefonnummer", "fon", "phone", "nr", "nummer", "rufnummer",
    "handy", "mobil", "mobilfunk", "mobiltelefon", "handynummer", "festnetz",
    "privat", "priv", "dienstl", "dienstlich", "geschäftlich", "gesch", "arbeit",
    "büro", "firma", "fax", "oder", "und", "u", "bzw", "tagsüber", "mutter",
    "vater", "mama", "papa", "erz",
))
# fmt: on


@dataclass(frozen=True)
class _Reading:
    """One candidate number of a cell and what parsing made of it."""

    text: str
    number: pn.PhoneNumber | None
    rule: str | None = None
    ambiguous: tuple[str, ...] = ()


def _parse_valid(text: str) -> pn.PhoneNumber | None:
    try:
        number = pn.parse(text, "DE")
    except pn.NumberParseException:
        return None
    return number if pn.is_valid_number(number) else None


def _read_bare_digits(digits: str) -> _Reading:
    """Read digits without leading 0 or + (a number stored as a number)."""
    with_zero = _parse_valid("0" + digits)
    with_plus = _parse_valid("+" + digits) if digits.startswith("49") else None
    if with_zero and with_plus:
        # Length decides: a German number is at most 10 digits after the 0
        # in practice, +49 numbers have 11 or 12 digits without the +.
        if len(digits) >= 12:
            with_zero = None
        elif len(digits) <= 10:
            with_plus = None
    if with_zero and with_plus:
        return _Reading(digits, None, ambiguous=("0" + digits, "+" + digits))
    if with_zero:
        return _Reading(digits, with_zero, "telefon_fuehrende_null")
    if with_plus:
        return _Reading(digits, with_plus, "telefon_plus_ergaenzt")
    return _Reading(digits, None)


@lru_cache(maxsize=256)  # a cell's candidates are read while splitting, then again
def _read_number(text: str) -> _Reading:
    cleaned = _COUNTRY_WITH_ZERO.sub("+49 ", text)
    if cleaned.isdigit() and not cleaned.startswith("0"):
        return _read_bare_digits(cleaned)
    return _Reading(text, _parse_valid(cleaned))


def _tidy_span(span: str) -> str:
    span = span.strip().rstrip("(-./ ").strip()
    if span.endswith(")") and span.count(")") > span.count("("):
        span = span[:-1].rstrip()
    return span


def _split_on_slash(span: str) -> list[str]:
    """Split at ``/`` only where both sides are complete numbers."""
    pieces = [p.strip() for p in span.split("/")]
    groups = [pieces[0]]
    for piece in pieces[1:]:
        starts_number = piece.startswith(("0", "+", "("))
        if (
            starts_number
            and _read_number(groups[-1]).number
            and _read_number(piece).number
        ):
            groups.append(piece)
        else:
            groups[-1] = f"{groups[-1]} {piece}".strip()
    return [g for g in groups if g]


def _split_on_space(group: str) -> list[str]:
    """Split an invalid group at a space where both sides are valid numbers."""
    if _read_number(group).number:
        return [group]
    tokens = group.split()
    for i in range(1, len(tokens)):
        if not tokens[i].startswith(("0", "+", "(")):
            continue
        left, right = " ".join(tokens[:i]), " ".join(tokens[i:])
        if _read_number(left).number and _read_number(right).number:
            return [left, right]
    return [group]


def _split_candidates(text: str) -> tuple[list[str], list[str]]:
    """Return the candidate numbers of a cell and the remarks around them."""
    candidates: list[str] = []
    outside: list[str] = []
    end = 0
    for match in _SPAN.finditer(text):
        outside.append(text[end : match.start()])
        end = match.end()
        span = _tidy_span(match.group())
        if not any(ch.isdigit() for ch in span):
            continue
        for group in _split_on_slash(span):
            candidates.extend(_split_on_space(group))
    outside.append(text[end:])
    remarks = [
        part.strip(" \t\n,;:()-/")
        for part in outside
        if any(word.casefold() not in _LABEL_WORDS for word in _WORD.findall(part))
    ]
    return candidates, remarks


def normalize_phone(value: str, *, phone_format: PhoneFormat = "e164") -> Outcome:
    """Bring one phone cell into the canonical form, or drop it with a finding.

    Parameters
    ----------
    value
        The raw cell value.
    phone_format
        ``e164`` (``+493511234567``) or ``international`` (``+49 351 1234567``).

    Returns
    -------
    Outcome
        The canonical number (``None`` when nothing valid is left), the rule
        that changed the value, and the findings.

    Examples
    --------
    >>> normalize_phone("Tel. privat: 0351/123 45 67").value
    '+493511234567'
    >>> normalize_phone("49(0)3511234567", phone_format="international").value
    '+49 351 1234567'
    >>> normalize_phone("+493511234567")  # already canonical: unchanged
    Outcome(value='+493511234567', rule=None, hits=())
    >>> normalize_phone("351123456").rule
    'telefon_fuehrende_null'
    >>> o = normalize_phone("4,91511E+12")
    >>> o.value, o.hits[0].code
    (None, 'telefon_ziffern_verloren')
    >>> o = normalize_phone("12345")
    >>> o.value, o.hits[0].code
    (None, 'telefon_ungueltig')
    """
    if phone_format not in _FORMATS:
        msg = (
            f"Das Telefonformat {phone_format!r} ist unbekannt. Die Nummern "
            "können nur in einem der Formate 'e164' (+493511234567) oder "
            "'international' (+49 351 1234567) ausgegeben werden. Bitte eines "
            "davon in den Optionen eintragen."
        )
        raise OptionError(msg)

    text = value.strip()
    if not any(ch.isalnum() for ch in text):  # empty, or a dash as placeholder
        return Outcome(None, "telefon_format")
    if _SCIENTIFIC.match(text):
        code = "telefon_ziffern_verloren"
        return Outcome(None, code, (Hit(code),))
    text = excel_whole_number(text) or text

    candidates, remarks = _split_candidates(text)
    readings = [_read_number(c) for c in candidates]
    valid = [r for r in readings if r.number is not None]
    if not valid:
        ambiguous = next((r.ambiguous for r in readings if r.ambiguous), ())
        if ambiguous:
            zero, plus = ambiguous
            detail = f" Gemeint sein kann „{zero}“ oder „{plus}“."
            code = "telefon_mehrdeutig"
        else:
            detail = "" if candidates else " Sie enthält keine Ziffern."
            code = "telefon_ungueltig"
        return Outcome(None, code, (Hit(code, detail=detail),))

    first = valid[0]
    canonical = pn.format_number(first.number, _FORMATS[phone_format])
    dropped = [
        r.text
        for r in readings
        if r is not first
        and (
            r.number is None
            or pn.format_number(r.number, _FORMATS[phone_format]) != canonical
        )
    ]
    hits = []
    if dropped:
        hits.append(Hit("telefon_mehrere", detail=" " + quote_values(dropped)))
    remarks = [r for r in remarks if r]
    if remarks:
        hits.append(Hit("telefon_bemerkung", detail=" " + quote_values(remarks)))
    if canonical == value:
        return Outcome(value, None, tuple(hits))
    rule = "telefon_mehrere" if dropped else first.rule or "telefon_format"
    return Outcome(canonical, rule, tuple(hits))


#: A German number written nationally: ``0`` and digit groups separated by
#: spaces, ``-`` or ``/``, no group after the first starting with ``0`` (so no
#: second number can start there). For such a value ``normalize_phone`` only
#: asks whether the digits make a valid number (see :func:`plain_phone_table`).
_PLAIN_NATIONAL = r"^0[1-9][0-9]*(?:[ /\-]+[1-9][0-9]*)*$"
#: Number types whose patterns make a German number valid (phonenumbers'
#: ``_number_type_helper`` order does not matter for validity).
_TYPE_DESCS = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number",
    "pager", "uan", "voicemail", "fixed_line", "mobile",
)  # fmt: skip


@lru_cache(maxsize=1)
def _german_validity() -> tuple[tuple[str, tuple[int, ...]], list]:
    """phonenumbers' own patterns for Germany: the general one and each type's."""
    meta = pn.PhoneMetadata.metadata_for_region("DE")
    general = meta.general_desc
    types = [
        (d.national_number_pattern, tuple(d.possible_length))
        for d in (getattr(meta, name) for name in _TYPE_DESCS)
        if d is not None and d.national_number_pattern
    ]
    return (general.national_number_pattern, tuple(general.possible_length)), types


def _matches_desc(nsn: pl.Expr, pattern: str, lengths: tuple[int, ...]) -> pl.Expr:
    match = nsn.str.contains(f"^(?:{pattern})$")
    if lengths:
        match = match & nsn.str.len_chars().is_in(list(lengths))
    return match


def plain_phone_table(values: pl.Series, *, phone_format: str) -> pl.DataFrame:
    """Read the plain national numbers among ``values`` at once, in polars.

    Returns one row per distinct plain value (see ``_PLAIN_NATIONAL``):
    ``value`` and ``e164``, the canonical number, or null when the number is
    not valid. :func:`normalize_phone` gives exactly that for these values
    (rule ``telefon_format``, or nothing and ``telefon_ungueltig``); validity
    uses phonenumbers' own German patterns as polars expressions, so the many
    plain numbers of a big export need no Python call each. Empty for the
    international format (left to ``normalize_phone``).

    >>> s = pl.Series("telefon", ["0351 1234567", "0351/123 45-67", "12345", "0351 12"])
    >>> plain_phone_table(s, phone_format="e164").sort("value").rows()
    [('0351 12', None), ('0351 1234567', '+493511234567'), \
('0351/123 45-67', '+493511234567')]
    """
    schema = {"value": pl.String, "e164": pl.String}
    if phone_format != "e164":
        return pl.DataFrame(schema=schema)
    (general, general_lengths), types = _german_validity()
    value = pl.col("value")
    nsn = value.str.replace_all(r"[^0-9]", "").str.slice(1)
    valid = _matches_desc(nsn, general, general_lengths) & pl.any_horizontal(
        [_matches_desc(nsn, pattern, lengths) for pattern, lengths in types]
    )
    return (
        values.drop_nulls()
        .unique()
        .to_frame("value")
        .filter(value.str.contains(_PLAIN_NATIONAL))
        .select(value, pl.when(valid).then("+49" + nsn).alias("e164"))
        .cast(schema)
    )


def _apply_plain(frame: pl.DataFrame, plain: pl.DataFrame) -> Stage:
    """Write the plain numbers of ``plain`` canonically; report invalid ones."""
    if plain.is_empty():
        return Stage(frame)
    joined = frame.join(
        plain.rename({"value": "telefon", "e164": "_e164"}).with_columns(
            pl.lit(True).alias("_plain")
        ),
        on="telefon",
        how="left",
        maintain_order="left",
    )
    hit = pl.col("_plain").fill_null(False)
    new_frame = joined.with_columns(
        pl.when(hit).then(pl.col("_e164")).otherwise(pl.col("telefon")).alias("telefon")
    )
    rule = pl.when(pl.col("telefon").is_null()).then(pl.lit("telefon_ungueltig"))
    changes = record_changes(
        frame, new_frame, "telefon", rule=rule.otherwise(pl.lit("telefon_format"))
    )
    invalid = joined.filter(hit & pl.col("_e164").is_null())
    findings = findings_for_rows(invalid, code="telefon_ungueltig", feld="telefon")
    return Stage(new_frame.drop("_e164", "_plain"), changes, findings)


def clean_phone(
    frame: pl.DataFrame,
    *,
    options: Options = Options(),
) -> Stage:
    """Write every phone number of the long table in one canonical form.

    Runs :func:`normalize_phone` once per distinct value of ``telefon``; see
    the module docstring for the rules. Invalid numbers become null (the row
    is exported without phone) and are reported.

    Parameters
    ----------
    frame
        The long table.
    options
        ``options.phone_format`` chooses the output form.

    Examples
    --------
    >>> import polars as pl
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2, 3], "zeile": [2, 3, 4, 5],
    ...     "telefon": ["0351/1234567", "+49 (0)351 1234567", "12345", None],
    ... }))
    >>> st = clean_phone(df)
    >>> st.frame["telefon"].to_list()
    ['+493511234567', '+493511234567', None, None]
    >>> st.findings.select("zeile", "code").rows()
    [(4, 'telefon_ungueltig')]
    """
    fmt = options.phone_format
    plain = plain_phone_table(frame.get_column("telefon"), phone_format=fmt)
    stage = apply_value_rule(
        frame,
        "telefon",
        lambda v: normalize_phone(v, phone_format=fmt),
        skip=pl.col("telefon").is_in(plain.get_column("value").implode()),
    ).then(lambda f: _apply_plain(f, plain))
    logger.info(
        "Telefon: %d Zellen geändert, %d Befunde",
        stage.changes.height,
        stage.findings.height,
    )
    return stage
