from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from bookwise.accounts.models import LostReason
from bookwise.core.dates import Period

from .models import Tier
from .reports import GROUPINGS
from .rows import resolve_period


class PeriodForm(forms.Form):
    """Period (start..end, default the last complete quarter) and grouping of a report."""

    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(choices=[(g, g) for g in GROUPINGS], required=False)

    def clean(self):
        data = super().clean()
        try:
            data["period"] = resolve_period(data.get("start"), data.get("end"), timezone.localdate())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        data["by"] = data.get("by") or "territory"
        return data


def period_and_by(params) -> tuple[PeriodForm, Period, str]:
    form = PeriodForm(params)
    if form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["by"]
    return form, resolve_period(None, None, timezone.localdate()), "territory"


class DateForm(forms.Form):
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tier = forms.ChoiceField(choices=[("", "all tiers")] + list(Tier.choices), required=False)


def day_of(params) -> tuple[DateForm, date, str]:
    form = DateForm(params)
    if form.is_valid():
        return form, form.cleaned_data["date"] or timezone.localdate(), form.cleaned_data["tier"]
    return form, timezone.localdate(), ""


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
