"""Tests of elternkit.harmonize: identical identity fields on a person's rows."""

from __future__ import annotations

import polars as pl
import pytest
from case_frames import long_frame, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elternkit.harmonize import FieldOverride, harmonize_persons
from elternkit.options import Options
from elternkit.persons import find_duplicates, row_fingerprint

HAUPT = "Hauptstr. 1, 01067 Dresden"
NEU = "Neue Str. 5, 01069 Dresden"


def person_rows(**columns: list) -> pl.DataFrame:
    """Rows of one person ``P1`` (unless ``person`` is given)."""
    height = len(next(iter(columns.values())))
    columns.setdefault("person", ["P1"] * height)
    columns.setdefault("vorname", ["Anna"] * height)
    columns.setdefault("nachname", ["Beispiel"] * height)
    return long_frame(**columns)


# (id, values of one field on the person's rows (zeile 2, 3, ...), winner)
WINNER_CASES = [
    ("most-frequent", [HAUPT, NEU, HAUPT], HAUPT),
    ("most-frequent-even-if-later", [NEU, HAUPT, HAUPT], HAUPT),
    ("tie-longest-wins", ["Hauptstr. 1", HAUPT], HAUPT),
    ("tie-same-length-first-row-wins", [NEU, "Neue Str. 6, 01069 Dresden"], NEU),
    ("null-filled-from-the-only-value", [None, HAUPT, None], HAUPT),
    ("nulls-do-not-outvote", [None, None, NEU], NEU),
    ("all-null-stays-null", [None, None], None),
]


@pytest.mark.parametrize(("values", "winner"), **table(WINNER_CASES))
def test_winning_address(values: list, winner: str | None) -> None:
    frame = person_rows(adresse=values)

    out = harmonize_persons(frame).frame

    assert out["adresse"].to_list() == [winner] * len(values)


def test_address_parts_travel_with_the_winning_address() -> None:
    frame = person_rows(
        adresse=[HAUPT, NEU, HAUPT],
        strasse=["Hauptstr.", "Neue Str.", "Hauptstr."],
        hausnummer=["1", "5", "1"],
        plz=["01067", "01069", "01067"],
        ort=["Dresden"] * 3,
    )

    out = harmonize_persons(frame).frame

    assert out.select("strasse", "hausnummer", "plz").unique().rows() == [
        ("Hauptstr.", "1", "01067")
    ]


def test_tie_on_parts_prefers_the_address_with_more_parts() -> None:
    frame = person_rows(
        adresse=[None, None],
        strasse=["Hauptstr.", "Hauptstr."],
        hausnummer=[None, "1"],
        plz=["01067", "01067"],
    )

    out = harmonize_persons(frame).frame

    assert out["hausnummer"].to_list() == ["1", "1"]


def test_conflict_is_reported_with_all_values_and_the_winner() -> None:
    frame = person_rows(adresse=[HAUPT, NEU, HAUPT])

    st_ = harmonize_persons(frame)

    assert st_.findings["code"].to_list() == ["abweichende_angaben"]
    message = st_.findings["meldung"][0]
    assert f"„{HAUPT}“ (Zeilen 2, 4)" in message
    assert f"„{NEU}“ (Zeile 3)" in message
    assert f"Übernommen wurde „{HAUPT}“" in message
    assert st_.findings["schwere"][0] == "warnung"


def test_every_overwritten_cell_is_a_change() -> None:
    frame = person_rows(
        vorname=["Stefan", "Stephan", "Stefan"],
        email=["s@example.org", None, "s@example.org"],
    )

    changes = harmonize_persons(frame).changes

    assert changes.select("zeile", "feld", "vorher", "nachher", "regel").rows() == [
        (3, "vorname", "Stephan", "Stefan", "vereinheitlicht"),
        (3, "email", None, "s@example.org", "vereinheitlicht"),
    ]


def test_filling_a_null_is_a_change_but_no_conflict() -> None:
    frame = person_rows(telefon=["+493511234567", None])

    st_ = harmonize_persons(frame)

    assert st_.findings.is_empty()
    assert st_.changes.height == 1


def test_rows_of_other_persons_and_without_person_are_untouched() -> None:
    frame = long_frame(
        person=["P1", "P2", None],
        vorname=["Anna", "Lars", "Eva"],
        nachname=["Beispiel", "Beispiel", "Probe"],
        adresse=[HAUPT, NEU, None],
    )

    st_ = harmonize_persons(frame)

    assert st_.frame.equals(frame)
    assert st_.changes.is_empty()


# (id, override value, expected address on all rows)
OVERRIDE_CASES = [
    ("pick-the-minority-value", NEU, NEU),
    ("a-new-value", "Ringstr. 9, 01067 Dresden", "Ringstr. 9, 01067 Dresden"),
    ("empty-the-field", None, None),
]


@pytest.mark.parametrize(("value", "expected"), **table(OVERRIDE_CASES))
def test_override_wins(value: str | None, expected: str | None) -> None:
    frame = person_rows(adresse=[HAUPT, NEU, HAUPT], kind_id=["1001", "1002", "1003"])
    key = row_fingerprint(frame)[1]

    out = harmonize_persons(
        frame, overrides=[FieldOverride(key, "adresse", value, author="Sekretariat")]
    ).frame

    assert out["adresse"].to_list() == [expected] * 3


