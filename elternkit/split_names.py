"""Split name cells: two persons in one cell, a full name in one column.

IServ needs one row per parent and child with Vorname and Nachname apart. Exports
often hold ``Anna und Lars`` in one Vorname cell, or a single ``Name`` column
with ``Beispiel, Anna`` or ``Anna Beispiel``. The value functions here decide
how a cell splits (or that it cannot be split safely); :func:`split_name_rows`
applies them to the long table, once per distinct pair of Vorname and Nachname,
and turns a row holding two persons into two rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from elternkit.clean_text import is_placeholder
from elternkit.findings import define_code, format_message, get_code
from elternkit.lexicon import is_common_first_name, is_first_name_like
from elternkit.name_words import (
    CONNECTOR,
    has_connector,
    is_salutation,
    name_words,
    starts_surname,
    starts_with_formula,
    strip_salutation,
)
from elternkit.rules import Stage, concat_changes, record_changes
from elternkit.schema import FINDINGS_SCHEMA, ROW_ID

define_code(
    "name_geteilt",
    "warnung",
    "Zwei Personen in einem Namensfeld geteilt",
    "Im Feld {feld} standen mehrere Personen: „{wert}“. Die Zeile wurde in "
    "{detail} geteilt, weil IServ für jeden Elternteil ein eigenes Konto "
    "braucht. Bitte prüfen, ob die Teilung stimmt, und die Personen künftig "
    "getrennt im Schulverwaltungsprogramm erfassen.",
)
define_code(
    "name_unklar",
    "warnung",
    "Name nicht sicher aufteilbar",
    "Der Name „{wert}“ im Feld {feld} lässt sich nicht sicher in Vor- und "
    "Nachname oder in einzelne Personen aufteilen{detail}. Er bleibt "
    "unverändert; IServ legt das Konto sonst womöglich mit falschem Vor- oder "
    "Nachnamen an. Bitte den Namen prüfen und im Schulverwaltungsprogramm "
    "richtig auf Vorname und Nachname (je Person eine Zeile) verteilen.",
)
define_code(
    "anrede_statt_name",
    "fehler",
    "Anrede statt Vorname",
    "Im Feld {feld} steht „{wert}“: das ist eine Anrede, kein Name einer "
    "Person. IServ braucht für jedes Elternkonto einen echten Vor- und "
    "Nachnamen, die Zeile wird deshalb nicht importiert. Bitte die Vornamen der "
    "Erziehungsberechtigten im Schulverwaltungsprogramm eintragen.",
)

#: Rule names recorded in the changes.
RULE_SPLIT_PERSONS = "zwei_personen_geteilt"
RULE_SPLIT_FULL_NAME = "name_aufgeteilt"

_SLOT_SUFFIXES = "abcdefghij"

# Why a name is unclear (the ``detail`` of a ``name_unklar`` finding).
_WHERE_FIRST_NAME_ENDS = (
    " (mehrere Wörter ohne Komma; aus dem Vornamenverzeichnis geht nicht "
    "eindeutig hervor, wo der Vorname endet)"
)
_COMMA_FORM = " (die Form „Nachname, Vorname“ ist nicht vollständig)"
_SEVERAL_SURNAMES = " (der Nachname nennt mehrere Namen, der Vorname nur einen)"
_SALUTATION_MIXED = " (Anrede und Vorname stehen gemischt im Feld)"
_FINDING_COLUMNS = ("_code", "_schwere", "_feld", "_wert", "_meldung")


@dataclass(frozen=True)
class NameSplit:
    """How one pair of Vorname and Nachname cells splits.

    ``persons`` holds one ``(vorname, nachname)`` pair per person; it is empty
    when the cells stay as they are. ``code`` and ``feld`` name a finding.
    """

    persons: tuple[tuple[str | None, str | None], ...] = ()
    rule: str | None = None
    code: str | None = None
    feld: str | None = None
    detail: str = ""


def split_combined_names(value: str) -> list[str]:
    """Split a cell naming several persons (und, u., &, +, / and comma).

    A hyphenated name is one person. A cell naming one person comes back as a
    list of one.

    Examples
    --------
    >>> split_combined_names("Anna und Lars")
    ['Anna', 'Lars']
    >>> split_combined_names("Anna u. Lars"), split_combined_names("Anna+Lars")
    (['Anna', 'Lars'], ['Anna', 'Lars'])
    >>> split_combined_names("Marie-Luise")
    ['Marie-Luise']
    >>> split_combined_names("N/A"), split_combined_names("Anna und N/A")
    (['N/A'], ['Anna', 'N/A'])
    """
    if is_placeholder(value):
        return [value]
    parts = [part.strip() for part in CONNECTOR.split(value)]
    parts = [part for part in parts if part]
    return parts or [value]


def _split_words(words: list[str], *, strict: bool) -> tuple[str, str] | None:
    """Split the words of one full name without a comma, or None if unsure."""
    if len(words) < 2:
        return None
    for i, word in enumerate(words[1:-1], start=1):
        if starts_surname(word):
            return " ".join(words[:i]), " ".join(words[i:])
    if len(words) == 2 and not strict:
        return words[0], words[1]
    # First names first (lenient test), then no common first name (strict
    # test); more than one such split is as unclear as none.
    maybe_first = [is_first_name_like(word) for word in words]
    surely_first = [is_common_first_name(word) for word in words]
    splits = [
        (" ".join(words[:k]), " ".join(words[k:]))
        for k in range(1, len(words))
        if all(maybe_first[:k]) and not any(surely_first[k:])
    ]
    return splits[0] if len(splits) == 1 else None


def split_full_name(value: str) -> tuple[str, str] | None:
    """Split one person's full name into ``(vorname, nachname)``.

    ``Nachname, Vorname`` (with a comma) and ``Vorname Nachname`` are read;
    particles and noble titles start the surname. With three or more words and
    no comma, the split must follow from the first-name lexicon in exactly one
    way (first names first, then no common first name); otherwise the name is
    ambiguous and None is returned, as for a single word.

    Examples
    --------
    >>> split_full_name("Beispiel, Anna"), split_full_name("Anna Beispiel")
    (('Anna', 'Beispiel'), ('Anna', 'Beispiel'))
    >>> split_full_name("Anna von Bülow")
    ('Anna', 'von Bülow')
    >>> split_full_name("Anna Maria Beispiel")
    ('Anna Maria', 'Beispiel')
    >>> split_full_name("Hans Werner Hermann") is None
    True
    """
    if "," in value:
        surname, _, first = (part.strip() for part in value.partition(","))
        if not surname or not first or "," in first:
            return None
        return first, surname
    return _split_words(name_words(value), strict=False)


def _parse_full(text: str, feld: str) -> NameSplit:
    """Split a full-name cell that may name several persons."""
    unclear = NameSplit(code="name_unklar", feld=feld, detail=_WHERE_FIRST_NAME_ENDS)
    rest = strip_salutation(text)
    if not rest or (rest != text and len(name_words(rest)) < 2 and "," not in rest):
        return NameSplit(code="anrede_statt_name", feld=feld)
    if rest.count(",") == 1:
        surname, _, firsts = (part.strip() for part in rest.partition(","))
        if has_connector(surname) or not surname or not firsts:
            return NameSplit(code="name_unklar", feld=feld, detail=_COMMA_FORM)
        persons = tuple((first, surname) for first in split_combined_names(firsts))
    else:
        chunks = split_combined_names(rest)
        if len(chunks) == 1:
            words = name_words(rest)
            if len(words) < 2 or starts_surname(words[0]):
                return NameSplit()
            pair = _split_words(words, strict=False)
            if pair is None:
                return unclear
            return NameSplit(persons=(pair,), rule=RULE_SPLIT_FULL_NAME)
        persons = _parse_chunks(chunks, feld=feld)
        if persons is None:
            return unclear
    rule = RULE_SPLIT_PERSONS if len(persons) > 1 else RULE_SPLIT_FULL_NAME
    code = "name_geteilt" if len(persons) > 1 else None
    return NameSplit(persons=persons, rule=rule, code=code, feld=feld)


def _parse_chunks(
    chunks: list[str], *, feld: str
) -> tuple[tuple[str | None, str | None], ...] | None:
    """Split ``Anna und Lars Beispiel`` or ``Anna Beispiel und Lars Muster``."""
    last = _split_words(name_words(chunks[-1]), strict=False)
    if last is None:
        if feld == "vorname" and all(len(name_words(c)) == 1 for c in chunks):
            return tuple((chunk, None) for chunk in chunks)
        return None
    persons: list[tuple[str | None, str | None]] = []
    for chunk in chunks[:-1]:
        words = name_words(chunk)
        pair = (chunk, last[1]) if len(words) == 1 else _split_words(words, strict=True)
        if pair is None:
            return None
        persons.append(pair)
    return (*persons, last)


def parse_guardian_names(vorname: str | None, nachname: str | None) -> NameSplit:
    """Decide how the Vorname and Nachname cells of one row split.

    Examples
    --------
    >>> parse_guardian_names("Anna und Lars", "Beispiel").persons
    (('Anna', 'Beispiel'), ('Lars', 'Beispiel'))
    >>> parse_guardian_names(None, "Beispiel, Anna").persons
    (('Anna', 'Beispiel'),)
    >>> parse_guardian_names("Herr und Frau", "Beispiel").code
    'anrede_statt_name'
    >>> parse_guardian_names("Anna", "Beispiel und Muster").code
    'name_unklar'
    """
    if starts_with_formula(vorname) or starts_with_formula(nachname):
        return NameSplit()
    if vorname is None:
        return NameSplit() if nachname is None else _parse_full(nachname, "nachname")
    if is_salutation(vorname):
        return NameSplit(code="anrede_statt_name", feld="vorname")
    if nachname is None:
        return _parse_full(vorname, "vorname")
    if has_connector(nachname):
        return NameSplit(code="name_unklar", feld="nachname", detail=_SEVERAL_SURNAMES)
    parts = split_combined_names(vorname)
    if len(parts) == 1:
        return NameSplit()
    if any(is_salutation(part) for part in parts):
        return NameSplit(code="name_unklar", feld="vorname", detail=_SALUTATION_MIXED)
    return NameSplit(
        persons=tuple((part, nachname) for part in parts),
        rule=RULE_SPLIT_PERSONS,
        code="name_geteilt",
        feld="vorname",
    )


def _needs_parsing() -> pl.Expr:
    """Rows whose names may split or hold a salutation (a cheap pre-filter)."""
    vorname, nachname = pl.col("vorname"), pl.col("nachname")
    joined = r"[&+/,]|\b(?i:und|u|herr|frau|familie|eheleute|ehepaar|eltern|hr|fr)\b"
    return (
        (vorname.is_null() & nachname.is_not_null())
        | (nachname.is_null() & vorname.is_not_null())
        | vorname.str.contains(joined)
        | nachname.str.contains(joined)
    )


def _describe(persons: tuple[tuple[str | None, str | None], ...]) -> str:
    names = [" ".join(p for p in person if p) for person in persons]
    return " und ".join(f"„{name}“" for name in names)


def split_name_rows(frame: pl.DataFrame) -> Stage:
    """Apply :func:`parse_guardian_names` to the long table.

    A row naming several persons becomes one row per person: the first keeps
    its place and its ``_row`` id, the others are appended at the end of the
    table with fresh ids above the current maximum; the slot gets ``a``,
    ``b``, … appended. Both rows keep
    ``zeile``, ``quelle``, the children and the contact data.

    Examples
    --------
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1], "zeile": [2, 3], "slot": ["1", "1"],
    ...     "vorname": ["Anna & Lars", None],
    ...     "nachname": ["Beispiel", "Muster, Eva"], "kind_id": ["7", "8"]}))
    >>> st = split_name_rows(df)
    >>> st.frame.select("_row", "zeile", "slot", "vorname", "nachname").rows()
    [(0, 2, '1a', 'Anna', 'Beispiel'), (1, 3, '1', 'Eva', 'Muster'), \
(2, 2, '1b', 'Lars', 'Beispiel')]
    >>> st.findings.select("zeile", "code").rows()
    [(2, 'name_geteilt')]
    """
    numbered = frame.with_row_index("_pos")
    candidates = numbered.filter(_needs_parsing())
    pairs = candidates.select("vorname", "nachname").unique()
    splits = {(v, n): parse_guardian_names(v, n) for v, n in pairs.iter_rows()}
    splits = {key: s for key, s in splits.items() if s.persons or s.code}
    if not splits:
        return Stage(frame)

    joined = candidates.join(
        _lookup_table(splits),
        on=["vorname", "nachname"],
        how="inner",
        nulls_equal=True,
        maintain_order="left",
    )
    findings = _split_findings(joined)

    # only the rows whose names change are exploded; the rest keep their place
    touched = pl.col("_persons").is_not_null()
    exploded = (
        joined.filter(touched)
        .with_columns(
            pl.col("_persons").list.len().alias("_count"),
            pl.col("vorname").alias("_vorher_v"),
            pl.col("nachname").alias("_vorher_n"),
        )
        .explode("_persons")
        .with_columns(pl.int_range(pl.len()).over("_pos").alias("_index"))
    )
    next_id = (frame.get_column(ROW_ID).max() or 0) + 1
    is_new = pl.col("_index") > 0
    split = pl.col("_count") > 1
    suffix = pl.lit(_SLOT_SUFFIXES).str.slice(pl.col("_index"), 1)
    exploded = exploded.with_columns(
        pl.when(is_new)
        .then(next_id + is_new.cast(pl.UInt32).cum_sum() - 1)
        .otherwise(pl.col(ROW_ID))
        .cast(pl.UInt32)
        .alias(ROW_ID),
        pl.when(split)
        .then(pl.concat_str(pl.col("slot").fill_null(""), suffix))
        .otherwise(pl.col("slot"))
        .alias("slot"),
        pl.col("_persons").struct.field("v").alias("vorname"),
        pl.col("_persons").struct.field("n").alias("nachname"),
    )
    changes = _split_changes(exploded)
    # the first person of a row takes its place (no reordering of the big
    # table); each further person is appended at the end
    first = exploded.filter(~is_new)
    in_place = pl.col("_pos").is_in(first.get_column("_pos").implode())
    updated = numbered.with_columns(
        pl.when(in_place)
        .then(
            pl.col("_pos").replace_strict(
                first.get_column("_pos"), first.get_column(c), default=None
            )
        )
        .otherwise(pl.col(c))
        .alias(c)
        for c in ("slot", "vorname", "nachname")
    )
    extra = exploded.filter(is_new).select(updated.columns)
    new_frame = pl.concat([updated, extra], how="vertical").drop("_pos")
    return Stage(new_frame, changes, findings)


def _split_changes(exploded: pl.DataFrame) -> pl.DataFrame:
    """Record the new Vorname and Nachname of every row that was split."""
    rule = pl.when(pl.col("_count") > 1).then(pl.lit(RULE_SPLIT_PERSONS))
    rule = rule.otherwise(pl.lit(RULE_SPLIT_FULL_NAME))
    before = exploded.with_columns(
        pl.col("_vorher_v").alias("vorname"), pl.col("_vorher_n").alias("nachname")
    )
    changes = concat_changes(
        record_changes(before, exploded, column, rule=rule)
        for column in ("vorname", "nachname")
    )
    # in the order of the rows in the table, Vorname first
    position = exploded.select(ROW_ID, "_pos", "_index")
    ordered = changes.join(position, on=ROW_ID, how="left").sort(
        "_pos", "_index", pl.col("feld") != "vorname", maintain_order=True
    )
    return ordered.drop("_pos", "_index")


def _lookup_table(
    splits: dict[tuple[str | None, str | None], NameSplit],
) -> pl.DataFrame:
    """One row per distinct name pair: the persons and the finding it yields."""
    rows = []
    for (vorname, nachname), found in splits.items():
        persons = [{"v": p[0], "n": p[1]} for p in found.persons] or None
        feld = found.feld or "vorname"
        wert = vorname if feld == "vorname" else nachname
        detail = _describe(found.persons) if found.persons else found.detail
        schwere, meldung = None, None
        if found.code:
            schwere = get_code(found.code).severity
            meldung = format_message(found.code, wert=wert, feld=feld, detail=detail)
        rows.append(
            (vorname, nachname, persons, found.code, schwere, feld, wert, meldung)
        )
    return pl.DataFrame(
        rows,
        schema={
            "vorname": pl.String,
            "nachname": pl.String,
            "_persons": pl.List(pl.Struct({"v": pl.String, "n": pl.String})),
            **{name: pl.String for name in _FINDING_COLUMNS},
        },
        orient="row",
    )


def _split_findings(joined: pl.DataFrame) -> pl.DataFrame:
    """One finding per source row whose names were split or stay unclear."""
    hit = joined.filter(pl.col("_code").is_not_null())
    findings = hit.select(
        ROW_ID,
        "zeile",
        "quelle",
        "kind_id",
        pl.col("_feld").alias("feld"),
        pl.col("_wert").alias("wert"),
        pl.col("_schwere").alias("schwere"),
        pl.col("_code").alias("code"),
        pl.col("_meldung").alias("meldung"),
    )
    return findings.cast(FINDINGS_SCHEMA)
