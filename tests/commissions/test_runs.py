"""Runs on the database: crediting from the ownership history, transfers, co-coverage,
overrides, approval freezing and prior-period adjustments."""

import json
import zlib
from datetime import date

import pytest

from bookwise.commissions.compute.period import PayPeriod
from bookwise.commissions.compute.statements import StatementLine
from bookwise.commissions.models import Run, Statement
from bookwise.commissions.services import plan_file_load, run_approve, run_compute
from bookwise.commissions.services.runs import statements_for
from bookwise.core.errors import Conflict
from tests import factories as f

from .helpers import load_plans
from .line_period import compute_period, compute_period_per_line

pytestmark = pytest.mark.django_db


def by_rep(label="2026-Q1"):
    return {data["rep_id"]: data for _, data in statements_for(label)}


def test_primary_owner_on_the_date_is_credited(org):
    load_plans()
    acc = f.account("A1", owner=org["R1"], since=date(2020, 1, 1))
    f.order(acc, date(2026, 1, 10), "1000.00", external_id="O1")
    f.order(acc, date(2026, 2, 10), "500.00", rep=org["R3"], external_id="O2")  # names its rep
    s = by_rep()
    assert s["R1"]["commission"] == "50.00"  # 1000 x 5 %
    assert s["R1"]["attainment"] == 0.01  # 1000 / 100000
    assert s["R3"]["commission"] == "25.00"
    assert s["R1"]["lines"][0] == {
        "order_id": "O1",
        "account_id": "A1",
        "order_date": "2026-01-10",
        "credit": "1000.00",
        "factor": 1.0,
        "commission": "50.00",
        "explanation": "plan AM 2026 v1; tier 1 (5 %)",
    }
    assert set(s) == {"R1", "R2", "R3", "R4", "M1", "M2"}  # employed reps with a plan; no director plan


def test_co_coverage_split(org):
    # R2 co-covers with 0.2: R1 credits 800, R2 200
    load_plans()
    acc = f.account("A1", owner=org["R1"])
    f.own(acc, org["R2"], date(2026, 1, 1), role="secondary")
    f.order(acc, date(2026, 1, 10), "1000.00", external_id="O1")
    s = by_rep()
    assert (s["R1"]["credit"], s["R1"]["commission"]) == ("800.00", "40.00")
    assert (s["R2"]["credit"], s["R2"]["commission"]) == ("200.00", "10.00")
    assert "co-coverage share 0.2" in s["R2"]["lines"][0]["explanation"]


def test_gross_profit_plan_with_unknown_gp_credits_zero_and_lists_it(org):
    load_plans(base="gross_profit")
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2026, 1, 10), "1000.00", gp="300.00", external_id="O1")
    f.order(acc, date(2026, 1, 11), "1000.00", gp=None, external_id="O2")
    s = by_rep()["R1"]
    assert [(x["order_id"], x["credit"], x["commission"]) for x in s["lines"]] == [
        ("O1", "300.00", "15.00"),
        ("O2", "0.00", "0.00"),
    ]
    assert "gross profit unknown" in s["lines"][1]["explanation"]


def test_transfer_inside_the_period(org):
    # R1 held A1 until 2026-01-31; R3 received it by transfer on 2026-02-01 (delay 1 month,
    # ramp 0.5, threshold over the prior 12 months). Baseline B covers
    # [2025-02-01, 2026-01-31]: O0 and O1, also inside the period = 1400.
    load_plans(rule=True)
    acc = f.account("A1")
    f.own(acc, org["R1"], date(2020, 1, 1), date(2026, 1, 31))
    f.own(acc, org["R3"], date(2026, 2, 1), reason="transfer")
    f.order(acc, date(2025, 6, 1), "1000.00", external_id="O0")
    f.order(acc, date(2026, 1, 15), "400.00", external_id="O1")  # R1, before t
    f.order(acc, date(2026, 2, 15), "600.00", external_id="O2")  # R3, in the delay: 0, fills B to 600
    f.order(acc, date(2026, 3, 1), "1000.00", external_id="O3")  # R3: 600 above B; x0.5
    s = by_rep()
    assert s["R1"]["commission"] == "20.00"
    r3 = {x["order_id"]: x for x in s["R3"]["lines"]}
    assert r3["O2"]["commission"] == "0.00"
    # s = 600, above = max(0, 1600 - 1400) - max(0, 600 - 1400) = 200 -> g = 0.2, f = 0.1;
    # 1000 x 5 % x 0.1 = 5
    assert (r3["O3"]["factor"], r3["O3"]["commission"]) == (0.1, "5.00")
    assert s["R3"]["credit"] == "1600.00"  # attainment counts the full credit


