"""The transfer pages' forms. They parse types only; the rules (the effective date's window,
co-coverage 0-365 days, real answers, dates that happened) live in `rules` and run in the
services, whatever the path. Complete and cancel need a ticked "I confirm" box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import SECTION_LABELS, TRANSFER_REASONS
from .rules import MAX_CO_COVERAGE_DAYS, window

CONFIRM_REQUIRED = {"required": "tick the box to confirm."}


def form_error_text(form: forms.Form) -> str:
    """A form's errors as one sentence naming each field by its label."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        field = form.fields.get(name)
        parts.append(f"{field.label}: {text}" if field is not None and field.label else text)
    return " ".join(parts)


class RepPicker(forms.TextInput):
    """A type-ahead box over the reps the user may hand to: <input list> with a <datalist>
    (no script, works offline); the view resolves what was typed (people.pickers.find_rep)."""

    def __init__(self, options: list[tuple[str, str]] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "placeholder": "type a name"})
        self.options = options or []

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        box = super().render(name, value, {**(attrs or {}), "list": f"{name}-choices"}, renderer)
        items = format_html_join("", '<option value="{}">{}</option>', self.options)
        return format_html('{}<datalist id="{}-choices">{}</datalist>', box, name, items)


class TransferForm(forms.Form):
    to = forms.CharField(label="Incoming rep", max_length=120, widget=RepPicker())
    effective_date = forms.DateField(label="Effective date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label="Reason", choices=TRANSFER_REASONS)
    co_coverage_days = forms.IntegerField(
        label="Co-coverage days",
        required=False,
        help_text=f"Days the outgoing rep stays as secondary, 0 to {MAX_CO_COVERAGE_DAYS} (empty = default)",
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    backdate_reason = forms.CharField(
        label="Back-dating reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Administrators only: why the effective date lies further back than the window.",
    )

    def __init__(self, *args: Any, rep_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].widget = RepPicker(rep_choices)
        back, ahead = window()
        self.fields["effective_date"].help_text = (
            f"From {back} days before today to {ahead} days after; further back needs an "
            "administrator and a back-dating reason."
        )


class InterviewForm(forms.Form):
    interview_date = forms.DateField(
        label="Interview date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attendees = forms.CharField(label="Attendees", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in SECTION_LABELS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80})
            )


class WaiveForm(forms.Form):
    waiver_reason = forms.CharField(label="Waiver reason", widget=forms.Textarea(attrs={"rows": 2}))


class IdList(forms.Field):
    """Several values of one name (ticked boxes); the service checks what they name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in (value or [])]


class IntroduceForm(forms.Form):
    meeting_date = forms.DateField(label="Meeting date", widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label="Attendees", required=False, max_length=500)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contacts_met = IdList(label="Contacts who met the new rep", required=False)


class CompleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm: write the new ownership from the effective date",
        error_messages=CONFIRM_REQUIRED,
    )
    backdate_reason = forms.CharField(
        label="Back-dating reason (administrators)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Cancellation reason",
        required=False,  # the service says what a reason needs
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )
    confirm = forms.BooleanField(label="I confirm: cancel this transfer", error_messages=CONFIRM_REQUIRED)


class ReassignmentPlanForm(forms.Form):
    effective_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(choices=TRANSFER_REASONS, initial="departure")
