"""The OpenAPI document: one schema per name (the two plan bodies are told apart), every
error answer documented in the one Error shape, and dates typed as dates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec():
    from bookwise.config.api import api

    return api.get_openapi_schema()


def body_schema(spec, path: str) -> dict:
    ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_each_plan_body_is_documented_with_its_own_schema(spec):
    reassignment = body_schema(spec, "/api/transfers/plans")
    account_plan = body_schema(spec, "/api/accounts/{account_id}/plans")
    assert reassignment["title"] == "ReassignmentPlanIn" and "from_rep" in reassignment["properties"]
    assert account_plan["title"] == "AccountPlanIn" and set(account_plan["properties"]) == {"year"}


def test_no_two_schemas_share_a_name():
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = [s.__name__ for s in subclasses(Schema) if s.__module__.startswith("bookwise.")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_a_background_run_and_the_jobs_it_is_followed_by_are_documented(spec):
    run_in = body_schema(spec, "/api/commissions/runs")
    assert run_in["properties"]["background"]["default"] is False
    answers = spec["paths"]["/api/commissions/runs"]["post"]["responses"]
    refs = {str(code): answers[code]["content"]["application/json"]["schema"]["$ref"] for code in (201, 202)}
    assert refs == {"201": "#/components/schemas/RunOut", "202": "#/components/schemas/RunQueuedOut"}
    job = spec["paths"]["/api/jobs/{job_id}"]["get"]["responses"][200]["content"]["application/json"]
    assert job["schema"]["$ref"] == "#/components/schemas/JobOut"
    listed = spec["paths"]["/api/jobs"]["get"]["responses"][200]["content"]["application/json"]["schema"]
    assert listed["items"]["$ref"] == "#/components/schemas/JobOut"
    fields = spec["components"]["schemas"]["JobOut"]["properties"]
    assert {"state", "progress", "error", "link", "result_url", "finished_at"} <= set(fields)
    queued = spec["components"]["schemas"]["QueuedJobOut"]["properties"]
    assert set(queued) == {"id", "state", "url", "page"}


def test_every_operation_documents_its_error_answers_in_the_one_shape(spec):
    assert spec["components"]["schemas"]["Error"]["required"] == ["message", "extra"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"401", "404", "422"} | ({"409"} if method != "get" else set())
            assert expected <= codes, (method, path, codes)
            ref = operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error"


def _date_params(spec):
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if param["name"] in ("date", "start", "end"):
                    yield path, param["name"], param["schema"]


def test_dates_are_typed_as_dates(spec):
    found = list(_date_params(spec))
    assert len(found) > 8
    for path, name, schema in found:
        formats = {s.get("format") for s in schema.get("anyOf", [schema]) if s.get("type") == "string"}
        assert formats == {"date"}, (path, name, schema)


def test_a_date_that_is_not_one_is_a_422_naming_the_field(book, org, login):
    answer = login(org["M1"]).get("/api/teams/M1/time-study?start=junk")
    assert answer.status_code == 422 and answer.json()["message"].startswith("Start:")
