"""Issue #15's acceptance on the Maven sample (order lines 2017-03-01..2017-12-31): the
dashboard opened with no parameters shows 2017-Q4 with figures, as of 2017-12-31, and the
retention report warns on the partial base period of 2017-Q2 (P' = 2017-Q1, the history
starts on 2017-03-01). The CLI, run as a subprocess on its own database, says the same."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils.html import escape

from bookwise.core.dates import parse_period
from tests.maven import SAMPLE, load_maven, needs_maven

pytestmark = needs_maven
PARTIAL = "The book's history starts on 2017-03-01, inside the base period P′ (2017-01-01 – 2017-03-31)"


@pytest.mark.django_db
def test_the_dashboard_shows_the_last_quarter_of_2017(tmp_path, admin_client):
    load_maven(tmp_path)
    page = admin_client.get("/")
    h = page.context["h"]
    assert h.period == parse_period("2017-Q4") and h.today == date(2017, 12, 31)
    assert h.overall.base_accounts == 85 and h.overall.retained_accounts == 85
    assert str(h.overall.base_revenue) == "2982255.00" and h.warnings == []
    assert sum(n for n, _ in h.tier_mix.values()) == 85 and h.tier_mix["A"][0] > 0
    html = page.content.decode()
    assert "2017-Q4 (2017-12-31" not in html and "2017-Q4 (2017-10-01 – 2017-12-31) against 2017-Q3" in html
    assert '<option value="2017-Q4" selected>2017-Q4</option>' in html
    q2 = admin_client.get("/?period=2017-Q2").context["h"]
    assert q2.period.label == "2017-Q2" and q2.warnings[0].startswith(PARTIAL)
    retention = admin_client.get("/retention/?period=2017-Q2&by=overall")
    assert retention.context["warnings"][0].startswith(PARTIAL)
    assert escape(PARTIAL) in retention.content.decode()


def test_the_cli_reports_2017_and_warns_on_the_partial_base(cli):
    cli("convert", "maven-crm", str(SAMPLE), "out", check=True)
    for kind in ("reps", "accounts", "opportunities", "orders"):
        cli("import", kind, f"out/{kind}.csv", check=True)
    table = cli("report", "retention", "--by", "overall", check=True).stdout.splitlines()
    assert table[0] == "retention 2017-Q4" and not any(line.startswith("warning") for line in table)
    json_args = ("--period", "2017-Q2", "--by", "overall", "--format", "json")
    done = cli("report", "retention", *json_args, check=True)
    (row,) = json.loads(done.stdout)
    assert row["nrr"] > 2 and row["warnings"][0].startswith(PARTIAL)  # an inflated NRR, said so
    assert done.stderr.startswith(f"warning: {PARTIAL}")
    refused = cli("report", "lost", "--period", "2017-Q5")
    assert refused.returncode == 1 and "Period: '2017-Q5' is not a period" in refused.stderr
