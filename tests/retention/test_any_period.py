"""Any period on the retention reports: the data's default period and as-of date, the same
period forms on pages, API and CLI, their errors, and the warnings of a comparison over
incomplete data (page, JSON, CLI). The book is tests/retention/helpers.book: order lines in
2024-06 and from 2025-11 to 2026-03-31, nothing between 2024-07 and 2025-10."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.dates import parse_period
from bookwise.retention.coverage import book_extent, coverage, data_defaults, period_warnings
from tests import factories as f

from ..live.conftest import Clients
from .helpers import book

GAP_OCTOBER = "No order line in the whole book in 2025-10: data may be missing there."


def _cli(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_data_decides_the_default_period_and_as_of(org):
    assert data_defaults(date(2026, 12, 5)) == (parse_period("2026-Q3"), date(2026, 12, 5))  # no line yet
    book(org)
    assert book_extent() == (date(2024, 6, 1), date(2026, 3, 31))
    # the history ends with 2026-Q1: that is the default, as of its last day
    assert data_defaults(date(2026, 12, 5)) == (parse_period("2026-Q1"), date(2026, 3, 31))
    # while 2026-Q1 is the last quarter before today, the book is current: as of today
    assert data_defaults(date(2026, 5, 2)) == (parse_period("2026-Q1"), date(2026, 5, 2))


@pytest.mark.django_db
def test_warnings_name_the_missing_months_and_the_start_of_the_history(org):
    book(org)
    today = date(2026, 12, 5)
    q1 = parse_period("2026-Q1")  # P' = 2025-Q4: October has no line in the whole book
    assert coverage(q1).empty_months == (date(2025, 10, 1),)
    assert period_warnings(q1, today) == [GAP_OCTOBER]
    assert period_warnings(parse_period("2026-02"), today) == []  # January against February: whole
    start, gap = period_warnings(parse_period("2024-Q3"), today)  # P' = 2024-Q2; the book starts in June
    assert start.startswith("The book's history starts on 2024-06-01, inside the base period P′")
    assert gap == "No order line in the whole book in 2024-07, 2024-08, 2024-09: data may be missing there."
    year = period_warnings(parse_period("2026"), today)
    assert year[0].startswith("P (2026-01-01 – 2026-12-31) is not over yet")
    assert year[1].startswith("The book's history ends on 2026-03-31, inside P (2026-01-01 – 2026-12-31)")


@pytest.mark.django_db
def test_the_cli_takes_every_period_form_and_says_what_is_incomplete(org):
    book(org)
    by_label, _ = _cli("retention", "--period", "2026-Q1", "--by", "overall", "--format", "json")
    by_dates, err = _cli(
        "retention", "--start", "2026-01-01", "--end", "2026-03-31", "--by", "overall", "--format", "json"
    )
    assert by_label == by_dates and err == f"warning: {GAP_OCTOBER}\n"
    (row,) = json.loads(by_label)
    assert row["warnings"] == [GAP_OCTOBER] and row["base_revenue"] == "750.00"
    table, _ = _cli("retention", "--by", "overall")  # default: the data's last quarter, 2026-Q1
    assert (
        table.splitlines()[0] == "retention 2026-Q1" and table.splitlines()[-1] == f"warning: {GAP_OCTOBER}"
    )
    f.order(Account.objects.get(external_id="A8"), date(2025, 7, 2), "5")
    half, _ = _cli("retention", "--period", "2026-01-01..2026-06-30", "--by", "overall", "--format", "json")
    # P' = 2025-07-01..2025-12-31, six calendar months: A8's line of 2025-07-02 is in the base
    # (181 days back would start on 2025-07-04 and leave it out)
    assert json.loads(half)[0]["base_revenue"] == "755.00"
    for args, message in [
        (["--period", "2026-Q7"], "Period: '2026-Q7' is not a period"),
        (["--period", "2099"], "Period: 2099-01-01..2099-12-31 starts after today"),
        (["--period", "2026-Q1", "--start", "2026-01-01"], "not both"),
        (["--start", "2026-13-01", "--end", "2026-03-31"], "--start: '2026-13-01' is not a date"),
    ]:
        with pytest.raises(CommandError, match=message):
            _cli("retention", *args)
    with pytest.raises(CommandError, match="Date: 2099-01-01 is after today"):
        _cli("tiers", "--date", "2099-01-01")


@pytest.mark.django_db
def test_the_api_takes_the_same_forms_and_names_the_field(org, admin_client):
    book(org)
    by_label = admin_client.get("/api/reports/retention?period=2026-Q1&by=overall").json()
    assert (
        by_label
        == admin_client.get("/api/reports/retention?start=2026-01-01&end=2026-03-31&by=overall").json()
    )
    assert by_label[0]["warnings"] == [GAP_OCTOBER]
    assert admin_client.get("/api/reports/retention?by=overall").json() == by_label  # the data's default
    lost = admin_client.get("/api/reports/lost-accounts?period=2026-Q1").json()
    assert [r["account_id"] for r in lost] == ["A3", "A4"]
    for query, field, text in [
        ("period=2026-Q5", "period", "Period: '2026-Q5' is not a period"),
        ("period=2100-Q1", "period", "starts after today"),
        ("period=2026&start=2026-01-01", "period", "not both"),
        ("start=2026-01-01", "end", "both start and end"),
    ]:
        answer = admin_client.get(f"/api/reports/retention?{query}")
        assert answer.status_code == 422, query
        assert text in answer.json()["message"] and answer.json()["extra"]["field"] == field
    future = admin_client.get("/api/reports/tiers?date=2099-01-01")
    assert future.status_code == 422 and future.json()["extra"]["field"] == "date"


@pytest.mark.django_db
def test_the_retention_page_picks_a_period_and_warns_beside_the_figures(org, admin_client):
    book(org)
    page = admin_client.get("/retention/")  # the data's default, 2026-Q1
    assert page.context["period"] == parse_period("2026-Q1") and page.context["warnings"] == [GAP_OCTOBER]
    html = page.content.decode()
    assert 'class="warnings period-warnings"' in html and "2025-10" in html
    assert '<option value="2026-Q1" selected>2026-Q1</option>' in html
    february = admin_client.get("/retention/?period=2026-02&by=overall")
    assert february.context["period"].label == "2026-02" and february.context["warnings"] == []
    assert "period-warnings" not in february.content.decode()
    custom = admin_client.get("/retention/?period=custom&start=2026-01-01&end=2026-06-30&by=overall")
    assert custom.context["previous"].start == date(2025, 7, 1)
    listed_wins = admin_client.get("/retention/?period=2026-02&start=2020-01-01&end=2020-03-31")
    assert listed_wins.context["period"].label == "2026-02"
    bad = admin_client.get("/retention/?period=2026-Q9")
    assert bad.context["period"] == parse_period("2026-Q1")  # the default, with the error shown
    assert "Period: &#x27;2026-Q9&#x27; is not a period" in bad.content.decode()
    tabs = admin_client.get("/retention/lost/?period=2026-02").content.decode()
    assert "/retention/tiers/?start=2026-02-01&amp;end=2026-02-28&amp;as_of=2026-03-31" in tabs


@pytest.mark.django_db
def test_the_as_of_pages_default_to_the_data_and_refuse_the_future(org, admin_client):
    book(org)
    tiers = admin_client.get("/retention/tiers/")
    assert tiers.context["day"] == date(2026, 3, 31)  # the history stops in 2026-Q1
    assert admin_client.get("/retention/gaps/?date=2026-01-31").context["day"] == date(2026, 1, 31)
    risky = admin_client.get("/retention/at-risk/?as_of=2099-01-01")
    assert risky.context["day"] == date(2026, 3, 31)
    assert "As of: 2099-01-01 is after today" in risky.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_live_client_gets_the_period_and_its_errors(org, live_server):
    book(org)
    clients = Clients(live_server.url)
    try:
        api = clients.token(org["D1"].user)
        rows = api.get("/api/reports/retention", params={"period": "2026-q1", "by": "overall"}).json()
        assert rows[0]["warnings"] == [GAP_OCTOBER]
        answer: httpx.Response = api.get("/api/reports/lost-accounts", params={"period": "soon"})
        assert answer.status_code == 422
        assert answer.json()["message"].startswith("Period: 'soon' is not a period")
    finally:
        clients.close()
    assert timezone.localdate() >= date(2026, 3, 31)  # the book is in the past
