"""The agreement form of the pages (types only; the rules are the services')."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Agreement, AgreementKind

DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(forms.Form):
    agreement_id = forms.CharField(max_length=64, label="Agreement id")
    account = forms.CharField(max_length=64, label="Account id")
    kind = forms.ChoiceField(choices=AgreementKind.choices)
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(widget=DATE)
    committed_amount = forms.DecimalField(max_digits=16, decimal_places=2)
    committed_quantity = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    product_line = forms.CharField(max_length=120, required=False, help_text="Empty: every product line")
    include_subsidiaries = forms.BooleanField(required=False)
    price_terms = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notice_days = forms.IntegerField(initial=90, label="Notice period (days)")
    owner = forms.ChoiceField(required=False)
    document_ref = forms.CharField(max_length=200, required=False, label="Document reference")
    status = forms.ChoiceField(choices=[("draft", "Draft"), ("active", "Active")], initial="draft")
    renews = forms.CharField(max_length=64, required=False, label="Renews agreement (id)")

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, editing: bool = False,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", "—"), *(owners or [])]
        if editing:
            for name in ("agreement_id", "account", "status", "renews"):
                del self.fields[name]

    @staticmethod
    def initial_for(a: Agreement) -> dict[str, Any]:
        names = ("kind", "start_date", "end_date", "committed_amount", "committed_quantity", "product_line",
                 "include_subsidiaries", "price_terms", "notice_days", "document_ref")  # fmt: skip
        return {**{n: getattr(a, n) for n in names}, "owner": a.owner.external_id if a.owner else ""}
