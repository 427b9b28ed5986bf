from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone

from bookwise.core import panels
from bookwise.dashboard.selectors import book_health, data_version
from bookwise.retention.reports import retention_report
from bookwise.retention.rows import last_complete_quarter
from tests import factories as f


def _book(org):
    """Relative to today: last complete quarter P and the one before, P'."""
    period = last_complete_quarter(timezone.localdate())
    prev = period.previous()
    north = f.territory("North", "East")
    south = f.territory("South", "West")
    a1 = f.account("A1", owner=org["R1"], territory=north, potential="10000")
    a2 = f.account("A2", owner=org["R1"], territory=north)
    a3 = f.account("A3", owner=org["R3"], territory=south)
    f.order(a1, prev.start, "100")
    f.order(a1, period.start, "120")
    f.order(a2, prev.end, "50")  # lost in P, unexplained
    f.order(a3, prev.start, "70")
    f.order(a3, period.end, "10")
    return period


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_home_figures_match_the_retention_report(org, login):
    period = _book(org)
    response = login(org["D1"]).get("/")
    assert response.status_code == 200
    h = response.context["h"]
    (report,) = retention_report(period=period, by="overall")
    assert (h.overall.base_revenue, h.overall.grr, h.overall.nrr) == (
        report.base_revenue,
        report.grr,
        report.nrr,
    )
    assert h.overall.lost_accounts == 1 and [r.account.external_id for r in h.lost] == ["A2"]
    assert h.lost_totals.by_cause["unexplained"] == (1, D("50.00"))
    assert h.trend.quarters[-1] == period and len(h.trend.quarters) == 8
    assert set(h.trend.by_group) == {"North", "South"}
    north_last = h.trend.by_group["North"][-1]
    assert north_last.nrr == D("120") / D("150")
    assert [(g.account.external_id, g.gap, g.tier) for g in h.gaps] == [("A1", D("9780.00"), "A")]
    content = response.content.decode()
    assert f"/retention/lost/?start={period.start.isoformat()}" in content
    assert f"/retention/tiers/?as_of={h.today.isoformat()}&tier=A" in content


@pytest.mark.django_db
def test_home_is_scoped_to_the_user(org, login):
    _book(org)
    h = login(org["R3"]).get("/").context["h"]
    assert set(h.trend.by_group) == {"South"} and h.lost == []
    m1 = login(org["M1"]).get("/").context["h"]
    assert set(m1.trend.by_group) == {"North"} and [r.account.external_id for r in m1.lost] == ["A2"]
    assert m1.tier_mix["A"][0] + m1.tier_mix["B"][0] + m1.tier_mix["C"][0] == 2
    empty = login(org["R2"]).get("/")
    assert empty.context["h"].empty and "No accounts in your view yet" in empty.content.decode()


@pytest.mark.django_db
def test_registered_panels_show_up(org, login):
    _book(org)
    context = {"title": "Transfers waiting for you", "items": [("A1 to R2", "/transfers/1/")]}
    panels.register_panel("test", "dashboard/_panel.html", lambda request: context, order=1)
    panels.register_panel("hidden", "dashboard/_panel.html", lambda request: None)
    try:
        response = login(org["R1"]).get("/")
        shown = {p.name: c for p, c in response.context["panels"]}
        assert shown["test"] == context and "hidden" not in shown
        assert 'href="/transfers/1/">A1 to R2</a>' in response.content.decode()
    finally:
        panels.unregister_panel("test")
        panels.unregister_panel("hidden")


@pytest.mark.django_db
def test_book_health_for_a_given_day(org):
    _book(org)
    health = book_health(user=None, today=date(2026, 11, 22))
    assert health.period.label == "2026-Q3"


@pytest.mark.django_db
def test_cached_dashboard_follows_changes(org, login):
    from bookwise.accounts.models import Account
    from bookwise.retention.services import lost_reason_record

    _book(org)
    client = login(org["M1"])
    assert client.get("/").context["h"].lost_totals.by_cause["unexplained"][0] == 1
    a2 = Account.objects.get(external_id="A2")
    lost_reason_record(account=a2, reason="closed", lost_date=date(2026, 1, 1), actor=org["M1"].user)
    h = client.get("/").context["h"]
    assert h.lost_totals.by_cause["unexplained"][0] == 0 and h.lost_totals.by_cause["unavoidable"][0] == 1
    key = data_version(org["M1"].user, timezone.localdate())
    f.order(Account.objects.get(external_id="A1"), timezone.localdate(), "5")
    assert data_version(org["M1"].user, timezone.localdate()) != key  # a new order line: recomputed
