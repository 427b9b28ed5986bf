"""The `bookwise commissions` and `bookwise rebates` commands."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bookwise.commissions.models import CommissionPlan, PlanVersion, QuotaOverride, RebateProgramme, Run
from bookwise.core.models import AuditEntry
from tests import factories as f

from .helpers import AM_PLAN

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).with_name("example_plan.yaml")


def call(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, name="plans.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_load_the_contract_example_then_a_changed_plan_makes_a_new_version(tmp_path):
    f.rep("R012")
    out, _ = call("commissions", "load", str(EXAMPLE))
    assert "stored Account managers 2026 v1" in out
    assert QuotaOverride.objects.get().quota == 180000
    assert RebateProgramme.objects.get().year == 2026
    out, _ = call("commissions", "load", str(EXAMPLE))
    assert "unchanged Account managers 2026 v1" in out
    changed = EXAMPLE.read_text().replace("quota: 150000", "quota: 160000")
    out, _ = call("commissions", "load", write(tmp_path, changed))
    assert "stored Account managers 2026 v2" in out
    plan = CommissionPlan.objects.get(name="Account managers 2026")
    assert [v.spec["quota"] for v in plan.versions.order_by("version")] == ["150000", "160000"]
    assert AuditEntry.objects.filter(action="commissions.plan.version").count() == 3


BAD = """\
plans:
  - name: A
    roles: [hunter]
    valid_from: 2026-01-01
    valid_to: 2026-12-31
    colour: red
    tiers:
      - {from: 1.0, rate: 0.05}
      - {from: 0.5, rate: 1.5}
    transfer_rule:
      ramp:
        - {from_month: 2, multiplier: 0.5}
  - name: B
    roles: [hunter]
    valid_from: 2026-06-01
    valid_to: 2026-12-31
    tiers: [{from: 0, rate: 0.1}, {from: 1, rate: 0.2}]
  - name: C
    roles: [hunter]
    valid_from: 2026-06-01
    valid_to: 2027-12-31
quotas:
  - {rep_id: NOBODY, period: 2026-Q1, quota: 1000}
