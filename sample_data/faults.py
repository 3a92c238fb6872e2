"""Plant the faults real exports have, and record each plant by its code.

Two kinds of plants:

- *model plants* change the invented people before any row exists (two people
  with one name, a family e-mail, a reused Kind-ID, ...), so that every row of
  that person shows it; they tag the person or pupil;
- *cell plants* damage the cells of one slot (or one row) after the rows are
  built, and append their code to that slot's or row's ``faults``.

Every plant picks its targets with the school's ``random.Random`` among the
slots no other plant touched yet, so each planted fault can be checked alone.
The codes are listed with their meaning in ``sample_data/README.md``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sample_data.people import (
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    NAME_VARIANTS,
    PARTICLE_SURNAMES,
    Family,
    FamilyMaker,
    Guardian,
    abbreviate_street,
    expand_street,
)

UMLAUT_SURNAMES = ("Müller", "Schröder", "Köhler", "Jäger", "Krüger", "Weiß")
DOMAIN_TYPOS = {
    "gmx.de": "gmx.dee",
    "gmail.com": "gmial.com",
    "web.de": "web.ed",
    "t-online.de": "t-onlien.de",
}
REMARKS = ("(nur abends)", "- bevorzugt", "(dienstlich)", "bitte nur im Notfall")
TRANSLIT_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


@dataclass
class ModelPlanter:
    """Plants on the invented families, before the rows are built."""

    rng: random.Random
    maker: FamilyMaker
    families: list[Family]
    used: set[str] = field(default_factory=set)

    def guardians(self, test: Callable[[Family, Guardian], bool]) -> list[Guardian]:
        return [
            g
            for family in self.families
            for g in family.guardians
            if g.person not in self.used and test(family, g)
        ]

    def take(self, candidates: list, n: int) -> list:
        chosen = self.rng.sample(candidates, min(n, len(candidates)))
        for item in chosen:
            if isinstance(item, Guardian):
                self.used.add(item.person)
        return chosen


def _is_couple(family: Family) -> bool:
    first, second = [*family.guardians, None, None][:2]
    return (
        second is not None
        and first.nachname == second.nachname
        and first.adresse == second.adresse
        and first.rolle != second.rolle
    )


def _rename(
    m: ModelPlanter, g: Guardian, *, vorname: str = "", nachname: str = ""
) -> None:
    g.vorname = vorname or g.vorname
    g.nachname = nachname or g.nachname
    if g.email:
        g.email = m.maker.email(g.vorname, g.nachname)


def _family_surname(m: ModelPlanter, family: Family, new: str) -> list[Guardian]:
    old = family.children[0].nachname
    for child in family.children:
        child.nachname = new
    changed = [g for g in family.guardians if g.nachname == old]
    for g in changed:
        _rename(m, g, nachname=new)
    return changed


def plant_namensvetter(m: ModelPlanter, n: int) -> None:
    """Two different people with the same name, nothing else in common."""
    for _ in range(n):
        pool = m.guardians(lambda f, g: g.rolle != "E")
        if len(pool) < 2:
            return
        first = m.take(pool, 1)[0]
        pool = [g for g in pool if g.anrede == first.anrede and g is not first]
        pool = [g for g in pool if g.place.ort != first.place.ort] or pool
        second = m.take(pool, 1)[0]
        _rename(m, second, vorname=first.vorname, nachname=first.nachname)
        first.tags.append("namensvetter")
        second.tags.append("namensvetter")


def plant_namenszusatz(m: ModelPlanter, n: int) -> None:
    """A family name with a particle (von, van der, de)."""
    families = [f for f in m.families if f.guardians[0].person not in m.used]
    for family in m.take(families, n):
        for g in _family_surname(m, family, m.rng.choice(PARTICLE_SURNAMES)):
            g.tags.append("namenszusatz")
            m.used.add(g.person)


def plant_familien_email(m: ModelPlanter, n: int) -> None:
    """Parents sharing surname, address, landline and one family e-mail."""
    families = [
        f for f in m.families if _is_couple(f) and f.guardians[0].person not in m.used
    ]
    for family in m.take(families, n):
        first, second = family.guardians[:2]
        email = m.maker.email("", first.nachname)
        telefon = m.maker.phone(first.place, mobile=False)
        for g in (first, second):
            g.email, g.telefon = email, telefon
            g.tags += ["familien_email", "gemeinsames_festnetz"]
            m.used.add(g.person)


def plant_auskunftssperre(m: ModelPlanter, n: int) -> None:
    """A block on giving out the guardian's address."""
    for g in m.take(m.guardians(lambda f, g: True), n):
        g.sperre = True
        g.tags.append("auskunftssperre")


