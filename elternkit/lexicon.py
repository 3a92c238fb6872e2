"""First-name lexicon: is a word a known first name, and of which gender.

Backed by the name list that ships with ``gender-guesser`` (which has German
frequencies), loaded once and cached. Used to detect swapped first and last
names and to keep Jan and Jana apart when grouping persons.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import polars as pl

from elternkit.text import fold_expr, fold_name

Gender = Literal["m", "w", "beide"]

_MAP: dict[str, Gender | None] = {
    "male": "m",
    "mostly_male": "m",
    "female": "w",
    "mostly_female": "w",
    "andy": "beide",
    "unknown": None,
}


#: Sex markers of the name list and the detector's words for them.
_SEXES = {
    "M": "male",
    "1M": "mostly_male",
    "?M": "mostly_male",
    "F": "female",
    "1F": "mostly_female",
    "?F": "mostly_female",
    "?": "andy",
}


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector

    class _FastDetector(detector.Detector):
        """The same detector, its name list read in a third of the time."""

        def _parse(self, filename: str) -> None:
            self.names = _read_name_list(filename)

    return _FastDetector(case_sensitive=False)


def _read_name_list(filename: str) -> dict[str, dict[str, str]]:
    """Read gender-guesser's name list into the detector's ``names`` table.

    Gives exactly the table of ``Detector._parse`` (same keys, same order of
    genders per name, lower-case names) without a method call per line.
    """
    with open(filename, encoding="utf-8") as handle:
        text = handle.read()
    names: dict[str, dict[str, str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#=":
            continue
        sex, name = line.split(None, 2)[:2]
        gender = _SEXES[sex]
        values = line[30:-1]
        name = name.lower()
        keys = (name,)
        if "+" in name:
            keys = tuple(name.replace("+", joint) for joint in ("", " ", "-"))
        for key in keys:
            entry = names.get(key)
            if entry is None:
                names[key] = {gender: values}
            else:
                entry[gender] = values
    return names


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


# --- How sure is it that a word is a first name? (used by swap detection) ---

#: A word like ``H.`` is an initial and stands for a first name.
_INITIAL = re.compile(r"^\w\.$")
#: Letters that Unicode does not decompose into a base letter and an accent.
_EXTRA_FOLD = str.maketrans({"ł": "l", "đ": "d", "ı": "i", "ħ": "h", "ŧ": "t"})
#: Frequency classes (1 rare … 13 very common) a first name needs to count as
#: common: in German usage, or in any country of the lexicon.
_COMMON_IN_GERMANY = 2
_COMMON_ANYWHERE = 7


def _head(name: str) -> str:
    return name.strip().replace("-", " ").split(" ")[0].casefold()


def _ascii_key(word: str) -> str:
    return fold_name(word.casefold().translate(_EXTRA_FOLD))


@lru_cache(maxsize=1)
def _folded_names() -> frozenset[str]:
    """The lexicon's names as :func:`_ascii_key` folds them (vectorised)."""
    names = pl.Series("n", list(_detector().names), dtype=pl.String)
    extra = {chr(code): ascii_letter for code, ascii_letter in _EXTRA_FOLD.items()}
    lowered = names.str.to_lowercase().str.replace_many(extra)
    return frozenset(lowered.to_frame().select(fold_expr(pl.col("n")))["n"])


def _frequencies(word: str) -> tuple[int, int]:
    """Highest frequency class of ``word`` in Germany and in any country."""
    detector = _detector()
    entries = detector.names.get(word, {})
    germany = detector.COUNTRIES.index("germany")
    in_germany, anywhere = 0, 0
    for per_country in entries.values():
        classes = [int(c, 16) if c.strip() else 0 for c in per_country]
        in_germany = max(in_germany, classes[germany])
        anywhere = max(anywhere, *classes)
    return in_germany, anywhere


@lru_cache(maxsize=65536)
def is_first_name_like(name: str | None) -> bool:
    """Tell whether ``name`` may well be a first name (a lenient test).

    Besides the lexicon's spelling, transliterations count (``Joerg``,
    ``Malgorzata``, ``Francoise``), and so do initials (``H.-Dieter``). Used
    where wrongly calling a word a first name is the safe mistake.

    Examples
    --------
    >>> is_first_name_like("Joerg"), is_first_name_like("Malgorzata")
    (True, True)
    >>> is_first_name_like("H.-Dieter"), is_first_name_like("Mustermann")
    (True, False)
    """
    if not name:
        return False
    head = _head(name)
    if _INITIAL.match(head) or is_known_first_name(head):
        return True
    return _ascii_key(head) in _folded_names()


@lru_cache(maxsize=65536)
def is_common_first_name(name: str | None) -> bool:
    """Tell whether ``name`` is a common first name (a strict test).

    The first part of the name must be a first name of some frequency in
    German usage, or a very common one in some country of the lexicon. Rare
    entries (``Gerlach``, ``Hartmann`` are listed as first names) do not count.
    Used where wrongly calling a word a first name is the costly mistake.

    Examples
    --------
    >>> is_common_first_name("Max"), is_common_first_name("Mehmet")
    (True, True)
    >>> is_common_first_name("Hartmann"), is_common_first_name("Mustermann")
    (False, False)
    """
    if not name:
        return False
    in_germany, anywhere = _frequencies(_head(name))
    return in_germany >= _COMMON_IN_GERMANY or anywhere >= _COMMON_ANYWHERE
