"""The entries of a Rezept: decisions, the problems found in it, read settings.

:class:`Decision` is one ``[[entscheidung]]`` (keyed by :func:`row_key`
fingerprints), :class:`Conflict` something that did not apply, and
:class:`SourceSettings` the ``[quelle]`` table. :mod:`elternkit.rezept` reads
and writes the file around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from elternkit.persons import PairDecision
from elternkit.text import fold_name

#: Kinds of decision (``art``) and their German description.
DECISION_KINDS: dict[str, str] = {
    "gleich": "zwei Einträge sind dieselbe Person",
    "verschieden": "zwei Einträge sind verschiedene Personen",
    "tauschen": "Vor- und Nachname tauschen",
    "teilen": "ein Namensfeld mit mehreren Personen aufteilen",
    "nicht_teilen": "ein Namensfeld nicht aufteilen",
    "ausschliessen": "ein Elternteil nicht exportieren",
    "wert": "einen Wert festlegen",
    "gewinner": "festlegen, welcher Wert einer Person gilt",
}
#: Fields a ``wert`` or ``gewinner`` decision may set.
VALUE_FIELDS = ("vorname", "nachname", "adresse", "email", "telefon")


def row_key(kind_id: str | None, vorname: str | None, nachname: str | None) -> str:
    """Return the fingerprint that keys a decision about one guardian row.

    The same key as :func:`elternkit.persons_keys.fingerprint_expr` gives for
    a row of the long table.

    >>> row_key(" 1001", "Jörg", "Weiß")
    '1001|joerg|weiss'
    >>> row_key("1002", "ANNA UND LARS", "Müller")
    '1002|annaundlars|mueller'
    """
    return "|".join(((kind_id or "").strip(), fold_name(vorname), fold_name(nachname)))


@dataclass(frozen=True)
class Decision:
    """One recorded decision (``[[entscheidung]]``).

    Attributes
    ----------
    art
        One of :data:`DECISION_KINDS`.
    schluessel
        Row fingerprints (:func:`row_key`): two for ``gleich``/``verschieden``,
        one or more for the others (every row the decision is about).
    feld, wert
        For ``wert`` and ``gewinner``: the field and its value (``None``
        empties it).
    alt
        For ``wert``: the value the source had when the decision was taken; if
        the source now holds something else, the decision is a conflict.
    teile
        For ``teilen``: ``(vorname, nachname)`` of each person in the cell.
    autor, datum, notiz
        Who decided, when (ISO date), and why.
    """

    art: str
    schluessel: tuple[str, ...]
    feld: str | None = None
    wert: str | None = None
    alt: str | None = None
    teile: tuple[tuple[str, str], ...] = ()
    autor: str | None = None
    datum: str | None = None
    notiz: str | None = None

    @classmethod
    def from_pair(
        cls,
        pair: PairDecision,
        *,
        autor: str | None = None,
        datum: str | None = None,
        notiz: str | None = None,
    ) -> Decision:
        """Record a review widget's :class:`PairDecision`."""
        return cls(
            "gleich" if pair.same else "verschieden",
            (pair.key_a, pair.key_b),
            autor=autor or pair.author,
            datum=datum or pair.date or date.today().isoformat(),
            notiz=notiz or pair.note,
        )

    def problem(self) -> str | None:
        """Return why this decision cannot be applied, in German, or None."""
        if self.art not in DECISION_KINDS:
            kinds = ", ".join(DECISION_KINDS)
            return f"unbekannte Art „{self.art}“ (möglich: {kinds})"
        wanted = 2 if self.art in ("gleich", "verschieden") else 1
        if len(self.schluessel) < wanted or not all(self.schluessel):
            return f"es fehlt ein Schlüssel (nötig: {wanted})"
        if self.art in ("wert", "gewinner") and self.feld not in VALUE_FIELDS:
            return f"Feld „{self.feld or ''}“ ist keins von {', '.join(VALUE_FIELDS)}"
        if self.art == "teilen" and len(self.teile) < 2:
            return "„teile“ muss mindestens zwei Personen [Vorname, Nachname] nennen"
        return None


@dataclass(frozen=True)
class Conflict:
    """Something of the Rezept that did not apply (or applied only changed).

    ``nummer`` is the position of the decision in the Rezept (1-based) or None
    for the mapping and options; ``gegenstand`` says what (German, no personal
    data), ``grund`` why and what to do; ``behoben`` marks a problem that
    elternkit solved itself (a renamed column found again).
    """

    gegenstand: str
    grund: str
    nummer: int | None = None
    behoben: bool = False


@dataclass
class SourceSettings:
    """Forced read settings (``[quelle]``); None means detect."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None


def toml_text(value: object) -> str | None:
    """A TOML value as stripped text; None for a missing or empty value."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def decision_from(raw: dict) -> tuple[Decision | None, str | None]:
    keys = raw.get("schluessel")
    keys = [keys] if isinstance(keys, str) else keys
    if keys is None:
        return None, "es fehlt „schluessel“"
    if not isinstance(keys, list):
        return None, f"„schluessel“ muss Text oder eine Liste sein, nicht „{keys}“"
    teile = raw.get("teile") or []
    try:
        parts = tuple((str(v), str(n)) for v, n in teile)
    except (TypeError, ValueError):
        return None, "„teile“ muss eine Liste von [Vorname, Nachname] sein"
    decision = Decision(
        str(raw.get("art") or ""),
        tuple(str(k).strip() for k in keys),
        feld=toml_text(raw.get("feld")),
        wert=toml_text(raw.get("wert")),
        alt=toml_text(raw.get("alt")),
        teile=parts,
        autor=toml_text(raw.get("autor")),
        datum=toml_text(raw.get("datum")),
        notiz=toml_text(raw.get("notiz")),
    )
    return decision, decision.problem()
