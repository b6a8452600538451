"""Relevance: headline over summary over body, rare words, recency; phrases, prefixes, accents."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.search import services
from tests.search.conftest import story

pytestmark = pytest.mark.django_db


def headlines(text, **kw):
    return [r.article.headline for r in services.search(text, **kw).results]


def test_headline_match_ranks_above_body_match():
    story("Council debates the budget", body="The ferry timetable changes next week.")
    story("Ferry timetable changes", body="The council will debate the budget on Monday.")
    assert headlines("budget")[0] == "Council debates the budget"


def test_summary_match_ranks_above_body_match():
    story("First story", summary="Lighthouse keepers strike for pay.", body="Keepers want more.")
    story("Second story", summary="Keepers want more.", body="The lighthouse keepers strike for pay.")
    assert headlines("lighthouse")[0] == "First story"


@pytest.mark.sqlite(reason="bm25 weighs rare words; PostgreSQL's ts_rank_cd has no document frequency")
def test_rare_word_outranks_common_word():
    for n in range(12):
        story(f"Filler {n}", body="The harbour opened again today with the usual crowds.")
    story("Story A", body="harbour harbour harbour walrus")
    story("Story B", body="walrus walrus walrus harbour")
    assert headlines("harbour walrus")[:2] == ["Story B", "Story A"]


def test_recent_story_ranks_above_identical_old_story():
    now = timezone.now()
    story("Tram line reopens", publish_at=now - datetime.timedelta(days=2000))
    story("Tram line reopens", publish_at=now - datetime.timedelta(days=1), slug="tram-new")
    results = services.search("tram line").results
    assert [r.article.slug for r in results][0] == "tram-new"


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Erdoğan visits the port", "erdogan"),
        ("Erdogan visits the port", "Erdoğan"),
        ("São Tavio floods", "sao"),
    ],
)
def test_accents_are_folded_both_ways(written, typed):
    story(written)
    story("Unrelated story about trains")
    assert headlines(typed) == [written]


def test_phrase_in_quotes_needs_the_words_together():
    story("Coral reef bleaching spreads", body="Scientists measured it.")
    story("Reef survey finds coral recovering", body="A bleaching event was avoided.")
    assert headlines('"coral reef"') == ["Coral reef bleaching spreads"]
    assert sorted(headlines("coral reef")) == sorted(
        ["Coral reef bleaching spreads", "Reef survey finds coral recovering"]
    )


def test_star_matches_the_start_of_a_word():
    story("Harbourmaster resigns")
    story("Harvest festival returns")
    assert headlines("harbourm*") == ["Harbourmaster resigns"]
    assert sorted(headlines("har*")) == ["Harbourmaster resigns", "Harvest festival returns"]


def test_trailing_partial_word_is_completed():
    story("Councillors approve the harbour plan")
    assert headlines("harbour counc") == ["Councillors approve the harbour plan"]


def test_no_story_with_every_word_falls_back_to_any_word():
    story("Bridge repairs begin")
    outcome = services.search("bridge zeppelin")
    assert outcome.matched_any
    assert [r.article.headline for r in outcome.results] == ["Bridge repairs begin"]


def test_snippet_marks_matches_and_escapes_everything_else():
    story(
        "<script>alert(1)</script> Harbour fire",
        body="Crews fought the <b>harbour</b> fire & smoke overnight.",
    )
    result = services.search("harbour").results[0]
    assert "<mark>Harbour</mark>" in result.headline_html
    assert "&lt;script&gt;" in result.headline_html
    assert "<script>" not in result.headline_html
    assert "<mark>harbour</mark>" in result.snippet_html
    assert "&amp;" in result.snippet_html
    assert "<b>" not in result.snippet_html


def test_a_complete_last_word_is_not_stretched_when_it_matches():
    story("Council meets today")
    story("Councillors walk out")
    outcome = services.search("council")
    assert [r.article.headline for r in outcome.results] == ["Council meets today"]
    assert not outcome.prefix_last
    stretched = services.search("counc")
    assert sorted(r.article.headline for r in stretched.results) == [
        "Council meets today",
        "Councillors walk out",
    ]
    assert stretched.prefix_last


def test_stretched_last_word_carries_over_to_the_next_page(client):
    for n in range(23):
        story(f"Councillors vote {n}")
    first = client.get("/search/", {"q": "counc"})
    assert "prefix=1" in first.context["next_url"]
    second = client.get("/search/" + first.context["next_url"])
    assert len(second.context["outcome"].results) == 3


def test_only_the_newest_candidates_are_ranked(settings):
    """More matches than the cap: the newest max_candidates are ranked, the best first; an older,
    better match is not among them."""
    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 3
    now = timezone.now()
    old_best = story("Harbour harbour harbour", publish_at=now - datetime.timedelta(days=40))
    newest = [
        story(f"Harbour news {n}", body="The harbour.", publish_at=now - datetime.timedelta(days=n))
        for n in (1, 2, 3)
    ]
    best_of_older = story("Harbour harbour report", publish_at=now - datetime.timedelta(days=4))
    story("Harbour news 5", body="The harbour.", publish_at=now - datetime.timedelta(days=5))
    ids = [r.article.pk for r in services.search("harbour", now=now).results]
    assert ids == [newest[0].pk, newest[1].pk, newest[2].pk]
    assert old_best.pk not in ids and best_of_older.pk not in ids


@pytest.mark.postgres(reason="the window of matches is PostgreSQL's")
def test_a_window_in_parts_reads_an_older_part_only_when_the_newer_fall_short(settings):
    from django.db import connection

    from broadsheet.search import get_backend
    from broadsheet.search.base import Filters
    from broadsheet.search.postgres import _Search, day_number
    from broadsheet.search.query import parse_query

    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 3
    now = timezone.now()
    ages = [1, 2, 12, 13, 14, 30, 31]  # days back
    made = {age: story(f"Harbour news {age}", publish_at=now - datetime.timedelta(days=age)) for age in ages}
    today = day_number(now)
    search = _Search(get_backend(), parse_query("harbour "), Filters(), now=now, count=3, match="all")

    def newest(steps):
        sql, params = search.window(today - 40, today, steps=steps)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT article_id FROM ({sql}) w ORDER BY publish_at DESC", params)
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return ids, plan

    # Parts: the last 5 days (2 matches), 6-20 days back (3), 21-40 (2): the second completes the 3.
    ids, plan = newest([today - 5, today - 20])
    assert ids == [made[1].pk, made[2].pk, made[12].pk]
    assert plan.count("never executed") >= 1, plan  # the oldest part was not read
    # In one part, or cut elsewhere, the same newest 3.
    assert newest([])[0] == ids
    assert newest([today - 1, today - 35])[0] == ids


@pytest.mark.postgres(reason="the window of matches is PostgreSQL's")
def test_a_grown_window_is_read_in_parts_unless_a_word_is_a_prefix(settings):
    """Each part is a GIN lookup of its own, and a prefix is gathered again by every lookup."""
    from django.db import connection

    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 3
    now = timezone.now()
    for n in (1, 2, 4, 5, 6):
        story(f"Ferry news {n}", body="Ferries.", publish_at=now - datetime.timedelta(days=n))
    matching = [3, 10, 11, 12]  # one among the newest 6 stories: the window grows from it
    for n in matching:
        story(f"Harbourmaster news {n}", body="Harbourmaster.", publish_at=now - datetime.timedelta(days=n))
    story("Old harbourmaster news", publish_at=now - datetime.timedelta(days=400))

    def parts(text):
        statements = []

        def keep(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(keep):
            outcome = services.search(text, now=now)
        return [sql.count("MATERIALIZED") for sql in statements if "MATERIALIZED" in sql], outcome

    word, outcome = parts("harbourmaster ")
    assert len(outcome.results) == 3 and word[-1] == 3  # the grown window, in three parts
    prefix, outcome = parts("harbourm*")
    assert len(outcome.results) == 3 and set(prefix) == {1}
