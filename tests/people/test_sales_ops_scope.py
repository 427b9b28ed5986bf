"""Sales operations: a member of a sales-ops group with no rep sees the whole book like a
director, but is no administrator, owns no book and may change nobody's (people.selectors.Scope)."""

import pytest
from django.test import override_settings

from bookwise.people.selectors import scope_for
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_sales_ops_see_every_book_and_manage_none(org):
    scope = scope_for(f.sales_ops_user())
    assert (scope.sales_ops, scope.everything, scope.admin, scope.rep, scope.rep_ids) == (
        True, True, False, None, frozenset(),
    )  # fmt: skip
    assert all(scope.covers(rep.pk) for rep in org.values())
    assert not scope.manages_everything
    assert not any(scope.may_change(rep.pk) for rep in org.values())
    assert not scope.edits_visible


def test_directors_and_admins_manage_everything_reps_and_managers_their_own(org):
    for user in (org["D1"].user, f.admin_user()):
        scope = scope_for(user)
        assert scope.manages_everything and scope.edits_visible and not scope.sales_ops
        assert all(scope.may_change(rep.pk) for rep in org.values())
    manager = scope_for(org["M1"].user)
    assert not manager.manages_everything and manager.edits_visible
    assert [k for k, rep in org.items() if manager.may_change(rep.pk)] == ["M1", "R1", "R2"]
    assert [k for k, rep in org.items() if manager.covers(rep.pk)] == ["M1", "R1", "R2"]


def test_a_rep_in_the_sales_ops_group_keeps_their_own_book(org):
    from django.contrib.auth.models import Group

    org["R1"].user.groups.add(Group.objects.get_or_create(name="Sales ops")[0])
    scope = scope_for(org["R1"].user)
    assert not scope.sales_ops and not scope.everything
    assert scope.rep_ids == {org["R1"].pk}


def test_an_administrator_in_the_group_is_an_administrator(db):
    from django.contrib.auth.models import Group

    admin = f.admin_user()
    admin.groups.add(Group.objects.get_or_create(name="Sales ops")[0])
    scope = scope_for(admin)
    assert scope.admin and scope.manages_everything and not scope.sales_ops


def test_the_groups_come_from_the_import_groups_setting(db, settings):
    user = f.sales_ops_user()
    with override_settings(BOOKWISE={**settings.BOOKWISE, "import_groups": ["Revenue operations"]}):
        scope = scope_for(user)
    assert not scope.sales_ops and not scope.everything  # no longer a member of a sales-ops group


def test_the_sales_ops_group_is_asked_once_per_request(db, django_assert_num_queries):
    """One group query per user object (a request's): `scope_for`, `in_sales_ops_group` and
    the import wizard's `may_import` share it; a fresh object (the next request) asks again."""
    from django.contrib.auth import get_user_model

    from bookwise.imports.wizard.access import may_import
    from bookwise.people.selectors import in_sales_ops_group

    users = get_user_model().objects
    ops, nobody = f.sales_ops_user(), users.create_user(username="nobody", password="x")
    for user, member in ((users.get(pk=ops.pk), True), (users.get(pk=nobody.pk), False)):
        with django_assert_num_queries(2):  # their rep (none), their groups
            assert scope_for(user).sales_ops is member
        with django_assert_num_queries(0):  # a second call: the group is not asked again
            assert in_sales_ops_group(user) is member and may_import(user) is member
            assert scope_for(user).sales_ops is member
    next_request = users.get(pk=ops.pk)
    with django_assert_num_queries(1):
        assert in_sales_ops_group(next_request)


def test_a_page_asks_the_group_once(db, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(f.sales_ops_user())
    for path in ("/accounts/", "/imports/wizard/", "/api/accounts"):
        with CaptureQueriesContext(connection) as seen:
            assert client.get(path).status_code == 200, path
        asked = [q["sql"] for q in seen.captured_queries if "auth_user_groups" in q["sql"]]
        assert len(asked) == 1, (path, asked)
