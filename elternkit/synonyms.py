"""Header synonyms of the administration programs, in one table to extend.

A header such as ``Erz1_Vorname``, ``Sorgeberechtigter 2 Straße``, ``Vorname_M``
or ``Mutter E-Mail`` is split into tokens (:func:`header_tokens`); block markers
(guardian number, Vater/Mutter, M/W) and pupil markers (Schüler, Kind) are taken
off, and the remaining words are looked up here. To teach elternkit a new
export, add its header words to :data:`FIELD_SYNONYMS`.

Keys are tokens joined without separators, after folding (lower case, ä → ae,
ß → ss). Header text damaged by a wrong encoding (``StraÃŸe``) is repaired
before it is split. English headers of international or self-made exports
(``Student ID``, ``Parent 1 First Name``, ``Mother Email``) are known too.
The first field that lists a key wins; the order of the synonyms of a
field gives the priority when several columns of one guardian map to it (the
landline before the mobile number, for example).
"""

from __future__ import annotations

import re

from elternkit.clean_text import repair_mojibake
from elternkit.text import fold_name

#: Canonical field → header keys meaning it (folded, tokens joined).
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "kind_id": (
        "kindid",
        "importid",
        "schuelerid",
        "schuelerimportid",
        "schuelernr",
        "schuelernummer",
        "schueleridentnummer",
        "identnummer",
        "idnummer",
        "schuelerkennung",
        "kennung",
        "id",
        "nr",
        "nummer",
        "interneid",
        "schuelerindex",
        "lokaleid",
        "sid",
        "guid",
        "asvid",
        "studentid",
        "studentnumber",
        "pupilid",
        "childid",
    ),
    "vorname": ("vorname", "vornamen", "rufname", "firstname", "givenname"),
    "nachname": (
        "nachname",
        "familienname",
        "zuname",
        "lastname",
        "surname",
        "familyname",
        "name",
    ),
    "volle_name": (
        "vollername",
        "vollstaendigername",
        "namevorname",
        "vornamename",
        "fullname",
    ),
    "anrede": (
        "anrede",
        "briefanrede",
        "titelanrede",
        "geschlecht",
        "salutation",
    ),
    "namenszusatz": ("namenszusatz", "zusatz", "vorsatzwort", "namensvorsatz"),
    "strasse": (
        "strasse",
        "str",
        "strassehausnummer",
        "strassehausnr",
        "strasseundhausnummer",
        "strassenr",
        "anschriftstrasse",
        "street",
        "streetaddress",
        "addressline",
        "addressline1",
    ),
    "hausnummer": (
        "hausnummer",
        "hausnr",
        "nr",
        "hnr",
        "hausnrzusatz",
        "housenumber",
    ),
    "plz": ("plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode"),
    "ort": ("ort", "wohnort", "stadt", "gemeinde", "city", "town"),
    "plz_ort": ("plzort", "postleitzahlort"),
    "adresse": (
        "adresse",
        "anschrift",
        "wohnanschrift",
        "postanschrift",
        "address",
        "homeaddress",
    ),
    "email": (
        "email",
        "emailadresse",
        "mail",
        "emailprivat",
        "mailadresse",
        "emailpriv",
        "emaildienstlich",
        "emailaddress",
        "mailaddress",
    ),
    "telefon": (
        "telefon",
        "telefonnummer",
        "tel",
        "telefonprivat",
        "telprivat",
        "festnetz",
        "telefon1",
        "rufnummer",
        "phone",
        "telephone",
        "phonenumber",
        "homephone",
        "mobil",
        "mobiltelefon",
        "handy",
        "handynummer",
        "mobilnummer",
        "mobile",
        "mobilephone",
        "cellphone",
        "cell",
        "telefonmobil",
        "telefondienstlich",
        "teldienstlich",
        "telefongeschaeftlich",
    ),
    "klasse": (
        "klasse",
        "klassenbezeichnung",
        "lerngruppe",
        "klassekurs",
        "kurs",
        "class",
        "form",
    ),
    "auskunftssperre": (
        "auskunftssperre",
        "sperrvermerk",
        "uebermittlungssperre",
        "adresssperre",
        "datensperre",
    ),
    "sorgerecht": ("sorgerecht", "sorgeberechtigt", "personensorge"),
    "slot_label": ("art", "beziehung", "verhaeltnis", "rolle", "typ", "bezugsperson"),
}

#: Words that mark a column as belonging to the pupil.
PUPIL_MARKERS = frozenset(
    {
        "schueler",
        "schuelerin",
        "schuelerinnen",
        "kind",
        "sus",
        "sch",
        "schul",
        "student",
        "pupil",
        "child",
    }
)

#: Words that mark a guardian block; a number after them gives the slot.
GUARDIAN_MARKERS = frozenset(
    {
        "erz",
        "erzb",
        "ezb",
        "eb",
        "sb",
        "erziehungsberechtigter",
        "erziehungsberechtigte",
        "erziehungsberechtigten",
        "erzberechtigter",
        "sorgeberechtigter",
        "sorgeberechtigte",
        "sorgeber",
        "ansprechpartner",
        "elternteil",
        "eltern",
        "gesetzlichervertreter",
        "vertreter",
        "kontakt",
        "parent",
        "guardian",
        "carer",
        "contact",
    }
)

#: Words naming a parent: the slot label they give.
PARENT_WORDS = {"vater": "V", "mutter": "M", "father": "V", "mother": "M"}

#: Single-letter suffixes that name a block (``Vorname_V``, ``Name_M``).
LETTER_SLOTS = frozenset({"v", "m", "w"})

_TOKEN = re.compile(r"[a-z]+|[0-9]+")


def header_tokens(header: str) -> list[str]:
    """Split a header into folded word and number tokens.

    Examples
    --------
    >>> header_tokens("Erz1_Vorname")
    ['erz', '1', 'vorname']
    >>> header_tokens("Sorgeberechtigte/r 2: Straße")
    ['sorgeberechtigte', 'r', '2', 'strasse']
    >>> header_tokens("E-Mail (2)")
    ['e', 'mail', '2']
    >>> header_tokens("StraÃŸe")
    ['strasse']
    """
    text = fold_name_keep_gaps(repair_mojibake(header))
    return _TOKEN.findall(text)


def fold_name_keep_gaps(text: str) -> str:
    """Fold like :func:`elternkit.text.fold_name` but keep word gaps as spaces."""
    return " ".join(fold_name(part) for part in re.split(r"[^\w]+|_", text) if part)


def lookup_field(key: str) -> str | None:
    """Return the field a joined header key means, or None.

    >>> lookup_field("emailadresse"), lookup_field("hausnr"), lookup_field("xyz")
    ('email', 'hausnummer', None)
    """
    return _INDEX.get(key)


def synonym_priority(field: str, key: str) -> int:
    """Position of ``key`` among the synonyms of ``field`` (lower = preferred)."""
    synonyms = FIELD_SYNONYMS.get(field, ())
    return synonyms.index(key) if key in synonyms else len(synonyms)


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, keys in FIELD_SYNONYMS.items():
        for key in keys:
            index.setdefault(key, field)
    return index


_INDEX = _build_index()

#: Every known key, for similarity suggestions.
ALL_KEYS: tuple[str, ...] = tuple(_INDEX)
