"""The small vocabulary of names: particles, noble titles, salutations, connectors.

Shared by the name rules (:mod:`elternkit.clean_names`,
:mod:`elternkit.split_names`, :mod:`elternkit.swap_names`). Every word is
compared case-insensitively.
"""

from __future__ import annotations

import re

import polars as pl

from elternkit.clean_text import find_excel_error, is_placeholder
from elternkit.text import FORMULA_START

#: Name particles that stay lower-case inside a surname (``von Bülow``).
PARTICLES = frozenset(
    {
        "von", "van", "de", "der", "den", "zu", "ten", "ter", "vom", "zum", "zur",
        "di", "da", "del", "della", "le", "la", "du", "af", "av", "dos", "das",
        "y", "auf", "am", "im", "und",
    }
)  # fmt: skip

#: Noble titles that are part of a German surname (``Freiherr von Bülow``).
NOBLE_TITLES = frozenset(
    {
        "freiherr", "freifrau", "freiin", "graf", "gräfin", "prinz", "prinzessin",
        "baron", "baronin", "baronesse", "edler", "edle", "ritter", "fürst",
        "fürstin", "herzog", "herzogin",
    }
)  # fmt: skip

#: Words of a salutation; a cell of only these names nobody.
SALUTATION_WORDS = frozenset(
    {
        "herr", "herrn", "hr", "hr.", "frau", "fr", "fr.", "familie", "fam",
        "fam.", "eheleute", "ehepaar", "eltern", "und", "u", "u.", "&", "+", "/",
    }
)  # fmt: skip

#: What joins two persons in one cell: und, u., &, +, / and the comma. A slash
#: between two single letters (``N/A``, ``k/A``) is a placeholder, not two names.
CONNECTOR = re.compile(
    r"\s*(?:&|\+|(?<!(?<!\w)\w)/|/(?!\w(?!\w))|,|\bund\b|\bu\.|\bu(?=\s))\s*",
    flags=re.IGNORECASE,
)

_VON_UND_ZU = re.compile(r"\bvon und zu\b", flags=re.IGNORECASE)


def name_words(value: str) -> list[str]:
    """Split a name into its space-separated words.

    >>> name_words(" Anna  von Bülow ")
    ['Anna', 'von', 'Bülow']
    """
    return value.split()


def is_particle(word: str) -> bool:
    """Tell whether ``word`` is a surname particle such as ``von`` or ``de``.

    ``und`` counts only as the joint of particles (``von und zu``).

    >>> is_particle("VON"), is_particle("Bülow")
    (True, False)
    """
    return word.casefold() in PARTICLES


def starts_surname(word: str) -> bool:
    """Tell whether ``word`` opens a surname: a particle or a noble title.

    >>> starts_surname("Freiherr"), starts_surname("de"), starts_surname("Anna")
    (True, True, False)
    """
    folded = word.casefold()
    return (folded in PARTICLES and folded != "und") or folded in NOBLE_TITLES


def is_salutation(value: str | None) -> bool:
    """Tell whether a cell holds only a salutation (``Herr und Frau``, ``Familie``).

    >>> is_salutation("Herr und Frau"), is_salutation("Eheleute")
    (True, True)
    >>> is_salutation("Anna"), is_salutation("Frau Anna")
    (False, False)
    """
    if not value:
        return False
    words = re.split(r"\s+|(?<=[&+/])|(?=[&+/])", value.strip())
    words = [w for w in words if w]
    return bool(words) and all(w.casefold() in SALUTATION_WORDS for w in words)


def strip_salutation(value: str) -> str:
    """Remove leading salutation words (``Frau Anna Beispiel`` → ``Anna Beispiel``).

    >>> strip_salutation("Herr und Frau Beispiel")
    'Beispiel'
    >>> strip_salutation("Anna Beispiel")
    'Anna Beispiel'
    """
    words = name_words(value)
    while words and words[0].casefold() in SALUTATION_WORDS:
        words.pop(0)
    return " ".join(words)


def has_connector(value: str | None) -> bool:
    """Tell whether a cell joins several names (``Anna und Lars``, ``Anna/Lars``).

    >>> has_connector("Anna u. Lars"), has_connector("Marie-Luise")
    (True, False)
    >>> has_connector("Undine Lund"), has_connector("von und zu Guttenberg")
    (False, False)
    >>> has_connector("N/A"), has_connector("Anna/Lars"), has_connector("Anna/L")
    (False, True, True)
    """
    if not value or is_placeholder(value):
        return False
    return CONNECTOR.search(_VON_UND_ZU.sub("von zu", value)) is not None


def starts_with_formula(value: str | None) -> bool:
    """Tell whether a value is a formula or a formula's damage, not a name.

    True for a value a spreadsheet reads as a formula (``=``, ``+``, ``@``,
    ``-`` at the start), for a placeholder (``N/A``, ``nan``) and for a value
    holding an Excel error value (``#NV Muster``). The name rules leave such a
    value as it is: no casing, no split into persons, no particle joined.

    >>> starts_with_formula("=HYPERLINK(1)"), starts_with_formula("Anna")
    (True, False)
    >>> starts_with_formula("#NV MUSTER"), starts_with_formula("N/A")
    (True, True)
    """
    if not value:
        return False
    return (
        value.startswith(FORMULA_START)
        or is_placeholder(value)
        or find_excel_error(value) is not None
    )


def formula_start_expr(column: str) -> pl.Expr:
    """Expression: does the cell of ``column`` start with a formula character?

    Null cells give False.
    """
    return pl.any_horizontal(
        pl.col(column).str.starts_with(start).fill_null(False)
        for start in FORMULA_START
    )


def connector_expr(column: str) -> pl.Expr:
    """Expression: may the cell of ``column`` join several names (see CONNECTOR)?

    A cheap over-approximation of :func:`has_connector` for whole columns.
    Null cells give False.
    """
    return pl.col(column).str.contains(r"[&+/,]|\b(?i:und|u)\b").fill_null(False)
