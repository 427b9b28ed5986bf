"""Goals for the current year: the director sets the company's and splits them down to the
regions and to the territories of the regions no single manager leads; each sales manager
splits their own territories (and Helena, SM1, her region North) among the team. One goal
is left for a manager to split: the NRR goal of region North."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.core.errors import RuleViolation
from bookwise.goals import access, services
from bookwise.goals.figures import FIGURES, measuring
from bookwise.goals.models import Goal
from bookwise.goals.periods import goal_period
from bookwise.goals.selectors import goals_for
from bookwise.goals.tree import COMPANY, Tree, tree_for

from .common import director, rep

RATIO_TARGETS = {"logo_retention": "88%", "grr": "90%", "nrr": "103%", "contract_coverage": "15%"}
GROWTH = {"new_accounts": Decimal("1.10"), "gp_growth": Decimal("0.05")}  # of last year's
LEFT_FOR_THE_MANAGER = ("nrr", "region:North")
MANAGERS = ("SM1", "SM2", "SM3", "SM4", "SM5")


def _target(key: str, period) -> str:
    if key in RATIO_TARGETS:
        return RATIO_TARGETS[key]
    figure = FIGURES[key]
    last = figure.of(figure.measured(period, period.previous()), COMPANY).weight
    if key == "new_accounts":
        return str(max(1, int(last * GROWTH[key])))
    return str((last * GROWTH[key]).quantize(Decimal("1")))


def _split(key: str, label: str, ref: str, actor) -> list[Goal]:
    """By last year's share, or evenly where last year gives nothing to share by (or a part
    would need more than the figure can reach). The goals written."""
    method = "last_year" if key in ("nrr", "new_accounts", "gp_growth") else "even"
    try:
        return services.goal_split(
            figure_key=key, period_label=label, node_ref=ref, method=method, actor=actor
        )
    except RuleViolation:
        return services.goal_split(
            figure_key=key, period_label=label, node_ref=ref, method="even", actor=actor
        )


def _cascade(key: str, period, tree: Tree, splitters: dict[str, Any]) -> None:
    """Top down, every node with a goal and someone below it is split by its splitter (the
    goals a split writes are the next level's to split)."""
    with_goal = {g.node_key for g in goals_for(period, key)}
    for node in tree.below(COMPANY):
        ref = tree.refs[node]
        if (key, ref) == LEFT_FOR_THE_MANAGER or node not in splitters or node not in with_goal:
            continue
        with_goal.update(g.node_key for g in _split(key, period.label, ref, splitters[node]))


def _splitters(tree: Tree) -> dict[str, Any]:
    """Who splits each node with someone below it: the manager who leads it, else the
    director."""
    managers = [user for sm in MANAGERS if (user := rep(sm).user) is not None]
    boss = director().user
    return {
        node: next((user for user in managers if access.may_split(user, tree, node)), boss)
        for node in tree.below(COMPANY)
        if tree.children(node)
    }


def build_goals(today: date) -> dict[str, int]:
    label = str(today.year)
    boss = director().user
    with measuring():
        period = goal_period(label, today)
        tree = tree_for(period)
        splitters = _splitters(tree)
        for key in list(FIGURES):
            services.goal_set(figure_key=key, period_label=label, target=_target(key, period), actor=boss)
            _cascade(key, period, tree, splitters)
    return {"goals": Goal.objects.filter(period=label).count()}
