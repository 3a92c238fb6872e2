"""Export rows built from the invented families, and the truth about each slot.

A :class:`Row` is one line of an export (one pupil in a wide export, one
guardian–pupil pair in a long one). Its guardian blocks are :class:`Slot` s
holding the cell values as the export shows them, the true guardians behind
them and the codes of the faults planted in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sample_data.people import Family, Guardian, Pupil

#: Columns of ``wahrheit.csv``.
TRUTH_HEADER = (
    "quelle",
    "zeile",
    "slot",
    "person_wahr",
    "kind_id_wahr",
    "vorname_wahr",
    "nachname_wahr",
    "adresse_wahr",
    "telefon_wahr",
    "email_wahr",
    "fehler",
)


@dataclass
class Slot:
    """One guardian block of a row: cells as exported, and who is behind them."""

    guardians: list[Guardian]
    cells: dict[str, str]
    faults: list[str] = field(default_factory=list)


@dataclass
class Row:
    """One data line of an export."""

    pupil: Pupil
    kind_cell: str
    slots: dict[str, Slot]
    faults: list[str] = field(default_factory=list)


def slot_of(guardian: Guardian) -> Slot:
    """The clean cells of a guardian, tagged with the guardian's planted faults."""
    cells = {
        "anrede": guardian.anrede,
        "art": guardian.art,
        "vorname": guardian.vorname,
        "nachname": guardian.nachname,
        "strasse": guardian.strasse,
        "hausnummer": guardian.hausnummer,
        "plz": guardian.place.plz,
        "ort": guardian.place.ort,
        "telefon": guardian.telefon,
        "email": guardian.email,
        "sperre": "ja" if guardian.sperre else "nein",
    }
    return Slot([guardian], cells, list(guardian.tags))


def pupil_order(pupil: Pupil) -> tuple[int, str, str, str]:
    """Sort key of class lists: grade as a number, class, surname, first name.

    >>> pupils = [Pupil("", "", "", k, None) for k in ("10a", "5b", "5a")]
    >>> [p.klasse for p in sorted(pupils, key=pupil_order)]
    ['5a', '5b', '10a']
    """
    digits = re.match(r"\d*", pupil.klasse).group()
    return (int(digits or 0), pupil.klasse, pupil.nachname, pupil.vorname)


def render_wide(families: Iterable[Family], *, keys: str) -> list[Row]:
    """One row per pupil; ``keys`` ``"12"`` numbers the blocks, ``"VM"`` uses roles.

    Pupils tagged ``kind_ohne_eltern`` are left out of the export.
    """
    rows = []
    for family in families:
        guardians = family.guardians[:2]
        if keys == "VM":
            pairs = [(g.rolle, g) for g in guardians]
        else:
            pairs = list(zip(keys, guardians, strict=False))
        for pupil in family.children:
            if "kind_ohne_eltern" in pupil.tags:
                continue
            slots = {key: slot_of(g) for key, g in pairs}
            rows.append(Row(pupil, pupil.kind_id, slots, list(pupil.tags)))
    rows.sort(key=lambda r: pupil_order(r.pupil))
    return rows


def render_long(families: Iterable[Family]) -> list[Row]:
    """One row per (guardian, pupil) pair, sorted by pupil ID as BBS-Planung does."""
    rows = []
    for family in families:
        for pupil in family.children:
            if "kind_ohne_eltern" in pupil.tags:
                continue
            for guardian in family.guardians:
                slots = {"1": slot_of(guardian)}
                rows.append(Row(pupil, pupil.kind_id, slots, list(pupil.tags)))
    rows.sort(key=lambda r: (r.pupil.kind_id, r.pupil.vorname))
    return rows


def _joined(values: Iterable[str]) -> str:
    return "|".join(values)


def truth_rows(quelle: str, rows: Sequence[Row], *, first_row: int) -> list[list[str]]:
    """One truth line per filled slot; ``first_row`` is the sheet row of ``rows[0]``."""
    lines = []
    for index, row in enumerate(rows):
        for key, slot in row.slots.items():
            people = slot.guardians
            faults = list(dict.fromkeys(row.faults + slot.faults))
            lines.append(
                [
                    quelle,
                    str(first_row + index),
                    key,
                    _joined(g.person for g in people),
                    row.pupil.kind_id,
                    _joined(g.vorname for g in people),
                    _joined(g.nachname for g in people),
                    _joined(g.adresse for g in people),
                    _joined(g.telefon_e164 for g in people),
                    _joined(g.email for g in people),
                    ",".join(faults),
                ]
            )
    return lines


def pupil_truth_rows(
    quelle: str, pupils: Sequence[Pupil], *, first_row: int
) -> list[list[str]]:
    """Truth lines for the pupils of a pupil list that carry a planted fault."""
    lines = []
    for index, pupil in enumerate(pupils):
        if pupil.tags:
            row = [quelle, str(first_row + index), "", "", pupil.kind_id]
            lines.append([*row, "", "", "", "", "", ",".join(pupil.tags)])
    return lines
