"""The rebalance pages through Django's test client (units: who may open what, what the forms
refuse, what the pages say; tests/browser/test_rebalance_flow.py drives them in a browser).
The team is tests/rebalance/world.py's: R1 holds 8 C accounts, R5 none, hunter R2 none."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from bookwise.jobs.models import Job
from bookwise.rebalance import queued, views
from bookwise.rebalance.models import RebalanceLine, RebalanceProposal
from bookwise.transfers.models import Transfer
from tests.rebalance.world import team
from tests.transfers.helpers import draft

TODAY = timezone.localdate()
SCENARIOS = {
    "scope": "team:M1",
    "s1_on": "on", "s1_max_moves": "1", "s1_tolerance": "10", "s1_keep_territory": "off",
    "s2_on": "on", "s2_max_moves": "", "s2_tolerance": "10 %", "s2_keep_territory": "hard",
    "s3_max_moves": "", "s3_tolerance": "", "s3_keep_territory": "off",
}  # fmt: skip


@pytest.fixture
def world(org):
    return team(org)


def propose(client, **changes):
    return client.post("/rebalance/", {**SCENARIOS, **changes})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_navigation_offers_rebalance_to_managers_and_directors_only(world, login):
    for who in ("M1", "D1"):
        assert 'href="/rebalance/"' in login(world[who]).get("/rebalance/").content.decode()
    assert 'href="/rebalance/"' not in login(world["R1"]).get("/accounts/").content.decode()


def test_a_manager_is_offered_their_team_a_director_every_scope(world, login):
    page = text(login(world["M1"]).get("/rebalance/"))
    assert '<option value="team:M1">Team of Rep M1</option>' in page
    assert 'value="all"' not in page and "team:M2" not in page
    page = text(login(world["D1"]).get("/rebalance/"))
    for option in ('value="all">The whole company', 'value="region:East">Region East',
                   'value="territory:North">Territory North', 'value="team:M2">Team of Rep M2'):  # fmt: skip
        assert option in page


def test_two_scenarios_proposed_compared_side_by_side(world, login):
    client = login(world["M1"])
    answer = propose(client)
    made = list(RebalanceProposal.objects.order_by("id"))
    assert len(made) == 2 and made[0].batch == made[1].batch
    assert answer.status_code == 302 and answer["Location"] == f"/rebalance/compare/{made[0].batch}/"
    page = text(client.get(answer["Location"]))
    assert "Rebalance of Team of Rep M1: 2 scenarios" in page
    assert "Up to 1 moves, tolerance 10%" in page and "Unlimited moves, tolerance 10%" in page
    # the hand-worked team (docs/rebalance.md): unlimited moves, 3 moves, objective 46, gap 0;
    # load ratios after 0.5, 0.3 and 0 (hunter R2): mean 0.2667, population sd 0.2055, CV 0.771
    row = re.search(rf'data-proposal="{made[1].pk}">(.*?)</tr>', page).group(1)
    cells = [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    bound = "the whole problem: HiGHS on the full model, and the aggregated relaxation"
    assert cells[1:9] == ["3", "0.00", "80 % → 50 %", "1.414 → 0.771", "46.0", "46.0", "0.00 %", bound]
    assert cells[10] == "90.0"  # doing nothing: 10 x (5 + 2 + 2)
    assert page.count('class="chart"') == 2 and "Balance against revenue moved" in page


def test_the_proposal_page_names_people_and_formats_figures(world, login):
    client = login(world["M1"])
    propose(client, s1_on="")
    p = RebalanceProposal.objects.get()
    page = text(client.get(f"/rebalance/{p.pk}/"))
    assert "Customer AC-0" in page and "Rep R1" in page and "Rep R5" in page
    assert page.count('<tr id="line-') == 3
    assert "8.00 pts · 80 %" in page and "5.00 pts · 50 %" in page  # R1 before and after
    assert "Load per rep (points), before and after" in page
    # the select offers the eligible reps by name, not the owner, not the hunter (old accounts)
    select = re.search(r'<select name="to"[^>]*>(.*?)</select>', page).group(1)
    assert re.findall(r">(.*?)</option>", select) == ["Rep R5 (30 % loaded after)"]


def test_bad_scenarios_are_refused_in_words_and_nothing_is_proposed(world, login):
    client = login(world["M1"])
    cases = [
        (
            {"s1_tolerance": "abc"},
            "Scenario 1: Tolerance (%): &#x27;abc&#x27; is not a percentage from 0 to 100",
        ),
        ({"s2_max_moves": "-3"}, "Scenario 2: Most moves: &#x27;-3&#x27; is not a whole number"),
        ({"s1_max_revenue_moved": "-"}, "Scenario 1: Most revenue moved: &#x27;-&#x27; is not a number."),
        ({"s1_on": "", "s2_on": ""}, "Tick at least one scenario to propose."),
        ({"scope": "all"}, "Select a valid choice. all is not one of the available choices."),
    ]
    for changes, message in cases:
        answer = propose(client, **changes)
        assert answer.status_code == 400 and message in answer.content.decode(), changes
    assert not RebalanceProposal.objects.exists()


def test_reps_are_refused_and_other_teams_do_not_exist(world, login):
    propose(login(world["M1"]))
    p = RebalanceProposal.objects.order_by("id").last()
    line = p.lines.first()
    rep = login(world["R1"])
    for url in ("/rebalance/", f"/rebalance/{p.pk}/", f"/rebalance/compare/{p.batch}/"):
        assert rep.get(url).status_code == 403
    assert propose(rep).status_code == 403
    other = login(world["M2"])
    assert other.get(f"/rebalance/{p.pk}/").status_code == 404
    assert other.get(f"/rebalance/compare/{p.batch}/").status_code == 404
    for action in (f"lines/{line.pk}/remove/", f"lines/{line.pk}/", "commit/", "discard/"):
        data = {"to": "R5", "effective_date": TODAY.isoformat(), "confirm": "on"}
        assert other.post(f"/rebalance/{p.pk}/{action}", data).status_code == 404
    assert p.lines.count() == 3 and not Transfer.objects.exists()
    p.refresh_from_db()
    assert p.state == "draft"


def test_a_move_removed_and_given_to_another_rep(world, login):
    client = login(world["M1"])
    propose(client, s1_on="")
    p = RebalanceProposal.objects.get()
    first, second = p.lines.order_by("account__name")[:2]
    answer = client.post(f"/rebalance/{p.pk}/lines/{first.pk}/remove/", {"page": "1"}, follow=True)
    assert f"{first.account.name} was removed from the proposal; it stays with Rep R1." in text(answer)
    assert not RebalanceLine.objects.filter(pk=first.pk).exists()
    refused = client.post(f"/rebalance/{p.pk}/lines/{second.pk}/", {"to": "R3"}, follow=True)  # another team
    assert "Pick the rep who takes the account from the list" in text(refused)
    refused = client.post(f"/rebalance/{p.pk}/lines/{second.pk}/", {"to": "R2"}, follow=True)  # a hunter
    assert "Rep R2 is a hunter" in text(refused)
    second.refresh_from_db()
    assert second.to_rep == world["R5"] and not second.edited


def test_commit_asks_for_confirmation_names_the_blocking_line_then_creates_the_transfers(world, login):
    client = login(world["M1"])
    propose(client, s1_on="")
    p = RebalanceProposal.objects.get()
    unconfirmed = client.post(f"/rebalance/{p.pk}/commit/", {"effective_date": TODAY.isoformat()})
    assert unconfirmed.status_code == 400 and "tick the box to confirm" in text(unconfirmed)
    blocked = p.lines.order_by("account__external_id")[1]
    handmade = draft(world, blocked.account, to_key="R5")
    refused = client.post(
        f"/rebalance/{p.pk}/commit/", {"effective_date": TODAY.isoformat(), "confirm": "on"}
    )
    page = text(refused)
    assert refused.status_code == 400
    name, ref = blocked.account.name, blocked.account.external_id
    assert f"{name} ({ref}) from Rep R1 to Rep R5: the account already has an open transfer" in page
    assert (
        f'data-account="{blocked.account.external_id}" class="blocking"' in page
        and "blocks the commit" in page
    )
    assert list(Transfer.objects.all()) == [handmade]
    handmade.delete()
    done = client.post(
        f"/rebalance/{p.pk}/commit/", {"effective_date": TODAY.isoformat(), "confirm": "on"}, follow=True
    )
    page = text(done)
    assert "3 transfers drafted from the rebalance proposal." in page and "Committed" in page
    assert Transfer.objects.filter(reason="rebalance", to_rep=world["R5"]).count() == 3
    assert page.count("Transfer of Customer AC-0") == 3


def test_a_large_scope_is_solved_on_the_job_queue(world, login, monkeypatch):
    """With the threshold at zero every batch is queued; the tests' queue runs jobs in the
    caller, so the job is done when the page answers and its result links to the comparison."""
    monkeypatch.setattr(views, "IN_REQUEST_ACCOUNTS", 0)
    client = login(world["M1"])
    answer = propose(client)
    made = list(RebalanceProposal.objects.order_by("id"))
    job = Job.objects.get()
    assert len(made) == 2 and answer["Location"] == f"/rebalance/compare/{made[0].batch}/" == job.link
    assert (job.name, job.state, job.user) == ("rebalance_propose", Job.DONE, world["M1"].user)
    assert job.result == "Rebalance of Team of Rep M1: 2 scenarios ready to compare."
    assert queued.batch_state(made[0].batch) is None


def test_the_comparison_says_solving_while_the_queue_works_and_shows_a_failure(world, login):
    batch = "b" * 32
    queued._set(batch, state="solving", done=1, total=3, scope_label="Team of Rep M1",
                user_id=world["M1"].user.pk, job_url="/jobs/#job-7")  # fmt: skip
    client = login(world["M1"])
    page = text(client.get(f"/rebalance/compare/{batch}/"))
    assert "Solving the rebalance of Team of Rep M1" in page and "1 of 3 scenarios solved" in page
    assert '<meta http-equiv="refresh" content="3">' in page and 'href="/jobs/#job-7"' in page
    assert login(world["M2"]).get(f"/rebalance/compare/{batch}/").status_code == 404
    params = {"scope": "team:M2", "day": TODAY.isoformat(), "split": False, "batch": batch,
              "scenarios": [{"max_moves": None}]}  # fmt: skip
    with pytest.raises(Exception, match="no rep with that id"):
        queued.run_queued(params, lambda done, total: None, world["M1"].user)  # not M1's team
    page = text(client.get(f"/rebalance/compare/{batch}/"))
    assert "The rebalance of Team of Rep M1 failed" in page and "Scope: no rep with that id." in page
    assert "refresh" not in page
