"""Map the columns of an export to the canonical fields.

:func:`suggest_mapping` reads the headers and proposes, for each column, the
field it holds and the guardian block (*slot*) it belongs to. Headers it does
not know are matched by similarity to the synonym table and marked as
suggestions a person should confirm. A user's own mapping (CLI
``--zuordnung``, notebook widget, Rezept) overrides the suggestion column by
column (:func:`elternkit.mapping_user.apply_user_mapping`).
:func:`check_mapping` stops with a German message that lists the columns
found and the fields still missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from elternkit.errors import MappingError
from elternkit.synonyms import (
    ALL_KEYS,
    FIELD_SYNONYMS,
    GUARDIAN_MARKERS,
    LETTER_SLOTS,
    PARENT_WORDS,
    PUPIL_MARKERS,
    header_tokens,
    lookup_field,
)

logger = logging.getLogger(__name__)

#: Fields a guardian row needs for IServ.
REQUIRED_FIELDS = ("vorname", "nachname", "kind_id")

#: German labels of the fields, as users see them in messages and widgets.
FIELD_LABELS: dict[str, str] = {
    "kind_id": "Kind-ID",
    "vorname": "Vorname",
    "nachname": "Nachname",
    "volle_name": "Name (Vor- und Nachname in einer Spalte)",
    "anrede": "Anrede",
    "namenszusatz": "Namenszusatz",
    "strasse": "Straße",
    "hausnummer": "Hausnummer",
    "plz": "PLZ",
    "ort": "Ort",
    "plz_ort": "PLZ und Ort",
    "adresse": "Adresse",
    "email": "E-Mail",
    "telefon": "Telefonnummer",
    "klasse": "Klasse",
    "auskunftssperre": "Auskunftssperre",
    "sorgerecht": "Sorgerecht",
    "slot_label": "Art des Elternteils",
    "kind_vorname": "Vorname des Kindes",
    "kind_nachname": "Nachname des Kindes",
    "kind_name": "Name des Kindes",
}

#: Similarity (0–100) above which an unknown header is suggested.
SIMILARITY_SUGGEST = 80
#: Similarity (0–100) above which an unused column is named in a note, because
#: it looks like contact data the import may want.
SIMILARITY_CONTACT_NOTE = 75
#: Fields an unused column is compared with for that note.
CONTACT_FIELDS = ("strasse", "hausnummer", "plz", "ort", "adresse", "email", "telefon")
# Word parts a header word of such a column starts (or, for the street, ends) with.
_CONTACT_WORDS = {
    "strasse": ("str", "street"),
    "plz": ("plz", "zip", "postleitz", "postal"),
    "adresse": ("adres", "anschrift", "address"),
    "email": ("mail", "email"),
    "telefon": ("tel", "fon", "phone", "handy", "mobil", "fax"),
}
_CONTACT_ENDINGS = {"strasse": "str", "email": "mail"}


@dataclass(frozen=True)
class ColumnMap:
    """Where one column of the export goes.

    ``field`` is a canonical field (``vorname``, ``kind_id``…) or None for an
    ignored column; ``slot`` is the guardian block (``1``, ``2``, ``V``, ``M``)
    or None for pupil fields and single-guardian rows; ``how`` says how the
    assignment was found: ``synonym``, ``aehnlich`` (similarity, to be
    confirmed), ``benutzer`` (given by the user) or ``unbekannt``.
    """

    column: str
    field: str | None
    slot: str | None = None
    how: str = "synonym"
    score: float = 100.0


@dataclass
class ColumnMapping:
    """The mapping of all columns of one export, and its detected layout.

    ``layout`` is ``lang`` (one row per guardian–child pair), ``breit`` (several
    guardian blocks per pupil row) or ``schueler`` (a pupil file without
    guardians, joined to a guardian file).
    """

    columns: list[ColumnMap]
    layout: str = "lang"
    notes: list[str] = field(default_factory=list)

    def fields(self) -> set[str]:
        """Return the canonical fields that some column maps to."""
        return {c.field for c in self.columns if c.field}

    def slots(self) -> list[str]:
        """Return the guardian slots in order of first appearance."""
        seen: list[str] = []
        for c in self.columns:
            if c.slot is not None and c.slot not in seen:
                seen.append(c.slot)
        return seen

    def for_column(self, column: str) -> ColumnMap | None:
        """Return the entry of ``column``."""
        return next((c for c in self.columns if c.column == column), None)

    def as_records(self) -> list[dict[str, str]]:
        """Return the mapping as plain records (for the report and the Rezept)."""
        return [
            {
                "spalte": c.column,
                "feld": c.field or "",
                "slot": c.slot or "",
                "wie": c.how,
            }
            for c in self.columns
        ]


@dataclass(frozen=True)
class _Parsed:
    column: str
    field: str | None
    key: str
    pupil: bool
    marker: str | None
    how: str
    score: float


_REPEAT_SUFFIX = re.compile(r"\s\(\d+\)$")


def _parse_header(column: str) -> _Parsed:
    # " (2)" is the reader's mark for a repeated header name, not a block number
    tokens = header_tokens(_REPEAT_SUFFIX.sub("", column))
    pupil = False
    marker: str | None = None
    words: list[str] = []
    numbers: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.isdigit():
            numbers.append(str(int(tok)))
        elif (tok in PUPIL_MARKERS and i < len(tokens) - 1) or tok in {
            "schueler",
            "kind",
        }:
            pupil = True
        elif tok in GUARDIAN_MARKERS or (tok == "r" and words == []):
            marker = marker or "erz"
        elif tok in PARENT_WORDS:
            marker = PARENT_WORDS[tok]
        elif tok in LETTER_SLOTS and i == len(tokens) - 1 and i > 0:
            marker = tok.upper()
        else:
            words.append(tok)
    key = "".join(words)
    if marker in (None, "erz") and numbers:
        marker = numbers[-1]
    elif marker == "erz":
        marker = "1"
    found = lookup_field(key)
    if found is None and pupil and key in ("", "name"):
        found = "kind_name"
    if found is None and not pupil and key == "" and marker in ("V", "M"):
        found = "volle_name"  # a column headed only "Mutter" holds her name
    how, score = "synonym", 100.0
    if found is None and key:
        best = process.extractOne(key, ALL_KEYS, scorer=fuzz.ratio)
        if best is not None and best[1] >= SIMILARITY_SUGGEST and len(key) > 3:
            found, how, score = lookup_field(best[0]), "aehnlich", float(best[1])
    if found is None:
        how, score = "unbekannt", 0.0
    return _Parsed(column, found, key, pupil, marker, how, score)


def suggest_mapping(columns: Sequence[str]) -> ColumnMapping:
    """Propose a mapping for the header texts of an export.

    Parameters
    ----------
    columns
        The column names of the export as the reader returns them
        (repeated header names carry `` (2)``, `` (3)``).

    Examples
    --------
    >>> m = suggest_mapping(["Schüler-ID", "Klasse", "Erz1_Vorname",
    ...                      "Erz1_Nachname", "Erz2_Vorname", "Erz2_Nachname"])
    >>> m.layout, [(c.field, c.slot) for c in m.columns]
    ... # doctest: +NORMALIZE_WHITESPACE
    ('breit', [('kind_id', None), ('klasse', None), ('vorname', '1'),
               ('nachname', '1'), ('vorname', '2'), ('nachname', '2')])
    >>> m = suggest_mapping(["Vorname", "Nachname", "E-Mail", "Kind-ID"])
    >>> m.layout, [c.field for c in m.columns]
    ('lang', ['vorname', 'nachname', 'email', 'kind_id'])
    """
    parsed = [_parse_header(c) for c in columns]
    name_fields = ("vorname", "nachname", "volle_name")
    guardian_slots = {
        p.marker for p in parsed if p.field in name_fields and p.marker and not p.pupil
    }
    wide = len(guardian_slots) >= 2 or any(
        p.marker in ("V", "M", "W") or (p.marker and not p.marker.isdigit())
        for p in parsed
        if p.field in name_fields and not p.pupil
    )

    counts: dict[str, int] = {}
    for p in parsed:
        if p.field and not p.pupil:
            counts[p.field] = counts.get(p.field, 0) + 1
    contact = [
        counts.get(f, 0)
        for f in ("email", "telefon", "strasse", "anrede", "adresse", "plz")
    ]
    repeated_blocks = max(counts.get("vorname", 0), counts.get("nachname", 0)) >= 2
    first_is_pupil = (
        repeated_blocks
        and not guardian_slots
        and (counts.get("vorname", 0) > max(contact, default=0) >= 1)
    )

    result: list[ColumnMap] = []
    occurrence: dict[str, int] = {}
    notes: list[str] = []
    for p in parsed:
        fld, slot = p.field, None
        if fld is None:
            result.append(ColumnMap(p.column, None, None, p.how, p.score))
            continue
        if p.pupil or fld in ("kind_id", "klasse", "kind_name"):
            fld = _pupil_field(fld)
        elif wide and p.marker is None:
            # a name without a block marker in a wide export is the pupil's
            fld = _pupil_field(fld) if fld in name_fields else None
            if fld is None:
                notes.append(
                    f"Spalte „{p.column}“ gehört zu keinem Elternblock und wird "
                    "nicht verwendet."
                )
        elif wide:
            slot = p.marker
        elif repeated_blocks:
            n = occurrence.get(fld, 0) + 1
            occurrence[fld] = n
            if first_is_pupil and fld in name_fields:
                if n == 1:
                    fld = _pupil_field(fld)
                else:
                    slot = str(n - 1)
            else:
                slot = str(n)
        result.append(ColumnMap(p.column, fld, slot, p.how, p.score))

    is_wide = wide or (repeated_blocks and any(r.slot for r in result))
    layout = "breit" if is_wide else "lang"
    if layout == "lang":
        result = [replace(r, slot=None) for r in result]
    notes.extend(_unused_contact_notes(parsed, result))
    mapping = ColumnMapping(result, layout=layout, notes=notes)
    if _is_pupil_file(mapping):
        mapping = as_pupil_mapping(mapping)
    return mapping


def _unused_contact_notes(
    parsed: Sequence[_Parsed], result: Sequence[ColumnMap]
) -> list[str]:
    """Name unused columns whose header looks like address, phone or e-mail."""
    notes = []
    for p, r in zip(parsed, result, strict=True):
        if r.field is not None or p.pupil or not p.key:
            continue
        fld = looks_like_contact(p.column)
        if fld is None:
            continue
        label = FIELD_LABELS[fld]
        notes.append(
            f"Spalte „{p.column}“ sieht nach {label} aus, wurde aber nicht "
            "erkannt und wird nicht verwendet; IServ bekommt diese Angabe "
            "also nicht. Falls sie gebraucht wird: elternkit run DATEI "
            f'--zuordnung "{label}={p.column}" (für einen Elternblock '
            f"„{label}:2={p.column}“) oder im Notebook 02_Spalten_zuordnen "
            "zuordnen."
        )
    return notes


def looks_like_contact(header: str) -> str | None:
    """Return the contact field a header resembles, or None.

    A header resembles a field when one of its words starts with a typical
    word part of the field (``TelNr`` → Telefonnummer; a street word may also
    end with ``str``, an e-mail word with ``mail``) or when its folded text is
    similar to a synonym of the field (rapidfuzz ratio of at least
    :data:`SIMILARITY_CONTACT_NOTE`).

    >>> looks_like_contact("TelNr Mutter"), looks_like_contact("Wohnstr")
    ('telefon', 'strasse')
    >>> looks_like_contact("Verkehrsmittel"), looks_like_contact("Geburtsdatum")
    (None, None)
    """
    tokens = header_tokens(header)
    for fld, parts in _CONTACT_WORDS.items():
        for tok in tokens:
            if tok.startswith(parts) or tok.endswith(_CONTACT_ENDINGS.get(fld, "#")):
                return fld
    key = "".join(tokens)
    choices = {k: f for f in CONTACT_FIELDS for k in FIELD_SYNONYMS[f] if len(k) > 3}
    best = process.extractOne(key, list(choices), scorer=fuzz.ratio)
    if best is not None and best[1] >= SIMILARITY_CONTACT_NOTE:
        return choices[best[0]]
    return None


def _pupil_field(fld: str) -> str | None:
    return {
        "vorname": "kind_vorname",
        "nachname": "kind_nachname",
        "volle_name": "kind_name",
        "kind_name": "kind_name",
        "kind_id": "kind_id",
        "klasse": "klasse",
    }.get(fld)


def _is_pupil_file(mapping: ColumnMapping) -> bool:
    """A file with a pupil ID, names and class but no guardian contact data."""
    fields = mapping.fields()
    contact = {
        "email",
        "telefon",
        "strasse",
        "adresse",
        "plz",
        "ort",
        "anrede",
        "slot_label",
        "auskunftssperre",
        "sorgerecht",
    }
    return (
        mapping.layout == "lang"
        and "kind_id" in fields
        and "klasse" in fields
        and not fields & contact
    )


def as_pupil_mapping(mapping: ColumnMapping) -> ColumnMapping:
    """Re-read a mapping as a pupil file: its names are the pupils' names."""
    cols = [
        replace(c, field=_pupil_field(c.field) if c.field else None, slot=None)
        for c in mapping.columns
    ]
    return ColumnMapping(cols, layout="schueler", notes=mapping.notes)


