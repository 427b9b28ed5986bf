"""Account pages: the list (search, filters, sort, tiers) and the detail page.

Everything is read through the permission-scoped selectors; an account the user may not
see is a 404, exactly like one that does not exist. What higher apps know about an account
reaches these pages without an import of them: tiers through `accounts.tiers` (retention
provides them), the account page's panels through `core.panels` (slot "account"). The CSV
export is the imports app's (`imports.views_export.account_export_csv`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bookwise.core import charts
from bookwise.core.dates import add_months
from bookwise.core.errors import NotFound
from bookwise.core.money import MoneyField
from bookwise.core.panels import ACCOUNT, panels_for
from bookwise.people.pickers import rep_options

from .forms import AccountFilterForm
from .models import Account
from .selectors import (
    account_get,
    account_list,
    account_order_lines,
    open_opportunities,
    order_accounts,
    ownership_history,
    revenue_by_month,
    today,
    visible_accounts,
)
from .tiers import tiers_for, tiers_matching

PAGE = 50
LINES_PAGE = 25
CHART_MONTHS = 36
COLUMNS = [
    ("id", "Id"),
    ("name", "Name"),
    ("territory", "Territory"),
    ("potential", "Potential"),
    ("status", "Status"),
]


def _sort_headers(current: str) -> list[dict[str, Any]]:
    headers = []
    for key, label in COLUMNS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        headers.append(
            {
                "label": label,
                "sort": f"-{key}" if active and not descending else key,
                "arrow": ("▼" if descending else "▲") if active else "",
            }
        )
    return headers


def _page_by_tier(request: HttpRequest, qs: QuerySet[Account], tier: str, day: date) -> Page:
    """Filtering by tier: the sorted visible ids are filtered in Python (tiers are computed
    over the whole book), then only the page's accounts are loaded."""
    ids = list(qs.prefetch_related(None).values_list("id", flat=True))
    wanted = tiers_matching(day=day, tier=tier)
    page = Paginator([pk for pk in ids if pk in wanted], PAGE).get_page(request.GET.get("page"))
    found = {a.pk: a for a in qs.filter(id__in=list(page.object_list))}
    return Page([found[pk] for pk in page.object_list if pk in found], page.number, page.paginator)


def _potential_total(qs: QuerySet[Account]) -> Decimal:
    """The potential (annual) of every account of the filtered list, not only the page's."""
    total = qs.order_by().aggregate(total=Sum("potential_revenue", output_field=MoneyField()))["total"]
    return total if total is not None else Decimal("0.00")


def _owners(account: Account) -> dict[str, Any]:
    owners: dict[str, Any] = {"primary": None, "secondary": None}
    for ownership in getattr(account, "current_owners", []):
        owners[ownership.role] = ownership.rep
    return owners


@login_required
def account_list_page(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None, user=request.user)
    day = today()
    qs = order_accounts(account_list(user=request.user, filters=form.filters()), form.chosen_sort)
    if form.chosen_tier:
        page = _page_by_tier(request, qs, form.chosen_tier, day)
        ids = set(page.paginator.object_list)
        values = qs.prefetch_related(None).order_by().values_list("id", "potential_revenue")
        potential = sum((p for pk, p in values if pk in ids and p is not None), Decimal("0.00"))
    else:
        page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
        potential = _potential_total(qs)
    accounts = list(page.object_list)
    tiers = tiers_for(day=day, account_ids=[a.pk for a in accounts])
    rows = [{"account": a, "owners": _owners(a), "tier": tiers.get(a.pk)} for a in accounts]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "headers": _sort_headers(form.chosen_sort),
        "filtered": any(request.GET.get(k) for k in ("q", "territory", "owner", "status", "tier")),
        "owner_options": rep_options(user=request.user),
        "potential_total": potential,
    }
    return render(request, "accounts/list.html", context)


def revenue_months(account: Account, day: date) -> tuple[list[str], list[Decimal]]:
    """The last CHART_MONTHS calendar months up to `day`'s month, zero months included."""
    this_month = day.replace(day=1)
    months = [add_months(this_month, i - CHART_MONTHS + 1) for i in range(CHART_MONTHS)]
    revenue = revenue_by_month(account=account, start=months[0], end=day)
    zero = Decimal("0.00")
    return [m.strftime("%Y-%m") for m in months], [revenue.get(m, zero) for m in months]


def _account(request: HttpRequest, account_id: str) -> Account:
    try:
        return account_get(user=request.user, account_id=account_id)
    except NotFound:
        raise Http404("No such account.") from None


@login_required
def account_detail_page(request: HttpRequest, account_id: str) -> HttpResponse:
    account = _account(request, account_id)
    day = today()
    history = list(ownership_history(account=account))
    current = {o.pk for o in history if o.start_date <= day and (o.end_date is None or o.end_date >= day)}
    months, revenue = revenue_months(account, day)
    visible = visible_accounts(user=request.user, day=day)
    context = {
        "account": account,
        "history": history,
        "current_ids": current,
        "owners": {o.role: o.rep for o in history if o.pk in current},
        "chart": charts.bar_chart("Monthly revenue, last 36 months", months, {"Revenue": revenue}),
        "revenue_total": sum(revenue, Decimal("0.00")),
        "opportunities": list(open_opportunities(account=account)),
        "lines": Paginator(account_order_lines(account=account), LINES_PAGE).get_page(
            request.GET.get("page")
        ),
        "subsidiaries": list(visible.filter(parent=account).order_by("name")[:100]),
        "parent_visible": account.parent_id is not None and visible.filter(pk=account.parent_id).exists(),
        "tier": tiers_for(day=day, account_ids=[account.pk]).get(account.pk),
        "panels": panels_for(request, ACCOUNT, account=account, day=day),
    }
    return render(request, "accounts/detail.html", context)
