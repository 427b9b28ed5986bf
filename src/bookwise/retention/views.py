"""Retention pages under /retention/: retention by group, the accounts behind a figure,
lost accounts (with the lost-reason form), tiers (with admin pins), gaps and at-risk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import account_get
from bookwise.contacts.selectors import single_threaded
from bookwise.core import charts
from bookwise.core.dates import Period
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.core.period_picker import Picked, query
from bookwise.people.pickers import rep_names

from . import services
from .book import at_risk, gap_rows, gap_totals, tier_mix, tier_rows
from .coverage import period_warnings
from .forms import LostReasonForm, PinForm, day_of, period_and_by
from .metrics import RetentionFigures, combine
from .reports import NULL_GROUP, LostAccount, lost_accounts, lost_totals, retention_accounts, retention_report
from .selectors import account_tiers

PAGE = 50
T = TypeVar("T")


class _Owned(Protocol):
    @property
    def owner_id(self) -> str | None: ...


def _page(request: HttpRequest, rows: list[T]) -> Page[T]:
    return Paginator(rows, PAGE).get_page(request.GET.get("page"))


def _account(request: HttpRequest, account_id: str) -> Account:
    try:
        return account_get(user=request.user, account_id=account_id)
    except NotFound:
        raise Http404("No such account.") from None


def _period_params(period: Period, by: str) -> str:
    return f"{query(period)}&by={by}"


def _period_context(picked: Picked, by: str = "territory") -> dict[str, Any]:
    """What every period page shows around its figures: the picker, P and P', the warnings of
    a comparison over incomplete data, and the query that keeps the period across the tabs."""
    period = picked.period
    return {
        "picked": picked,
        "form": picked.form,
        "period": period,
        "previous": period.previous(),
        "by": by,
        "warnings": period_warnings(period, timezone.localdate()),
        "tab_query": query(period, picked.as_of),
    }


def _owner_names(rows: Iterable[_Owned]) -> dict[str, str]:
    """rep id -> name for the owners of the rows shown."""
    return rep_names(r.owner_id for r in rows)


def distinct_labels(pairs: list[tuple[str, str]]) -> list[str]:
    """Chart labels from (name, id) pairs: the name, with the id only where two share it (a
    category axis would otherwise merge them)."""
    seen: dict[str, int] = {}
    for name, _ in pairs:
        seen[name] = seen.get(name, 0) + 1
    return [name if seen[name] == 1 else f"{name} ({ident})" for name, ident in pairs]


def retention_chart(groups: list[RetentionFigures], names: dict[str, str] | None = None) -> dict[str, Any]:
    names = names or {}
    shown = [names.get(g.group, g.group) if g.group is not None else "(none)" for g in groups]
    labels = distinct_labels([(name, g.group or "") for name, g in zip(shown, groups, strict=True)])
    series = {
        "Logo retention": [g.logo_retention for g in groups],
        "GRR": [g.grr for g in groups],
        "NRR": [g.nrr for g in groups],
    }
    return charts.bar_chart("Retention by group", labels, series, yaxis={"tickformat": ".0%"})


@login_required
def retention_page(request: HttpRequest) -> HttpResponse:
    picked, period, by = period_and_by(request.GET)
    groups = retention_report(period=period, by=by, user=request.user)
    names = rep_names(g.group for g in groups) if by == "rep" else {}
    context = _period_context(picked, by) | {
        "groups": groups,
        "overall": combine(groups) if groups else None,
        "chart": retention_chart(groups, names) if groups else None,
        "group_names": names,
        "params": _period_params(period, by),
        "null_group": NULL_GROUP,
    }
    return render(request, "retention/retention.html", context)


@login_required
def accounts_page(request: HttpRequest) -> HttpResponse:
    picked, period, by = period_and_by(request.GET)
    group = request.GET.get("group")
    rows = retention_accounts(period=period, by=by, group=group, user=request.user)
    status = request.GET.get("status", "")
    if status:
        rows = [r for r in rows if r.status == status]
    tiers = account_tiers(day=period.end, account_ids=[r.account.pk for r in rows])
    context = _period_context(picked, by) | {"group": group}
    context |= {"page_obj": _page(request, rows), "status": status, "tiers": tiers, "count": len(rows)}
    context["group_name"] = rep_names([group]).get(group or "") if by == "rep" else None
    return render(request, "retention/accounts.html", context)


def _lost_filter(rows: list[LostAccount], by: str, group: str | None, cause: str) -> list[LostAccount]:
    def key(r: LostAccount) -> str | None:
        if by == "rep":
            return r.owner_id
        if by == "region":
            region = r.account.territory.region if r.account.territory else None
            return region.name if region else None
        return None if by == "overall" else r.territory

    if group is not None and by != "overall":
        wanted = None if group == NULL_GROUP else group
        rows = [r for r in rows if key(r) == wanted]
    return [r for r in rows if r.cause == cause] if cause else rows


@login_required
def lost_page(request: HttpRequest) -> HttpResponse:
    picked, period, by = period_and_by(request.GET)
    cause = request.GET.get("cause", "")
    rows = _lost_filter(lost_accounts(period=period, user=request.user), by, request.GET.get("group"), cause)
    totals = lost_totals(rows)
    chart = charts.pie_chart(
        "Lost revenue by cause", list(totals.by_cause), [v for _, v in totals.by_cause.values()]
    )
    allowed = services.recordable_account_ids(request.user, [r.account.pk for r in rows])
    tiers = account_tiers(day=period.end, account_ids=[r.account.pk for r in rows])
    context = _period_context(picked, by) | {"cause": cause}
    context |= {"page_obj": _page(request, rows), "totals": totals, "chart": chart if rows else None}
    context |= {"allowed": allowed, "reason_form": LostReasonForm(), "tiers": tiers, "count": len(rows)}
    return render(request, "retention/lost.html", context)


@login_required
@require_POST
def lost_reason(request: HttpRequest, account_id: str) -> HttpResponse:
    account = _account(request, account_id)
    if not services.can_record_lost(request.user, account):
        message = "Only the account's managers or an administrator may record a lost reason."
        return render(request, "retention/forbidden.html", {"message": message}, status=403)
    form = LostReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
    else:
        try:
            services.lost_reason_record(
                account=account,
                reason=form.cleaned_data["reason"],
                lost_date=form.cleaned_data["lost_date"] or account.lost_date or _today(),
                actor=request.user,
            )
            messages.success(request, f"Lost reason recorded for {account.external_id}.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            if exc.status_code == 403:
                return render(request, "retention/forbidden.html", {"message": exc.message}, status=403)
    return redirect(_back(request, "retention:lost"))


def _today() -> date:
    return timezone.localdate()


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


def _date_context(picked: Picked) -> dict[str, Any]:
    """The as-of pages (tiers, gaps, at risk): the date, its form, the tabs' query."""
    return {"picked": picked, "form": picked.form, "day": picked.as_of,
            "tab_query": query(picked.period, picked.as_of)}  # fmt: skip


