"""Comparison keys of guardian rows: folded names, fingerprints, Kölner Phonetik.

Everything here is for *comparing* rows; no key ever reaches an output file.
The keys are polars expressions so that a state-wide file (a million rows)
is folded in native code, not row by row in Python.

The row *fingerprint* (Kind-ID plus folded first and last name) is the stable
key under which review decisions and value overrides are stored in a school's
Rezept: it survives next year's export, where row numbers and addresses change.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from elternkit.schema import ROW_ID
from elternkit.text import fold_expr, fold_name


def fingerprint_expr() -> pl.Expr:
    """Return the content fingerprint of each row: ``kind_id|vorname|nachname``.

    Names are folded (:func:`fold_expr`), the Kind-ID is stripped. The
    fingerprint identifies a guardian of one child across runs and years; it
    keys the review decisions and overrides stored in the Rezept.

    Examples
    --------
    >>> df = pl.DataFrame(
    ...     {"kind_id": [" 1001", "1002"], "vorname": ["Anna", "Jörg"],
    ...      "nachname": ["Beispiel ", "Weiß"]}
    ... )
    >>> df.select(fingerprint_expr())["fingerprint"].to_list()
    ['1001|anna|beispiel', '1002|joerg|weiss']
    """
    return _fingerprint(fold_expr(pl.col("vorname")), fold_expr(pl.col("nachname")))


def person_or_row() -> pl.Expr:
    """The row's ``person``; a row without one stands for itself (``#<_row>``)."""
    return pl.coalesce("person", pl.lit("#") + pl.col(ROW_ID).cast(pl.String))


def _fingerprint(first: pl.Expr, last: pl.Expr) -> pl.Expr:
    kind = pl.col("kind_id").str.strip_chars().fill_null("")
    return pl.concat_str(kind, first, last, separator="|").alias("fingerprint")


def row_fingerprint(frame: pl.DataFrame) -> pl.Series:
    """Return the fingerprint (see :func:`fingerprint_expr`) of every row."""
    return frame.select(fingerprint_expr()).to_series()


# Kölner Phonetik -----------------------------------------------------------

_SIMPLE = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}


def _code(prev: str, ch: str, nxt: str, *, first: bool) -> str:
    """Return the Kölner code of ``ch`` given its neighbours (``-`` for none)."""
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    if ch == "h":
        return "-"
    if ch == "p":
        return "3" if nxt == "h" else "1"
    if ch in "dt":
        return "8" if nxt in ("c", "s", "z") else "2"
    if ch == "x":
        return "8" if prev in ("c", "k", "q") else "48"
    if ch == "c":
        if first:
            return "4" if nxt in tuple("ahkloqrux") else "8"
        if prev in ("s", "z"):
            return "8"
        return "4" if nxt in tuple("ahkoqux") else "8"
    return ""


def koelner_phonetik(value: str | None) -> str:
    """Return the Kölner Phonetik code of a (surname or first) name.

    Spellings that sound alike in German get the same code: Meier, Mayer and
    Maier; Stefan and Stephan. The value is folded first (``ä`` → ``ae``,
    ``ß`` → ``ss``), letters outside ``a``–``z`` are ignored.

    Examples
    --------
    >>> koelner_phonetik("Müller-Lüdenscheidt")
    '65752682'
    >>> [koelner_phonetik(n) for n in ("Meier", "Mayer", "Maier")]
    ['67', '67', '67']
    >>> koelner_phonetik("Stefan") == koelner_phonetik("Stephan")
    True
    >>> koelner_phonetik(None)
    ''
    """
    letters = "".join(ch for ch in fold_name(value) if "a" <= ch <= "z")
    codes: list[str] = []
    for i, ch in enumerate(letters):
        prev = letters[i - 1] if i else ""
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        codes.append(_code(prev, ch, nxt, first=i == 0))
    digits = "".join(c for c in codes if c != "-")
    collapsed = "".join(d for i, d in enumerate(digits) if i == 0 or d != digits[i - 1])
    if not collapsed:
        return ""
    return collapsed[0] + collapsed[1:].replace("0", "")


def map_distinct(
    expr: pl.Expr,
    function: Callable[[str], object],
    *,
    default: object,
    return_dtype: pl.DataType | type[pl.DataType] = pl.String,
) -> pl.Expr:
    """Apply a Python ``function`` once per distinct non-null value of ``expr``.

    Nulls become ``default`` (siblings' rows repeat every value, so this is
    far cheaper than ``map_elements``).

    >>> df = pl.DataFrame({"n": ["ab", "ab", None]})
    >>> df.select(map_distinct(pl.col("n"), str.upper, default="-"))["n"].to_list()
    ['AB', 'AB', '-']
    """

    def batch(series: pl.Series) -> pl.Series:
        values = series.unique().drop_nulls().to_list()
        mapping = {v: function(v) for v in values}
        return series.replace_strict(
            mapping, default=default, return_dtype=return_dtype
        )

    return expr.map_batches(batch, return_dtype=return_dtype)


def koelner_expr(expr: pl.Expr) -> pl.Expr:
    """Apply :func:`koelner_phonetik` once per distinct value of ``expr``."""
    return map_distinct(expr, koelner_phonetik, default="")


# Row keys ------------------------------------------------------------------


def _address_key() -> pl.Expr:
    parts = pl.concat_str(
        "strasse", "hausnummer", "plz", "ort", separator=" ", ignore_nulls=True
    )
    raw = pl.coalesce(pl.col("adresse"), pl.when(parts != "").then(parts))
    folded = fold_expr(raw).str.replace_all("strasse", "str", literal=True)
    return pl.when(folded != "").then(folded).alias("_k_addr")


def _null_if_empty(expr: pl.Expr, name: str) -> pl.Expr:
    return pl.when(expr != "").then(expr).alias(name)


def add_row_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the comparison keys (``_k_*`` columns) to the long table.

    ``_k_addr`` is the folded address (``Straße`` = ``Str.``), ``_k_plz`` the
    PLZ (from ``plz`` or the five digits in ``adresse``), ``_k_email``
    lower-case, ``_k_tel`` the digits (and ``+``) of the phone number,
    ``_k_fv_head`` the folded first part of a double first name.
    """
    plz = pl.coalesce(
        pl.col("plz").str.strip_chars(),
        pl.col("adresse").str.extract(r"\b(\d{5})\b", 1),
    )
    head = pl.col("vorname").str.strip_chars().str.split_exact(" ", 1).struct[0]
    head = head.str.split("-").list.first()
    keyed = frame.with_columns(
        fold_expr(pl.col("vorname")).alias("_k_fv"),
        fold_expr(pl.col("nachname")).alias("_k_fn"),
        fold_expr(head).alias("_k_fv_head"),
        _address_key(),
        _null_if_empty(plz.fill_null(""), "_k_plz"),
        _null_if_empty(
            pl.col("email").str.strip_chars().str.to_lowercase().fill_null(""),
            "_k_email",
        ),
        _null_if_empty(
            pl.col("telefon").str.replace_all(r"[^0-9+]", "").fill_null(""), "_k_tel"
        ),
        _null_if_empty(pl.col("kind_id").str.strip_chars().fill_null(""), "_k_kind"),
    )
    return keyed.with_columns(
        _fingerprint(pl.col("_k_fv"), pl.col("_k_fn")).alias("_k_fp")
    )


def sort_columns() -> list[str]:
    """Columns that order rows the way the user reads them."""
    return ["quelle", "zeile", "slot", ROW_ID]
