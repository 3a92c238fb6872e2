"""Column names and empty frames shared by every stage.

The central table is *long*: one row per (guardian, child) pair. Column names
are German snake_case because they are the domain terms users read. Columns
whose name starts with ``_`` are internal and never reach an output file.
"""

from __future__ import annotations

import polars as pl

#: Internal unique id of a row of the long table (stable within one run).
ROW_ID = "_row"

#: Identity fields of a guardian, in output order.
IDENTITY_FIELDS = ("vorname", "nachname", "adresse", "email", "telefon")

#: Canonical text columns of the long table, in a fixed order.
LONG_TEXT_COLUMNS = (
    "quelle",
    "slot",
    "anrede",
    "vorname",
    "nachname",
    "namenszusatz",
    "strasse",
    "hausnummer",
    "plz",
    "ort",
    "adresse",
    "email",
    "telefon",
    "kind_id",
    "kind_vorname",
    "kind_nachname",
    "klasse",
    "auskunftssperre",
    "sorgerecht",
    "person",
)

#: Schema of the long table (``zeile`` is the row number the user sees).
LONG_SCHEMA: dict[str, pl.DataType] = {
    ROW_ID: pl.UInt32(),
    "zeile": pl.Int64(),
    **{name: pl.String() for name in LONG_TEXT_COLUMNS},
}

#: More distinct guardians than this for one child are reported (the check
#: and the IServ preview); an unusual number that points at merged records.
MAX_GUARDIANS = 4

#: Header of the IServ upload file, and the long-table column behind each entry.
IMPORT_HEADER = ("Vorname", "Nachname", "Adresse", "E-Mail", "Telefonnummer", "Kind-ID")
IMPORT_SOURCE = ("vorname", "nachname", "adresse", "email", "telefon", "kind_id")

#: Severity levels of a finding. ``fehler`` holds the row back from the import.
SEVERITIES = ("fehler", "warnung", "hinweis")

CHANGES_SCHEMA: dict[str, pl.DataType] = {
    ROW_ID: pl.UInt32(),
    "zeile": pl.Int64(),
    "quelle": pl.String(),
    "feld": pl.String(),
    "vorher": pl.String(),
    "nachher": pl.String(),
    "regel": pl.String(),
}

FINDINGS_SCHEMA: dict[str, pl.DataType] = {
    ROW_ID: pl.UInt32(),
    "zeile": pl.Int64(),
    "quelle": pl.String(),
    "kind_id": pl.String(),
    "feld": pl.String(),
    "wert": pl.String(),
    "schwere": pl.String(),
    "code": pl.String(),
    "meldung": pl.String(),
}


def empty_long() -> pl.DataFrame:
    """Return an empty long table with every canonical column."""
    return pl.DataFrame(schema=LONG_SCHEMA)


def empty_changes() -> pl.DataFrame:
    """Return an empty table of changed cells."""
    return pl.DataFrame(schema=CHANGES_SCHEMA)


def empty_findings() -> pl.DataFrame:
    """Return an empty table of findings."""
    return pl.DataFrame(schema=FINDINGS_SCHEMA)


def conform_long(frame: pl.DataFrame) -> pl.DataFrame:
    """Add missing canonical columns as nulls and order them canonically.

    Extra columns (for example ``_``-prefixed helpers) are kept at the end.
    """
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in LONG_SCHEMA.items()
        if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    extra = [c for c in frame.columns if c not in LONG_SCHEMA]
    return frame.select([*LONG_SCHEMA, *extra]).cast(LONG_SCHEMA)
