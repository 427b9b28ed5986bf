"""Reads of goals: who sees which, how each stands on a day (the figure to date against the
target to date), the trend, the children of a node with what a split would use, the table
of territories and reps off track. Call inside `figures.measuring()` to measure each period
once per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max

from bookwise.agreements.models import Agreement
from bookwise.core.dates import Period
from bookwise.core.errors import NotFound
from bookwise.people.models import Region, Rep, Territory
from bookwise.retention.selectors import book_version

from . import access, rules
from .figures import FIGURES, Figure, Measures, figure_get
from .models import Goal
from .periods import additive_window, as_of, checkpoints, ratio_window
from .tree import Tree, level_of, tree_for

VERSIONED = (Goal, Agreement, Rep, Territory, Region)

NOT_STARTED = "not_started"
STATUS_LABELS = {
    rules.ON_TRACK: "on track",
    rules.CLOSE: "close",
    rules.OFF_TRACK: "off track",
    rules.NO_DATA: "no data",
    NOT_STARTED: "not started",
}


@dataclass
class Standing:
    goal: Goal
    figure: Figure
    key: str
    name: str
    ref: str
    target: Decimal
    target_to_date: Decimal | None
    value: Decimal | None
    attainment: Decimal | None
    status: str
    as_of: date | None
    consistency: rules.Consistency | None = None  # of its children's targets, when split
    may_split: bool = False

    @property
    def level(self) -> str:
        return level_of(self.key)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def period_measures(figure: Figure, period: Period, day: date) -> Measures:
    """The figure to date on `day` per node (the window by its kind, docs/goals.md)."""
    window = ratio_window(period, day) if figure.kind == rules.RATIO else additive_window(period, day)
    return figure.measured(*window)


def weights(figure: Figure, period: Period, keys: list[str]) -> list[Decimal]:
    """Each node's weight for the period: a ratio's base, an additive figure's size in P'."""
    measures = figure.measured(period, period.previous())
    return [figure.of(measures, k).weight for k in keys]


def standing(goal: Goal, figure: Figure, tree: Tree, period: Period, day: date) -> Standing:
    target = goal.target(figure.scale)
    key = goal.node_key
    name, ref = tree.names.get(key, key), tree.refs.get(key, key)
    when = as_of(period, day)
    if when is None:
        return Standing(goal, figure, key, name, ref, target, None, None, None, NOT_STARTED, None)
    to_date = rules.prorated(target, figure.kind, (when - period.start).days + 1, period.days)
    value = figure.of(period_measures(figure, period, when), key).value
    status = rules.track(value, to_date)
    return Standing(
        goal, figure, key, name, ref, target, to_date, value, rules.attainment(value, to_date), status, when
    )


def children_consistency(
    goal: Goal, figure: Figure, tree: Tree, period: Period, by_key: dict[str, Goal]
) -> rules.Consistency | None:
    """Whether the node's children's goals add up to it (None: not split)."""
    kids = tree.children(goal.node_key)
    if not goal.split_method or not kids:
        return None
    missing = [tree.names[k] for k in kids if k not in by_key]
    if missing:
        return rules.Consistency(False, None, f"no goal yet for {', '.join(missing)}")
    targets = [by_key[k].target_units for k in kids]
    return rules.consistency(goal.target_units, targets, weights(figure, period, kids), figure.kind)


def goals_for(period: Period, figure_key: str | None = None) -> list[Goal]:
    qs = Goal.objects.filter(period=period.label)
    if figure_key:
        qs = qs.filter(figure=figure_key)
    return [g for g in qs.select_related("set_by") if g.figure in FIGURES]


def visible_standings(
    *, user: Any, period: Period, day: date, figure_key: str | None = None, with_checks: bool = False
) -> list[Standing]:
    """The goals of the period the user may see, by figure, in the cascade's order."""
    tree = tree_for(period)
    seen = set(tree.names) if user is None else access.visible_nodes(user, tree)
    order = {key: i for i, key in enumerate(tree.below("company"))}
    goals = goals_for(period, figure_key)
    by_figure: dict[str, dict[str, Goal]] = {}
    for g in goals:
        by_figure.setdefault(g.figure, {})[g.node_key] = g
    found = []
    for g in sorted(goals, key=lambda g: (list(FIGURES).index(g.figure), order.get(g.node_key, 10**9))):
        if g.node_key not in seen:
            continue
        figure = FIGURES[g.figure]
        s = standing(g, figure, tree, period, day)
        s.may_split = user is not None and access.may_split(user, tree, s.key)
        if with_checks:
            s.consistency = children_consistency(g, figure, tree, period, by_figure[g.figure])
        found.append(s)
    return found


