"""A search backend that fails says so (503 for readers, a log line for operators), never "nothing found"."""

import json

import pytest
from django.db import connection

from .conftest import story

pytestmark = pytest.mark.django_db


@pytest.fixture
def break_index():
    """break_index(): the index table renamed away, as an outage or a failed migration leaves it."""
    from broadsheet.search import get_backend

    table = __import__(type(get_backend()).__module__, fromlist=["TABLE"]).TABLE
    broken = []

    def rename():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
        broken.append(table)

    yield rename
    if broken:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")


def test_readers_are_told_search_is_unavailable_and_operators_why(client, break_index, caplog):
    story("Harbour ferry returns")
    break_index()
    response = client.get("/search/", {"q": "ferry"})
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "Search is unavailable" in page and 'value="ferry"' in page
    assert "No stories" not in page and "nothing" not in page.lower().split("search is unavailable")[0]
    assert "search query failed" in caplog.text
    assert "no-store" in response["Cache-Control"]


def test_the_api_answers_503_in_json_when_search_fails(client, break_index):
    break_index()
    response = client.get("/api/articles", {"q": "ferry"})
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["status"] == 503


def test_search_works_again_when_the_index_is_back(client):
    story("Harbour ferry returns")
    response = client.get("/search/", {"q": "ferry"})
    assert response.status_code == 200 and "Harbour <mark>ferry</mark> returns" in response.content.decode()
