"""Text damage in every cell: invisible characters, whitespace, mojibake, NFC,
placeholders and Excel error values.

Exports from school administration programs pass through Excel, mail merges
and copy-and-paste before they reach us. What that leaves behind is not visible
in a spreadsheet but breaks IServ's comparison of names and e-mail addresses:
non-breaking and zero-width spaces, tabs and line breaks inside a cell, doubled
spaces, decomposed umlauts, and text that was UTF-8-encoded twice (``JÃ¼rgen``).

Each concern is a small public function over one value; :func:`clean_text`
applies them in a fixed order to every text column of the long table, once per
distinct value, and records one change per cell whose ``regel`` names every
rule that fired (``unsichtbare_zeichen+leerzeichen``).

A cell that holds nothing but a placeholder (``nan``, ``None``, ``NULL``,
``N/A``, ``-``, ``?``) or an Excel error value (``#NV``, ``#WERT!``,
``#BEZUG!``…) becomes empty (rule ``platzhalter_entfernt``, finding
``platzhalter``): such a cell names no parent and no address. The checks then
report an empty name or Kind-ID as usual (``name_fehlt``, ``kind_id_fehlt``).
A cell that holds an Excel error value *among other text* (``#NV Muster``) is
left as it is, because nobody can tell what the formula should have given:
it is held back in a name or Kind-ID column (``excel_fehlerwert``, fehler) and
exported with a warning in any other column (``excel_fehlerwert_uebernommen``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import polars as pl
from ftfy.badness import badness

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

define_code(
    "platzhalter",
    "hinweis",
    "Platzhalter statt Wert entfernt",
    "Im Feld {feld} stand nur „{wert}“, ein Platzhalter, Excel-Fehlerwert oder "
    "Wahrheitswert (WAHR/FALSCH aus einer Kontrollkästchen- oder Formelzelle) "
    "und keine echte Angabe. Als Wert käme er so in IServ an (als Name, "
    "Adresse oder Telefonnummer); elternkit hat das Feld deshalb geleert. Fehlt "
    "dadurch ein Name oder die Kind-ID, wird die Zeile gesondert gemeldet. Bitte "
    "den Wert im Schulverwaltungsprogramm nachtragen oder leer lassen.",
)
define_code(
    "excel_fehlerwert",
    "fehler",
    "Excel-Fehlerwert in Name oder Kind-ID",
    "Im Feld {feld} steht „{wert}“ mit dem Excel-Fehlerwert {detail}: eine "
    "Formel hat beim Bearbeiten der Datei keinen Wert ergeben. Mit so einem "
    "Namen oder so einer Kind-ID legte IServ ein falsches Konto an oder fände "
    "das Kind nicht; die Zeile wird deshalb nicht exportiert. Bitte den Wert "
    "im Schulverwaltungsprogramm prüfen und die Datei neu exportieren, ohne "
    "sie mit Formeln zu bearbeiten.",
)
define_code(
    "excel_fehlerwert_uebernommen",
    "warnung",
    "Excel-Fehlerwert in einem Feld",
    "Im Feld {feld} steht „{wert}“ mit dem Excel-Fehlerwert {detail}: eine "
    "Formel hat beim Bearbeiten der Datei keinen Wert ergeben. Der Wert wird "
    "unverändert exportiert; IServ vergleicht damit aber die Zeilen derselben "
    "Person, und im Konto stünde der Fehlerwert. Bitte den Wert im "
    "Schulverwaltungsprogramm prüfen und die Datei neu exportieren.",
)

#: Excel error values, German and English spelling (compared case-insensitively).
EXCEL_ERRORS = (
    "#NV",
    "#N/A",
    "#WERT!",
    "#VALUE!",
    "#BEZUG!",
    "#REF!",
    "#DIV/0!",
    "#NAME?",
    "#ZAHL!",
    "#NUM!",
    "#NULL!",
    "#LEER!",
    # the errors of newer Excel versions (dynamic arrays, data types, Python)
    "#SPILL!",
    "#ÜBERLAUF!",
    "#CALC!",
    "#KALK!",
    "#GETTING_DATA",
    "#DATEN_ABRUFEN",
    "#FIELD!",
    "#FELD!",
    "#BLOCKED!",
    "#BLOCKIERT!",
    "#BUSY!",
    "#BESCHÄFTIGT!",
    "#CONNECT!",
    "#VERBINDEN!",
    "#UNKNOWN!",
    "#UNBEKANNT!",
    "#PYTHON!",
)
#: Cell values that stand for "no value" (compared case-insensitively).
PLACEHOLDERS = frozenset(
    {e.casefold() for e in EXCEL_ERRORS}
    | {"nan", "none", "null", "n/a", "-", "--", "?"}
    # German "no answer" and "name unknown" (keine Angabe, nomen nescio)
    | {"k.a.", "k. a.", "keine angabe", "n.n.", "xxx", "xxxx"}
)
#: Spreadsheet truth values (a checkbox or formula cell, read as ``WAHR``).
BOOLEAN_WORDS = frozenset({"wahr", "falsch", "true", "false"})
#: Fields where a truth value is no answer but damage: names, contact, IDs.
#: (Flag columns such as an Auskunftssperre may hold WAHR/FALSCH rightly.)
BOOLEAN_PLACEHOLDER_FIELDS = frozenset(
    {"vorname", "nachname", "strasse", "hausnummer", "plz", "ort", "adresse",
     "email", "telefon", "kind_id", "kind_vorname", "kind_nachname"}
)  # fmt: skip
_NAME_FIELDS = frozenset({"vorname", "nachname", "kind_vorname", "kind_nachname"})
#: Columns where an Excel error value among other text holds the row back.
HELD_ERROR_COLUMNS = frozenset({"vorname", "nachname", "kind_id"})
#: Placeholders the phone stage reads itself (a dash for "no number").
_PHONE_PLACEHOLDERS = frozenset({"-", "--"})
_EXCEL_ERROR = re.compile(
    r"(?<![\w#])(?:"
    + "|".join(re.escape(e) for e in sorted(EXCEL_ERRORS, key=len, reverse=True))
    + r")(?!\w)",
    flags=re.IGNORECASE,
)
RULE_PLACEHOLDER = "platzhalter_entfernt"

# Zero-width characters carry no text at all; they are dropped.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Special spaces and control characters become an ordinary space.
_SPECIAL_SPACE = re.compile("[\u00a0\u2007\u202f\u0000-\u0008\u000b-\u001f\u007f]")
_SOFT_HYPHEN = "\u00ad"
_ANY_SPACE = re.compile(r"\s+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Control, combining, private-use, surrogate and unassigned characters.
_REJECTED_CATEGORIES = frozenset({"Cc", "Co", "Cs", "Cn", "Mn", "Mc", "Me"})
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


def _undo_double_encoding(run: str) -> str:
    """Decode a run of non-ASCII characters once more, if that is exact and better.

    The run must encode to Windows-1252 (or Latin-1) bytes that are valid
    UTF-8 as a whole, the result must hold no control characters, combining
    marks or private-use characters, and it must look less damaged than the run
    by ftfy's measure; otherwise the run is returned unchanged.
    """
    for encoding in _MOJIBAKE_ENCODINGS:
        try:
            candidate = run.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if any(unicodedata.category(ch) in _REJECTED_CATEGORIES for ch in candidate):
            continue
        if badness(candidate) < badness(run):
            return candidate
    return run


def repair_mojibake(value: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 or Latin-1 on the way.

    Every run of non-ASCII characters (ASCII is never part of the damage) is
    encoded back to Windows-1252 (or Latin-1) and decoded as UTF-8. The repair
    is kept only when that round trip is exact and the result looks less
    damaged, so a correct name is never touched. Text that was damaged twice
    is repaired step by step.

    Examples
    --------
    >>> repair_mojibake("JÃ¼rgen"), repair_mojibake("Ã–zlem")
    ('Jürgen', 'Özlem')
    >>> repair_mojibake("MÃƒÂ¼ller")
    'Müller'
    >>> repair_mojibake("\u00a0MÃ¼ller und Müller")
    '\xa0Müller und Müller'
    >>> repair_mojibake("Renée"), repair_mojibake("JÍŠA")
    ('Renée', 'JÍŠA')
    """
    text = value
    for _ in range(_MAX_REPAIR_ROUNDS):
        repaired = _NON_ASCII_RUN.sub(lambda m: _undo_double_encoding(m[0]), text)
        if repaired == text:
            break
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