def test_override_for_another_field_leaves_address_rule_alone() -> None:
    frame = person_rows(adresse=[HAUPT, NEU, HAUPT], kind_id=["1", "2", "3"])
    key = row_fingerprint(frame)[0]

    out = harmonize_persons(
        frame, overrides=[FieldOverride(key, "email", "anna@example.org")]
    ).frame

    assert out["adresse"].to_list() == [HAUPT] * 3
    assert out["email"].to_list() == ["anna@example.org"] * 3


def _shared_email_frame() -> pl.DataFrame:
    return long_frame(
        person=["P1", "P1", "P2"],
        zeile=[2, 3, 4],
        vorname=["Anna", "Anna", "Lars"],
        nachname=["Beispiel"] * 3,
        email=["familie@example.org"] * 3,
    )


# (id, policy, e-mails after)
POLICY_CASES = [
    ("beide-keeps", "beide", ["familie@example.org"] * 3),
    ("keine-removes-from-all", "keine", [None, None, None]),
    ("erste-keeps-first-person", "erste", ["familie@example.org"] * 2 + [None]),
]


@pytest.mark.parametrize(("policy", "after"), **table(POLICY_CASES))
def test_shared_email_policy(policy: str, after: list) -> None:
    frame = _shared_email_frame()

    st_ = harmonize_persons(frame, options=Options(shared_email=policy))

    assert st_.frame["email"].to_list() == after
    removed = st_.changes.filter(pl.col("regel") == "email_geteilt_entfernt")
    assert removed.height == after.count(None)


def test_b28_end_to_end_one_person_identical_rows() -> None:
    frame = long_frame(
        kind_id=["1001", "1002", "1003"],
        vorname=["Anna"] * 3,
        nachname=["Beispiel"] * 3,
        adresse=[HAUPT, NEU, HAUPT],
        email=["anna@example.org"] * 3,
    )

    st_ = harmonize_persons(find_duplicates(frame).frame)

    identity = st_.frame.select("vorname", "nachname", "adresse", "email", "person")
    assert identity.unique().height == 1
    assert st_.findings["code"].to_list() == ["abweichende_angaben"]


FIRST = st.sampled_from(["Anna", "Stefan", "Stephan", None])
VALUES = st.sampled_from([HAUPT, NEU, None])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(["P1", "P2", None]), FIRST, VALUES), min_size=1),
    st.sampled_from(["beide", "keine", "erste"]),
)
def test_property_harmonizing_twice_equals_once(rows: list, policy: str) -> None:
    frame = long_frame(
        person=[r[0] for r in rows],
        vorname=[r[1] for r in rows],
        adresse=[r[2] for r in rows],
        email=["x@example.org" if r[2] else None for r in rows],
    )
    options = Options(shared_email=policy)

    once = harmonize_persons(frame, options=options)
    twice = harmonize_persons(once.frame, options=options)

    assert twice.frame.equals(once.frame)
    assert twice.changes.is_empty()
    assert twice.findings.is_empty()
    per_person = once.frame.filter(pl.col("person").is_not_null()).group_by("person")
    assert (per_person.agg(pl.col("adresse").n_unique())["adresse"] == 1).all()


def test_swapped_name_pair_is_harmonised_as_a_pair_in_plausible_order():
    from elternkit.harmonize import harmonize_persons as harmonize
    from elternkit.schema import conform_long as conform

    frame = conform(
        pl.DataFrame(
            {
                "_row": [0, 1],
                "zeile": [2, 3],
                "person": ["P1", "P1"],
                "vorname": ["Schmiedt", "Janus"],
                "nachname": ["Janus", "Schmiedt"],
                "kind_id": ["1", "2"],
            }
        )
    )

    result = harmonize(frame)

    assert result.frame.select("vorname", "nachname").rows() == [
        ("Janus", "Schmiedt"),
        ("Janus", "Schmiedt"),
    ]
    assert result.findings["code"].to_list() == ["abweichende_angaben"]


@pytest.mark.parametrize(
    ("values", "winner"),
    [
        pytest.param(["Mueller", "Müller"], "Müller", id="umlaut-over-ue"),
        pytest.param(["Weiß", "Weiss"], "Weiß", id="eszett-over-ss"),
        pytest.param(["Weiss", "Weiss", "Weiß"], "Weiss", id="majority-still-wins"),
    ],
)
def test_tie_goes_to_original_spelling_not_transliteration(values, winner):
    from elternkit.schema import conform_long as conform

    n = len(values)
    frame = conform(
        pl.DataFrame(
            {
                "_row": list(range(n)),
                "zeile": list(range(2, 2 + n)),
                "person": ["P1"] * n,
                "vorname": ["Anna"] * n,
                "nachname": values,
                "kind_id": [str(i) for i in range(n)],
            }
        )
    )

    result = harmonize_persons(frame)

    assert result.frame["nachname"].unique().to_list() == [winner]
