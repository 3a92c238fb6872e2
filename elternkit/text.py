"""Small text helpers shared by several stages: folding names, quoting values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import polars as pl

#: Letters folded to ASCII before comparing (after lower-casing).
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"}
_GERMAN_FOLD = str.maketrans(_GERMAN)
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


def _fold_native(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFC")
        .str.to_lowercase()
        .str.replace_many(list(_GERMAN), list(_GERMAN.values()))
        .str.normalize("NFKD")
        .str.replace_all(r"[^a-z0-9]+", "")
        .fill_null("")
    )


def _fold_series(series: pl.Series) -> pl.Series:
    """Fold each distinct value once (siblings' rows repeat every value).

    Plain ASCII values skip the (costly) Unicode normalisation.
    """
    distinct = series.unique().drop_nulls().to_frame("v")
    ascii_only = pl.col("v").str.contains(r"^[\x00-\x7f]*$")
    plain = distinct.filter(ascii_only).with_columns(
        pl.col("v").str.to_lowercase().str.replace_all(r"[^a-z0-9]+", "").alias("f")
    )
    other = distinct.filter(~ascii_only).with_columns(
        _fold_native(pl.col("v")).alias("f")
    )
    table = pl.concat([plain, other])
    return series.replace_strict(
        table["v"], table["f"], default="", return_dtype=pl.String
    )


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """Fold a text column for comparison, like :func:`fold_name`.

    Case, umlauts, ß, accents, hyphens and spaces are folded away; nulls
    become the empty string. Each distinct value is folded once.

    Examples
    --------
    >>> df = pl.DataFrame({"n": ["Müller-Lüdenscheidt", "MUELLER LUEDENSCHEIDT", None]})
    >>> df.select(fold_expr(pl.col("n")))["n"].to_list()
    ['muellerluedenscheidt', 'muellerluedenscheidt', '']
    """
    return expr.map_batches(_fold_series, return_dtype=pl.String)


def quote_values(values: Iterable[str]) -> str:
    """Quote values the German way for a message, separated by commas.

    Examples
    --------
    >>> quote_values(["anna@example.org", "lars@example.org"])
    '„anna@example.org“, „lars@example.org“'
    """
    return ", ".join(f"„{value}“" for value in values)