def test_threshold_baseline_counts_only_lines_that_credit_somebody(org):
    # B is "the account's credit (all reps' shares)" over [t - 12 months, t - 1 day]: a
    # line with no rep_id and no owner on its date credits nobody, so it is not in B.
    # A1: R1 until 2025-05-31, nobody until 2026-01-31, R3 by transfer from 2026-02-01.
    load_plans(rule=True)  # delay 1 month, ramp 0.5 from month 0, threshold prior_12_months
    acc = f.account("A1")
    f.own(acc, org["R1"], date(2020, 1, 1), date(2025, 5, 31))
    f.own(acc, org["R3"], date(2026, 2, 1), reason="transfer")
    f.order(acc, date(2025, 3, 1), "400.00", external_id="O0")  # R1's: B = 400
    f.order(acc, date(2025, 7, 1), "1000.00", external_id="O1")  # nobody's: not in B
    f.order(acc, date(2026, 2, 15), "200.00", external_id="O2")  # R3, in the delay: 0, s = 200
    f.order(acc, date(2026, 3, 10), "1000.00", external_id="O3")
    for compute in (compute_period, compute_period_per_line):
        (r3,) = [s for s in compute("2026-Q1") if s.rep_ref == "R3"]
        o3 = r3.lines[1]
        # above B: max(0, 200 + 1000 - 400) - max(0, 200 - 400) = 800 -> g = 0.8; ramp 0.5
        # at month 1 -> f = 0.4; 1000 x 5 % x 0.4 = 20.00 (B = 1400 would pay 0)
        assert (o3.order_id, o3.factor, o3.commission) == ("O3", 0.4, "20.00")
        assert "threshold share 800.00/1000.00 above baseline 400.00" in o3.explanation


def test_threshold_with_t_inside_the_period_starts_the_reps_credit_at_0(org):
    # R3 received A1 on 2026-02-15, inside 2026-Q1, and had a line of A1 naming them on
    # 2026-01-10, before t. That line is in B (over [t - 12 months, t - 1 day]) but not in
    # s_i, which counts from t: s starts at 0, never at minus the credit in [period start, t).
    load_plans(rule=True)  # delay 1 month, ramp 0.5 from month 0, threshold prior_12_months
    acc = f.account("A1")
    f.own(acc, org["R1"], date(2020, 1, 1), date(2026, 2, 14))
    f.own(acc, org["R3"], date(2026, 2, 15), reason="transfer")
    f.order(acc, date(2026, 1, 10), "400.00", rep=org["R3"], external_id="O1")  # B = 400
    f.order(acc, date(2026, 3, 20), "1000.00", external_id="O2")  # R3 as owner, after the delay
    # above B: max(0, 0 + 1000 - 400) - max(0, 0 - 400) = 600 -> g = 0.6; ramp 0.5 -> f = 0.3;
    # 1000 x 5 % x 0.3 = 15.00 (s starting at -400 gave g = 0.2, f = 0.1, 5.00)
    stored = {st.rep.external_id: st.as_json() for st in run_compute(period="2026-Q1").statements.all()}
    o2 = {x["order_id"]: x for x in stored["R3"]["lines"]}["O2"]
    assert (o2["factor"], o2["commission"]) == (0.3, "15.00")
    assert "threshold share 600.00/1000.00 above baseline 400.00" in o2["explanation"]
    for compute in (compute_period, compute_period_per_line):
        (r3,) = [s for s in compute("2026-Q1") if s.rep_ref == "R3"]
        assert [(x.order_id, x.factor, x.commission) for x in r3.lines][1] == ("O2", 0.3, "15.00")


