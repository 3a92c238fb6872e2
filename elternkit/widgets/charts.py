"""Data-quality charts for the notebooks: plain HTML bars, no plotting library.

The pure functions count (:func:`fill_overview`, :func:`findings_overview`);
:func:`bar_chart_html` draws horizontal bars that people look at rather than
read. Bars are HTML ``div`` elements with inline styles, so they render in
JupyterLab, in a saved notebook and in a browser without any extension.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import polars as pl
from IPython.display import HTML

from elternkit.findings import get_code
from elternkit.read import Export
from elternkit.schema import SEVERITIES

#: Colours of the severities and of filled/missing cells.
COLORS = {
    "fehler": "#c0392b",
    "warnung": "#e67e22",
    "hinweis": "#2980b9",
    "gefuellt": "#27ae60",
    "leer": "#bdc3c7",
}


def fill_overview(frame: pl.DataFrame) -> pl.DataFrame:
    """Count filled and empty cells per column of an export.

    A cell is empty when it is null or only whitespace. The column ``zeile``
    (added by the reader) is left out.

    Examples
    --------
    >>> df = pl.DataFrame({"zeile": [2, 3, 4], "Vorname": ["Anna", None, " "],
    ...                    "Kind-ID": ["001", "002", "003"]})
    >>> fill_overview(df).rows()
    [('Vorname', 1, 2), ('Kind-ID', 3, 0)]
    """
    rows = []
    for name in frame.columns:
        if name == "zeile":
            continue
        text = frame.get_column(name).cast(pl.String)
        filled = int((text.str.strip_chars().fill_null("") != "").sum())
        rows.append((name, filled, frame.height - filled))
    return pl.DataFrame(
        rows,
        schema={"spalte": pl.String, "gefuellt": pl.Int64, "leer": pl.Int64},
        orient="row",
    )


def detection_overview(exports: Sequence[Export]) -> pl.DataFrame:
    """Tabulate what the reader detected in each export.

    Columns: ``datei``, ``format``, ``kodierung``, ``trennzeichen``,
    ``blatt``, ``kopfzeile``, ``zeilen``, ``spalten``.
    """
    rows = [
        (
            e.info.path.name,
            e.info.format,
            e.info.encoding,
            {"\t": "Tab"}.get(e.info.delimiter or "", e.info.delimiter),
            e.info.sheet,
            e.info.header_row,
            e.frame.height,
            len(e.info.columns),
        )
        for e in exports
    ]
    return pl.DataFrame(
        rows,
        schema={
            "datei": pl.String,
            "format": pl.String,
            "kodierung": pl.String,
            "trennzeichen": pl.String,
            "blatt": pl.String,
            "kopfzeile": pl.Int64,
            "zeilen": pl.Int64,
            "spalten": pl.Int64,
        },
        orient="row",
    )


def findings_overview(findings: pl.DataFrame) -> pl.DataFrame:
    """Count findings by code, most severe first, then most frequent.

    Returns the columns ``schwere``, ``code``, ``titel`` and ``anzahl``.

    Examples
    --------
    >>> from elternkit.findings import finding_rows
    >>> import elternkit.pipeline  # registers the codes of all stages
    >>> f = finding_rows([{"code": "kind_id_fehlt"}, {"code": "email_geteilt"},
    ...                   {"code": "email_geteilt"}])
    >>> findings_overview(f).select("schwere", "code", "anzahl").rows()
    [('fehler', 'kind_id_fehlt', 1), ('hinweis', 'email_geteilt', 2)]
    """
    schema = {
        "schwere": pl.String,
        "code": pl.String,
        "titel": pl.String,
        "anzahl": pl.Int64,
    }
    if findings.is_empty():
        return pl.DataFrame(schema=schema)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    counted = (
        findings.group_by("schwere", "code")
        .len("anzahl")
        .with_columns(
            pl.col("code")
            .map_elements(lambda c: get_code(c).title, return_dtype=pl.String)
            .alias("titel"),
            pl.col("schwere").replace_strict(order, default=99).alias("_rang"),
        )
        .sort(["_rang", "anzahl", "code"], descending=[False, True, False])
    )
    return counted.select(list(schema)).cast(schema)


def bar_chart_html(
    labels: Sequence[str],
    segments: Sequence[Sequence[int]],
    *,
    names: Sequence[str],
    colors: Sequence[str],
    title: str,
    width_px: int = 360,
) -> str:
    """Draw horizontal (optionally stacked) bars as HTML.

    Parameters
    ----------
    labels
        One label per bar.
    segments
        Per bar, the values of its segments (one per entry of ``names``).
    names, colors
        Legend text and CSS colour of each segment.
    title
        Heading above the chart.
    width_px
        Width of the longest bar.

    Examples
    --------
    >>> out = bar_chart_html(["Vorname"], [[3, 1]], names=["gefüllt", "leer"],
    ...                      colors=["green", "grey"], title="Spalten")
    >>> "Vorname" in out and "gefüllt" in out and 'title="leer: 1"' in out
    True
    """
    largest = max((sum(s) for s in segments), default=0) or 1
    legend = " ".join(
        f'<span style="display:inline-block;width:10px;height:10px;'
        f'background:{c}"></span> {html.escape(n)}'
        for n, c in zip(names, colors, strict=True)
    )
    rows = []
    for label, values in zip(labels, segments, strict=True):
        bars = "".join(
            f'<div title="{html.escape(n)}: {v}" style="display:inline-block;'
            f"height:14px;width:{round(width_px * v / largest)}px;"
            f'background:{c}"></div>'
            for n, c, v in zip(names, colors, values, strict=True)
            if v
        )
        numbers = " / ".join(str(v) for v in values)
        rows.append(
            f'<tr><td style="text-align:right;padding-right:6px">'
            f'{html.escape(label)}</td><td style="white-space:nowrap">{bars}'
            f" <small>{numbers}</small></td></tr>"
        )
    return (
        f'<div class="elternkit-chart"><b>{html.escape(title)}</b><br>{legend}'
        f"<table>{''.join(rows)}</table></div>"
    )


def show_fill_chart(frame: pl.DataFrame, *, title: str) -> HTML:
    """Chart of filled and empty cells per column (see :func:`fill_overview`)."""
    counts = fill_overview(frame)
    return HTML(
        bar_chart_html(
            counts["spalte"].to_list(),
            counts.select("gefuellt", "leer").rows(),
            names=["gefüllt", "leer"],
            colors=[COLORS["gefuellt"], COLORS["leer"]],
            title=title,
        )
    )


def show_findings_chart(findings: pl.DataFrame, *, title: str) -> HTML:
    """Chart of the findings by kind, coloured by severity."""
    counts = findings_overview(findings)
    if counts.is_empty():
        return HTML(f"<p><b>{html.escape(title)}</b>: keine Befunde.</p>")
    segments = [
        [n if s == severity else 0 for severity in SEVERITIES]
        for s, n in counts.select("schwere", "anzahl").iter_rows()
    ]
    return HTML(
        bar_chart_html(
            [f"{t} ({c})" for c, t in counts.select("code", "titel").iter_rows()],
            segments,
            names=list(SEVERITIES),
            colors=[COLORS[s] for s in SEVERITIES],
            title=title,
        )
    )
