"""Hand-worked examples of the coverage figure and the single-threaded flag (pure rule)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from bookwise.contacts.rules import ContactFacts, coverage, names_contact, strength_from_days, stronger

DM = "decision_maker"


def test_coverage_hand_worked():
    """Acme: 3 decision makers (Ann known by R1 and R2, Bob by R1, Cy by nobody), an influencer
    Dee known by R3 and R4, a user Eve known by R5, and Flo (decision maker) who left, known by
    R9. Active contacts: Ann, Bob, Cy, Dee, Eve = 5. Decision makers: Ann, Bob, Cy = 3, covered:
    Ann, Bob = 2 -> 2/3. Known by more than one rep: Ann, Dee = 2 of 5. Decision makers' reps:
    R1, R2 -> not single-threaded."""
    contacts = [
        ContactFacts(1, DM, False, {1: "strong", 2: "met"}),
        ContactFacts(2, DM, False, {1: "regular"}),
        ContactFacts(3, DM, False, {}),
        ContactFacts(4, "influencer", False, {3: "met", 4: "met"}),
        ContactFacts(5, "user", False, {5: "met"}),
        ContactFacts(6, DM, True, {9: "strong"}),
    ]
    cov = coverage(contacts)
    assert (cov.decision_makers, cov.decision_makers_covered) == (3, 2)
    assert cov.ratio == Fraction(2, 3)
    assert (cov.multi_threaded, cov.contacts) == (2, 5)
    assert cov.dm_reps == {1, 2}
    assert not cov.single_threaded
    assert cov.sentence() == "2 of 3 decision makers covered; 2 of 5 contacts known by more than one rep"


def test_one_rep_knows_the_only_decision_maker_is_single_threaded():
    cov = coverage([ContactFacts(1, DM, False, {7: "strong"}), ContactFacts(2, "user", False, {8: "met"})])
    assert cov.ratio == 1 and cov.single_threaded


def test_two_decision_makers_known_through_the_same_rep_are_single_threaded():
    cov = coverage([ContactFacts(1, DM, False, {7: "strong"}), ContactFacts(2, DM, False, {7: "met"})])
    assert cov.single_threaded and cov.ratio == 1


def test_a_second_rep_on_a_decision_maker_ends_the_risk():
    cov = coverage([ContactFacts(1, DM, False, {7: "strong", 8: "met"})])
    assert not cov.single_threaded and cov.multi_threaded == 1


def test_no_decision_maker_has_no_figure_and_no_flag():
    cov = coverage([ContactFacts(1, "user", False, {7: "met"})])
    assert cov.ratio is None and not cov.single_threaded
    assert cov.sentence().startswith("no decision maker recorded")
    assert coverage([]).sentence() == "No contacts recorded."


def test_nobody_knows_the_decision_maker_is_not_single_but_uncovered():
    cov = coverage([ContactFacts(1, DM, False, {})])
    assert cov.ratio == 0 and not cov.single_threaded and cov.uncovered_decision_makers == 1


def test_strength_from_activity_days_thresholds():
    assert [strength_from_days(n) for n in (0, 1, 2, 3, 5, 6, 40)] == [
        None,
        "met",
        "met",
        "regular",
        "regular",
        "strong",
        "strong",
    ]


def test_stronger_and_names_contact():
    assert (
        stronger("met", "strong") == "strong" and stronger(None, "met") == "met" and stronger("regular", None)
    )
    assert names_contact("Lunch with  jane ROE about renewal", "Jane Roe")
    assert not names_contact("Lunch with Jane", "Jane Roe")


strengths = st.sampled_from(["met", "regular", "strong"])
facts = st.builds(
    ContactFacts,
    st.integers(1, 1000),
    st.sampled_from([DM, "influencer", "user", "finance", "procurement"]),
    st.booleans(),
    st.dictionaries(st.integers(1, 5), strengths, max_size=4),
)


@given(st.lists(facts, max_size=12))
def test_coverage_bounds(contacts):
    cov = coverage(contacts)
    assert 0 <= cov.decision_makers_covered <= cov.decision_makers <= cov.contacts
    assert 0 <= cov.multi_threaded <= cov.contacts
    if cov.single_threaded:
        assert len(cov.dm_reps) == 1 and cov.decision_makers_covered >= 1
