"""Team pages: time study, weekly time sheet, scorecards, signals. Thin: permission helper,
one selector or service, render."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from bookwise.accounts.models import Activity
from bookwise.accounts.selectors import today
from bookwise.core.dates import parse_iso_date, trailing_12_months
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.core.periods import check_as_of
from bookwise.core.users import Viewer
from bookwise.people.models import Rep
from bookwise.people.pickers import PickError, find_rep, picker_text, rep_options
from bookwise.people.selectors import rep_get, scope_for
from bookwise.retention.coverage import data_defaults

from . import presenters
from .rules import ALL_KINDS, week_start
from .selectors.common import team_get, team_member_ids, visible_reps
from .selectors.focus import focus_list
from .selectors.scorecards import Scorecard, rep_scorecard, scorecard_list
from .selectors.series import sparklines
from .selectors.signals import signal_list
from .selectors.timestudy import time_study
from .services import timesheet_save


def _date(request: HttpRequest, name: str, default: date) -> date:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse_iso_date(raw)
    except ValueError as exc:
        raise Http404(str(exc)) from None


def study_reps(user: Viewer | None, team_text: str) -> tuple[Rep | None, list[Rep]]:
    """The reps of a time study: the team named (its manager's name or rep id, as typed or
    picked), the user's own team, or everybody in scope. PickError names a typo."""
    team: Rep | None
    manager = find_rep(user=user, text=team_text) if team_text else None
    if manager is not None:
        team = team_get(user=user, rep_id=manager.external_id)
    else:
        me = scope_for(user).rep
        team = me if me is not None and me.reports.exists() else None
    if team is None:
        return None, list(visible_reps(user=user))
    return team, list(
        Rep.objects.filter(id__in=team_member_ids(team)).select_related("manager").order_by("name")
    )


def _as_of(request: HttpRequest) -> date:
    """The as-of date of a scorecard page (`?date=`): default the data's (today for a current
    book, the end of the last complete quarter of a history that stops earlier); a date after
    today is refused with a message and the default shown."""
    default = data_defaults(today())[1]
    day = _date(request, "date", default)
    try:
        return check_as_of(day, today(), label="Date", field="date")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    default = trailing_12_months(data_defaults(today())[1])
    start, end = _date(request, "start", default.start), _date(request, "end", default.end)
    team_text = request.GET.get("team", "").strip()[:200]
    try:
        team, reps = study_reps(request.user, team_text)
    except PickError as exc:
        messages.error(request, f"Team: {exc}")
        team, reps = None, []
    except NotFound:
        messages.error(request, f"Team: {team_text!r} has nobody reporting to them.")
        team, reps = None, []
    study = time_study(reps=reps, team=team, start=start, end=end) if reps and start <= end else None
    chart = presenters.time_chart(study) if study and study.rows else None
    kinds = [(k, presenters.KIND_LABELS[k]) for k in ALL_KINDS]
    context = {"study": study, "team": team, "start": start, "end": end, "chart": chart,
               "kinds": kinds, "bad_period": start > end, "team_text": team_text,
               "team_options": rep_options(user=request.user, managers_only=True)}  # fmt: skip
    context["team_label"] = picker_text(team) if team else ""
    return render(request, "team/home.html", context)


def _sheet_rep(request: HttpRequest) -> Rep:
    """The rep whose time sheet this is: yourself; admins may open anybody's (?rep=)."""
    scope = scope_for(request.user)
    wanted = request.GET.get("rep", "").strip()
    if wanted and scope.admin:
        return rep_get(user=request.user, rep_id=wanted)
    if scope.rep is None or (wanted and wanted != scope.rep.external_id):
        raise NotFound("No such time sheet.")
    return scope.rep


def _sheet_grid(rep: Rep, monday: date) -> tuple[list[date], dict[str, list[Decimal]], dict[date, Decimal]]:
    days = [monday + timedelta(days=i) for i in range(7)]
    cells = {(d, k): Decimal(0) for d in days for k in ALL_KINDS}
    other: dict[date, Decimal] = dict.fromkeys(days, Decimal(0))
    for a in Activity.objects.filter(rep=rep, date__range=(days[0], days[-1])):
        if a.account_id is None:
            cells[(a.date, a.kind)] += a.hours
        else:
            other[a.date] += a.hours
    grid = {k: [cells[(d, k)] for d in days] for k in ALL_KINDS}
    return days, grid, other


def _posted_cells(post: QueryDict, days: list[date]) -> dict[tuple[date, str], Decimal]:
    cells = {}
    for d in days:
        for k in ALL_KINDS:
            raw = post.get(f"h_{d.isoformat()}_{k}", "").strip() or "0"
            try:
                cells[(d, k)] = Decimal(raw)
            except InvalidOperation:
                raise ApplicationError(f"{raw!r} is not a number of hours.", {"day": d.isoformat()}) from None
    return cells


@login_required
def timesheet(request: HttpRequest) -> HttpResponse:
    try:
        rep = _sheet_rep(request)
    except NotFound as exc:
        raise Http404(exc.message) from None
    monday = week_start(_date(request, "week", today()))
    days = [monday + timedelta(days=i) for i in range(7)]
    if request.method == "POST":
        try:
            timesheet_save(
                rep=rep, week_start=monday, cells=_posted_cells(request.POST, days), actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Time sheet of the week of {monday.isoformat()} saved.")
            return redirect(request.get_full_path())
    days, grid, other = _sheet_grid(rep, monday)
    rows = [(k, presenters.KIND_LABELS[k], list(zip(days, grid[k], strict=True))) for k in ALL_KINDS]
    context = {"rep": rep, "monday": monday, "days": days, "rows": rows, "other": [other[d] for d in days],
               "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7)}  # fmt: skip
    return render(request, "team/timesheet.html", context)


@login_required
def scorecards(request: HttpRequest) -> HttpResponse:
    day = _as_of(request)
    cards = scorecard_list(user=request.user, day=day)
    by_role: dict[str, list[Scorecard]] = {}
    for card in cards:
        by_role.setdefault(card.role, []).append(card)
    return render(request, "team/scorecards.html", {"day": day, "by_role": sorted(by_role.items())})


@login_required
def scorecard(request: HttpRequest, rep_id: str) -> HttpResponse:
    day = _as_of(request)
    try:
        card = rep_scorecard(user=request.user, rep_id=rep_id, day=day)
    except NotFound as exc:
        raise Http404(exc.message) from None
    series = sparklines(card)
    rows = [(m, presenters.sparkline_points(series.get(m.key, []))) for m in card.metrics]
    return render(request, "team/scorecard.html", {"card": card, "rows": rows, "day": day})


@login_required
def signals(request: HttpRequest) -> HttpResponse:
    day = _as_of(request)
    items = signal_list(user=request.user, day=day)
    chart = presenters.balance_chart(items) if len(items) > 1 else None
    flagged = [i for i in items if i.signals]
    return render(
        request, "team/signals.html", {"items": items, "flagged": flagged, "chart": chart, "day": day}
    )


@login_required
def focus(request: HttpRequest) -> HttpResponse:
    day = _as_of(request)
    items = focus_list(user=request.user, day=day)
    context = {"items": items, "day": day}
    return render(request, "team/focus.html", context)