def test_manager_override_on_team_growth_and_negative_growth(org):
    load_plans()
    a1, a3 = f.account("A1", owner=org["R1"]), f.account("A3", owner=org["R3"])
    f.order(a1, date(2025, 2, 1), "10000.00")
    f.order(a1, date(2026, 2, 1), "15000.00")  # M1's team grew 5000 -> 2 % = 100
    f.order(a3, date(2025, 2, 1), "9000.00")
    f.order(a3, date(2026, 2, 1), "8000.00")  # M2's team shrank: 0
    f.order(a1, date(2026, 2, 2), "99999.00", rep=org["M1"])  # own credit never counts
    s = by_rep()
    assert s["M1"]["override"] == "100.00"
    assert s["M2"]["override"] == "0.00"
    assert s["M1"]["team_credit"] == {"current": "15000.00", "year_before": "10000.00"}


def test_same_data_same_run_and_an_approved_run_never_changes(org):
    load_plans()
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2026, 1, 10), "1000.00", external_id="O1")
    first = [st.as_json() for st in run_compute(period="2026-Q1").statements.order_by("rep__external_id")]
    second_run = run_compute(period="2026-Q1")
    assert [st.as_json() for st in second_run.statements.order_by("rep__external_id")] == first
    assert Run.objects.filter(period="2026-Q1").count() == 1  # the draft was replaced
    run_approve(run=second_run, actor=None)
    f.order(acc, date(2026, 3, 30), "2000.00", external_id="O-late")  # late order
    frozen = Run.objects.get(pk=second_run.pk)
    assert [st.as_json() for st in frozen.statements.order_by("rep__external_id")] == first
    with pytest.raises(Conflict):
        run_compute(period="2026-Q1")
    later = by_rep("2026-Q2")["R1"]
    assert later["adjustments"] == "100.00"  # 2000 x 5 %
    (adj,) = later["adjustment_lines"]
    assert (adj["period"], adj["order_id"], adj["previous"], adj["current"]) == (
        "2026-Q1",
        "O-late",
        "0.00",
        "100.00",
    )
    assert later["total"] == "100.00"


def test_adjustments_are_not_repeated_once_paid(org):
    load_plans()
    acc = f.account("A1", owner=org["R1"])
    run_approve(run=run_compute(period="2026-Q1"), actor=None)
    f.order(acc, date(2026, 3, 30), "2000.00", external_id="O-late")
    run_approve(run=run_compute(period="2026-Q2"), actor=None)
    assert by_rep("2026-Q3")["R1"]["adjustments"] == "0.00"
    f.order(acc, date(2026, 3, 31), "-1000.00", external_id="O-credit")  # credit note afterwards
    assert by_rep("2026-Q3")["R1"]["adjustments"] == "-50.00"


TWO_ROLES = """\
plans:
  - {name: AM, roles: [account_manager], valid_from: 2026-01-01, valid_to: 2026-12-31, period: quarter,
     tiers: [{from: 0, rate: 0.05}]}
  - {name: Hunters, roles: [hunter], valid_from: 2026-01-01, valid_to: 2026-12-31, period: quarter,
     tiers: [{from: 0, rate: 0.04}]}
"""


