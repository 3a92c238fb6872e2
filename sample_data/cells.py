"""Cell plants: damage the cells of one slot or row and record the fault code."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sample_data.faults import (
    DOMAIN_TYPOS,
    REMARKS,
    TRANSLIT_UMLAUTS,
    swap_street_form,
)
from sample_data.people import NAME_VARIANTS, FamilyMaker
from sample_data.rows import Row, Slot

Entry = tuple[Row, str, Slot]
NBSP, ZWSP = "\u00a0", "\u200b"


@dataclass
class CellPlanter:
    """Picks untouched slots of ``rows`` and damages them."""

    rng: random.Random
    maker: FamilyMaker
    rows: list[Row]
    reserved: set[str]
    used: set[int] = field(default_factory=set)

    def entries(self) -> list[Entry]:
        return [
            (row, key, slot)
            for row in self.rows
            for key, slot in row.slots.items()
            if id(slot) not in self.used
            and len(slot.guardians) == 1
            and slot.guardians[0].person not in self.reserved
        ]

    def pick(self, n: int, test: Callable[[Slot], bool] = lambda s: True) -> list[Slot]:
        """Up to ``n`` untouched single-person slots passing ``test``."""
        candidates = [slot for _, _, slot in self.entries() if test(slot)]
        chosen = self.rng.sample(candidates, min(n, len(candidates)))
        self.used.update(id(slot) for slot in chosen)
        return chosen

    def pick_repeated(self, n: int, test: Callable[[Slot], bool]) -> list[Slot]:
        """One later slot of each of up to ``n`` people shown on several rows."""
        by_person: dict[str, list[Slot]] = {}
        for _, _, slot in self.entries():
            by_person.setdefault(slot.guardians[0].person, []).append(slot)
        people = [
            slots for slots in by_person.values() if len(slots) > 1 and test(slots[0])
        ]
        chosen = []
        for slots in self.rng.sample(people, min(n, len(people))):
            self.used.update(id(slot) for slot in slots)
            self.reserved.add(slots[0].guardians[0].person)
            chosen.append(self.rng.choice(slots[1:]))
        return chosen

    def pick_rows(self, n: int, test: Callable[[Row], bool]) -> list[Row]:
        """Up to ``n`` rows none of whose slots was touched."""
        rows = [
            row
            for row in self.rows
            if row.slots
            and not row.faults
            and all(id(s) not in self.used for s in row.slots.values())
            and test(row)
        ]
        chosen = self.rng.sample(rows, min(n, len(rows)))
        for row in chosen:
            self.used.update(id(slot) for slot in row.slots.values())
        return chosen


def _slot_plant(
    code: str,
    change: Callable[[CellPlanter, Slot], None],
    test: Callable[[Slot], bool] = lambda s: True,
    *,
    is_sibling_conflict: bool = False,
) -> Callable[[CellPlanter, int], None]:
    """A plant that applies ``change`` to ``n`` slots passing ``test``.

    A sibling conflict changes one row of a person shown on several rows.
    """

    def plant(p: CellPlanter, n: int) -> None:
        pick = p.pick_repeated if is_sibling_conflict else p.pick
        for slot in pick(n, test):
            change(p, slot)
            slot.faults.append(code)

    return plant


def _sibling_plant(
    code: str, change: Callable[[CellPlanter, Slot], None], test: Callable[[Slot], bool]
) -> Callable[[CellPlanter, int], None]:
    return _slot_plant(code, change, test, is_sibling_conflict=True)


def _set(**values: str) -> Callable[[CellPlanter, Slot], None]:
    return lambda p, slot: slot.cells.update(values)


def _map(name: str, func: Callable[[str], str]) -> Callable[[CellPlanter, Slot], None]:
    return lambda p, slot: slot.cells.update({name: func(slot.cells[name])})


def _names(func: Callable[[str], str]) -> Callable[[CellPlanter, Slot], None]:
    def change(p: CellPlanter, slot: Slot) -> None:
        for name in ("vorname", "nachname"):
            slot.cells[name] = func(slot.cells[name])

    return change


def _has(name: str, func: Callable[[str], bool] = bool) -> Callable[[Slot], bool]:
    return lambda slot: func(slot.cells[name])


def _stale_address(p: CellPlanter, slot: Slot) -> None:
    strasse, hausnummer, place = p.maker.address()
    slot.cells.update(strasse=strasse, hausnummer=hausnummer, plz=place.plz)
    slot.cells["ort"] = place.ort


def _shout_email(email: str) -> str:
    local, domain = email.split("@")
    host, _, tld = domain.partition(".")
    return (
        ".".join(part.capitalize() for part in local.split("."))
        + f"@{host.upper()}.{tld}"
    )


def _swap_names(p: CellPlanter, slot: Slot) -> None:
    cells = slot.cells
    cells["vorname"], cells["nachname"] = cells["nachname"], cells["vorname"]


def _no_name(p: CellPlanter, slot: Slot) -> None:
    slot.cells.update(vorname="", nachname="", anrede="")


def _formula(p: CellPlanter, slot: Slot) -> None:
    slot.cells["nachname"] = p.rng.choice("=@") + slot.cells["nachname"]


def _doubled_space(p: CellPlanter, slot: Slot) -> None:
    name = "strasse" if " " in slot.cells["strasse"] else "ort"
    slot.cells[name] = slot.cells[name].replace(" ", "  ", 1)


def _has_space(slot: Slot) -> bool:
    return " " in slot.cells["strasse"] + slot.cells["ort"]


def _glued(p: CellPlanter, slot: Slot) -> None:
    slot.cells["strasse"] += slot.cells["hausnummer"]
    slot.cells["hausnummer"] = ""


def mojibake(text: str) -> str:
    """Encode as UTF-8 and decode as Windows-1252, as a careless export does.

    >>> mojibake("Jürgen Weiß")
    'JÃ¼rgen WeiÃŸ'
    """
    return text.encode("utf-8").decode("cp1252")


def _split_phone(telefon: str) -> tuple[str, str]:
    vorwahl, number = telefon.split(" ")
    return vorwahl, number


def _phone(func: Callable[[str, str], str]) -> Callable[[CellPlanter, Slot], None]:
    return _map("telefon", lambda t: func(*_split_phone(t)))


def _brackets(vorwahl: str, number: str) -> str:
    body = number[:-1]
    head = 3 if len(body) % 2 else 2
    pairs = [body[:head]] + [body[i : i + 2] for i in range(head, len(body), 2)]
    return f"({vorwahl}) {' '.join(pairs)}-{number[-1]}"


def _exponent(vorwahl: str, number: str) -> str:
    return f"{float('49' + vorwahl[1:] + number):.5E}".replace(".", ",")


def _is_mobile(telefon: str) -> bool:
    return telefon.startswith("01")


def _couple_rows(p: CellPlanter, n: int, code: str, joiner: str) -> None:
    """Two parents in one cell with one surname; the other block disappears."""
    untouched = {id(slot) for _, _, slot in p.entries()}
    by_pupil: dict[int, list[Entry]] = {}
    shown: dict[str, int] = {}
    for row in p.rows:
        for key, slot in row.slots.items():
            by_pupil.setdefault(id(row.pupil), []).append((row, key, slot))
            for g in slot.guardians:
                shown[g.person] = shown.get(g.person, 0) + 1

    def fits(entries: list[Entry]) -> bool:
        if len(entries) != 2 or any(id(e[2]) not in untouched for e in entries):
            return False
        a, b = (e[2].guardians[0] for e in entries)
        same = a.nachname == b.nachname and a.adresse == b.adresse
        return same and shown[a.person] == shown[b.person] == 1

    groups = [entries for entries in by_pupil.values() if fits(entries)]
    for entries in p.rng.sample(groups, min(n, len(groups))):
        entries.sort(key=lambda e: e[2].guardians[0].anrede)
        (_, _, keep), (row, key, drop) = entries
        p.used.update((id(keep), id(drop)))
        keep.guardians += drop.guardians
        if joiner.startswith("Herr"):
            keep.cells.update(vorname=joiner, anrede="")
        else:
            names = keep.cells["vorname"] + joiner + drop.cells["vorname"]
            keep.cells.update(vorname=names, anrede="Familie")
        keep.cells["art"] = "Eltern"
        keep.faults += [code, *drop.faults]
        del row.slots[key]
        if not row.slots:
            p.rows.remove(row)


def plant_kind_id_fehlt(p: CellPlanter, n: int) -> None:
    for row in p.pick_rows(n, lambda r: True):
        row.kind_cell = ""
        row.faults.append("kind_id_fehlt")


def _row_plant(code: str) -> Callable[[CellPlanter, int], None]:
    def plant(p: CellPlanter, n: int) -> None:
        for row in p.pick_rows(n, lambda r: True):
            row.faults.append(code)

    return plant


def plant_doppelte_zeile(p: CellPlanter, n: int) -> None:
    """An exact copy of a row right below it (run last: copies all other plants)."""
    for row in p.pick_rows(n, lambda r: True):
        row.faults.append("doppelte_zeile")
        copy = Row(
            row.pupil,
            row.kind_cell,
            {
                k: Slot(list(s.guardians), dict(s.cells), list(s.faults))
                for k, s in row.slots.items()
            },
            list(row.faults),
        )
        p.rows.insert(p.rows.index(row) + 1, copy)


CELL_PLANTS: dict[str, Callable[[CellPlanter, int], None]] = {
    # sibling conflicts: one row of a person shown on several rows differs
    "veraltete_adresse": _sibling_plant(
        "veraltete_adresse", _stale_address, lambda s: True
    ),
    "schreibvariante_vorname": _sibling_plant(
        "schreibvariante_vorname",
        _map("vorname", NAME_VARIANTS.__getitem__),
        _has("vorname", NAME_VARIANTS.__contains__),
    ),
    "schreibvariante_nachname": _sibling_plant(
        "schreibvariante_nachname",
        _map("nachname", lambda v: v.translate(TRANSLIT_UMLAUTS)),
        _has("nachname", lambda v: v != v.translate(TRANSLIT_UMLAUTS)),
    ),
    "email_grossschreibung": _sibling_plant(
        "email_grossschreibung", _map("email", _shout_email), _has("email")
    ),
    "strasse_schreibweise": _sibling_plant(
        "strasse_schreibweise",
        _map("strasse", swap_street_form),
        _has("strasse", lambda v: swap_street_form(v) != v),
    ),
    # names
    "zwei_personen_in_zelle": lambda p, n: [
        _couple_rows(p, 1, "zwei_personen_in_zelle", p.rng.choice((" u. ", " und ")))
        for _ in range(n)
    ],
    "anrede_im_namen": lambda p, n: _couple_rows(
        p, n, "anrede_im_namen", "Herr und Frau"
    ),
    "namen_vertauscht": _slot_plant("namen_vertauscht", _swap_names),
    "grossbuchstaben": _slot_plant("grossbuchstaben", _names(str.upper)),
    "kleinbuchstaben": _slot_plant("kleinbuchstaben", _names(str.lower)),
    "ohne_name": _slot_plant("ohne_name", _no_name, _has("email")),
    "formel_zeichen": _slot_plant("formel_zeichen", _formula),
    "mojibake": _slot_plant(
        "mojibake",
        _names(mojibake),
        lambda s: not (s.cells["vorname"] + s.cells["nachname"]).isascii(),
    ),
    # invisible and doubled spaces
    "geschuetztes_leerzeichen": _slot_plant(
        "geschuetztes_leerzeichen", _map("nachname", lambda v: v + NBSP)
    ),
    "nullbreite_zeichen": _slot_plant(
        "nullbreite_zeichen", _map("email", lambda v: ZWSP + v), _has("email")
    ),
    "doppelte_leerzeichen": _slot_plant(
        "doppelte_leerzeichen", _doubled_space, _has_space
    ),
    # addresses
    "hausnr_ohne_leerzeichen": _slot_plant(
        "hausnr_ohne_leerzeichen", _glued, _has("strasse", lambda v: v.endswith("str."))
    ),
    # phones
    "telefon_plus49_null": _slot_plant(
        "telefon_plus49_null",
        _phone(lambda v, n: f"+49 (0){v[1:]} {n}"),
        _has("telefon"),
    ),
    "telefon_schraegstrich": _slot_plant(
        "telefon_schraegstrich", _phone(lambda v, n: f"{v}/{n}"), _has("telefon")
    ),
    "telefon_0049": _slot_plant(
        "telefon_0049", _phone(lambda v, n: f"0049 {v[1:]} {n}"), _has("telefon")
    ),
    "telefon_klammern": _slot_plant(
        "telefon_klammern",
        _phone(_brackets),
        _has("telefon", lambda v: v != "" and not _is_mobile(v)),
    ),
    "telefon_beschriftung": _slot_plant(
        "telefon_beschriftung",
        _map("telefon", lambda v: f"Tel. privat: {v}"),
        _has("telefon", lambda v: v != "" and not _is_mobile(v)),
    ),
    "telefon_mobil_bindestrich": _slot_plant(
        "telefon_mobil_bindestrich",
        _phone(lambda v, n: f"{v}-{n}"),
        _has("telefon", _is_mobile),
    ),
    "telefon_ungueltig": _slot_plant(
        "telefon_ungueltig", _set(telefon="12345"), _has("telefon", lambda v: v == "")
    ),
    "telefon_zahl": _slot_plant(
        "telefon_zahl", _phone(lambda v, n: (v + n)[1:]), _has("telefon")
    ),
    "telefon_exponent": _slot_plant(
        "telefon_exponent", _phone(_exponent), _has("telefon", _is_mobile)
    ),
    # e-mail
    "mehrere_emails": _slot_plant(
        "mehrere_emails",
        lambda p, s: s.cells.update(
            email=s.cells["email"]
            + "; "
            + p.maker.email(
                s.cells["vorname"], s.cells["nachname"], domain="example.com"
            )
        ),
        _has("email"),
    ),
    "email_at_klammer": _slot_plant(
        "email_at_klammer",
        _map("email", lambda v: v.replace("@", "(at)")),
        _has("email"),
    ),
    "email_mit_bemerkung": _slot_plant(
        "email_mit_bemerkung",
        lambda p, s: s.cells.update(
            email=f"{s.cells['email']} {p.rng.choice(REMARKS)}"
        ),
        _has("email"),
    ),
    "email_tippfehler_domain": _slot_plant(
        "email_tippfehler_domain",
        _map("email", lambda v: v.split("@")[0] + "@" + DOMAIN_TYPOS[v.split("@")[1]]),
        _has("email", lambda v: v.split("@")[-1] in DOMAIN_TYPOS),
    ),
    # rows
    "kind_id_fehlt": plant_kind_id_fehlt,
    "kind_id_float": _row_plant("kind_id_float"),
    "kind_id_text_float": _row_plant("kind_id_text_float"),
    "doppelte_zeile": plant_doppelte_zeile,
}
