"""The handoff interview's contact step on the transfer page: per contact, has the incoming
rep been introduced (introduced, not yet, waived with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from bookwise.core.errors import ApplicationError, NotFound

from .introductions import interview_contacts_update
from .selectors import transfer_get


def answers_from(post: QueryDict) -> dict[str, tuple[str, str]]:
    """{contact id: (answer, waiver reason)} from the form's `introduced-<id>` and `reason-<id>`."""
    return {
        key.removeprefix("introduced-"): (
            post.get(key, ""),
            post.get("reason-" + key.removeprefix("introduced-"), ""),
        )
        for key in post
        if key.startswith("introduced-")
    }


@login_required
@require_POST
def interview_contacts_save(request: HttpRequest, transfer_id: int) -> HttpResponse:
    try:
        transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    try:
        interview_contacts_update(transfer=transfer, actor=request.user, answers=answers_from(request.POST))
        messages.success(request, "Introductions to the key contacts saved.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:detail", transfer_id=transfer.pk)


def _rating(value: str, label: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise ApplicationError(f"{label}: {value!r} is not a rating from 1 to 5.") from None


@login_required
@require_POST
def skills_save(request: HttpRequest, rep_id: str) -> HttpResponse:
    """A manager saves a rep's skill ratings (the rep page's form)."""
    from bookwise.people.selectors import rep_get, require_edits_visible
    from bookwise.people.services import SALES_OPS_SKILLS, rep_skills_set

    require_edits_visible(request.user, SALES_OPS_SKILLS)  # a 403 with the reason, not a message
    try:
        rep = rep_get(user=request.user, rep_id=rep_id)
        rep_skills_set(
            rep=rep,
            actor=request.user,
            communication=_rating(request.POST.get("communication", ""), "Communication"),
            flexibility=_rating(request.POST.get("flexibility", ""), "Flexibility"),
        )
        messages.success(request, f"Skill ratings of {rep.name} saved.")
    except NotFound:
        raise Http404("No such rep.") from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"/reps/{rep_id}/#skills")
