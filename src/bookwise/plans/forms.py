from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from .models import AccountPlan, Cadence, ObjectiveKind, ObjectiveStatus
from .services import PlanContent

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class NewPlanForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)


class PlanForm(forms.Form):
    situation = forms.CharField(required=False, widget=TEXTAREA)
    revenue_target = forms.DecimalField(required=False, max_digits=16, decimal_places=2, min_value=0)
    gp_target = forms.DecimalField(
        required=False, max_digits=16, decimal_places=2, min_value=0, label="Gross profit target"
    )
    growth_strategy = forms.CharField(required=False, widget=TEXTAREA)
    risks = forms.CharField(required=False, widget=TEXTAREA, label="Risks and obstacles")
    contacts = forms.CharField(required=False, widget=TEXTAREA, label="Key contacts and relationships")
    cadence = forms.ChoiceField(choices=Cadence.choices)

    @classmethod
    def initial_for(cls, plan: AccountPlan) -> dict[str, Any]:
        names = (
            "situation",
            "revenue_target",
            "gp_target",
            "growth_strategy",
            "risks",
            "contacts",
            "cadence",
        )
        return {name: getattr(plan, name) for name in names}


class _RowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(max_length=255)
    owner = forms.ChoiceField(required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", "—"), *(owners or [])]


class ObjectiveForm(_RowForm):
    # initial = what the select shows first, so a blank row left as it came counts as unchanged
    kind = forms.ChoiceField(choices=ObjectiveKind.choices, initial=ObjectiveKind.choices[0][0])
    target = forms.CharField(max_length=120, help_text="Amount, product line or department")
    status = forms.ChoiceField(choices=ObjectiveStatus.choices, initial="open")


class ActionForm(_RowForm):
    done = forms.BooleanField(required=False)


ObjectiveFormSet = forms.formset_factory(ObjectiveForm, extra=2, can_delete=True)
ActionFormSet = forms.formset_factory(ActionForm, extra=2, can_delete=True)


def _rows(formset: forms.BaseFormSet, reps: dict[str, Any]) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        row = {k: v for k, v in data.items() if k != "DELETE"}
        row["owner"] = reps.get(row.get("owner") or "")
        rows.append(row)
    return rows


def content_from(
    form: PlanForm, objectives: forms.BaseFormSet, actions: forms.BaseFormSet, reps: dict
) -> PlanContent:
    data = form.cleaned_data
    return PlanContent(
        situation=data["situation"],
        revenue_target=data["revenue_target"],
        gp_target=data["gp_target"],
        growth_strategy=data["growth_strategy"],
        risks=data["risks"],
        contacts=data["contacts"],
        cadence=data["cadence"],
        objectives=_rows(objectives, reps),
        actions=_rows(actions, reps),
    )


class ReviewForm(forms.Form):
    """Parses the review; what makes a review (notes that say something, a date between the
    plan's approval and today) is checked by services.review_record."""

    review_date = forms.DateField(initial=date.today, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4, "required": True}),
        help_text="What was discussed and how the plan stands (required).",
    )  # fmt: skip
    next_steps = forms.CharField(required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, objectives: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = objectives or []
        for obj in self.objectives:
            self.fields[f"status_{obj.pk}"] = forms.ChoiceField(
                choices=ObjectiveStatus.choices, initial=obj.status, label=obj.description
            )
            self.fields[f"note_{obj.pk}"] = forms.CharField(required=False, label="Progress")

    def progress(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"objective_id": o.pk, "status": data[f"status_{o.pk}"], "note": data[f"note_{o.pk}"]}
            for o in self.objectives
        ]

    def objective_fields(self) -> list[tuple[Any, Any, Any]]:
        return [(o, self[f"status_{o.pk}"], self[f"note_{o.pk}"]) for o in self.objectives]
