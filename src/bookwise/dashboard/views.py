from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bookwise.core.panels import panels_for
from bookwise.core.period_picker import PeriodForm, query
from bookwise.retention.forms import picked_period

from .selectors import book_health_cached, lost_chart, trend_chart


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The book-health dashboard: what the user may see, every figure linking to its rows. The
    period and as-of date come from the picker, default the last complete quarter of the data."""
    picked = picked_period(request.GET, form_class=PeriodForm)
    health = book_health_cached(
        user=request.user, today=timezone.localdate(), period=picked.period, as_of=picked.as_of
    )
    context = {
        "h": health,
        "picked": picked,
        "previous": picked.period.previous(),
        "params": query(health.period),
        "day_params": f"as_of={health.today:%Y-%m-%d}",
        "trend_chart": trend_chart(health.trend) if health.trend.by_group else None,
        "lost_chart": lost_chart(health.lost_totals) if health.lost else None,
        "lost_top": health.lost,
        "at_risk_top": health.at_risk,
        "panels": panels_for(request),
    }
    return render(request, "dashboard/home.html", context)
