"""Retention reports as JSON (same rows as `bookwise report`), scoped to the caller, plus
tier pins (admins) and lost reasons (the account's managers or an admin)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from bookwise.accounts.selectors import account_get
from bookwise.core.errors import RuleViolation
from bookwise.core.paging import ApiDate

from . import services
from .models import TierPin
from .rows import report_rows, resolve_period

router = Router(tags=["retention"])
By = Literal["territory", "region", "rep", "overall"]


def _rows(request: HttpRequest, kind: str, **kw: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    try:
        period = resolve_period(kw.get("start"), kw.get("end"), today)
    except ValueError as exc:
        raise RuleViolation(str(exc), {"field": "start"}) from None
    day = kw.get("day") or today
    return report_rows(kind, user=request.user, period=period, by=kw.get("by") or "territory", day=day)


@router.get("/reports/retention")
def retention(
    request: HttpRequest, start: ApiDate | None = None, end: ApiDate | None = None, by: By = "territory"
) -> list[dict[str, Any]]:
    """Logo retention, GRR and NRR of [start, end] against the period before, per group.
    Default period: the last complete calendar quarter."""
    return _rows(request, "retention", start=start, end=end, by=by)


@router.get("/reports/lost-accounts")
def lost(
    request: HttpRequest, start: ApiDate | None = None, end: ApiDate | None = None
) -> list[dict[str, Any]]:
    """Accounts in the base of the period before that bought nothing in [start, end]."""
    return _rows(request, "lost", start=start, end=end)


@router.get("/reports/tiers")
def tiers(request: HttpRequest, date: ApiDate | None = None, tier: Literal["A", "B", "C"] | None = None):
    rows = _rows(request, "tiers", day=date)
    return [r for r in rows if tier is None or r["tier"] == tier]


@router.get("/reports/gaps")
def gaps(request: HttpRequest, date: ApiDate | None = None) -> list[dict[str, Any]]:
    return _rows(request, "gaps", day=date)


@router.get("/reports/at-risk")
def at_risk(request: HttpRequest, date: ApiDate | None = None) -> list[dict[str, Any]]:
    return _rows(request, "at_risk", day=date)


class PinIn(Schema):
    tier: Literal["A", "B", "C"]
    note: str = Field("", max_length=TierPin._meta.get_field("note").max_length)


@router.put("/retention/tier-pins/{account_id}")
def pin(request: HttpRequest, account_id: str, data: PinIn) -> dict[str, Any]:
    account = account_get(user=request.user, account_id=account_id)
    services.tier_pin(account=account, tier=data.tier, actor=request.user, note=data.note)
    return {"account_id": account.external_id, "tier": data.tier, "pinned": True}


@router.delete("/retention/tier-pins/{account_id}")
def unpin(request: HttpRequest, account_id: str) -> dict[str, Any]:
    account = account_get(user=request.user, account_id=account_id)
    services.tier_unpin(account=account, actor=request.user)
    return {"account_id": account.external_id, "pinned": False}


class LostIn(Schema):
    reason: str
    lost_date: ApiDate | None = None


@router.post("/retention/lost-reasons/{account_id}")
def record_lost(request: HttpRequest, account_id: str, data: LostIn) -> dict[str, Any]:
    account = account_get(user=request.user, account_id=account_id)
    account = services.lost_reason_record(
        account=account, reason=data.reason, lost_date=data.lost_date, actor=request.user
    )
    return {
        "account_id": account.external_id,
        "status": account.status,
        "reason": account.lost_reason,
        "lost_date": account.lost_date.isoformat() if account.lost_date else None,
    }
