"""Schemathesis drives every endpoint of /api/openapi.json with generated requests.

Each generated request must get no 5xx, a documented status code and content type, and a
body and headers that match the schema. Negative cases (values the schema forbids) must get
no 5xx and a documented content type.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# The plain Django application: the page cache around it in wsgi.py is not what is tested here.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction; Django's own test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_api_answers_as_its_schema_says(case, newsroom, keep_connection):
    if case.meta and case.meta.generation.mode == GenerationMode.NEGATIVE:
        # Values the schema forbids (or extra ones it does not name, which are ignored):
        # never a server error, always a documented JSON answer.
        case.call_and_validate(checks=[not_a_server_error, content_type_conformance])
    else:
        case.call_and_validate(checks=CHECKS)


@pytest.fixture
def staff_token(db):
    from broadsheet.api.models import AccessToken
    from tests.conftest import make_user

    _row, raw = AccessToken.issue(user=make_user("schema-exporter", role="Editor"), name="schema test")
    return raw


@pytest.mark.django_db
@schema.include(path="/api/export/articles.jsonl").parametrize()
@HYPOTHESIS
def test_the_staff_export_answers_as_its_schema_says_with_a_token(
    case, newsroom, staff_token, keep_connection
):
    checks = (
        CHECKS if not (case.meta and case.meta.generation.mode == GenerationMode.NEGATIVE) else CHECKS[:3]
    )
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"}, checks=checks)


@pytest.mark.django_db
def test_the_document_describes_the_staff_export_and_is_valid_openapi(client, newsroom, staff_token):
    import json

    import jsonschema_rs

    from broadsheet.api import views

    document = client.get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(document).validate()  # the OpenAPI 3.1 meta-schema
    bearer = document["components"]["securitySchemes"]["bearerAuth"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    export = document["paths"]["/api/export/articles.jsonl"]["get"]
    assert export["security"] == [{"bearerAuth": []}]
    limit = next(p for p in export["parameters"] if p["name"] == "limit")["schema"]
    assert (limit["maximum"], limit["default"]) == (views.EXPORT_PAGE_MAX, views.EXPORT_PAGE)
    assert {p["name"] for p in export["parameters"]} == {"limit", "cursor"}
    ok = export["responses"]["200"]
    assert "Link" in ok["headers"] and 'rel="next"' in ok["headers"]["Link"]["description"]
    for status in ("400", "401", "403"):
        assert export["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    # The lines the endpoint gives match the line schema the document names.
    line_ref = ok["content"]["application/jsonl"]["x-item-schema"]["$ref"]
    line_schema = document["components"]["schemas"][line_ref.rsplit("/", 1)[1]]
    answer = client.get("/api/export/articles.jsonl?limit=2", HTTP_AUTHORIZATION=f"Bearer {staff_token}")
    lines = b"".join(answer.streaming_content).decode().splitlines()
    assert lines and 'rel="next"' in answer["Link"]
    for line in lines:
        jsonschema_rs.validate(line_schema, json.loads(line))
    # Without a token: the documented 401 with the documented error shape.
    refused = client.get("/api/export/articles.jsonl")
    assert refused.status_code == 401
    jsonschema_rs.validate({**document["components"]["schemas"]["Error"]}, refused.json())
