"""Who sees and who changes which goals (docs/goals.md, Permissions).

- Administrators and directors see every goal, set the company's and split any node.
- Sales ops see every goal; they set and split none.
- A sales manager sees the goals of their team: their reps' (and their own), and those of
  the territories and regions they lead. They lead a territory when every rep of it is in
  their team, a region when they lead all its territories; they split what they lead.
- A rep sees their own goals; nobody else sees any."""

from __future__ import annotations

from typing import Any

from bookwise.people.selectors import scope_for

from .tree import COMPANY, Tree, level_of, pk_of


def sets_company_goals(user: Any) -> bool:
    return scope_for(user).manages_everything


def led_nodes(user: Any, tree: Tree) -> set[str]:
    """The territories and regions every rep of which is in the user's team (not for those
    who see everything: they lead the whole tree)."""
    scope = scope_for(user)
    if scope.everything or scope.rep is None:
        return set()
    team = set(scope.rep_ids)
    led: set[str] = set()
    for key in tree.names:
        if level_of(key) in ("territory", "region"):
            reps = tree.reps_under(key)
            if reps and reps <= team:
                led.add(key)
    return led


def visible_nodes(user: Any, tree: Tree) -> set[str]:
    scope = scope_for(user)
    if scope.everything:
        return set(tree.names)
    mine = {k for k in tree.names if level_of(k) == "rep" and pk_of(k) in scope.rep_ids}
    return mine | led_nodes(user, tree)


def may_split(user: Any, tree: Tree, key: str) -> bool:
    if not tree.children(key):
        return False
    if scope_for(user).manages_everything:
        return True
    return key != COMPANY and key in led_nodes(user, tree)


def home_nodes(user: Any, tree: Tree) -> list[str]:
    """The user's own part of the organisation, for the home page: the company for those who
    see everything, else the highest nodes they lead, else their own rep node."""
    scope = scope_for(user)
    if scope.everything:
        return [COMPANY]
    led = led_nodes(user, tree)
    top = [k for k in tree.below(COMPANY) if k in led and tree.parent(k) not in led]
    if top:
        return top
    if scope.rep is not None and f"rep:{scope.rep.pk}" in tree.names:
        return [f"rep:{scope.rep.pk}"]
    return []
