"""The accounts list's search/filter/sort form (GET): validated, then turned into
`AccountFilters` for `selectors.account_list`."""

from __future__ import annotations

from typing import Any

from django import forms

from bookwise.people.models import Rep, Territory
from bookwise.people.selectors import rep_list

from .models import AccountStatus
from .selectors import SORTS, AccountFilters

TIERS = [("", "Any tier"), ("A", "A"), ("B", "B"), ("C", "C")]


class AccountFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    territory = forms.ModelChoiceField(
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label="Any territory",
        to_field_name="name",
    )
    owner = forms.CharField(required=False, max_length=64, label="Owner (rep id)")
    status = forms.ChoiceField(choices=[("", "Any status"), *AccountStatus.choices], required=False)
    tier = forms.ChoiceField(choices=TIERS, required=False)
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_owner(self) -> Rep | None:
        """The owner filter takes a rep id among the reps the user may see; another id
        filters to nothing rather than saying whether that rep exists."""
        value = self.cleaned_data["owner"].strip()
        if not value:
            return None
        rep = rep_list(user=self.user).filter(external_id=value).first()
        return rep or Rep(id=0, external_id=value)

    def filters(self) -> AccountFilters:
        data = self.cleaned_data if self.is_valid() else {}
        territory = data.get("territory")
        owner = data.get("owner")
        return AccountFilters(
            search=(data.get("q") or "").strip(),
            territory_id=territory.pk if territory else None,
            owner_id=(owner.pk if owner and owner.pk else -1) if owner else None,
            status=data.get("status") or "",
        )

    @property
    def chosen_sort(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or "name"

    @property
    def chosen_tier(self) -> str:
        return (self.cleaned_data.get("tier") if self.is_valid() else "") or ""