@login_required
def tiers_page(request: HttpRequest) -> HttpResponse:
    picked, day, tier = day_of(request.GET)
    rows = tier_rows(day=day, user=request.user)
    mix = tier_mix(rows)
    shown = [r for r in rows if r.info.tier == tier] if tier else rows
    chart = charts.pie_chart("Accounts by tier", list(mix), [n for n, _ in mix.values()])
    context = _date_context(picked) | {"tier": tier, "mix": mix, "chart": chart if rows else None}
    page = _page(request, shown)
    context |= {"page_obj": page, "can_pin": services.can_pin_tier(request.user)}
    context |= {"pin_form": PinForm(), "count": len(shown), "rep_names": _owner_names(page.object_list)}
    return render(request, "retention/tiers.html", context)


@login_required
@require_POST
def pin(request: HttpRequest, account_id: str) -> HttpResponse:
    account = _account(request, account_id)
    form = PinForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Choose A, B, C or unpin.")
        tier = form.cleaned_data["tier"]
        if tier:
            services.tier_pin(account=account, tier=tier, actor=request.user, note=form.cleaned_data["note"])
        else:
            services.tier_unpin(account=account, actor=request.user)
        messages.success(request, f"Tier of {account.external_id}: {tier or 'computed'}.")
    except ApplicationError as exc:
        if exc.status_code == 403:
            return render(request, "retention/forbidden.html", {"message": exc.message}, status=403)
        messages.error(request, exc.message)
    return redirect(_back(request, "retention:tiers"))


@login_required
def gaps_page(request: HttpRequest) -> HttpResponse:
    picked, day, _ = day_of(request.GET)
    rows = gap_rows(day=day, user=request.user)
    by_territory, by_rep = gap_totals(rows, "territory"), gap_totals(rows, "rep")
    top = [r for r in rows if r.info.gap][:15]
    labels = distinct_labels([(r.account.name, r.account.external_id) for r in top])
    chart = charts.bar_chart("Biggest gaps", labels, {"Gap": [r.info.gap for r in top]})
    page = _page(request, rows)
    context = _date_context(picked) | {"page_obj": page, "count": len(rows)}
    context |= {"by_territory": by_territory, "by_rep": by_rep, "chart": chart if top else None}
    context["rep_names"] = rep_names([t.group for t in by_rep] + [r.owner_id for r in page.object_list])
    return render(request, "retention/gaps.html", context)


@login_required
def at_risk_page(request: HttpRequest) -> HttpResponse:
    picked, day, _ = day_of(request.GET)
    rows = at_risk(day=day, user=request.user)
    tiers = account_tiers(day=day, account_ids=[r.account.pk for r in rows])
    page = _page(request, rows)
    context = _date_context(picked) | {"page_obj": page, "tiers": tiers, "count": len(rows)}
    context["rep_names"] = _owner_names(page.object_list)
    context["single_threaded"] = single_threaded(user=request.user, day=day)
    return render(request, "retention/at_risk.html", context)
