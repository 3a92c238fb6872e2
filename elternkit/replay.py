"""Apply a Rezept to a run: partial replay, every decision accounted for.

:class:`Replay` is handed to :func:`elternkit.pipeline.prepare`, which calls
its hooks at the stage where each kind of decision belongs:

========================  ===============================================
mapping                   :meth:`Replay.remap` while the files are read
``teilen``, ``nicht_teilen``, ``tauschen``, ``wert``
                          :meth:`Replay.apply_rows` after the field rules
``ausschliessen``         :meth:`Replay.exclusions`: finding
                          ``ausgeschlossen_rezept`` (fehler, held back)
``gleich``, ``verschieden``
                          :meth:`Replay.pair_decisions` for
                          :func:`elternkit.persons.find_duplicates`
``gewinner``              :meth:`Replay.overrides` for
                          :func:`elternkit.harmonize.harmonize_persons`
========================  ===============================================

Nothing fails as a whole: a decision whose rows are gone or changed becomes a
conflict in :attr:`Replay.log` and in the report (:func:`render_replay`);
everything else is applied and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from elternkit.findings import define_code, findings_for_rows
from elternkit.harmonize import FieldOverride
from elternkit.mapping import FIELD_LABELS
from elternkit.persons import PairDecision
from elternkit.replay_rows import (
    APPLIED,
    CONFLICT,
    DONE,
    keys_of,
    missing_reason,
    set_value,
    split_cell,
    swap_names,
    undo_split,
)
from elternkit.rezept import (
    DECISION_KINDS,
    Conflict,
    Decision,
    Rezept,
    mapping_conflict,
    renamed_conflicts,
    row_key,
)
from elternkit.rezept_mapping import MappingEntry, match_mapping, pick_entries
from elternkit.rules import Stage
from elternkit.schema import ROW_ID, empty_findings
from elternkit.split_names import RULE_SPLIT_FULL_NAME, RULE_SPLIT_PERSONS

define_code(
    "ausgeschlossen_rezept",
    "fehler",
    "Elternteil laut Rezept nicht exportiert",
    "Dieses Elternteil wird laut Rezept nicht exportiert{detail}. Ohne Zeile in "
    "der Importdatei legt IServ kein Konto an (und sperrt ein vorhandenes beim "
    "nächsten Abgleich). Wenn es doch ein Konto bekommen soll, bitte die "
    "Entscheidung „ausschliessen“ im Rezept löschen.",
)


@dataclass(frozen=True)
class ReplayEntry:
    """What became of one decision: ``angewendet``, ``erledigt``, ``konflikt``."""

    nummer: int
    decision: Decision
    status: str
    grund: str


@dataclass
class ReplayLog:
    """The outcome of a replay, for the report and the notebooks."""

    entries: list[ReplayEntry] = field(default_factory=list)
    mapping: list[Conflict] = field(default_factory=list)
    problems: list[Conflict] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Number of decisions with ``status``."""
        return sum(e.status == status for e in self.entries)

    def conflicts(self) -> list[ReplayEntry]:
        """Decisions that no longer apply, in Rezept order."""
        return [e for e in self.entries if e.status == CONFLICT]


