"""Small text helpers shared by several stages: folding names, quoting values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_GERMAN_FOLD = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"}
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


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
