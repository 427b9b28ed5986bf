"""The customer's people and who on the sales side knows them."""

from __future__ import annotations

from django.db import models

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel
from bookwise.people.models import Rep


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", "Decision maker"
    INFLUENCER = "influencer", "Influencer"
    USER = "user", "User"
    FINANCE = "finance", "Finance"
    PROCUREMENT = "procurement", "Procurement"


class Strength(models.TextChoices):
    MET = "met", "Met"
    REGULAR = "regular", "Regular"
    STRONG = "strong", "Strong"


class Source(models.TextChoices):
    MANUAL = "manual", "Entered"
    IMPORT = "import", "Imported"
    INTRODUCTION = "introduction", "Handoff introduction"


class Contact(BaseModel):
    """One person at the customer."""

    external_id = models.CharField("contact id", max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    buying_role = models.CharField("role in buying", max_length=20, choices=BuyingRole.choices)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    left = models.BooleanField("left the company", default=False)

    class Meta:
        ordering = ["account_id", "name", "id"]
        indexes = [models.Index(fields=["account", "buying_role"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class Relationship(BaseModel):
    """A rep knows a contact, this well (entered, imported or met at a handoff introduction)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="relationships")
    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="contact_relationships")
    strength = models.CharField(max_length=10, choices=Strength.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["contact_id", "rep_id"]
        constraints = [models.UniqueConstraint(fields=["contact", "rep"], name="relationship_one_per_rep")]

    def __str__(self) -> str:
        return f"{self.rep_id} knows {self.contact_id} ({self.strength})"
