"""The account rebate panel selector and template, and plan editing in the admin."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.test import Client

from bookwise.commissions.models import CommissionPlan, QuotaOverride
from bookwise.commissions.selectors import account_rebate_status
from bookwise.commissions.services import plan_file_load
from bookwise.core.models import AuditEntry
from tests import factories as f

from .helpers import load_plans

pytestmark = pytest.mark.django_db
REBATES = (
    "rebates:\n  - {name: Volume 2026, year: 2026,"
    " tiers: [{from: 100000, rate: 0.02}, {from: 250000, rate: 0.03}]}\n"
)


def test_rebate_status_year_to_date_at_a_tier_boundary():
    plan_file_load(text=REBATES, filename="r.yaml")
    acc = f.account("A1")
    f.order(acc, date(2026, 2, 1), "60000.00")
    f.order(acc, date(2026, 5, 1), "40000.00")  # reaches exactly 100000 on 2026-05-01
    f.order(acc, date(2025, 12, 31), "99999.00")  # last year: not counted
    before = account_rebate_status(account=acc, day=date(2026, 4, 30))
    assert (before.revenue, before.tier, before.accrual, before.next_tier, before.needed) == (
        D("60000.00"), None, D("0.00"), D("100000"), D("40000.00"),
    )  # fmt: skip
    at = account_rebate_status(account=acc, day=date(2026, 5, 1))
    assert (at.tier, at.rate, at.accrual, at.next_tier, at.needed) == (
        D("100000"), D("0.02"), D("2000.00"), D("250000"), D("150000.00"),
    )  # fmt: skip
    html = render_to_string("commissions/_rebate_panel.html", {"rebate": at})
    assert "2,000.00" in html and "150,000.00 still needed" in html
    assert account_rebate_status(account=acc, day=date(2027, 1, 1)) is None
    assert "No rebate programme" in render_to_string("commissions/_rebate_panel.html", {"rebate": None})


def test_admin_edit_makes_a_new_version_and_audits(org):
    load_plans()
    admin = f.admin_user()
    client = Client()
    client.force_login(admin)
    plan = CommissionPlan.objects.get(name="AM 2026")
    url = f"/admin/commissions/commissionplan/{plan.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b"rate: &#x27;0.05&#x27;" in page.content
    rules = (
        page.context["adminform"].form.initial.get("rules") or page.context["adminform"].form["rules"].value()
    )
    changed = rules.replace("'0.05'", "'0.06'")
    response = client.post(url, {"name": plan.name, "rules": changed, "versions-TOTAL_FORMS": "1",
                                 "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
                                 "versions-MAX_NUM_FORMS": "1000", "versions-0-id": plan.latest().pk,
                                 "versions-0-plan": plan.pk})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [v.spec["tiers"][0]["rate"] for v in plan.versions.order_by("version")] == ["0.05", "0.06"]
    bad_rules = changed.replace("'0.06'", "'1.5'")
    bad = client.post(
        url,
        {"name": plan.name, "rules": bad_rules, "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"},
    )
    assert bad.status_code == 200 and b"outside [0, 1]" in bad.content
    assert plan.versions.count() == 2
    assert AuditEntry.objects.filter(action="commissions.plan.version", actor=admin).count() == 1


def test_quota_edit_in_admin_is_audited(org):
    client = Client()
    client.force_login(f.admin_user())
    response = client.post(
        "/admin/commissions/quotaoverride/add/",
        {"rep": org["R1"].pk, "period": "2026-Q1", "quota": "1234.00"},
    )
    assert response.status_code == 302
    assert QuotaOverride.objects.get().quota == D("1234.00")
    assert AuditEntry.objects.filter(action="commissions.quota.set").exists()
