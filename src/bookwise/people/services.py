"""Writes about people: territories, regions, reps and the reporting lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from bookwise.core.errors import RuleViolation
from bookwise.core.services import audit_record

from .models import Region, Rep, Territory
from .selectors import manager_map, require_edits_visible


def territory_get_or_create(*, name: str, region_name: str | None = None) -> Territory:
    """The territory called `name`, created on first use; its region set when given."""
    territory, _ = Territory.objects.get_or_create(name=name)
    if region_name:
        region, _ = Region.objects.get_or_create(name=region_name)
        if territory.region_id != region.id:
            territory.region = region
            territory.save(update_fields=["region", "updated_at"])
    return territory


def check_no_manager_cycle(managers: dict[Any, Any]) -> list[Any]:
    """Return the reps that sit on a manager cycle in `managers` (rep -> manager)."""
    on_cycle: set[Any] = set()
    for start in managers:
        seen: list[Any] = []
        current = start
        while current is not None and current not in seen:
            seen.append(current)
            current = managers.get(current)
        if current is not None and current == start:
            on_cycle.update(seen)
    return sorted(on_cycle, key=str)


def rep_label(rep: Rep | None) -> str | None:
    """A rep as the audit trail keeps them: "Ben Becker (R07)"; None for nobody."""
    return None if rep is None else f"{rep.name} ({rep.external_id})"


@transaction.atomic
def rep_set_manager(*, rep: Rep, manager: Rep | None, actor: Any = None) -> Rep:
    """Change a rep's manager (audited, before and after); refuse a change that would close
    a reporting cycle."""
    managers = manager_map()
    managers[rep.id] = manager.id if manager else None
    if check_no_manager_cycle(managers):
        raise RuleViolation(
            f"{manager} cannot manage {rep}: the reporting lines would form a cycle.",
            {"field": "manager"},
        )
    before = rep_label(rep.manager)
    rep.manager = manager
    rep.save(update_fields=["manager", "updated_at"])
    data = {"before": {"manager": before}, "after": {"manager": rep_label(manager)}}
    audit_record(actor=actor, action="people.rep.manager", obj=rep, data=data)
    return rep


def rep_logins_sync(*, reps: Iterable[Rep]) -> int:
    """Reps with an email log in with it (IMPORT_FORMATS.md: "used as login").

    A rep with an email and no login gets a Django user named by the email, with no usable
    password until an administrator sets one; a linked login follows the rep's email. An
    email already taken by another user is left alone. Returns the number of logins made."""
    users = get_user_model().objects
    made = 0
    for rep in reps:
        if not rep.email:
            continue
        email = rep.email.lower()
        if rep.user_id is None:
            if users.filter(username__iexact=email).exists():
                continue
            user = users.create_user(username=email, email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            rep.user = user
            rep.save(update_fields=["user", "updated_at"])
            _audit_login(user, rep, "people.login.create", {"before": {}, "after": {"username": email}})
            made += 1
        elif (
            (login := rep.user) is not None
            and login.email != email
            and not users.filter(username__iexact=email).exists()
        ):
            before = {"username": login.username, "email": login.email}
            login.username = login.email = email
            login.save(update_fields=["username", "email"])
            after = {"username": email, "email": email}
            _audit_login(login, rep, "people.login.change", {"before": before, "after": after})
    return made


def _audit_login(user: Any, rep: Rep, action: str, data: dict[str, Any]) -> None:
    """A login made or renamed for a rep (logins are settings: who may sign in)."""
    audit_record(actor=None, action=action, obj=user, data={**data, "rep": rep_label(rep)})


SALES_OPS_SKILLS = "Sales operations read every rep's skill ratings; the rep's managers rate them."


def may_rate_skills(user: Any, rep: Rep) -> bool:
    """The rep's managers (anyone above them in the reporting line) and administrators; never
    the rep themselves."""
    from .selectors import chain_of_command, is_admin, rep_for_user

    if is_admin(user):
        return True
    me = rep_for_user(user)
    return me is not None and me.pk != rep.pk and me.pk in chain_of_command(rep.pk)


@transaction.atomic
def rep_skills_set(*, rep: Rep, actor: Any, communication: int | None, flexibility: int | None) -> Rep:
    """A manager rates the rep's communication and flexibility (1-5, empty = unrated), as the
    transfer recommendation reads them; audited with before and after."""
    from bookwise.core.errors import NotFound
    from bookwise.core.validation import whole_number_between

    require_edits_visible(actor, SALES_OPS_SKILLS)  # they see every rep: the reason, not a 404
    if not may_rate_skills(actor, rep):
        raise NotFound("No such rep.")  # the same answer as a rep outside the scope
    for label, field, value in (("Communication", "communication", communication),
                                ("Flexibility", "flexibility", flexibility)):  # fmt: skip
        if value is not None:
            whole_number_between(value, label, 1, 5, field)
    before = {"communication": rep.communication, "flexibility": rep.flexibility}
    after = {"communication": communication, "flexibility": flexibility}
    if before != after:
        rep.communication, rep.flexibility = communication, flexibility
        rep.save(update_fields=["communication", "flexibility", "updated_at"])
        changed = [k for k in after if before[k] != after[k]]
        audit_record(
            actor=actor, action="people.rep.skills", obj=rep,
            data={"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}},
        )  # fmt: skip
    return rep
