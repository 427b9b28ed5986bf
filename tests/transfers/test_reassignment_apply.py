"""Issue 11 item 2, the service level: a plan is proposed, checked and applied with the
effective date's tiers and loads; lost accounts and accounts with an open transfer are left
out with the reason; apply creates every transfer or none and names the blocking line;
every change is audited.

On today's main: test_plan_uses_the_effective_dates_tiers fails (the plan says feasible and
apply refuses "Rep R2 would be over capacity (5 of 1 points)"), test_lost_and_open_transfer_
accounts_are_left_out fails (both are planned; apply fails "already has an open transfer"),
test_a_line_can_be_removed and the audit tests fail (no plan_edit module, no removal)."""

import pytest

from bookwise.core.errors import Forbidden, RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.retention.selectors import account_tiers
from bookwise.transfers import plan_edit, planning
from bookwise.transfers.models import PlanState, Transfer
from bookwise.transfers.workload import rep_loads
from tests import factories
from tests.transfers.helpers import d, draft

pytestmark = pytest.mark.django_db
DAY = d(2026, 6, 1)
EFFECTIVE = d(2026, 7, 1)


def leaving(org, n=3):
    org["R1"].end_date = d(2026, 6, 30)
    org["R1"].save()
    return [factories.account(f"B{i}", owner=org["R1"], territory=org["R1"].territory) for i in range(n)]


def test_plan_uses_the_effective_dates_tiers(org):
    """X is tier C today (a big account dwarfs it) and tier A on the effective date (the big
    account's only order leaves the 12-month window): the plan counts it as A."""
    leaving(org, n=0)
    x = factories.account("X", owner=org["R1"], territory=org["R1"].territory)
    factories.order(x, d(2026, 5, 10), "100.00")
    big = factories.account("BIG", owner=org["R3"])
    factories.order(big, d(2025, 6, 15), "900000.00")
    assert account_tiers(day=DAY)[x.pk].tier != account_tiers(day=EFFECTIVE)[x.pk].tier == "A"
    load = rep_loads(day=EFFECTIVE, rep_ids=[org["R2"].pk])[org["R2"].pk].points
    org["R2"].capacity = int(load) + 1  # room for a tier-C account, not for a tier-A one
    org["R2"].save()
    plan = planning.plan_create(from_rep=org["R1"], actor=org["M1"].user, day=DAY, effective_date=EFFECTIVE)
    line = plan.lines.get()
    assert line.points == 5  # tier A's points, as on the effective date
    assert plan.feasible is False and line.to_rep is None  # honest: R2 cannot take it
    assert plan.shortfalls[0]["kind"] in {"total_capacity", "account_fits_nowhere"}


def test_proposal_points_match_the_check_so_a_feasible_plan_applies(org):
    accounts = leaving(org, n=4)
    for i, a in enumerate(accounts):
        factories.order(a, d(2025, 6, 20 + i), f"{(i + 1) * 1000}.00")
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    tiers = account_tiers(day=EFFECTIVE)
    for line in plan.lines.all():
        assert line.points == {"A": 5, "B": 2, "C": 1}[tiers[line.account_id].tier]
    assert plan.feasible
    assert len(plan_edit.plan_apply(plan=plan, actor=org["D1"].user)) == 4


def test_lost_and_open_transfer_accounts_are_left_out(org):
    b0, b1, b2 = leaving(org)
    b1.status, b1.lost_date, b1.lost_reason = "lost", d(2026, 3, 1), "price"
    b1.save()
    draft(org, b2, to_key="R2", actor_key="M1")
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    assert list(plan.lines.values_list("account__external_id", flat=True)) == ["B0"]
    assert plan.excluded == [
        {"account_id": "B1", "name": b1.name, "reason": f"lost on {d(2026, 3, 1):%Y-%m-%d}"},
        {"account_id": "B2", "name": b2.name, "reason": "open transfer to Rep R2 (draft)"},
    ]
    transfers = plan_edit.plan_apply(plan=plan, actor=org["D1"].user)
    assert [t.account.external_id for t in transfers] == ["B0"]
    data = planning.plan_compute(from_rep=org["R1"], user=None, day=DAY, effective_date=EFFECTIVE)
    assert {x["account_id"] for x in data["excluded"]} == {"B0", "B1", "B2"}  # B0 now has one too


def test_a_line_can_be_removed_and_is_listed_as_left_out(org):
    leaving(org)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    line = plan.lines.get(account__external_id="B1")
    plan_edit.plan_line_remove(line=line, actor=org["D1"].user)
    plan.refresh_from_db()
    assert sorted(plan.lines.values_list("account__external_id", flat=True)) == ["B0", "B2"]
    assert plan.excluded[-1]["account_id"] == "B1" and plan.excluded[-1]["reason"].startswith("removed from")
    assert len(plan_edit.plan_apply(plan=plan, actor=org["D1"].user)) == 2
    assert not Transfer.objects.filter(account__external_id="B1").exists()


