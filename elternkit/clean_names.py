"""Name rules: formula characters, splitting, casing, particles, swapped names.

:func:`clean_names` runs, in this order, over ``vorname``, ``nachname``,
``namenszusatz`` and ``anrede`` of the long table:

1. names starting with ``=``, ``+``, ``@`` or ``-`` are reported
   (``formel_zeichen``) and left exactly as they are by every later step;
2. cells naming two persons or a full name are split
   (:mod:`elternkit.split_names`);
3. academic titles before a name (``Dr.``, ``Prof. Dr.``, ``Dipl.-Ing.``)
   are removed (:func:`strip_title`): IServ has no field for them, and the
   same parent written with and without title on two siblings' records
   would otherwise stay two persons;
4. names in ALL CAPS or all lower case get proper case (:func:`fix_name_case`);
5. particles from ``namenszusatz`` are joined to the surname
   (:func:`join_particles`);
6. swapped Vorname and Nachname are detected (:mod:`elternkit.swap_names`).
"""

from __future__ import annotations

import logging
import re
from typing import Literal

import polars as pl

from elternkit.findings import concat_findings, define_code, findings_for_rows
from elternkit.name_words import (
    NOBLE_TITLES,
    formula_start_expr,
    is_particle,
    name_words,
    starts_with_formula,
)
from elternkit.options import Options
from elternkit.rules import (
    Outcome,
    Stage,
    apply_value_rule,
    concat_changes,
    record_changes,
)
from elternkit.split_names import split_name_rows
from elternkit.swap_names import find_swapped_names

logger = logging.getLogger(__name__)

define_code(
    "formel_zeichen",
    "fehler",
    "Name beginnt mit einem Formelzeichen",
    "Im Feld {feld} beginnt „{wert}“ mit =, +, @ oder -. Tabellenprogramme "
    "lesen so einen Wert als Formel, und als Name eines Elternkontos taugt er "
    "nicht; die Zeile wird deshalb nicht importiert. Bitte den Namen im "
    "Schulverwaltungsprogramm korrigieren.",
)
define_code(
    "namenszusatz_unklar",
    "hinweis",
    "Namenszusatz nicht übernommen",
    "Im Feld {feld} steht „{wert}“, das ist kein bekanntes Namensteilchen wie "
    "von, van oder de. IServ hat kein Feld für Namenszusätze, der Wert kommt "
    "daher nicht in die Importdatei. Bitte prüfen, ob er zum Nachnamen gehört, "
    "und ihn dann im Schulverwaltungsprogramm dort eintragen.",
)

NameKind = Literal["vorname", "nachname", "namenszusatz", "anrede"]

#: The name columns of the long table and how their casing is fixed.
NAME_COLUMNS: tuple[NameKind, ...] = ("vorname", "nachname", "namenszusatz", "anrede")
#: The name columns checked for formula characters.
FORMULA_COLUMNS = ("vorname", "nachname", "namenszusatz")

RULE_CASE = "gross_klein"
RULE_TITLE = "titel_entfernt"
RULE_PARTICLES = "namenszusatz_verbunden"

_CONNECTOR_WORDS = frozenset({"und", "u.", "u"})
_WORD_PIECES = re.compile(r"([-'’`´.])")


#: A word that is an academic title (or starts one): Dr., Prof., Dipl.-Ing.
_TITLE_WORD = re.compile(
    r"(?i)^(?:prof|dr|dipl|mag|pd|doz|priv\.-doz)\.?"
    r"(?:-(?:ing|kfm|kffr|päd|psych|inf|math|phys|chem|soz|theol)\.?)*$"
)
#: Words that complete a title only after one: Dr. med., Dr. rer. nat., h.c.
_TITLE_TAIL = re.compile(
    r"(?i)^(?:med|rer|nat|phil|jur|dent|vet|oec|pol|soc|theol|habil|ing|"
    r"h\.\s?c|h\.c|mult|dr)\.?$"
)
#: Values that may start with a title (a cheap test before the Python rule).
_MAY_HAVE_TITLE = r"(?i)^\s*(?:prof|dr|dipl|mag|pd|doz|priv)\b"


def strip_title(value: str) -> Outcome:
    """Remove academic titles from the start of a name.

    A value that is only a title holds no name: it becomes empty (the row is
    then reported as missing a name).

    Examples
    --------
    >>> strip_title("Dr. Thomas").value, strip_title("Prof. Dr. med. Anna").value
    ('Thomas', 'Anna')
    >>> strip_title("Dipl.-Ing. Schulze").value, strip_title("Dr.Schulze").value
    ('Schulze', 'Schulze')
    >>> strip_title("Drago").value, strip_title("Dr.").value
    ('Drago', None)
    """
    words = re.sub(r"(?i)^((?:prof|dr)\.)(?=[^\W\d_])", r"\1 ", value.strip()).split()
    count, titled = 0, False
    while count < len(words):
        word = words[count]
        if _TITLE_WORD.match(word) or (titled and _TITLE_TAIL.match(word)):
            count, titled = count + 1, True
            continue
        break
    if not titled:
        return Outcome(value)
    return Outcome(" ".join(words[count:]) or None, RULE_TITLE)


