"""One row shape per report, shared by the API, the CLI and the pages' downloads so the
three always agree: METRICS.md names in snake_case, money as strings, ratios as numbers
(rounded to 10 decimal places), null where undefined."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.core import periods
from bookwise.core.dates import Period
from bookwise.core.money import format_money
from bookwise.core.periods import last_complete_quarter  # noqa: F401 - where callers found it
from bookwise.core.users import Viewer

from .book import GapRow, TierRow, at_risk, gap_rows, tier_rows
from .coverage import data_defaults, period_warnings
from .metrics import RetentionFigures
from .reports import LostAccount, lost_accounts, retention_report

RATIO_PLACES = Decimal("1e-10")

RETENTION_FIELDS = [
    "group",
    "base_accounts",
    "retained_accounts",
    "lost_accounts",
    "new_accounts",
    "logo_retention",
    "grr",
    "nrr",
    "base_revenue",
    "retained_revenue",
    "lost_revenue",
    "period_revenue",
    "warnings",
]
LOST_FIELDS = ["account_id", "name", "owner_id", "territory", "prior_revenue", "cause", "reason"]
TIER_FIELDS = ["account_id", "name", "tier", "t12m_revenue", "pinned", "computed_tier", "owner_id"]
GAP_FIELDS = ["account_id", "name", "potential_revenue", "t12m_revenue", "gap", "wallet_share", "whitespace"]
AT_RISK_FIELDS = [
    "account_id",
    "name",
    "owner_id",
    "t12m_revenue",
    "prev12m_revenue",
    "last_order",
    "reasons",
]


def ratio_json(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(RATIO_PLACES))


def money_json(value: Decimal | None) -> str | None:
    return None if value is None else format_money(value)


# --- Periods ---------------------------------------------------------------------------


def resolve_period(start: date | None, end: date | None, today: date, text: str | None = None) -> Period:
    """The period a report asks for (`text` in any core.periods.PERIOD_FORMS, or start and
    end), default the last complete quarter of the data. InvalidValue names the field."""
    default, _ = data_defaults(today)
    return periods.resolve_period(text, start, end, today=today, default=default)


def resolve_day(day: date | None, today: date, *, label: str = "Date", field: str = "date") -> date:
    """The as-of date asked for (not after today), default the data's (core.periods.default_as_of)."""
    if day is None:
        return data_defaults(today)[1]
    return periods.check_as_of(day, today, label=label, field=field)


# --- Rows ------------------------------------------------------------------------------


def retention_row(g: RetentionFigures, warnings: list[str] | None = None) -> dict[str, Any]:
    return {
        "group": g.group,
        "base_accounts": g.base_accounts,
        "retained_accounts": g.retained_accounts,
        "lost_accounts": g.lost_accounts,
        "new_accounts": g.new_accounts,
        "logo_retention": ratio_json(g.logo_retention),
        "grr": ratio_json(g.grr),
        "nrr": ratio_json(g.nrr),
        "base_revenue": money_json(g.base_revenue),
        "retained_revenue": money_json(g.retained_revenue),
        "lost_revenue": money_json(g.lost_revenue),
        "period_revenue": money_json(g.period_revenue),
        "warnings": list(warnings or []),
    }


def lost_row(r: LostAccount) -> dict[str, Any]:
    return {
        "account_id": r.account.external_id,
        "name": r.account.name,
        "owner_id": r.owner_id,
        "territory": r.territory,
        "prior_revenue": money_json(r.prior_revenue),
        "cause": r.cause,
        "reason": r.reason or None,
    }


def tier_row(r: TierRow) -> dict[str, Any]:
    return {
        "account_id": r.account.external_id,
        "name": r.account.name,
        "tier": r.info.tier,
        "t12m_revenue": money_json(r.info.t12m_revenue),
        "pinned": r.info.pinned,
        "computed_tier": r.info.computed_tier,
        "owner_id": r.owner_id,
    }


def gap_row(r: GapRow) -> dict[str, Any]:
    return {
        "account_id": r.account.external_id,
        "name": r.account.name,
        "potential_revenue": money_json(r.info.potential_revenue),
        "t12m_revenue": money_json(r.info.t12m_revenue),
        "gap": money_json(r.info.gap),
        "wallet_share": ratio_json(r.info.wallet_share),
        "whitespace": list(r.info.whitespace),
    }


def report_rows(
    kind: str, *, user: Viewer | None, period: Period, by: str, day: date, today: date
) -> list[dict[str, Any]]:
    """The rows of one report (`retention`, `lost`, `tiers`, `gaps`, `at_risk`). Each
    retention row carries the period's `warnings` (a comparison over incomplete data)."""
    if kind == "retention":
        warnings = period_warnings(period, today)
        return [retention_row(g, warnings) for g in retention_report(period=period, by=by, user=user)]
    if kind == "lost":
        return [lost_row(r) for r in lost_accounts(period=period, user=user)]
    if kind == "tiers":
        return [tier_row(r) for r in tier_rows(day=day, user=user)]
    if kind == "gaps":
        return [gap_row(r) for r in gap_rows(day=day, user=user)]
    if kind == "at_risk":
        return [
            {
                "account_id": r.account.external_id,
                "name": r.account.name,
                "owner_id": r.owner_id,
                "t12m_revenue": money_json(r.t12m_revenue),
                "prev12m_revenue": money_json(r.prev12m_revenue),
                "last_order": r.last_order.isoformat() if r.last_order else None,
                "reasons": list(r.flag.reasons),
            }
            for r in at_risk(day=day, user=user)
        ]
    raise ValueError(f"unknown report {kind!r}")


FIELDS = {
    "retention": RETENTION_FIELDS,
    "lost": LOST_FIELDS,
    "tiers": TIER_FIELDS,
    "gaps": GAP_FIELDS,
    "at_risk": AT_RISK_FIELDS,
}


def cell(value: object) -> str:
    """A value as text for CSV and table output."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)
