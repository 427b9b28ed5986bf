"""Writes of goals: set the company's target for a figure and period, and split a node's
target among its children. Both are audited with the targets before and after, by name.

`actor` is the signed-in user (pages, API), whose rights are checked: directors and
administrators set the company's goals and split any node, a sales manager splits the
nodes they lead. None is the command line, which runs with the rights of whoever runs it
on the server (docs/architecture.md), recorded as the acting person."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookwise.core.errors import Forbidden, NotFound, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.validation import InvalidValue

from . import access, rules
from .figures import Figure, figure_get
from .models import Goal, Level
from .periods import goal_period
from .selectors import goals_for, split_children
from .tree import COMPANY, Tree, level_of, pk_of, tree_for

LARGEST = {rules.MONEY: Decimal("1000000000000"), rules.COUNT: Decimal("1000000")}


def target_value(raw: Decimal | str | float, figure: Figure, label: str, field: str = "target") -> Decimal:
    """A target as typed, checked against the figure: a number in its unit, not negative, not
    above what the figure can reach (100 % for logo retention and GRR)."""
    try:
        value = rules.parse_target(str(raw), figure.kind)
    except ValueError as exc:
        raise InvalidValue(label, f"{exc}.", field) from None
    if value < 0:
        raise InvalidValue(label, f"{raw} is negative; a goal is 0 or more.", field)
    top = figure.maximum if figure.maximum is not None else LARGEST[figure.kind]
    if value > top:
        shown = f"{top * 100:.0f} %" if figure.kind == rules.RATIO else f"{top:,}"
        raise InvalidValue(label, f"{raw} is above what {figure.label} can reach ({shown}).", field)
    return value


def _node_fields(key: str) -> dict[str, Any]:
    level = level_of(key)
    fields: dict[str, Any] = {"level": level, "region_id": None, "territory_id": None, "rep_id": None}
    if level != Level.COMPANY:
        fields[f"{level}_id"] = pk_of(key)
    return fields


def _find(figure: Figure, period_label: str, key: str) -> Goal | None:
    return Goal.objects.filter(figure=figure.key, period=period_label, **_node_fields(key)).first()


def _shown(units: int | None, figure: Figure) -> str | None:
    if units is None:
        return None
    value = rules.from_units(units, figure.kind)
    return f"{value * 100:.2f} %" if figure.kind == rules.RATIO else f"{value}"


@transaction.atomic
def goal_set(*, figure_key: str, period_label: str, target: Decimal | str | float, actor: Any) -> Goal:
    """The company's goal for a figure and period, made or changed. A goal already split keeps
    its split, which then shows whether it still adds up."""
    figure = figure_get(figure_key)
    period = goal_period(period_label, timezone.localdate())
    if actor is not None and not access.sets_company_goals(actor):
        raise Forbidden("Only directors and administrators set the company's goals.")
    units = rules.to_units(target_value(target, figure, "Target"), figure.kind)
    goal = _find(figure, period.label, COMPANY)
    before = goal.target_units if goal else None
    if goal is None:
        goal = Goal(figure=figure.key, period=period.label, **_node_fields(COMPANY))
    goal.target_units, goal.set_by = units, actor
    goal.save()
    data = {
        "figure": figure.key,
        "period": period.label,
        "before": {"target": _shown(before, figure)},
        "after": {"target": _shown(units, figure)},
    }
    audit_record(actor=actor, action="goal.set", obj=goal, data=data)
    return goal


def _hand_targets(hand: Mapping[str, Any], children: list, figure: Figure) -> list[int]:
    by_ref = {c.ref: c for c in children}
    unknown = [ref for ref in hand if ref not in by_ref]
    if unknown:
        raise RuleViolation(
            f"Targets: {', '.join(map(str, unknown))} is not a part of this goal's node "
            f"(its parts: {', '.join(by_ref)}).",
            {"field": "targets"},
        )
    missing = [c.name for c in children if c.ref not in hand]
    if missing:
        raise RuleViolation(
            f"Targets: give a target for each part; missing: {', '.join(missing)}.", {"field": "targets"}
        )
    return [
        rules.to_units(target_value(hand[c.ref], figure, c.name, "targets"), figure.kind) for c in children
    ]


def _split_units(goal: Goal, figure: Figure, children: list, method: str, hand: Mapping[str, Any] | None):
    weights = [c.weight for c in children]
    if method == rules.EVEN:
        return rules.split_even(goal.target_units, len(children), figure.kind)
    if method == rules.LAST_YEAR:
        units = rules.split_last_year(
            goal.target_units, figure.kind, weights, [c.last_year for c in children]
        )
        top = figure.maximum
        for c, u in zip(children, units, strict=True):
            if top is not None and rules.from_units(u, figure.kind) > top:
                raise rules.SplitRefused(
                    f"by last year's share {c.name} would need {_shown(u, figure)}, "
                    f"above what {figure.label} can reach"
                )
        return units
    if method == rules.HAND:
        units = _hand_targets(hand or {}, children, figure)
        check = rules.consistency(goal.target_units, units, weights, figure.kind)
        if not check.consistent:
            raise rules.SplitRefused(check.message)
        return units
    raise RuleViolation(
        f"Method: {method!r} is not a way to split (use even, last_year or hand).", {"field": "method"}
    )


@transaction.atomic
def goal_split(
    *,
    figure_key: str,
    period_label: str,
    node_ref: str,
    method: str,
    actor: Any,
    targets: Mapping[str, Any] | None = None,
) -> list[Goal]:
    """Split the node's goal among its children: evenly, by last year's share or by hand
    (`targets`: child ref -> target). Refused, changing nothing, when it does not add up."""
    figure = figure_get(figure_key)
    period = goal_period(period_label, timezone.localdate())
    tree = tree_for(period)
    key = tree.key_for(node_ref)
    _check_split_rights(actor, tree, key)
    goal = _find(figure, period.label, key)
    if goal is None:
        raise NotFound(f"No {figure.label} goal for {tree.names[key]} in {period.label} to split.")
    children = split_children(goal, figure, tree, period)
    if not children:
        raise RuleViolation(
            f"{tree.names[key]} has nobody below it to split the goal among.", {"field": "node"}
        )
    try:
        units = _split_units(goal, figure, children, method, targets)
    except rules.SplitRefused as exc:
        raise RuleViolation(f"The split does not add up: {exc}.", {"field": "targets"}) from None
    return _write_split(goal, figure, tree, children, units, method, actor)


def _check_split_rights(actor: Any, tree: Tree, key: str) -> None:
    if actor is None:
        return
    if key not in access.visible_nodes(actor, tree):
        raise NotFound("No such goal.")
    if not access.may_split(actor, tree, key):
        raise Forbidden(
            "Directors split the company's goals; a sales manager splits those of the team they lead."
        )


def _label(child: Any) -> str:
    """As the audit trail names people: "Name (R12)"; a place with its level: "North (region)"."""
    level, _, ident = child.ref.partition(":")
    return f"{child.name} ({ident if level == 'rep' else level})"


def _write_split(
    goal: Goal, figure: Figure, tree: Tree, children: list, units: list[int], method: str, actor
):
    existing = {g.node_key: g for g in goals_for(goal_period(goal.period, timezone.localdate()), figure.key)}
    before, after, written = {}, {}, []
    for child, u in zip(children, units, strict=True):
        old = existing.get(child.key)
        before[_label(child)] = _shown(old.target_units, figure) if old else None
        after[_label(child)] = _shown(u, figure)
        row = old or Goal(figure=figure.key, period=goal.period, **_node_fields(child.key))
        row.target_units, row.set_by = u, actor
        row.save()
        written.append(row)
    goal.split_method = method
    goal.save(update_fields=["split_method", "updated_at"])
    data = {
        "figure": figure.key,
        "period": goal.period,
        "method": method,
        "target": _shown(goal.target_units, figure),
        "before": before,
        "after": after,
    }
    audit_record(actor=actor, action="goal.split", obj=goal, data=data)
    return written
