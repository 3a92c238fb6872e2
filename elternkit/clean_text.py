"""Text damage in every cell: invisible characters, whitespace, mojibake, NFC.

Exports from school administration programs pass through Excel, mail merges
and copy-and-paste before they reach us. What that leaves behind is not visible
in a spreadsheet but breaks IServ's comparison of names and e-mail addresses:
non-breaking and zero-width spaces, tabs and line breaks inside a cell, doubled
spaces, decomposed umlauts, and text that was UTF-8-encoded twice (``JÃ¼rgen``).

Each concern is a small public function over one value; :func:`clean_text`
applies them in a fixed order to every text column of the long table, once per
distinct value, and records one change per cell whose ``regel`` names every
rule that fired (``unsichtbare_zeichen+leerzeichen``).
"""

from __future__ import annotations

import logging
import re
import unicodedata

import polars as pl

from elternkit.findings import Hit, define_code
from elternkit.options import Options
from elternkit.rules import Outcome, Stage, apply_value_rule

logger = logging.getLogger(__name__)

#: Columns of the long table that hold no source text and are never cleaned.
SKIPPED_COLUMNS = frozenset({"_row", "zeile", "quelle", "person", "slot"})

define_code(
    "zeichen_verloren",
    "warnung",
    "Zeichen beim Export verloren",
    "Im Feld {feld} steht „{wert}“ mit dem Ersatzzeichen �: ein Zeichen ist "
    "schon beim Export verloren gegangen und lässt sich nicht wiederherstellen. "
    "IServ übernimmt den Wert so, Namen und Adressen passen dann nicht mehr "
    "zusammen. Bitte den Wert im Schulverwaltungsprogramm prüfen und die Datei "
    "erneut als UTF-8 exportieren.",
)

# Zero-width characters carry no text at all; they are dropped.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Special spaces and control characters become an ordinary space.
_SPECIAL_SPACE = re.compile("[\u00a0\u2007\u202f\u0000-\u0008\u000b-\u001f\u007f]")
_SOFT_HYPHEN = "\u00ad"
_ANY_SPACE = re.compile(r"\s+")
_EDGES = re.compile(r"(\s*)(.*?)(\s*)", re.DOTALL)
_MOJIBAKE_ENCODINGS = ("cp1252", "latin-1")
_MAX_REPAIR_ROUNDS = 4


def remove_invisible(value: str) -> str:
    """Drop zero-width characters and turn special spaces into plain spaces.

    Non-breaking spaces (U+00A0, U+2007, U+202F) and control characters become
    an ordinary space; zero-width spaces and joiners, the word joiner and the
    byte order mark (U+200B, U+200C, U+200D, U+2060, U+FEFF) and soft hyphens
    are removed.

    Examples
    --------
    >>> remove_invisible("\u00a0Anna\u200b")
    ' Anna'
    >>> remove_invisible("Marie-Luise")
    'Marie-Luise'
    """
    text = _ZERO_WIDTH.sub("", value).replace(_SOFT_HYPHEN, "")
    return _SPECIAL_SPACE.sub(" ", text)


def normalize_whitespace(value: str | None) -> str | None:
    """Strip a value, collapse every run of whitespace, turn empty into None.

    Tabs, line breaks, non-breaking and zero-width spaces all count as
    whitespace here (see :func:`remove_invisible`).

    Examples
    --------
    >>> normalize_whitespace("\u00a0 Anna ")
    'Anna'
    >>> normalize_whitespace("Muster  Mann")
    'Muster Mann'
    >>> normalize_whitespace("Musterstr.\\n47")
    'Musterstr. 47'
    >>> normalize_whitespace(" \u200b ") is None
    True
    >>> normalize_whitespace("Anna")
    'Anna'
    """
    if value is None:
        return None
    text = _ANY_SPACE.sub(" ", remove_invisible(value)).strip()
    return text or None


def _undo_double_encoding(value: str) -> str | None:
    """Return ``value`` decoded once more, if the round trip is exact."""
    for encoding in _MOJIBAKE_ENCODINGS:
        try:
            candidate = value.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if candidate == value or "\ufffd" in candidate:
            continue
        if any(unicodedata.category(ch) == "Cc" for ch in candidate if ch > "\x7f"):
            continue
        return candidate
    return None


