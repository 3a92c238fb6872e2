"""Finding codes and the table of findings.

Every finding has a stable code (German snake_case), a severity and a German
message template with three parts: what was found, why it matters for the IServ
import, what to do. Each module that produces findings registers its codes here
with :func:`define_code`, so the documentation of all codes
(:func:`describe_codes`) is generated from one registry.

Severities:

``fehler``
    The row is held back from the import file.
``warnung``
    The row is exported, but a value was dropped or needs a person's look.
``hinweis``
    Information only; nothing was held back.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from elternkit.schema import FINDINGS_SCHEMA, ROW_ID, SEVERITIES, empty_findings


@dataclass(frozen=True)
class Code:
    """A registered finding code."""

    code: str
    severity: str
    template: str
    title: str


_REGISTRY: dict[str, Code] = {}


#: The placeholders a message template may use (plain, no format spec).
_FIELDS = ("wert", "feld", "detail")


def define_code(code: str, severity: str, title: str, template: str) -> Code:
    """Register a finding code.

    Parameters
    ----------
    code
        Stable identifier, German snake_case (``email_ungueltig``).
    severity
        One of ``fehler``, ``warnung``, ``hinweis``.
    title
        A short German title for the documentation and the report.
    template
        German message; may use ``{wert}``, ``{feld}`` and ``{detail}``.
    """
    if severity not in SEVERITIES:
        msg = f"severity must be one of {SEVERITIES}, got {severity!r}"
        raise ValueError(msg)
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (name not in _FIELDS or spec or conversion):
            msg = f"template of {code!r} may use only {_FIELDS}, got {{{name}}}"
            raise ValueError(msg)
    existing = _REGISTRY.get(code)
    entry = Code(code, severity, template, title)
    if existing is not None and existing != entry:
        msg = f"finding code {code!r} is defined twice with different texts"
        raise ValueError(msg)
    _REGISTRY[code] = entry
    return entry


def get_code(code: str) -> Code:
    """Return the registered code, raising ``KeyError`` for unknown codes."""
    return _REGISTRY[code]


def all_codes() -> list[Code]:
    """Return every registered code, sorted by severity and code."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(_REGISTRY.values(), key=lambda c: (order[c.severity], c.code))


def describe_codes() -> str:
    """Return a German Markdown table documenting every finding code."""
    lines = ["| Code | Schwere | Bedeutung |", "|---|---|---|"]
    lines += [f"| `{c.code}` | {c.severity} | {c.title} |" for c in all_codes()]
    return "\n".join(lines)


def format_message(
    code: str, *, wert: str | None = None, feld: str | None = None, detail: str = ""
) -> str:
    """Fill the template of ``code``."""
    entry = get_code(code)
    return entry.template.format(
        wert="" if wert is None else wert, feld=feld or "", detail=detail
    ).strip()


def message_expr(
    code: str, *, wert: pl.Expr, feld: str | None, detail: pl.Expr
) -> pl.Expr:
    """Expression filling the template of ``code`` per row, as ``format_message``.

    >>> df = pl.DataFrame({"w": ["#NV", None], "d": ["", "x"]})
    >>> expr = message_expr("platzhalter", wert=pl.col("w"), feld="vorname",
    ...                     detail=pl.col("d"))
    >>> df.select(expr)["meldung"][0] == format_message(
    ...     "platzhalter", wert="#NV", feld="vorname")
    True
    """
    values = {
        "wert": wert.cast(pl.String).fill_null(""),
        "feld": pl.lit(feld or "", pl.String),
        "detail": detail.cast(pl.String).fill_null(""),
    }
    # an empty text per row first, so a template without placeholders still
    # gives one message per row
    parts: list[pl.Expr] = [values["wert"].str.slice(0, 0)]
    for literal, name, _, _ in string.Formatter().parse(get_code(code).template):
        if literal:
            parts.append(pl.lit(literal, pl.String))
        if name is not None:  # define_code allows only plain {wert} {feld} {detail}
            parts.append(values[name])
    return pl.concat_str(parts).str.strip_chars().alias("meldung")


@dataclass(frozen=True)
class Hit:
    """A finding about one value, before it is tied to the rows holding it."""

    code: str
    detail: str = ""
    wert: str | None = None


def findings_for_rows(
    rows: pl.DataFrame,
    *,
    code: str,
    feld: str | None,
    wert: pl.Expr | str | None = None,
    detail: pl.Expr | str = "",
) -> pl.DataFrame:
    """Build findings for every row of ``rows`` (a slice of the long table).

    ``wert`` is an expression over ``rows`` or a literal; by default the value
    of ``feld`` in each row. ``detail`` is a literal or an expression giving
    each row its own detail text. Messages are formatted once per distinct
    (wert, detail).
    """
    if rows.is_empty():
        return empty_findings()
    entry = get_code(code)
    if wert is None:
        wert_expr = pl.col(feld) if feld in rows.columns else pl.lit(None, pl.String)
    elif isinstance(wert, pl.Expr):
        wert_expr = wert
    else:
        wert_expr = pl.lit(wert, pl.String)
    context = [
        pl.col(c) if c in rows.columns else pl.lit(None, FINDINGS_SCHEMA[c]).alias(c)
        for c in (ROW_ID, "zeile", "quelle", "kind_id")
    ]
    out = rows.select(
        *context,
        pl.lit(feld, pl.String).alias("feld"),
        wert_expr.cast(pl.String).alias("wert"),
        pl.lit(entry.severity).alias("schwere"),
        pl.lit(code).alias("code"),
        (detail if isinstance(detail, pl.Expr) else pl.lit(detail))
        .cast(pl.String)
        .fill_null("")
        .alias("_detail"),
    )
    out = out.with_columns(
        message_expr(code, wert=pl.col("wert"), feld=feld, detail=pl.col("_detail"))
    )
    return out.drop("_detail").cast(FINDINGS_SCHEMA)


def finding_rows(records: Iterable[Mapping[str, object]]) -> pl.DataFrame:
    """Build a findings table from dicts with the findings columns.

    ``meldung`` is filled from the code's template when missing; ``schwere``
    from the registry.
    """
    rows = []
    for rec in records:
        entry = get_code(str(rec["code"]))
        row = {name: rec.get(name) for name in FINDINGS_SCHEMA}
        row["schwere"] = entry.severity
        if row.get("meldung") is None:
            row["meldung"] = format_message(
                entry.code,
                wert=rec.get("wert"),  # type: ignore[arg-type]
                feld=rec.get("feld"),  # type: ignore[arg-type]
                detail=str(rec.get("detail") or ""),
            )
        rows.append(row)
    if not rows:
        return empty_findings()
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA)


def held_findings(findings: pl.DataFrame) -> pl.DataFrame:
    """Return the findings that hold their row back: ``fehler`` with a ``_row``."""
    return findings.filter(
        (pl.col("schwere") == "fehler") & pl.col(ROW_ID).is_not_null()
    )


def concat_findings(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Concatenate findings tables, keeping the canonical schema."""
    frames = [f.select(list(FINDINGS_SCHEMA)).cast(FINDINGS_SCHEMA) for f in frames]
    frames = [f for f in frames if not f.is_empty()]
    return pl.concat(frames) if frames else empty_findings()
