"""Invented families for the sample exports: names, addresses, contacts.

Every person is made up. First and last names come from Faker ``de_DE`` and the
lists below, streets from the list below (never Faker's, which look unreal),
phone subscriber numbers all start with ``555`` and e-mail local parts are
built from the invented names. The true data of a person lives here; what an
export shows of it (with its faults) is built in :mod:`sample_data.faults`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from faker import Faker

FIRST_NAMES_MALE = (
    "Stefan", "Andreas", "Michael", "Thomas", "Christian", "Daniel", "Sebastian",
    "Markus", "Jan", "Tobias", "Martin", "Alexander", "Sven", "Dirk", "Frank",
    "Matthias", "Oliver", "Christoph", "Ralf", "Maik", "Carsten", "Kai", "Jörg",
    "Lars", "Mehmet", "Piotr", "Björn", "Jürgen", "Timo", "René",
)  # fmt: skip
FIRST_NAMES_FEMALE = (
    "Sandra", "Nicole", "Stefanie", "Katrin", "Anja", "Julia", "Christina",
    "Melanie", "Claudia", "Sabine", "Anna", "Sarah", "Jennifer", "Nadine",
    "Daniela", "Kerstin", "Susanne", "Tanja", "Jana", "Maria", "Sylvia",
    "Özlem", "Agnieszka", "Jessica", "Mareike", "Anke", "Birte", "Doreen",
)  # fmt: skip
CHILD_NAMES_MALE = (
    "Noah", "Ben", "Leon", "Paul", "Finn", "Elias", "Luis", "Felix", "Jonas",
    "Henry", "Emil", "Theo", "Anton", "Luca", "Maximilian", "Milan", "Ole",
    "Jakob", "Karl", "Mats", "Lukas", "Tim", "Niklas", "Tom", "Moritz", "Yusuf",
)  # fmt: skip
CHILD_NAMES_FEMALE = (
    "Mia", "Emma", "Sofia", "Hannah", "Emilia", "Lina", "Marie", "Lea", "Ella",
    "Clara", "Leni", "Ida", "Frieda", "Mila", "Lotta", "Greta", "Lara", "Laura",
    "Lena", "Anna", "Sarah", "Julia", "Lisa", "Zoé", "Jule", "Elif",
)  # fmt: skip

#: First names with a spelling a clerk may type instead on one row.
NAME_VARIANTS = {
    "Stefan": "Stephan", "Christoph": "Christof", "Ralf": "Ralph", "Maik": "Meik",
    "Carsten": "Karsten", "Kai": "Kay", "Stefanie": "Stephanie",
    "Katrin": "Kathrin", "Claudia": "Klaudia", "Sylvia": "Silvia",
    "Jennifer": "Jenifer", "Timo": "Thimo",
}  # fmt: skip
#: Surnames with a name particle (Namenszusatz).
PARTICLE_SURNAMES = (
    "von Bülow", "van der Meer", "von der Heide", "de Vries", "van Dijk",
    "von Hagen",
)  # fmt: skip
STREETS = (
    "Lindenstraße", "Hauptstraße", "Schulstraße", "Bahnhofstraße", "Gartenstraße",
    "Bergstraße", "Birkenweg", "Am See", "Am Markt", "Kirchweg", "Mühlenweg",
    "Rosenstraße", "Dorfstraße", "Waldstraße", "Ringstraße", "Goethestraße",
    "Schillerstraße", "Eichendorffweg", "Seeuferweg", "Am Sportplatz",
    "Feldstraße", "Ahornallee", "Friedrich-Ebert-Straße", "Breite Straße",
    "Lange Reihe", "Kastanienallee", "Wiesengrund", "Zum Hafen", "Poststraße",
    "Blumenstraße",
)  # fmt: skip
MOBILE_PREFIXES = ("0151", "0152", "0157", "0176")
#: Providers and how often they are picked.
EMAIL_DOMAINS = {
    "gmx.de": 5, "web.de": 5, "t-online.de": 3, "gmail.com": 4,
    "example.org": 2, "example.net": 1, "example.com": 1,
}  # fmt: skip
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"})


@dataclass(frozen=True)
class Place:
    """A postcode, its town and the town's dialling code."""

    plz: str
    ort: str
    vorwahl: str


