"""Data evidence Bookwise pre-fills into a competency assessment, per competency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import F, Min, Q

from bookwise.accounts.models import OrderLine
from bookwise.commissions.models import Dispute, QuotaOverride
from bookwise.people.models import Rep
from bookwise.people.selectors import subordinate_ids

from ..wording import PLAIN, Wording
from .common import windows_at
from .facts import Facts, collect_facts
from .scorecards import growth, plan_coverage_by_owner, retention, team_plan_coverage


def _pct(value: Decimal | None, words: Wording) -> str:
    return "n/a" if value is None else words.share(value, 1)


def tracking(facts: Facts, team: set[int], words: Wording) -> list[str]:
    (logo, nrr), (logo_prev, nrr_prev) = retention(facts, team, 0), retention(facts, team, 1)
    return [
        f"team logo retention {_pct(logo, words)} (previous 12 months {_pct(logo_prev, words)})",
        f"team net revenue retention {_pct(nrr, words)} (previous 12 months {_pct(nrr_prev, words)})",
        f"gross-profit growth of the team's book {words.money(growth(facts, team, 0))} "
        f"(previous {words.money(growth(facts, team, 1))})",
    ]


def planning(team: set[int], day: date, words: Wording) -> list[str]:
    needs, covered = team_plan_coverage(plan_coverage_by_owner(day), team)
    if not needs:
        return ["plan coverage: no account of the team needs a plan"]
    share = _pct(Decimal(covered) / needs, words)
    return [f"plan coverage {share}: {words.count(covered)} of {words.count(needs)} accounts needing a plan"]


def first_credited(rep_id: int) -> date | None:
    direct = OrderLine.objects.filter(rep_id=rep_id).aggregate(d=Min("order_date"))["d"]
    owned = OrderLine.objects.filter(
        Q(rep_id__isnull=True)
        & Q(account__ownerships__rep_id=rep_id, account__ownerships__role="primary")
        & Q(account__ownerships__start_date__lte=F("order_date"))
        & (
            Q(account__ownerships__end_date__isnull=True)
            | Q(account__ownerships__end_date__gte=F("order_date"))
        )
    ).aggregate(d=Min("order_date"))["d"]
    return min((d for d in (direct, owned) if d is not None), default=None)


def talent(members: list[Rep], day: date) -> list[str]:
    w = windows_at(day)
    at_start = [r for r in members if r.is_active_on(w.cur.start)]
    left = [r for r in members if r.end_date is not None and r.end_date in w.cur]
    lines = [f"team turnover: {len(left)} of {len(at_start)} reps on the team at the window start left"]
    for rep in members:
        hired = rep.hire_date
        if hired is None or hired not in w.cur:
            continue
        first = first_credited(rep.id)
        ramp = f"first credited order after {(first - hired).days} days" if first else "no order yet"
        lines.append(f"new rep {rep.external_id} hired {hired.isoformat()}: {ramp}")
    return lines


def performance(team: set[int], day: date) -> list[str]:
    w = windows_at(day)
    disputes = Dispute.objects.filter(statement__rep_id__in=team, created_at__date__range=(w.cur.start, day))
    accepted = disputes.filter(status="accepted").count()
    overrides = QuotaOverride.objects.filter(rep_id__in=team).count()
    return [
        f"commission disputes raised by the team in the last 12 months: {disputes.count()} "
        f"({accepted} accepted)",
        f"quota overrides on the team: {overrides}",
    ]


def pricing(facts: Facts, team: set[int], words: Wording) -> list[str]:
    w = facts.windows
    out = []
    for label, day, idx in (("last 12 months", w.day, 0), ("previous 12 months", w.prev.end, 1)):
        sums = [facts.account(a) for a in facts.book(day, team)]
        revenue = sum(s.rev[idx] for s in sums)  # cents
        profit = sum(s.gp[idx] for s in sums)
        margin = Decimal(profit) / revenue if revenue else None
        out.append(f"gross margin of the team's orders, {label}: {_pct(margin, words)}")
    return out


def prefill(*, subject: Rep, day: date, words: Wording = PLAIN) -> dict[str, list[str]]:
    """competency -> lines of data evidence. For a manager the team is everyone below them;
    for a rep considered for promotion, their own book. PLAIN figures are what an assessment
    stores and the API returns; the assessment form shows them in DISPLAY."""
    below = subordinate_ids(subject.id)
    team = below or {subject.id}
    members = list(Rep.objects.filter(id__in=below)) if below else [subject]
    facts = collect_facts(windows_at(day), team)
    return {
        "business_planning": planning(team, day, words),
        "talent": talent(members, day),
        "tracking": tracking(facts, team, words),
        "performance": performance(team, day),
        "pricing": pricing(facts, team, words),
    }
