"""Pre-flight checks over the long table: findings with row, reason and fix.

Every check returns findings (never raises for bad data), so a run reports all
problems together. Rows with a finding of severity ``fehler`` are held back
from the import file by the pipeline. :func:`run_checks` is the one entry
point; the checks of single rows (flags, incomplete names, account names,
formula characters) live in :mod:`elternkit.check_fields`.
"""

from __future__ import annotations

import polars as pl

from elternkit.check_fields import (
    check_account_names,
    check_flags,
    check_formula_values,
    check_kind_id_damage,
)
from elternkit.check_names import (
    check_name_characters,
    check_name_length,
    check_name_parts,
)
from elternkit.errors import InputError
from elternkit.findings import (
    concat_findings,
    define_code,
    findings_for_rows,
    get_code,
    held_findings,
)
from elternkit.options import Options
from elternkit.rules import Stage
from elternkit.schema import IDENTITY_FIELDS, MAX_GUARDIANS, ROW_ID, empty_findings
from elternkit.text import fold_expr

define_code(
    "kind_id_fehlt",
    "fehler",
    "Kind-ID fehlt",
    "In dieser Zeile fehlt die Kind-ID. IServ kann das Elternteil ohne Kind-ID "
    "keinem Kind zuordnen; die Zeile wird nicht exportiert. Bitte die Kind-ID "
    "(Import-ID des Kindes) im Schulverwaltungsprogramm ergänzen und neu "
    "exportieren.",
)
define_code(
    "name_fehlt",
    "fehler",
    "Elternteil ohne Namen",
    "Dieses Elternteil hat weder Vor- noch Nachnamen{detail}. IServ braucht beide; "
    "die Zeile wird nicht exportiert. Bitte den Namen in der Quelle nachtragen.",
)
define_code(
    "kind_id_unbekannt",
    "fehler",
    "Kind-ID nicht in der Schülerliste",
    "Die Kind-ID „{wert}“ steht nicht in der Schülerliste. IServ fände kein Kind "
    "dazu, und ein Elternkonto ohne Kind wird gesperrt; die Zeile wird nicht "
    "exportiert. Bitte prüfen, ob die Kind-ID stimmt (führende Nullen?) oder ob "
    "das Kind die Schule verlassen hat.",
)
define_code(
    "kind_id_doppelt",
    "fehler",
    "Eine Kind-ID für zwei verschiedene Kinder",
    "Die Kind-ID „{wert}“ gehört in der Exportdatei zu verschiedenen Kindern "
    "({detail}). Eltern würden dem falschen Kind zugeordnet; alle Zeilen mit "
    "dieser Kind-ID werden nicht exportiert. Bitte die Kind-IDs im "
    "Schulverwaltungsprogramm prüfen.",
)
define_code(
    "zeile_doppelt",
    "hinweis",
    "Doppelte Zeile zusammengefasst",
    "Diese Zeile wiederholt {detail} genau (gleiches Elternteil, gleiches Kind) "
    "und wurde mit ihr zusammengefasst. Es geht nichts verloren.",
)
define_code(
    "kind_ohne_eltern_liste",
    "warnung",
    "Kind aus der Schülerliste ohne Elternteil",
    "Das Kind mit der Kind-ID „{wert}“{detail} steht in der Schülerliste, hat "
    "aber kein Elternteil in der Exportdatei. Es bekommt keinen Elternzugang. "
    "Bitte die Erziehungsberechtigten nachtragen, falls gewünscht.",
)

define_code(
    "zu_viele_eltern",
    "warnung",
    "Mehr als vier Elternteile für ein Kind",
    "Für das Kind mit der Kind-ID „{wert}“ stehen {detail} verschiedene "
    "Elternteile in der Exportdatei. Jedes bekommt in IServ ein eigenes "
    "Elternkonto mit Zugang zu den Daten des Kindes; so viele sind selten "
    "richtig (oft eine falsche Kind-ID oder ein Elternteil in zwei "
    "Schreibweisen). Die Zeilen werden exportiert. Bitte die Elternteile dieses "
    "Kindes im Schulverwaltungsprogramm prüfen.",
)


def check_required(frame: pl.DataFrame) -> pl.DataFrame:
    """Find rows without Kind-ID or without any name (both hold the row back).

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": ["Anna", None], "nachname": ["Beispiel", None],
    ...     "kind_id": [None, "7"]}))
    >>> check_required(df).select("zeile", "code").rows()
    [(2, 'kind_id_fehlt'), (3, 'name_fehlt')]
    """
    no_id = frame.filter(pl.col("kind_id").is_null())
    no_name = frame.filter(pl.col("vorname").is_null() & pl.col("nachname").is_null())
    return concat_findings(
        [
            findings_for_rows(no_id, code="kind_id_fehlt", feld="kind_id"),
            findings_for_rows(no_name, code="name_fehlt", feld="vorname"),
        ]
    ).sort(ROW_ID)


