"""Competency pages: assessments (self and director), gaps, development plan, promotion readiness."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from bookwise.accounts.selectors import today
from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError, NotFound, RuleViolation
from bookwise.people.models import Rep
from bookwise.people.pickers import PickError, find_rep, rep_options
from bookwise.people.selectors import rep_for_user

from .models import ActionKind, Competency, DevelopmentAction, Purpose
from .selectors.competency import (
    assessable_reps,
    assessment_subject_get,
    can_rate_as_director,
    competency_view,
)
from .selectors.prefill import prefill
from .services import assessment_record, development_action_complete, development_action_create
from .wording import DISPLAY


def mentor_reps() -> QuerySet[Rep]:
    """Who may mentor or be a peer: anybody in the company still active (by name)."""
    return Rep.objects.filter(end_date__isnull=True).order_by("name")


def _subject(request: HttpRequest, rep_id: str) -> Rep:
    try:
        return assessment_subject_get(user=request.user, rep_id=rep_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def competency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "team/competency_list.html", {"reps": assessable_reps(user=request.user)})


def _post_action(request: HttpRequest, subject: Rep) -> None:
    if "complete" in request.POST:
        action = DevelopmentAction.objects.filter(pk=request.POST["complete"], subject=subject).first()
        if action is None:
            raise RuleViolation("No such action.")
        development_action_complete(action=action, actor=request.user, day=today())
        return
    try:
        partner = find_rep(user=request.user, text=request.POST.get("partner", ""), reps=mentor_reps())
    except PickError as exc:
        raise RuleViolation(f"Mentor or peer: {exc}") from None
    try:
        due = parse_iso_date(request.POST.get("due_date", ""))
    except ValueError as exc:
        raise RuleViolation(str(exc)) from None
    development_action_create(
        subject=subject, competency=request.POST.get("competency", ""), kind=request.POST.get("kind", ""),
        description=request.POST.get("description", ""), due_date=due, actor=request.user, partner=partner,
    )  # fmt: skip


@login_required
def competency_detail(request: HttpRequest, rep_id: str) -> HttpResponse:
    subject = _subject(request, rep_id)
    if request.method == "POST":
        try:
            _post_action(request, subject)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Development plan updated.")
            return redirect(request.path)
    view = competency_view(subject=subject, day=today())
    labels = dict(Competency.choices)
    context = {"view": view, "subject": subject, "labels": labels, "competencies": Competency.choices,
               "kinds": ActionKind.choices, "can_direct": can_rate_as_director(request.user, subject),
               "is_self": getattr(rep_for_user(request.user), "id", None) == subject.id,
               "partner_options": rep_options(user=request.user, reps=mentor_reps())}  # fmt: skip
    return render(request, "team/competency_detail.html", context)


def _posted_ratings(post: QueryDict) -> dict[str, tuple[int, str]]:
    ratings = {}
    for key in Competency.values:
        raw = post.get(f"rating_{key}", "").strip()
        if not raw.isdigit():
            raise RuleViolation(f"Rate {Competency(key).label} from 1 to 5.")
        ratings[key] = (int(raw), post.get(f"evidence_{key}", ""))
    return ratings


@login_required
def assess(request: HttpRequest, rep_id: str) -> HttpResponse:
    subject = _subject(request, rep_id)
    is_self = getattr(rep_for_user(request.user), "id", None) == subject.id
    role = "self" if is_self else "director"
    if not is_self and not can_rate_as_director(request.user, subject):
        raise Http404("No such rep.")
    if request.method == "POST":
        try:
            ratings = _posted_ratings(request.POST)
            assessment_record(subject=subject, assessor_role=role, ratings=ratings, actor=request.user,
                              day=today(), purpose=request.POST.get("purpose", "review"),
                              data_evidence=prefill(subject=subject, day=today()))  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Assessment recorded.")
            return redirect("team:competency", rep_id=subject.external_id)
    evidence = prefill(subject=subject, day=today(), words=DISPLAY)  # the stored lines stay PLAIN
    rows = [(key, label, evidence.get(key, [])) for key, label in Competency.choices]
    context = {"subject": subject, "role": role, "rows": rows, "purposes": Purpose.choices}
    return render(request, "team/assess.html", context)
