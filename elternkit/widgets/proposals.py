"""Proposals of the field rules, accepted or rejected by a person.

Three rules propose instead of deciding alone: swapped first and last names
(``namen_vertauscht``, reported unless the option is on), two persons in one
name cell (``name_geteilt``, split, to be confirmed) and e-mail domains with
a typo (``email_tippfehler``, never changed on its own). :func:`collect_proposals`
gathers them from a run into one table; :func:`proposal_decision` turns a
person's answer into a Rezept :class:`~elternkit.rezept.Decision`, keyed by the
row's content fingerprint so that it applies again next year.
:class:`ProposalsWidget` shows one line per proposal with three choices.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable

import ipywidgets as widgets
import polars as pl

from elternkit.clean_email import suggest_email_domain
from elternkit.replay import name_cell_keys
from elternkit.rezept import Decision, row_key
from elternkit.split_names import RULE_SPLIT_FULL_NAME, RULE_SPLIT_PERSONS
from elternkit.widgets.guard import guarded

logger = logging.getLogger(__name__)

#: Columns of the proposals table.
PROPOSAL_SCHEMA = {
    "art": pl.String,
    "zeile": pl.Int64,
    "quelle": pl.String,
    "kind_id": pl.String,
    "schluessel": pl.String,
    "feld": pl.String,
    "vorher": pl.String,
    "vorschlag": pl.String,
    "teile": pl.List(pl.List(pl.String)),
}

SPLIT_RULES = (RULE_SPLIT_PERSONS, RULE_SPLIT_FULL_NAME)

#: German names of the kinds of proposal.
KIND_LABELS = {
    "tauschen": "Vor- und Nachname tauschen",
    "teilen": "Namensfeld in Personen teilen",
    "email": "E-Mail-Tippfehler berichtigen",
}

#: The three answers a person can give.
CHOICES = ("offen", "annehmen", "ablehnen")


def _swaps(long: pl.DataFrame, rows: list[int]) -> list[dict[str, object]]:
    found = long.filter(pl.col("_row").is_in(rows))
    return [
        {
            "art": "tauschen",
            "zeile": r["zeile"],
            "quelle": r["quelle"],
            "kind_id": r["kind_id"],
            "schluessel": row_key(r["kind_id"], r["vorname"], r["nachname"]),
            "feld": "vorname, nachname",
            "vorher": f"{r['vorname']} {r['nachname']}",
            "vorschlag": f"{r['nachname']} {r['vorname']}",
        }
        for r in found.iter_rows(named=True)
    ]


def _emails(long: pl.DataFrame, rows: list[int]) -> list[dict[str, object]]:
    out = []
    for r in long.filter(pl.col("_row").is_in(rows)).iter_rows(named=True):
        local, _, domain = str(r["email"] or "").rpartition("@")
        proposal = suggest_email_domain(domain) if local else None
        if proposal is None:
            continue
        out.append(
            {
                "art": "email",
                "zeile": r["zeile"],
                "quelle": r["quelle"],
                "kind_id": r["kind_id"],
                "schluessel": row_key(r["kind_id"], r["vorname"], r["nachname"]),
                "feld": "email",
                "vorher": r["email"],
                "vorschlag": f"{local}@{proposal}",
            }
        )
    return out


def _splits(
    long: pl.DataFrame, changes: pl.DataFrame, findings: pl.DataFrame
) -> list[dict[str, object]]:
    cells = name_cell_keys(long, changes, findings).filter(
        pl.col("code") == "name_geteilt"
    )
    split = changes.filter(pl.col("regel").is_in(SPLIT_RULES))
    out = []
    for cell in cells.unique(["quelle", "zeile"], maintain_order=True).iter_rows(
        named=True
    ):
        here = (pl.col("quelle") == cell["quelle"]) & (pl.col("zeile") == cell["zeile"])
        part = split.filter(here)
        rows = long.filter(pl.col("_row").is_in(part["_row"].implode()))
        before = dict(zip(part["feld"], part["vorher"], strict=False))
        first = rows.row(0, named=True) if rows.height else {}
        vorname = before.get("vorname", first.get("vorname"))
        nachname = before.get("nachname", first.get("nachname"))
        persons = [
            f"{r['vorname']} {r['nachname']}" for r in rows.iter_rows(named=True)
        ]
        out.append(
            {
                "art": "teilen",
                "zeile": cell["zeile"],
                "quelle": cell["quelle"],
                "kind_id": cell["kind_id"],
                "schluessel": cell["schluessel"],
                "feld": ", ".join(sorted(before)),
                "vorher": f"{vorname or ''} {nachname or ''}".strip(),
                "vorschlag": " | ".join(persons),
                "teile": [
                    [r["vorname"], r["nachname"]] for r in rows.iter_rows(named=True)
                ],
            }
        )
    return out


def collect_proposals(
    long: pl.DataFrame, findings: pl.DataFrame, changes: pl.DataFrame
) -> pl.DataFrame:
    """Gather the proposals of a run (``JobResult.long``, ``.findings``, ``.changes``).

    Returns one row per proposal with the columns of :data:`PROPOSAL_SCHEMA`:
    ``art`` (``tauschen``, ``teilen``, ``email``), where it is (``zeile``,
    ``quelle``, ``kind_id``), the row fingerprint ``schluessel``, ``vorher``
    and ``vorschlag`` (for splits also ``teile``: first and last name of each
    person). Values come from the cleaned rows before the persons
    were made identical.
    """

    def rows_of(code: str) -> list[int]:
        hit = findings.filter((pl.col("code") == code) & pl.col("_row").is_not_null())
        return hit["_row"].unique().to_list()

    records = [
        *_swaps(long, rows_of("namen_vertauscht")),
        *_splits(long, changes, findings),
        *_emails(long, rows_of("email_tippfehler")),
    ]
    if not records:
        return pl.DataFrame(schema=PROPOSAL_SCHEMA)
    return pl.DataFrame(records, schema=PROPOSAL_SCHEMA).sort("art", "quelle", "zeile")


def proposal_decision(
    proposal: dict[str, object],
    *,
    accepted: bool,
    autor: str | None = None,
    datum: str | None = None,
    notiz: str | None = None,
) -> Decision | None:
    """Turn an answer to a proposal into the decision the Rezept records.

    Accepting a swap records ``tauschen``, an e-mail typo a ``wert`` for the
    e-mail (with the old value, so a changed source shows as a conflict), a
    split ``teilen`` with the persons; rejecting a split records
    ``nicht_teilen``. Rejecting a swap or a typo changes nothing and records
    nothing (None).

    Examples
    --------
    >>> p = {"art": "email", "schluessel": "1|anna|weiss", "feld": "email",
    ...      "vorher": "anna@gmx.dee", "vorschlag": "anna@gmx.de"}
    >>> d = proposal_decision(p, accepted=True, datum="2025-08-01")
    >>> d.art, d.feld, d.wert, d.alt
    ('wert', 'email', 'anna@gmx.de', 'anna@gmx.dee')
    >>> proposal_decision(p, accepted=False) is None
    True
    """
    key = (str(proposal["schluessel"]),)
    common = {
        "autor": autor,
        "datum": datum or dt.date.today().isoformat(),
        "notiz": notiz,
    }
    art = proposal["art"]
    if art == "teilen":
        if not accepted:
            return Decision("nicht_teilen", key, **common)
        teile = tuple(tuple(p) for p in proposal.get("teile") or ())
        return Decision("teilen", key, teile=teile, **common)  # type: ignore[arg-type]
    if not accepted:
        return None
    if art == "tauschen":
        return Decision("tauschen", key, **common)
    return Decision(
        "wert",
        key,
        feld="email",
        wert=str(proposal["vorschlag"]),
        alt=str(proposal["vorher"]),
        **common,
    )


class ProposalsWidget:
    """Accept or reject each proposal; saving hands the decisions on.

    Parameters
    ----------
    proposals
        The table of :func:`collect_proposals`.
    on_save
        Called with the decisions when the user saves; returns the German
        confirmation shown under the button.
    author
        Stored with each decision.
    """

    def __init__(
        self,
        proposals: pl.DataFrame,
        *,
        on_save: Callable[[list[Decision]], str] | None = None,
        author: str | None = None,
    ) -> None:
        self.proposals = proposals.to_dicts()
        self.on_save = on_save
        self.author = author
        self.output = widgets.Output()
        self.choices: list[widgets.ToggleButtons] = []
        rows = []
        for p in self.proposals:
            toggle = widgets.ToggleButtons(options=list(CHOICES), value="offen")
            self.choices.append(toggle)
            text = (
                f"<b>{html.escape(KIND_LABELS[str(p['art'])])}</b> – "
                f"{html.escape(str(p['quelle']))}, Zeile {p['zeile']}: "
                f"„{html.escape(str(p['vorher']))}“ → "
                f"„{html.escape(str(p['vorschlag']))}“"
            )
            rows.append(widgets.VBox([widgets.HTML(text), toggle]))
        if not rows:
            rows.append(widgets.HTML("<p>Keine Vorschläge in diesem Export.</p>"))
        self.save_button = widgets.Button(
            description="Entscheidungen speichern", button_style="primary", icon="save"
        )
        self.save_button.on_click(
            guarded(self.output, self.save, context="dem Speichern der Vorschläge")
        )
        self.status = widgets.HTML()
        self.widget = widgets.VBox([*rows, self.save_button, self.status, self.output])

    def decisions(self) -> list[Decision]:
        """Return the decisions for the proposals answered so far."""
        out = []
        for p, toggle in zip(self.proposals, self.choices, strict=True):
            if toggle.value == "offen":
                continue
            decision = proposal_decision(
                p, accepted=toggle.value == "annehmen", autor=self.author
            )
            if decision is not None:
                out.append(decision)
        return out

    def save(self) -> None:
        """Hand the decisions to ``on_save`` and show its confirmation."""
        decisions = self.decisions()
        if self.on_save is None:
            self.status.value = f"{len(decisions)} Entscheidungen (nicht gespeichert)."
            return
        self.status.value = html.escape(self.on_save(decisions))
        logger.info("%d proposal decisions saved", len(decisions))

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)
