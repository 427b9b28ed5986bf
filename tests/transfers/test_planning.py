import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bookwise.core.errors import Forbidden, RuleViolation
from bookwise.transfers import plan_edit, planning
from bookwise.transfers.models import Transfer
from tests import factories
from tests.transfers.helpers import d

pytestmark = pytest.mark.django_db
DAY = d(2026, 6, 1)


def leaving_book(org, n=4):
    org["R1"].end_date = d(2026, 6, 30)
    org["R1"].save()
    return [factories.account(f"B{i}", owner=org["R1"], territory=org["R1"].territory) for i in range(n)]


def run_plan_cli(*args):
    out = StringIO()
    call_command("transfer", "plan", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_plan_assigns_every_account_within_capacity(org):
    leaving_book(org)
    data = run_plan_cli("--from", "R1", "--date", DAY.isoformat())
    assert data["from"] == "R1" and data["feasible"] is True and data["excluded"] == []
    assert sorted(a["account_id"] for a in data["assignments"]) == ["B0", "B1", "B2", "B3"]
    assert {a["to"] for a in data["assignments"]} <= {"R2", "R3", "R4"}
    assert data["objective"] >= data["greedy_objective"] - 1e-6
    assert data["bound"] >= data["objective"] - 1e-6 and data["gap"] <= 0.01


def test_infeasible_plan_explains_the_shortfall(org):
    leaving_book(org, n=3)
    for key in ("R2", "R3", "R4"):
        org[key].capacity = 0 if key != "R2" else 1
        org[key].save()
    data = run_plan_cli("--from", "R1", "--date", DAY.isoformat())
    assert data["feasible"] is False and data["assignments"] == []
    assert data["shortfalls"][0] == {"kind": "total_capacity", "needed": 3.0, "available": 1.0, "short": 2.0}


def test_plan_review_edit_and_apply_creates_drafts(org):
    leaving_book(org, n=2)
    today = timezone.localdate()  # applying drafts transfers: the effective date is in today's window
    plan = planning.plan_create(from_rep=org["R1"], actor=org["M1"].user, day=today, effective_date=today)
    assert plan.feasible and plan.lines.count() == 2  # M1's scope: R2 is the only candidate
    line = plan.lines.first()
    plan_edit.plan_line_update(line=line, to_rep=org["R2"], actor=org["M1"].user)
    transfers = plan_edit.plan_apply(plan=plan, actor=org["M1"].user)
    assert len(transfers) == 2
    assert set(Transfer.objects.filter(plan=plan).values_list("state", "reason")) == {("draft", "departure")}
    with pytest.raises(RuleViolation):
        plan_edit.plan_apply(plan=plan, actor=org["M1"].user)


def test_edit_that_overloads_a_rep_is_refused_and_changes_nothing(org):
    leaving_book(org, n=2)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=DAY)
    org["R4"].capacity = 1
    org["R4"].save()
    first, second = plan.lines.order_by("account__external_id")
    if first.to_rep_id != org["R4"].pk:
        plan_edit.plan_line_update(line=first, to_rep=org["R4"], actor=org["D1"].user)
    before = second.to_rep_id
    with pytest.raises(RuleViolation, match="Rep R4 would be over capacity .* Customer B1 was not moved"):
        plan_edit.plan_line_update(line=second, to_rep=org["R4"], actor=org["D1"].user)
    second.refresh_from_db()
    assert second.to_rep_id == before


def test_apply_refuses_when_capacity_changed_since_and_names_the_line(org):
    leaving_book(org, n=2)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=DAY)
    line = plan.lines.select_related("to_rep").first()
    line.to_rep.capacity = 0
    line.to_rep.save()
    label = f"{line.account.name} ({line.account.external_id}) to {line.to_rep.name}"
    with pytest.raises(RuleViolation) as refused:
        plan_edit.plan_apply(plan=plan, actor=org["D1"].user)
    assert refused.value.message == f"{label}: {line.to_rep.name} has no capacity: pick another rep."
    assert not Transfer.objects.exists()


def test_other_manager_cannot_plan(org):
    leaving_book(org, n=1)
    with pytest.raises(Forbidden):
        planning.plan_create(from_rep=org["R1"], actor=org["M2"].user, day=DAY, effective_date=DAY)


def test_plan_command_refuses_nonsense_options(org):
    leaving_book(org, n=1)
    with pytest.raises(CommandError, match="--tolerance: give a share of capacity between 0 and 1"):
        call_command("transfer", "plan", "--from", "R1", "--tolerance", "5", stdout=StringIO())
    with pytest.raises(CommandError, match="--top-k: give at least 1"):
        call_command("transfer", "plan", "--from", "R1", "--top-k", "0", stdout=StringIO())
    with pytest.raises(CommandError, match="--save needs --as USERNAME"):
        call_command("transfer", "plan", "--from", "R1", "--save", stdout=StringIO())
    with pytest.raises(CommandError, match="plan-apply needs --as USERNAME"):
        call_command("transfer", "plan-apply", "1", stdout=StringIO())


def test_plan_command_table_states_left_out_recipients_and_balance(org):
    accounts = leaving_book(org, n=3)
    accounts[0].status, accounts[0].lost_date, accounts[0].lost_reason = "lost", d(2026, 2, 1), "price"
    accounts[0].save()
    out = StringIO()
    call_command("transfer", "plan", "--from", "R1", "--date", DAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "2 of 3 accounts planned, complete" in text
    assert f"left out: B0 Customer B0: lost on {d(2026, 2, 1):%Y-%m-%d}" in text
    assert "balance: within 10% of the even level" in text and "recipient Rep R" in text
    assert "bound" in text and "(over every candidate pair (HiGHS))" in text
