"""Tests of elternkit.persons: which rows are the same guardian.

Each rule of the issue ("a family is not a person") has its own small frame.
"""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame, long_frame_from_case, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elternkit.options import Options
from elternkit.persons import (
    PairDecision,
    find_duplicates,
    fingerprint_expr,
    koelner_phonetik,
    row_fingerprint,
)
from elternkit.persons_block import build_records, candidate_pairs
from elternkit.text import fold_expr, fold_name

HAUPT = "Hauptstr. 1, 01067 Dresden"
NEU = "Neue Str. 5, 01069 Dresden"
LINDEN = "Lindenweg 3, 01099 Dresden"
LEIPZIG = "Lindenweg 3, 04109 Leipzig"


def two(a: dict, b: dict) -> pl.DataFrame:
    """A long table of two guardian rows (different source rows by default)."""
    rows = [a, b]
    cols = sorted({k for r in rows for k in r})
    return long_frame(**{c: [r.get(c) for r in rows] for c in cols})


def same_person(frame: pl.DataFrame, **kwargs: object) -> bool:
    persons = find_duplicates(frame, **kwargs).frame["person"].to_list()
    return persons[0] == persons[1]


def row(vorname: str, nachname: str = "Beispiel", **more: object) -> dict:
    return {"vorname": vorname, "nachname": nachname, **more}


# (id, row a, row b, same person?)
RULE_CASES = [
    (
        "exact-name-same-address",
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1002", adresse=HAUPT),
        True,
    ),
    (
        "exact-name-same-email",
        row("Anna", kind_id="1001", email="anna@example.org"),
        row("Anna", kind_id="1002", email="anna@example.org"),
        True,
    ),
    (
        "exact-name-same-phone",
        row("Anna", kind_id="1001", telefon="+493511234567"),
        row("Anna", kind_id="1002", telefon="+493511234567"),
        True,
    ),
    (
        "umlaut-variant-surname-same-address",
        row("Jörg", "Müller", kind_id="1001", adresse=HAUPT),
        row("Joerg", "Mueller", kind_id="1002", adresse=HAUPT),
        True,
    ),
    (
        "stale-address-shared-child",
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1001", adresse=NEU, zeile=9),
        True,
    ),
    (
        "first-name-spelling-variant-on-sibling",
        row("Stefan", "Müller", kind_id="1001", email="sm@example.org"),
        row("Stephan", "Müller", kind_id="1002", email="sm@example.org"),
        True,
    ),
    (
        "first-name-typo-on-sibling",
        row("Michael", kind_id="1001", adresse=HAUPT, telefon="+49351111"),
        row("Micheal", kind_id="1002", adresse=HAUPT, telefon="+49351111"),
        True,
    ),
    (
        "surname-typo-on-sibling",
        row("Anna", "Beispiel", kind_id="1001", adresse=HAUPT),
        row("Anna", "Beispeil", kind_id="1002", adresse=HAUPT),
        True,
    ),
    (
        "family-email-alone-never-merges-first-names",
        row("Anna", kind_id="1001", email="familie@example.org", zeile=2),
        row("Lars", kind_id="1001", email="familie@example.org", zeile=3),
        False,
    ),
    (
        "family-landline-and-address-never-merge-first-names",
        row("Anna", kind_id="1001", adresse=HAUPT, telefon="+49351111"),
        row("Lars", kind_id="1002", adresse=HAUPT, telefon="+49351111"),
        False,
    ),
    (
        "gender-samir-samira",
        row("Samir", "Yilmaz", kind_id="1001", adresse=HAUPT, email="y@example.org"),
        row("Samira", "Yilmaz", kind_id="1002", adresse=HAUPT, email="y@example.org"),
        False,
    ),
    (
        "gender-christian-christiane",
        row("Christian", kind_id="1001", adresse=HAUPT, email="b@example.org"),
        row("Christiane", kind_id="1002", adresse=HAUPT, email="b@example.org"),
        False,
    ),
    (
        "gender-jan-jana",
        row("Jan", kind_id="1001", adresse=HAUPT, telefon="+49351111"),
        row("Jana", kind_id="1002", adresse=HAUPT, telefon="+49351111"),
        False,
    ),
    (
        "same-name-elsewhere-nothing-in-common-is-unsure",
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1002", adresse=LINDEN),
        False,
    ),
    (
        "same-name-in-another-plz-region-is-not-even-compared",
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1002", adresse=LEIPZIG),
        False,
    ),
    (
        "swapped-names-same-email",
        row("Roselinde", "Ring", kind_id="1001", email="rr@example.org"),
        row("Ring", "Roselinde", kind_id="1002", email="rr@example.org"),
        True,
    ),
    (
        "swapped-names-same-child-only",
        row("Roselinde", "Ring", kind_id="1001", zeile=2),
        row("Ring", "Roselinde", kind_id="1001", zeile=3),
        False,
    ),
    (
        "variant-name-nothing-in-common",
        row("Stefan", "Müller", kind_id="1001", adresse=HAUPT),
        row("Stephan", "Müller", kind_id="1002", adresse=LINDEN),
        False,
    ),
    (
        "variant-name-on-same-child-is-unsure",
        row("Lena", kind_id="1001", adresse=HAUPT, zeile=2),
        row("Lea", kind_id="1001", adresse=HAUPT, zeile=3),
        False,
    ),
    (
        "other-surname-same-first-name",
        row("Anna", "Beispiel", kind_id="1001", adresse=HAUPT),
        row("Anna", "Muster", kind_id="1002", adresse=HAUPT),
        False,
    ),
]


