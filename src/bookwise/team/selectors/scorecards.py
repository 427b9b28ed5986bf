"""Scorecards by role (METRICS.md Roles), each figure next to the peer median and the rep's
own previous 12 months. A rep is judged only on the metrics of their current role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.core.errors import NotFound
from bookwise.core.memory import gc_paused
from bookwise.core.users import Viewer
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import manager_map, rep_get, subordinate_ids
from bookwise.retention import metrics

from ..rules import median
from .common import Windows, visible_reps, windows_at
from .credits import AccountSums, money
from .facts import Facts, collect_facts
from .tiers import book_tiers

Number = Decimal | int | None


@dataclass
class Metric:
    key: str
    label: str
    kind: str  # money | count | ratio
    value: Number
    previous: Number
    median: Decimal | None = None
    lower_is_better: bool = False
    note: str = ""


@dataclass
class Scorecard:
    rep: Rep
    role: str
    day: date
    metrics: list[Metric] = field(default_factory=list)

    def metric(self, key: str) -> Metric:
        return next(m for m in self.metrics if m.key == key)

    @property
    def hunter_view(self) -> dict[str, tuple[Number, Decimal | None]]:
        return {m.key: (m.value, m.median) for m in self.metrics if m.key in HUNTER_KEYS}

    @property
    def manager_view(self) -> dict[str, tuple[Number, Decimal | None, bool]]:
        return {m.key: (m.value, m.median, m.lower_is_better) for m in self.metrics if m.key in AM_KEYS}


CoverageByOwner = dict[int, tuple[int, int]]  # owner rep -> (accounts needing a plan, covered)
HUNTER_KEYS = ("new_accounts", "new_account_gp")
AM_KEYS = ("gp_growth", "orders_taken", "turnover")


def hunter_values(facts: Facts, rep_id: int, idx: int) -> tuple[int, Decimal]:
    if facts.memo.hunters is None:
        by_hunter: dict[int | None, list[tuple[int, date]]] = defaultdict(list)
        for account, (first, hunter) in facts.new_accounts.items():
            by_hunter[hunter].append((account, first))
        facts.memo.hunters = by_hunter
    period = (facts.windows.cur, facts.windows.prev)[idx]
    mine = [a for a, first in facts.memo.hunters.get(rep_id, ()) if first in period]
    return len(mine), money(sum(facts.account(a).gp[idx] for a in mine))


def book_days(w: Windows, idx: int) -> tuple[date, date]:
    """(day the book is taken for growth, window start for turnover) of window idx."""
    return (w.day, w.cur.start) if idx == 0 else (w.prev.end, w.prev.start)


def _owned_sums(facts: Facts, day: date) -> list[tuple[int, AccountSums]]:
    """(primary owner on `day`, account sums) of the accounts with order lines in the
    windows; the others add nothing to any figure."""
    sums = facts.sums
    return [(rep, sums[a]) for a, rep in facts.owners[day].items() if a in sums]


def _growth_per_rep(facts: Facts, idx: int) -> dict[int, int]:
    """rep -> gp(window idx) - gp(window idx + 1) in cents over the book they own at the
    window's end, once per facts (managers add up their team's reps)."""
    if idx not in facts.memo.growth:
        totals: dict[int, int] = defaultdict(int)
        for rep, s in _owned_sums(facts, book_days(facts.windows, idx)[0]):
            totals[rep] += s.gp[idx] - s.gp[idx + 1]
        facts.memo.growth[idx] = totals
    return facts.memo.growth[idx]


def growth(facts: Facts, rep_ids: set[int], idx: int) -> Decimal:
    per_rep = _growth_per_rep(facts, idx)
    return money(sum(per_rep[r] for r in rep_ids if r in per_rep))


def turnover(facts: Facts, rep_ids: set[int], idx: int) -> tuple[Decimal | None, int, int]:
    """Lost / owned at window start; lost = owned at window start, revenue > 0 in the 12 months
    before the window and none (sum <= 0) in the window."""
    _, start = book_days(facts.windows, idx)
    owned = facts.book(start, rep_ids)
    lost = [a for a in owned if facts.account(a).rev[idx + 1] > 0 and facts.account(a).rev[idx] <= 0]
    return (Decimal(len(lost)) / len(owned) if owned else None), len(lost), len(owned)


def _retention_per_rep(facts: Facts, idx: int) -> dict[int, metrics.RetentionFigures]:
    """rep -> the retention figures (METRICS.md Retention, `retention.metrics.base_figures`) of
    the book they own at the window start, P = window idx against the window before, in
    cents; once per facts. Logo retention and NRR are made of the base set alone."""
    if idx not in facts.memo.retention:
        rows: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        sums = facts.sums
        for account, rep in facts.owners[book_days(facts.windows, idx)[1]].items():
            s = sums.get(account)
            if s is not None:
                rows[rep].append((account, s.rev[idx], s.rev[idx + 1]))
        figures = {rep: metrics.base_figures(None, mine, 0, scale=2) for rep, mine in rows.items()}
        facts.memo.retention[idx] = figures
    return facts.memo.retention[idx]


def retention(facts: Facts, rep_ids: set[int], idx: int) -> tuple[Decimal | None, Decimal | None]:
    """(logo retention, NRR) of the book held at the window start, by the retention app's
    rules (null with an empty base)."""
    per_rep = _retention_per_rep(facts, idx)
    team = metrics.combine((per_rep[r] for r in rep_ids if r in per_rep), None)
    return team.logo_retention, team.nrr


def plan_coverage_by_owner(day: date, tiers: Mapping[int, Any] | None = None) -> CoverageByOwner:
    """primary owner pk -> (accounts needing a plan, of which with an approved plan), from the
    plans app's coverage facts (METRICS of the plans issue) on `day`; `tiers`: the book's
    tiers on `day` when already known (else the plans app asks the retention app)."""
    from bookwise.plans.coverage import coverage_facts

    result: dict[int, tuple[int, int]] = {}
    for fact in coverage_facts(user=None, day=day, tiers=tiers):
        if fact.owner_pk is not None and fact.needs_plan:
            needs, covered = result.get(fact.owner_pk, (0, 0))
            result[fact.owner_pk] = (needs + 1, covered + fact.has_plan)
    return result


def team_plan_coverage(by_owner: dict[int, tuple[int, int]], team: set[int]) -> tuple[int, int]:
    pairs = [by_owner[r] for r in team if r in by_owner]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def coverage_ratio(by_owner: dict[int, tuple[int, int]], team: set[int]) -> Decimal | None:
    needs, covered = team_plan_coverage(by_owner, team)
    return Decimal(covered) / needs if needs else None


def hunter_metrics(facts: Facts, rep: Rep) -> list[Metric]:
    (n0, gp0), (n1, gp1) = hunter_values(facts, rep.id, 0), hunter_values(facts, rep.id, 1)
    return [
        Metric("new_accounts", "New accounts opened", "count", n0, n1),
        Metric("new_account_gp", "Gross profit in new accounts", "money", gp0, gp1),
    ]


def account_manager_metrics(facts: Facts, rep: Rep) -> list[Metric]:
    ids = {rep.id}
    orders = facts.credited.get(rep.id, [0, 0])
    (t0, lost0, owned0), (t1, _, _) = turnover(facts, ids, 0), turnover(facts, ids, 1)
    return [
        Metric(
            "gp_growth",
            "Gross-profit growth of the book",
            "money",
            growth(facts, ids, 0),
            growth(facts, ids, 1),
        ),
        Metric("orders_taken", "Orders taken", "count", orders[0], orders[1]),
        Metric(
            "turnover",
            "Turnover (lost accounts)",
            "ratio",
            t0,
            t1,
            lower_is_better=True,
            note=f"{lost0} lost of {owned0} owned at window start",
        ),
    ]


def sales_manager_metrics(
    facts: Facts, rep: Rep, team: set[int], coverage: list[CoverageByOwner]
) -> list[Metric]:
    (logo0, nrr0), (logo1, nrr1) = retention(facts, team, 0), retention(facts, team, 1)
    now, before = coverage_ratio(coverage[0], team), coverage_ratio(coverage[1], team)
    return [
        Metric(
            "team_gp_growth",
            "Team gross-profit growth",
            "money",
            growth(facts, team, 0),
            growth(facts, team, 1),
        ),
        Metric("team_logo_retention", "Team logo retention", "ratio", logo0, logo1),
        Metric("team_nrr", "Team net revenue retention", "ratio", nrr0, nrr1),
        Metric(
            "plan_coverage",
            "Plan coverage",
            "ratio",
            now,
            before,
            note="accounts needing a plan that have an approved plan for the year",
        ),  # fmt: skip
    ]


def metrics_for(
    facts: Facts, rep: Rep, managers: dict[int, int | None], coverage: list[CoverageByOwner]
) -> list[Metric]:
    if rep.role == Role.HUNTER:
        return hunter_metrics(facts, rep)
    if rep.role == Role.ACCOUNT_MANAGER:
        return account_manager_metrics(facts, rep)
    return sales_manager_metrics(facts, rep, subordinate_ids(rep.id, managers), coverage)


def add_medians(cards: list[Scorecard], by_role: bool = True) -> None:
    """Peer median: reps with the same manager and the same role (the rep included)."""
    groups: dict[tuple[int | None, str], list[Scorecard]] = defaultdict(list)
    for card in cards:
        groups[(card.rep.manager_id, card.role if by_role else "")].append(card)
    for group in groups.values():
        for i in range(len(group[0].metrics)):
            med = median(card.metrics[i].value for card in group)
            for card in group:
                card.metrics[i].median = med


def build_scorecards(
    reps: list[Rep], day: date, everyone: bool = False, both_roles: bool = False
) -> list[Scorecard]:
    """Scorecards of `reps` at `day`, with peer medians over `reps` (pass the peers too).
    `both_roles`: hunter and account-manager metrics for everybody, medians per manager
    (for the role suggestion of the time study)."""
    with gc_paused():
        return _build_scorecards(reps, day, everyone, both_roles)


def _build_scorecards(reps: list[Rep], day: date, everyone: bool, both_roles: bool) -> list[Scorecard]:
    managers = manager_map()
    rep_ids: set[int] | None = None
    if not everyone:
        rep_ids = {r.id for r in reps}
        for r in reps:
            if r.role in (Role.SALES_MANAGER, Role.DIRECTOR):
                rep_ids |= subordinate_ids(r.id, managers)
    facts = collect_facts(windows_at(day), rep_ids)
    if both_roles:
        cards = [
            Scorecard(r, r.role, day, hunter_metrics(facts, r) + account_manager_metrics(facts, r))
            for r in reps
        ]
    else:
        leads = any(r.role in (Role.SALES_MANAGER, Role.DIRECTOR) for r in reps)
        coverage: list[CoverageByOwner] = [{}, {}]
        if leads:
            # facts of the whole book hold its T12M revenue on both days: rank them here
            tiers = [book_tiers(facts, 0), book_tiers(facts, 1)] if rep_ids is None else [None, None]
            coverage = [
                plan_coverage_by_owner(d, t)
                for d, t in zip((day, facts.windows.prev.end), tiers, strict=True)
            ]
        cards = [Scorecard(r, r.role, day, metrics_for(facts, r, managers, coverage)) for r in reps]
    add_medians(cards, by_role=not both_roles)
    return cards


def peers_of(reps: list[Rep]) -> list[Rep]:
    """The reps plus everybody sharing a manager and a role with one of them."""
    keys = {(r.manager_id, r.role) for r in reps}
    extra = Rep.objects.filter(manager_id__in={k[0] for k in keys if k[0]}).select_related("manager")
    found = {r.id: r for r in reps}
    for r in extra:
        if (r.manager_id, r.role) in keys:
            found.setdefault(r.id, r)
    return list(found.values())


def scorecard_list(*, user: Viewer | None, day: date) -> list[Scorecard]:
    """Scorecards of every rep the user may see (peers outside the scope feed the medians only)."""
    visible = list(visible_reps(user=user))
    wanted = {r.id for r in visible}
    everyone = len(visible) == Rep.objects.count()
    reps = visible if everyone else peers_of(visible)
    cards = build_scorecards(reps, day, everyone=everyone)
    return sorted((c for c in cards if c.rep.id in wanted), key=lambda c: (c.rep.name, c.rep.external_id))


def rep_scorecard(*, user: Viewer | None, rep_id: str, day: date) -> Scorecard:
    rep = rep_get(user=user, rep_id=rep_id)
    cards = build_scorecards(peers_of([rep]), day)
    card = next((c for c in cards if c.rep.id == rep.id), None)
    if card is None:  # pragma: no cover - the rep is always among their peers
        raise NotFound("No such rep.")
    return card
