"""The home page of the leaving rep's sales manager (and of an incoming rep) shows the
transfers waiting for them and the overdue plan reviews. The panels read today's date, so
this module builds the demo anchored on today."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from bookwise.demo.features.transfers import leaving_rep
from bookwise.plans.selectors import overdue_reviews_for
from bookwise.transfers.models import Transfer
from tests import snapshots

from .conftest import SCALE


@pytest.fixture(scope="module")
def today_demo(django_db_setup, django_db_blocker):
    with snapshots.demo_for_a_module(timezone.localdate(), SCALE, django_db_blocker) as summary:
        yield summary


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_manager_of_the_leaving_rep_sees_waiting_transfers_and_overdue_reviews(today_demo, db):
    manager = leaving_rep(timezone.localdate()).manager
    page = _home(manager.user)
    assert "Transfers waiting for you" in page
    for transfer in Transfer.objects.select_related("account"):
        assert transfer.account.external_id in page or transfer.account.name in page
    overdue = overdue_reviews_for(user=manager.user, day=timezone.localdate())
    assert overdue
    assert "Plan reviews overdue" in page and overdue[0].account_name in page
    assert "No plan review is overdue." not in page


def test_incoming_rep_sees_the_transfer_and_another_manager_does_not(today_demo, db):
    transfer = Transfer.objects.select_related("account", "to_rep__user").order_by("pk").first()
    assert transfer.account.external_id in _home(transfer.to_rep.user)
    other = get_user_model().objects.get(username="sm4")
    assert transfer.account.external_id not in _home(other)


def test_feature_pages_render_with_the_demo_data(today_demo, db):
    from bookwise.transfers.models import ReassignmentPlan

    director = get_user_model().objects.get(username="dir1")
    client = Client()
    client.force_login(director)
    plan = ReassignmentPlan.objects.get()
    pages = [
        "/transfers/", f"/transfers/plans/{plan.pk}/", "/plans/", "/plans/coverage/", "/plans/overdue/",
        "/team/competency/", "/team/competency/SM2/", "/commissions/", "/commissions/disputes/",
    ]  # fmt: skip
    for url in pages:
        assert client.get(url).status_code == 200, url
    for where, _ in today_demo.pages:
        if where.startswith("/"):
            assert client.get(where).status_code == 200, where
