"""Retention reports as JSON (same rows as `bookwise report`), scoped to the caller, plus
tier pins (admins) and lost reasons (the account's managers or an admin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from bookwise.accounts.selectors import account_get
from bookwise.core.paging import ApiDate
from bookwise.core.periods import PERIOD_FORMS

from . import services
from .models import TierPin
from .rows import report_rows, resolve_day, resolve_period

router = Router(tags=["retention"])
By = Literal["territory", "region", "rep", "overall"]


def _rows(request: HttpRequest, kind: str, **kw: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    period = resolve_period(kw.get("start"), kw.get("end"), today, kw.get("period"))
    day = resolve_day(kw.get("day"), today)
    by = kw.get("by") or "territory"
    return report_rows(kind, user=request.user, period=period, by=by, day=day, today=today)


PERIOD_HELP = f"{PERIOD_FORMS}; or start and end; default the last complete quarter of the data"
PeriodText = Annotated[str | None, Query(None, max_length=30, description=PERIOD_HELP)]


@router.get("/reports/retention")
def retention(
    request: HttpRequest,
    period: PeriodText = None,
    start: ApiDate | None = None,
    end: ApiDate | None = None,
    by: By = "territory",
) -> list[dict[str, Any]]:
    """Logo retention, GRR and NRR of the period against the period before, per group; each
    row's `warnings` say when the comparison is over incomplete data."""
    return _rows(request, "retention", period=period, start=start, end=end, by=by)


@router.get("/reports/lost-accounts")
def lost(
    request: HttpRequest, period: PeriodText = None, start: ApiDate | None = None, end: ApiDate | None = None
) -> list[dict[str, Any]]:
    """Accounts in the base of the period before that bought nothing in the period."""
    return _rows(request, "lost", period=period, start=start, end=end)


@router.get("/reports/tiers")
def tiers(
    request: HttpRequest, date: ApiDate | None = None, tier: Literal["A", "B", "C"] | None = None
) -> list[dict[str, Any]]:
    """Tiers at `date` (default: today, or the end of the data's last complete quarter)."""
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