def test_a_late_line_under_a_plan_that_paid_nobody_at_approval_is_adjusted():
    # H1, the only hunter, left in 2025: the approved 2026-Q1 run has no hunter statement,
    # yet a late Q1 line naming H1 earns 4 % under the Hunters plan, so the next run lists it
    # (the run pins every plan paying its period, not only those its statements used).
    r1, h1 = f.rep("R1"), f.rep("H1", role="hunter", end_date=date(2025, 6, 30))
    plan_file_load(text=TWO_ROLES, filename="plans.yaml")
    acc = f.account("A1", owner=r1)
    f.order(acc, date(2026, 1, 10), "100.00", external_id="O1")
    approved = run_compute(period="2026-Q1")
    assert [st.rep.external_id for st in approved.statements.all()] == ["R1"]
    run_approve(run=approved, actor=None)
    f.order(acc, date(2026, 2, 1), "1000.00", rep=h1, external_id="O-late")
    stored = {st.rep.external_id: st.data for st in run_compute(period="2026-Q2").statements.all()}
    (adj,) = stored["H1"]["adjustment_lines"]
    found = (adj["period"], adj["order_id"], adj["previous"], adj["current"])
    assert found == ("2026-Q1", "O-late", "0.00", "40.00")
    assert stored["H1"]["adjustments"] == "40.00"


def test_quota_override_for_the_exact_period(org):
    load_plans(extra="quotas:\n  - {rep_id: R1, period: 2026-Q1, quota: 200000}\n")
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2026, 1, 10), "150000.00")
    s = by_rep()["R1"]
    assert (s["quota"], s["attainment"], s["commission"]) == ("200000.00", 0.75, "7500.00")
    assert by_rep("2026-Q2")["R1"]["quota"] == "100000.00"


def test_secondary_line_uses_transfer_date_of_that_rep(org):
    # secondary without primary: the secondary takes the whole line
    load_plans()
    acc = f.account("A1")
    f.own(acc, org["R2"], date(2025, 1, 1), role="secondary")
    f.order(acc, date(2026, 1, 10), "100.00")
    assert by_rep()["R2"]["credit"] == "100.00"


def test_vectorised_and_per_line_paths_agree_on_a_mixed_book(org):
    # transfers with threshold and delay, co-coverage, a rep_id line, credit notes, GP base
    load_plans(base="gross_profit", rule=True)
    a1, a2, a3 = f.account("A1"), f.account("A2", owner=org["R2"]), f.account("A3", owner=org["R4"])
    f.own(a1, org["R1"], date(2020, 1, 1), date(2025, 12, 14))
    f.own(a1, org["R3"], date(2025, 12, 15), reason="rebalance")
    f.own(a2, org["R4"], date(2025, 6, 1), role="secondary")
    for i, (acc, day, amount, gp) in enumerate(
        [(a1, date(2025, 3, 1), "5000.00", "1500.00"), (a1, date(2025, 12, 20), "900.00", "270.01"),
         (a1, date(2026, 1, 20), "1000.00", "333.33"), (a1, date(2026, 2, 20), "7000.00", "2100.07"),
         (a1, date(2026, 3, 20), "-500.00", "-150.00"), (a2, date(2026, 1, 5), "999.99", "123.45"),
         (a2, date(2026, 2, 5), "50.00", None), (a3, date(2026, 3, 5), "100000.00", "99999.99"),
         (a3, date(2026, 3, 6), "-2000.00", "-2000.00")]
    ):  # fmt: skip
        f.order(acc, day, amount, gp=gp, external_id=f"O{i}", kind="new" if i % 2 else "repeat")
    f.order(a2, date(2026, 3, 1), "10.00", gp="3.00", rep=org["R3"], external_id="O-named")
    fast = [(s.rep_ref, s.credit, s.commission, s.lines, s.override) for s in compute_period("2026-Q1")]
    slow = [
        (s.rep_ref, s.credit, s.commission, s.lines, s.override) for s in compute_period_per_line("2026-Q1")
    ]
    assert fast == slow
    r3 = {x[0]: x for x in dict((s[0], s[3]) for s in fast)["R3"]}
    assert r3["O2"][5] == "0.00"  # still below the baseline B = 1500 (GP of 2025)


