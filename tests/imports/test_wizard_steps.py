"""The import wizard's step logic without pages: the mapping form to YAML and back, the
starting points, the preview's fingerprint, the errors CSV (formula cells neutralised)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.imports.mapping.suggest import suggest
from bookwise.imports.parsers import RowError
from bookwise.imports.wizard import form, state, steps
from bookwise.imports.wizard.runs import error_lines
from bookwise.imports.wizard.steps import StepError, Table

HEADER = ["Invoice No", "Customer ID", "Invoice Date", "Net Amount (EUR)", "Product Group", "Type"]
SAMPLE = [dict(zip(HEADER, ["INV-1", "A1", "15.01.2025", "1.234,50", "Widgets", "Neu"], strict=True))]


def _post(**values: str) -> dict[str, str]:
    return {key.replace("__", "-"): value for key, value in values.items()}


def test_the_form_shows_the_suggestion_and_its_confidence():
    hint = suggest("orders", HEADER, SAMPLE)
    rows = {row.name: row for row in form.field_rows("orders", hint.data, hint)}
    assert rows["order_date"].source == "col:Invoice Date" and rows["order_date"].date == "DD.MM.YYYY"
    assert rows["order_date"].guess == "Invoice Date: 90 % (a usual name for it)"
    assert rows["amount"].decimal == "," and rows["amount"].confidence == 0.8
    assert rows["order_id"].source == "" and rows["order_id"].required and rows["order_id"].confidence is None
    assert rows["kind"].value_map == "Neu = "  # the source's value, to be filled in


def test_a_column_chosen_keeps_the_order_of_transforms_and_other_settings():
    data = {"kind": "orders", "fields": {"rep_id": {"column": "Owner", "slug": True, "case": "upper"}}}
    header = ["Owner", "Salesman"]
    same = form.apply_edits("orders", data, _post(rep_id__source="col:Owner", rep_id__case="lower"), header)
    assert same["fields"]["rep_id"] == {"column": "Owner", "slug": True, "case": "lower"}
    moved = form.apply_edits("orders", data, _post(rep_id__source="col:Salesman"), header)
    assert moved["fields"]["rep_id"] == {"column": "Salesman", "slug": True}  # case "" = as written


def test_constants_dates_money_and_value_maps():
    post = _post(
        kind__source="const",
        kind__const="new",
        order_date__source="col:Invoice Date",
        order_date__date="DD.MM.YYYY|excel",
        amount__source="col:Net Amount (EUR)",
        amount__decimal=",",
    )
    data = form.apply_edits("orders", {"kind": "orders", "fields": {}}, post, HEADER)
    assert data["fields"] == {
        "order_date": {"column": "Invoice Date", "date": ["DD.MM.YYYY", "excel"]},
        "amount": {"column": "Net Amount (EUR)", "money": {"decimal": ","}},
        "kind": {"value": "new"},
    }
    post = _post(stage__source="col:Stage", stage__map="Closed Won = won\nClosed Lost=lost\n\n")
    data = form.apply_edits("opportunities", {"fields": {}}, post, ["Stage"])
    assert data["fields"]["stage"]["map"] == {"Closed Won": "won", "Closed Lost": "lost"}


def test_a_combination_the_form_cannot_edit_is_kept():
    rule = {"columns": ["First", "Last"], "join": " ", "slug": True}
    data = {"kind": "reps", "fields": {"rep_id": rule}}
    rows = {row.name: row for row in form.field_rows("reps", data, None)}
    assert rows["rep_id"].source == "keep" and rows["rep_id"].source_label == "[First   Last]"
    assert rows["rep_id"].extra == ["slug: True"]
    kept = form.apply_edits("reps", data, _post(rep_id__source="keep"), ["First", "Last"])
    assert kept["fields"]["rep_id"] == rule


@pytest.mark.parametrize(
    ("post", "problem"),
    [
        (_post(order_id__source="col:Nope"), "order_id: 'Nope' is not a column of the file"),
        (_post(order_id__source="keep"), "order_id: 'keep' is not a column of the file"),
        (_post(kind__source="const"), "kind: a constant value needs the value"),
        (_post(order_date__source="col:Invoice Date", order_date__date="%d.%m"), "order_date: '%d.%m'"),
        (_post(amount__source="col:Net Amount (EUR)", amount__decimal=";"), "amount: decimal mark ';'"),
        (_post(product_line__source="col:Product Group", product_line__case="shout"), "product_line: case"),
        (_post(kind__source="col:Type", kind__map="Neu"), "kind: value map line 1 ('Neu') is not"),
    ],
)
def test_every_setting_is_checked(post, problem):
    with pytest.raises(StepError) as refused:
        form.apply_edits("orders", {"kind": "orders", "fields": {}}, post, HEADER)
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems


def test_start_from_refuses_what_is_not_listed(db, tmp_path):
    table = Table([], HEADER, SAMPLE)
    path = tmp_path / "m.yaml"
    path.write_text("kind: orders\nfields: {order_id: x, account_id: y, order_date: z, amount: w}\n")
    for choice in (str(path), f"saved:{path}", "preset:hubspot", "preset:nope"):
        with pytest.raises(StepError):
            steps.start_from(choice, "orders", table)  # hubspot has no orders
    text, source = steps.start_from("preset:odoo", "orders", table)
    assert source == "preset:odoo" and "order_partner_id/id" in text


def test_mapping_from_text_names_every_problem():
    with pytest.raises(StepError) as refused:
        steps.mapping_from_text("kind: orders\nfields: {order_id: x, nonsense: y}\n", "orders")
    assert "fields.nonsense: not a field of orders" in refused.value.problems[0]
    assert "the required field 'account_id' is not mapped" in " ".join(refused.value.problems)


def test_a_preview_counts_only_for_what_it_checked():
    entry = {"kind": "orders", "sheet": "", "yaml": "kind: orders\n", "ok": True, "checked": ""}
    entry["checked"] = state.fingerprint(entry)
    assert state.checked_ok(entry)
    assert not state.checked_ok({**entry, "yaml": "kind: orders\nfields: {}\n"})
    assert not state.checked_ok({**entry, "sheet": "Other"})
    assert not state.checked_ok({**entry, "ok": False})


def test_the_errors_csv_neutralises_formula_cells():
    errors = [RowError(3, '=HYPERLINK("x")', "'-1' is not a date"), RowError(0, "-", "the file is empty")]
    rows = error_lines("=evil.csv", errors)
    assert rows[0] == ["file", "line", "column", "error"]
    assert rows[1] == ["'=evil.csv", "3", '\'=HYPERLINK("x")', "''-1' is not a date"]
    assert rows[2] == ["'=evil.csv", "", "'-", "the file is empty"]


COLUMNS = ["Stage", "Close Date", "Amount", "Owner"]
_rules = st.fixed_dictionaries(
    {"column": st.sampled_from(COLUMNS)},
    optional={
        "date": st.sampled_from([*form.DATE_CHOICES, ["DD.MM.YYYY", "excel"]]),
        "case": st.sampled_from(form.CASES),
        "slug": st.just(True),
    },
)


@given(
    stage=st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"column": st.sampled_from(COLUMNS)},
            optional={
                "map": st.dictionaries(
                    st.sampled_from(["Won", "Lost", "Open"]),
                    st.sampled_from(["won", "lost", "prospecting"]),
                    min_size=1,
                )
            },
        ),
    ),
    closed=st.one_of(st.none(), _rules),
    amount=st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"column": st.sampled_from(COLUMNS)},
            optional={"money": st.sampled_from([{}, {"decimal": ","}, {"decimal": ",", "thousands": " "}])},
        ),
    ),
    constant=st.one_of(st.none(), st.sampled_from(["R01", "x y"])),
)
def test_submitting_the_form_unchanged_changes_nothing(stage, closed, amount, constant):
    """What the form shows, sent back as it is, gives the same mapping (property)."""
    fields = {
        "stage": stage,
        "closed_date": closed,
        "amount": amount,
        "rep_id": None if constant is None else {"value": constant},
    }
    data = {"kind": "opportunities", "fields": {k: v for k, v in fields.items() if v is not None}}
    post: dict[str, str] = {}
    for row in form.field_rows("opportunities", data, None):
        post |= {
            f"{row.name}-source": row.source,
            f"{row.name}-const": row.constant,
            f"{row.name}-date": row.date,
            f"{row.name}-decimal": row.decimal,
            f"{row.name}-case": row.case,
            f"{row.name}-map": row.value_map,
        }
    assert form.apply_edits("opportunities", data, post, COLUMNS) == data