@pytest.mark.parametrize(("a", "b", "same"), **table(RULE_CASES))
def test_rule(a: dict, b: dict, same: bool) -> None:
    frame = two(a, b)

    result = same_person(frame)

    assert result is same


# (id, row a, row b, expected entscheidung, words in grund)
VERDICT_CASES = [
    (
        "exact-with-evidence",
        row("Anna", kind_id="1001", email="a@example.org", adresse=HAUPT),
        row("Anna", kind_id="1002", email="a@example.org", adresse=NEU),
        "gleich",
        "gemeinsam: E-Mail",
    ),
    (
        "same-name-nothing-else",
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1002", adresse=LINDEN),
        "unsicher",
        "sonst nichts gemeinsam",
    ),
    (
        "gender",
        row("Jan", kind_id="1001", adresse=HAUPT),
        row("Jana", kind_id="1002", adresse=HAUPT),
        "verschieden",
        "Geschlechts",
    ),
    (
        "family-email",
        row("Anna", kind_id="1001", email="f@example.org"),
        row("Maria", kind_id="1002", email="f@example.org"),
        "verschieden",
        "allein reichen nicht",
    ),
    (
        "variant-contradicting-contact",
        row("Stefan", "Müller", kind_id="1001", adresse=HAUPT, email="a@example.org"),
        row("Stephan", "Müller", kind_id="1002", adresse=HAUPT, email="b@example.org"),
        "unsicher",
        "andere Kontaktdaten",
    ),
    (
        "double-first-name",
        row("Anna-Lena", kind_id="1001", email="al@example.org"),
        row("Anna", kind_id="1002", email="al@example.org"),
        "unsicher",
        "Doppelname",
    ),
    (
        "changed-surname",
        row("Anna", "Beispiel", kind_id="1001", email="anna@example.org"),
        row("Anna", "Muster", kind_id="1002", email="anna@example.org"),
        "unsicher",
        "anderer Nachname",
    ),
]


@pytest.mark.parametrize(("a", "b", "verdict", "why"), **table(VERDICT_CASES))
def test_pair_verdict_and_reason(a: dict, b: dict, verdict: str, why: str) -> None:
    frame = two(a, b)

    pairs = find_duplicates(frame).pairs

    assert pairs.height == 1
    assert pairs["entscheidung"][0] == verdict
    assert why in pairs["grund"][0]


def test_slots_of_one_source_row_are_different_people() -> None:
    frame = long_frame(
        zeile=[2, 2],
        slot=["1", "2"],
        vorname=["Anna", "Anna"],
        nachname=["Beispiel", "Beispiel"],
        adresse=[HAUPT, HAUPT],
        kind_id=["1001", "1001"],
    )

    res = find_duplicates(frame)

    assert res.frame["person"].n_unique() == 2
    assert res.frame["person"][0] != res.frame["person"][1]


def test_split_cell_slots_1a_1b_are_different_people() -> None:
    frame = long_frame(
        zeile=[2, 2],
        slot=["1a", "1b"],
        vorname=["Anna", "Lara"],
        nachname=["Beispiel", "Beispiel"],
        email=["f@example.org", "f@example.org"],
        kind_id=["1001", "1001"],
    )

    assert find_duplicates(frame).frame["person"].n_unique() == 2


