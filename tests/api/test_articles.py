"""The content API: filters, search, pagination, conditional GET, CORS, errors and privacy."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(path, params)
    return response, (json.loads(response.content) if response.content else None)


def headlines(data):
    return [item["headline"] for item in data["results"]]


def test_only_published_stories_appear_newest_first(client, newsroom):
    response, data = get(client, "/api/articles")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert headlines(data) == [
        "Erdoğan meets port workers",
        "Cup final goes to extra time",
        "Flood barrier holds in Port Amsel",
    ]
    assert data["next"] is None


def test_article_links_are_absolute(client, newsroom, settings):
    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    _, data = get(client, "/api/articles", external_id="wire-1")
    item = data["results"][0]
    assert item["url"] == "https://news.example.org" + newsroom["flood"].get_absolute_url()
    assert item["api_url"] == f"https://news.example.org/api/articles/{newsroom['flood'].pk}"
    assert item["section"]["url"] == "https://news.example.org/section/world/"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"section": "sport"}, ["Cup final goes to extra time"]),
        ({"tag": "weather"}, ["Flood barrier holds in Port Amsel"]),
        ({"author": "ana-reis"}, ["Flood barrier holds in Port Amsel"]),
        ({"source": "harbor-ledger"}, ["Cup final goes to extra time"]),
        ({"external_id": "wire-1"}, ["Flood barrier holds in Port Amsel"]),
        ({"external_id": "nothing-like-it"}, []),
        (
            {"section": "world", "q": "port"},
            ["Erdoğan meets port workers", "Flood barrier holds in Port Amsel"],
        ),
        ({"q": "erdogan"}, ["Erdoğan meets port workers"]),
        ({"q": "flood", "tag": "weather"}, ["Flood barrier holds in Port Amsel"]),
        ({"q": "flood", "author": "ana-reis"}, ["Flood barrier holds in Port Amsel"]),
        ({"q": "flood", "external_id": "wire-1"}, ["Flood barrier holds in Port Amsel"]),
        ({"q": "final", "source": "harbor-ledger"}, ["Cup final goes to extra time"]),
    ],
)
def test_filters(client, newsroom, params, expected):
    response, data = get(client, "/api/articles", **params)
    assert response.status_code == 200, data
    if "q" in params:
        assert sorted(headlines(data)) == sorted(expected)
    else:
        assert headlines(data) == expected


def test_date_filters_include_both_days(client, newsroom):
    day = newsroom["final"].publish_at.date().isoformat()
    _, data = get(client, "/api/articles", **{"from": day, "to": day})
    assert headlines(data) == ["Cup final goes to extra time"]


def test_search_results_carry_highlights(client, newsroom):
    _, data = get(client, "/api/articles", q="barrier")
    highlight = data["results"][0]["highlight"]
    assert "<mark>barrier</mark>" in highlight["headline_html"].lower()
    assert "<mark>barrier</mark>" in highlight["snippet_html"]
    _, plain = get(client, "/api/articles")
    assert plain["results"][0]["highlight"] is None


def test_scheduled_and_draft_stories_never_appear(client, newsroom):
    for params in ({}, {"q": "flood"}, {"q": "embargoed"}, {"q": "memo"}):
        _, data = get(client, "/api/articles", **params)
        assert "Embargoed flood report" not in headlines(data)
        assert "Unpublished flood memo" not in headlines(data)
    for key in ("draft", "scheduled"):
        response, _ = get(client, f"/api/articles/{newsroom[key].pk}")
        assert response.status_code == 404


def test_cursor_pages_walk_every_story_once(client, newsroom):
    seen, url = [], "/api/articles?page_size=1"
    while url:
        response = client.get(url)
        data = json.loads(response.content)
        seen += headlines(data)
        url = data["next"] and data["next"].removeprefix("http://127.0.0.1:8000")
    assert len(seen) == 3 == len(set(seen))


def test_search_pages_walk_every_match_once(client, newsroom):
    seen, url = [], "/api/articles?page_size=1&q=port"
    while url:
        data = json.loads(client.get(url).content)
        seen += headlines(data)
        url = data["next"] and data["next"].removeprefix("http://127.0.0.1:8000")
    assert sorted(seen) == ["Erdoğan meets port workers", "Flood barrier holds in Port Amsel"]


def test_detail_has_body_corrections_and_related(client, newsroom, monkeypatch):
    from broadsheet.api import views

    calls = []

    def fake_related(article, limit=5):
        calls.append((article.pk, limit))
        return [newsroom["final"], newsroom["erdogan"]]

    monkeypatch.setattr(views, "related_for", fake_related)
    article = newsroom["flood"]
    article.corrections.create(text="An earlier version misnamed the port.")
    response, data = get(client, f"/api/articles/{article.pk}")
    assert response.status_code == 200
    assert "<strong>barrier</strong>" in data["body_html"]
    assert data["corrections"][0]["text"] == "An earlier version misnamed the port."
    assert [r["headline"] for r in data["related"]] == [
        "Cup final goes to extra time",
        "Erdoğan meets port workers",
    ]
    assert set(data["related"][0]) == {"id", "external_id", "headline", "url"}
    assert calls == [(article.pk, 5)]
    assert response.has_header("Last-Modified")


def test_conditional_get_answers_304(client, newsroom):
    for path in (
        "/api/articles",
        f"/api/articles/{newsroom['flood'].pk}",
        "/api/sections",
        "/api/openapi.json",
    ):
        first = client.get(path)
        assert first.status_code == 200
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, path
        assert again["ETag"] == first["ETag"]
    first = client.get("/api/articles")
    assert client.get("/api/articles", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_etag_changes_when_a_story_changes(client, newsroom):
    from broadsheet.newsroom.models import Article
    from broadsheet.newsroom.signals import article_changed

    first = client.get("/api/articles")
    article = newsroom["final"]
    article.headline = "Cup final decided on penalties"
    article.save()
    article_changed.send(sender=Article, article=article)
    second = client.get("/api/articles", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Cup final decided on penalties" in second.content.decode()


def test_cors_allows_any_origin_by_default(client, newsroom):
    response = client.get("/api/articles", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/articles", HTTP_ORIGIN="https://elsewhere.example")
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_cors_origins_come_from_a_setting(client, newsroom, settings):
    settings.BROADSHEET_API_CORS_ORIGINS = ["https://app.example.org"]
    allowed = client.get("/api/sections", HTTP_ORIGIN="https://app.example.org")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "Origin" in allowed["Vary"]
    other = client.get("/api/sections", HTTP_ORIGIN="https://evil.example")
    assert not other.has_header("Access-Control-Allow-Origin")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"section": "no-such-section"}, "section"),
        ({"tag": "bad slug!"}, "tag"),
        ({"author": "x" * 200}, "author"),
        ({"source": "nobody"}, "source"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2024-02-30"}, "to"),
        ({"from": "2024-05-02", "to": "2024-05-01"}, "to"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "eyJrIjoxfQ"}, "cursor"),
        ({"cursor": "bnVsbA"}, "cursor"),
        ({"external_id": "a\x00b"}, "external_id"),
        ({"q": "x" * 10_001}, "q"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, newsroom, params, parameter):
    response, data = get(client, "/api/articles", **params)
    assert response.status_code == 400
    assert data["error"]["parameter"] == parameter
    assert data["error"]["message"]


@pytest.mark.parametrize(
    "q", ['"unbalanced', "NEAR(a b) AND OR", "\x00", "火事", "*", "headline:port", "x" * 10_000]
)
def test_hostile_search_text_is_answered(client, newsroom, q):
    response, data = get(client, "/api/articles", q=q)
    assert response.status_code == 200
    assert isinstance(data["results"], list)


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles/0",
        "/api/articles/-1",
        "/api/articles/abc",
        "/api/articles/99999999999999999999999",
        "/api/nope",
    ],
)
def test_unknown_things_get_a_json_404(client, newsroom, path):
    response, data = get(client, path)
    assert response.status_code == 404
    assert data["error"]["message"]


def test_writes_are_refused(client, newsroom):
    for method in (client.post, client.put, client.delete, client.patch):
        response = method("/api/articles")
        assert response.status_code == 405
        assert "GET" in response["Allow"]


def test_list_pages_take_few_queries(client, newsroom):
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/articles")
    assert len(queries) <= 4
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/articles", {"q": "port"})
    statements = [q for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 6


def test_lists_of_sections_tags_sources_and_authors(client, newsroom):
    _, sections = get(client, "/api/sections")
    assert [s["slug"] for s in sections["results"]] == ["sport", "world"]
    _, tags = get(client, "/api/tags", page_size=1)
    assert len(tags["results"]) == 1 and tags["next"]
    _, tags2 = get(client, "/api/tags", page_size=1, page=2)
    assert tags2["results"][0]["slug"] != tags["results"][0]["slug"]
    _, sources = get(client, "/api/sources")
    assert sources["results"][0]["homepage"] == "https://harbor.example/"
    _, authors = get(client, "/api/authors")
    assert authors["results"][0]["name"] == "Ana Reis"


def test_author_contact_email_never_appears(client, newsroom):
    paths = [
        "/api/authors",
        "/api/articles",
        f"/api/articles/{newsroom['flood'].pk}",
        "/api/articles?q=flood",
    ]
    for path in paths:
        body = client.get(path).content.decode()
        assert "ana.private@example.org" not in body
        assert "contact_email" not in body


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_cursor_at_the_ends_of_time_is_a_400_naming_it(client, newsroom, stamp):
    from broadsheet.api.params import encode_cursor

    response, data = get(client, "/api/articles", cursor=encode_cursor({"k": [stamp, 1]}))
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert data["error"]["parameter"] == "cursor"


def test_an_unexpected_failure_is_answered_in_json(client, newsroom, monkeypatch, caplog):
    from broadsheet.api import services

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "article_page", broken)
    client.raise_request_exception = False
    response, data = get(client, "/api/articles")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert data["error"]["status"] == 500 and "a bug" not in response.content.decode()
    assert "a bug" in caplog.text


def test_a_failure_outside_the_api_views_is_still_json_under_api(rf):
    from broadsheet.core.views import server_error

    response = server_error(rf.get("/api/articles"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["status"] == 500
    assert server_error(rf.get("/")).status_code == 500
    assert "text/html" in server_error(rf.get("/"))["Content-Type"]


def test_a_database_outage_is_a_json_503_with_retry_after(client, newsroom, monkeypatch):
    from django.db import OperationalError

    from broadsheet.api import services

    def outage(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "article_page", outage)
    response, data = get(client, "/api/articles")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response["Retry-After"] and data["error"]["status"] == 503
