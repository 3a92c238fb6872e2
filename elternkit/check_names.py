"""Checks of the guardians' names before export: complete, plausible, clean.

Each check returns findings (``fehler``: the row is held back): only one of
Vorname and Nachname (``name_unvollstaendig``), a name or an address too long
to be one (``name_zu_lang``, ``adresse_zu_lang``), characters no name has
(``name_zeichen``).
"""

from __future__ import annotations

import polars as pl

from elternkit.findings import concat_findings, define_code, findings_for_rows
from elternkit.name_words import formula_start_expr
from elternkit.schema import ROW_ID

define_code(
    "name_unvollstaendig",
    "fehler",
    "Vor- oder Nachname fehlt",
    "Bei diesem Elternteil fehlt der {detail} (vorhanden: „{wert}“). IServ "
    "braucht Vor- und Nachnamen, um das Elternkonto anzulegen; die Zeile wird "
    "nicht exportiert. Bitte den Namen im Schulverwaltungsprogramm vervollständigen "
    "und neu exportieren.",
)
define_code(
    "name_zu_lang",
    "fehler",
    "Name unglaubwürdig lang",
    "Im Feld {feld} steht ein Name mit {detail} Zeichen (Anfang: „{wert}“). "
    "So lang ist kein Vor- oder Nachname; meist ist ein anderer Text (eine "
    "Bemerkung, eine ganze Zeile) in das Namensfeld geraten. Als Name käme er "
    "so in den IServ-Account; die Zeile wird nicht exportiert. Bitte das Feld "
    "im Schulverwaltungsprogramm berichtigen.",
)
define_code(
    "adresse_zu_lang",
    "fehler",
    "Adresse unglaubwürdig lang",
    "Die Adresse hat {detail} Zeichen (Anfang: „{wert}“). So lang ist keine "
    "Anschrift; meist ist anderer Text (eine Bemerkung, eine ganze Zeile) in "
    "die Adressfelder geraten. Sie käme so in IServ an; die Zeile wird nicht "
    "exportiert. Bitte die Adresse im Schulverwaltungsprogramm berichtigen.",
)
define_code(
    "name_zeichen",
    "fehler",
    "Name mit Zeichen, die in keinem Namen vorkommen",
    "Im Feld {feld} steht „{wert}“ mit {detail}. Solche Zeichen hat kein Vor- "
    "oder Nachname; meist ist anderer Text (Markup, eine Nummer, eine "
    "Bemerkung) in das Namensfeld geraten. Als Name käme er so in den "
    "IServ-Account; die Zeile wird nicht exportiert. Bitte das Feld im "
    "Schulverwaltungsprogramm berichtigen.",
)


def check_name_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """Report rows with only one of Vorname and Nachname (held back).

    Rows with neither name are reported by ``name_fehlt`` instead.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": [None, "Anna"], "nachname": ["Beispiel", "Beispiel"]}))
    >>> check_name_parts(df).select("zeile", "feld", "wert").rows()
    [(2, 'vorname', 'Beispiel')]
    """
    parts = []
    for missing, present, label in (
        ("vorname", "nachname", "Vorname"),
        ("nachname", "vorname", "Nachname"),
    ):
        rows = frame.filter(pl.col(missing).is_null() & pl.col(present).is_not_null())
        parts.append(
            findings_for_rows(
                rows,
                code="name_unvollstaendig",
                feld=missing,
                wert=pl.col(present),
                detail=label,
            )
        )
    return concat_findings(parts).sort(ROW_ID)


#: Longer than this, a Vorname or Nachname is no name (the longest German
#: double names with particles stay well below).
MAX_NAME_CHARS = 60
#: Longer than this, an address (street, number, PLZ, place) is no address.
MAX_ADDRESS_CHARS = 150


def check_name_length(frame: pl.DataFrame) -> pl.DataFrame:
    """Report names over :data:`MAX_NAME_CHARS` and addresses over
    :data:`MAX_ADDRESS_CHARS` characters (held back).

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": ["Anna", "x" * 70], "nachname": ["Beispiel", "Muster"],
    ...     "adresse": ["A" * 200, None]}))
    >>> check_name_length(df).select("zeile", "feld", "code").rows()
    [(2, 'adresse', 'adresse_zu_lang'), (3, 'vorname', 'name_zu_lang')]
    """
    parts = []
    for column, limit, code in (
        ("vorname", MAX_NAME_CHARS, "name_zu_lang"),
        ("nachname", MAX_NAME_CHARS, "name_zu_lang"),
        ("adresse", MAX_ADDRESS_CHARS, "adresse_zu_lang"),
    ):
        if column not in frame.columns:
            continue
        length = pl.col(column).str.len_chars()
        parts.append(
            findings_for_rows(
                frame.filter(length > limit),
                code=code,
                feld=column,
                wert=pl.col(column).str.slice(0, 30) + "…",
                detail=length.cast(pl.String),
            )
        )
    return concat_findings(parts).sort(ROW_ID)


#: Characters no name holds: markup, digits, symbols. (Brackets stay allowed
#: for a birth name, ``Beispiel (geb. Muster)``; formula starts are reported
#: by the name stage.)
_NOT_IN_NAMES = r"[<>\[\]{}|\\=*#$%^~_\"0-9@§]"


def check_name_characters(frame: pl.DataFrame) -> pl.DataFrame:
    """Report names holding characters that no name has (held back).

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "vorname": ["Anna", "<r>Lars", "Eva"],
    ...     "nachname": ["Beispiel (geb. Muster)", "Muster", "Test2"]}))
    >>> check_name_characters(df).select("zeile", "feld").rows()
    [(3, 'vorname'), (4, 'nachname')]
    """
    parts = []
    for column in ("vorname", "nachname"):
        value = pl.col(column)
        rows = frame.filter(
            value.str.contains(_NOT_IN_NAMES) & ~formula_start_expr(column)
        )
        odd = value.str.extract_all(_NOT_IN_NAMES).list.unique(maintain_order=True)
        detail = pl.concat_str(
            pl.lit("den Zeichen "),
            odd.list.eval(pl.lit("„") + pl.element() + "“").list.join(" "),
        )
        parts.append(
            findings_for_rows(rows, code="name_zeichen", feld=column, detail=detail)
        )
    return concat_findings(parts).sort(ROW_ID)
