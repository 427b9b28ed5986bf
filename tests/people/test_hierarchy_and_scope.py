import pytest

from bookwise.core.errors import RuleViolation
from bookwise.people.selectors import scope_for, subordinate_ids
from bookwise.people.services import check_no_manager_cycle, rep_set_manager
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_manager_cycle_is_refused_and_nothing_changes(org):
    with pytest.raises(RuleViolation):
        rep_set_manager(rep=org["D1"], manager=org["R1"])
    org["D1"].refresh_from_db()
    assert org["D1"].manager is None


def test_cycle_detection_names_the_reps_on_the_cycle():
    assert check_no_manager_cycle({"a": "b", "b": "c", "c": "a", "d": "a"}) == ["a", "b", "c"]
    assert check_no_manager_cycle({"a": "b", "b": None}) == []


def test_subordinates_cover_every_level(org):
    assert subordinate_ids(org["D1"].id) == {r.id for k, r in org.items() if k != "D1"}
    assert subordinate_ids(org["M1"].id) == {org["R1"].id, org["R2"].id}
    assert subordinate_ids(org["R1"].id) == set()


def test_scopes_by_role(org):
    assert scope_for(org["D1"].user).everything
    assert scope_for(org["M1"].user).rep_ids == {org["M1"].id, org["R1"].id, org["R2"].id}
    assert scope_for(org["R1"].user).rep_ids == {org["R1"].id}
    assert scope_for(f.admin_user()).everything


def test_user_without_rep_sees_nothing(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="x" * 12)
    scope = scope_for(user)
    assert not scope.everything and not scope.rep_ids