def test_apply_is_all_or_nothing_and_names_the_blocking_line(org):
    b0, b1, b2 = leaving(org)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    line = plan.lines.select_related("to_rep").get(account=b1)
    draft(org, b1, to_key="R2", actor_key="M1")  # arrives after the plan was proposed
    with pytest.raises(RuleViolation) as refused:
        plan_edit.plan_apply(plan=plan, actor=org["D1"].user)
    assert refused.value.message == (
        f"{b1.name} (B1) to {line.to_rep.name}: the account already has an open transfer to Rep R2: "
        "remove the line."
    )
    assert Transfer.objects.filter(plan=plan).count() == 0
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_a_failure_inside_the_batch_rolls_every_transfer_back(org, monkeypatch):
    leaving(org)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    real = plan_edit.transfer_create
    calls = []

    def third_fails(**kw):
        calls.append(kw["account"].external_id)
        if len(calls) == 3:
            raise RuleViolation("refused for the test")
        return real(**kw)

    monkeypatch.setattr(plan_edit, "transfer_create", third_fails)
    with pytest.raises(RuleViolation, match=r"^Customer B2 \(B2\) to .*: refused for the test$"):
        plan_edit.plan_apply(plan=plan, actor=org["D1"].user)
    assert calls == ["B0", "B1", "B2"] and not Transfer.objects.exists()


def test_edits_removal_discard_and_apply_are_audited(org):
    leaving(org)
    actor = org["D1"].user
    plan = planning.plan_create(from_rep=org["R1"], actor=actor, day=DAY, effective_date=EFFECTIVE)
    lines = list(plan.lines.order_by("account__external_id"))
    plan_edit.plan_line_update(line=lines[0], to_rep=org["R4"], actor=actor)
    plan_edit.plan_line_remove(line=lines[1], actor=actor)
    plan_edit.plan_apply(plan=plan, actor=actor)
    entries = AuditEntry.objects.filter(object_type="transfers.reassignmentplan", object_id=str(plan.pk))
    actions = list(entries.order_by("id").values_list("action", "actor__username"))
    assert actions == [
        ("plan.create", actor.username),
        ("plan.edit", actor.username),
        ("plan.remove_line", actor.username),
        ("plan.apply", actor.username),
    ]
    edit = entries.get(action="plan.edit").data
    assert edit["account"] == "B0" and edit["to"] == "R4"
    with pytest.raises(RuleViolation, match="applied; it can no longer change"):
        plan_edit.plan_discard(plan=plan, actor=actor)


def test_discarded_plan_cannot_be_applied(org):
    leaving(org, n=1)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    plan_edit.plan_discard(plan=plan, actor=org["D1"].user)
    with pytest.raises(RuleViolation, match="discarded"):
        plan_edit.plan_apply(plan=plan, actor=org["D1"].user)


def test_reassigning_to_an_ineligible_rep_is_refused(org):
    leaving(org, n=1)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["M1"].user, day=DAY, effective_date=EFFECTIVE)
    line = plan.lines.get()
    with pytest.raises(RuleViolation, match="Rep R3 is not among the reps you may give accounts to"):
        plan_edit.plan_line_update(line=line, to_rep=org["R3"], actor=org["M1"].user)
    with pytest.raises(RuleViolation, match="Rep R1's book is the one being handed over"):
        plan_edit.plan_line_update(line=line, to_rep=org["R1"], actor=org["M1"].user)
    with pytest.raises(Forbidden):
        plan_edit.plan_line_update(line=line, to_rep=org["R2"], actor=org["M2"].user)


def test_open_transfers_into_a_rep_count_in_their_load(org):
    accounts = leaving(org, n=2)
    other = factories.account("OTHER", owner=org["R4"])
    before = planning.workload_view(day=EFFECTIVE).loads[org["R2"].pk].points
    draft(org, other, to_key="R2", actor_key="D1")
    assert planning.workload_view(day=EFFECTIVE).loads[org["R2"].pk].points == before + 1
    assert accounts


def test_a_manager_applies_only_lines_to_reps_of_the_team(org):
    """The director's plan gives R1's account to R3 (M2's team): M1 is told which line needs a
    director and nothing is drafted; the director applies it."""
    (b0,) = leaving(org, n=1)
    plan = planning.plan_create(from_rep=org["R1"], actor=org["D1"].user, day=DAY, effective_date=EFFECTIVE)
    line = plan.lines.get()
    plan_edit.plan_line_update(line=line, to_rep=org["R3"], actor=org["D1"].user)
    with pytest.raises(Forbidden, match=rf"{b0.name} \(B0\) to Rep R3: Rep R3 is in another team"):
        plan_edit.plan_apply(plan=plan, actor=org["M1"].user)
    assert not Transfer.objects.filter(plan=plan).exists()
    assert [t.to_rep.external_id for t in plan_edit.plan_apply(plan=plan, actor=org["D1"].user)] == ["R3"]