def check_against_pupils(frame: pl.DataFrame, pupils: pl.DataFrame) -> pl.DataFrame:
    """Find Kind-IDs unknown to the pupil list, and pupils without a guardian."""
    known = pupils.get_column("kind_id").drop_nulls()
    unknown = frame.filter(
        pl.col("kind_id").is_not_null() & ~pl.col("kind_id").is_in(known.implode())
    )
    seen = frame.get_column("kind_id").drop_nulls()
    lonely = pupils.filter(~pl.col("kind_id").is_in(seen.implode())).unique(
        "kind_id", keep="first", maintain_order=True
    )
    name = pl.concat_str(
        pl.col("kind_vorname"),
        pl.col("kind_nachname"),
        separator=" ",
        ignore_nulls=True,
    )
    klasse = (
        pl.col("klasse").fill_null("?") if "klasse" in lonely.columns else pl.lit("?")
    )
    detail = (
        pl.when(name.str.len_chars() > 0)
        .then(pl.format(" ({}, Klasse {})", name, klasse))
        .otherwise(pl.lit(""))
    )
    return concat_findings(
        [
            findings_for_rows(unknown, code="kind_id_unbekannt", feld="kind_id"),
            findings_for_rows(
                lonely, code="kind_ohne_eltern_liste", feld="kind_id", detail=detail
            ),
        ]
    )