def strip_title_columns(frame: pl.DataFrame) -> Stage:
    """Apply :func:`strip_title` to Vorname and Nachname (rule ``titel_entfernt``)."""
    stage = Stage(frame)
    for column in ("vorname", "nachname"):
        stage = stage.then(
            lambda f, column=column: apply_value_rule(
                f,
                column,
                strip_title,
                skip=~pl.col(column).str.contains(_MAY_HAVE_TITLE)
                | formula_start_expr(column),
            )
        )
    return stage


def _capitalize(word: str) -> str:
    """``MÜLLER-LÜDENSCHEIDT`` → ``Müller-Lüdenscheidt``, ``O'BRIEN`` → ``O'Brien``."""
    pieces = _WORD_PIECES.split(word.lower())
    return "".join(_upper_first(piece) for piece in pieces)


def _upper_first(piece: str) -> str:
    head = piece[:1].upper()
    return (head if len(head) == 1 else piece[:1]) + piece[1:]


def _case_word(word: str, *, kind: NameKind, is_last: bool) -> str:
    folded = word.casefold()
    if folded in _CONNECTOR_WORDS:
        return word.lower()
    if kind == "namenszusatz" and folded not in NOBLE_TITLES:
        return word.lower()
    if kind == "nachname" and is_particle(word) and not is_last:
        return word.lower()
    return _capitalize(word)


def fix_name_case(value: str, *, kind: NameKind = "vorname") -> str:
    """Give a name in ALL CAPS or all lower case its proper case.

    Each part of a hyphenated name is capitalised, and so is the letter after
    an apostrophe. Inside a surname, particles (von, van, de, der, zu, …) stay
    lower case unless they are the last word (the surname ``Le``). A name that
    already mixes upper and lower case (``McArthur``, ``DeLuca``, ``van der
    Berg``) is left alone, and so is a value starting with a formula character.

    Parameters
    ----------
    value
        One cell.
    kind
        The column the value comes from: ``nachname`` keeps particles lower
        case, ``namenszusatz`` keeps every word lower case but noble titles.

    Examples
    --------
    >>> fix_name_case("MÜLLER-LÜDENSCHEIDT", kind="nachname")
    'Müller-Lüdenscheidt'
    >>> fix_name_case("VON DER HEIDE", kind="nachname")
    'von der Heide'
    >>> fix_name_case("o'brien", kind="nachname"), fix_name_case("anna-lena")
    ("O'Brien", 'Anna-Lena')
    >>> fix_name_case("McArthur", kind="nachname"), fix_name_case("LE", kind="nachname")
    ('McArthur', 'Le')
    >>> fix_name_case("FREIHERR VON", kind="namenszusatz")
    'Freiherr von'
    """
    cased = [ch for ch in value if ch.isupper() or ch.islower()]
    has_upper = any(ch.isupper() for ch in cased)
    has_lower = any(ch.islower() for ch in cased)
    if not cased or (has_upper and has_lower) or starts_with_formula(value):
        return value
    words = value.split(" ")
    last = len(words) - 1
    return " ".join(
        _case_word(word, kind=kind, is_last=i == last) for i, word in enumerate(words)
    )


def join_particles(
    nachname: str | None, namenszusatz: str | None
) -> tuple[str | None, str | None]:
    """Put the particles of ``namenszusatz`` before the surname.

    Returns the new ``(nachname, namenszusatz)``. Only particles and noble
    titles are joined; anything else stays where it is. A surname that
    already starts with the particles only loses the separate Namenszusatz.

    Examples
    --------
    >>> join_particles("Bülow", "von")
    ('von Bülow', None)
    >>> join_particles("von Bülow", "von")
    ('von Bülow', None)
    >>> join_particles("Bülow", "Freiherr von")
    ('Freiherr von Bülow', None)
    >>> join_particles("Beispiel", "Dr.")
    ('Beispiel', 'Dr.')
    """
    if (
        not nachname
        or not namenszusatz
        or starts_with_formula(nachname)
        or not _is_particle_phrase(namenszusatz)
    ):
        return nachname, namenszusatz
    particles = [w.casefold() for w in name_words(namenszusatz)]
    head = [w.casefold() for w in name_words(nachname)[: len(particles)]]
    if head == particles:
        return nachname, None
    return f"{namenszusatz} {nachname}", None


def _is_particle_phrase(value: str) -> bool:
    words = name_words(value)
    return bool(words) and all(
        is_particle(w) or w.casefold() in NOBLE_TITLES for w in words
    )


