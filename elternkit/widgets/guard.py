"""Run widget callbacks so that an error shows inside the notebook.

An exception raised in an ipywidgets callback only reaches the browser's
console, where a trainer never looks. :func:`guarded` wraps a callback so
that the German message of an elternkit error (or a short note for any other
error) appears in the widget's own :class:`ipywidgets.Output` area.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from elternkit.errors import ElternkitError

logger = logging.getLogger(__name__)


def error_text(exc: BaseException, *, context: str) -> str:
    """Return the German text shown for an error raised in ``context``.

    >>> from elternkit.errors import MappingError
    >>> error_text(MappingError("Spalte fehlt."), context="der Zuordnung")
    'Fehler bei der Zuordnung: Spalte fehlt.'
    >>> error_text(ValueError("kaputt"), context="der Zuordnung")[:46]
    'Fehler bei der Zuordnung: kaputt (ValueError).'
    """
    if isinstance(exc, ElternkitError):
        return f"Fehler bei {context}: {exc}"
    return (
        f"Fehler bei {context}: {exc} ({type(exc).__name__}). Bitte die Eingaben "
        "prüfen und erneut versuchen; bleibt der Fehler, bitte als Fehler von "
        "elternkit melden."
    )


def guarded(
    output: widgets.Output, action: Callable[[], Any], *, context: str
) -> Callable[..., None]:
    """Wrap ``action`` as a widget callback whose errors go to ``output``.

    The returned callable accepts and ignores the arguments ipywidgets passes
    (the button, or the change dict of an observer).
    """

    def handler(*_args: object) -> None:
        try:
            action()
        except Exception as exc:  # shown to the user, never swallowed
            logger.warning("%s failed: %s", context, type(exc).__name__)
            output.append_stderr(error_text(exc, context=context) + "\n")

    return handler
