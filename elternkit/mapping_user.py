"""The user's own column assignments: ``--zuordnung`` and the mapping widget.

``FELD=SPALTE`` texts of the command line are parsed
(:func:`parse_user_mapping`) and override the suggested mapping column by
column (:func:`apply_user_mapping`); a named column the export lacks is a
German error listing the columns it has (:func:`unknown_columns_error`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from elternkit.errors import MappingError
from elternkit.mapping import (
    FIELD_LABELS,
    REQUIRED_FIELDS,
    ColumnMap,
    ColumnMapping,
)
from elternkit.synonyms import FIELD_SYNONYMS, header_tokens


def parse_user_mapping(items: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """Parse ``FELD=SPALTE`` or ``FELD:SLOT=SPALTE`` texts of the command line.

    ``FELD`` is a canonical field or its German label (``Kind-ID``,
    ``E-Mail``, ``Telefonnummer``…). Returns column → (field, slot).

    >>> parse_user_mapping(["Kind-ID=SchülerNr", "vorname:2=Mutter Vorname"])
    {'SchülerNr': ('kind_id', None), 'Mutter Vorname': ('vorname', '2')}
    """
    labels = {_fold_label(v): k for k, v in FIELD_LABELS.items()}
    labels |= {_fold_label(k): k for k in FIELD_LABELS}
    labels |= {_fold_label(k): k for k in FIELD_SYNONYMS}
    out: dict[str, tuple[str, str | None]] = {}
    for item in items:
        target, sep, column = item.partition("=")
        fld, _, slot = target.partition(":")
        known = labels.get(_fold_label(fld))
        if not sep or not column.strip() or known is None:
            allowed = ", ".join(
                sorted(
                    {FIELD_LABELS[k] for k in REQUIRED_FIELDS}
                    | {"E-Mail", "Telefonnummer", "Adresse"}
                )
            )
            raise MappingError(
                f"Die Zuordnung „{item}“ ist nicht verständlich. Erwartet wird "
                "FELD=SPALTE, zum Beispiel „Kind-ID=SchülerNr“ (Felder u. a.: "
                f"{allowed}; für einen Elternblock FELD:2=SPALTE)."
            )
        out[column.strip()] = (known, slot.strip() or None)
    return out


def _fold_label(text: str) -> str:
    return "".join(header_tokens(text))


def unknown_columns_error(
    missing: Iterable[str], known: Iterable[str], *, absent: str
) -> MappingError:
    """The error for a user mapping naming columns that do not exist.

    ``absent`` completes „Spalten, die …“ (where they are missing).

    >>> print(unknown_columns_error(["Nr"], ["ID", "Name"],
    ...                             absent="es in der Datei nicht gibt"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Die Zuordnung nennt Spalten, die es in der Datei nicht gibt: „Nr“. Diese
    Zuordnung kann so nicht gelten. Vorhandene Spalten: „ID“, „Name“. Bitte den
    Spaltennamen genau so schreiben wie in der Kopfzeile.
    """
    return MappingError(
        f"Die Zuordnung nennt Spalten, die {absent}: "
        + ", ".join(f"„{c}“" for c in missing)
        + ". Diese Zuordnung kann so nicht gelten. Vorhandene Spalten: "
        + ", ".join(f"„{c}“" for c in sorted(known))
        + ". Bitte den Spaltennamen genau so schreiben wie in der Kopfzeile."
    )


def apply_user_mapping(
    mapping: ColumnMapping, user: Mapping[str, tuple[str, str | None]]
) -> ColumnMapping:
    """Override the suggestion with the user's assignments, column by column.

    A column named by the user that the export does not have is an error that
    lists the columns the export has.
    """
    known = {c.column for c in mapping.columns}
    missing = [c for c in user if c not in known]
    if missing:
        raise unknown_columns_error(missing, known, absent="es in der Datei nicht gibt")
    taken = set(user.values())
    cols = []
    for c in mapping.columns:
        if c.column in user:
            fld, slot = user[c.column]
            cols.append(ColumnMap(c.column, fld, slot, "benutzer", 100.0))
        elif (c.field, c.slot) in taken:
            cols.append(ColumnMap(c.column, None, None, "ersetzt", 0.0))
        else:
            cols.append(c)
    layout = mapping.layout
    if layout != "schueler":
        layout = "breit" if len({c.slot for c in cols if c.slot}) >= 2 else "lang"
    if layout == "lang":
        cols = [replace(c, slot=None) for c in cols]
    return ColumnMapping(cols, layout=layout, notes=mapping.notes)