def check_reused_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Find Kind-IDs that name different children (by the pupil's folded name).

    Only rows that carry the pupil's name can be compared; a Kind-ID seen with
    one pupil name and with none is not reported.
    """
    named = frame.filter(
        pl.col("kind_id").is_not_null()
        & (pl.col("kind_vorname").is_not_null() | pl.col("kind_nachname").is_not_null())
    )
    if named.is_empty():
        return empty_findings()
    names = (
        named.select("kind_id", "kind_vorname", "kind_nachname")
        .unique()
        .with_columns(
            pl.concat_str(
                [
                    pl.col("kind_vorname").fill_null(""),
                    pl.col("kind_nachname").fill_null(""),
                ],
                separator=" ",
            ).alias("_kname")
        )
    )
    folded = names.with_columns(
        pl.concat_str(
            fold_expr(pl.col("kind_vorname")), fold_expr(pl.col("kind_nachname"))
        ).alias("_kf")
    )
    reused = (
        folded.group_by("kind_id")
        .agg(
            pl.col("_kf").n_unique().alias("_n"),
            pl.col("_kname")
            .str.strip_chars()
            .unique()
            .sort()
            .str.join(", ")
            .alias("_kinder"),
        )
        .filter(pl.col("_n") > 1)
    )
    if reused.is_empty():
        return empty_findings()
    rows = frame.join(reused.select("kind_id", "_kinder"), on="kind_id", how="inner")
    return findings_for_rows(
        rows.sort(ROW_ID),
        code="kind_id_doppelt",
        feld="kind_id",
        detail=pl.col("_kinder"),
    )


def check_guardian_count(
    frame: pl.DataFrame, *, limit: int = MAX_GUARDIANS
) -> pl.DataFrame:
    """Find children with more than ``limit`` different guardians.

    Guardians are told apart by their folded full name, so ``Anna Müller``
    and ``ANNA MUELLER`` count once.

    >>> from elternkit.schema import conform_long
    >>> names = ["Anna", "Lars", "Eva", "Tom", "Ida"]
    >>> df = conform_long(pl.DataFrame({"_row": range(5), "zeile": range(2, 7),
    ...     "vorname": names, "nachname": ["B"] * 5, "kind_id": ["7"] * 5}))
    >>> check_guardian_count(df).select("zeile", "code").rows()[:2]
    [(2, 'zu_viele_eltern'), (3, 'zu_viele_eltern')]
    >>> check_guardian_count(df.head(4)).height
    0
    """
    with_id = frame.filter(pl.col("kind_id").is_not_null())
    if with_id.is_empty():
        return empty_findings()
    # folding drops spaces, so the folded full name is the two folded parts
    folded = with_id.with_columns(
        pl.concat_str(
            fold_expr(pl.col("vorname")), pl.lit("|"), fold_expr(pl.col("nachname"))
        ).alias("_guardian")
    )
    counted = folded.with_columns(
        pl.col("_guardian").n_unique().over("kind_id").alias("_n")
    ).filter(pl.col("_n") > limit)
    return findings_for_rows(
        counted.sort(ROW_ID),
        code="zu_viele_eltern",
        feld="kind_id",
        detail=pl.col("_n").cast(pl.String),
    )


def require_guardian_rows(frame: pl.DataFrame, *, files: list[str]) -> None:
    """Raise :class:`InputError` when the exports hold no guardian row at all.

    An empty import file must never be written: IServ's follow-up import is
    a full sync, so an empty upload could remove every parent account.

    >>> from elternkit.schema import empty_long
    >>> require_guardian_rows(empty_long(), files=["leer.csv"])
    Traceback (most recent call last):
    ...
    elternkit.errors.InputError: Die Datei leer.csv enthält keine Elternzeilen...
    """
    if frame.height:
        return
    names = ", ".join(files) or "(keine)"
    which = "Die Datei" if len(files) == 1 else "Die Dateien"
    verb = "enthält" if len(files) == 1 else "enthalten"
    raise InputError(
        f"{which} {names} {verb} keine Elternzeilen: nur die Kopfzeile, oder alle "
        "Spalten mit Namen und Kontaktdaten der Eltern sind leer. Eine leere "
        "Importdatei könnte beim Folgeimport in IServ alle Elternkonten "
        "entfernen; deshalb wurde nichts geschrieben, und frühere Ergebnisse im "
        "Ausgabeordner bleiben unverändert. Bitte den Export im "
        "Schulverwaltungsprogramm mit den Elterndaten neu erstellen."
    )


def run_checks(
    frame: pl.DataFrame,
    *,
    pupils: pl.DataFrame | None = None,
    options: Options | None = None,
) -> pl.DataFrame:
    """Run every pre-flight check on the cleaned long table; return all findings.

    The checks: Kind-ID missing (``kind_id_fehlt``), unknown to the pupil list
    (``kind_id_unbekannt``) or naming two children (``kind_id_doppelt``);
    pupils without a guardian (``kind_ohne_eltern_liste``); more than four
    guardians for one child (``zu_viele_eltern``); no name or half a name
    (``name_fehlt``, ``name_unvollstaendig``), an implausibly long one
    (``name_zu_lang``) or one with characters no name has (``name_zeichen``);
    Auskunftssperre and missing
    custody (``auskunftssperre``, ``sorgerecht_fehlt``, held back with
    ``options.hold_auskunftssperre``); import values that start like a
    formula (``formel_zeichen_import``); long account names
    (``accountname_lang``); Kind-IDs a spreadsheet stored as a number
    (``kind_id_zerstoert``, ``kind_id_nachkomma``, ``kind_id_fuehrende_nullen``).

    Parameters
    ----------
    frame
        The cleaned long table (after exact duplicates were collapsed).
    pupils
        The pupil list (``kind_id``, names, ``klasse``), if the school gave one.
    options
        Rule options (some checks hold rows back only when asked to).
    """
    options = options or Options()
    found = [
        check_required(frame),
        check_name_parts(frame),
        check_name_length(frame),
        check_name_characters(frame),
        check_reused_ids(frame),
        check_guardian_count(frame),
        check_flags(frame, options=options),
        check_formula_values(frame),
        check_account_names(frame),
        check_kind_id_damage(frame),
    ]
    if pupils is not None:
        found.append(check_against_pupils(frame, pupils))
    return concat_findings(found)


def collapse_exact_duplicates(
    frame: pl.DataFrame, *, keys: tuple[str, ...] | None = None
) -> Stage:
    """Collapse rows that repeat another row exactly (same guardian, same child).

    ``keys`` are the columns that must be equal (default: the identity fields,
    the Kind-ID and the pupil's names). The first row (lowest ``_row``) is
    kept; each dropped row gets a ``zeile_doppelt`` finding that names the row
    it repeats, so nothing is lost silently.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "vorname": ["Anna", "Anna"], "nachname": ["B", "B"],
    ...     "kind_id": ["1", "1"]}))
    >>> st = collapse_exact_duplicates(df)
    >>> st.frame.height, st.findings["zeile"].to_list()
    (1, [3])
    """
    keys = list(keys or (*IDENTITY_FIELDS, "kind_id", "kind_vorname", "kind_nachname"))
    ranked = frame.with_columns(
        pl.col(ROW_ID)
        .min()
        .over(keys, mapping_strategy="group_to_rows")
        .alias("_first")
    )
    dropped = ranked.filter(pl.col(ROW_ID) != pl.col("_first"))
    if dropped.is_empty():
        return Stage(frame)
    first_rows = frame.select(
        pl.col(ROW_ID).alias("_first"),
        pl.col("zeile").alias("_fz"),
        pl.col("quelle").alias("_fq"),
    )
    dropped = dropped.join(first_rows, on="_first", how="left", maintain_order="left")
    # one call for all dropped rows, grouped by the row they repeat (groups in
    # order of their first dropped row); a missing zeile or quelle reads "None"
    group = ["_fz", "_fq"]
    dropped = dropped.sort(pl.col(ROW_ID).min().over(group), maintain_order=True)
    findings = findings_for_rows(
        dropped,
        code="zeile_doppelt",
        feld=None,
        detail=pl.format(
            "Zeile {} ({})", *(pl.col(c).fill_null("None") for c in group)
        ),
    )
    kept = frame.filter(~pl.col(ROW_ID).is_in(dropped[ROW_ID].implode()))
    return Stage(kept, findings=findings)


#: Share of held-back rows above which a run stops unless asked to go on.
MAX_HELD_SHARE = 0.5
#: The share check applies from this many guardian rows on: a school export,
#: not a small hand-made test file.
MIN_ROWS_FOR_SHARE = 50


def require_exported_rows(
    exported: pl.DataFrame,
    findings: pl.DataFrame,
    *,
    pupils: pl.DataFrame | None = None,
    read: int | None = None,
    allow_partial: bool = False,
) -> None:
    """Raise :class:`InputError` when every, or most, guardian rows were held back.

    ``read`` is the number of guardian rows before anything was held back;
    when there are at least :data:`MIN_ROWS_FOR_SHARE` of them and more than
    :data:`MAX_HELD_SHARE` are held back, the run stops too, unless
    ``allow_partial``.

    Writing an import file with only its header would be dangerous: IServ's
    follow-up import is a full sync and could lock every parent account. The
    message names the most frequent reasons and, when Kind-IDs are unknown to
    the pupil list but match once leading zeros are ignored, says so.
    """
    held = held_findings(findings)
    mostly_held = (
        read is not None
        and read >= MIN_ROWS_FOR_SHARE
        and not allow_partial
        and held[ROW_ID].n_unique() / read > MAX_HELD_SHARE
    )
    if exported.height and not mostly_held:
        return
    reasons = held.group_by("code").agg(pl.col(ROW_ID).n_unique().alias("n"))
    top = reasons.sort("n", descending=True).head(3).iter_rows()
    listed = ", ".join(
        f"„{get_code(code).title}“ ({code}, {n} {'Zeile' if n == 1 else 'Zeilen'})"
        for code, n in top
    )
    hint = ""
    if pupils is not None and "kind_id_unbekannt" in reasons["code"].to_list():
        stripped = pl.col("kind_id").str.strip_chars_start("0")
        known = pupils.select(stripped).to_series().drop_nulls()
        unknown = held.filter(pl.col("code") == "kind_id_unbekannt")
        if unknown.select(stripped.is_in(known.implode()).mean()).item() > 0.5:
            hint = (
                " Ohne führende Nullen stimmen die Kind-IDs mit der Schülerliste "
                "überein: Vermutlich hat ein Tabellenprogramm die Nullen in der "
                "Schülerliste oder im Export entfernt. Bitte die Datei erneut aus "
                "dem Schulverwaltungsprogramm exportieren, ohne sie in Excel zu "
                "speichern."
            )
    if not exported.height:
        msg = (
            "Keine einzige Elternzeile kann exportiert werden – alle wurden "
            f"zurückgehalten. Häufigste Gründe: {listed}.{hint} Eine leere "
            "Importdatei wird nicht geschrieben, weil ein IServ-Folgeimport ein "
            "Abgleich ist und sonst alle Elternkonten sperren könnte; frühere "
            "Ausgaben bleiben unverändert."
        )
    else:
        msg = (
            f"Nur {exported.height} von {read} Elternzeilen könnten exportiert "
            f"werden, die übrigen würden zurückgehalten. Häufigste Gründe: "
            f"{listed}.{hint} Ein IServ-Folgeimport ist ein Abgleich: Mit dieser "
            "Datei verlören die meisten Eltern ihr Konto. Deshalb wurde nichts "
            "geschrieben; frühere Ausgaben bleiben unverändert. Bitte die Ursache "
            "beheben – oder, wenn die Datei wirklich nur einen Teil der Eltern "
            "enthalten soll, mit --teilweise erneut aufrufen."
        )
    raise InputError(msg)
