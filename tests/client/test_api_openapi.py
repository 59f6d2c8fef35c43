"""The OpenAPI document the app serves: valid OpenAPI 3.1, describing every API address the
app has and nothing else, and matching what the API really answers."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from app.extensions import db
from app.models import Contract
from tests.support.api import call, load_demo, token_by_command

PREFIX = "/api/v1"


def document(client):
    response = call(client, f"{PREFIX}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1_and_needs_no_token(client, app):
    served = document(client)
    assert served["openapi"].startswith("3.1")
    validate(served)
    assert served["servers"] == [{"url": "http://localhost/api/v1"}]


def test_the_document_describes_every_api_address_and_only_those(client, app):
    served = document(client)
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(PREFIX) :])
            routes[path] = rule.methods - {"HEAD", "OPTIONS"}
    assert set(served["paths"]) == set(routes)
    for path, methods in routes.items():
        assert methods == {"GET"}, path
        assert set(served["paths"][path]) == {"get"}, path
        parameters = {p["name"] for p in served["paths"][path]["get"].get("parameters", [])}
        assert set(re.findall(r"{(\w+)}", path)) <= parameters, path


def _checker(served, schema_name):
    registry = Registry().with_resource("urn:api", Resource.from_contents(served, DRAFT202012))
    return Draft202012Validator(
        {"$ref": f"urn:api#/components/schemas/{schema_name}"}, registry=registry
    )


@pytest.fixture
def answers(app, client, runner):
    load_demo(runner)
    token = token_by_command(runner, "admin@example.org")
    contract = db.session.scalar(select(Contract).filter_by(reference="CYP-2026-014"))
    service_id = contract.services[0].id

    def get(path, expected=200):
        response = call(client, f"{PREFIX}{path}", token)
        assert response.status_code == expected, path
        return response.get_json()

    return {
        "ContractPage": get("/contracts"),
        "ContractDetail": get("/contracts/CYP-2026-014"),
        "StatusPage": get("/statuses"),
        "ServiceEvidence": get(f"/evidence/services/{service_id}"),
        "Error": get("/contracts/NO-SUCH-CONTRACT", 404),
    }


def test_every_answer_matches_its_schema_field_for_field(client, answers):
    served = document(client)
    for schema_name, body in answers.items():
        errors = sorted(_checker(served, schema_name).iter_errors(body), key=str)
        assert errors == [], (schema_name, [e.message for e in errors[:5]])
    # The schemas are strict: an answer with a field they do not describe fails.
    extra = {**answers["ContractDetail"], "surprise": 1}
    assert not _checker(served, "ContractDetail").is_valid(extra)
    suppressed_row = {**answers["StatusPage"]["data"][0], "value": "suppressed"}
    assert _checker(served, "StatusRow").is_valid(suppressed_row)
    assert not _checker(served, "StatusRow").is_valid({**suppressed_row, "value": "9"})
