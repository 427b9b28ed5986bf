"""Property: every commissions API write fed nonsense (periods not started or before the
first plan, junk labels, placeholder and unicode-junk text, negative, huge, NaN and
fractional amounts) answers a 4xx with a message and changes nothing: no run, run state,
dispute or audit entry."""

from __future__ import annotations

import json
from datetime import date

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from bookwise.commissions.models import Dispute, Run
from bookwise.commissions.services import run_approve, run_compute
from bookwise.core.models import AuditEntry
from tests import factories as f
from tests.commissions.helpers import load_plans
from tests.properties import examples

TODAY = timezone.localdate()
FIRST_PLAN = date(2026, 1, 1)  # load_plans: valid from 2026-01-01
REASON = "Agreed with the rep's manager."

JUNK = st.one_of(
    st.sampled_from(["", " ", ".", "-", "x", "xx", "n/a", "N/A", "tbd", "?", "—", "...", "\t\n", "TODO"]),
    st.text(st.characters(categories=["P", "S", "Zs"]), max_size=20),
)
FUTURE_YEARS = st.integers(TODAY.year + 1, 9999)
PAST_YEARS = st.integers(1, FIRST_PLAN.year - 1)
PERIODS = st.one_of(
    FUTURE_YEARS.map(str), PAST_YEARS.map(lambda y: f"{y:04d}"),
    st.tuples(FUTURE_YEARS | PAST_YEARS, st.integers(1, 4)).map(lambda t: f"{t[0]:04d}-Q{t[1]}"),
    st.tuples(FUTURE_YEARS | PAST_YEARS, st.integers(1, 12)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"),
    st.sampled_from(["2026-Q5", "2026-Q0", "2026-13", "2026-00", "0000", "26-Q1", "Q1-2026", "2026-W01"]),
    JUNK, st.text(max_size=12),
)  # fmt: skip
AMOUNTS = st.one_of(
    st.decimals(max_value="-0.01", places=2, allow_nan=False).map(str),  # negative, not a clawback
    st.decimals(min_value="30.41", max_value=10**20, places=2, allow_nan=False).map(str),  # > 10 x 3.04
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "3.045", "0.001", "", "abc", "1,000.00", "-0"]),
    st.just(None),
)  # fmt: skip

settings.register_profile(
    "nonsense", max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck)
)
NONSENSE = settings.get_profile("nonsense")


@st.composite
def bad_resolutions(draw) -> dict:
    """A resolution with exactly one thing wrong (amount "-0" is 0: refused with no reason)."""
    body = {"decision": "accepted", "amount": "3.00", "reason": REASON}
    wrong = draw(st.sampled_from(["decision", "reason", "amount", "clawback", "flags"]))
    if wrong == "decision":
        body["decision"] = draw(JUNK | st.sampled_from(["accept", "ACCEPTED", "yes", "paid"]))
    elif wrong == "reason":
        body["reason"] = draw(JUNK)
        body["decision"] = draw(st.sampled_from(["accepted", "rejected"]))
    elif wrong == "amount":
        body["amount"] = draw(AMOUNTS)
        if body["amount"] == "-0":
            body["reason"] = "."
    elif wrong == "clawback":  # a clawback is entered as 0 or more, within the limit too
        body.update(clawback=True, amount=draw(AMOUNTS.filter(lambda a: a != "-0")))
    else:
        body.update(clawback=draw(st.sampled_from(["maybe", 2, [1]])))
    return body


def _state() -> tuple:
    return (
        list(Run.objects.values_list("pk", "period", "status")),
        list(Dispute.objects.values_list("pk", "status", "amount", "resolution", "comment")),
        AuditEntry.objects.count(),
    )


class CommissionWritesRefuseNonsense(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = f.org()
        load_plans()
        a1 = f.account("A1", owner=cls.org["R1"])
        f.order(a1, date(2026, 1, 10), "60.80", external_id="O1")  # a 3.04 line, disputed
        f.order(a1, date(2026, 2, 10), "100.00", external_id="O2")  # not disputed yet
        run = run_approve(run=run_compute(period="2026-Q1"), actor=None)
        cls.statement = run.statements.get(rep=cls.org["R1"])
        cls.dispute = Dispute.objects.create(statement=cls.statement, order_id="O1", comment="It was more")
        cls.future = Run.objects.create(period=f"{TODAY.year + 5}-Q1")  # computed before the rule

    def _post(self, who: str, path: str, body: object):
        self.client.force_login(self.org[who].user)
        before = _state()
        response = self.client.post(path, json.dumps(body), content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code, response.content)
        assert response.json()["message"].strip(), body
        assert _state() == before, body
        return response

    @NONSENSE
    @given(PERIODS)
    def test_runs(self, period) -> None:
        response = self._post("D1", "/api/commissions/runs", {"period": period})
        assert response.status_code == 422 and response.json()["message"].startswith("Period: ")

    def test_a_run_of_a_period_not_started_is_not_approved(self) -> None:
        response = self._post("D1", f"/api/commissions/runs/{self.future.pk}/approve", {})
        assert "has not started yet" in response.json()["message"]

    @NONSENSE
    @given(JUNK, st.sampled_from(["O2", "O2", "O2", "", "O2 ", "nope", "' OR 1=1 --"]))
    def test_disputes(self, comment, order_id) -> None:
        path = f"/api/commissions/statements/{self.statement.pk}/disputes"
        self._post("R1", path, {"order_id": order_id, "comment": comment})

    @NONSENSE
    @given(bad_resolutions())
    def test_resolutions(self, body) -> None:
        self._post("M1", f"/api/commissions/disputes/{self.dispute.pk}/resolve", body)

    def test_a_sensible_resolution_still_goes_through(self) -> None:
        self.client.force_login(self.org["M1"].user)
        body = json.dumps({"decision": "accepted", "amount": "3.00", "reason": REASON})
        path = f"/api/commissions/disputes/{self.dispute.pk}/resolve"
        response = self.client.post(path, body, content_type="application/json")
        assert response.status_code == 200 and response.json()["amount"] == "3.00", response.content