def check_mapping(mapping: ColumnMapping, *, file_name: str) -> None:
    """Stop with a German message when fields IServ needs are not mapped.

    Raises
    ------
    MappingError
        Listing the columns found, the fields still missing, suggestions by
        similarity, and how to map them by hand.
    """
    if mapping.layout == "schueler":
        return
    fields = mapping.fields()
    have_name = (
        {"vorname", "nachname"} <= fields
        or "volle_name" in fields
        or ("nachname" in fields and "vorname" not in fields)
    )
    missing = []
    if not have_name:
        missing += [FIELD_LABELS[f] for f in ("vorname", "nachname") if f not in fields]
    if "kind_id" not in fields:
        missing.append(FIELD_LABELS["kind_id"])
    if not missing:
        return
    found = ", ".join(f"„{c.column}“" for c in mapping.columns) or "(keine)"
    unknown = [c.column for c in mapping.columns if c.field is None]
    hint = ""
    if unknown:
        hint = " Nicht erkannte Spalten: " + ", ".join(f"„{c}“" for c in unknown) + "."
    raise MappingError(
        f"{file_name}: Die Spalten für {', '.join(missing)} wurden nicht gefunden. "
        f"Gefundene Spalten: {found}.{hint} IServ braucht für jedes Elternteil "
        "Vorname, Nachname und die Kind-ID. Bitte die Spalten von Hand zuordnen, "
        'z. B. elternkit run DATEI --zuordnung "Kind-ID=Spaltenname" '
        "(im Notebook 02_Spalten_zuordnen mit dem Zuordnungs-Widget)."
    )


def describe_mapping(mapping: ColumnMapping) -> list[str]:
    """Return German lines describing the mapping, for the report."""
    lines = []
    for c in mapping.columns:
        if c.field is None:
            lines.append(f"„{c.column}“ → nicht verwendet")
            continue
        label = FIELD_LABELS.get(c.field, c.field)
        block = f" (Elternblock {c.slot})" if c.slot else ""
        how = {
            "aehnlich": " – nach Ähnlichkeit, bitte prüfen",
            "benutzer": " – von Hand zugeordnet",
        }.get(c.how, "")
        lines.append(f"„{c.column}“ → {label}{block}{how}")
    return lines