def is_placeholder(value: str | None, *, feld: str | None = None) -> bool:
    """Tell whether a cell holds only a placeholder or an Excel error value.

    Surrounding spaces do not count; case does not matter. In the ``telefon``
    column a dash is left to the phone stage.

    Examples
    --------
    >>> [is_placeholder(v) for v in ("#NV", " n/a ", "NaN", "None", "-", "?")]
    [True, True, True, True, True, True]
    >>> [is_placeholder(v) for v in ("#nv Muster", "Nana", "N/B", None)]
    [False, False, False, False]
    >>> is_placeholder("-", feld="telefon")
    False

    A spreadsheet's truth value is a placeholder in a name, contact or ID
    field, not in a flag column:

    >>> is_placeholder("WAHR", feld="vorname"), is_placeholder("WAHR", feld="sperre")
    (True, False)
    >>> is_placeholder("Wahr", feld="nachname"), is_placeholder("Wahr", feld="email")
    (False, True)
    """
    if value is None:
        return False
    text = value.strip()
    folded = text.casefold()
    if folded in BOOLEAN_WORDS and feld in _NAME_FIELDS and text.istitle():
        return False  # „Wahr“ is a surname; a spreadsheet writes WAHR or wahr
    return folded in placeholder_words(feld)


@lru_cache(maxsize=64)
def placeholder_words(feld: str | None) -> frozenset[str]:
    """The (case-folded) cell values that are placeholders in ``feld``."""
    words = PLACEHOLDERS
    if feld == "telefon":
        words = words - _PHONE_PLACEHOLDERS
    if feld in BOOLEAN_PLACEHOLDER_FIELDS:
        words = words | BOOLEAN_WORDS
    return words


