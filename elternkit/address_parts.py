"""Address parts read and written one way: street, house number, PLZ, Ort.

The value rules behind :func:`elternkit.clean_address.clean_address`: each
function reads one cell (or one address given as text) and says how it is
written; :mod:`elternkit.clean_address` applies them to the long table and
composes ``adresse``. See that module's docstring for the rules and their order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from elternkit.findings import Hit, define_code
from elternkit.rules import Outcome
from elternkit.text import excel_whole_number

define_code(
    "plz_ungueltig",
    "warnung",
    "Postleitzahl ungültig",
    "Die Postleitzahl „{wert}“ ist keine fünfstellige deutsche Postleitzahl."
    "{detail} IServ vergleicht die Adresse, um die Zeilen derselben Person zu "
    "erkennen; eine falsche Postleitzahl kann dabei stören. Sie bleibt in der "
    "Adresse stehen. Bitte im Schulverwaltungsprogramm prüfen.",
)

_SPACES = re.compile(r"\s+")
_HOUSE_NUMBER = r"\d{1,4}\s*[a-zA-Z]?(?:\s*[-/]\s*\d{1,4}\s*[a-zA-Z]?)?"
_STREET_WITH_NUMBER = re.compile(
    rf"^(?P<street>.*?[^\W\d_].*?)[\s,]*(?P<nr>{_HOUSE_NUMBER})$"
)
_HOUSE_NUMBER_ONLY = re.compile(rf"^{_HOUSE_NUMBER}$")
#: Longer than this, a text is no street or address and is not taken apart
#: (the patterns above backtrack quadratically on long texts that do not fit).
MAX_PARSE_CHARS = 200
_STREET_SUFFIX = re.compile(r"(str)(?:aße|asse|\.)?$", re.IGNORECASE)
_PLZ_PREFIX = re.compile(r"^(?:D|DE)\s*-\s*|^DE\s+", re.IGNORECASE)
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


def tidy_spaces(value: str) -> str | None:
    """Collapse every run of whitespace to one space and strip; empty → None.

    >>> tidy_spaces(" Am  Markt "), tidy_spaces("  ")
    ('Am Markt', None)
    """
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
    text = tidy_spaces(value)
    if text is None or len(text) > MAX_PARSE_CHARS:
        return AddressParts(strasse=text)
    match = _STREET_WITH_NUMBER.match(text)
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
    tidy = tidy_spaces(value)
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
    tidy = tidy_spaces(value)
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
    tidy = tidy_spaces(value)
    if tidy is None:
        return Outcome(None, "plz_format")
    digits = _PLZ_PREFIX.sub("", tidy).replace(" ", "")
    digits = excel_whole_number(digits) or digits

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
    text = tidy_spaces(value)
    if text is None or len(text) > MAX_PARSE_CHARS:
        return AddressParts(ort=text)
    match = _PLACE.match(text)
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
    text = tidy_spaces(value) or ""
    if len(text) > MAX_PARSE_CHARS:
        return None
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


def normalize_place(value: str) -> Outcome:
    """Trim an Ort and collapse its spaces (rule ``ort_format``).

    >>> normalize_place(" Dresden  Neustadt").value
    'Dresden Neustadt'
    """
    text = tidy_spaces(value)
    return Outcome(value) if text == value else Outcome(text, "ort_format")
