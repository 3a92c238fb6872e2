"""Column mapping widget: one dropdown per target field, sample values beside.

The pure functions decide which target fields to offer
(:func:`mapping_targets`), what a column looks like (:func:`sample_values`)
and which mapping a choice of columns means (:func:`mapping_from_choice`).
:class:`MappingWidget` is a thin layer over them: the suggestion of
:func:`elternkit.mapping.suggest_mapping` (or a mapping replayed from the
Rezept) is preselected, every change shows the new column's values, and the
save button checks the mapping before it hands it to ``on_save`` (which
records it in the Rezept). Errors appear in the widget.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import polars as pl

from elternkit.errors import MappingError
from elternkit.mapping import (
    FIELD_LABELS,
    ColumnMap,
    ColumnMapping,
    check_mapping,
    suggest_mapping,
)
from elternkit.widgets.guard import guarded

logger = logging.getLogger(__name__)

#: A target of the mapping: (field, guardian slot or None).
Target = tuple[str, str | None]

#: Fields offered for every guardian even when no column was suggested.
OFFERED_FIELDS = ("vorname", "nachname", "email", "telefon")

#: Names of the lettered guardian blocks (Vater/Mutter exports).
SLOT_NAMES = {"V": "Vater", "M": "Mutter", "W": "weiblich"}

#: The dropdown entry for "this field is not in the export".
NO_COLUMN = "— keine Spalte —"


def target_label(target: Target) -> str:
    """Return the German label of a target.

    >>> target_label(("vorname", "2"))
    'Vorname (Elternblock 2)'
    >>> target_label(("email", "M"))
    'E-Mail (Mutter)'
    >>> target_label(("kind_id", None))
    'Kind-ID'
    """
    fld, slot = target
    label = FIELD_LABELS.get(fld, fld)
    if not slot:
        return label
    return f"{label} ({SLOT_NAMES.get(slot.upper(), f'Elternblock {slot}')})"


def mapping_targets(mapping: ColumnMapping) -> list[Target]:
    """Return the targets to offer: the suggested ones, then missing basics.

    Missing basics are the Kind-ID and, for each guardian block, Vorname,
    Nachname, E-Mail and Telefonnummer (a Name column that holds both names
    stands in for Vorname and Nachname).

    Examples
    --------
    >>> m = suggest_mapping(["Vorname", "Nachname", "Kind-ID"])
    >>> mapping_targets(m)  # doctest: +NORMALIZE_WHITESPACE
    [('vorname', None), ('nachname', None), ('kind_id', None),
     ('email', None), ('telefon', None)]
    """
    targets: list[Target] = []
    for c in mapping.columns:
        if c.field and (c.field, c.slot) not in targets:
            targets.append((c.field, c.slot))
    if mapping.layout == "schueler":
        return targets
    slots: list[str | None] = list(mapping.slots()) or [None]
    basics: list[Target] = [("kind_id", None)]
    for slot in slots:
        whole_name = ("volle_name", slot) in targets
        basics += [
            (f, slot)
            for f in OFFERED_FIELDS
            if not (whole_name and f in ("vorname", "nachname"))
        ]
    for target in basics:
        if target not in targets:
            targets.append(target)
    return targets


def sample_values(frame: pl.DataFrame, column: str, *, limit: int = 3) -> list[str]:
    """Return up to ``limit`` distinct non-empty values of ``column``.

    >>> df = pl.DataFrame({"E-Mail": [None, "a@x.de", "a@x.de", " ", "b@y.de"]})
    >>> sample_values(df, "E-Mail")
    ['a@x.de', 'b@y.de']
    """
    values = frame.get_column(column).cast(pl.String).str.strip_chars().drop_nulls()
    values = values.filter(values != "").unique(maintain_order=True)
    return values.head(limit).to_list()


def mapping_from_choice(
    suggestion: ColumnMapping, choice: Mapping[Target, str | None]
) -> ColumnMapping:
    """Build the mapping that a choice of one column per target means.

    Columns chosen for a target get that field (``how`` stays as suggested
    when the choice is the suggestion, else ``benutzer``); every other
    column is not used.

    Raises
    ------
    MappingError
        One column is chosen for two targets.

    Examples
    --------
    >>> s = suggest_mapping(["Vorname", "Nachname", "Kind-ID", "Ausweis"])
    >>> m = mapping_from_choice(s, {("vorname", None): "Vorname",
    ...     ("nachname", None): "Nachname", ("kind_id", None): "Ausweis"})
    >>> [(c.column, c.field, c.how) for c in m.columns]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Vorname', 'vorname', 'synonym'), ('Nachname', 'nachname', 'synonym'),
     ('Kind-ID', None, 'benutzer'), ('Ausweis', 'kind_id', 'benutzer')]
    """
    by_column: dict[str, list[Target]] = {}
    for target, column in choice.items():
        if column is not None:
            by_column.setdefault(column, []).append(target)
    twice = {c: t for c, t in by_column.items() if len(t) > 1}
    if twice:
        details = "; ".join(
            f"„{c}“ für " + " und ".join(target_label(t) for t in ts)
            for c, ts in twice.items()
        )
        raise MappingError(
            f"Eine Spalte ist mehreren Feldern zugeordnet: {details}. Jede Spalte "
            "kann nur ein Feld füllen, sonst stünde derselbe Wert in zwei "
            "IServ-Feldern. Bitte bei einem der Felder eine andere Spalte oder "
            f"„{NO_COLUMN}“ wählen."
        )
    cols = []
    for c in suggestion.columns:
        chosen = by_column.get(c.column)
        if chosen:
            fld, slot = chosen[0]
            same = (fld, slot) == (c.field, c.slot)
            how, score = (c.how, c.score) if same else ("benutzer", 100.0)
            cols.append(ColumnMap(c.column, fld, slot, how, score))
        else:
            how = c.how if c.field is None else "benutzer"
            cols.append(ColumnMap(c.column, None, None, how, 0.0))
    layout = suggestion.layout
    if layout != "schueler":
        layout = "breit" if len({c.slot for c in cols if c.slot}) >= 2 else "lang"
    return ColumnMapping(cols, layout=layout, notes=list(suggestion.notes))


class MappingWidget:
    """Choose the column of each target field of one export.

    Parameters
    ----------
    frame
        The export as read (:attr:`elternkit.read.Export.frame`).
    file_name
        Shown in messages.
    mapping
        The mapping to preselect; by default the suggestion.
    on_save
        Called with the checked mapping when the user saves; returns the
        German confirmation shown under the button.
    """

    def __init__(
        self,
        frame: pl.DataFrame,
        *,
        file_name: str,
        mapping: ColumnMapping | None = None,
        on_save: Callable[[ColumnMapping], str] | None = None,
    ) -> None:
        self.frame = frame
        self.file_name = file_name
        columns = [c for c in frame.columns if c != "zeile"]
        self.suggestion = mapping or suggest_mapping(columns)
        self.on_save = on_save
        self.targets = mapping_targets(self.suggestion)
        chosen = {(c.field, c.slot): c.column for c in self.suggestion.columns}
        options: list[tuple[str, str | None]] = [(NO_COLUMN, None)]
        options += [(c, c) for c in columns]

        self.dropdowns: dict[Target, widgets.Dropdown] = {}
        self.samples: dict[Target, widgets.HTML] = {}
        self.output = widgets.Output()
        rows = []
        for target in self.targets:
            dropdown = widgets.Dropdown(
                options=options,
                value=chosen.get(target),
                description=target_label(target),
                style={"description_width": "220px"},
                layout=widgets.Layout(width="480px"),
            )
            sample = widgets.HTML()
            self.dropdowns[target] = dropdown
            self.samples[target] = sample
            dropdown.observe(
                guarded(
                    self.output,
                    lambda t=target: self._show_sample(t),
                    context="der Anzeige der Beispielwerte",
                ),
                names="value",
            )
            self._show_sample(target)
            rows.append(widgets.HBox([dropdown, sample]))
        self.save_button = widgets.Button(
            description="Im Rezept speichern",
            button_style="primary",
            icon="save",
            layout=widgets.Layout(width="220px"),
        )
        self.save_button.on_click(
            guarded(self.output, self.save, context="dem Speichern der Zuordnung")
        )
        self.status = widgets.HTML()
        header = widgets.HTML(
            f"<b>{html.escape(file_name)}</b>: Feld ← Spalte der Exportdatei "
            "(rechts daneben Beispielwerte der gewählten Spalte)"
        )
        self.widget = widgets.VBox(
            [header, *rows, self.save_button, self.status, self.output]
        )

    def _show_sample(self, target: Target) -> None:
        column = self.dropdowns[target].value
        if column is None:
            self.samples[target].value = "<i>nicht belegt</i>"
            return
        values = sample_values(self.frame, column)
        shown = ", ".join(html.escape(v) for v in values) or "<i>(alle Zellen leer)</i>"
        self.samples[target].value = f"<small>{shown}</small>"

    def choice(self) -> dict[Target, str | None]:
        """Return the column chosen for each target."""
        return {t: d.value for t, d in self.dropdowns.items()}

    def mapping(self) -> ColumnMapping:
        """Return the mapping chosen, checked for the fields IServ needs.

        Raises
        ------
        MappingError
            A column is chosen twice, or Vorname, Nachname or Kind-ID is
            missing.
        """
        result = mapping_from_choice(self.suggestion, self.choice())
        check_mapping(result, file_name=self.file_name)
        return result

    def save(self) -> None:
        """Check the mapping and hand it to ``on_save``."""
        self.status.value = ""
        result = self.mapping()
        if self.on_save is None:
            self.status.value = "Zuordnung geprüft (kein Rezept zum Speichern)."
            return
        message = self.on_save(result)
        logger.info("mapping saved")
        self.status.value = html.escape(message)

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


__all__ = [
    "NO_COLUMN",
    "MappingWidget",
    "mapping_from_choice",
    "mapping_targets",
    "sample_values",
    "target_label",
]