def everything_standings(*, period: Period, day: date, figure_key: str | None = None) -> list[Standing]:
    """Every goal of the period (the command line runs with the server's rights)."""
    return visible_standings(user=None, period=period, day=day, figure_key=figure_key, with_checks=True)


def off_track(*, user: Any, period: Period, day: date) -> list[Standing]:
    """Territories and reps whose figure to date is off track, furthest behind first."""
    rows = [
        s
        for s in visible_standings(user=user, period=period, day=day)
        if s.level in ("territory", "rep") and s.status == rules.OFF_TRACK
    ]
    return sorted(rows, key=lambda s: (s.attainment if s.attainment is not None else Decimal(-1), s.name))


def home_standings(*, user: Any, period: Period, day: date) -> list[Standing]:
    tree = tree_for(period)
    home = set(access.home_nodes(user, tree))
    return [s for s in visible_standings(user=user, period=period, day=day) if s.key in home]


def goal_get(*, user: Any, period: Period, figure_key: str, ref: str) -> tuple[Goal, Figure, Tree]:
    """A goal the user may see, by figure and node ref (none: the user's own part of the
    organisation, as on the home page); NotFound otherwise (no leak)."""
    figure = figure_get(figure_key)
    tree = tree_for(period)
    goals = goals_for(period, figure_key)
    key = tree.key_for(ref) if ref.strip() else _own_node(user, tree, {g.node_key for g in goals})
    if key not in access.visible_nodes(user, tree):
        raise NotFound("No such goal.")
    goal = next((g for g in goals if g.node_key == key), None)
    if goal is None:
        raise NotFound(f"No {figure.label} goal for {tree.names[key]} in {period.label}.")
    return goal, figure, tree


def data_version() -> tuple:
    """What the goals' standings are read from, in cheap signs of change: the book
    (retention.selectors.book_version), the goals, the agreements (contract coverage) and the
    organisation (the tree of regions, territories and reps)."""
    signs = [model.objects.aggregate(n=Count("id"), at=Max("updated_at")) for model in VERSIONED]
    return (book_version(), *(tuple(sign.values()) for sign in signs))


def _own_node(user: Any, tree: Tree, with_goal: set[str]) -> str:
    """The first of the user's home nodes that has this goal (else the first of them)."""
    home = access.home_nodes(user, tree)
    return next((k for k in home if k in with_goal), home[0] if home else "")


def trend(
    goal: Goal, figure: Figure, period: Period, day: date, days: list[date] | None = None
) -> list[tuple[date, Decimal | None, Decimal]]:
    """(day, the figure to date, the target to date) at each month end and on `day` (or on
    `days`)."""
    target = goal.target(figure.scale)
    points = []
    for point in checkpoints(period, day) if days is None else days:
        value = figure.of(period_measures(figure, period, point), goal.node_key).value
        to_date = rules.prorated(target, figure.kind, (point - period.start).days + 1, period.days)
        points.append((point, value, to_date))
    return points


@dataclass
class Child:
    key: str
    name: str
    ref: str
    current: Decimal | None  # its target now, if any
    last_year: Decimal | None  # its figure over the period before
    weight: Decimal


def split_children(goal: Goal, figure: Figure, tree: Tree, period: Period) -> list[Child]:
    """The children of a goal's node with their current targets and what a split uses."""
    kids = tree.children(goal.node_key)
    existing = {g.node_key: g for g in goals_for(period, figure.key)}
    prior = period.previous()
    last = figure.measured(prior, prior.previous())
    return [
        Child(
            k,
            tree.names[k],
            tree.refs[k],
            existing[k].target(figure.scale) if k in existing else None,
            figure.of(last, k).value,
            w,
        )
        for k, w in zip(kids, weights(figure, period, kids), strict=True)
    ]


def figure_choices() -> list[tuple[str, str]]:
    return [(f.key, f.label) for f in FIGURES.values()]


def part_refs(period: Period, ref: str) -> list[str]:
    """The refs of the parts a node's goal splits into."""
    tree = tree_for(period)
    return [tree.refs[k] for k in tree.children(tree.key_for(ref))]