def test_chain_never_joins_two_slots_of_one_row_and_is_reported() -> None:
    # Row 2 holds two guardians named alike; rows 3 and 4 each match one of
    # them, and rows 3 and 4 match each other: the chain must be cut.
    frame = long_frame(
        zeile=[2, 2, 3, 4],
        slot=["1", "2", "1", "1"],
        vorname=["Anna"] * 4,
        nachname=["Beispiel"] * 4,
        email=["x@example.org", "y@example.org", "x@example.org", "y@example.org"],
        telefon=[None, None, "+49351111", "+49351111"],
        kind_id=["1001", "1001", "1002", "1003"],
    )

    res = find_duplicates(frame)

    persons = res.frame["person"].to_list()
    assert persons[0] != persons[1]
    cut = res.pairs.filter(pl.col("grund").str.contains("widerspricht"))
    assert cut.height == 1
    assert cut["entscheidung"][0] == "unsicher"
    assert "dublette_unsicher" in res.findings["code"].to_list()


def test_unsure_pair_is_reported_naming_both_rows() -> None:
    frame = two(
        row("Anna", kind_id="1001", adresse=HAUPT, zeile=2),
        row("Anna", kind_id="1002", adresse=LINDEN, zeile=7),
    )

    findings = find_duplicates(frame).findings

    assert findings["code"].to_list() == ["dublette_unsicher"]
    assert findings["schwere"][0] == "warnung"
    assert "Zeile 2 und Zeile 7 (test.csv)" in findings["meldung"][0]
    assert "Dublettenprüfung" in findings["meldung"][0]


def test_merge_unsure_option_merges_unsure_pairs() -> None:
    frame = two(
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1002", adresse=LINDEN),
    )

    res = find_duplicates(frame, options=Options(merge_unsure=True))

    assert res.frame["person"].n_unique() == 1
    assert res.findings.filter(pl.col("code") == "dublette_unsicher").is_empty()


def _keys(frame: pl.DataFrame) -> list[str]:
    return row_fingerprint(frame).to_list()


def test_decision_same_merges_unsure_pair() -> None:
    frame = two(
        row("Anna", kind_id="1001", adresse=HAUPT),
        row("Anna", kind_id="1002", adresse=LINDEN),
    )
    key_a, key_b = _keys(frame)

    res = find_duplicates(
        frame, decisions=[PairDecision(key_a, key_b, same=True, author="Sekretariat")]
    )

    assert res.frame["person"].n_unique() == 1
    assert "Entscheidung: gleich (Sekretariat)" in res.pairs["grund"][0]


def test_decision_different_keeps_sure_pair_apart() -> None:
    frame = two(
        row("Anna", kind_id="1001", email="a@example.org", adresse=HAUPT),
        row("Anna", kind_id="1002", email="a@example.org", adresse=NEU),
    )
    key_a, key_b = _keys(frame)

    res = find_duplicates(frame, decisions=[PairDecision(key_b, key_a, same=False)])

    assert res.frame["person"].n_unique() == 2
    assert res.pairs["entscheidung"][0] == "verschieden"


def test_decision_cannot_merge_two_slots_of_one_row() -> None:
    frame = long_frame(
        zeile=[2, 2],
        slot=["1", "2"],
        vorname=["Anna", "Lars"],
        nachname=["Beispiel", "Beispiel"],
        kind_id=["1001", "1001"],
    )
    key_a, key_b = _keys(frame)

    res = find_duplicates(frame, decisions=[PairDecision(key_a, key_b, same=True)])

    assert res.frame["person"].n_unique() == 2
    assert "widerspricht" in res.pairs["grund"][0]


def test_decision_for_rows_not_in_export_is_listed_as_unmatched() -> None:
    frame = two(row("Anna", kind_id="1001"), row("Lars", kind_id="1001"))
    stale = PairDecision("9999|anna|beispiel", "1001|lars|beispiel", same=True)

    res = find_duplicates(frame, decisions=[stale])

    assert res.unmatched_decisions == [stale]


def test_b28_sibling_conflict_is_one_person() -> None:
    frame = long_frame_from_case("b28_sibling_conflict.csv").with_columns(
        pl.concat_str(
            pl.col("Straße"), pl.concat_str("PLZ", "Ort", separator=" "), separator=", "
        ).alias("adresse")
    )

    res = find_duplicates(frame)

    assert res.frame["person"].n_unique() == 1
    assert res.findings.is_empty()


