"""Exceptions of elternkit.

Every exception meant for the user carries a German message that says what was
found, why it matters for the IServ import, and what to do. The command line
prints the message and exits with code 2; it never shows a traceback for these.
"""

from __future__ import annotations


class ElternkitError(Exception):
    """Base class of all errors elternkit raises on purpose."""


class InputError(ElternkitError):
    """An input file cannot be used (not a table, empty, corrupt, unreadable)."""


class MappingError(ElternkitError):
    """The columns of an export cannot be mapped to the fields IServ needs."""


class OptionError(ElternkitError):
    """An option or argument has a value elternkit cannot use."""


class RezeptError(ElternkitError):
    """A Rezept file cannot be read at all (not a partial replay conflict)."""
