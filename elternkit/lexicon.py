"""First-name lexicon: is a word a known first name, and of which gender.

Backed by the name list that ships with ``gender-guesser`` (which has German
frequencies), loaded once and cached. Used to detect swapped first and last
names and to keep Jan and Jana apart when grouping persons.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

Gender = Literal["m", "w", "beide"]

_MAP: dict[str, Gender | None] = {
    "male": "m",
    "mostly_male": "m",
    "female": "w",
    "mostly_female": "w",
    "andy": "beide",
    "unknown": None,
}


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def first_name_gender(name: str | None) -> Gender | None:
    """Return the gender of a first name, ``beide`` if used for both, else None.

    Only the first part of a double name counts (``Anna-Lena`` → Anna).
    German usage is asked first, then the whole list.

    Examples
    --------
    >>> first_name_gender("Jana"), first_name_gender("Jan")
    ('w', 'm')
    >>> first_name_gender("Christiane"), first_name_gender("Christian")
    ('w', 'm')
    >>> first_name_gender("Mustermann") is None
    True
    """
    if not name:
        return None
    head = name.strip().replace("-", " ").split(" ")[0]
    if not head:
        return None
    found = _MAP[_detector().get_gender(head, "germany")]
    if found in (None, "beide"):
        general = _MAP[_detector().get_gender(head)]
        if general is not None:
            found = general
    return found


def is_known_first_name(name: str | None) -> bool:
    """Tell whether ``name`` (its first part) is in the first-name lexicon.

    >>> is_known_first_name("Max"), is_known_first_name("Mustermann")
    (True, False)
    """
    return first_name_gender(name) is not None
