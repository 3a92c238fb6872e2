"""The ``[optionen]`` table of a Rezept: German keys for :class:`Options`.

Keys follow the command line (``namen_tauschen`` for ``--namen-tauschen``);
the English attribute names of :class:`elternkit.options.Options` are accepted
too. An option added to :class:`Options` later is written under its attribute
name until it gets a German key here.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping

from elternkit.options import Options

#: Attribute of :class:`Options` → key in the Rezept.
GERMAN_KEYS: dict[str, str] = {
    "apply_swaps": "namen_tauschen",
    "phone_format": "telefon_format",
    "shared_email": "geteilte_email",
    "hold_auskunftssperre": "sperre_zurueckhalten",
    "merge_unsure": "unsichere_zusammenfassen",
}


def _choices(name: str) -> tuple[object, ...] | None:
    hint = typing.get_type_hints(Options)[name]
    if typing.get_origin(hint) is typing.Literal:
        return typing.get_args(hint)
    return None


def options_to_toml(options: Options) -> dict[str, object]:
    """Return the ``[optionen]`` table of ``options``.

    >>> options_to_toml(Options())["telefon_format"]
    'e164'
    """
    return {
        GERMAN_KEYS.get(f.name, f.name): getattr(options, f.name)
        for f in dataclasses.fields(Options)
    }


def options_from_toml(table: Mapping[str, object]) -> tuple[Options, list[str]]:
    """Read ``[optionen]``; unusable values keep the default and are listed.

    >>> opts, problems = options_from_toml({"namen_tauschen": True, "x": 1})
    >>> opts.apply_swaps, problems
    (True, ['unbekannte Option „x“ wird nicht beachtet'])
    """
    by_key = {GERMAN_KEYS.get(f.name, f.name): f for f in dataclasses.fields(Options)}
    by_key |= {f.name: f for f in dataclasses.fields(Options)}
    defaults = Options()
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, value in table.items():
        spec = by_key.get(key)
        if spec is None:
            problems.append(f"unbekannte Option „{key}“ wird nicht beachtet")
            continue
        default = getattr(defaults, spec.name)
        choices = _choices(spec.name)
        if isinstance(default, bool) and not isinstance(value, bool):
            problems.append(
                f"Option „{key}“ muss true oder false sein, nicht „{value}“; "
                f"es gilt {str(default).lower()}"
            )
        elif choices is not None and value not in choices:
            allowed = ", ".join(str(c) for c in choices)
            problems.append(
                f"Option „{key}“ hat den Wert „{value}“ (möglich: {allowed}); "
                f"es gilt „{default}“"
            )
        else:
            values[spec.name] = value
    return dataclasses.replace(defaults, **values), problems  # type: ignore[arg-type]


__all__ = ["GERMAN_KEYS", "options_from_toml", "options_to_toml"]