class Replay:
    """Applies one :class:`Rezept` to one run (see the module docstring)."""

    def __init__(self, rezept: Rezept) -> None:
        self.rezept = rezept
        self._outcomes: dict[int, ReplayEntry] = {}
        self._matched: set[MappingEntry] = set()
        self._renamed: list[Conflict] = []
        self._pairs: list[tuple[int, PairDecision]] = []

    def _numbered(self, *arts: str) -> list[tuple[int, Decision]]:
        return [
            (n, d)
            for n, d in enumerate(self.rezept.decisions, start=1)
            if d.art in arts
        ]

    def _settle(self, nummer: int, status: str, grund: str) -> None:
        decision = self.rezept.decisions[nummer - 1]
        self._outcomes[nummer] = ReplayEntry(nummer, decision, status, grund)

    # mapping -------------------------------------------------------------

    def remap(self, columns: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """Return the recorded mapping re-matched to one file's ``columns``."""
        match = match_mapping(pick_entries(self.rezept.mapping, columns), columns)
        self._matched |= set(match.matched)
        self._renamed += renamed_conflicts(match)
        return match.mapping  # type: ignore[return-value]

    # rows ----------------------------------------------------------------

    def apply_rows(self, raw: pl.DataFrame, stage: Stage) -> Stage:
        """Apply ``nicht_teilen``, ``teilen``, ``tauschen`` and ``wert``.

        ``raw`` is the long table as read (it keys the name cells), ``stage``
        the result of the field rules.
        """
        actions = {
            "nicht_teilen": lambda st, key, d: undo_split(raw, st, key),
            "teilen": lambda st, key, d: split_cell(raw, st, key, d.teile),
            "tauschen": lambda st, key, d: swap_names(st, key),
            "wert": lambda st, key, d: set_value(st, key, d.feld or "", d.wert, d.alt),
        }
        # splits first (in Rezept order), then swaps, then fixed values
        for arts in (("nicht_teilen", "teilen"), ("tauschen",), ("wert",)):
            for n, d in self._numbered(*arts):
                outcomes = []
                for key in d.schluessel:
                    stage, out = actions[d.art](stage, key, d)
                    outcomes.append(out)
                self._settle(n, *_combine(outcomes))
        return stage

    def exclusions(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Findings ``ausgeschlossen_rezept`` for the rows to hold back."""
        keyed = frame.with_columns(keys_of(frame).get_column("fingerprint"))
        parts = [empty_findings()]
        for n, d in self._numbered("ausschliessen"):
            rows = keyed.filter(pl.col("fingerprint").is_in(list(d.schluessel)))
            found = set(rows.get_column("fingerprint").to_list())
            outcomes = [
                (APPLIED, "Das Elternteil wird nicht exportiert.")
                if key in found
                else (CONFLICT, missing_reason(key, frame))
                for key in d.schluessel
            ]
            self._settle(n, *_combine(outcomes))
            note = f" (Entscheidung Nr. {n}{_who(d)}" + (
                f": {d.notiz})" if d.notiz else ")"
            )
            parts.append(
                findings_for_rows(
                    rows.drop("fingerprint"),
                    code="ausgeschlossen_rezept",
                    feld="person",
                    wert=pl.concat_str(
                        "vorname", "nachname", separator=" ", ignore_nulls=True
                    ),
                    detail=note,
                )
            )
        return pl.concat(parts)

    # persons -------------------------------------------------------------

    def pair_decisions(self) -> list[PairDecision]:
        """The ``gleich``/``verschieden`` decisions for the person resolution."""
        self._pairs = [
            (
                n,
                PairDecision(
                    d.schluessel[0],
                    d.schluessel[1],
                    d.art == "gleich",
                    d.autor,
                    d.datum,
                    d.notiz,
                ),
            )
            for n, d in self._numbered("gleich", "verschieden")
        ]
        return [p for _, p in self._pairs]

    def settle_pairs(
        self, unmatched: Sequence[PairDecision], frame: pl.DataFrame
    ) -> None:
        """Record which pair decisions applied (``unmatched`` from the resolution).

        ``frame`` is the whole cleaned table, to tell rows held back from rows
        that are gone.
        """
        missing = {id(p) for p in unmatched}
        known = set(keys_of(frame).get_column("fingerprint").to_list())
        for n, pair in self._pairs:
            if id(pair) not in missing:
                self._settle(n, APPLIED, "Bei der Dublettenprüfung berücksichtigt.")
                continue
            gone = [k for k in (pair.key_a, pair.key_b) if k not in known]
            why = (
                missing_reason(gone[0], frame)
                if gone
                else "Eine der beiden Zeilen wird wegen eines Fehlers nicht exportiert."
            )
            self._settle(n, CONFLICT, why)

    def overrides(self, frame: pl.DataFrame) -> list[FieldOverride]:
        """The ``gewinner`` decisions whose rows exist, for the harmonisation."""
        known = set(keys_of(frame).get_column("fingerprint").to_list())
        out = []
        for n, d in self._numbered("gewinner"):
            keys = [k for k in d.schluessel if k in known]
            if not keys:
                self._settle(n, CONFLICT, missing_reason(d.schluessel[0], frame))
                continue
            out.append(FieldOverride(keys[0], d.feld or "", d.wert, d.autor, d.datum))
            self._settle(
                n,
                APPLIED,
                f"Für {FIELD_LABELS.get(d.feld or '', d.feld)} gilt der "
                "festgelegte Wert.",
            )
        return out

    # result --------------------------------------------------------------

    @property
    def log(self) -> ReplayLog:
        """Every decision with its outcome, the mapping notes, load problems."""
        for n, d in enumerate(self.rezept.decisions, start=1):
            if n not in self._outcomes:
                self._outcomes[n] = ReplayEntry(
                    n, d, CONFLICT, "In diesem Lauf nicht angewendet."
                )
        broken = [
            mapping_conflict(e)
            for e in self.rezept.mapping
            if e.feld is not None and e not in self._matched
        ]
        return ReplayLog(
            [self._outcomes[n] for n in sorted(self._outcomes)],
            [*self._renamed, *broken],
            list(self.rezept.problems),
        )


def _combine(outcomes: list[tuple[str, str]]) -> tuple[str, str]:
    """One outcome for a decision over several keys."""
    statuses = {s for s, _ in outcomes}
    if statuses == {DONE}:
        return outcomes[0]
    applied = [o for o in outcomes if o[0] != CONFLICT]
    conflicts = [o for o in outcomes if o[0] == CONFLICT]
    if not applied:
        return conflicts[0]
    if conflicts:
        return (
            APPLIED,
            f"Teilweise angewendet ({len(applied)} von {len(outcomes)} Zeilen). "
            + conflicts[0][1],
        )
    return next(o for o in outcomes if o[0] == APPLIED)


def _who(d: Decision) -> str:
    parts = [p for p in (d.autor, d.datum) if p]
    return f", {', '.join(parts)}" if parts else ""


_STATUS_TEXT = {
    APPLIED: "angewendet",
    DONE: "nicht mehr nötig",
    CONFLICT: "nicht anwendbar",
}


def render_replay(log: ReplayLog, *, rezept_name: str = "rezept.toml") -> str:
    """German Markdown section of the report (no names of parents)."""
    lines = ["## Rezept: frühere Entscheidungen", ""]
    total = len(log.entries)
    lines.append(
        f"Das Rezept `{rezept_name}` enthält {total} Entscheidungen: "
        f"{log.count(APPLIED)} wurden angewendet, {log.count(DONE)} waren nicht "
        f"mehr nötig, {log.count(CONFLICT)} ließen sich nicht anwenden. Die "
        "übrigen Schritte liefen trotzdem vollständig."
    )
    lines.append("")
    if log.entries:
        lines += [
            "| Nr. | Art | von, am | Ergebnis | Begründung |",
            "|---:|---|---|---|---|",
        ]
        for e in log.entries:
            d = e.decision
            who = ", ".join(p for p in (d.autor, d.datum) if p) or "–"
            why = e.grund + (f" Notiz: {d.notiz}" if d.notiz else "")
            lines.append(
                f"| {e.nummer} | {DECISION_KINDS.get(d.art, d.art)} | {who} | "
                f"{_STATUS_TEXT[e.status]} | {_cell(why)} |"
            )
        lines.append("")
    if log.conflicts():
        lines += [
            "Nicht anwendbare Entscheidungen betreffen Zeilen, die es im neuen "
            "Export nicht mehr oder nur verändert gibt. Bitte im Notebook prüfen "
            "und neu entscheiden; die Nummer verweist auf die Reihenfolge der "
            "Einträge [[entscheidung]] im Rezept.",
            "",
        ]
    notes = [*log.mapping, *log.problems]
    if notes:
        lines += ["Spaltenzuordnung und Einstellungen aus dem Rezept:", ""]
        lines += [
            f"- {c.gegenstand}: {c.grund}" + (" (behoben)" if c.behoben else "")
            for c in notes
        ]
        lines.append("")
    return "\n".join(lines)


_SPLIT_RULES = (RULE_SPLIT_PERSONS, RULE_SPLIT_FULL_NAME)


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def name_cell_keys(
    long: pl.DataFrame, changes: pl.DataFrame, findings: pl.DataFrame
) -> pl.DataFrame:
    """Keys for ``teilen``/``nicht_teilen``: the name cells as read.

    Takes ``result.long``, ``result.changes`` and ``result.findings`` of a
    run; returns one row per split or unclear name cell with ``quelle``,
    ``zeile``, ``kind_id``, ``code`` (``name_geteilt`` or ``name_unklar``)
    and ``schluessel``.
    """
    split = changes.filter(pl.col("regel").is_in(_SPLIT_RULES))
    before = split.group_by(ROW_ID, "feld").agg(pl.col("vorher").first())
    wide = before.pivot("feld", index=ROW_ID, values="vorher")
    cells = findings.filter(pl.col("code").is_in(["name_geteilt", "name_unklar"]))
    rows = long.join(cells.select(ROW_ID, "code"), on=ROW_ID).join(
        wide, on=ROW_ID, how="left", suffix="_vorher"
    )
    out = []
    for r in rows.iter_rows(named=True):
        first = r.get("vorname_vorher") or r["vorname"]
        last = r.get("nachname_vorher") or r["nachname"]
        key = row_key(r["kind_id"], first, last)
        out.append((r["quelle"], r["zeile"], r["kind_id"], r["code"], key))
    return pl.DataFrame(
        out,
        schema=["quelle", "zeile", "kind_id", "code", "schluessel"],
        orient="row",
    )


__all__ = ["Replay", "ReplayEntry", "ReplayLog", "name_cell_keys", "render_replay"]
