"""Rebalance pages: propose scenarios (in the request for a small scope, on the job queue for
a large one), compare them side by side, and review one proposal. Directors and
administrators rebalance any scope, a sales manager their own team; reps are refused (403),
a proposal or a batch the user may not see is a 404. The edits and the commit are in
views_edit.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from bookwise.core.errors import ApplicationError, NotFound
from bookwise.people.selectors import scope_for

from . import compare, queued, services
from .forms import CONFIRM_DISCARD, CommitForm, ProposeForm
from .models import ProposalState, RebalanceProposal
from .scopes import may_decide_rebalance, may_rebalance_any, parse_scope, require_may_rebalance, scope_choices
from .selectors import batches_for, loads_chart, proposal_get, revenue_by_account, scope_size

#: accounts x scenarios solved within the request; a bigger batch goes to the job queue
IN_REQUEST_ACCOUNTS = 3_000
REQUEST_TIME_LIMIT = 10.0  # seconds per scenario when solved in the request
MOVES_PER_PAGE = 50


def rebalancer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and a director, an administrator or a sales manager (else 403)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_rebalance_any(request.user):
            raise PermissionDenied("Only managers, directors and administrators may rebalance books.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@rebalancer_required
def index(request: HttpRequest) -> HttpResponse:
    """The form (a scope, up to three scenarios) and the proposals made so far."""
    form = ProposeForm(request.POST or None, scopes=scope_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            return _propose(request, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    context = {"form": form, "batches": batches_for(user=request.user)[:30]}
    return render(request, "rebalance/index.html", context, status=400 if form.errors else 200)


def _propose(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    """Solve here when the batch is small (or there is no queue), else queue it and show the
    comparison page's "solving" state."""
    scope, today, scenarios = parse_scope(data["scope"]), timezone.localdate(), data["scenarios"]
    require_may_rebalance(request.user, scope)
    time_limit = REQUEST_TIME_LIMIT
    if scope_size(scope, today) * len(scenarios) > IN_REQUEST_ACCOUNTS:
        batch = queued.enqueue(
            scope=scope, day=today, scenarios=scenarios, split=data["split_families"], user=request.user
        )
        if batch is not None:
            return redirect("rebalance:compare", batch=batch)
        time_limit = services.DEFAULT_TIME_LIMIT
    made = services.propose(
        scope=scope, day=today, scenarios=scenarios, actor=request.user, split=data["split_families"],
        time_limit=time_limit,
    )  # fmt: skip
    return redirect("rebalance:compare", batch=made[0].batch)


@rebalancer_required
def compare_batch(request: HttpRequest, batch: str) -> HttpResponse:
    """The scenarios of a batch side by side; "solving" while the queue works on it."""
    proposals = compare.batch_proposals(user=request.user, batch=batch)
    if not proposals:
        return _pending(request, batch)
    rows = compare.scenario_rows(proposals)
    context = {"rows": rows, "charts": compare.tradeoff_charts(rows), "first": proposals[0]}
    return render(request, "rebalance/compare.html", context)


def _pending(request: HttpRequest, batch: str) -> HttpResponse:
    state = queued.batch_state(batch)
    mine = state is not None and (state.get("user_id") == request.user.pk or scope_for(request.user).admin)
    if not mine:
        raise Http404("No such rebalance.")
    return render(request, "rebalance/solving.html", {"state": state, "batch": batch})


def proposal_page(
    request: HttpRequest, proposal: RebalanceProposal, *, commit_form: CommitForm | None = None,
    blocking: str = "", status: int = 200,
) -> HttpResponse:  # fmt: skip
    """A proposal: its figures, loads before and after, its moves (paged) with their edits,
    and the commit and discard forms."""
    draft = proposal.state == ProposalState.DRAFT
    reps = compare.recipients(proposal, request.user) if draft else []
    lines = proposal.lines.select_related("account", "from_rep", "to_rep", "transfer")
    page = Paginator(lines.order_by("account__name", "account__external_id"), MOVES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    revenue = revenue_by_account(proposal)
    moves = [
        {"line": x, "revenue": revenue.get(x.account_id), "options": compare.options_for(x, reps, proposal)}
        for x in page.object_list
    ]
    context = {
        "proposal": proposal, "row": compare.scenario_rows([proposal])[0], "moves": moves, "page_obj": page,
        "reps": compare.rep_rows(proposal), "chart": loads_chart(proposal), "draft": draft,
        "siblings": compare.batch_proposals(user=request.user, batch=proposal.batch),
        "commit_form": commit_form or CommitForm(initial={"effective_date": timezone.localdate()}),
        "blocking": blocking, "confirm_discard": CONFIRM_DISCARD,
        "may_commit": may_decide_rebalance(request.user),
    }  # fmt: skip
    return render(request, "rebalance/proposal.html", context, status=status)


def visible_proposal(request: HttpRequest, proposal_id: int) -> RebalanceProposal:
    try:
        return proposal_get(user=request.user, proposal_id=proposal_id)
    except NotFound:
        raise Http404("No such rebalance proposal.") from None


@rebalancer_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return proposal_page(request, visible_proposal(request, proposal_id))