REGIONS: dict[str, tuple[Place, ...]] = {
    "steinhuder_meer": (
        Place("31515", "Wunstorf", "05031"),
        Place("31535", "Neustadt am Rübenberge", "05032"),
        Place("31547", "Rehburg-Loccum", "05037"),
        Place("30826", "Garbsen", "05131"),
    ),
    "dresden": (
        Place("01097", "Dresden", "0351"),
        Place("01099", "Dresden", "0351"),
        Place("01109", "Dresden", "0351"),
        Place("01129", "Dresden", "0351"),
        Place("01445", "Radebeul", "0351"),
        Place("01468", "Moritzburg", "035207"),
        Place("01458", "Ottendorf-Okrilla", "035205"),
    ),
    "oldenburg": (
        Place("26121", "Oldenburg", "0441"),
        Place("26122", "Oldenburg", "0441"),
        Place("26123", "Oldenburg", "0441"),
        Place("26129", "Oldenburg", "0441"),
        Place("26160", "Bad Zwischenahn", "04403"),
        Place("26180", "Rastede", "04402"),
        Place("27793", "Wildeshausen", "04431"),
    ),
}


@dataclass
class Guardian:
    """One invented guardian with their true, clean data."""

    person: str
    rolle: str  # "V" father, "M" mother, "E" someone else
    art: str
    anrede: str
    vorname: str
    nachname: str
    strasse: str
    hausnummer: str
    place: Place
    telefon: str = ""  # national form, e.g. "0351 5550123"
    email: str = ""
    sperre: bool = False
    tags: list[str] = field(default_factory=list)

    @property
    def adresse(self) -> str:
        return f"{self.strasse} {self.hausnummer}, {self.place.plz} {self.place.ort}"

    @property
    def telefon_e164(self) -> str:
        digits = self.telefon.replace(" ", "")
        return "+49" + digits[1:] if digits else ""


@dataclass
class Pupil:
    """One invented pupil."""

    kind_id: str
    vorname: str
    nachname: str
    klasse: str
    geburtsdatum: date
    tags: list[str] = field(default_factory=list)


@dataclass
class Family:
    """Children at the school and their guardians."""

    guardians: list[Guardian]
    children: list[Pupil]


@dataclass(frozen=True)
class SchoolShape:
    """What a school's families look like.

    ``grades`` lists each grade's label, its class letters (``""`` for none)
    and the birth year of its pupils.
    """

    region: str
    grades: tuple[tuple[str, str, int], ...]
    has_third_guardian: bool
    has_same_sex_couples: bool


def abbreviate_street(strasse: str) -> str:
    """Return the ``Str.`` form of a street name (unchanged if none).

    >>> abbreviate_street("Breite Straße"), abbreviate_street("Birkenweg")
    ('Breite Str.', 'Birkenweg')
    """
    return strasse.replace("straße", "str.").replace("Straße", "Str.")


def expand_street(strasse: str) -> str:
    """Return the ``Straße`` form of a street name (unchanged if none).

    >>> expand_street("Lindenstr.")
    'Lindenstraße'
    """
    return strasse.replace("str.", "straße").replace("Str.", "Straße")


def fold_ascii(text: str) -> str:
    """Fold a name into an e-mail local part.

    >>> fold_ascii("von Bülow-Weiß")
    'vonbuelowweiss'
    """
    folded = text.lower().translate(_FOLD)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


