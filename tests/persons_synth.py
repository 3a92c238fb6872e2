"""Synthetic guardian rows with known true persons, for quality and speed checks.

A wide export in the long table's shape: one source row per pupil, guardian
slots ``1`` and ``2``. Families have one to three children at the school, one
or two guardians (rarely a third on a separate row), usually one surname,
one address, sometimes a family e-mail and a landline shared by both parents.
Planted faults (all on one sibling's row of one guardian): a stale address, a
first-name spelling variant, an upper-case e-mail, a missing e-mail. Some
people of different families share a full name (look-alikes), and some
parents are Jan and Jana, Christian and Christiane.

Column ``person_wahr`` holds the true person. Nothing here is real: names come
from Faker's German lists, e-mails use ``example.org``.
"""

from __future__ import annotations

import random

import polars as pl
from faker.providers.person.de_DE import Provider as PersonNames

from elternkit.schema import conform_long

MALE = [n for n in PersonNames.first_names_male if n.isalpha()][:300]
FEMALE = [n for n in PersonNames.first_names_female if n.isalpha()][:300]
SURNAMES = [n for n in PersonNames.last_names if n.isalpha()][:600]
STREETS = ["Hauptstr.", "Lindenweg", "Bahnhofstr.", "Am See", "Ringstr.", "Gartenweg"]
VARIANTS = {"Stefan": "Stephan", "Christoph": "Kristoph", "Katrin": "Kathrin"}
PAIRS_ALIKE = [("Jan", "Jana"), ("Christian", "Christiane"), ("Samir", "Samira")]


def _typo(name: str, rnd: random.Random) -> str:
    if name in VARIANTS:
        return VARIANTS[name]
    i = rnd.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _guardians(fam: int, rnd: random.Random) -> list[dict]:
    surname = rnd.choice(SURNAMES)
    plz = f"{rnd.randrange(1067, 99999):05d}"
    address = f"{rnd.choice(STREETS)} {rnd.randrange(1, 120)}, {plz} Ort{plz[:2]}"
    family_mail = f"familie.{fam}@example.org" if rnd.random() < 0.3 else None
    landline = f"+49351{fam:07d}" if rnd.random() < 0.3 else None
    if rnd.random() < 0.03:
        first = list(rnd.choice(PAIRS_ALIKE))
    elif rnd.random() < 0.05:
        first = ["Stefan", rnd.choice(FEMALE)]
    else:
        first = [rnd.choice(MALE), rnd.choice(FEMALE)]
    count = 1 if rnd.random() < 0.2 else 2
    people = []
    for g in range(count):
        last = surname if g == 0 or rnd.random() < 0.8 else rnd.choice(SURNAMES)
        mail = family_mail or (
            f"{first[g].lower()}.{fam}.{g}@example.org" if rnd.random() < 0.7 else None
        )
        people.append(
            {
                "person_wahr": f"F{fam}G{g}",
                "vorname": first[g],
                "nachname": last,
                "adresse": address,
                "email": mail,
                "telefon": landline
                or (f"+49151{fam:06d}{g}" if rnd.random() < 0.5 else None),
            }
        )
    return people


def _fault(guardian: dict, rnd: random.Random) -> dict:
    out = dict(guardian)
    kind = rnd.random()
    if kind < 0.4:
        region = out["adresse"].split(", ")[1][:2]
        plz = f"{region}{rnd.randrange(0, 999):03d}"
        out["adresse"] = f"Alte Str. {rnd.randrange(1, 50)}, {plz} Alt"
    elif kind < 0.6 and len(out["vorname"]) > 3:
        out["vorname"] = _typo(out["vorname"], rnd)
    elif kind < 0.8 and out["email"]:
        out["email"] = out["email"].upper().lower()  # cleaned upstream: same value
    else:
        out["email"] = None
    return out


def synthetic_long(
    families: int, *, seed: int = 7, fault_rate: float = 0.1
) -> pl.DataFrame:
    """Return a long table of ``families`` families with ``person_wahr``."""
    rnd = random.Random(seed)
    rows = []
    zeile = 2
    kid = 100000
    for fam in range(families):
        guardians = _guardians(fam, rnd)
        children = rnd.choice([1, 1, 1, 1, 2, 2, 3])
        faulty = (
            rnd.randrange(children)
            if children > 1 and rnd.random() < fault_rate * 3
            else -1
        )
        for c in range(children):
            kid += 1
            for slot, g in enumerate(guardians, start=1):
                shown = _fault(g, rnd) if c == faulty and slot == 1 else g
                rows.append(
                    {
                        **shown,
                        "zeile": zeile,
                        "slot": str(slot),
                        "kind_id": str(kid),
                        "klasse": f"{rnd.randrange(1, 5)}{rnd.choice('abc')}",
                    }
                )
            zeile += 1
    frame = pl.DataFrame(rows).with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        pl.lit("synth.csv").alias("quelle"),
    )
    truth = frame["person_wahr"]
    return conform_long(frame.drop("person_wahr")).with_columns(truth)


def pair_quality(frame: pl.DataFrame) -> dict[str, float]:
    """Pairwise precision and recall of ``person`` against ``person_wahr``.

    Also counts ``extra_konten`` (true persons split into several persons) and
    ``falsch_zusammen`` (persons holding rows of several true persons).
    """

    def pairs(by: list[str]) -> int:
        sizes = frame.group_by(by).len()["len"]
        return int((sizes * (sizes - 1) // 2).sum())

    both, predicted, true = (
        pairs(["person", "person_wahr"]),
        pairs(["person"]),
        pairs(["person_wahr"]),
    )
    split = frame.group_by("person_wahr").agg(pl.col("person").n_unique() - 1)
    wrong = frame.group_by("person").agg(pl.col("person_wahr").n_unique() - 1)
    several = frame.group_by("person_wahr").len().filter(pl.col("len") > 1)
    split_multi = split.join(several, on="person_wahr").filter(pl.col("person") > 0)
    return {
        "precision": both / predicted if predicted else 1.0,
        "recall": both / true if true else 1.0,
        "extra_konten": int(split["person"].sum()),
        "falsch_zusammen": int(wrong["person_wahr"].sum()),
        "anteil_getrennt": split_multi.height / several.height
        if several.height
        else 0.0,
    }
