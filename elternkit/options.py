"""Options of a run: the rule settings a school can choose and record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Options:
    """Rule options of one run (stored in the Rezept under ``[optionen]``).

    Attributes
    ----------
    apply_swaps
        Apply confidently detected swaps of Vorname and Nachname. Off by
        default: swaps are then only proposed and reported.
    phone_format
        ``e164`` (``+493511234567``, default) or ``international``
        (``+49 351 1234567``).
    shared_email
        What to do with one e-mail address on two different persons:
        ``beide`` keeps it on both (default, reported), ``keine`` removes it
        from both, ``erste`` keeps it on the person with the lowest row number.
    hold_auskunftssperre
        Hold back guardians flagged with Auskunftssperre or without custody
        instead of only reporting them.
    merge_unsure
        Treat unsure duplicate pairs as the same person (default: keep apart).
    """

    apply_swaps: bool = False
    phone_format: Literal["e164", "international"] = "e164"
    shared_email: Literal["beide", "keine", "erste"] = "beide"
    hold_auskunftssperre: bool = False
    merge_unsure: bool = False