def find_excel_error(value: str | None) -> str | None:
    """Return the first Excel error value inside ``value``, as written, or None.

    Examples
    --------
    >>> find_excel_error("#nv Muster"), find_excel_error("Bernd #WERT!")
    ('#nv', '#WERT!')
    >>> find_excel_error("Weg 1 #2"), find_excel_error("#NVX"), find_excel_error(None)
    (None, None, None)
    """
    if not value or "#" not in value:
        return None
    match = _EXCEL_ERROR.search(value)
    return match[0] if match else None


def clean_text_value(value: str, *, feld: str | None = None) -> Outcome:
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

    A placeholder becomes empty; an Excel error value among other text stays
    and is reported (held back in ``vorname``, ``nachname`` and ``kind_id``):

    >>> out = clean_text_value(" #NV", feld="email")
    >>> out.value, out.rule, out.hits[0].code
    (None, 'leerzeichen+platzhalter_entfernt', 'platzhalter')
    >>> out = clean_text_value("#nv Muster", feld="vorname")
    >>> out.value, out.rule, out.hits[0].code, out.hits[0].detail
    ('#nv Muster', None, 'excel_fehlerwert', '#nv')
    >>> clean_text_value("Weg 1 #BEZUG!", feld="strasse").hits[0].code
    'excel_fehlerwert_uebernommen'
    """
    if value.isascii() and value.isprintable() and _is_tidy(value):
        if "#" not in value and not is_placeholder(value, feld=feld):
            return Outcome(value)  # the common case: nothing to do
        return _placeholder_outcome(value, value, [], feld)

    rules: list[str] = []
    result: str | None = value
    # A repair can reveal more damage (``Ã¼`` inside collapsed spaces, a
    # double-encoded zero-width space), so the steps run until nothing changes.
    for _ in range(_MAX_REPAIR_ROUNDS):
        before = result
        for rule, step in _TEXT_STEPS:
            if result is None:
                break
            after = step(result)
            if after != result and rule not in rules:
                rules.append(rule)
            result = after
        if result == before:
            break

    hits = (Hit("zeichen_verloren"),) if result and "\ufffd" in result else ()
    if result is None:
        return Outcome(result, "+".join(rules) or None, hits)
    return _placeholder_outcome(value, result, rules, feld, hits)


def _placeholder_outcome(
    value: str,
    result: str,
    rules: list[str],
    feld: str | None,
    hits: tuple[Hit, ...] = (),
) -> Outcome:
    """Empty a placeholder cell, or report an Excel error value inside text."""
    if is_placeholder(result, feld=feld):
        rule = "+".join([*rules, RULE_PLACEHOLDER])
        return Outcome(None, rule, (*hits, Hit("platzhalter", wert=value)))
    token = find_excel_error(result)
    if token is not None:
        code = (
            "excel_fehlerwert"
            if feld in HELD_ERROR_COLUMNS
            else "excel_fehlerwert_uebernommen"
        )
        hits = (*hits, Hit(code, detail=token))
    return Outcome(result, "+".join(rules) or None, hits)


_TEXT_STEPS: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("unsichtbare_zeichen", lambda v: _ZERO_WIDTH.sub("", v)),
    ("doppelt_kodiert", repair_mojibake),
    ("unsichtbare_zeichen", remove_invisible),
    ("leerzeichen", normalize_whitespace),
    ("unicode_nfc", normalize_unicode),
)


def _is_tidy(value: str) -> bool:
    return bool(value) and value == value.strip() and "  " not in value


def unchanged_text_expr(column: str) -> pl.Expr:
    """Expression: values :func:`clean_text_value` surely returns as they are.

    The fast path of :func:`clean_text_value` as a polars test: printable
    ASCII without surrounding or double spaces, no ``#``, no placeholder of
    the field. Those values skip the per-value Python call.
    """
    col = pl.col(column)
    words = sorted(placeholder_words(column))
    return (
        col.str.contains(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")
        & ~col.str.contains("  ", literal=True)
        & ~col.str.contains("#", literal=True)
        & ~col.str.to_lowercase().is_in(words)
    )


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
    options: Options = Options(),
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
            lambda f, column=column: apply_value_rule(
                f,
                column,
                lambda v, column=column: clean_text_value(v, feld=column),
                skip=unchanged_text_expr(column),
            )
        )
    logger.info(
        "text cleaned: %d changed cells, %d findings",
        stage.changes.height,
        stage.findings.height,
    )
    return stage
