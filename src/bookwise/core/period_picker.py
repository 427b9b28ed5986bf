"""The period picker of the dashboard and the reports: a plain GET form (no script, no widget
from the internet) with a period (the quarters and years of the data, or a custom range of
HTML date inputs) and an as-of date. The defaults come from the caller, who knows the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms

from .dates import Period, parse_period
from .errors import ApplicationError
from .periods import check_as_of, quarter_of, resolve_period

CUSTOM = "custom"
MAX_QUARTERS = 40  # quarters offered in the list; any other is typed in the URL or the API


def period_choices(first: date | None, last: date | None, today: date, current: Period) -> list[Any]:
    """Quarters (newest first) and years of the data, the current period when it is neither,
    and a custom range."""
    last = min(last or today, today)
    first = first or quarter_of(today).previous().previous().start
    quarters: list[tuple[str, str]] = []
    q = quarter_of(last)
    while q.end >= first and len(quarters) < MAX_QUARTERS:
        quarters.append((q.label, q.label))
        q = q.previous()
    years = [(str(y), str(y)) for y in range(last.year, max(first.year, last.year - 9) - 1, -1)]
    known = {value for value, _ in quarters + years}
    extra = [] if current.label in known else [(current.label, current.label)]
    return [
        *extra,
        ("Quarters", quarters),
        ("Years", years),
        ("Other", [(CUSTOM, "Custom range (start – end)")]),
    ]


class PeriodForm(forms.Form):
    period = forms.CharField(
        label="Period", required=False, widget=forms.Select(attrs={"aria-label": "Period"})
    )
    start = forms.DateField(label="Start", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="End", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    as_of = forms.DateField(label="As of", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def extras(self) -> list[forms.BoundField]:
        """The fields a page adds to the picker (a report's grouping)."""
        return [self[name] for name in self.fields if name not in PeriodForm.base_fields]


@dataclass
class Picked:
    """What a page shows: the period, the as-of date, the form to draw (set to them) and the
    errors of what was asked (the page then shows the defaults)."""

    period: Period
    as_of: date
    form: forms.Form
    errors: list[str] = field(default_factory=list)


def _resolve(data: dict[str, Any], today: date, default: Period, default_as_of: date) -> tuple[Period, date]:
    text = data.get("period") or ""
    start, end = data.get("start"), data.get("end")
    if text and text != CUSTOM:
        start = end = None  # a listed period wins over the date inputs (the form sends both)
    period = resolve_period(text, start, end, today=today, default=default)
    as_of = data.get("as_of")
    return period, check_as_of(as_of, today) if as_of else default_as_of


def pick(
    params: Any,
    *,
    today: date,
    default: Period,
    default_as_of: date,
    extent: tuple[date | None, date | None] = (None, None),
    form_class: type[PeriodForm] = PeriodForm,
) -> Picked:
    """Read the picker's parameters (a QueryDict): the period and as-of date asked for, or the
    defaults with the errors that say why not."""
    asked = form_class(params)
    errors: list[str] = []
    period, as_of = default, default_as_of
    if not asked.is_valid():
        errors = [
            f"{asked.fields[name].label}: {' '.join(str(m) for m in e)}" for name, e in asked.errors.items()
        ]
    else:
        try:
            period, as_of = _resolve(asked.cleaned_data, today, default, default_as_of)
        except ApplicationError as exc:
            errors = [exc.message]
    shown = form_class(initial=initial_of(asked, period, as_of))
    shown.fields["period"].widget.choices = period_choices(*extent, today, period)
    return Picked(period, as_of, shown, errors)


def initial_of(asked: forms.Form, period: Period, as_of: date) -> dict[str, Any]:
    """The form set to what is shown: the period's label when it is a listed kind, else custom."""
    listed = _is_label(period.label)
    initial = {k: v for k, v in getattr(asked, "cleaned_data", {}).items() if k not in PeriodForm.base_fields}
    initial |= {"period": period.label if listed else CUSTOM, "start": period.start, "end": period.end}
    return initial | {"as_of": as_of}


def _is_label(label: str) -> bool:
    try:
        parse_period(label)
    except ValueError:
        return False
    return True


def query(period: Period, as_of: date | None = None) -> str:
    """The query string that asks for this period (and as-of date) again."""
    text = f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    return text + (f"&as_of={as_of:%Y-%m-%d}" if as_of else "")
