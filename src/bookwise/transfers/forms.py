from __future__ import annotations

from django import forms

from .models import SECTION_LABELS, TRANSFER_REASONS


class TransferForm(forms.Form):
    to = forms.CharField(label="Incoming rep id", max_length=64)
    effective_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(choices=TRANSFER_REASONS)
    co_coverage_days = forms.IntegerField(
        min_value=0, required=False, help_text="Days the outgoing rep stays as secondary (empty = default)"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InterviewForm(forms.Form):
    interview_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for name, label in SECTION_LABELS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80})
            )


class WaiveForm(forms.Form):
    waiver_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class IntroduceForm(forms.Form):
    meeting_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(required=False, max_length=500)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    effective_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(choices=TRANSFER_REASONS, initial="departure")
