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
