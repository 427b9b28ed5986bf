"""The rebalance pages' forms. They parse what was typed; the meaning of each setting (a
tolerance from 0 to 1, whole numbers of moves, a revenue not below zero) is checked by
`options.scenario_settings`, the same for the page, the API and the command line."""

from __future__ import annotations

from typing import Any

from django import forms

from bookwise.core.errors import ApplicationError
from bookwise.core.validation import InvalidValue

from .options import scenario_settings
from .problem import Settings

SCENARIOS = 3
DEFAULT_MOVES = ("50", "200", "")  # e.g. 50, 200 and unlimited moves
TERRITORY = [
    ("off", "No: any rep of the scope"),
    ("soft", "Preferably (a cost per point moved out)"),
    ("hard", "Yes: only to a rep of the account's territory"),
]
BALANCE = [("", "Workload only"), ("revenue", "Revenue too"), ("potential", "Potential too")]
CONFIRM_COMMIT = "I confirm: create these transfers (this cannot be undone)"
CONFIRM_DISCARD = "I confirm: discard this proposal"


def _scenario_fields(n: int) -> dict[str, forms.Field]:
    text = {"size": 8, "inputmode": "decimal"}
    return {
        f"s{n}_on": forms.BooleanField(label=f"Propose scenario {n}", required=False),
        f"s{n}_max_moves": forms.CharField(
            label=f"Scenario {n}: most accounts moved", required=False, max_length=12,
            widget=forms.TextInput(attrs={**text, "placeholder": "unlimited"}),
        ),
        f"s{n}_max_moves_per_rep": forms.CharField(
            label=f"Scenario {n}: most moves per rep", required=False, max_length=12,
            widget=forms.TextInput(attrs={**text, "placeholder": "unlimited"}),
        ),
        f"s{n}_max_revenue_moved": forms.CharField(
            label=f"Scenario {n}: most revenue moved", required=False, max_length=20,
            widget=forms.TextInput(attrs={**text, "placeholder": "unlimited"}),
        ),
        f"s{n}_tolerance": forms.CharField(
            label=f"Scenario {n}: tolerance (%)", required=False, max_length=8,
            widget=forms.TextInput(attrs=text),
        ),
        f"s{n}_keep_territory": forms.ChoiceField(label=f"Scenario {n}: keep territory", choices=TERRITORY),
        f"s{n}_balance": forms.ChoiceField(
            label=f"Scenario {n}: also balance", choices=BALANCE, required=False
        ),
        f"s{n}_balance_tolerance": forms.CharField(
            label=f"Scenario {n}: within (%)", required=False, max_length=8,
            widget=forms.TextInput(attrs={**text, "placeholder": "15"}),
        ),
    }  # fmt: skip


class ProposeForm(forms.Form):
    """A scope and up to three scenarios solved on the same input."""

    scope = forms.ChoiceField(label="Scope")
    split_families = forms.BooleanField(
        label="Allow a parent and its subsidiaries to be split", required=False
    )

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = scopes
        for n in range(1, SCENARIOS + 1):
            for name, field in _scenario_fields(n).items():
                field.widget.attrs["aria-label"] = field.label  # the table's cells have no <label>
                self.fields[name] = field
            self.initial.setdefault(f"s{n}_on", True)
            self.initial.setdefault(f"s{n}_max_moves", DEFAULT_MOVES[n - 1])
            self.initial.setdefault(f"s{n}_tolerance", "10")

    def rows(self) -> list[list[forms.BoundField]]:
        """The scenario fields, one row per scenario (for the page's table)."""
        names = (
            "on", "max_moves", "max_moves_per_rep", "max_revenue_moved", "tolerance", "keep_territory",
            "balance", "balance_tolerance",
        )  # fmt: skip
        return [[self[f"s{n}_{name}"] for name in names] for n in range(1, SCENARIOS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [n for n in range(1, SCENARIOS + 1) if data.get(f"s{n}_on")]
        if not chosen:
            raise forms.ValidationError("Tick at least one scenario to propose.")
        scenarios = []
        for n in chosen:
            try:
                scenarios.append(self._settings(n, data))
            except ApplicationError as error:  # named on the form: "Scenario 2: Most moves: ..."
                self.add_error(None, f"Scenario {n}: {error.message}")
        data["scenarios"] = scenarios
        return data

    def _settings(self, n: int, data: dict[str, Any]) -> Settings:
        return scenario_settings(
            tolerance=_percent(data, f"s{n}_tolerance", "Tolerance (%)"),
            max_moves=data.get(f"s{n}_max_moves"),
            max_moves_per_rep=data.get(f"s{n}_max_moves_per_rep"),
            keep_territory=data.get(f"s{n}_keep_territory") or "off",
            max_revenue_moved=(data.get(f"s{n}_max_revenue_moved") or "").replace(",", "").strip(),
            balance=data.get(f"s{n}_balance") or None,
            balance_tolerance=_percent(data, f"s{n}_balance_tolerance", "Balance within (%)", "15"),
        )  # fmt: skip


def _percent(data: dict[str, Any], name: str, label: str, default: str = "") -> str:
    """A percentage typed (10 or 10 %; empty: `default`), as a share (0.1)."""
    typed = (data.get(name) or "").strip() or default
    try:
        percent = float(typed.rstrip("%").strip())
    except ValueError:
        percent = -1.0
    if not 0 <= percent <= 100:  # also NaN
        raise InvalidValue(label, f"{typed!r} is not a percentage from 0 to 100 (e.g. 10).")
    return str(percent / 100)


class CommitForm(forms.Form):
    effective_date = forms.DateField(label="Effective date", widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(
        label=CONFIRM_COMMIT,
        error_messages={"required": "tick the box to confirm: committing cannot be undone."},
    )
