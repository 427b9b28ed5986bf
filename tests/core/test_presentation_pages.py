"""Issue 11, presentation leftovers: on the lost accounts, transfers, reassignment plan,
account plan, commission run and import pages, people by name, money with separators and
two decimals, dates in the one format (ISO) and stored values by their label; and every
irreversible step left (discard a reassignment plan, archive an account plan) asks for a
confirmation in the browser before it changes anything."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bookwise.commissions.services import run_approve, run_compute
from bookwise.plans.models import AccountPlan
from bookwise.transfers import planning
from bookwise.transfers.models import ReassignmentPlan
from tests import factories as f
from tests.commissions.helpers import load_plans
from tests.plans.helpers import approved
from tests.retention.helpers import book as lost_book
from tests.transfers.helpers import book as transfer_book
from tests.transfers.helpers import draft

pytestmark = pytest.mark.django_db


def html(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_lost_page_shows_causes_and_reasons_by_label_and_iso_dates(org, login):
    lost_book(org)
    page = html(login(org["M1"]), "/retention/lost/", start="2026-01-01", end="2026-03-31")
    assert ">Unexplained</a>" in page and ">unexplained</a>" not in page  # the causes table
    assert re.search(r'<span class="badge bad">Unexplained</span>', page)
    assert "Owner on 2026-01-01" in page and "in 2025-10-01 – 2025-12-31" in page


def test_transfer_pages_show_labels_iso_dates_and_the_delegation_by_name(org, login):
    account = transfer_book(org)
    transfer = draft(org, account, co_coverage_days=30)
    client = login(org["M1"])
    detail = html(client, f"/transfers/{transfer.pk}/")
    assert "<dt>Role</dt><dd>Primary</dd>" in detail
    assert f"<dt>Effective</dt><dd>{transfer.effective_date:%Y-%m-%d}</dd>" in detail
    assert "30 days" in detail
    listing = html(client, "/transfers/")
    assert "<td>Primary</td>" in listing and f"<td>{transfer.effective_date:%Y-%m-%d}</td>" in listing
    org["R2"].capacity = 5
    org["R2"].communication = org["R2"].flexibility = 5
    org["R2"].role = "account_manager"  # OTHER is an account-manager book (held by R1)
    org["R2"].save()
    f.account("TINY", owner=org["R2"], name="Tiny Things")
    other = transfer_book(org, account_id="OTHER")
    for _ in range(3):  # R2 sold to it: the best candidate, but full
        f.opportunity(other, stage="won", rep=org["R2"], close=date(2025, 1, 10))
    new = html(login(org["D1"]), f"/transfers/new/{other.external_id}/")
    assert "Make room for the best candidate" in new
    assert 'Rep R2 <span class="muted">R2</span> is full' in new
    assert '<li>Rep R2 <span class="muted">R2</span>: over capacity</li>' in new  # not "over_capacity"
    move = r"<li>Tiny Things <span class=\"muted\">TINY</span> \([\d.]+ points, 0\.00 in 12 months\)"
    assert re.search(move + r" to Rep R[34] <span class=\"muted\">\(score [\d.]+: ", new)


def test_reassignment_plan_pages_name_the_proposer_and_ask_before_discarding(org, login):
    org["R1"].end_date = date(2026, 6, 30)
    org["R1"].save()
    for i in range(2):
        f.order(
            f.account(f"B{i}", owner=org["R1"], territory=org["R1"].territory), date(2026, 5, 2), "1234.5"
        )
    plan = planning.plan_create(
        from_rep=org["R1"], actor=org["M1"].user, day=date(2026, 6, 1), effective_date=date(2026, 7, 1)
    )
    client = login(org["M1"])
    page = html(client, f"/transfers/plans/{plan.pk}/")
    assert "by Rep M1 (m1)" in page and "1,234.50" in page
    assert "Effective 2026-07-01 · proposed 2026-06-01" in page
    assert re.search(r'<input type="checkbox" name="confirm" value="yes" required> I confirm: discard', page)
    listing = html(client, "/transfers/plans/")
    assert "<td>Rep M1 (m1)</td>" in listing and "<td>2026-07-01</td>" in listing
    client.post(f"/transfers/plans/{plan.pk}/discard/")
    assert ReassignmentPlan.objects.get(pk=plan.pk).state == "draft"  # not without the tick


def test_account_plan_pages_name_people_format_money_and_ask_before_archiving(org, login):
    account = f.account("A1", owner=org["R1"], name="Acme")
    plan = approved(account, org["M1"].user, objectives=[
        {"description": "Grow revenue", "kind": "revenue", "target": "120000", "owner": org["R1"],
         "due_date": date(2026, 12, 31), "status": "open"},
    ])  # fmt: skip
    client = login(org["M1"])
    detail = html(client, f"/plans/{plan.pk}/")
    assert "Revenue: 120,000.00" in detail and "by Rep M1 (m1)" in detail
    assert re.search(r'name="confirm" value="yes" required> I confirm: archive this plan', detail)
    version = html(client, f"/plans/{plan.pk}/versions/1/")
    assert "Revenue target</dt><dd>120,000.00 (gross profit 30,000.00)" in version
    assert "(Revenue: 120,000.00; owner Rep R1; due 2026-12-31; Open)" in version
    assert "Cadence</dt><dd>" in version and "by Rep M1 (m1)" in version
    refused = client.post(f"/plans/{plan.pk}/archive/", follow=True).content.decode()
    assert "Nothing archived: tick “I confirm: archive this plan” to confirm." in refused
    assert AccountPlan.objects.get(pk=plan.pk).status == "approved"
    client.post(f"/plans/{plan.pk}/archive/", {"confirm": "yes"})
    assert AccountPlan.objects.get(pk=plan.pk).status == "archived"


def test_commission_pages_format_credit_and_quota_and_name_the_approver(org, login):
    load_plans()
    f.order(f.account("A1", owner=org["R1"]), date(2026, 1, 10), "12345.00")
    run = run_approve(run=run_compute(period="2026-Q1", today=date(2026, 5, 1)), actor=org["D1"].user,
                      today=date(2026, 5, 1))  # fmt: skip
    client = login(org["D1"])
    page = html(client, f"/commissions/runs/{run.pk}/")
    assert "by Rep D1 (d1)" in page and "12,345.00" in page and "100,000.00" in page
    index = html(client, "/commissions/")
    assert "12,345.00" in index and re.search(r"<td>\d{4}-\d\d-\d\d</td></tr>", index)