"""


def test_load_reports_every_error_with_its_line_and_stores_nothing(tmp_path):
    path = write(tmp_path, BAD)
    with pytest.raises(CommandError):
        call("commissions", "load", path)
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("commissions", "load", path, stderr=err)
    # each error on its own `error: FILE:LINE: message` line (the last one is the exit message)
    lines = err.getvalue().splitlines() + [f"error: {raised.value}"]
    assert f"error: {path}:6: unknown key 'colour' in a plan" in lines
    assert f"error: {path}:9: tiers are not sorted: from 0.5 after 1.0" in lines
    assert f"error: {path}:9: rate 1.5 is outside [0, 1]" in lines
    assert f"error: {path}:12: the ramp must start at month 0, not 2" in lines
    assert f"error: {path}:17: a plan with more than one tier needs a quota" in lines
    assert f"error: {path}:18: plan 'C' overlaps plan 'B' for role hunter" in lines
    assert PlanVersion.objects.count() == 0


def test_unknown_quota_rep_is_an_error_with_its_line(tmp_path):
    text = (
        AM_PLAN.format(base="amount", rule="") + "quotas:\n  - {rep_id: NOBODY, period: 2026-Q1, quota: 5}\n"
    )
    with pytest.raises(CommandError, match="plans.yaml:20: unknown rep_id 'NOBODY'"):
        call_command("commissions", "load", write(tmp_path, text))
    assert PlanVersion.objects.count() == 0


def test_run_json_stores_the_draft_and_dry_run_only_prints(org, tmp_path):
    call("commissions", "load", write(tmp_path, AM_PLAN.format(base="amount", rule="")))
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2026, 1, 10), "1000.00", external_id="O1")
    out, _ = call("commissions", "run", "--period", "2026-Q1", "--dry-run", "--format", "json")
    assert Run.objects.count() == 0
    data = {s["rep_id"]: s for s in json.loads(out)}
    assert data["R1"]["commission"] == "50.00" and data["R1"]["attainment"] == 0.01
    assert set(data["R1"]) >= {"rep_id", "period", "plan", "quota", "credit", "attainment", "commission",
                               "override", "adjustments", "lines"}  # fmt: skip
    out2, _ = call("commissions", "run", "--period", "2026-Q1", "--format", "json")
    assert json.loads(out2) == json.loads(out)
    assert Run.objects.get().status == "draft"
    out, _ = call("commissions", "run", "--period", "2026-Q1", "--format", "csv")
    assert out.splitlines()[0] == "rep_id,plan,quota,credit,attainment,commission,override,adjustments,total"
    call("commissions", "approve", "--period", "2026-Q1")
    assert Run.objects.get().status == "approved"
    with pytest.raises(CommandError, match="approved"):
        call("commissions", "run", "--period", "2026-Q1")


def test_run_bad_period_is_an_error():
    with pytest.raises(CommandError, match="not a period"):
        call("commissions", "run", "--period", "2026-Q5")


def test_what_if_compares_a_draft_plan_over_past_periods(org, tmp_path):
    call("commissions", "load", write(tmp_path, AM_PLAN.format(base="amount", rule="")))
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2026, 1, 10), "1000.00")
    draft = AM_PLAN.format(base="amount", rule="").replace("rate: 0.05", "rate: 0.06")
    out, _ = call("commissions", "what-if", write(tmp_path, draft, "draft.yaml"), "--periods", "2",
                  "--as-of", "2026-07-15", "--format", "json")  # fmt: skip
    rows = json.loads(out)
    assert [r["period"] for r in rows] == ["2026-Q1", "2026-Q2"]
    assert (rows[0]["current"], rows[0]["proposed"], rows[0]["difference"]) == (
        "70.00",
        "80.00",
        "10.00",
    )  # + M1 override 2 % x 1000
    assert PlanVersion.objects.filter(plan__name="AM 2026").count() == 1  # nothing stored


def test_rebates_report_json(tmp_path):
    f.rep("R012")
    call("commissions", "load", str(EXAMPLE))
    a, b = f.account("A1"), f.account("A2")
    f.order(a, date(2026, 3, 1), "100000.00")  # exactly at the first tier: 2 % of 100000
    f.order(b, date(2026, 3, 1), "50000.00")
    f.order(b, date(2025, 3, 1), "500000.00")  # another year
    out, _ = call("rebates", "report", "--year", "2026", "--format", "json")
    rows = {r["account_id"]: r for r in json.loads(out)}
    assert rows["A1"] | {} == {**rows["A1"], "year": 2026, "revenue": "100000.00", "tier": "100000.00",
                               "rate": 0.02, "rebate": "2000.00"}  # fmt: skip
    assert (rows["A2"]["tier"], rows["A2"]["rebate"]) == (None, "0.00")
    out, _ = call("rebates", "report", "--year", "2026", "--format", "csv")
    assert out.splitlines()[0] == "account_id,name,year,programme,revenue,tier,rate,rebate"


def test_what_if_transfer_shows_who_would_have_been_paid_what(org, tmp_path):
    # A1 moves from R1 to R3 as a transfer at the start of 2026-Q1 (delay 1 month, ramp 0.5,
    # threshold over the prior 12 months: 2025 orders of 1000 fill the baseline first)
    from .helpers import RULE

    call("commissions", "load", write(tmp_path, AM_PLAN.format(base="amount", rule=RULE)))
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2025, 6, 1), "1000.00")
    f.order(acc, date(2026, 1, 10), "2000.00")  # in the delay: R3 earns 0 (R1 earned 100)
    f.order(acc, date(2026, 2, 10), "3000.00")  # B filled by the first; 3000 above x 0.5 x 5 % = 75
    out, _ = call("commissions", "what-if-transfer", "--account", "A1", "--to", "R3", "--periods", "1",
                  "--as-of", "2026-04-15", "--format", "json")  # fmt: skip
    (q1,) = json.loads(out)
    reps = {r["rep_id"]: r for r in q1["reps"]}
    assert (reps["R1"]["current"], reps["R1"]["proposed"]) == ("250.00", "0.00")
    assert (reps["R3"]["current"], reps["R3"]["proposed"]) == ("0.00", "75.00")
    assert Run.objects.count() == 0
    with pytest.raises(CommandError, match="no rep NOBODY"):
        call("commissions", "what-if-transfer", "--account", "A1", "--to", "NOBODY")