class FamilyMaker:
    """Build the invented families of one school, reproducibly from ``rng``."""

    def __init__(self, rng: random.Random, faker: Faker, shape: SchoolShape) -> None:
        self.rng = rng
        self.faker = faker
        self.shape = shape
        self.places = REGIONS[shape.region]
        self._people = 0
        self._phones: set[str] = set()
        self._emails: set[str] = set()

    def families(self, pupils: int) -> list[Family]:
        """Make families until the school has ``pupils`` pupils."""
        result: list[Family] = []
        count = 0
        while count < pupils:
            kids = self.rng.choices((1, 2, 3), weights=(80, 16, 4))[0]
            kids = min(kids, pupils - count)
            result.append(self.family(kids))
            count += kids
        return result

    def family(self, kids: int) -> Family:
        rng = self.rng
        shape = rng.choices(("paar", "getrennt", "allein"), weights=(66, 14, 20))[0]
        strasse, hausnummer, place = self.address()
        first = self.guardian("M" if rng.random() < 0.8 else "V", strasse, hausnummer)
        first.place = place
        guardians = [first]
        surname = first.nachname
        if shape != "allein":
            rolle = "V" if first.rolle == "M" else "M"
            if self.shape.has_same_sex_couples and rng.random() < 0.03:
                rolle = first.rolle
            second = self.guardian(rolle, strasse, hausnummer)
            while second.vorname == first.vorname:
                second.vorname = self.first_name(female=second.anrede == "Frau")
            second.place = place
            if shape == "getrennt":
                second.strasse, second.hausnummer, second.place = self.address()
            elif rng.random() < 0.7:
                second.nachname = first.nachname
            surname = second.nachname if second.rolle == "V" else surname
            self.contact(second)
            guardians.append(second)
        if self.shape.has_third_guardian and rng.random() < 0.06:
            art = rng.choice(("Großmutter", "Großvater", "Pflegemutter"))
            strasse, hausnummer, place = self.address()
            third = self.guardian("E", strasse, hausnummer, art=art)
            third.place = place
            third.tags.append("dritte_person")
            self.contact(third)
            guardians.append(third)
        self.contact(first)
        grades = rng.sample(range(len(self.shape.grades)), kids)
        children = [self.pupil(surname, grade) for grade in grades]
        return Family(guardians, children)

    def address(self) -> tuple[str, str, Place]:
        rng = self.rng
        strasse = rng.choice(STREETS)
        if rng.random() < 0.45:
            strasse = abbreviate_street(strasse)
        hausnummer = str(rng.randint(1, 120))
        if rng.random() < 0.1:
            hausnummer += rng.choice("abc")
        weights = [len(self.places) - i for i in range(len(self.places))]
        return strasse, hausnummer, rng.choices(self.places, weights=weights)[0]

    def guardian(
        self, rolle: str, strasse: str, hausnummer: str, *, art: str = ""
    ) -> Guardian:
        female = rolle == "M" or art in ("Großmutter", "Pflegemutter")
        vorname = self.first_name(female=female)
        self._people += 1
        return Guardian(
            person=f"P{self._people:05d}",
            rolle=rolle,
            art=art or {"V": "Vater", "M": "Mutter"}[rolle],
            anrede="Frau" if female else "Herr",
            vorname=vorname,
            nachname=self.faker.last_name(),
            strasse=strasse,
            hausnummer=hausnummer,
            place=self.places[0],
        )

    def first_name(self, *, female: bool) -> str:
        """A first name from the own list (more often) or from Faker."""
        if self.rng.random() < 0.6:
            return self.rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
        faker = self.faker
        return faker.first_name_female() if female else faker.first_name_male()

    def contact(self, guardian: Guardian) -> None:
        """Give a guardian a phone number (most) and an e-mail (most)."""
        if self.rng.random() < 0.88:
            guardian.telefon = self.phone(
                guardian.place, mobile=self.rng.random() < 0.6
            )
        if self.rng.random() < 0.9:
            guardian.email = self.email(guardian.vorname, guardian.nachname)

    def phone(self, place: Place, *, mobile: bool) -> str:
        rng = self.rng
        for attempt in range(10_000):
            extra = attempt // 50  # a crowded range gets longer numbers
            if mobile:
                vorwahl = rng.choice(MOBILE_PREFIXES)
                number = "555" + f"{rng.randrange(100_000):05d}"
            else:
                vorwahl = place.vorwahl
                width = 11 - len(vorwahl) + extra
                number = "555" + f"{rng.randrange(10 ** (width - 3)):0{width - 3}d}"
            telefon = f"{vorwahl} {number}"
            if telefon not in self._phones:
                self._phones.add(telefon)
                return telefon
        raise RuntimeError("no free phone number left")  # pragma: no cover

    def email(self, vorname: str, nachname: str, *, domain: str = "") -> str:
        """A new address built from the names; ``vorname=""`` for a family one."""
        rng = self.rng
        first, last = fold_ascii(vorname), fold_ascii(nachname)
        domains = list(EMAIL_DOMAINS)
        for attempt in range(10_000):
            if first:
                patterns = (
                    f"{first}.{last}",
                    f"{first[0]}.{last}",
                    f"{first}{last}",
                    f"{last}.{first}",
                    f"{first}.{last}{rng.randint(70, 99)}",
                )
            else:
                patterns = (f"familie.{last}", f"fam.{last}", f"{last}.familie")
            local = rng.choice(patterns)
            chosen = domain or rng.choices(domains, weights=EMAIL_DOMAINS.values())[0]
            email = f"{local}{attempt // 20 or ''}@{chosen}"
            if email not in self._emails:
                self._emails.add(email)
                return email
        raise RuntimeError("no free e-mail address left")  # pragma: no cover

    def pupil(self, surname: str, grade: int) -> Pupil:
        rng = self.rng
        label, letters, year = self.shape.grades[grade]
        female = rng.random() < 0.5
        vorname = rng.choice(CHILD_NAMES_FEMALE if female else CHILD_NAMES_MALE)
        born = date(year, rng.randint(1, 12), rng.randint(1, 28))
        klasse = label + (rng.choice(letters) if letters else "")
        return Pupil("", vorname, surname, klasse, born)


def all_guardians(families: Sequence[Family]) -> list[Guardian]:
    """Every guardian of ``families``, in order."""
    return [g for family in families for g in family.guardians]