def test_b15_shared_email_two_persons_and_a_finding_naming_both_rows() -> None:
    frame = long_frame_from_case("b15_shared_email.csv")

    res = find_duplicates(frame)

    assert res.frame["person"].n_unique() == 2
    shared = res.findings.filter(pl.col("code") == "email_geteilt")
    assert shared.height == 1
    assert "Zeile 2 und Zeile 3" in shared["meldung"][0]
    assert "bleibt bei allen" in shared["meldung"][0]


def test_shared_email_finding_names_the_removal_policy() -> None:
    frame = long_frame_from_case("b15_shared_email.csv")

    res = find_duplicates(frame, options=Options(shared_email="keine"))

    assert res.findings["code"].to_list() == ["email_geteilt_entfernt"]
    assert res.findings["schwere"][0] == "warnung"
    assert "bei allen entfernt" in res.findings["meldung"][0]


def test_person_ids_are_content_hashes_stable_when_rows_are_added() -> None:
    base = two(
        row("Anna", kind_id="1001", email="a@example.org"),
        row("Anna", kind_id="1002", email="a@example.org"),
    )
    extra = two(row("Lars", kind_id="1003"), row("Eva", "Probe", kind_id="1004"))
    extra = extra.with_columns(pl.col("_row") + 2, pl.col("zeile") + 2)

    alone = find_duplicates(base).frame["person"][0]
    together = find_duplicates(pl.concat([extra, base])).frame

    assert alone.startswith("P")
    assert together.filter(pl.col("vorname") == "Anna")[
        "person"
    ].unique().to_list() == [alone]


def test_empty_frame_gives_empty_resolution() -> None:
    frame = long_frame(vorname=[])

    res = find_duplicates(frame)

    assert res.frame.is_empty()
    assert res.pairs.is_empty()
    assert "entscheidung" in res.pairs.columns


# Kölner Phonetik ------------------------------------------------------------

KOELNER_CASES = [
    ("reference-example", "Müller-Lüdenscheidt", "65752682"),
    ("meier", "Meier", "67"),
    ("mayer", "Mayer", "67"),
    ("wikipedia-example", "Wikipedia", "3412"),
    ("c-at-start-before-h", "Christian", "47826"),
    ("c-at-start-before-a", "Cäsar", "487"),
    ("c-at-start-before-e", "Celine", "856"),
    ("x-after-vowel", "Xaver", "4837"),
    ("ch-after-vowel", "Dachs", "248"),
    ("x-after-consonant", "Marx", "6748"),
    ("ph", "Stephan", "8236"),
    ("dt-before-s", "Schmidts", "8628"),
    ("empty", "", ""),
    ("only-vowels", "Aue", "0"),
]


@pytest.mark.parametrize(("name", "code"), **table(KOELNER_CASES))
def test_koelner_phonetik(name: str, code: str) -> None:
    assert koelner_phonetik(name) == code


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßAÖÜ -", max_size=20))
def test_koelner_code_is_digits_and_ignores_case(name: str) -> None:
    code = koelner_phonetik(name)

    assert code == "" or code.isdigit()
    assert koelner_phonetik(name.upper()) == code


# Keys -------------------------------------------------------------------------

NAMES = st.text(alphabet="aAäÄeéÉoöÖuüÜßẞ- ´'.lmnrstyÿøœæ\u00a0çÇ", max_size=12)


@given(st.lists(NAMES, min_size=1, max_size=5))
def test_fold_expr_agrees_with_fold_name(names: list[str]) -> None:
    frame = pl.DataFrame({"n": names}, schema={"n": pl.String})

    folded = frame.select(fold_expr(pl.col("n")))["n"].to_list()

    assert folded == [fold_name(n) for n in names]


def test_fingerprint_survives_case_umlaut_and_spaces() -> None:
    frame = long_frame(
        kind_id=["1001", " 1001 "],
        vorname=["Jörg", "JOERG"],
        nachname=["Müller-Weiß", "Mueller Weiss "],
    )

    keys = frame.select(fingerprint_expr())["fingerprint"].to_list()

    assert keys == ["1001|joerg|muellerweiss"] * 2


def test_huge_block_is_compared_in_windows() -> None:
    # 50 guardians named Müller at one PLZ, all first names starting alike.
    n = 50
    frame = long_frame(
        vorname=[f"Max{chr(97 + i % 26)}{i}" for i in range(n)],
        nachname=["Müller"] * n,
        plz=["01067"] * n,
        kind_id=[str(1000 + i) for i in range(n)],
        zeile=list(range(2, n + 2)),
    )
    _, records = build_records(frame)

    pairs = candidate_pairs(records, max_block=10)

    assert pairs.height <= n * 10
    assert pairs.height > 0


