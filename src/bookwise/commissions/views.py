"""Commission pages: statements, runs (review and approve), disputes, rebates, what-if."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bookwise.accounts.selectors import today, visible_accounts
from bookwise.core.dates import parse_period
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.core.money import MoneyError, parse_money
from bookwise.people.selectors import rep_for_user

from . import selectors, services
from .planfile import PlanFileError, parse_plan_file
from .present import LINE_COLUMNS
from .services.disputes import LIMIT_MULTIPLE, can_resolve
from .services.runs import current_label
from .whatif import transfer_what_if, what_if


def _get(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "").strip()
    qs = selectors.statement_list(user=request.user, period=period)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    approver = selectors.can_approve(request.user)
    runs = selectors.run_list(user=request.user)[:20] if approver else []
    context = {
        "page_obj": page, "period": period, "approver": approver, "runs": runs,
        "current_period": current_label("quarter", today()),
    }  # fmt: skip
    return render(request, "commissions/index.html", context)


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    try:
        run = services.run_compute(period=request.POST.get("period", "").strip(), actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("commissions:index")
    messages.success(request, f"Draft run of {run.period} computed.")
    return redirect("commissions:run", run_id=run.pk)


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _get(selectors.run_get, user=request.user, run_id=run_id)
    statements = selectors.statement_list(user=request.user, run=run)
    span, day = parse_period(run.period), today()
    context = {
        "run": run, "statements": statements, "approver": selectors.can_approve(request.user),
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
    context = {"st": st, "data": st.as_json(), "can_dispute": own and st.run.approved, "disputes": disputes}
    return render(request, template, context)


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
    try:
        services.dispute_open(
            statement=st, order_id=request.POST.get("order_id", ""), comment=request.POST.get("comment", ""),
            actor=request.user,
        )  # fmt: skip
        messages.success(request, "Dispute sent to your manager.")
    except NotFound:
        raise Http404 from None
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
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except MoneyError as exc:
        messages.error(request, f"Amount: {exc}.")
    return redirect("commissions:disputes")


@login_required
def rebates(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    rows = selectors.rebate_report(year=year, accounts=visible_accounts(user=request.user))
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="rebates-{year}.csv"'
        writer = csv.writer(response)
        columns = ["account_id", "name", "year", "programme", "revenue", "tier", "rate", "rebate"]
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r[c] is None else r[c] for c in columns])
        return response
    return render(request, "commissions/rebates.html", {"rows": rows, "year": year})


@login_required
def what_if_page(request: HttpRequest) -> HttpResponse:
    if not selectors.can_approve(request.user):
        raise Http404
    context: dict = {"text": "", "periods": 4, "errors": [], "rows": None}
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
    return render(request, "commissions/what_if.html", context)


def _transfer_what_if(request: HttpRequest) -> dict:
    """The what-if of moving an account (any account: admins and directors see all)."""
    from bookwise.accounts.models import Account
    from bookwise.people.models import Rep

    account = Account.objects.filter(external_id=request.POST.get("account", "").strip()).first()
    rep = Rep.objects.filter(external_id=request.POST.get("to", "").strip()).first()
    if account is None or rep is None:
        return {"errors": ["No such account." if account is None else "No such rep."]}
    try:
        periods = max(1, min(12, int(request.POST.get("periods") or 4)))
    except ValueError:
        return {"errors": ["periods must be a whole number"]}
    rows = transfer_what_if(account=account, rep=rep, periods=periods, as_of=today())
    return {"rows": rows, "periods": periods, "moved": f"{account.external_id} to {rep.external_id}"}


def rebate_panel_context(*, account, day: date | None = None) -> dict:
    """Context for the `commissions/_rebate_panel.html` include on the account page."""
    return {"rebate": selectors.account_rebate_status(account=account, day=day or today())}
