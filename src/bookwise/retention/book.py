"""Per-account reports of the book at a date: tiers, gaps (with totals per territory and
rep) and at-risk accounts, scoped to a user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any, NamedTuple

from django.db.models import Max, QuerySet

from bookwise.accounts.models import Account, AccountStatus, OrderLine, Ownership, OwnershipRole
from bookwise.accounts.selectors import owners_on
from bookwise.core.dates import add_months, trailing_12_months
from bookwise.core.users import Viewer
from bookwise.people.models import Rep

from . import metrics, rollup
from .reports import scoped_accounts
from .risk_reasons import extra_reasons
from .selectors import GapInfo, TierInfo, account_gaps, account_tiers, revenue_between, setting

ZERO = Decimal("0.00")


class AccountRow(NamedTuple):
    """The account fields the tier and gap lists show (plain values: 50,000 model instances
    with their territory and region cost seconds)."""

    pk: int
    external_id: str
    name: str
    territory: str | None  # its name


def _accounts(user: Viewer | None) -> list[AccountRow]:
    scope = scoped_accounts(user)
    qs = Account.objects.all() if scope is None else scope
    rows = qs.order_by("external_id").values_list("id", "external_id", "name", "territory__name")
    return [AccountRow(*row) for row in rows]


@dataclass(frozen=True)
class TierRow:
    account: AccountRow
    info: TierInfo
    owner_id: str | None


def tier_rows(*, day: date, user: Viewer | None = None, tier: str = "") -> list[TierRow]:
    """Every account in scope with its tier at `day` (optionally one tier), by T12M revenue."""
    accounts = _accounts(user)
    tiers = account_tiers(day=day, account_ids=[a.pk for a in accounts] if user is not None else None)
    owners = owners_on(day, value="rep__external_id")
    rows = [
        TierRow(a, tiers[a.pk], owners.get(a.pk)) for a in accounts if not tier or tiers[a.pk].tier == tier
    ]
    return sorted(rows, key=lambda r: (-r.info.t12m_revenue, r.account.external_id))


def tier_mix(rows: Iterable[TierRow]) -> dict[str, tuple[int, Decimal]]:
    mix = {t: (0, ZERO) for t in metrics.TIERS}
    for row in rows:
        n, total = mix[row.info.tier]
        mix[row.info.tier] = (n + 1, total + row.info.t12m_revenue)
    return mix


@dataclass(frozen=True)
class GapRow:
    account: AccountRow
    info: GapInfo
    owner_id: str | None
    tier: str


def gap_rows(*, day: date, user: Viewer | None = None) -> list[GapRow]:
    """Accounts in scope with gap figures, biggest gap first (unknown gaps last)."""
    accounts = _accounts(user)
    ids = None if user is None else [a.pk for a in accounts]
    gaps = account_gaps(day=day, account_ids=ids)
    tiers = account_tiers(day=day, account_ids=ids)
    owners = owners_on(day, value="rep__external_id")
    rows = [GapRow(a, gaps[a.pk], owners.get(a.pk), tiers[a.pk].tier) for a in accounts]
    return sorted(rows, key=lambda r: (r.info.gap is None, -(r.info.gap or ZERO), r.account.external_id))


@dataclass
class GapTotal:
    group: str | None
    accounts: int = 0
    potential_revenue: Decimal = ZERO
    t12m_revenue: Decimal = ZERO
    gap: Decimal = ZERO

    @property
    def wallet_share(self) -> Decimal | None:
        return metrics.wallet_share(self.potential_revenue, self.t12m_revenue)


def gap_totals(rows: Iterable[GapRow], by: str) -> list[GapTotal]:
    """Sums per territory or per rep (owner at the date) over the accounts with a known potential."""
    totals: dict[str | None, GapTotal] = {}
    for row in rows:
        if row.info.potential_revenue is None:
            continue
        key = row.owner_id if by == "rep" else row.account.territory
        total = totals.setdefault(key, GapTotal(key))
        total.accounts += 1
        total.potential_revenue += row.info.potential_revenue
        total.t12m_revenue += row.info.t12m_revenue
        total.gap += row.info.gap or ZERO
    return sorted(totals.values(), key=lambda t: -t.gap)


class AccountRef(NamedTuple):
    """The few account fields a long list shows (cheaper than model instances)."""

    pk: int
    external_id: str
    name: str


@dataclass(frozen=True)
class AtRiskRow:
    account: AccountRef
    flag: metrics.RiskFlag
    t12m_revenue: Decimal
    prev12m_revenue: Decimal
    last_order: date | None
    owner_id: str | None


def _risk_sql(
    day: date, scope: QuerySet[Account] | None, limit: Decimal
) -> tuple[rollup.PerAccount, str, list[Any]]:
    """The per-account facts of the at-risk rules over the 24 months to `day` (whole months from
    the rollup, the partial months at the edges from the order lines) and the condition that
    keeps the active accounts a rule flags (on `f`, the facts, and `a`, the account): the decline
    rule in integer arithmetic on the cents, the silence rule on day numbers, as
    `metrics.risk_flag` says them."""
    t12m = trailing_12_months(day)
    prev_start = add_months(day, -24) + timedelta(days=1)
    ranges = {"t12m": (t12m.start, t12m.end), "prev": (prev_start, t12m.start - timedelta(days=1))}
    facts = rollup.per_account(ranges, days=(prev_start, day), scope=scope, figures_only=True)
    num, den = _ratio(limit)
    day_of = rollup.day_number
    condition = f"""a.status = %s AND (
        (f.c1 > 0 AND (f.c1 - f.c0) * {den} > {num} * f.c1)
        OR (f.days >= 2 AND ({day_of("%s")} - {day_of("f.last")}) * (f.days - 1)
            > 2 * ({day_of("f.last")} - {day_of("f.first")}))
    )"""
    return facts, condition, [AccountStatus.ACTIVE.value, day]


FACTS = f"({{facts}}) f JOIN {Account._meta.db_table} a ON a.id = f.acc"


# The decline limit as a fraction num/den of integers; with a longer decimal than this the
# database keeps a superset (the limit rounded down) and `metrics.risk_flag` decides.
EXACT_DENOMINATOR = 10**6


def _ratio(limit: Decimal) -> tuple[int, int]:
    num, den = limit.as_integer_ratio()
    if den > EXACT_DENOMINATOR:
        num, den = int((limit * EXACT_DENOMINATOR).to_integral_value(rounding=ROUND_FLOOR)), EXACT_DENOMINATOR
    return num, den


OWNER_SQL = f"""
    LEFT JOIN {Ownership._meta.db_table} o ON o.account_id = a.id AND o.role = %s
        AND o.start_date <= %s AND (o.end_date IS NULL OR o.end_date >= %s)
    LEFT JOIN {Rep._meta.db_table} r ON r.id = o.rep_id"""


def _risk_rows(rows: Iterable[rollup.Row], day: date, limit: Decimal) -> list[AtRiskRow]:
    """AtRiskRows (biggest revenue drop first) from (pk, external id, name, T12M and previous
    12 months in cents, first, last, days, owner id); `metrics.risk_flag` has the last word."""
    found: dict[int, AtRiskRow] = {}
    for pk, ext, name, t12m, prev, first, last, days, owner in rows:
        risk = metrics.RiskInput(
            pk,
            rollup.money(t12m),
            rollup.money(prev),
            rollup.as_date(first),
            rollup.as_date(last),
            int(days or 0),
        )
        flag = metrics.risk_flag(risk, day, limit)
        if flag and pk not in found:
            found[pk] = AtRiskRow(
                AccountRef(pk, ext, name), flag, risk.t12m, risk.prev12m, risk.last_order, owner
            )
    return _by_drop(found.values())


COLUMNS = "a.id, a.external_id, a.name, f.c0, f.c1, f.first, f.last, f.days"


def at_risk(*, day: date, user: Viewer | None = None) -> list[AtRiskRow]:
    """Active accounts whose T12M revenue fell by more than `at_risk_decline` on the 12 months
    before, or silent for more than twice their usual interval between orders (both measured
    over the 24 months to `day`), each with why; biggest revenue drop first.

    Set-based: one statement sums each account's two windows and order days and keeps only
    the accounts a rule flags, with their owner on `day`."""
    limit = setting("at_risk_decline", "0.30")
    facts, condition, params = _risk_sql(day, scoped_accounts(user), limit)
    statement = f"SELECT {COLUMNS}, r.external_id FROM {FACTS} {OWNER_SQL} WHERE {condition}"  # noqa: S608
    owner = [OwnershipRole.PRIMARY.value, day, day]
    rows = _risk_rows(rollup.fetch(*facts.compose(statement, owner + params)), day, limit)
    merged, _ = _with_extra_reasons(rows, set(), day, scoped_accounts(user))
    return merged


def _by_drop(rows: Iterable[AtRiskRow]) -> list[AtRiskRow]:
    return sorted(rows, key=lambda r: (-(r.prev12m_revenue - r.t12m_revenue), r.account.external_id))


def _with_extra_reasons(
    rows: list[AtRiskRow], flagged: set[int], day: date, scope: QuerySet[Account] | None
) -> tuple[list[AtRiskRow], int]:
    """The rows with the reasons other apps give (`risk_reasons`) added, and the accounts only
    they flag appended (active ones); with how many accounts were added. `flagged`: accounts
    already flagged but not among `rows` (the summary's tail)."""
    extra = extra_reasons(day, scope)
    if not extra:
        return rows, 0
    merged = [
        replace(r, flag=replace(r.flag, reasons=r.flag.reasons + tuple(extra[r.account.pk])))
        if r.account.pk in extra else r
        for r in rows
    ]  # fmt: skip
    shown = {r.account.pk for r in rows} | flagged
    added = _extra_rows({pk: why for pk, why in extra.items() if pk not in shown}, day)
    return _by_drop([*merged, *added]), len(added)


def _extra_rows(reasons: dict[int, list[str]], day: date) -> list[AtRiskRow]:
    """AtRiskRows of active accounts flagged by other apps' reasons alone."""
    if not reasons:
        return []
    ids = list(reasons)
    t12m = trailing_12_months(day)
    prev_start = add_months(day, -24) + timedelta(days=1)
    now = revenue_between(t12m.start, day, ids)
    before = revenue_between(prev_start, t12m.start - timedelta(days=1), ids)
    positive = OrderLine.objects.filter(account_id__in=ids, order_date__lte=day, amount__gt=0)
    last = dict(positive.values("account_id").annotate(m=Max("order_date")).values_list("account_id", "m"))
    owners = owners_on(day, ids, value="rep__external_id")
    rows = []
    active = Account.objects.filter(pk__in=ids, status=AccountStatus.ACTIVE)
    for pk, ext, name in active.values_list("id", "external_id", "name"):
        t, p = now.get(pk, ZERO), before.get(pk, ZERO)
        silent = (day - last[pk]).days if pk in last else None
        flag = metrics.RiskFlag(pk, tuple(reasons[pk]), metrics.decline(t, p), silent, None)
        rows.append(AtRiskRow(AccountRef(pk, ext, name), flag, t, p, last.get(pk), owners.get(pk)))
    return rows


@dataclass
class RiskSummary:
    """What the dashboard shows of at_risk(): the `top` first, how many there are, and (when
    the whole book was read) every account's T12M revenue in cents, which the tiers need."""

    top: list[AtRiskRow]
    count: int
    t12m_cents: dict[int, int] | None = None


def at_risk_summary(*, day: date, user: Viewer | None = None, top: int = 10) -> RiskSummary:
    """at_risk()[:top] and len(at_risk()) without building the whole list: the database flags
    the accounts, this counts them and keeps the `top` biggest revenue drops (with every tie at
    the cut, then ordered by account id as at_risk() does). For a user who sees the whole book
    the same statement hands back every account's T12M revenue too (one pass over the rollup
    serves the at-risk list and the tiers)."""
    limit = setting("at_risk_decline", "0.30")
    if limit.as_integer_ratio()[1] > EXACT_DENOMINATOR:  # the database's count would be a superset
        every = at_risk(day=day, user=user)
        return RiskSummary(every[:top], len(every))
    scope = scoped_accounts(user)
    facts, condition, params = _risk_sql(day, scope, limit)
    flagged = (
        "SELECT a.id, f.c0, f.c1, f.first, f.last, f.days, "
        f"CASE WHEN {condition} THEN 1 ELSE 0 END AS flagged FROM {FACTS}"
    )
    details = ", ".join(f"CASE WHEN k.flagged = 1 THEN k.{c} END" for c in ("first", "last", "days"))
    statement = (
        f"SELECT k.id, k.c0, k.c1, k.flagged, {details} FROM ({flagged}) k "
        f"WHERE k.flagged = 1{' OR k.c0 <> 0' if scope is None else ''}"
    )  # noqa: S608 - our own SQL
    # the flag condition's parameters come before the facts in the text
    found = rollup.fetch(*facts.compose(statement, before=params))
    risky = [row for row in found if row[3] == 1]
    drops = sorted((int(row[2]) - int(row[1]) for row in risky), reverse=True)
    cut = drops[top - 1] if len(drops) >= top else None
    heads = {row[0]: row for row in risky if cut is None or int(row[2]) - int(row[1]) >= cut}
    names = Account.objects.filter(id__in=list(heads)).values_list("id", "external_id", "name")
    owners = owners_on(day, heads, value="rep__external_id")
    rows = _risk_rows(
        ((pk, ext, name, *heads[pk][1:3], *heads[pk][4:], owners.get(pk)) for pk, ext, name in names),
        day,
        limit,
    )
    cents = None if scope is not None else {row[0]: int(row[1]) for row in found if row[1]}
    rows, added = _with_extra_reasons(rows, {row[0] for row in risky}, day, scope)
    return RiskSummary(rows[:top], len(risky) + added, cents)
