"""Issue 11 item 5, the remaining holes: each entry names who, what and the before/after in
people's words (owners and recipients by name, not database ids), a manager change and a
login made by the reps import are recorded, an admin save of a commission rule is recorded
once with what it was before, and a run made by a command names its `--as` user."""

from __future__ import annotations

import contextvars
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bookwise.accounts.services import ownership_assign, ownership_end
from bookwise.cli import main
from bookwise.commissions.models import QuotaOverride, RebateProgramme
from bookwise.commissions.services import plan_file_load, run_approve, run_compute
from bookwise.core.actor import running_command
from bookwise.core.models import AuditEntry
from bookwise.people.services import rep_set_manager
from bookwise.plans import services as plan_services
from bookwise.plans.models import PlanTemplate
from bookwise.transfers import plan_edit, planning
from tests import factories as f
from tests.commissions.helpers import AM_PLAN, load_plans
from tests.imports.helpers import run as run_import
from tests.plans.helpers import draft

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_an_owner_change_names_the_previous_and_the_new_owner(org):
    account = f.account("A1", owner=org["R1"])
    assignment = ownership_assign(account=account, rep=org["R2"], start=date(2026, 3, 1))
    [entry] = entries("ownership.assign")
    assert entry.data["before"] == {"owner": "Rep R1 (R1)"} and entry.data["after"] == {
        "owner": "Rep R2 (R2)"
    }
    ownership_end(assignment=assignment, end=date(2026, 6, 30))
    [ended] = entries("ownership.end")
    assert ended.data["rep"] == "Rep R2 (R2)"  # a name, not a database id
    assert ended.data["before"] == {"end": None} and ended.data["after"] == {"end": "2026-06-30"}
    fresh = f.account("A2")
    ownership_assign(account=fresh, rep=org["R3"], start=date(2026, 3, 1))
    assert entries("ownership.assign")[-1].data["before"] == {"owner": None}


def test_a_reassignment_plan_line_edit_names_the_previous_recipient(org):
    org["R1"].end_date = date(2026, 6, 30)
    org["R1"].save()
    f.account("B0", owner=org["R1"], territory=org["R1"].territory)
    plan = planning.plan_create(
        from_rep=org["R1"], actor=org["D1"].user, day=date(2026, 6, 1), effective_date=date(2026, 7, 1)
    )
    line = plan.lines.get()
    before = line.to_rep
    target = org["R2"] if before != org["R2"] else org["R3"]
    plan_edit.plan_line_update(line=line, to_rep=target, actor=org["D1"].user)
    [entry] = entries("plan.edit")
    expected = None if before is None else f"{before.name} ({before.external_id})"
    assert entry.data["before"] == {"recipient": expected}
    assert entry.data["after"] == {"recipient": f"{target.name} ({target.external_id})"}


def test_a_plan_edit_records_the_fields_it_changed_before_and_after(org):
    plan = draft(f.account("A1", owner=org["R1"]), actor=org["R1"].user)
    changed = plan_services.PlanContent(
        situation=plan.situation, revenue_target=Decimal("150000.00"), gp_target=plan.gp_target,
        growth_strategy=plan.growth_strategy, risks="Budget freeze; a new CFO.", contacts=plan.contacts,
        cadence=plan.cadence,
    )  # fmt: skip
    plan_services.plan_update(plan=plan, content=changed, actor=org["R1"].user)
    entry = entries("plan.update")[-1]
    before, after = entry.data["before"], entry.data["after"]
    assert before["revenue_target"] == "120000.00" and after["revenue_target"] == "150000.00"
    assert before["risks"] == "Budget freeze." and after["risks"] == "Budget freeze; a new CFO."
    assert after["objectives"] == [] and len(before["objectives"]) == 1  # removed
    assert "situation" not in after and "growth_strategy" not in after  # unchanged: not listed


def test_a_plan_template_save_records_what_it_was(db):
    template = plan_services.plan_template_save(template=PlanTemplate(name="Short"), actor=None)
    assert set(entries("plan_template.save")[0].data["before"].values()) == {None}  # new
    template.sections = [{"key": "situation", "required": True}]
    plan_services.plan_template_save(template=template, actor=None)
    entry = entries("plan_template.save")[-1]
    assert len(entry.data["before"]["sections"]) > 1
    assert entry.data["after"]["sections"] == [
        {"key": "situation", "label": "Situation summary", "required": True}
    ]


