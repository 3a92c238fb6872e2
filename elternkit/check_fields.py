"""Pre-flight checks on single rows: flags, names, account names, Kind-IDs.

These checks look at one row at a time (unlike the Kind-ID checks of
:mod:`elternkit.check`, which compare rows). They never change a value; they
only report, and some of them hold a row back (severity ``fehler``).

Checks that a cleaning stage already makes are not repeated here: formula
characters in names (``formel_zeichen``), invalid or shared e-mail addresses,
impossible phone numbers, lost digits and lost characters are reported by the
stages that clean those fields.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from elternkit.findings import concat_findings, define_code, findings_for_rows
from elternkit.options import Options
from elternkit.schema import ROW_ID
from elternkit.text import FORMULA_START

#: Length above which an IServ account name is reported (a hint).
ACCOUNT_NAME_LIMIT = 20

_PHONE_LIKE = re.compile(r"^[+\-]?[0-9 ()/.\-]*$")
_NO = frozenset(
    {"", "nein", "n", "no", "0", "false", "falsch", "f", "-", "keine", "kein", "ohne"}
)
_NO_CUSTODY = re.compile(
    r"\b(nein|kein\w*|ohne|nicht|entzogen)\b|^(0|n|false|falsch|-)$"
)
_ACCOUNT_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_ACCOUNT_DROP = re.compile(r"[^a-z0-9.\-]+")
# a name of one person: letters with inner spaces, hyphens, apostrophes, dots
_PLAIN_NAME = re.compile(r"^[^\W\d_]+\.?(?:[ '’\-][^\W\d_]+\.?)*$")
_CONNECTOR = re.compile(r"\b(und|u|and)\b", re.IGNORECASE)

define_code(
    "auskunftssperre",
    "warnung",
    "Auskunftssperre: bitte von Hand prüfen",
    "Für dieses Elternteil ist eine Auskunftssperre vermerkt („{wert}“). Die "
    "Zeile wird exportiert; in IServ sehen Lehrkräfte und andere Nutzer "
    "möglicherweise Name und Kontaktdaten. Bitte mit der Schulleitung klären, ob "
    "das Elternteil importiert werden darf; zum Zurückhalten elternkit mit "
    "--sperre-zurueckhalten laufen lassen.",
)
define_code(
    "auskunftssperre_zurueckgehalten",
    "fehler",
    "Auskunftssperre: zurückgehalten",
    "Für dieses Elternteil ist eine Auskunftssperre vermerkt („{wert}“). Wie "
    "gewählt (--sperre-zurueckhalten) wird die Zeile nicht exportiert. Bitte "
    "von Hand entscheiden, ob und wie das Elternteil in IServ angelegt wird.",
)
define_code(
    "sorgerecht_fehlt",
    "warnung",
    "Ohne Sorgerecht: bitte von Hand prüfen",
    "Laut Export hat dieses Elternteil kein Sorgerecht („{wert}“). Die Zeile "
    "wird exportiert; das Elternkonto bekäme in IServ Zugang zu den Daten des "
    "Kindes. Bitte mit der Schulleitung klären, ob das Elternteil importiert "
    "werden darf; zum Zurückhalten elternkit mit --sperre-zurueckhalten laufen "
    "lassen.",
)
define_code(
    "sorgerecht_fehlt_zurueckgehalten",
    "fehler",
    "Ohne Sorgerecht: zurückgehalten",
    "Laut Export hat dieses Elternteil kein Sorgerecht („{wert}“). Wie gewählt "
    "(--sperre-zurueckhalten) wird die Zeile nicht exportiert. Bitte von Hand "
    "entscheiden, ob das Elternteil einen Zugang bekommt.",
)
define_code(
    "accountname_lang",
    "hinweis",
    "Langer IServ-Accountname",
    "Aus Vor- und Nachnamen ergibt sich der Accountname „{wert}“ ({detail} "
    "Zeichen, mehr als 20). IServ bildet den Accountnamen aus "
    "vorname.nachname; lange Namen werden je nach IServ-Version gekürzt oder "
    "abgelehnt (nicht geprüft). Bitte in der Vorschau des IServ-Imports auf "
    "diesen Namen achten; wer mehrere Vornamen hat, wird am besten nur mit dem "
    "Rufnamen exportiert.",
)
define_code(
    "formel_zeichen_import",
    "warnung",
    "Wert beginnt wie eine Formel",
    "Der Wert „{wert}“ im Feld {feld} beginnt mit einem Zeichen, mit dem Excel "
    "und LibreOffice eine Formel starten (=, +, -, @). IServ liest die Datei als "
    "Text und übernimmt den Wert so; wer eltern_import.csv aber in Excel öffnet, "
    "kann eine Formel auslösen. Die Datei bitte nicht in Excel öffnen und "
    "speichern, und den Wert im Schulverwaltungsprogramm prüfen.",
)

define_code(
    "kind_id_zerstoert",
    "fehler",
    "Kind-ID von Excel als Zahl zerstört",
    "Die Kind-ID „{wert}“ ist in wissenschaftlicher Schreibweise gespeichert: "
    "Excel hat die Kind-ID als Zahl gespeichert und dabei womöglich Ziffern "
    "verloren. "
    "Welche Kind-ID gemeint war, lässt sich nicht mehr sagen; IServ fände kein "
    "oder das falsche Kind, die Zeile wird deshalb nicht exportiert. Bitte die "
    "Datei neu aus dem Schulverwaltungsprogramm exportieren und nicht in Excel "
    "speichern, oder die Spalte vor dem Einfügen als Text formatieren.",
)
define_code(
    "kind_id_datum",
    "fehler",
    "Kind-ID als Datum",
    "Die Kind-ID „{wert}“ ist ein Datum: Eine Tabellenkalkulation hat die "
    "Kind-ID als Datum gelesen und umgewandelt, die echte ID ist verloren. "
    "IServ fände kein Kind dazu; die Zeile wird nicht exportiert. Bitte die "
    "Datei ohne Umweg über Excel neu exportieren oder die Spalte vor dem "
    "Einfügen als Text formatieren.",
)
define_code(
    "kind_id_nachkomma",
    "warnung",
    "Kind-ID mit „.0“ am Ende",
    "Die Kind-ID „{wert}“ endet auf „.0“: Excel hat sie vermutlich als Zahl "
    "gespeichert. IServ vergleicht die Kind-ID als Text; „7.0“ passt nicht zur "
    "Import-ID „7“ des Kindes, das Elternkonto bliebe ohne Kind. Bitte die "
    "Kind-ID prüfen und die Datei ohne Umweg über Excel neu exportieren.",
)
define_code(
    "kind_id_fuehrende_nullen",
    "warnung",
    "Kind-IDs, die sich nur in führenden Nullen unterscheiden",
    "Die Kind-ID „{wert}“ kommt in der Datei auch als {detail} vor. Meist hat "
    "eine Tabellenkalkulation dabei führende Nullen entfernt. IServ vergleicht "
    "die Kind-ID als Text und sähe darin verschiedene Kinder, sodass Eltern dem "
    "falschen oder keinem Kind zugeordnet würden. Bitte prüfen, welche "
    "Schreibweise die Import-ID des Kindes ist, und die Datei ohne Umweg über "
    "Excel neu exportieren.",
)

#: A number Excel wrote in scientific notation (``1e5``, ``1,5E+06``).
SCIENTIFIC_ID = r"^[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$"
#: A Kind-ID that a spreadsheet turned into a date (``07.01.2026``).
DATE_ID = r"^\d{1,2}\.\d{1,2}\.\d{2,4}$|^\d{4}-\d{2}-\d{2}"
#: A whole number Excel wrote with a decimal part (``7.0``, ``7,00``).
DECIMAL_ID = r"^[0-9]+[.,]0+$"
# A Kind-ID of digits, maybe with a decimal part of zeros.
_NUMERIC_ID = r"^[0-9]+(?:[.,]0+)?$"

#: Import columns checked for formula characters (names are checked by the
#: name stage, phone numbers are allowed to start with ``+``).
FORMULA_FIELDS = ("adresse", "email", "telefon", "kind_id")


def account_name(vorname: str | None, nachname: str | None) -> str:
    """Return the IServ account name elternkit expects: ``vorname.nachname``.

    Lower case, umlauts and ß transliterated, accents dropped, spaces as
    ``-``; other characters left out. IServ's exact rule is not verified.

    Examples
    --------
    >>> account_name("Anna-Lena", "Müller-Lüdenscheidt")
    'anna-lena.mueller-luedenscheidt'
    >>> account_name("Renée", "von Weiß")
    'renee.von-weiss'
    >>> account_name(None, "Beispiel")
    'beispiel'
    """
    parts = []
    for name in (vorname, nachname):
        if not name:
            continue
        text = unicodedata.normalize("NFC", name).strip().lower()
        text = unicodedata.normalize("NFKD", text.translate(_ACCOUNT_FOLD))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = re.sub(r"\s+", "-", text)
        parts.append(_ACCOUNT_DROP.sub("", text.replace(".", "")))
    return ".".join(p for p in parts if p)


def is_flag_set(value: str | None) -> bool:
    """Tell whether a yes/no cell says yes (``ja``, ``x``, ``1``, a remark).

    Examples
    --------
    >>> [is_flag_set(v) for v in ("ja", "X", "1", "Sperre bis 2026", "nein", "0")]
    [True, True, True, True, False, False]
    >>> is_flag_set(None)
    False
    """
    return value is not None and value.strip().lower() not in _NO


def lacks_custody(value: str | None) -> bool:
    """Tell whether a custody cell says *no* custody.

    Examples
    --------
    >>> [lacks_custody(v) for v in ("nein", "kein Sorgerecht", "0", "ja", "x")]
    [True, True, True, False, False]
    >>> lacks_custody(None)  # nothing said: nothing to report
    False
    """
    return value is not None and bool(_NO_CUSTODY.search(value.strip().lower()))


def check_flags(frame: pl.DataFrame, *, options: Options) -> pl.DataFrame:
    """Report Auskunftssperre and missing custody for a manual review.

    With ``options.hold_auskunftssperre`` the rows are held back (``fehler``).

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "auskunftssperre": ["ja", "nein", None],
    ...     "sorgerecht": ["ja", "ja", "nein"]}))
    >>> check_flags(df, options=Options()).select("zeile", "code").rows()
    [(2, 'auskunftssperre'), (4, 'sorgerecht_fehlt')]
    """
    hold = "_zurueckgehalten" if options.hold_auskunftssperre else ""
    parts = []
    for column, test, code in (
        ("auskunftssperre", is_flag_set, "auskunftssperre"),
        ("sorgerecht", lacks_custody, "sorgerecht_fehlt"),
    ):
        if column not in frame.columns:
            continue
        values = frame.get_column(column).drop_nulls().unique().to_list()
        matching = pl.Series([v for v in values if test(v)], dtype=pl.String)
        flagged = frame.filter(pl.col(column).is_in(matching.implode()))
        parts.append(findings_for_rows(flagged, code=code + hold, feld=column))
    return concat_findings(parts).sort(ROW_ID)


def check_account_names(
    frame: pl.DataFrame, *, limit: int = ACCOUNT_NAME_LIMIT
) -> pl.DataFrame:
    """Hint at account names (``vorname.nachname``) longer than ``limit``.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": ["Anna", "Marie-Luise"],
    ...     "nachname": ["Beispiel", "Müller-Lüdenscheidt"]}))
    >>> check_account_names(df).select("zeile", "wert").rows()
    [(3, 'marie-luise.mueller-luedenscheidt')]
    """
    # work per distinct first name and per distinct surname, not per pair
    parts = {}
    for column in ("vorname", "nachname"):
        values = frame.get_column(column).drop_nulls().unique().to_list()
        parts[column] = pl.DataFrame(
            {
                column: values,
                f"_{column}_acc": [account_name(v, None) for v in values],
                f"_{column}_ok": [_is_one_person(v) for v in values],
            },
            schema={
                column: pl.String,
                f"_{column}_acc": pl.String,
                f"_{column}_ok": pl.Boolean,
            },
        )
    keyed = frame.join(
        parts["vorname"], on="vorname", how="left", maintain_order="left"
    )
    keyed = keyed.join(
        parts["nachname"], on="nachname", how="left", maintain_order="left"
    )
    account = pl.concat_str(
        pl.when(pl.col("_vorname_acc") != "").then(pl.col("_vorname_acc")),
        pl.when(pl.col("_nachname_acc") != "").then(pl.col("_nachname_acc")),
        separator=".",
        ignore_nulls=True,
    )
    rows = keyed.with_columns(account.alias("_account")).filter(
        pl.col("_vorname_ok").fill_null(True)
        & pl.col("_nachname_ok").fill_null(True)
        & (pl.col("_account").str.len_chars() > limit)
    )
    return findings_for_rows(
        rows.sort(ROW_ID),
        code="accountname_lang",
        feld="vorname",
        wert=pl.col("_account"),
        detail=pl.col("_account").str.len_chars().cast(pl.String),
    )


def _is_one_person(name: str | None) -> bool:
    """A plain name (other stages report formulas, salutations, two persons)."""
    if name is None:
        return True
    return bool(_PLAIN_NAME.match(name)) and not _CONNECTOR.search(name)


def check_formula_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Report import values that a spreadsheet would run as a formula.

    Phone numbers (``+49 351 …``) are not reported; names are reported by the
    name stage (``formel_zeichen``).

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "adresse": ["=HYPERLINK(1)", "Hauptstr. 1", None],
    ...     "telefon": ["+493511234", None, "@x"]}))
    >>> check_formula_values(df).select("zeile", "feld").rows()
    [(2, 'adresse'), (4, 'telefon')]
    """
    parts = []
    for column in FORMULA_FIELDS:
        col = pl.col(column)
        risky = pl.any_horizontal(col.str.starts_with(c) for c in FORMULA_START)
        if column == "telefon":
            risky = risky & ~col.str.contains(_PHONE_LIKE.pattern)
        parts.append(
            findings_for_rows(
                frame.filter(risky.fill_null(False)),
                code="formel_zeichen_import",
                feld=column,
            )
        )
    return concat_findings(parts).sort(ROW_ID)


