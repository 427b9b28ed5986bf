"""An independent end-to-end oracle of COMMISSIONS.md (test code only).

Written straight from the contract text, as plainly as possible, in exact fractions. It
shares nothing with `bookwise.commissions` (nor with `bookwise.core.dates`): it reads the
rows of the book (reps, accounts, ownership history, order lines) and takes the plan
file's plans and quota overrides as the plain mappings of the YAML (`plans:` and
`quotas:` items, numbers as text). Slow on purpose: every quantity is recomputed from
its definition by looping over every line of the book.

`statements(label, plans, quotas)` -> {rep external id: OracleStatement}.

Where the contract leaves a choice, the readings of docs/commissions.md are followed:
- a rep without a plan for the period is still credited (for B and the overrides), with
  no co-coverage split (the split is the credited rep's plan's);
- a co-coverage split of 0 gives the secondary owner no share (no line);
- a rep without a hire date is employed; the roles are the reps' current roles;
- the override's split is the one of the credited rep's plan paying the run's period,
  also for the year-earlier period.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.people.models import Rep

# ---------------------------------------------------------------- plain arithmetic


def frac(value: Any) -> Fraction:
    """Exact value of a plan number (text, Decimal, int) or a Decimal from the database."""
    return Fraction(Decimal(str(value)))


def round_half_up(value: Fraction, places: int) -> Fraction:
    """Half-up to `places` decimals, away from zero for negatives (-0.125 -> -0.13)."""
    scaled = abs(value) * 10**places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if value >= 0 else -whole, 10**places)


def round_half_up_cents(value: Fraction) -> Fraction:
    return round_half_up(value, 2)


def plus_months(day: date, n: int) -> date:
    """The same day n months later, clamped to the end of that month."""
    month_index = day.month - 1 + n
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def completed_months(t: date, d: date) -> int:
    """The largest N with t + N months <= d (counting up; 0 when d < t + 1 month)."""
    n = 0
    while plus_months(t, n + 1) <= d:
        n += 1
    return n


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Span:
    label: str
    kind: str  # month | quarter | year
    start: date
    end: date


def span_of(label: str) -> Span:
    """`2026`, `2026-Q1` or `2026-03`."""
    if len(label) == 4:
        year = int(label)
        return Span(label, "year", date(year, 1, 1), date(year, 12, 31))
    year, rest = label.split("-")
    if rest.startswith("Q"):
        q = int(rest[1:])
        first = date(int(year), 3 * q - 2, 1)
        last_month = 3 * q
        return Span(
            label,
            "quarter",
            first,
            date(int(year), last_month, calendar.monthrange(int(year), last_month)[1]),
        )
    m = int(rest)
    return Span(
        label, "month", date(int(year), m, 1), date(int(year), m, calendar.monthrange(int(year), m)[1])
    )


def year_before(span: Span) -> Span:
    """The same calendar period a year earlier."""
    if span.kind == "year":
        return span_of(str(int(span.label) - 1))
    year, rest = span.label.split("-")
    return span_of(f"{int(year) - 1}-{rest}")


# ---------------------------------------------------------------- plans


@dataclass
class OPlan:
    """A plan as the YAML gives it (missing keys -> None / their contract defaults)."""

    name: str
    roles: tuple[str, ...]
    valid_from: date
    valid_to: date
    period: str
    base: str
    quota: Fraction | None
    tiers: list[tuple[Fraction, Fraction]]  # (from, rate)
    rule: dict[str, Any] | None
    split: Fraction
    override_rate: Fraction | None

    @classmethod
    def from_yaml(cls, item: dict[str, Any]) -> OPlan:
        rule = item.get("transfer_rule")
        override = item.get("override")
        return cls(
            name=str(item["name"]),
            roles=tuple(item["roles"]),
            valid_from=as_date(item["valid_from"]),
            valid_to=as_date(item["valid_to"]),
            period=str(item.get("period", "quarter")),
            base=str(item.get("base") or "amount"),  # a plan without base pays on amount
            quota=None if item.get("quota") is None else frac(item["quota"]),
            tiers=[(frac(t["from"]), frac(t["rate"])) for t in item.get("tiers") or []],
            rule=None if rule is None else dict(rule),
            split=frac(item.get("co_coverage_split") or 0),
            override_rate=None if not override else frac(override["rate"]),
        )

    # R(x) = integral from 0 to x of rate(y / quota) dy
    def rate_at(self, attainment: Fraction) -> Fraction:
        """The rate of the last tier whose `from` <= attainment (0 below the first)."""
        rate = Fraction(0)
        for start, r in self.tiers:
            if start <= attainment:
                rate = r
        return rate

    def big_r(self, quota: Fraction | None, x: Fraction) -> Fraction:
        if not self.tiers:
            return Fraction(0)  # an override-only plan pays 0
        if quota is None:
            assert len(self.tiers) == 1, "more than one tier needs a quota"
            return self.tiers[0][1] * x  # one tier, no quota: rate x
        if x <= 0:
            return self.rate_at(Fraction(0)) * x  # below 0: the rate at attainment 0
        cuts = {Fraction(0), x}
        for start, _ in self.tiers:
            if 0 < start * quota < x:
                cuts.add(start * quota)
        points = sorted(cuts)
        total = Fraction(0)
        for a, b in zip(points, points[1:], strict=False):
            total += self.rate_at(a / quota) * (b - a)  # rate is constant on [a, b)
        return total

    def ramp(self, months: int) -> Fraction:
        mult = Fraction(1)
        for step in (self.rule or {}).get("ramp") or []:
            if int(step["from_month"]) <= months:
                mult = frac(step["multiplier"])
        return mult


def paying_plans(plans: list[OPlan], span: Span) -> dict[str, OPlan]:
    """Per role: the plan of the period's kind whose validity overlaps the period; the
    later valid_from when two do."""
    chosen: dict[str, OPlan] = {}
    for plan in plans:
        if plan.period != span.kind or plan.valid_from > span.end or plan.valid_to < span.start:
            continue
        for role in plan.roles:
            if role not in chosen or plan.valid_from > chosen[role].valid_from:
                chosen[role] = plan
    return chosen


# ---------------------------------------------------------------- the book


@dataclass(frozen=True)
class OLine:
    order_id: str
    account: int
    account_ref: str
    day: date
    kind: str
    amount: Fraction
    gross_profit: Fraction | None
    rep: int | None


@dataclass
class OBook:
    reps: dict[int, Any]  # pk -> row
    accounts: dict[int, str]  # pk -> external id
    ownerships: list[Any]
    lines: list[OLine]

    @classmethod
    def read(cls) -> OBook:
        reps = {r.pk: r for r in Rep.objects.all()}
        accounts = dict(Account.objects.values_list("id", "external_id"))
        lines = [
            OLine(
                o.external_id,
                o.account_id,
                accounts[o.account_id],
                o.order_date,
                o.kind or "repeat",  # an order with no kind is repeat
                frac(o.amount),
                None if o.gross_profit is None else frac(o.gross_profit),
                o.rep_id,
            )
            for o in OrderLine.objects.all()
        ]
        return cls(reps, accounts, list(Ownership.objects.all()), lines)

    def holder(self, account: int, role: str, day: date) -> int | None:
        found = [
            o.rep_id
            for o in self.ownerships
            if o.account_id == account
            and o.role == role
            and o.start_date <= day
            and (o.end_date is None or day <= o.end_date)
        ]
        assert len(found) <= 1, "overlapping ownership"
        return found[0] if found else None

    def transfer_date(self, rep: int, account: int, day: date) -> date | None:
        """The latest start t <= day of a primary assignment of `account` to `rep` whose
        reason is not `import`."""
        starts = [
            o.start_date
            for o in self.ownerships
            if o.rep_id == rep
            and o.account_id == account
            and o.role == "primary"
            and o.reason != "import"
            and o.start_date <= day
        ]
        return max(starts) if starts else None

    def team_of(self, manager: int) -> set[int]:
        """Every rep whose chain of manager_id leads to `manager` (as the reps stand now)."""
        team = set()
        for pk in self.reps:
            seen = {pk}
            boss = self.reps[pk].manager_id
            while boss is not None and boss not in seen:
                if boss == manager:
                    team.add(pk)
                    break
                seen.add(boss)
                boss = self.reps[boss].manager_id
        team.discard(manager)
        return team


def measure(line: OLine, base: str) -> Fraction | None:
    """The line's base measure; None when the gross profit is unknown under a GP plan."""
    return line.gross_profit if base == "gross_profit" else line.amount


