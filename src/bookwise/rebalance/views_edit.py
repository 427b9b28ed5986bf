"""Rebalance page actions (POST only): give a move to another rep, remove it, commit the
proposal as transfers after an explicit confirmation, discard it. The services check who may
do it again; a refusal is shown on the page, naming what blocks."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from bookwise.core.errors import ApplicationError, Forbidden, RuleViolation

from . import compare, services
from .commit import commit
from .forms import CommitForm
from .models import RebalanceLine, RebalanceProposal
from .scopes import COMMIT_REFUSED, may_decide_rebalance
from .views import proposal_page, rebalancer_required, visible_proposal


def _line(proposal: RebalanceProposal, line_id: int) -> RebalanceLine:
    line = proposal.lines.select_related("account", "from_rep", "to_rep").filter(pk=line_id).first()
    if line is None:
        raise Http404("No such move in this proposal.")
    return line


def _back(request: HttpRequest, proposal: RebalanceProposal) -> HttpResponse:
    """Back to the proposal, on the page of moves the user was on."""
    page = request.POST.get("page", "")
    response = redirect("rebalance:proposal", proposal_id=proposal.pk)
    if page.isdigit():
        response["Location"] += f"?page={page}"
    return response


@rebalancer_required
@require_POST
def line_reassign(request: HttpRequest, proposal_id: int, line_id: int) -> HttpResponse:
    proposal = visible_proposal(request, proposal_id)
    line = _line(proposal, line_id)
    to_rep = compare.rep_named(proposal, request.POST.get("to", ""), request.user)
    try:
        if to_rep is None:  # unknown, or a rep the user may not pick: no name, no load
            raise RuleViolation("Pick the rep who takes the account from the list, or remove the move.")
        services.line_reassign(line=line, to_rep=to_rep, actor=request.user)
        messages.success(request, f"{line.account.name} now goes to {to_rep.name}.")
    except ApplicationError as exc:
        messages.error(request, f"{line.account.name}: {exc.message}")
    return _back(request, proposal)


@rebalancer_required
@require_POST
def line_remove(request: HttpRequest, proposal_id: int, line_id: int) -> HttpResponse:
    proposal = visible_proposal(request, proposal_id)
    line = _line(proposal, line_id)
    try:
        count = services.line_remove(line=line, actor=request.user)
        family = f" (with {count - 1} subsidiar{'y' if count == 2 else 'ies'})" if count > 1 else ""
        messages.success(
            request,
            f"{line.account.name}{family} was removed from the proposal; it stays with {line.from_rep.name}.",
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(request, proposal)


@rebalancer_required
@require_POST
def proposal_commit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Create the transfers on the effective date, once "I confirm" is ticked; a refusal is
    shown on the proposal page with the line that blocks marked. Sales ops, who are offered
    no commit form, are refused outright (403)."""
    proposal = visible_proposal(request, proposal_id)
    if not may_decide_rebalance(request.user):
        raise Forbidden(COMMIT_REFUSED)
    form = CommitForm(request.POST)
    if not form.is_valid():
        return proposal_page(request, proposal, commit_form=form, status=400)
    try:
        made = commit(
            proposal=proposal, effective_date=form.cleaned_data["effective_date"], actor=request.user
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        blocking = str((exc.extra or {}).get("account_id", ""))
        return proposal_page(request, proposal, commit_form=form, blocking=blocking, status=400)
    messages.success(
        request, f"{len(made)} transfer{'s' if len(made) != 1 else ''} drafted from the rebalance proposal."
    )
    return redirect("rebalance:proposal", proposal_id=proposal.pk)


@rebalancer_required
@require_POST
def proposal_discard(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = visible_proposal(request, proposal_id)
    try:
        services.discard(
            proposal=proposal, actor=request.user, confirmed=request.POST.get("confirm") == "yes"
        )
        messages.success(request, "The proposal was discarded; nothing moved.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("rebalance:proposal", proposal_id=proposal.pk)
