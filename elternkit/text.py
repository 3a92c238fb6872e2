"""Small text helpers shared by several stages: folding names, quoting values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_GERMAN_FOLD = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"}
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WHOLE_WITH_ZERO_FRACTION = re.compile(r"^\s*(\d+)[.,]0+\s*$")

#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_whole_number(value: str) -> str | None:
    """Return the digits of a whole number that a spreadsheet gave a ``.0``.

    A number column saved as text turns ``4711`` into ``4711.0`` (or
    ``4711,0``); None when ``value`` is not of that form.

    >>> excel_whole_number("4711.0"), excel_whole_number(" 01069,00 ")
    ('4711', '01069')
    >>> excel_whole_number("7.5") is None, excel_whole_number("4711") is None
    (True, True)
    """
    match = _WHOLE_WITH_ZERO_FRACTION.match(value)
    return match.group(1) if match else None


def fold_name(value: str | None) -> str:
    """Fold a name for comparison: case, umlauts, ß, accents, hyphens, spaces.

    Two spellings that a person would call the same name fold to the same key.
    The folded key is only for comparing; it never reaches an output.

    Examples
    --------
    >>> fold_name("Müller-Lüdenscheidt")
    'muellerluedenscheidt'
    >>> fold_name("MUELLER LUEDENSCHEIDT")
    'muellerluedenscheidt'
    >>> fold_name("Renée  Weiß")
    'reneeweiss'
    >>> fold_name(None)
    ''
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).casefold().translate(_GERMAN_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text)


def quote_values(values: Iterable[str]) -> str:
    """Quote values the German way for a message, separated by commas.

    Examples
    --------
    >>> quote_values(["anna@example.org", "lars@example.org"])
    '„anna@example.org“, „lars@example.org“'
    """
    return ", ".join(f"„{value}“" for value in values)
