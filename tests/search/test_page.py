"""The search page: results, filters, pagination, hostile input; works without JavaScript."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.newsroom.models import Source
from tests.conftest import make_section
from tests.search.conftest import story

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"unbalanced quote',
    'trailing quote"',
    '""',
    '"""',
    "NEAR(harbour fire, 2)",
    "harbour AND OR NOT fire",
    "headline:harbour",
    "{headline summary}: fire",
    "harbour^ fire*",
    "*",
    "***",
    "-harbour",
    "^",
    ":",
    "(((",
    ")",
    "a:*",
    "'; DROP TABLE search_fts; --",
    "harbour & fire | !smoke <-> x",
    "x" * 10_000,
    ("fire " * 3000),
    "\x00harbour\x00",
    "火事 港",
    "حريق الميناء",
    "пожар в порту",
    "🔥🚢",
    "<script>alert(1)</script>",
    "%",
    "\\",
    "&#0;",
    "  ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_answer_with_results_or_nothing_found(client, text):
    story("Harbour fire contained", body="Crews fought the fire overnight.")
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing found" in page or "search-hit" in page or "Type a word" in page


@pytest.mark.parametrize("raw", ["harbour%20%ED%A0%80%20fire", "%FF%FE%00", "%00", "%C0%AF", "%22%22%22*"])
def test_broken_bytes_in_the_address_are_answered(client, raw):
    story("Harbour fire contained")
    response = client.get(f"/search/?q={raw}")
    assert response.status_code == 200


@pytest.mark.parametrize("text", ["harbour \ud800 fire", "\udfff", "\x00", "fire\ud83d"])
def test_broken_unicode_reaching_the_service_is_answered(text):
    from broadsheet.search import services

    story("Harbour fire contained")
    assert services.search(text).results is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_at_all_is_answered(client, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200


def test_results_show_highlighted_headlines_and_the_query_in_the_header(client):
    article = story("Harbour fire contained", body="Crews fought the fire overnight.")
    response = client.get("/search/", {"q": "harbour fire"})
    page = response.content.decode()
    assert response.context["search_query"] == "harbour fire"
    assert 'id="site-search" type="search" name="q" placeholder="Search stories" value="harbour fire"' in page
    assert "<mark>Harbour</mark> <mark>fire</mark> contained" in page
    assert article.get_absolute_url() in page
    assert "<script" not in page


def test_nothing_found_is_said_plainly(client):
    story("Harbour fire contained")
    page = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Nothing found" in page
    assert "zeppelin" in page


def test_results_come_in_pages(client):
    for n in range(25):
        story(f"Lighthouse report {n}")
    first = client.get("/search/", {"q": "lighthouse"})
    assert len(first.context["outcome"].results) == 20
    assert first.context["next_url"]
    second = client.get("/search/" + first.context["next_url"])
    assert len(second.context["outcome"].results) == 5
    assert second.context["previous_url"]
    assert not second.context["next_url"]
    assert {r.article.pk for r in first.context["outcome"].results}.isdisjoint(
        {r.article.pk for r in second.context["outcome"].results}
    )


def test_filters_by_section_source_and_dates(client):
    now = timezone.now()
    world, sport = make_section("World"), make_section("Sport")
    outlet = Source.objects.create(name="Harbor Ledger")
    a = story("Storm warning for the coast", section=world, publish_at=now - datetime.timedelta(days=40))
    b = story("Storm delays the cup final", section=sport, source=outlet)

    def hits(**params):
        response = client.get("/search/", {"q": "storm", **params})
        return {r.article.pk for r in response.context["outcome"].results}

    assert hits() == {a.pk, b.pk}
    assert hits(section="world") == {a.pk}
    assert hits(source=outlet.slug) == {b.pk}
    recent = (now - datetime.timedelta(days=5)).date().isoformat()
    assert hits(date_from=recent) == {b.pk}
    assert hits(date_to=recent) == {a.pk}


def test_bad_dates_are_explained_and_the_words_kept(client):
    story("Storm warning for the coast")
    response = client.get("/search/", {"q": "storm", "date_from": "yesterday-ish", "date_to": "\x00"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date like 2024-05-31." in page
    assert 'value="storm"' in page
    assert len(response.context["outcome"].results) == 1


def test_end_date_before_start_date_is_explained(client):
    response = client.get("/search/", {"q": "storm", "date_from": "2024-05-10", "date_to": "2024-05-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_unknown_section_is_ignored_not_an_error(client):
    story("Storm warning for the coast")
    response = client.get("/search/", {"q": "storm", "section": "no-such-section", "page": "x"})
    assert response.status_code == 200


def test_results_page_runs_a_handful_of_queries(client):
    for n in range(30):
        story(f"Lighthouse report {n}", tags=["Coast"], authors=["Ana Reis"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "lighthouse", "section": "news"})
    assert response.status_code == 200
    # Savepoints appear only because the test runs inside a transaction; requests autocommit.
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # The footer's static pages and the site's look are two more queries here (tests render
    # without the fragment cache; in production both come from memory).
    assert len(statements) <= 10, [sql[:80] for sql in statements]
    # A count over a table (the index or the articles); counting a bounded list of candidates is fine.
    table_count = re.compile(r'count\([^)]*\)\s+FROM\s+"?(search_|newsroom_article)', re.IGNORECASE)
    whole_table_counts = [q["sql"] for q in queries if table_count.search(q["sql"])]
    assert whole_table_counts == []


def test_empty_form_asks_for_words(client):
    response = client.get("/search/", {"q": ""})
    assert "Type a word or two" in response.content.decode()
    assert client.get("/search/").status_code == 200
