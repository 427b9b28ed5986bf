from __future__ import annotations

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone

from bookwise.accounts.models import LostReason
from bookwise.core.dates import Period
from bookwise.core.period_picker import PeriodForm, Picked, pick

from .coverage import book_extent, data_defaults
from .models import Tier
from .reports import GROUPINGS


class ReportPeriodForm(PeriodForm):
    """The period picker plus the grouping of a retention report."""

    by = forms.ChoiceField(label="Group by", choices=[(g, g) for g in GROUPINGS], required=False)


def picked_period(params: QueryDict, *, form_class: type[PeriodForm] = ReportPeriodForm) -> Picked:
    """The period and as-of date a report page asks for, defaulting to the data's (the last
    complete quarter of the book's order lines, core.periods.default_period)."""
    today = timezone.localdate()
    default, as_of = data_defaults(today)
    return pick(
        params, today=today, default=default, default_as_of=as_of, extent=book_extent(), form_class=form_class
    )


def period_and_by(params: QueryDict) -> tuple[Picked, Period, str]:
    picked = picked_period(params)
    by = picked.form.initial.get("by") or "territory"
    return picked, picked.period, by


class DateForm(PeriodForm):
    """The as-of date of tiers, gaps and at-risk (`as_of`, or `date` as before) and a tier."""

    date = forms.DateField(label="As of", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tier = forms.ChoiceField(label="Tier", choices=[("", "all tiers")] + list(Tier.choices), required=False)


def day_of(params: QueryDict) -> tuple[Picked, date, str]:
    """The as-of date (default: the data's, see picked_period) and the tier filter."""
    params = params.copy()
    asked = params.get("date")
    if asked and not params.get("as_of"):
        params["as_of"] = asked
    picked = picked_period(params, form_class=DateForm)
    return picked, picked.as_of, picked.form.initial.get("tier") or ""


class LostReasonForm(forms.Form):
    """Mark an account lost: a cause (no default: the empty choice asks for one), the date,
    and a ticked "I confirm". The rules themselves run in the service."""

    reason = forms.ChoiceField(
        label="Lost reason", choices=[("", "— choose a cause —"), *LostReason.choices], required=False
    )
    lost_date = forms.DateField(
        label="Lost date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm = forms.BooleanField(
        label="I confirm: mark this account lost", error_messages={"required": "tick the box to confirm."}
    )

    def error_text(self) -> str:
        """The errors as one sentence naming each field by its label."""
        return " ".join(
            f"{self.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in self.errors.items()
        )


class PinForm(forms.Form):
    tier = forms.ChoiceField(choices=[("", "computed (unpin)")] + list(Tier.choices), required=False)
    note = forms.CharField(max_length=255, required=False)