def test_run_pays_plans_of_its_period_kind_and_the_later_valid_from(org):
    from bookwise.commissions.services import plan_file_load

    text = """\
plans:
  - {name: Monthly, roles: [account_manager], valid_from: 2026-01-01, valid_to: 2026-06-30, period: month,
     tiers: [{from: 0, rate: 0.10}]}
"""
    plan_file_load(text=text, filename="a.yaml")
    later = text.replace("Monthly", "Monthly H2").replace("2026-01-01", "2026-03-15").replace("0.10", "0.20")
    later = later.replace("2026-06-30", "2026-12-31")
    plan_file_load(text=later, filename="b.yaml")  # overlaps March: the later valid_from wins there
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2026, 2, 10), "100.00")
    f.order(acc, date(2026, 3, 10), "100.00")
    assert by_rep("2026-Q1") == {}  # no quarter plan
    assert by_rep("2026-02")["R1"]["commission"] == "10.00"
    march = by_rep("2026-03")["R1"]
    assert (march["plan"], march["commission"]) == ("Monthly H2", "20.00")
    assert "R2" not in by_rep("2026-02")  # a hunter: no plan for that role


def test_periods_up_to_the_current_one_and_not_before_the_first_plan(org):
    from bookwise.commissions.services.runs import check_period
    from bookwise.core.errors import RuleViolation

    with pytest.raises(RuleViolation, match="Period: no commission plan is loaded"):
        check_period("2026-Q1", date(2026, 5, 1))
    load_plans()  # valid from 2026-01-01
    day = date(2026, 5, 1)
    assert [check_period(p, day).label for p in ("2026-Q2", "2026-05", "2026", "2026-01")] == [
        "2026-Q2", "2026-05", "2026", "2026-01",
    ]  # fmt: skip
    with pytest.raises(
        RuleViolation, match=r"Period: 2026-Q3 has not started yet; .* current one \(2026-Q2\)"
    ):
        check_period("2026-Q3", day)
    with pytest.raises(
        RuleViolation, match=r"Period: 2026-06 has not started yet; .* current one \(2026-05\)"
    ):
        check_period("2026-06", day)
    with pytest.raises(RuleViolation, match=r"Period: 2025-Q4 ends before the first commission plan starts"):
        check_period("2025-Q4", day)
    with pytest.raises(RuleViolation, match="Period: 'next quarter' is not a period"):
        check_period("next quarter", day)
    assert not Run.objects.exists()


def test_the_current_period_is_approved_but_a_later_one_never(org):
    from bookwise.core.errors import RuleViolation

    load_plans()
    run = run_compute(period="2026-Q2", today=date(2026, 5, 1))
    with pytest.raises(RuleViolation, match="2026-Q2 has not started yet"):
        run_approve(run=run, actor=None, today=date(2026, 3, 31))
    assert run_approve(run=run, actor=None, today=date(2026, 5, 1)).status == "approved"


def test_stored_lines_are_typed_and_kept_as_documented_json_arrays(org):
    load_plans()
    acc = f.account("A1", owner=org["R1"], since=date(2020, 1, 1))
    f.order(acc, date(2026, 1, 10), "1000.00", external_id="O1")
    run = run_compute(period="2026-Q1")
    st = Statement.objects.get(run=run, rep__external_id="R1")
    row = ["O1", "A1", "2026-01-10", "1000.00", 1.0, "50.00", "plan AM 2026 v1; tier 1 (5 %)"]
    assert json.loads(zlib.decompress(bytes(st.lines_blob))) == [row]  # docs/commissions.md
    (line,) = Statement.objects.get(pk=st.pk).lines
    assert isinstance(line, StatementLine) and list(line) == row
    assert (line.order_id, line.commission, line.factor) == ("O1", "50.00", 1.0)


def test_a_pay_period_is_a_month_quarter_or_year_parsed_once():
    q = PayPeriod.parse("2026-Q1")
    assert (q.kind, q.start, q.end) == ("quarter", date(2026, 1, 1), date(2026, 3, 31))
    assert q.year_earlier() == PayPeriod("2025-Q1", "quarter", date(2025, 1, 1), date(2025, 3, 31))
    assert PayPeriod.parse("2024-02").end == date(2024, 2, 29)
    assert PayPeriod.of(q) is q
    with pytest.raises(ValueError):
        PayPeriod.parse("2026-W05")
