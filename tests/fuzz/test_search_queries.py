"""Fuzzing search: the /search/ page with all its filters, raw query strings, and the search service
itself. Never a 5xx for any query; the words typed are shown back in the search box."""

import datetime

import pytest
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st

from broadsheet.search import services
from broadsheet.search.base import Filters
from tests.conftest import make_article, make_section

from .conftest import FUZZ, HOSTILE, get_raw, hostile_text, is_valid_text, urlencoded

pytestmark = pytest.mark.django_db

OPERATORS = st.lists(
    st.sampled_from(
        [
            "harbour",
            "council",
            "AND",
            "OR",
            "NOT",
            "NEAR",
            "(",
            ")",
            '"',
            "*",
            "-",
            "+",
            ":",
            "^",
            "~",
            "'",
            "&",
            "|",
            "!",
            "<->",
            "\\",
            "%",
            "_",
            "harb*",
            "NEAR/3",
        ]
    ),
    max_size=10,
).map(" ".join)
QUERY = st.one_of(OPERATORS, hostile_text(120), st.sampled_from(HOSTILE))


@pytest.fixture
def corpus(db):
    news, sport = make_section("News"), make_section("Sport")
    make_article("Harbour council approves the sea wall", section=news, body="The harbour council met. " * 20)
    make_article("Ferry strike ends after talks", section=sport, body="Ferry crews return to work. " * 20)
    return news, sport


def filters(news):
    return st.fixed_dictionaries(
        {
            "q": QUERY,
        },
        optional={
            "section": st.one_of(st.just(news.slug), st.just(""), hostile_text(30)),
            "source": st.one_of(st.just(""), hostile_text(30)),
            "date_from": st.one_of(st.dates().map(str), hostile_text(20)),
            "date_to": st.one_of(st.dates().map(str), st.just("2024-02-30"), hostile_text(20)),
            "page": st.one_of(st.integers().map(str), hostile_text(20)),
            "match": st.sampled_from(["any", "all", "", "\x00"]),
            "prefix": st.sampled_from(["1", "0", "yes"]),
        },
    )


@FUZZ
@given(data=st.data())
def test_search_page_never_fails_and_keeps_the_words(client, corpus, data):
    params = data.draw(filters(corpus[0]))
    response = client.get("/search/", QUERY_STRING=urlencoded(params))
    assert response.status_code < 500
    event(f"status {response.status_code}")
    q = params["q"]
    if response.status_code == 200 and is_valid_text(q) and len(q) <= 1000:
        assert escape(q) in response.content.decode()


@FUZZ
@given(raw=st.binary(max_size=300))
def test_search_page_survives_raw_bytes(client, corpus, raw):
    assert get_raw(client, "/search/", raw).status_code < 500
    assert get_raw(client, "/search/", b"q=" + raw + b"&page=2").status_code < 500


@FUZZ
@given(
    q=QUERY,
    match=st.sampled_from(["any", "all"]),
    prefix=st.booleans(),
    page=st.integers(1, 600),
    dated=st.booleans(),
)
def test_search_service_never_raises_for_any_words(corpus, q, match, prefix, page, dated):
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC) if dated else None
    outcome = services.search(
        q,
        filters=Filters(
            section_id=corpus[0].pk if dated else None, source_id=None, date_from=start, date_to=None
        ),
        page=page,
        match=match,
        prefix_last=prefix,
    )
    assert outcome is not None
