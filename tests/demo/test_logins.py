"""The printed demo logins work, and each sees what the printout says."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import visible_accounts
from bookwise.demo.builder import DEMO_PASSWORD
from bookwise.people.models import Rep
from bookwise.people.selectors import scope_for


def test_every_printed_login_signs_in(demo):
    assert {"admin", "dir1", "sm1"} <= {login.username for login in demo.logins}
    for login in demo.logins:
        assert login.password == DEMO_PASSWORD
        assert Client().login(username=login.username, password=login.password), login.username


def test_every_current_rep_can_sign_in_and_leavers_cannot(demo):
    for rep in Rep.objects.select_related("user"):
        assert rep.user.username == rep.external_id.lower()
        assert rep.user.is_active == (rep.end_date is None or rep.end_date >= demo.today)
    former = Rep.objects.filter(end_date__lt=demo.today).first()
    assert not Client().login(username=former.user.username, password=DEMO_PASSWORD)


def test_a_wrong_password_is_refused(demo):
    assert not Client().login(username="dir1", password="not-the-demo-password")


@pytest.mark.parametrize(
    ("username", "everything"),
    [("admin", True), ("ops1", True), ("dir1", True), ("sm1", False), ("r03", False)],
)
def test_scopes_match_the_printout(demo, username, everything):
    user = get_user_model().objects.get(username=username)
    assert scope_for(user).everything is everything
    seen = visible_accounts(user=user).count()
    if everything:
        assert seen == Account.objects.count()
    else:
        assert 0 < seen < Account.objects.count()


def test_sales_ops_see_the_whole_book_own_none_and_manage_nobody(demo):
    assert "ops1" in {login.username for login in demo.logins}
    scope = scope_for(get_user_model().objects.get(username="ops1"))
    assert (scope.sales_ops, scope.everything, scope.admin, scope.rep) == (True, True, False, None)
    assert not scope.manages_everything and not scope.may_change(Rep.objects.get(external_id="R03").pk)


def test_the_manager_sees_her_team_but_not_another(demo):
    manager = Rep.objects.get(external_id="SM1").user
    team = set(Rep.objects.filter(manager__external_id="SM1").values_list("pk", flat=True))
    scope = scope_for(manager)
    assert team <= scope.rep_ids
    other = Rep.objects.filter(manager__external_id="SM2").first()
    assert not scope.covers(other.pk)


def test_the_logged_in_pages_open(demo):
    client = Client()
    assert client.login(username="sm1", password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200
    assert Client().get("/").status_code == 302  # anonymous: to the login page
