"""Commission pages: statements, runs (review and approve), disputes, rebates, what-if."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookwise.accounts.models import Account
from bookwise.accounts.pickers import account_options, find_account
from bookwise.accounts.selectors import today, visible_accounts
from bookwise.core.dates import parse_period
from bookwise.core.errors import ApplicationError, Forbidden, NotFound
from bookwise.core.money import MoneyError, parse_money
from bookwise.people.pickers import PickError, find_rep, rep_names, rep_options
from bookwise.people.selectors import rep_for_user, require_edits_visible

from . import selectors, services
from .models import RebateProgramme
from .planfile import PlanFileError, parse_plan_file
from .present import LINE_COLUMNS
from .services import run_chunks
from .services.disputes import LIMIT_MULTIPLE, SALES_OPS_DISPUTES, can_resolve
from .services.periods import current_label
from .whatif import transfer_what_if, what_if

P = ParamSpec("P")
T = TypeVar("T")


def _get(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    try:
        return fn(*args, **kwargs)
    except NotFound:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "").strip()
    qs = selectors.statement_list(user=request.user, period=period)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    runner = selectors.can_run(request.user)
    runs = selectors.run_list(user=request.user)[:20] if runner else []
    context = {
        "page_obj": page, "period": period, "runner": runner, "runs": runs,
        "current_period": current_label("quarter", today()),
    }  # fmt: skip
    return render(request, "commissions/index.html", context)


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    """Queue the run as jobs (services.run_chunks; the jobs page follows it), or compute it
    here when there is no queue; the period and the user's right are checked first."""
    period = request.POST.get("period", "").strip()
    try:
        queued = run_chunks.run_queue(period=period, actor=request.user)
        url = queued.page if queued is not None else None
        if url is None:
            url = reverse(
                "commissions:run",
                kwargs={"run_id": services.run_compute(period=period, actor=request.user).pk},
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("commissions:index")
    if url.startswith(reverse("commissions:index")):
        messages.success(request, f"Draft run of {period} computed.")
    else:
        messages.success(request, f"Computing the run of {period} in the background: follow it here.")
    return redirect(url)


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _get(selectors.run_get, user=request.user, run_id=run_id)
    statements = selectors.statement_list(user=request.user, run=run)
    span, day = parse_period(run.period), today()
    context = {
        "run": run, "statements": statements, "approver": selectors.can_approve(request.user),
        "runner": selectors.can_run(request.user),
        "started": span.start <= day, "ends_later": span.end >= day, "period_end": span.end,
    }  # fmt: skip
    return render(request, "commissions/run.html", context)


CONFIRM_APPROVE = "I have checked this run's statements: approve and freeze it"


@login_required
@require_POST
def run_approve(request: HttpRequest, run_id: int) -> HttpResponse:
    """Approve and freeze, once the approver ticked the confirmation on the run's page."""
    run = _get(selectors.run_get, user=request.user, run_id=run_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, f"Nothing approved: tick “{CONFIRM_APPROVE}” to confirm.")
        return redirect("commissions:run", run_id=run.pk)
    try:
        services.run_approve(run=run, actor=request.user)
        messages.success(request, f"Run of {run.period} approved.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("commissions:run", run_id=run.pk)


@login_required
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    st = _get(selectors.statement_get, user=request.user, statement_id=statement_id)
    me = rep_for_user(request.user)
    own = me is not None and me.id == st.rep_id
    disputes = {d.order_id: d for d in st.disputes.order_by("id")}
    template = (
        "commissions/statement_print.html" if request.GET.get("print") else "commissions/statement.html"
    )
    data = st.as_json()
    context = {"st": st, "data": data, "can_dispute": own and st.run.approved, "disputes": disputes}
    context["account_names"] = account_names(data)
    return render(request, template, context)


def account_names(data: dict[str, Any]) -> dict[str, str]:
    """account id -> name for the accounts a statement's lines and adjustments name."""
    ids = {line.get("account_id") for line in [*data.get("lines", []), *data.get("adjustment_lines", [])]}
    ids.discard(None)
    return dict(Account.objects.filter(external_id__in=ids).values_list("external_id", "name"))


@login_required
def statement_csv(request: HttpRequest, statement_id: int) -> HttpResponse:
    st = _get(selectors.statement_get, user=request.user, statement_id=statement_id)
    response = HttpResponse(content_type="text/csv")
    name = f"statement-{st.data['rep_id']}-{st.run.period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(LINE_COLUMNS)
    writer.writerows(st.lines)
    return response


@login_required
@require_POST
def dispute_create(request: HttpRequest, statement_id: int) -> HttpResponse:
    st = _get(selectors.statement_get, user=request.user, statement_id=statement_id)
    require_edits_visible(request.user, SALES_OPS_DISPUTES)  # a 403 with the reason
    try:
        services.dispute_open(
            statement=st, order_id=request.POST.get("order_id", ""), comment=request.POST.get("comment", ""),
            actor=request.user,
        )  # fmt: skip
        messages.success(request, "Dispute sent to your manager.")
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise  # a 403 page with the reason (a manager sees the statement but does not dispute it)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("commissions:statement", statement_id=st.pk)


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    disputes = list(selectors.dispute_list(user=request.user, status="" if status == "all" else status))
    rows = [(d, can_resolve(request.user, d)) for d in disputes]
    context = {"rows": rows, "status": status, "limit_multiple": LIMIT_MULTIPLE}
    return render(request, "commissions/disputes.html", context)


@login_required
@require_POST
def dispute_resolve(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = _get(selectors.dispute_get, user=request.user, dispute_id=dispute_id)
    require_edits_visible(request.user, SALES_OPS_DISPUTES)  # a 403 with the reason
    post = request.POST
    if post.get("decision") not in ("accepted", "rejected"):
        messages.error(request, "Decision: choose Accept or Reject.")
        return redirect("commissions:disputes")
    accept = post.get("decision") == "accepted"
    try:
        amount = parse_money(post["amount"]) if accept and post.get("amount", "").strip() else None
        services.dispute_resolve(
            dispute=dispute, actor=request.user, accept=accept, reason=post.get("reason", ""), amount=amount,
            clawback=post.get("clawback") == "yes", beyond_limit=post.get("beyond_limit") == "yes",
        )  # fmt: skip
        messages.success(request, "Dispute resolved.")
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise  # a 403 page with the reason (the rep sees their dispute but does not resolve it)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except MoneyError as exc:
        messages.error(request, f"Amount: {exc}.")
    return redirect("commissions:disputes")


REBATES_PAGE = 50
REBATE_COLUMNS = ["account_id", "name", "year", "programme", "revenue", "tier", "rate", "rebate"]
EARNING = {"": "Any", "yes": "Earning a rebate", "no": "No tier reached yet"}


@dataclass(frozen=True)
class RebateFilters:
    year: int
    search: str = ""
    programme: str = ""
    earning: str = ""

    @classmethod
    def from_query(cls, query: QueryDict, default_year: int) -> RebateFilters:
        raw = (query.get("year") or "").strip()
        year = int(raw) if raw.isdigit() and 1900 < int(raw) < 3000 else default_year
        earning = query.get("earning", "")
        return cls(
            year=year,
            search=query.get("q", "").strip()[:200],
            programme=query.get("programme", "").strip(),
            earning=earning if earning in EARNING else "",
        )

    def keep(self, row: dict[str, Any]) -> bool:
        text = self.search.lower()
        if text and text not in row["name"].lower() and text != row["account_id"].lower():
            return False
        if self.programme and row["programme"] != self.programme:
            return False
        if self.earning:
            return (row["tier"] is not None) == (self.earning == "yes")
        return True


def rebate_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and sums over the whole filtered set (not one page)."""
    return {
        "rows": len(rows),
        "accounts": len({r["account_id"] for r in rows}),
        "earning": sum(1 for r in rows if r["tier"] is not None),
        "revenue": sum((r["revenue"] for r in rows), Decimal("0.00")),
        "rebate": sum((r["rebate"] for r in rows), Decimal("0.00")),
    }


def _rebates_csv(rows: list[dict[str, Any]], year: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="rebates-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(REBATE_COLUMNS)
    for r in rows:
        writer.writerow(["" if r[c] is None else r[c] for c in REBATE_COLUMNS])
    return response


@login_required
def rebates(request: HttpRequest) -> HttpResponse:
    """The year's rebates: filtered (account, programme, earning or not), paged, with the
    totals of the whole filtered set; the CSV for finance holds the filtered set too."""
    filters = RebateFilters.from_query(request.GET, today().year)
    every = selectors.rebate_report(year=filters.year, accounts=visible_accounts(user=request.user))
    rows = [r for r in every if filters.keep(r)]
    if request.GET.get("format") == "csv":
        return _rebates_csv(rows, filters.year)
    years = sorted({filters.year, *RebateProgramme.objects.values_list("year", flat=True)}, reverse=True)
    context = {
        "page_obj": Paginator(rows, REBATES_PAGE).get_page(request.GET.get("page")),
        "totals": rebate_totals(rows),
        "filters": filters,
        "year": filters.year,
        "years": years,
        "programmes": sorted({r["programme"] for r in every}),
        "earning_choices": EARNING.items(),
        "filtered": bool(filters.search or filters.programme or filters.earning),
        "any_rows": bool(every),
    }
    return render(request, "commissions/rebates.html", context)


@login_required
def what_if_page(request: HttpRequest) -> HttpResponse:
    if not selectors.can_run(request.user):
        raise Http404
    context: dict[str, Any] = {"text": "", "periods": 4, "errors": [], "rows": None}
    context["account_options"] = account_options(user=request.user)
    context["rep_options"] = rep_options(user=request.user)
    if request.method == "POST" and request.POST.get("account"):
        context.update(_transfer_what_if(request))
    elif request.method == "POST":
        context["text"] = request.POST.get("plans", "")
        try:
            context["periods"] = max(1, min(12, int(request.POST.get("periods") or 4)))
            draft = parse_plan_file(context["text"], "draft").plans
            context["rows"] = what_if(draft=draft, periods=context["periods"], as_of=today())
        except PlanFileError as exc:
            context["errors"] = exc.errors
        except ValueError:
            context["errors"] = ["periods must be a whole number"]
    reps = [r for p in context.get("rows") or [] for r in p["reps"]]
    context["rep_names"] = rep_names(r["rep_id"] for r in reps)
    return render(request, "commissions/what_if.html", context)


def _transfer_what_if(request: HttpRequest) -> dict[str, Any]:
    """The what-if of moving an account (any account: admins and directors see all), both
    picked by name (or typed as ids)."""
    try:
        account = find_account(user=request.user, text=request.POST.get("account", ""))
    except PickError as exc:
        return {"errors": [f"Account: {exc}"]}
    try:
        rep = find_rep(user=request.user, text=request.POST.get("to", ""))
    except PickError as exc:
        return {"errors": [f"To rep: {exc}"]}
    if account is None or rep is None:
        return {"errors": ["Account: choose one." if account is None else "To rep: choose one."]}
    try:
        periods = max(1, min(12, int(request.POST.get("periods") or 4)))
    except ValueError:
        return {"errors": ["Quarters: a whole number from 1 to 12."]}
    rows = transfer_what_if(account=account, rep=rep, periods=periods, as_of=today())
    moved = f"{account.name} ({account.external_id}) to {rep.name} ({rep.external_id})"
    return {"rows": rows, "periods": periods, "moved": moved}