def repair_mojibake(value: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 or Latin-1 on the way.

    A repair is made only when the value, encoded back to Windows-1252 (or
    Latin-1), is valid UTF-8 as a whole: the round trip must be exact, so a
    correct name is never touched. Text that was damaged twice is repaired
    step by step.

    Examples
    --------
    >>> repair_mojibake("JÃ¼rgen"), repair_mojibake("Ã–zlem")
    ('Jürgen', 'Özlem')
    >>> repair_mojibake("MÃƒÂ¼ller")
    'Müller'
    >>> repair_mojibake("\u00a0MÃ¼ller ")
    '\xa0Müller '
    >>> repair_mojibake("Renée")
    'Renée'
    >>> repair_mojibake("Müller und MÃ¼ller")
    'Müller und MÃ¼ller'
    """
    text = value
    for _ in range(_MAX_REPAIR_ROUNDS):
        repaired = _undo_double_encoding(text)
        if repaired is None:
            # Spaces around the text (often non-breaking) are no part of the
            # damage but block the round trip of the whole cell.
            lead, core, trail = _EDGES.fullmatch(text).groups()  # type: ignore[union-attr]
            repaired = _undo_double_encoding(core) if core != text else None
            if repaired is None:
                break
            repaired = lead + repaired + trail
        text = repaired
    return text


def normalize_unicode(value: str) -> str:
    """Compose characters (Unicode NFC): ``u`` + combining diaeresis → ``ü``.

    Examples
    --------
    >>> normalize_unicode("Mu\u0308ller") == "Müller"
    True
    """
    return unicodedata.normalize("NFC", value)


def clean_text_value(value: str) -> Outcome:
    """Apply every text rule to one value, naming the rules that changed it.

    The order matters: zero-width characters go first (they would block the
    mojibake round trip), mojibake is repaired before special spaces are
    replaced (``Ã`` + non-breaking space is a double-encoded ``à``), and NFC
    comes last.

    Examples
    --------
    >>> out = clean_text_value("\u00a0JÃ¼rgen ")
    >>> out.value, out.rule
    ('Jürgen', 'doppelt_kodiert+unsichtbare_zeichen+leerzeichen')
    >>> clean_text_value("Anna")
    Outcome(value='Anna', rule=None, hits=())
    """
    rules: list[str] = []
    text = _ZERO_WIDTH.sub("", value)
    if text != value:
        rules.append("unsichtbare_zeichen")

    repaired = repair_mojibake(text)
    if repaired != text:
        rules.append("doppelt_kodiert")

    visible = remove_invisible(repaired)
    if visible != repaired and "unsichtbare_zeichen" not in rules:
        rules.append("unsichtbare_zeichen")
    spaced = normalize_whitespace(visible)
    if spaced != visible:
        rules.append("leerzeichen")

    result = None if spaced is None else normalize_unicode(spaced)
    if result is not None and result != spaced:
        rules.append("unicode_nfc")

    hits = (Hit("zeichen_verloren"),) if result and "\ufffd" in result else ()
    return Outcome(result, "+".join(rules) or None, hits)


def text_columns(frame: pl.DataFrame) -> list[str]:
    """Return the string columns of ``frame`` that :func:`clean_text` cleans."""
    return [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String
        and name not in SKIPPED_COLUMNS
        and not name.startswith("_")
    ]


def clean_text(
    frame: pl.DataFrame,
    *,
    options: Options = Options(),  # noqa: B008
) -> Stage:
    """Repair text damage in every text column of the long table.

    Parameters
    ----------
    frame
        The long table (see :func:`elternkit.schema.conform_long`).
    options
        Run options (no text rule depends on them yet).

    Returns
    -------
    Stage
        The cleaned frame (same rows, same order), one change per changed cell
        and a ``zeichen_verloren`` finding per cell holding ``�``.

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "vorname": ["\u00a0Anna ", "JÃ¼rgen", "Renée"],
    ...     "nachname": ["Muster  Mann", "Beispiel", " "],
    ... }))
    >>> st = clean_text(df)
    >>> st.frame.select("vorname", "nachname").rows()
    [('Anna', 'Muster Mann'), ('Jürgen', 'Beispiel'), ('Renée', None)]
    >>> st.changes.select("zeile", "feld", "regel").sort("feld", "zeile").rows()
    [(2, 'nachname', 'leerzeichen'), (4, 'nachname', 'leerzeichen'), \
(2, 'vorname', 'unsichtbare_zeichen+leerzeichen'), (3, 'vorname', 'doppelt_kodiert')]
    """
    stage = Stage(frame)
    for column in text_columns(frame):
        stage = stage.then(
            lambda f, column=column: apply_value_rule(f, column, clean_text_value)
        )
    logger.info(
        "text cleaned: %d changed cells, %d findings",
        stage.changes.height,
        stage.findings.height,
    )
    return stage