def plant_kind_id_doppelt(m: ModelPlanter, n: int) -> None:
    """One Kind-ID given to two different children of two families."""
    for _ in range(n):
        families = [f for f in m.families if not any(c.tags for c in f.children)]
        first, second = m.rng.sample(families, 2)
        second.children[0].kind_id = first.children[0].kind_id
        first.children[0].tags.append("kind_id_doppelt")
        second.children[0].tags.append("kind_id_doppelt")


def plant_kind_ohne_eltern(m: ModelPlanter, n: int) -> None:
    """A pupil on the pupil list whose guardians are missing from the export."""
    families = [
        f
        for f in m.families
        if len(f.children) == 1
        and not f.children[0].tags
        and all(g.person not in m.used for g in f.guardians)
    ]
    for family in m.take(families, n):
        family.children[0].tags.append("kind_ohne_eltern")
        m.used.update(g.person for g in family.guardians)


def _ensure_siblings(
    m: ModelPlanter,
    n: int,
    test: Callable[[Guardian], bool],
    fix: Callable[[Family, Guardian], None],
) -> None:
    """Make sure ``n`` guardians of several children pass ``test``; reserve them."""
    families = [
        f
        for f in m.families
        if len(f.children) > 1 and all(g.person not in m.used for g in f.guardians)
    ]
    m.rng.shuffle(families)
    for family in families:
        have = [g for f in families for g in f.guardians if test(g)]
        if len(have) >= n:
            break
        fix(family, family.guardians[0])
    have = [g for f in families for g in f.guardians if test(g)]
    m.used.update(g.person for g in have[:n])


def prepare_variants(m: ModelPlanter, n: int) -> None:
    """Give enough sibling parents a first name with a spelling variant."""

    def fix(family: Family, g: Guardian) -> None:
        names = FIRST_NAMES_FEMALE if g.anrede == "Frau" else FIRST_NAMES_MALE
        _rename(m, g, vorname=m.rng.choice([v for v in names if v in NAME_VARIANTS]))

    _ensure_siblings(m, n, lambda g: g.vorname in NAME_VARIANTS, fix)


def prepare_umlauts(m: ModelPlanter, n: int) -> None:
    """Give enough sibling parents a surname with an umlaut or ß."""

    def fix(family: Family, g: Guardian) -> None:
        _family_surname(m, family, m.rng.choice(UMLAUT_SURNAMES))

    _ensure_siblings(
        m, n, lambda g: g.nachname != g.nachname.translate(TRANSLIT_UMLAUTS), fix
    )


MODEL_PLANTS: dict[str, Callable[[ModelPlanter, int], None]] = {
    "schreibvariante_vorname": prepare_variants,
    "schreibvariante_nachname": prepare_umlauts,
    "namensvetter": plant_namensvetter,
    "namenszusatz": plant_namenszusatz,
    "familien_email": plant_familien_email,
    "auskunftssperre": plant_auskunftssperre,
    "kind_id_doppelt": plant_kind_id_doppelt,
    "kind_ohne_eltern": plant_kind_ohne_eltern,
}


def swap_street_form(strasse: str) -> str:
    """``Straße`` becomes ``Str.`` and back.

    >>> swap_street_form("Lindenstraße"), swap_street_form("Breite Str.")
    ('Lindenstr.', 'Breite Straße')
    """
    short = abbreviate_street(strasse)
    return short if short != strasse else expand_street(strasse)
