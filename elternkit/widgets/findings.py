"""Browse and filter the findings of a run in the notebook.

:func:`filter_findings` is the pure filter (severity, code, free text over
value and message); :class:`FindingsBrowser` puts two dropdowns and a text
box over it and shows the matching findings as a table.
"""

from __future__ import annotations

import html
import logging

import ipywidgets as widgets
import polars as pl

from elternkit.schema import SEVERITIES
from elternkit.widgets.guard import guarded

logger = logging.getLogger(__name__)

#: Dropdown entry for "no filter".
ALL = "alle"

#: Columns shown in the browser.
SHOWN_COLUMNS = ("zeile", "quelle", "kind_id", "feld", "wert", "schwere", "code")


def filter_findings(
    findings: pl.DataFrame,
    *,
    schwere: str | None = None,
    code: str | None = None,
    text: str = "",
) -> pl.DataFrame:
    """Return the findings of one severity and code containing ``text``.

    ``None`` (or ``"alle"``) means no filter; ``text`` is matched, ignoring
    case, against ``wert`` and ``meldung``.

    Examples
    --------
    >>> f = pl.DataFrame({"schwere": ["fehler", "hinweis", "hinweis"],
    ...     "code": ["kind_id_fehlt", "email_geteilt", "telefon_mehrere"],
    ...     "wert": [None, "a@x.de", "0351 1"], "meldung": ["x", "y", "z"]})
    >>> filter_findings(f, schwere="hinweis")["code"].to_list()
    ['email_geteilt', 'telefon_mehrere']
    >>> filter_findings(f, text="X.DE")["code"].to_list()
    ['email_geteilt']
    >>> filter_findings(f, code="alle", text="").height
    3
    """
    rule = pl.lit(True)
    if schwere not in (None, ALL):
        rule &= pl.col("schwere") == schwere
    if code not in (None, ALL):
        rule &= pl.col("code") == code
    needle = text.strip().lower()
    if needle:
        haystack = pl.concat_str(
            [pl.col("wert").fill_null(""), pl.col("meldung").fill_null("")],
            separator=" ",
        ).str.to_lowercase()
        rule &= haystack.str.contains(needle, literal=True)
    return findings.filter(rule)


def findings_html(findings: pl.DataFrame, *, limit: int = 50) -> str:
    """Render findings as an HTML table (message as a tooltip of the code)."""
    shown = [c for c in SHOWN_COLUMNS if c in findings.columns]
    head = "".join(f"<th>{c}</th>" for c in shown)
    body = []
    for row in findings.head(limit).iter_rows(named=True):
        cells = []
        for c in shown:
            value = "" if row[c] is None else html.escape(str(row[c]))
            if c == "code":
                tip = html.escape(str(row.get("meldung") or ""), quote=True)
                value = f'<span title="{tip}">{value}</span>'
            cells.append(f"<td>{value}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = (
        f"<p>… und {findings.height - limit} weitere (Filter enger stellen).</p>"
        if findings.height > limit
        else ""
    )
    return (
        f"<p>{findings.height} Befunde</p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )


class FindingsBrowser:
    """Filter the findings by severity, code and text; see the messages.

    Parameters
    ----------
    findings
        ``JobResult.findings``.
    limit
        Most rows shown at once.
    """

    def __init__(self, findings: pl.DataFrame, *, limit: int = 50) -> None:
        self.findings = findings
        self.limit = limit
        present = set(findings["schwere"].unique().to_list())
        codes = sorted(findings["code"].unique().to_list())
        self.severity = widgets.Dropdown(
            options=[ALL, *[s for s in SEVERITIES if s in present]],
            value=ALL,
            description="Schwere",
        )
        self.code = widgets.Dropdown(
            options=[ALL, *codes], value=ALL, description="Code"
        )
        self.text = widgets.Text(description="Suche", placeholder="Wert oder Meldung")
        self.message = widgets.Textarea(
            description="Meldung",
            layout=widgets.Layout(width="95%", height="90px"),
            disabled=True,
        )
        self.table = widgets.HTML()
        self.output = widgets.Output()
        refresh = guarded(self.output, self.refresh, context="dem Filtern der Befunde")
        for control in (self.severity, self.code, self.text):
            control.observe(refresh, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.severity, self.code, self.text]),
                self.message,
                self.table,
                self.output,
            ]
        )
        self.refresh()

    def selected(self) -> pl.DataFrame:
        """Return the findings that pass the current filters."""
        return filter_findings(
            self.findings,
            schwere=self.severity.value,
            code=self.code.value,
            text=self.text.value,
        )

    def refresh(self) -> None:
        """Show the filtered findings; the first one's message in full."""
        chosen = self.selected()
        self.table.value = findings_html(chosen, limit=self.limit)
        self.message.value = (
            str(chosen["meldung"][0] or "") if chosen.height else "Keine Befunde."
        )

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)
