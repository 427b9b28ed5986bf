"""The hand-worked book of tests/goals/helpers.py (docs/goals.md): each figure per node,
setting and splitting goals with their audit entries, refusals that change nothing, and
who may do what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bookwise.core.errors import Forbidden, NotFound, RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.goals import selectors, services
from bookwise.goals.figures import FIGURES, measuring
from bookwise.goals.models import Goal
from bookwise.goals.periods import goal_period
from bookwise.goals.tree import tree_for

from .helpers import PERIOD, YEAR_END, Y, book

pytestmark = pytest.mark.django_db
D = Decimal


def period():
    return goal_period(PERIOD, date(Y + 1, 1, 1))


def by_ref(figure_key: str) -> dict[str, tuple]:
    p, tree = period(), tree_for(period())
    measures = FIGURES[figure_key].measure(p, p.previous())
    return {tree.refs[k]: (m.value, m.weight) for k, m in measures.items()}


def test_each_figure_per_node_by_hand(org):
    book(org)
    logo, nrr, grr = by_ref("logo_retention"), by_ref("nrr"), by_ref("grr")
    # B = {A1, A2, A4, A5}, R = {A1, A4, A5}
    assert logo["company"] == (D("0.75"), 4) and logo["region:East"] == (D("0.5"), 2)
    # NRR = (1200 + 0 + 1500 + 1000) / 4500; GRR = (1000 + 0 + 1500 + 1000) / 4500
    assert nrr["company"] == (D(3700) / D(4500), D(4500))
    assert grr["company"][0] == D(3500) / D(4500)
    assert nrr["territory:North"] == (D("0.8"), D(1500)) and nrr["rep:R3"] == (D("0.75"), D(2000))
    assert nrr["rep:R2"][0] is None  # an empty base: no ratio
    gp, new = by_ref("gp_growth"), by_ref("new_accounts")
    # gp Y 1140 - gp Y-1 1100; North 490 - 400; South 650 - 700; weights: gp of Y-1
    assert gp["company"] == (D(40), D(1100)) and gp["region:East"] == (D(90), D(400))
    assert gp["region:West"] == (D(-50), D(700))
    assert new["company"][0] == 1 and new["rep:R2"][0] == 1 and new["region:West"] == (0, 1)


def test_set_and_split_evenly_then_by_last_year_audited(org):
    book(org)
    d1 = org["D1"].user
    goal = services.goal_set(figure_key="nrr", period_label=PERIOD, target="90%", actor=d1)
    assert goal.target_units == 9000 and goal.level == "company"
    entry = AuditEntry.objects.get(action="goal.set")
    assert (
        entry.actor == d1
        and entry.data["after"] == {"target": "90.00 %"}
        and entry.data["before"]["target"] is None
    )
    parts = services.goal_split(
        figure_key="nrr", period_label=PERIOD, node_ref="company", method="even", actor=d1
    )
    assert [g.target_units for g in parts] == [9000, 9000]
    with measuring():
        parts = services.goal_split(
            figure_key="nrr", period_label=PERIOD, node_ref="company", method="last_year", actor=d1
        )
    assert [g.target_units for g in parts] == [10026, 8488]  # docs/goals.md
    split = AuditEntry.objects.filter(action="goal.split").order_by("-id").first()
    assert split.data["before"] == {"East (region)": "90.00 %", "West (region)": "90.00 %"}
    assert split.data["after"] == {"East (region)": "100.26 %", "West (region)": "84.88 %"}


def test_a_split_by_hand_must_add_up_and_a_refusal_changes_nothing(org):
    book(org)
    d1 = org["D1"].user
    services.goal_set(figure_key="gp_growth", period_label=PERIOD, target="1100", actor=d1)
    audits = AuditEntry.objects.count()
    with pytest.raises(RuleViolation, match="the parts sum to 1000.00, -100.00 against the goal"):
        services.goal_split(
            figure_key="gp_growth",
            period_label=PERIOD,
            node_ref="company",
            method="hand",
            targets={"region:East": "400", "region:West": "600"},
            actor=d1,
        )
    with pytest.raises(RuleViolation, match="missing: West"):
        services.goal_split(
            figure_key="gp_growth",
            period_label=PERIOD,
            node_ref="company",
            method="hand",
            targets={"region:East": "400"},
            actor=d1,
        )
    with pytest.raises(RuleViolation, match="Mars"):
        services.goal_split(
            figure_key="gp_growth",
            period_label=PERIOD,
            node_ref="company",
            method="hand",
            targets={"region:East": "400", "region:West": "700", "region:Mars": "1"},
            actor=d1,
        )
    assert Goal.objects.count() == 1 and AuditEntry.objects.count() == audits
    parts = services.goal_split(
        figure_key="gp_growth", period_label=PERIOD, node_ref="company", method="last_year", actor=d1
    )
    assert [g.target_units for g in parts] == [40000, 70000]


def test_targets_out_of_the_domain_are_refused_in_words(org):
    d1 = org["D1"].user
    for figure, target, words in [
        ("logo_retention", "101%", r"Target: 101% is above what Logo retention can reach \(100 %\)"),
        ("nrr", "-5%", "negative"),
        ("new_accounts", "2.5", "more decimals"),
        ("gp_growth", "lots", "not a number"),
    ]:
        with pytest.raises(RuleViolation, match=words):
            services.goal_set(figure_key=figure, period_label=PERIOD, target=target, actor=d1)
    with pytest.raises(RuleViolation, match="outside"):
        services.goal_set(figure_key="nrr", period_label="2099", target="1", actor=d1)
    with pytest.raises(RuleViolation, match="not a year or a quarter"):
        services.goal_set(figure_key="nrr", period_label="2026-13", target="1", actor=d1)
    with pytest.raises(RuleViolation, match="not a figure"):
        services.goal_set(figure_key="revenue", period_label=PERIOD, target="1", actor=d1)
    assert not Goal.objects.exists() and not AuditEntry.objects.exists()


def test_directors_set_managers_split_their_team_reps_see_their_own(org):
    book(org)
    d1, m1, m2, r1 = org["D1"].user, org["M1"].user, org["M2"].user, org["R1"].user
    with pytest.raises(Forbidden):
        services.goal_set(figure_key="nrr", period_label=PERIOD, target="90%", actor=m1)
    services.goal_set(figure_key="nrr", period_label=PERIOD, target="90%", actor=d1)
    with pytest.raises(NotFound):  # the company's goal is not M1's team's: not even seen
        services.goal_split(
            figure_key="nrr", period_label=PERIOD, node_ref="company", method="even", actor=m1
        )
    services.goal_split(figure_key="nrr", period_label=PERIOD, node_ref="company", method="even", actor=d1)
    services.goal_split(
        figure_key="nrr", period_label=PERIOD, node_ref="region:East", method="even", actor=m1
    )
    with pytest.raises(NotFound):  # West is M2's: M1 does not even see it
        services.goal_split(
            figure_key="nrr", period_label=PERIOD, node_ref="region:West", method="even", actor=m1
        )
    services.goal_split(
        figure_key="nrr", period_label=PERIOD, node_ref="territory:North", method="even", actor=m1
    )
    with pytest.raises(NotFound):
        services.goal_split(
            figure_key="nrr", period_label=PERIOD, node_ref="territory:North", method="even", actor=m2
        )

    def seen(user) -> set[str]:
        with measuring():
            return {s.ref for s in selectors.visible_standings(user=user, period=period(), day=YEAR_END)}

    assert seen(d1) >= {"company", "region:East", "region:West", "territory:North", "rep:R1"}
    assert seen(m1) == {"region:East", "territory:North", "rep:M1", "rep:R1", "rep:R2"}
    assert seen(r1) == {"rep:R1"}
    with pytest.raises(NotFound):
        selectors.goal_get(user=r1, period=period(), figure_key="nrr", ref="rep:R2")
    with pytest.raises(Forbidden):  # R1 sees their own goal but splits nothing
        services.goal_split(figure_key="nrr", period_label=PERIOD, node_ref="rep:R1", method="even", actor=r1)


def test_attainment_status_and_off_track(org):
    book(org)
    d1 = org["D1"].user
    services.goal_set(figure_key="nrr", period_label=PERIOD, target="90%", actor=d1)
    services.goal_split(figure_key="nrr", period_label=PERIOD, node_ref="company", method="even", actor=d1)
    services.goal_split(
        figure_key="nrr", period_label=PERIOD, node_ref="region:East", method="even", actor=d1
    )
    services.goal_split(
        figure_key="nrr", period_label=PERIOD, node_ref="territory:North", method="even", actor=d1
    )
    with measuring():
        rows = {
            s.ref: s
            for s in selectors.visible_standings(user=d1, period=period(), day=YEAR_END, with_checks=True)
        }
        late = selectors.off_track(user=d1, period=period(), day=YEAR_END)
        # mid-year: every order is on 15 March, so the trailing year to 30 June reads the same
        mid = selectors.visible_standings(user=d1, period=period(), day=date(Y, 6, 30))
    company = rows["company"]
    assert company.value == D(3700) / D(4500) and company.status == "off_track"
    assert company.attainment == company.value / D("0.9")
    assert rows["rep:R2"].status == "no_data" and rows["rep:M1"].status == "no_data"
    assert rows["company"].consistency.consistent and rows["territory:North"].consistency.consistent
    assert [s.ref for s in late] == ["territory:North", "rep:R1"]  # 0.8 < 0.855; furthest behind first
    assert [s.value for s in mid if s.ref == "company"] == [company.value]


def test_gp_growth_to_date_against_a_straight_line(org):
    book(org)
    d1 = org["D1"].user
    services.goal_set(figure_key="gp_growth", period_label=PERIOD, target="1100", actor=d1)
    with measuring():
        [mid] = selectors.visible_standings(user=d1, period=period(), day=date(Y, 3, 31))
    # 1 Jan to 31 March: 90 days of the year; gp to date Y 1140 against the same stretch of Y-1 1100
    assert mid.target_to_date == (D(1100) * 90 / period().days).quantize(D("0.01"))
    assert mid.value == D(40)


def test_the_split_page_writes_money_weights_to_the_cent_and_counts_whole(org, login):
    """GRR's base (revenue) as money, logo retention's (accounts) as a count: the page wrote
    both as plain numbers (1,500 for 1,500.00)."""
    book(org)
    d1 = org["D1"].user
    for figure, target in (("grr", "80%"), ("logo_retention", "80%")):
        services.goal_set(figure_key=figure, period_label=PERIOD, target=target, actor=d1)
    client = login(org["D1"])
    grr = client.get(f"/goals/{PERIOD}/grr/split/?node=company").content.decode()
    logo = client.get(f"/goals/{PERIOD}/logo_retention/split/?node=company").content.decode()
    # bases for Y: East holds A1, A2, A3 (1500 in Y-1), West A4, A5 (3000)
    assert '<td class="num">1,500.00</td>' in grr and '<td class="num">3,000.00</td>' in grr
    assert '<td class="num">2</td>' in logo and '<td class="num">2</td>' in logo
