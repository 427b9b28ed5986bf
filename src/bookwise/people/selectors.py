"""Reads about people, and the one place that decides whose book a user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import Rep, Role


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.is_staff))


def rep_for_user(user: Any) -> Rep | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.rep
    except Rep.DoesNotExist:
        return None


def manager_map() -> dict[int, int | None]:
    """rep id -> manager id, for every rep (one query)."""
    return dict(Rep.objects.values_list("id", "manager_id"))


def subordinate_ids(rep_id: int, managers: dict[int, int | None] | None = None) -> set[int]:
    """Every rep below `rep_id`, all levels down (not the rep themself)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for rid, mid in (managers if managers is not None else manager_map()).items():
        children[mid].append(rid)
    found: set[int] = set()
    stack = list(children[rep_id])
    while stack:
        rid = stack.pop()
        if rid not in found:
            found.add(rid)
            stack.extend(children[rid])
    return found


def chain_of_command(rep_id: int, managers: dict[int, int | None] | None = None) -> list[int]:
    """The managers above `rep_id`, nearest first."""
    managers = managers if managers is not None else manager_map()
    chain: list[int] = []
    current = managers.get(rep_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = managers.get(current)
    return chain


#: the Django groups of sales operations (`settings.BOOKWISE["import_groups"]`)
SALES_OPS_GROUPS = ("Sales ops",)


def sales_ops_groups() -> list[str]:
    """The groups whose members are sales operations: they import data (with the
    administrators), and, when they own no book, read the whole book (see `scope_for`)."""
    from django.conf import settings

    names: Any = settings.BOOKWISE.get("import_groups", SALES_OPS_GROUPS)
    return [str(name) for name in names]


def in_sales_ops_group(user: Any) -> bool:
    """Whether the user is in a sales-ops group: one query, then remembered on the user object,
    which lives for one request (`scope_for` and the import wizard's `may_import` both ask)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_bookwise_sales_ops_group", None)
    if cached is None:
        cached = bool(user.groups.filter(name__in=sales_ops_groups()).exists())
        user._bookwise_sales_ops_group = cached
    return bool(cached)


@dataclass(frozen=True)
class Scope:
    """Whose book a user may see: everything, or the books of these reps; and what they may
    change (docs/web-and-api.md, Roles).

    - `covers(rep)`: may see that rep's book (everybody who sees everything sees it).
    - `manages_everything`: directors and administrators, who may change in every book what
      a rep's managers may change in theirs (approve, reassign, resolve, set goals...).
    - `may_change(rep)`: may change that rep's book as the rep or a manager above them would
      (each workflow says which of those it lets in); `covers` without sales ops.
    - `edits_visible`: may change by hand what they see, where a workflow lets whoever sees
      an account do so (contacts, account plans, agreements); everybody but sales ops.
    Sales ops (`sales_ops`) see every book like a director but own none and manage nobody:
    they import data, start commission runs and propose rebalances, nothing else."""

    everything: bool
    rep_ids: frozenset[int]
    admin: bool = False
    rep: Rep | None = None
    sales_ops: bool = False

    def covers(self, rep_id: int | None) -> bool:
        return self.everything or (rep_id is not None and rep_id in self.rep_ids)

    @property
    def manages_everything(self) -> bool:
        return self.everything and not self.sales_ops

    def may_change(self, rep_id: int | None) -> bool:
        return self.manages_everything or (rep_id is not None and rep_id in self.rep_ids)

    @property
    def edits_visible(self) -> bool:
        return not self.sales_ops


def scope_for(user: Any) -> Scope:
    """Admins and directors see everything; sales ops (a member of a sales-ops group who is
    no rep) too, without managing anyone; a sales manager their team (all levels); a rep
    their own book; anybody else nothing. Cached on the user object for the request."""
    cached = getattr(user, "_bookwise_scope", None)
    if cached is not None:
        return cached
    rep = rep_for_user(user)
    if is_admin(user):
        scope = Scope(everything=True, rep_ids=frozenset(), admin=True, rep=rep)
    elif rep is None:
        ops = in_sales_ops_group(user)
        scope = Scope(everything=ops, rep_ids=frozenset(), sales_ops=ops)
    elif rep.role == Role.DIRECTOR:
        scope = Scope(everything=True, rep_ids=frozenset(), rep=rep)
    else:
        scope = Scope(everything=False, rep_ids=frozenset({rep.id} | subordinate_ids(rep.id)), rep=rep)
    if getattr(user, "is_authenticated", False):
        user._bookwise_scope = scope
    return scope


SALES_OPS_EDITS = "Sales operations read every book but change accounts only through imports."


def require_edits_visible(user: Any, reason: str = SALES_OPS_EDITS) -> None:
    """Forbidden (403, with `reason`) for a user who sees but may not change by hand (sales
    ops): for the writes open to whoever may see the account, and for those of a workflow that
    lets in other people (the rep, their managers) but never sales ops, who see every object
    and so get the reason, not a 404. `user` None (a command) may."""
    from bookwise.core.errors import Forbidden

    if user is not None and not scope_for(user).edits_visible:
        raise Forbidden(reason)


def rep_list(
    *, user: Any, search: str = "", role: str = "", territory_id: int | None = None
) -> QuerySet[Rep]:
    qs = Rep.objects.select_related("territory", "manager")
    scope = scope_for(user)
    if not scope.everything:
        qs = qs.filter(id__in=scope.rep_ids)
    if search:
        qs = qs.filter(name__icontains=search) | qs.filter(external_id__iexact=search)
    if role:
        qs = qs.filter(role=role)
    if territory_id:
        qs = qs.filter(territory_id=territory_id)
    return qs.order_by("name")


def rep_get(*, user: Any, rep_id: str) -> Rep:
    """One rep, by external id, that the user may see; NotFound otherwise (no leak)."""
    from bookwise.core.errors import NotFound

    rep = (
        Rep.objects.select_related("territory", "manager", "territory__region")
        .filter(external_id=rep_id)
        .first()
    )
    if rep is None or not scope_for(user).covers(rep.id):
        raise NotFound("No such rep.")
    return rep


def owner_and_manager_emails(rep: Rep | None) -> list[str]:
    """Whom a reminder about a rep's account goes to: the rep and their manager (each by the
    rep's email, else their login's)."""
    found = []
    for person in (rep, rep.manager if rep else None):
        if person is None:
            continue
        email = person.email or (person.user.email if person.user else "")
        if email:
            found.append(email)
    return found
