from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bookwise.core.panels import panels_for

from .selectors import book_health_cached, lost_chart, trend_chart


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The book-health dashboard: what the user may see, every figure linking to its rows."""
    health = book_health_cached(user=request.user, today=timezone.localdate())
    p = health.period
    context = {
        "h": health,
        "params": f"start={p.start.isoformat()}&end={p.end.isoformat()}",
        "trend_chart": trend_chart(health.trend) if health.trend.by_group else None,
        "lost_chart": lost_chart(health.lost_totals) if health.lost else None,
        "lost_top": health.lost,
        "at_risk_top": health.at_risk,
        "panels": panels_for(request),
    }
    return render(request, "dashboard/home.html", context)
