"""The figures a goal can target, as a small registry: each says its unit, the largest
sensible target, and how to measure it per node of the organisation over a period, with
the weight its children's targets are averaged (ratio) or shared (additive) by.

The measures use Bookwise's own computations: retention's per-account revenues of P and P'
and its new-account rule with `metrics.retention_by_group` (METRICS.md Retention), and the
order lines' gross profit (METRICS.md gp_X). An account counts for the company, its
region, its territory and its primary owner on the period's first day (METRICS.md
Grouping). Contract coverage is registered only when the agreements app is installed."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Sum

from bookwise.accounts.models import Account, OrderLine
from bookwise.accounts.selectors import owners_on
from bookwise.core.dates import Period
from bookwise.core.errors import RuleViolation
from bookwise.retention import metrics, reports

from . import rules
from .tree import COMPANY

ZERO = Decimal("0.00")
T = TypeVar("T")


@dataclass(frozen=True)
class Measure:
    value: Decimal | None  # None: undefined (a ratio over an empty base)
    weight: Decimal  # a ratio's base; an additive figure's size last period


Measures = dict[str, Measure]  # node key -> measure


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # rules.RATIO, MONEY or COUNT
    maximum: Decimal | None
    measure: Callable[[Period, Period], Measures]  # (period, the period compared with)
    definition: str
    weight_kind: str = rules.COUNT  # what the weight is counted in: accounts, or money (revenue, gp)

    @property
    def additive(self) -> bool:
        return self.kind != rules.RATIO

    @property
    def scale(self) -> int:
        return rules.SCALE[self.kind]

    def __reduce__(self) -> tuple[Callable[[str], Figure], tuple[str]]:
        """Kept (pickled) by its key: a figure is a registered one and holds functions."""
        return figure_get, (self.key,)

    def measured(self, period: Period, prior: Period) -> Measures:
        """`measure(period, prior)`, once per request or command (inside `measuring()`): every
        goal of the figure for the period reads the same per-node measures."""
        return _memo(("measures", self.key, period, prior), lambda: self.measure(period, prior))

    def of(self, measures: Measures, key: str) -> Measure:
        """A node's measure. One the figure has nothing for (no accounts, or no gross profit
        recorded on them in either period) has 0 of a count, and no ratio nor money figure:
        those cannot be measured, so the goal is "no data", not on track at 0."""
        return measures.get(key) or Measure(ZERO if self.kind == rules.COUNT else None, ZERO)


FIGURES: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    FIGURES[figure.key] = figure


def figure_get(key: str) -> Figure:
    if key not in FIGURES:
        known = ", ".join(FIGURES)
        raise RuleViolation(
            f"Figure: {key!r} is not a figure a goal can target (use {known}).", {"field": "figure"}
        )
    return FIGURES[key]


# --- a memo for one request or command: the same period is measured once ------------------

_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("goals_memo", default=None)


@contextlib.contextmanager
def measuring() -> Iterator[None]:
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _memo(key: Any, compute: Callable[[], T]) -> T:
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# --- grouping accounts into nodes ----------------------------------------------------------


def node_groups(day: date) -> dict[int, list[str]]:
    """account pk -> the nodes it counts for: the company, its region and territory, and its
    primary owner on `day`."""

    def compute() -> dict[int, list[str]]:
        owners = owners_on(day)
        found: dict[int, list[str]] = {}
        for pk, territory, region in Account.objects.order_by().values_list(
            "id", "territory_id", "territory__region_id"
        ):
            keys = [COMPANY]
            keys += [f"region:{region}"] if region else []
            keys += [f"territory:{territory}"] if territory else []
            keys += [f"rep:{owners[pk]}"] if pk in owners else []
            found[pk] = keys
        return found

    return _memo(("groups", day), compute)


def _sum_by_node(values: Mapping[int, Decimal], day: date) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for pk, keys in node_groups(day).items():
        if pk in values:
            for key in keys:
                totals[key] = totals.get(key, ZERO) + values[pk]
    return totals


# --- retention figures -------------------------------------------------------------------------


def retention_by_node(period: Period) -> dict[str | None, metrics.RetentionFigures]:
    """Retention figures (logo, GRR, NRR, new accounts) of P against P' per node."""

    def compute() -> dict[str | None, metrics.RetentionFigures]:
        revenues = reports.period_revenues(period, None, figures_only=True)
        new = reports.new_account_ids(period, None)
        rows = [
            metrics.AccountPeriods(pk, key, *revenues.get(pk, (ZERO, ZERO)), new=pk in new)
            for pk, keys in node_groups(period.start).items()
            for key in keys
        ]
        return metrics.retention_by_group(rows)

    return _memo(("retention", period), compute)