def report_formula_names(frame: pl.DataFrame) -> Stage:
    """Report name cells starting with ``=``, ``+``, ``@`` or ``-`` (unchanged).

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1], "zeile": [2, 3], "vorname": ["@Anna", "Lars"]}))
    >>> report_formula_names(df).findings.select("zeile", "code").rows()
    [(2, 'formel_zeichen')]
    """
    findings = [
        findings_for_rows(
            frame.filter(formula_start_expr(column)), code="formel_zeichen", feld=column
        )
        for column in FORMULA_COLUMNS
    ]
    return Stage(frame, findings=concat_findings(findings))


def fix_name_columns(frame: pl.DataFrame) -> Stage:
    """Apply :func:`fix_name_case` to every name column (rule ``gross_klein``).

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1], "zeile": [2, 3],
    ...     "nachname": ["VAN DER BERG", "McArthur"], "anrede": ["FRAU", None]}))
    >>> fix_name_columns(df).frame.select("nachname", "anrede").rows()
    [('van der Berg', 'Frau'), ('McArthur', None)]
    """
    stage = Stage(frame)
    for kind in NAME_COLUMNS:
        stage = stage.then(
            lambda f, kind=kind: apply_value_rule(
                f, kind, lambda v: Outcome(fix_name_case(v, kind=kind), RULE_CASE)
            )
        )
    return stage


def join_particle_columns(frame: pl.DataFrame) -> Stage:
    """Apply :func:`join_particles` to the long table; report other Namenszusätze.

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1], "zeile": [2, 3],
    ...     "nachname": ["Bülow", "Beispiel"], "namenszusatz": ["von", "Dr."]}))
    >>> st = join_particle_columns(df)
    >>> st.frame.select("nachname", "namenszusatz").rows()
    [('von Bülow', None), ('Beispiel', 'Dr.')]
    >>> st.findings.select("zeile", "code").rows()
    [(3, 'namenszusatz_unklar')]
    """
    pairs = frame.filter(pl.col("namenszusatz").is_not_null())
    pairs = pairs.select("nachname", "namenszusatz").unique()
    lookup = pl.DataFrame(
        [(n, z, *join_particles(n, z), True) for n, z in pairs.iter_rows()],
        schema={
            "nachname": pl.String,
            "namenszusatz": pl.String,
            "_n": pl.String,
            "_z": pl.String,
            "_hit": pl.Boolean,
        },
        orient="row",
    )
    joined = frame.join(
        lookup,
        on=["nachname", "namenszusatz"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    hit = pl.col("_hit").fill_null(False)
    new_frame = joined.with_columns(
        pl.when(hit).then(pl.col(new)).otherwise(pl.col(column)).alias(column)
        for column, new in (("nachname", "_n"), ("namenszusatz", "_z"))
    ).drop("_n", "_z", "_hit")
    changes = concat_changes(
        record_changes(frame, new_frame, column, rule=RULE_PARTICLES)
        for column in ("nachname", "namenszusatz")
    )

    others = [z for z in pairs["namenszusatz"].unique() if not _is_particle_phrase(z)]
    unclear = frame.filter(
        pl.col("namenszusatz").is_in(pl.Series(others, dtype=pl.String).implode())
        & ~formula_start_expr("namenszusatz")
    )
    findings = findings_for_rows(
        unclear, code="namenszusatz_unklar", feld="namenszusatz"
    )
    return Stage(new_frame, changes, findings)


def clean_names(
    frame: pl.DataFrame,
    *,
    options: Options = Options(),
) -> Stage:
    """Clean the guardians' names in the long table.

    Parameters
    ----------
    frame
        The long table, after :func:`elternkit.clean_text.clean_text`.
    options
        ``apply_swaps`` decides whether detected swaps of Vorname and Nachname
        are applied or only reported.

    Returns
    -------
    Stage
        The frame (rows naming two persons split into two rows), the changed
        cells and the findings.

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4], "slot": ["1", "1", "1"],
    ...     "vorname": ["ANNA UND LARS", "Marie-Luise", "Jan"],
    ...     "nachname": ["MÜLLER", "Bülow", "BEISPIEL"],
    ...     "namenszusatz": [None, "von", None],
    ... }))
    >>> clean_names(df).frame.select("_row", "slot", "vorname", "nachname").rows()
    [(0, '1a', 'Anna', 'Müller'), (1, '1', 'Marie-Luise', 'von Bülow'), \
(2, '1', 'Jan', 'Beispiel'), (3, '1b', 'Lars', 'Müller')]
    """
    stage = (
        report_formula_names(frame)
        .then(split_name_rows)
        .then(strip_title_columns)
        .then(fix_name_columns)
        .then(join_particle_columns)
        .then(lambda f: find_swapped_names(f, apply=options.apply_swaps))
    )
    logger.info(
        "names cleaned: %d rows in, %d rows out, %d changed cells, %d findings",
        frame.height,
        stage.frame.height,
        stage.changes.height,
        stage.findings.height,
    )
    return stage
