"""Tests of the lenient and strict first-name tests in elternkit.lexicon."""

from __future__ import annotations

import pytest
from case_frames import table

from elternkit.lexicon import is_common_first_name, is_first_name_like

NAME_CASES = [
    ("german-common", "Max", True, True),
    ("turkish-common", "Mehmet", True, True),
    ("double-name", "Anna-Lena", True, True),
    ("transliterated-umlaut", "Joerg", True, False),
    ("transliterated-polish", "Malgorzata", True, False),
    ("without-cedilla", "Francoise", True, False),
    ("initial", "H.-Dieter", True, False),
    ("rare-entry-surname", "Hartmann", True, False),
    ("surname", "Mustermann", False, False),
    ("empty", "", False, False),
]


@pytest.mark.parametrize(("name", "lenient", "strict"), **table(NAME_CASES))
def test_first_name_strength(name: str, lenient: bool, strict: bool) -> None:
    assert (is_first_name_like(name), is_common_first_name(name)) == (lenient, strict)


def test_vectorised_folding_equals_the_python_fold():
    from elternkit import lexicon

    names = lexicon._detector().names

    assert lexicon._folded_names() == frozenset(map(lexicon._ascii_key, names))
