"""The account page's contact forms. They parse types only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import BuyingRole, Strength


class ContactForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    title = forms.CharField(label="Title", max_length=200, required=False)
    buying_role = forms.ChoiceField(label="Role in buying", choices=BuyingRole.choices)
    email = forms.CharField(label="Email", max_length=254, required=False)
    phone = forms.CharField(label="Phone", max_length=50, required=False)
    left = forms.BooleanField(label="Left the company", required=False)


class RelationshipForm(forms.Form):
    contact = forms.ChoiceField(label="Contact")
    rep = forms.ChoiceField(label="Rep")
    strength = forms.ChoiceField(label="How well", choices=Strength.choices)

    def __init__(
        self, *args: Any, contacts: list[tuple[str, str]], reps: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"] = forms.ChoiceField(label="Contact", choices=contacts)
        self.fields["rep"] = forms.ChoiceField(label="Rep", choices=reps)
