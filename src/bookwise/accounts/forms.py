"""The accounts list's search/filter/sort form (GET): validated, then turned into
`AccountFilters` for `selectors.account_list`."""

from __future__ import annotations

from typing import Any

from django import forms

from bookwise.people.models import Rep, Territory
from bookwise.people.pickers import PickError, find_rep

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
    owner = forms.CharField(required=False, max_length=200, label="Owner")
    status = forms.ChoiceField(choices=[("", "Any status"), *AccountStatus.choices], required=False)
    tier = forms.ChoiceField(choices=TIERS, required=False)
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_owner(self) -> Rep | None:
        """The owner filter takes a name (typed or picked) or a rep id, among the reps the
        user may see; one that matches nobody or several says so (never whether a rep
        outside the user's view exists)."""
        try:
            return find_rep(user=self.user, text=self.cleaned_data["owner"])
        except PickError as exc:
            raise forms.ValidationError(str(exc)) from None

    def filters(self) -> AccountFilters:
        """The valid filters; an owner that names nobody (or several) filters to nothing,
        next to its message, rather than silently showing every account."""
        data = self._valid_fields()
        territory = data.get("territory")
        owner = data.get("owner")
        refused = self.is_bound and "owner" in self.errors
        return AccountFilters(
            search=(data.get("q") or "").strip(),
            territory_id=territory.pk if territory else None,
            owner_id=-1 if refused else (owner.pk if owner else None),
            status=data.get("status") or "",
        )

    def _valid_fields(self) -> dict[str, Any]:
        """The fields that passed (one bad field does not drop the others)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    @property
    def chosen_sort(self) -> str:
        return self._valid_fields().get("sort") or "name"

    @property
    def chosen_tier(self) -> str:
        return self._valid_fields().get("tier") or ""
