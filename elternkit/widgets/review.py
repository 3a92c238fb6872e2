"""Review widget for unsure duplicate pairs (ipywidgets).

Shows one unsure pair at a time with the evidence side by side and three
buttons: ``gleich``, ``verschieden``, ``überspringen``. The decisions come
back as plain :class:`~elternkit.persons.PairDecision` objects (keyed by row
fingerprints) that the Rezept stores and :func:`~elternkit.persons.find_duplicates`
applies. Button callbacks are thin and wrapped so that an error shows in the
widget's output area instead of vanishing in the browser console.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable

import ipywidgets as widgets
import polars as pl

from elternkit.persons import PairDecision

logger = logging.getLogger(__name__)

#: Rows of the evidence table: (label, pairs-table column without _a/_b).
EVIDENCE_ROWS = (
    ("Vorname", "vorname"),
    ("Nachname", "nachname"),
    ("Adresse", "adresse"),
    ("E-Mail", "email"),
    ("Telefon", "telefon"),
    ("Kind-ID", "kind_id"),
    ("Klasse", "klasse"),
    ("Zeile", "zeile"),
    ("Quelle", "quelle"),
)


def _cell(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def evidence_html(pair: dict[str, object]) -> str:
    """Render one pair (a row of the pairs table) as an HTML table.

    Values that differ between both sides are shown in bold.
    """
    rows = []
    for label, col in EVIDENCE_ROWS:
        a, b = pair.get(f"{col}_a"), pair.get(f"{col}_b")
        style = ' style="font-weight:bold"' if a != b else ""
        rows.append(
            f"<tr{style}><th>{label}</th><td>{_cell(a)}</td><td>{_cell(b)}</td></tr>"
        )
    reason = _cell(pair.get("grund"))
    return (
        '<table class="elternkit-review"><thead><tr><th></th><th>A</th><th>B</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table><p>Grund: {reason}</p>"
    )


class ReviewWidget:
    """Step through the unsure pairs of a resolution and record decisions.

    Parameters
    ----------
    pairs_frame
        ``Resolution.pairs``; only pairs with ``entscheidung == "unsicher"``
        are shown.
    long_frame
        The long table; used to show the pupil's name next to the Kind-ID.
    author
        Stored with each decision (who decided).
    date
        Stored with each decision; today's date by default.
    """

    def __init__(
        self,
        pairs_frame: pl.DataFrame,
        long_frame: pl.DataFrame,
        *,
        author: str | None = None,
        date: str | None = None,
    ) -> None:
        unsure = pairs_frame.filter(pl.col("entscheidung") == "unsicher")
        self.pairs: list[dict[str, object]] = unsure.to_dicts()
        self._pupils = self._pupil_names(long_frame)
        self.author = author
        self.date = date or dt.date.today().isoformat()
        self._decided: dict[int, PairDecision] = {}
        self.position = 0

        self.progress = widgets.Label()
        self.evidence = widgets.HTML()
        self.note = widgets.Text(placeholder="Notiz (optional)")
        self.same_button = widgets.Button(description="gleich", button_style="success")
        self.different_button = widgets.Button(
            description="verschieden", button_style="danger"
        )
        self.skip_button = widgets.Button(description="überspringen")
        self.output = widgets.Output()
        self.same_button.on_click(self._wrap(lambda: self._decide(same=True)))
        self.different_button.on_click(self._wrap(lambda: self._decide(same=False)))
        self.skip_button.on_click(self._wrap(self._skip))
        buttons = widgets.HBox(
            [self.same_button, self.different_button, self.skip_button]
        )
        self.widget = widgets.VBox(
            [self.progress, self.evidence, self.note, buttons, self.output]
        )
        self._show()

    @staticmethod
    def _pupil_names(frame: pl.DataFrame) -> dict[str, str]:
        cols = [c for c in ("kind_vorname", "kind_nachname") if c in frame.columns]
        if "kind_id" not in frame.columns or not cols:
            return {}
        names = frame.select(
            "kind_id", pl.concat_str(cols, separator=" ", ignore_nulls=True).alias("n")
        ).filter(pl.col("kind_id").is_not_null() & (pl.col("n") != ""))
        return dict(names.unique("kind_id", keep="first").iter_rows())

    def _wrap(self, action: Callable[[], None]) -> Callable[[widgets.Button], None]:
        def handler(_button: widgets.Button) -> None:
            try:
                action()
            except Exception as exc:  # shown to the user, not swallowed
                logger.warning("review action failed: %s", type(exc).__name__)
                self.output.append_stderr(f"Fehler in der Dublettenprüfung: {exc}\n")

        return handler

    def _with_pupils(self, pair: dict[str, object]) -> dict[str, object]:
        shown = dict(pair)
        for side in ("a", "b"):
            ids = str(pair.get(f"kind_id_{side}") or "")
            labels = [
                f"{k} ({self._pupils[k]})" if k in self._pupils else k
                for k in ids.split(", ")
                if k
            ]
            shown[f"kind_id_{side}"] = ", ".join(labels) or None
        return shown

    def _show(self) -> None:
        total = len(self.pairs)
        if self.position >= total:
            self.progress.value = (
                f"Fertig: {len(self._decided)} von {total} Paaren entschieden."
            )
            self.evidence.value = "<p>Keine weiteren unsicheren Paare.</p>"
            for button in (self.same_button, self.different_button, self.skip_button):
                button.disabled = True
            return
        self.progress.value = (
            f"Paar {self.position + 1} von {total} ({len(self._decided)} entschieden)"
        )
        self.evidence.value = evidence_html(
            self._with_pupils(self.pairs[self.position])
        )
        self.note.value = ""

    def _decide(self, *, same: bool) -> None:
        if self.position >= len(self.pairs):
            return
        pair = self.pairs[self.position]
        self._decided[self.position] = PairDecision(
            key_a=str(pair["key_a"]),
            key_b=str(pair["key_b"]),
            same=same,
            author=self.author,
            date=self.date,
            note=self.note.value or None,
        )
        self.position += 1
        self._show()

    def _skip(self) -> None:
        self.position += 1
        self._show()

    @property
    def decisions(self) -> list[PairDecision]:
        """The decisions taken so far, in the order of the pairs."""
        return [self._decided[i] for i in sorted(self._decided)]

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)
