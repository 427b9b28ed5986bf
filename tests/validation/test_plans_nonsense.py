"""Property: every plans API write fed nonsense (far dates, junk dates, placeholders for
answers, unicode junk, years far off, negative and huge numbers) answers a 4xx with a
message, and changes nothing: no plan, review, objective status or audit entry."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from bookwise.core.models import AuditEntry
from bookwise.plans.models import AccountPlan, PlanObjective, PlanReview
from tests import factories
from tests.plans.helpers import approved, book
from tests.properties import examples

TODAY = timezone.localdate()
APPROVED_ON = date(2026, 1, 31)
NOTES = "Orders in line with the plan."

#: text that is no answer: placeholders, blanks, and runs of punctuation, symbols and spaces
JUNK = st.one_of(
    st.sampled_from(["", " ", ".", "-", "x", "xx", "n/a", "N/A", "tbd", "?", "—", "...", "\t\n", "TODO"]),
    st.text(st.characters(categories=["P", "S", "Zs"]), max_size=20),
)
FAR_DATES = st.one_of(
    st.dates(max_value=APPROVED_ON - timedelta(days=1)),  # before the approval (2001, 1999, year 1)
    st.dates(min_value=TODAY + timedelta(days=1)),  # in the future (2030, 9999)
).map(date.isoformat)
JUNK_DATES = st.one_of(
    st.sampled_from(["", "2026-13-01", "2026-02-30", "31/12/2026", "tomorrow", "0000-00-00", "-1"]),
    st.text(max_size=12),
)
HUGE = st.one_of(st.integers(max_value=-1), st.integers(min_value=10**6))

settings.register_profile(
    "nonsense", max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck)
)
NONSENSE = settings.get_profile("nonsense")


def _good_review(objective_id: int) -> dict:
    return {"review_date": TODAY.isoformat(), "notes": NOTES, "next_steps": "",
            "progress": [{"objective_id": objective_id, "status": "in_progress", "note": ""}]}  # fmt: skip


@st.composite
def bad_reviews(draw, objective_id: int) -> dict:
    """A review with exactly one thing wrong."""
    body = _good_review(objective_id)
    wrong = draw(st.sampled_from(["far date", "junk date", "notes", "next steps", "progress note",
                                  "objective", "status"]))  # fmt: skip
    if wrong == "far date":
        body["review_date"] = draw(FAR_DATES)
    elif wrong == "junk date":
        body["review_date"] = draw(JUNK_DATES)
    elif wrong == "notes":
        body["notes"] = draw(JUNK)
    elif wrong == "next steps":
        body["next_steps"] = draw(JUNK.filter(str.strip))
    elif wrong == "progress note":
        body["progress"][0]["note"] = draw(JUNK.filter(str.strip))
    elif wrong == "objective":
        body["progress"][0]["objective_id"] = draw(HUGE.filter(lambda n: n != objective_id))
    else:
        body["progress"][0]["status"] = draw(JUNK.filter(str.strip) | st.sampled_from(["finished", "DONE"]))
    return body


def _state() -> tuple:
    return (
        AccountPlan.objects.count(),
        list(PlanReview.objects.values_list("pk", "review_date", "notes")),
        list(PlanObjective.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    )


class PlanWritesRefuseNonsense(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = factories.org()
        a1, _, _ = book(cls.org)
        factories.account("A9", owner=cls.org["R1"])
        cls.plan = approved(a1, cls.org["M1"].user, on=APPROVED_ON)
        cls.objective_id = cls.plan.objectives.get().pk

    def _post(self, path: str, body: object):
        self.client.force_login(self.org["R1"].user)
        before = _state()
        response = self.client.post(path, json.dumps(body), content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code, response.content)
        assert response.json()["message"].strip(), body
        assert _state() == before, body
        return response

    @NONSENSE
    @given(st.data())
    def test_reviews(self, data) -> None:
        body = data.draw(bad_reviews(self.objective_id))
        self._post(f"/api/plans/{self.plan.pk}/reviews", body)

    @NONSENSE
    @given(
        st.one_of(
            st.integers(max_value=TODAY.year - 2), st.integers(min_value=TODAY.year + 2),
            JUNK, st.none(), st.floats().filter(lambda x: not x.is_integer()),
            st.lists(st.integers(), max_size=2),
        )
    )  # fmt: skip
    def test_plan_years(self, year) -> None:
        response = self._post("/api/accounts/A9/plans", {"year": year})
        if isinstance(year, int) and not isinstance(year, bool):
            assert response.json()["message"].startswith(f"Plan year: {year} is not between")

    def test_a_good_review_still_goes_through(self) -> None:
        self.client.force_login(self.org["R1"].user)
        body = json.dumps(_good_review(self.objective_id))
        response = self.client.post(
            f"/api/plans/{self.plan.pk}/reviews", body, content_type="application/json"
        )
        assert response.status_code == 201, response.content
