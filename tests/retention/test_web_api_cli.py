import json
from io import StringIO

import pytest
from django.core.management import call_command

from .helpers import book

Q = "start=2026-01-01&end=2026-03-31"


def _cli(*args):
    out = StringIO()
    call_command("report", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_api_and_cli_and_page_agree_on_retention(org, login, admin_client):
    book(org)
    api = admin_client.get(f"/api/reports/retention?{Q}&by=territory").json()
    cli = _cli("retention", "--start", "2026-01-01", "--end", "2026-03-31", "--by", "territory")
    assert api == cli
    north = next(r for r in cli if r["group"] == "North")
    assert north["base_revenue"] == "450.00" and north["nrr"] == pytest.approx(200 / 450)
    assert north["grr"] == pytest.approx(1 / 3) and north["logo_retention"] == 0.5
    none = next(r for r in cli if r["group"] is None)
    assert none["grr"] is None and none["nrr"] is None and none["logo_retention"] is None
    page = admin_client.get(f"/retention/?{Q}&by=territory")
    assert page.status_code == 200
    groups = {g.group: g for g in page.context["groups"]}
    assert str(groups["North"].base_revenue) == north["base_revenue"]
    assert groups["North"].lost_accounts == north["lost_accounts"] == 2


@pytest.mark.django_db
def test_lost_tiers_gaps_agree(org, admin_client):
    book(org)
    cli = _cli("lost", "--start", "2026-01-01", "--end", "2026-03-31")
    assert cli == admin_client.get(f"/api/reports/lost-accounts?{Q}").json()
    assert [(r["account_id"], r["owner_id"], r["cause"], r["reason"]) for r in cli] == [
        ("A3", "R1", "unexplained", None),
        ("A4", "R1", "avoidable", "price"),
    ]
    page = admin_client.get(f"/retention/lost/?{Q}")
    assert [r.account.external_id for r in page.context["page_obj"]] == ["A3", "A4"]
    for kind, path in (("tiers", "tiers"), ("gaps", "gaps")):
        cli = _cli(kind, "--date", "2026-03-31")
        assert cli == admin_client.get(f"/api/reports/{path}?date=2026-03-31").json()
    tiers = {r["account_id"]: r for r in _cli("tiers", "--date", "2026-03-31")}
    assert set(tiers["A1"]) >= {"account_id", "tier", "t12m_revenue", "pinned"}


@pytest.mark.django_db
def test_cli_formats_defaults_and_errors(org, capsys):
    book(org)
    out = StringIO()
    call_command("report", "retention", "--by", "overall", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("group,base_accounts,retained_accounts")
    out = StringIO()
    call_command("report", "retention", "--start", "2026-01-01", "--end", "2026-03-31", stdout=out)
    assert "North" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("report", "retention", "--start", "2026-13-01", "--end", "2026-03-31")
    with pytest.raises(CommandError, match="both start and end"):
        call_command("report", "lost", "--start", "2026-01-01")


@pytest.mark.django_db
def test_api_scopes_retention_to_the_caller(org, login):
    book(org)
    r1 = login(org["R1"]).get(f"/api/reports/retention?{Q}&by=overall").json()
    assert r1[0]["base_revenue"] == "450.00"
    m2 = login(org["M2"]).get(f"/api/reports/retention?{Q}&by=overall").json()
    assert m2[0]["base_revenue"] == "300.00"
    r2 = login(org["R2"]).get(f"/api/reports/lost-accounts?{Q}").json()
    assert r2 == []
    assert login(org["R4"]).get("/api/reports/tiers?date=2026-03-31").json()[0]["account_id"] == "A7"


def test_api_requires_authentication(client, db):
    assert client.get("/api/reports/retention").status_code == 401
    response = client.get("/retention/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/retention/",
        "/retention/accounts/",
        "/retention/lost/",
        "/retention/tiers/",
        "/retention/gaps/",
        "/retention/at-risk/",
    ],
)
def test_pages_render_for_every_role(org, login, path):
    book(org)
    for who in ("D1", "M1", "R1", "R2"):
        response = login(org[who]).get(f"{path}?{Q}")
        assert response.status_code == 200, (who, path)


@pytest.mark.django_db
def test_page_shows_only_own_book(org, login):
    book(org)
    page = login(org["R4"]).get(f"/retention/?{Q}&by=territory")
    assert [g.group for g in page.context["groups"]] == ["South"]
    page = login(org["R4"]).get("/retention/tiers/")
    assert [r.account.external_id for r in page.context["page_obj"]] == ["A7"]
