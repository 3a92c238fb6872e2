"""The column mapping of a Rezept, and how it is re-matched to new headers.

A school's export changes its headers now and then (``Erz1_EMail`` becomes
``Erz1_E-Mail``, a program update renames ``Schüler-ID`` to ``SchülerNr``).
A recorded assignment therefore carries the header text *and* a folded key,
and :func:`match_mapping` looks for this year's column in four steps before
it declares the assignment broken:

1. the same header text;
2. the same folded key (case, umlauts, spaces, ``_`` and ``-`` ignored);
3. the column this year's suggestion (:func:`elternkit.mapping.suggest_mapping`)
   maps by synonym to the same field and guardian block;
4. the most similar folded key (similarity at least 80 of 100).

Only one recorded assignment can claim a column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from elternkit.mapping import FIELD_LABELS, ColumnMapping, suggest_mapping
from elternkit.synonyms import header_tokens

#: Similarity (0–100) of folded header keys above which a column is re-matched.
SIMILARITY_REMATCH = 80

_HOW_TEXT = {
    "schluessel": "gleicher Spaltenname bis auf Schreibweise",
    "synonym": "nach bekanntem Spaltennamen",
    "aehnlich": "nach Ähnlichkeit, bitte prüfen",
}


def header_key(header: str) -> str:
    """Fold a header text to the key stored in the Rezept.

    >>> header_key("Erz1_E-Mail"), header_key("ERZ1 EMail")
    ('erz1email', 'erz1email')
    >>> header_key("Schüler-ID")
    'schuelerid'
    """
    return "".join(header_tokens(header))


@dataclass(frozen=True)
class MappingEntry:
    """One recorded column assignment (``[[zuordnung]]`` in the Rezept).

    ``feld`` None means the column is deliberately not used. ``datei`` is the
    name of the file the column was seen in (informational; it groups the
    entries of a two-file export).
    """

    spalte: str
    feld: str | None
    slot: str | None = None
    schluessel: str = ""
    datei: str = ""

    def key(self) -> str:
        """The folded header key (computed when not recorded)."""
        return self.schluessel or header_key(self.spalte)

    def describe(self) -> str:
        """German: ``„Erz1_EMail“ → E-Mail (Elternblock 1)``."""
        return f"„{self.spalte}“ → {self.target_label()}"

    def target_label(self) -> str:
        """German: where the column goes, ``E-Mail (Elternblock 1)``."""
        label = (
            FIELD_LABELS.get(self.feld, self.feld) if self.feld else "nicht verwenden"
        )
        block = f" (Elternblock {self.slot})" if self.slot else ""
        return f"{label}{block}"


def entries_from_mapping(
    mapping: ColumnMapping, *, datei: str = ""
) -> list[MappingEntry]:
    """Turn a confirmed :class:`ColumnMapping` into Rezept entries."""
    return [
        MappingEntry(c.column, c.field, c.slot, header_key(c.column), datei)
        for c in mapping.columns
    ]


@dataclass
class MappingMatch:
    """Result of :func:`match_mapping` for one file.

    ``mapping`` is column → (field, slot) to pass as the user's mapping (only
    assignments that differ from this year's suggestion); ``matched`` the
    entries found; ``renamed`` pairs of entry and this year's column with how
    it was found; ``missing`` the entries found nowhere.
    """

    mapping: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    matched: list[MappingEntry] = field(default_factory=list)
    renamed: list[tuple[MappingEntry, str, str]] = field(default_factory=list)
    missing: list[MappingEntry] = field(default_factory=list)

    def rename_text(self, entry: MappingEntry, column: str, how: str) -> str:
        """German note on a re-matched assignment."""
        return (
            f"Die Spalte „{entry.spalte}“ heißt jetzt „{column}“; die Zuordnung "
            f"({entry.target_label()}) wurde übernommen ({_HOW_TEXT.get(how, how)})."
        )


def pick_entries(
    entries: Sequence[MappingEntry], columns: Sequence[str]
) -> list[MappingEntry]:
    """Choose the recorded file whose headers overlap most with ``columns``.

    Entries recorded without a file name form one group. With a single group
    it is always chosen; with several, the one sharing most folded keys (none
    when no key is shared).
    """
    groups: dict[str, list[MappingEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.datei, []).append(entry)
    if len(groups) <= 1:
        return list(entries)
    keys = {header_key(c) for c in columns}
    scored = [
        (sum(e.key() in keys for e in group), name) for name, group in groups.items()
    ]
    best, name = max(scored, key=lambda s: s[0])
    return groups[name] if best > 0 else []


def match_mapping(
    entries: Sequence[MappingEntry], columns: Sequence[str]
) -> MappingMatch:
    """Find each recorded assignment among this year's ``columns``.

    Examples
    --------
    >>> old = [MappingEntry("Erz1_EMail", "email", "1"),
    ...        MappingEntry("Lfd Kennz", "kind_id", None)]
    >>> m = match_mapping(old, ["Erz1_E-Mail", "Lfd Kennz", "Erz1_Vorname",
    ...                         "Erz1_Nachname", "Erz2_Vorname"])
    >>> m.mapping
    {'Lfd Kennz': ('kind_id', None)}
    >>> [(e.spalte, col, how) for e, col, how in m.renamed]
    [('Erz1_EMail', 'Erz1_E-Mail', 'schluessel')]
    """
    result = MappingMatch()
    suggestion = suggest_mapping(list(columns)) if columns else None
    free = list(columns)
    pending: list[MappingEntry] = []
    for entry in entries:  # step 1 first for all, so renames cannot steal
        if entry.spalte in free:
            free.remove(entry.spalte)
            _accept(result, entry, entry.spalte, suggestion)
        else:
            pending.append(entry)
    for entry in pending:
        column, how = _find_renamed(entry, free, suggestion)
        if column is None:
            if entry.feld is not None:  # an unused column may simply be gone
                result.missing.append(entry)
            continue
        free.remove(column)
        result.renamed.append((entry, column, how))
        _accept(result, entry, column, suggestion)
    return result


def _accept(
    result: MappingMatch,
    entry: MappingEntry,
    column: str,
    suggestion: ColumnMapping | None,
) -> None:
    result.matched.append(entry)
    suggested = suggestion.for_column(column) if suggestion else None
    if suggested is not None and (suggested.field, suggested.slot) == (
        entry.feld,
        entry.slot,
    ):
        return
    result.mapping[column] = (entry.feld, entry.slot)


def _find_renamed(
    entry: MappingEntry, free: list[str], suggestion: ColumnMapping | None
) -> tuple[str | None, str]:
    keys = {header_key(c): c for c in reversed(free)}
    if entry.key() in keys:
        return keys[entry.key()], "schluessel"
    if entry.feld is not None and suggestion is not None:
        for c in suggestion.columns:
            if (
                c.column in free
                and c.how == "synonym"
                and (c.field, c.slot) == (entry.feld, entry.slot)
            ):
                return c.column, "synonym"
    if keys:
        best = process.extractOne(entry.key(), list(keys), scorer=fuzz.ratio)
        if best is not None and best[1] >= SIMILARITY_REMATCH:
            return keys[best[0]], "aehnlich"
    return None, ""


__all__ = [
    "MappingEntry",
    "MappingMatch",
    "entries_from_mapping",
    "header_key",
    "match_mapping",
    "pick_entries",
]
