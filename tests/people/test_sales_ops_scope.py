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
