"""The scope of a rebalance (all, region:NAME, territory:NAME, team:REP_ID): its reps, and who
may rebalance it (directors and administrators anything; a sales manager their own team)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from bookwise.core.errors import Forbidden, NotFound
from bookwise.core.validation import InvalidValue
from bookwise.people.models import MANAGER_ROLES, Region, Rep, Role, Territory
from bookwise.people.selectors import scope_for, subordinate_ids

ELIGIBLE_ROLES = (Role.HUNTER, Role.ACCOUNT_MANAGER)
KINDS = ("region", "territory", "team")
BEYOND_TEAM = "Only directors and administrators may rebalance beyond a team."


@dataclass(frozen=True)
class Scope:
    text: str  # as given back: all, region:NAME, territory:NAME, team:REP_ID
    label: str  # as people read it
    reps: Q  # the reps of the scope (any role; eligibility is the problem's)
    team_of: int | None = None  # the manager whose team it is


def parse_scope(text: str) -> Scope:
    """The scope named by `text`; InvalidValue (naming the field) when it is not one."""
    raw = (text or "").strip()
    if raw == "all":
        return Scope("all", "The whole company", Q())
    kind, _, name = raw.partition(":")
    if kind not in KINDS or not name.strip():
        raise InvalidValue(
            "Scope", f"{raw!r} is not a scope (all, region:NAME, territory:NAME or team:REP_ID).", "scope"
        )
    name = name.strip()
    if kind == "region":
        region = Region.objects.filter(name__iexact=name).first()
        if region is None:
            raise NotFound(f"Scope: no region named {name!r}.", {"field": "scope"})
        return Scope(f"region:{region.name}", f"Region {region.name}", Q(territory__region=region))
    if kind == "territory":
        territory = Territory.objects.filter(name__iexact=name).first()
        if territory is None:
            raise NotFound(f"Scope: no territory named {name!r}.", {"field": "scope"})
        return Scope(f"territory:{territory.name}", f"Territory {territory.name}", Q(territory=territory))
    return _team(name)


def _team(rep_id: str) -> Scope:
    manager = Rep.objects.filter(external_id=rep_id).first()
    if manager is None:
        raise NotFound(f"Scope: no rep with id {rep_id!r}.", {"field": "scope"})
    ids = subordinate_ids(manager.id) | {manager.id}
    return Scope(f"team:{manager.external_id}", f"Team of {manager.name}", Q(id__in=ids), manager.id)


COMMIT_REFUSED = "Sales operations propose rebalances; a manager, a director or an administrator commits."


def require_may_rebalance(user: Any, scope: Scope, *, committing: bool = False) -> None:
    """Directors and administrators: any scope; sales ops: any scope, to propose and rework
    proposals (planning), never `committing` (that reassigns accounts); a sales manager: a
    team within their own; a team the user may not see is a NotFound (no leak); anybody else:
    Forbidden. `user` None is the command line without --as, which runs with the rights of
    whoever runs it on the server."""
    if user is None:
        return
    seen = scope_for(user)
    if seen.sales_ops and committing:
        raise Forbidden(COMMIT_REFUSED)
    if seen.manages_everything or seen.sales_ops:
        return
    if seen.rep is None or not seen.rep.is_manager:
        raise Forbidden("Only managers, directors and administrators may rebalance books.")
    if scope.team_of is None:
        raise Forbidden(BEYOND_TEAM)
    if not seen.covers(scope.team_of):
        raise NotFound("Scope: no rep with that id.", {"field": "scope"})


def may_see(user: Any, scope_text: str, team_of: int | None) -> bool:
    seen = scope_for(user)
    if seen.everything:
        return True
    return (
        scope_text.startswith("team:")
        and team_of is not None
        and seen.covers(team_of)
        and bool(seen.rep and seen.rep.is_manager)
    )


def scope_reps(scope: Scope, day: date) -> QuerySet[Rep]:
    """Hunters and account managers of the scope employed on `day` (leaving ones included:
    they give, they do not receive)."""
    employed = (Q(hire_date__isnull=True) | Q(hire_date__lte=day)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    return Rep.objects.filter(scope.reps, employed, role__in=ELIGIBLE_ROLES).select_related("territory")


def team_manager_id(scope_text: str) -> int | None:
    if not scope_text.startswith("team:"):
        return None
    rep = Rep.objects.filter(external_id=scope_text.removeprefix("team:")).first()
    return rep.id if rep else None


def may_rebalance_any(user: Any) -> bool:
    """Directors, administrators, sales ops (to propose) and sales managers (their team) open
    the rebalance pages."""
    seen = scope_for(user)
    return seen.manages_everything or seen.sales_ops or bool(seen.rep and seen.rep.is_manager)


def may_decide_rebalance(user: Any) -> bool:
    """Commit proposals and pin accounts out of realignment: whoever may rebalance but sales
    ops, who plan (propose, rework, discard) and decide nothing."""
    return may_rebalance_any(user) and not scope_for(user).sales_ops


def scope_choices(user: Any) -> list[tuple[str, str]]:
    """(scope text, label) of every scope the user may rebalance: for directors and
    administrators the company, each region, territory and manager's team; for a sales
    manager their own team and the teams of the managers below them."""
    seen = scope_for(user)
    managers = Rep.objects.filter(role__in=MANAGER_ROLES, end_date__isnull=True).order_by("name")
    if not seen.everything:
        if not (seen.rep and seen.rep.is_manager):
            return []
        managers = managers.filter(id__in=seen.rep_ids | {seen.rep.id})
    teams = [(f"team:{m.external_id}", f"Team of {m.name}") for m in managers]
    if not seen.everything:
        return teams
    regions = [(f"region:{r.name}", f"Region {r.name}") for r in Region.objects.order_by("name")]
    territories = [(f"territory:{t.name}", f"Territory {t.name}") for t in Territory.objects.order_by("name")]
    return [("all", "The whole company"), *regions, *territories, *teams]
