"""Generate ``docs/codes.md``, the user documentation of every finding code.

The codes are registered by the modules that report them
(:func:`elternkit.findings.define_code`); this module imports every module of
the package so that the registry is complete, and renders it in German.

Regenerate after adding or changing a code::

    uv run python -m elternkit.codes_doc
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import elternkit
from elternkit.findings import all_codes, describe_codes

#: Where the documentation lives in the repository.
DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "codes.md"

_SEVERITY_TEXT = {
    "fehler": "Die Zeile wird nicht nach `eltern_import.csv` exportiert.",
    "warnung": "Die Zeile wird exportiert; ein Wert fehlt oder sollte geprüft werden.",
    "hinweis": "Nur zur Information; nichts wurde zurückgehalten.",
}
_PLACEHOLDER = re.compile(r"\{(wert|feld|detail)\}")
_PLACEHOLDER_TEXT = {"wert": "WERT", "feld": "FELD", "detail": "…"}


def load_all_codes() -> None:
    """Import every module of the package, so every code is registered."""
    for module in pkgutil.walk_packages(elternkit.__path__, prefix="elternkit."):
        if module.name != __name__:
            importlib.import_module(module.name)


def render_codes_markdown() -> str:
    """Return the German Markdown documentation of all registered codes.

    >>> text = render_codes_markdown()
    >>> text.startswith("# Befund-Codes")
    True
    >>> "`kind_id_fehlt`" in text
    True
    """
    load_all_codes()
    lines = [
        "# Befund-Codes",
        "",
        "Jeder Befund in `probleme.csv` und im Blatt „Probleme“ der Prüfdatei "
        "`eltern_pruefung.xlsx` hat einen festen Code. Diese Seite wird aus dem "
        "Programm erzeugt (`uv run python -m elternkit.codes_doc`); "
        "`elternkit codes` zeigt dieselbe Übersicht.",
        "",
        "Schwere: " + " ".join(f"„{s}“: {t}" for s, t in _SEVERITY_TEXT.items()),
        "",
        "## Übersicht",
        "",
        describe_codes(),
        "",
        "## Meldungen",
        "",
        "WERT steht für den gefundenen Wert, FELD für die Spalte, … für Angaben "
        "wie die Zeile, auf die sich der Befund bezieht.",
        "",
    ]
    for code in all_codes():
        text = _PLACEHOLDER.sub(lambda m: _PLACEHOLDER_TEXT[m[1]], code.template)
        lines += [
            f"### `{code.code}` ({code.severity})",
            "",
            f"**{code.title}.** {text}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def write_codes_doc(path: Path = DOC_PATH) -> Path:
    """Write the documentation to ``path`` (default ``docs/codes.md``)."""
    path.write_text(render_codes_markdown(), encoding="utf-8")
    return path


if __name__ == "__main__":
    write_codes_doc()