# Properties ---------------------------------------------------------------------

FIRST = st.sampled_from(["Anna", "Lars", "Jan", "Jana", "Stefan", "Stephan"])
LAST = st.sampled_from(["Beispiel", "Muster", "Müller"])
EMAIL = st.sampled_from([None, "a@example.org", "f@example.org"])
ADDR = st.sampled_from([None, HAUPT, NEU])
KIDS = st.sampled_from(["1001", "1002", "1003"])


@st.composite
def guardian_frames(draw: st.DrawFn) -> pl.DataFrame:
    n_rows = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for i in range(n_rows):
        for slot in ("1", "2")[: draw(st.integers(min_value=1, max_value=2))]:
            rows.append(
                {
                    "zeile": i + 2,
                    "slot": slot,
                    "vorname": draw(FIRST),
                    "nachname": draw(LAST),
                    "email": draw(EMAIL),
                    "adresse": draw(ADDR),
                    "kind_id": draw(KIDS),
                }
            )
    frame = pl.DataFrame(rows)
    return long_frame(**{c: frame[c].to_list() for c in frame.columns})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guardian_frames())
def test_property_two_slots_of_one_row_never_merge(frame: pl.DataFrame) -> None:
    out = find_duplicates(frame).frame

    per_row = out.group_by("zeile").agg(
        pl.len().alias("n"), pl.col("person").n_unique().alias("p")
    )
    assert (per_row["n"] == per_row["p"]).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guardian_frames())
def test_property_identical_rows_with_contact_are_one_person(
    frame: pl.DataFrame,
) -> None:
    identity = ["vorname", "nachname", "adresse", "email"]
    frame = frame.filter(
        (pl.col("adresse").is_not_null() | pl.col("email").is_not_null())
        & (pl.len().over("zeile", *identity) == 1)
    )

    out = find_duplicates(frame).frame

    groups = out.group_by(identity).agg(pl.col("person").n_unique().alias("p"))
    assert (groups["p"] == 1).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guardian_frames(), st.randoms(use_true_random=False))
def test_property_result_does_not_depend_on_row_order(frame: pl.DataFrame, rnd) -> None:
    order = list(range(frame.height))
    rnd.shuffle(order)
    shuffled = frame[order]

    first = find_duplicates(frame).frame.select("_row", "person").sort("_row")
    second = find_duplicates(shuffled).frame.select("_row", "person").sort("_row")

    assert first.equals(second)


def test_father_and_son_of_one_name_at_one_address_are_not_merged_silently():
    from elternkit.schema import conform_long as conform

    frame = conform(
        pl.DataFrame(
            {
                "_row": [0, 1],
                "zeile": [2, 3],
                "slot": ["1", "1"],
                "quelle": ["x.csv", "x.csv"],
                "vorname": ["Hans", "Hans"],
                "nachname": ["Becker", "Becker"],
                "adresse": ["Hauptstr. 1, 01067 Dresden"] * 2,
                "email": ["hans.becker@example.org", "hb.junior@example.net"],
                "telefon": ["+4915111111111", "+4917622222222"],
                "kind_id": ["1", "2"],
            }
        )
    )

    resolution = find_duplicates(frame)

    assert resolution.frame["person"].n_unique() == 2
    assert resolution.findings["code"].to_list() == ["dublette_unsicher"]
    assert "Vater und Sohn" in resolution.findings["meldung"][0]


def test_a_common_name_gives_one_unsure_finding_per_row_not_per_pair():
    from elternkit.schema import conform_long as conform

    n = 30
    frame = conform(
        pl.DataFrame(
            {
                "_row": list(range(n)),
                "zeile": list(range(2, 2 + n)),
                "slot": ["1"] * n,
                "quelle": ["x.csv"] * n,
                "vorname": ["Thomas"] * n,
                "nachname": ["Müller"] * n,
                "kind_id": [str(1000 + i) for i in range(n)],
            }
        )
    )

    resolution = find_duplicates(frame)

    unsure = resolution.findings.filter(pl.col("code") == "dublette_unsicher")
    assert 0 < unsure.height <= n
    assert unsure["_row"].n_unique() == unsure.height
    assert any("weitere" in m for m in unsure["meldung"])
