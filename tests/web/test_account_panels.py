"""What higher apps show on the account page and list, through the registries that replace
upward imports (docs/architecture.md, "Layers"): panels in `core.panels`' "account" slot,
tiers through `accounts.tiers`, the export served by imports under /accounts/."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bookwise.accounts import tiers
from bookwise.commissions.services import plan_file_load
from bookwise.core import panels
from bookwise.retention.selectors import account_tiers
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_account_panel_gets_the_account_and_shows_only_on_the_account_page(org, login):
    f.account("P1", owner=org["R1"], name="Panel Works")
    seen: list[Any] = []

    def probe(request, *, account, day):  # noqa: ANN001, ANN202
        seen.append((request.user, account.external_id, day))
        return {"title": f"Probe of {account.name}", "items": [], "empty": "Nothing to probe."}

    panels.register_panel("probe", "dashboard/_panel.html", probe, slot="account")
    panels.register_panel("hidden", "dashboard/_panel.html", lambda request, **subject: None, slot="account")
    try:
        client = login(org["R1"])
        page = client.get("/accounts/P1/").content.decode()
        home = client.get("/").content.decode()
    finally:
        panels.unregister_panel("probe", slot="account")
        panels.unregister_panel("hidden", slot="account")
    assert "Probe of Panel Works" in page and "Nothing to probe." in page
    assert [(u.username, ext) for u, ext, _ in seen] == [(org["R1"].user.username, "P1")]
    assert seen[0][2] == date.today()
    assert "Probe of" not in home  # the home page shows its own slot only
    assert "Probe of" not in client.get("/accounts/P1/").content.decode()  # unregistered


def test_the_rebate_panel_shows_the_year_to_date_figures(org, login):
    year = date.today().year
    plan_file_load(
        text=f"rebates:\n  - {{name: Volume {year}, year: {year}, tiers: [{{from: 1000, rate: 0.02}}]}}\n",
        filename="r.yaml",
    )
    acc = f.account("RB1", owner=org["R1"])
    f.order(acc, date(year, 1, 2), "1500.00")
    page = login(org["R1"]).get("/accounts/RB1/").content.decode()
    assert f"Rebate — Volume {year}" in page and "1,500.00" in page and "30.00" in page  # accrual 2 %
    assert page.index("Share of wallet") < page.index("Rebate —")  # retention's panel first


def test_tiers_come_from_the_provider_and_none_without_one(org, login):
    acc = f.account("T1", owner=org["R1"])
    f.order(acc, date.today(), "900.00")
    client = login(org["R1"])
    assert "/accounts/T1/" in client.get("/accounts/?tier=A").content.decode()  # retention's tiers
    tiers.provide_tiers(lambda *, day, account_ids=None: {})
    try:
        assert tiers.tiers_for(day=date.today(), account_ids=[1, 2]) == {}
        listing = client.get("/accounts/?tier=A").content.decode()
    finally:
        tiers.provide_tiers(account_tiers)
    assert "/accounts/T1/" not in listing  # no tier known: the filter matches nothing
    assert tiers.tiers_for(day=date.today(), account_ids=[]) == {}