# ---------------------------------------------------------------- the statements


@dataclass
class OLineResult:
    order_id: str
    account_ref: str
    day: date
    credit: Fraction
    factor: Fraction
    commission: Fraction
    transfer: date | None = None  # t, when the line falls under the paying plan's rule
    g: Fraction | None = None  # the threshold share, when computed


@dataclass
class OracleStatement:
    rep_ref: str
    plan: str
    quota: Fraction | None
    credit: Fraction = Fraction(0)
    attainment: Fraction | None = None  # exact credit / quota
    commission: Fraction = Fraction(0)
    override: Fraction = Fraction(0)
    team: tuple[Fraction, Fraction] | None = None
    lines: list[OLineResult] = field(default_factory=list)


class Oracle:
    def __init__(self, label: str, plans: list[dict[str, Any]], quotas: list[dict[str, Any]] = ()) -> None:
        self.span = span_of(label)
        self.book = OBook.read()
        self.plans = [OPlan.from_yaml(p) for p in plans]
        by_role = paying_plans(self.plans, self.span)
        self.plan_of = {pk: by_role[r.role] for pk, r in self.book.reps.items() if r.role in by_role}
        by_ref = {r.external_id: pk for pk, r in self.book.reps.items()}
        self.quota_of = {pk: plan.quota for pk, plan in self.plan_of.items()}
        for q in quotas:  # the exact period label
            if str(q["period"]) == label and by_ref.get(str(q["rep_id"])) in self.quota_of:
                self.quota_of[by_ref[str(q["rep_id"])]] = frac(q["quota"])

    # -- credit
    def shares(self, line: OLine) -> list[tuple[int, Fraction, bool]]:
        """(rep, fraction of the line's credit, is the co-coverage share) for every rep
        the line credits: rep_id, else the primary owner on d, else the secondary owner
        (the whole line); the secondary owner on d who is not the credited rep gets the
        credited rep's plan's co_coverage_split."""
        credited = line.rep
        if credited is None:
            credited = self.book.holder(line.account, "primary", line.day)
        if credited is None:
            credited = self.book.holder(line.account, "secondary", line.day)
        if credited is None:
            return []
        second = self.book.holder(line.account, "secondary", line.day)
        split = self.plan_of[credited].split if credited in self.plan_of else Fraction(0)
        if second is not None and second != credited and split > 0:
            return [(credited, 1 - split, False), (second, split, True)]
        return [(credited, Fraction(1), False)]

    def credit_of(self, rep: int, line: OLine, base: str) -> Fraction | None:
        """The rep's credit for the line in `base` (None: not credited; 0 for unknown GP)."""
        for who, share, _ in self.shares(line):
            if who == rep:
                m = measure(line, base)
                return Fraction(0) if m is None else share * m
        return None

    # -- the transfer factor
    def factor(
        self, rep: int, plan: OPlan, line: OLine, credit: Fraction
    ) -> tuple[Fraction, date | None, Any]:
        """(f_i, t when the rule applies to the line, g_i when computed)."""
        rule = plan.rule
        if rule is None:
            return Fraction(1), None, None
        t = self.book.transfer_date(rep, line.account, line.day)
        if t is None:
            return Fraction(1), None, None
        d = line.day
        horizon = rule.get("horizon_months")
        if horizon is not None and not d < plus_months(t, int(horizon)):
            return Fraction(1), None, None
        delay = rule.get("delay_months")
        if delay is not None and d < plus_months(t, int(delay)):
            return Fraction(0), t, None
        if rule.get("new_orders_only") and line.kind != "new":
            return Fraction(0), t, None
        g = None
        if rule.get("threshold") == "prior_12_months" and credit != 0:
            g = self.threshold_share(rep, plan, line, credit, t)
        return (1 if g is None else g) * plan.ramp(completed_months(t, d)), t, g

    def threshold_share(self, rep: int, plan: OPlan, line: OLine, credit: Fraction, t: date) -> Fraction:
        """g_i: the share of the credit above the baseline B, after the rep's credit s_i."""
        window_start, window_end = plus_months(t, -12), t - timedelta(days=1)
        baseline = Fraction(0)
        for other in self.book.lines:  # the account's credit to anyone, in this plan's base
            if other.account == line.account and window_start <= other.day <= window_end:
                m = measure(other, plan.base) or Fraction(0)
                baseline += sum((share * m for _, share, _ in self.shares(other)), Fraction(0))
        s = Fraction(0)  # the rep's own credit on the account from t before this line
        for other in self.book.lines:
            if (
                other.account == line.account
                and other.day >= t
                and (other.day, other.order_id) < (line.day, line.order_id)
            ):
                s += self.credit_of(rep, other, plan.base) or Fraction(0)
        return (max(Fraction(0), s + credit - baseline) - max(Fraction(0), s - baseline)) / credit

    # -- statements
    def employed(self, rep: Any) -> bool:
        return (rep.hire_date is None or rep.hire_date <= self.span.end) and (
            rep.end_date is None or rep.end_date >= self.span.start
        )

    def team_credit(self, manager: int, base: str, span: Span) -> Fraction:
        team = self.book.team_of(manager)
        total = Fraction(0)
        for line in self.book.lines:
            if span.start <= line.day <= span.end:
                m = measure(line, base) or Fraction(0)
                total += sum((share * m for who, share, _ in self.shares(line) if who in team), Fraction(0))
        return total

    def statement(self, rep: int) -> OracleStatement | None:
        plan, quota = self.plan_of[rep], self.quota_of[rep]
        row = self.book.reps[rep]
        mine = []
        for line in self.book.lines:
            if self.span.start <= line.day <= self.span.end:
                credit = self.credit_of(rep, line, plan.base)
                if credit is not None:
                    mine.append((line, credit))
        if not mine and not self.employed(row):
            return None
        out = OracleStatement(row.external_id, plan.name, quota)
        c = Fraction(0)
        for line, credit in sorted(mine, key=lambda lc: (lc[0].day, lc[0].order_id)):
            delta = plan.big_r(quota, c + credit) - plan.big_r(quota, c)
            f, t, g = self.factor(rep, plan, line, credit)
            paid = round_half_up_cents(f * delta)
            out.lines.append(OLineResult(line.order_id, line.account_ref, line.day, credit, f, paid, t, g))
            out.commission += paid
            c += credit
        out.credit = c
        out.attainment = None if quota is None else c / quota
        if plan.override_rate is not None:
            now = self.team_credit(rep, plan.base, self.span)
            before = self.team_credit(rep, plan.base, year_before(self.span))
            out.team = (now, before)
            out.override = round_half_up_cents(plan.override_rate * max(Fraction(0), now - before))
        return out

    def statements(self) -> dict[str, OracleStatement]:
        out = {}
        for rep in self.plan_of:
            s = self.statement(rep)
            if s is not None:
                out[s.rep_ref] = s
        return out


def statements(label: str, plans: list[dict[str, Any]], quotas: list[dict[str, Any]] = ()) -> dict:
    return Oracle(label, plans, quotas).statements()
