"""The accounts list's search/filter/sort form (GET): validated, then turned into
`AccountFilters` for `selectors.account_list`; and the admin's account form, which checks
an account's values by the rules of `services` (the same as the import's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from bookwise.core.validation import InvalidValue
from bookwise.people.models import Rep, Territory
from bookwise.people.selectors import rep_list

from .models import Account, AccountStatus
from .selectors import SORTS, AccountFilters
from .services import check_created_date, check_lost, check_potential

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


class AccountAdminForm(forms.ModelForm):
    """The Django admin's account form: potential, created date and, for a lost account, its
    lost date and reason follow the rules of accounts.services."""

    class Meta:
        model = Account
        fields = [
            "external_id",
            "name",
            "industry",
            "territory",
            "parent",
            "created_date",
            "potential_revenue",
            "status",
            "lost_date",
            "lost_reason",
        ]

    def clean_potential_revenue(self) -> Decimal | None:
        return _rule(check_potential, self.cleaned_data.get("potential_revenue"))

    def clean_created_date(self) -> date | None:
        return _rule(check_created_date, self.cleaned_data.get("created_date"), timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == AccountStatus.LOST and self.instance.pk and not self.errors:
            try:
                check_lost(
                    self.instance,
                    reason=data.get("lost_reason") or "",
                    lost_date=data.get("lost_date"),
                    today=timezone.localdate(),
                )
            except InvalidValue as exc:
                self.add_error(exc.extra["field"], exc.message)
        return data


def _rule(check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except InvalidValue as exc:
        raise forms.ValidationError(exc.message) from None
