"""Goals for the current year: the director sets the company's and splits them down to the
regions and to the territories of the regions no single manager leads; each sales manager
splits their own territories (and Helena, SM1, her region North) among the team. One goal
is left for a manager to split: the NRR goal of region North."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookwise.core.errors import RuleViolation
from bookwise.goals import access, services
from bookwise.goals.figures import FIGURES, measuring
from bookwise.goals.models import Goal
from bookwise.goals.periods import goal_period
from bookwise.goals.selectors import goals_for
from bookwise.goals.tree import COMPANY, tree_for

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


def _split(key: str, label: str, ref: str, actor) -> None:
    """By last year's share, or evenly where last year gives nothing to share by (or a part
    would need more than the figure can reach)."""
    method = "last_year" if key in ("nrr", "new_accounts", "gp_growth") else "even"
    try:
        services.goal_split(figure_key=key, period_label=label, node_ref=ref, method=method, actor=actor)
    except RuleViolation:
        services.goal_split(figure_key=key, period_label=label, node_ref=ref, method="even", actor=actor)


def _cascade(key: str, period) -> None:
    tree = tree_for(period)
    for node in tree.below(COMPANY):
        ref = tree.refs[node]
        if (key, ref) == LEFT_FOR_THE_MANAGER or not tree.children(node):
            continue
        if node in {g.node_key for g in goals_for(period, key)}:
            _split(key, period.label, ref, _splitter(tree, node))


def _splitter(tree, node):
    """Who splits a node: the manager who leads it, else the director."""
    for sm in MANAGERS:
        user = rep(sm).user
        if user is not None and access.may_split(user, tree, node):
            return user
    return director().user


def build_goals(today: date) -> dict[str, int]:
    label = str(today.year)
    boss = director().user
    with measuring():
        period = goal_period(label, today)
        for key in list(FIGURES):
            services.goal_set(figure_key=key, period_label=label, target=_target(key, period), actor=boss)
            _cascade(key, period)
    return {"goals": Goal.objects.filter(period=label).count()}
