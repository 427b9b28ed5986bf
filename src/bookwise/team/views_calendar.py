"""/team/calendar/: the non-working days (public holidays for everyone, a rep's absences)
that the activity signals leave out; entered here or imported (`bookwise team calendar-import`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookwise.core.errors import ApplicationError, NotFound
from bookwise.people.selectors import rep_get, rep_list

from .calendar import day_add, day_remove, days_for, may_enter
from .models import NonWorkingDay


class DayOffForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    rep = forms.CharField(label="Who", required=False)
    reason = forms.CharField(label="Reason", max_length=200)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = DayOffForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(f"{form.fields[k].label}: {' '.join(map(str, v))}" for k, v in form.errors.items()),
            )
        else:
            _add(request, form.cleaned_data, today)
        return redirect("team:calendar")
    reps = (
        rep_list(user=request.user)
        .filter(end_date__isnull=True)
        .select_related(None)
        .only("name", "external_id")
    )
    context = {
        "days": days_for(request.user, today - timedelta(days=90), today + timedelta(days=365)),
        "form": DayOffForm(),
        "reps": [(r.external_id, r.name) for r in reps],
        "everyone": may_enter(request.user, None),
    }
    return render(request, "team/calendar.html", context)


def _add(request: HttpRequest, data: dict[str, Any], today: date) -> None:
    try:
        rep = rep_get(user=request.user, rep_id=data["rep"]) if data["rep"] else None
        day_add(day=data["date"], rep=rep, reason=data["reason"], actor=request.user, today=today)
        messages.success(
            request, f"Day off entered: {data['date']:%Y-%m-%d} for {rep.name if rep else 'everyone'}."
        )
    except ApplicationError as error:
        messages.error(request, error.message)


@login_required
@require_POST
def calendar_remove(request: HttpRequest, day_id: int) -> HttpResponse:
    entry = NonWorkingDay.objects.select_related("rep").filter(pk=day_id).first()
    if entry is None:
        raise Http404("No such day off.")
    try:
        day_remove(entry=entry, actor=request.user)
        messages.success(request, "Day off removed.")
    except NotFound:
        raise Http404("No such day off.") from None
    except ApplicationError as error:  # a day for everyone: administrators only
        messages.error(request, error.message)
    return redirect("team:calendar")