def test_the_plan_file_records_previous_quota_rebate_and_plan_rules(org):
    quota = "quotas:\n  - {rep_id: R1, period: 2026-Q1, quota: 1000}\n"
    rebate = "rebates:\n  - name: Big buyers\n    year: 2026\n    tiers:\n      - {from: 0, rate: 0.01}\n"
    text = AM_PLAN.format(base="amount", rule="")
    plan_file_load(text=text + quota + rebate, filename="a.yaml")
    changed = text.replace("quota: 100000", "quota: 120000")
    plan_file_load(
        text=changed + quota.replace("1000}", "1500}") + rebate.replace("0.01", "0.02"), filename="b.yaml"
    )
    quota_set = entries("commissions.quota.set")
    assert [e.data["before"].get("quota") for e in quota_set] == [None, "1000.00"]
    assert (
        quota_set[-1].data["after"] == {"quota": "1500.00"}
        and quota_set[0].data["after"]["rep"] == "Rep R1 (R1)"
    )
    rebates = entries("commissions.rebate.set")
    assert rebates[-1].data["before"]["tiers"] == [{"from": "0", "rate": "0.01"}]
    version = [e for e in entries("commissions.plan.version") if e.data["plan"] == "AM 2026"][-1]
    assert (version.data["previous_version"], version.data["version"]) == (1, 2)
    assert version.data["before"] == {"quota": "100000"} and version.data["after"] == {"quota": "120000"}
    plan_file_load(text=changed + quota.replace("1000}", "1500}"), filename="c.yaml")  # same again
    assert len(entries("commissions.quota.set")) == 2  # nothing changed, nothing recorded


def test_an_admin_save_of_a_quota_or_rebate_is_one_entry_with_before(org):
    client = Client()
    client.force_login(f.admin_user())
    url = "/admin/commissions/quotaoverride/add/"
    assert client.post(url, {"rep": org["R1"].pk, "period": "2026-Q1", "quota": "1000.00"}).status_code == 302
    quota = QuotaOverride.objects.get()
    change = f"/admin/commissions/quotaoverride/{quota.pk}/change/"
    assert (
        client.post(change, {"rep": org["R1"].pk, "period": "2026-Q1", "quota": "2500.00"}).status_code == 302
    )
    trail = list(AuditEntry.objects.filter(object_type="commissions.quotaoverride").order_by("id"))
    assert [e.action for e in trail] == ["commissions.quota.set", "commissions.quota.set"]  # one per save
    assert trail[1].data["before"] == {"quota": "1000.00"} and trail[1].data["after"] == {"quota": "2500.00"}
    programme = RebateProgramme.objects.create(name="Big", year=2026, tiers=[{"from": "0", "rate": "0.01"}])
    form = {"name": "Big", "year": "2027", "tiers": '[{"from": "0", "rate": "0.01"}]'}
    response = client.post(f"/admin/commissions/rebateprogramme/{programme.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:800]
    [entry] = AuditEntry.objects.filter(object_type="commissions.rebateprogramme")
    assert entry.data["before"] == {"year": 2026} and entry.data["after"] == {"year": 2027}


def test_a_run_computed_and_approved_by_a_command_names_the_as_user(org):
    load_plans()
    director = org["D1"].user
    with running_command(command="bookwise commissions run --period 2026-Q1", as_user=director.username):
        run = run_compute(period="2026-Q1", today=date(2026, 5, 1))
        run = run_approve(run=run, actor=None, today=date(2026, 5, 1))
    assert run.created_by == director and run.approved_by == director
    approved = entries("commissions.run.approve")[-1]
    assert approved.actor == director and approved.via == "command"


def test_a_manager_change_is_recorded_with_both_managers(org):
    rep_set_manager(rep=org["R1"], manager=org["M2"], actor=org["D1"].user)
    [entry] = entries("people.rep.manager")
    assert entry.actor == org["D1"].user and entry.object_label == str(org["R1"])
    assert entry.data["before"] == {"manager": "Rep M1 (M1)"} and entry.data["after"] == {
        "manager": "Rep M2 (M2)"
    }


def test_logins_made_or_renamed_by_the_reps_import_are_recorded(db, tmp_path):
    text = "rep_id,name,role,email\nR7,Rita Seven,account_manager,rita@example.com\n"
    assert run_import(tmp_path, "reps", text).ok
    [made] = entries("people.login.create")
    assert made.object_type == "auth.user" and made.data["after"] == {"username": "rita@example.com"}
    assert made.data["rep"] == "Rita Seven (R7)"
    assert run_import(tmp_path, "reps", text.replace("rita@", "rita.seven@")).ok
    [renamed] = entries("people.login.change")
    assert renamed.data["before"]["username"] == "rita@example.com"
    assert renamed.data["after"]["username"] == "rita.seven@example.com"
    assert get_user_model().objects.filter(username="rita.seven@example.com").exists()


def test_bookwise_help_names_the_as_option(capsys):
    contextvars.copy_context().run(main, ["bookwise", "--help"])  # its command marker stays there
    out = capsys.readouterr().out
    assert "Available subcommands" in out and "--as USER" in out and "audit trail" in out