def _ratio_measure(value: Callable[[metrics.RetentionFigures], Decimal | None], weight: str):
    def measure(period: Period, prior: Period) -> Measures:
        return {
            str(key): Measure(value(f), Decimal(getattr(f, weight)))
            for key, f in retention_by_node(period).items()
        }

    return measure


def new_accounts_measure(period: Period, prior: Period) -> Measures:
    """New accounts in the period per node; weight: those of the period compared with."""
    now = {str(k): Decimal(f.new_accounts) for k, f in retention_by_node(period).items()}
    before_ids = _memo(("new", prior), lambda: reports.new_account_ids(prior, None))
    before = _sum_by_node(dict.fromkeys(before_ids, Decimal(1)), prior.start)
    return {key: Measure(now.get(key, ZERO), before.get(key, ZERO)) for key in now.keys() | before.keys()}


# --- gross profit -----------------------------------------------------------------------------


def gross_profit(start: date, end: date) -> dict[int, Decimal]:
    """account pk -> gp of its order lines dated in [start, end] (lines without one count 0)."""

    def compute() -> dict[int, Decimal]:
        rows = (
            OrderLine.objects.filter(order_date__range=(start, end), gross_profit__isnull=False)
            .order_by()
            .values_list("account_id")
            .annotate(gp=Sum("gross_profit"))
        )
        return {pk: Decimal(gp or 0) for pk, gp in rows}

    return _memo(("gp", start, end), compute)


def gp_growth_measure(period: Period, prior: Period) -> Measures:
    """gp in the period minus gp in the period compared with, over the accounts each node
    counts (grouped on the period's first day); weight: gp of the period compared with."""
    now = _sum_by_node(gross_profit(period.start, period.end), period.start)
    before = _sum_by_node(gross_profit(prior.start, prior.end), period.start)
    return {
        key: Measure(now.get(key, ZERO) - before.get(key, ZERO), max(before.get(key, ZERO), ZERO))
        for key in now.keys() | before.keys()
    }


ONE = Decimal(1)
register(
    Figure(
        "logo_retention",
        "Logo retention",
        rules.RATIO,
        ONE,
        _ratio_measure(lambda f: f.logo_retention, "base_accounts"),
        "|R| / |B| (METRICS.md Retention); consistency weight: |B|",
    )
)
register(
    Figure(
        "grr",
        "GRR",
        rules.RATIO,
        ONE,
        _ratio_measure(lambda f: f.grr, "base_revenue"),
        "gross revenue retention (METRICS.md); consistency weight: base revenue",
        rules.MONEY,
    )
)
register(
    Figure(
        "nrr",
        "NRR",
        rules.RATIO,
        Decimal(3),
        _ratio_measure(lambda f: f.nrr, "base_revenue"),
        "net revenue retention (METRICS.md); consistency weight: base revenue",
        rules.MONEY,
    )
)
register(
    Figure(
        "gp_growth",
        "Gross-profit growth",
        rules.MONEY,
        None,
        gp_growth_measure,
        "gp_P - gp_P' over the node's accounts; additive",
        rules.MONEY,
    )
)
register(
    Figure(
        "new_accounts",
        "New accounts",
        rules.COUNT,
        None,
        new_accounts_measure,
        "accounts whose first order line ever is in P (METRICS.md); additive",
    )
)


# --- contract coverage (the agreements app, when installed) ---------------------------------


def coverage_measure(coverage: Callable[..., Mapping[int, tuple[Decimal, Decimal]]]):
    """Adapter for `agreements.selectors.coverage_by_account(day=...)`, which answers, per
    account pk, (T12M revenue under an active agreement, T12M revenue) at `day`: a node's
    coverage is the sum of the first over the sum of the second, weighted by the second."""

    def measure(period: Period, prior: Period) -> Measures:
        per_account = coverage(day=period.end)
        covered = _sum_by_node({pk: c for pk, (c, _) in per_account.items()}, period.start)
        revenue = _sum_by_node({pk: r for pk, (_, r) in per_account.items()}, period.start)
        return {k: Measure(metrics.ratio(covered.get(k, ZERO), r), r) for k, r in revenue.items()}

    return measure


def register_optional_figures() -> None:
    """Contract coverage, only when the agreements app (a layer below goals) is importable."""
    try:
        from bookwise.agreements import selectors as agreements  # type: ignore[attr-defined]
    except ImportError:
        return
    coverage = getattr(agreements, "coverage_by_account", None)
    if coverage is not None:
        register(
            Figure(
                "contract_coverage",
                "Contract coverage",
                rules.RATIO,
                ONE,
                coverage_measure(coverage),
                "share of T12M revenue under an active agreement; weight: T12M revenue",
                rules.MONEY,
            )
        )
