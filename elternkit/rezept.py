"""The Rezept: a school's recorded settings and decisions, as editable TOML.

One file per school (``schulen/<name>/rezept.toml``) that a person can read
and change by hand; elternkit keeps their comments when it writes the file
again. Its tables (German keys)::

    [schule]          name
    [quelle]          kodierung, trennzeichen, blatt, kopfzeile (empty = detect)
    [optionen]        namen_tauschen, telefon_format, geteilte_email, …
    [[zuordnung]]     spalte, schluessel, feld, slot, datei
    [[entscheidung]]  art, schluessel, feld, wert, alt, teile, autor, datum, notiz

Every decision is keyed by content fingerprints (:func:`row_key`: Kind-ID plus
folded first and last name), never by a row number or a raw header text, so it
still applies to next year's export. :mod:`elternkit.replay` applies them.

Only a file that cannot be read as TOML at all raises :class:`RezeptError`;
a single unusable entry becomes a problem listed in the report
(:attr:`Rezept.problems`) and everything else still applies.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import AoT, Table

from elternkit.errors import RezeptError
from elternkit.mapping import FIELD_LABELS, ColumnMapping
from elternkit.options import Options
from elternkit.rezept_entries import (
    DECISION_KINDS,
    Conflict,
    Decision,
    SourceSettings,
    decision_from,
    row_key,
    toml_text,
)
from elternkit.rezept_mapping import (
    MappingEntry,
    MappingMatch,
    entries_from_mapping,
    match_mapping,
    pick_entries,
)
from elternkit.rezept_options import options_from_toml, options_to_toml

_HEADER = """\
Rezept von elternkit: die Entscheidungen dieser Schule, damit sich die
Aufbereitung im nächsten Jahr wiederholen lässt. Die Datei darf von Hand
bearbeitet werden; Kommentare mit # bleiben erhalten. Notizen erscheinen
im Protokoll: bitte keine Namen oder Kontaktdaten von Eltern hineinschreiben.
Schlüssel: Kind-ID|vorname|nachname in vereinfachter Schreibweise."""


@dataclass
class Rezept:
    """A school's Rezept (see the module docstring for the file format)."""

    school: str
    options: Options = field(default_factory=Options)
    source: SourceSettings = field(default_factory=SourceSettings)
    mapping: list[MappingEntry] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    problems: list[Conflict] = field(default_factory=list)
    _doc: tomlkit.TOMLDocument | None = field(default=None, repr=False)
    _tables: dict[object, Table] = field(default_factory=dict, repr=False)
    _broken: list[Table] = field(default_factory=list, repr=False)

    @classmethod
    def new(cls, school: str) -> Rezept:
        """Start an empty Rezept for ``school``."""
        return cls(school)

    @classmethod
    def load(cls, path: str | Path) -> Rezept:
        """Read a Rezept; raise :class:`RezeptError` when it is no TOML at all."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RezeptError(
                f"Das Rezept {path} wurde nicht gefunden. Ohne Rezept werden keine "
                "früheren Entscheidungen angewendet. Bitte den Pfad prüfen oder "
                "das Rezept im Notebook neu anlegen."
            ) from None
        except UnicodeDecodeError as exc:
            raise RezeptError(
                f"Das Rezept {path} ist kein UTF-8-Text (Byte {exc.start} passt "
                "nicht); vielleicht ist es gar kein Rezept. Ohne lesbares Rezept "
                "werden keine Entscheidungen angewendet. Bitte die richtige Datei "
                "angeben oder sie im Editor als UTF-8-Text speichern."
            ) from None
        except IsADirectoryError:
            raise RezeptError(
                f"{path} ist ein Ordner, kein Rezept. Bitte die Datei angeben, "
                "z. B. schulen/<name>/rezept.toml."
            ) from None
        except OSError as exc:
            raise RezeptError(
                f"Das Rezept {path} lässt sich nicht lesen ({type(exc).__name__}: "
                f"{exc.strerror}). Ohne Rezept werden keine früheren Entscheidungen "
                "angewendet. Bitte die Leserechte der Datei prüfen."
            ) from None
        try:
            doc = tomlkit.parse(text)
        except ParseError as exc:
            raise RezeptError(
                f"Das Rezept {path} ist kein gültiges TOML (Zeile {exc.line}, "
                f"Spalte {exc.col}): {exc}. Ohne lesbares Rezept werden keine "
                "Entscheidungen angewendet. Bitte die Stelle korrigieren, z. B. "
                "fehlende Anführungszeichen um Texte."
            ) from None
        return _from_document(doc)

    def save(self, path: str | Path) -> None:
        """Write the Rezept, keeping comments and the order of existing entries."""
        doc = self._doc if self._doc is not None else _new_document()
        schule = doc.setdefault("schule", tomlkit.table())
        schule["name"] = self.school
        quelle = doc.setdefault("quelle", tomlkit.table())
        for key, value in _source_items(self.source):
            quelle[key] = value
        optionen = doc.setdefault("optionen", tomlkit.table())
        for key, value in options_to_toml(self.options).items():
            optionen[key] = value
        for key, aot in (
            ("zuordnung", self._aot(self.mapping, _entry_table)),
            ("entscheidung", self._aot(self.decisions, _decision_table, self._broken)),
        ):
            if len(aot):
                doc[key] = aot
            elif key in doc:  # an empty list would be written as ``key = []``
                del doc[key]  # above the file's first comment
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
        self._doc = doc

    def _aot(
        self,
        items: Sequence[object],
        build: Callable[[Any], Table],
        extra: Sequence[Table] = (),
    ) -> AoT:
        aot = tomlkit.aot()
        for item in items:
            aot.append(self._tables.get(item) or build(item))
        for table in extra:
            aot.append(table)
        return aot

    def set_mapping(self, mapping: ColumnMapping, *, datei: str = "") -> None:
        """Record the field of every column (header text and folded key).

        Entries of the same file (``datei``) are replaced; those of other
        files stay (a two-file export records each file).
        """
        kept = [e for e in self.mapping if e.datei != datei]
        self.mapping = kept + entries_from_mapping(mapping, datei=datei)

    def user_mapping(
        self, columns: Sequence[str]
    ) -> tuple[dict[str, tuple[str, str | None]], list[Conflict]]:
        """Re-match the recorded mapping to this year's headers of one file.

        Returns column → (field, slot) for the user's mapping, and the
        assignments that were re-matched (``behoben``) or found nowhere.
        """
        match = match_mapping(pick_entries(self.mapping, columns), columns)
        conflicts = renamed_conflicts(match)
        conflicts += [mapping_conflict(e) for e in match.missing]
        return match.mapping, conflicts  # type: ignore[return-value]

    def add_decision(self, decision: Decision) -> None:
        """Add a decision; one with the same kind and keys replaces the old one."""
        problem = decision.problem()
        if problem:
            raise RezeptError(
                f"Die Entscheidung lässt sich nicht speichern: {problem}."
            )
        same = [
            d
            for d in self.decisions
            if (d.art in _OPPOSITES.get(decision.art, {decision.art}))
            and set(d.schluessel) == set(decision.schluessel)
            and d.feld == decision.feld
        ]
        self.decisions = [d for d in self.decisions if d not in same] + [decision]


_OPPOSITES = {
    "gleich": {"gleich", "verschieden"},
    "verschieden": {"gleich", "verschieden"},
    "teilen": {"teilen", "nicht_teilen"},
    "nicht_teilen": {"teilen", "nicht_teilen"},
}


def renamed_conflicts(match: MappingMatch) -> list[Conflict]:
    """The notes on recorded assignments found under a renamed column."""
    return [
        Conflict("Spaltenzuordnung", match.rename_text(e, c, how), behoben=True)
        for e, c, how in match.renamed
    ]


def mapping_conflict(entry: MappingEntry) -> Conflict:
    """The conflict for a recorded assignment whose column is gone."""
    return Conflict(
        "Spaltenzuordnung",
        f"Die Zuordnung {entry.describe()} passt zu keiner Spalte mehr, auch nicht "
        "nach Schreibweise, bekanntem Namen oder Ähnlichkeit. Die Spalten wurden "
        "deshalb nach elternkits eigenem Vorschlag zugeordnet. Bitte die "
        "Zuordnung im Notebook prüfen und im Rezept speichern.",
    )


def _new_document() -> tomlkit.TOMLDocument:
    doc = tomlkit.document()
    for line in _HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    return doc


def _source_items(source: SourceSettings) -> list[tuple[str, object]]:
    return [
        ("kodierung", source.encoding or ""),
        ("trennzeichen", source.delimiter or ""),
        ("blatt", source.sheet or ""),
        ("kopfzeile", source.header_row or 0),
    ]


def _entry_table(entry: MappingEntry) -> Table:
    table = tomlkit.table()
    table["spalte"] = entry.spalte
    table["schluessel"] = entry.key()
    table["feld"] = entry.feld or ""
    if entry.slot:
        table["slot"] = entry.slot
    if entry.datei:
        table["datei"] = entry.datei
    return table


def _decision_table(d: Decision) -> Table:
    table = tomlkit.table()
    table["art"] = d.art
    table["schluessel"] = list(d.schluessel)
    for key in ("feld", "alt", "autor", "datum", "notiz"):
        if getattr(d, key) is not None:
            table[key] = getattr(d, key)
    if d.art in ("wert", "gewinner"):
        table["wert"] = d.wert or ""
    if d.teile:
        table["teile"] = [list(p) for p in d.teile]
    return table


def _section(data: dict, name: str, problems: list[Conflict]) -> dict:
    """The table ``[name]`` of the Rezept; anything else is named and ignored."""
    value = data.get(name)
    if value is None or isinstance(value, dict):
        return value or {}
    problems.append(
        Conflict(
            "Aufbau",
            f"„{name}“ muss ein Abschnitt [{name}] sein, nicht „{value}“; er wird "
            "nicht beachtet",
        )
    )
    return {}


#: The parts of a Rezept and the keys of its plain sections.
_KNOWN = {
    "schule": {"name"},
    "quelle": {"kodierung", "trennzeichen", "blatt", "kopfzeile"},
    "optionen": None,  # checked by options_from_toml
    "zuordnung": None,
    "entscheidung": None,
}


def _unknown_parts(data: dict) -> list[Conflict]:
    """Sections and keys that elternkit does not know (typing errors)."""
    found = [
        f"unbekannter Eintrag „{name}“ wird nicht beachtet"
        for name in data
        if name not in _KNOWN
    ]
    for name, keys in _KNOWN.items():
        section = data.get(name)
        if keys is not None and isinstance(section, dict):
            found += [
                f"unbekannter Eintrag „{key}“ in [{name}] wird nicht beachtet"
                for key in section
                if key not in keys
            ]
    for name in ("zuordnung", "entscheidung"):
        value = data.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, dict) for v in value)
        ):
            found.append(
                f"„{name}“ muss eine Liste von [[{name}]]-Einträgen sein, nicht "
                f"„{value}“; sie wird nicht beachtet"
            )
    return [Conflict("Aufbau", text) for text in found]


def _from_document(doc: tomlkit.TOMLDocument) -> Rezept:
    data = doc.unwrap()
    problems: list[Conflict] = _unknown_parts(data)
    schule = _section(data, "schule", problems)
    options, option_problems = options_from_toml(_section(data, "optionen", problems))
    problems += [Conflict("Optionen", p) for p in option_problems]
    quelle = _section(data, "quelle", problems)
    header = quelle.get("kopfzeile")
    if header == 0 and not isinstance(header, bool):  # elternkit's "find it"
        header = None
    if header is not None and not (
        isinstance(header, int) and not isinstance(header, bool) and header > 0
    ):
        problems.append(
            Conflict(
                "Quelle",
                f"„kopfzeile“ muss eine Zeilennummer ab 1 sein, nicht „{header}“; "
                "die Kopfzeile wird gesucht",
            )
        )
        header = None
    source = SourceSettings(
        toml_text(quelle.get("kodierung")),
        toml_text(quelle.get("trennzeichen")),
        toml_text(quelle.get("blatt")),
        header,
    )
    rezept = Rezept(str(schule.get("name") or ""), options, source, _doc=doc)
    for table in _tables_of(doc, "zuordnung"):
        raw = table.unwrap()
        if not toml_text(raw.get("spalte")):
            problems.append(Conflict("Spaltenzuordnung", "Eintrag ohne „spalte“."))
            continue
        feld = toml_text(raw.get("feld"))
        if feld is not None and feld not in FIELD_LABELS:
            problems.append(
                Conflict(
                    "Spaltenzuordnung",
                    f"Spalte „{raw['spalte']}“: unbekanntes Feld „{feld}“ (möglich: "
                    f"{', '.join(sorted(FIELD_LABELS))}); der Eintrag wird nicht "
                    "beachtet",
                )
            )
            continue
        entry = MappingEntry(
            str(raw["spalte"]),
            toml_text(raw.get("feld")),
            toml_text(raw.get("slot")),
            str(raw.get("schluessel") or ""),
            str(raw.get("datei") or ""),
        )
        rezept.mapping.append(entry)
        rezept._tables[entry] = table
    for number, table in enumerate(_tables_of(doc, "entscheidung"), start=1):
        decision, problem = decision_from(table.unwrap())
        if decision is None or problem:
            problems.append(
                Conflict(
                    "Entscheidung",
                    f"Die Entscheidung Nr. {number} ist unvollständig: {problem}. "
                    "Sie wird nicht angewendet und bleibt unverändert im Rezept. "
                    "Bitte im Rezept ergänzen oder löschen.",
                    number,
                )
            )
            rezept._broken.append(table)
            continue
        rezept.decisions.append(decision)
        rezept._tables[decision] = table
    rezept.problems = problems
    return rezept


def _tables_of(doc: tomlkit.TOMLDocument, name: str) -> list[Table]:
    value = doc.get(name)
    if isinstance(value, AoT):
        return list(value.body)
    return []


def replace_options(rezept: Rezept, **changes: object) -> None:
    """Change some options of the Rezept (keyword names of :class:`Options`)."""
    rezept.options = dataclasses.replace(rezept.options, **changes)  # type: ignore[arg-type]


__all__ = [
    "DECISION_KINDS",
    "Conflict",
    "Decision",
    "MappingEntry",
    "Rezept",
    "SourceSettings",
    "mapping_conflict",
    "renamed_conflicts",
    "replace_options",
    "row_key",
]