def is_formula_like(value: str | None) -> bool:
    """Tell whether a spreadsheet would run ``value`` as a formula.

    Text of digits, spaces and ``()/.-`` after a leading ``+`` or ``-`` (a
    phone number) is not formula-like.

    Examples
    --------
    >>> [is_formula_like(v) for v in ("=1+1", "@x", "-Eva", "+49 351 1", "Anna")]
    [True, True, True, False, False]
    """
    if not value or not value.startswith(FORMULA_START):
        return False
    return not (value[0] in "+-" and _PHONE_LIKE.match(value))


def check_kind_id_damage(frame: pl.DataFrame) -> pl.DataFrame:
    """Report Kind-IDs that a spreadsheet stored as a number.

    Scientific notation (``1e5``) lost digits and holds the row back
    (``kind_id_zerstoert``); a trailing ``.0`` is a warning
    (``kind_id_nachkomma``); numeric Kind-IDs that are equal once leading
    zeros (and a trailing ``.0``) are dropped but differ as text are reported
    on every row holding them (``kind_id_fuehrende_nullen``). Works on the
    distinct Kind-IDs in polars, so a million rows stay fast.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1, 2, 3, 4],
    ...     "zeile": [2, 3, 4, 5, 6],
    ...     "kind_id": ["1e5", "007", "7", "7.0", "0815"]}))
    >>> check_kind_id_damage(df).select("zeile", "code").rows()
    ... # doctest: +NORMALIZE_WHITESPACE
    [(2, 'kind_id_zerstoert'), (3, 'kind_id_fuehrende_nullen'),
     (4, 'kind_id_fuehrende_nullen'), (5, 'kind_id_nachkomma'),
     (5, 'kind_id_fuehrende_nullen')]
    """
    ids = pl.col("kind_id")
    parts = [
        findings_for_rows(
            frame.filter(ids.str.contains(SCIENTIFIC_ID).fill_null(False)),
            code="kind_id_zerstoert",
            feld="kind_id",
        ),
        findings_for_rows(
            frame.filter(ids.str.contains(DATE_ID).fill_null(False)),
            code="kind_id_datum",
            feld="kind_id",
        ),
        findings_for_rows(
            frame.filter(ids.str.contains(DECIMAL_ID).fill_null(False)),
            code="kind_id_nachkomma",
            feld="kind_id",
        ),
    ]

    distinct = (
        frame.select(ids.drop_nulls().unique())
        .filter(ids.str.contains(_NUMERIC_ID))
        .with_columns(
            ids.str.replace(r"[.,]0+$", "").str.strip_chars_start("0").alias("_key")
        )
    )
    shared = distinct.group_by("_key").len().filter(pl.col("len") > 1)
    variants = distinct.join(shared.select("_key"), on="_key")
    if not variants.is_empty():
        others = variants.join(variants, on="_key", suffix="_other").filter(
            pl.col("kind_id") != pl.col("kind_id_other")
        )
        detail = others.group_by("kind_id").agg(
            pl.concat_str(pl.lit("„"), pl.col("kind_id_other").sort(), pl.lit("“"))
            .str.join(", ")
            .alias("_detail")
        )
        rows = frame.join(detail, on="kind_id", how="inner", maintain_order="left")
        parts.append(
            findings_for_rows(
                rows,
                code="kind_id_fuehrende_nullen",
                feld="kind_id",
                detail=pl.col("_detail"),
            )
        )
    return concat_findings(parts).sort(ROW_ID, maintain_order=True)
