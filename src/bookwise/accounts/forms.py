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
from bookwise.people.pickers import PickError, find_rep

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
