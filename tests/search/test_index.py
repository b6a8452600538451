"""The index follows the newsroom: publish, edit, unpublish, delete, schedule, bulk loads."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.newsroom import services as newsroom
from broadsheet.search import get_backend
from broadsheet.search import services as search
from broadsheet.search.base import Filters
from tests.conftest import make_article
from tests.search.conftest import story

pytestmark = pytest.mark.django_db


def found(text, **kw):
    return [r.article.pk for r in search.search(text, **kw).results]


def test_story_is_found_once_published(commit_hooks):
    article = make_article("Glacier retreat measured", status="draft")
    assert found("glacier") == []
    with commit_hooks(execute=True):
        newsroom.publish(article)
    assert found("glacier") == [article.pk]


def test_draft_and_review_stories_are_never_indexed(commit_hooks):
    draft = make_article("Secret glacier plan", status="draft")
    with commit_hooks(execute=True):
        newsroom.save_article(draft)
        newsroom.send_to_review(draft)
    assert found("glacier") == []
    assert get_backend().count() == 0


def test_edited_words_replace_the_old_ones(commit_hooks):
    article = story("Ferry strike ends")
    article.headline = "Ferry timetable restored"
    with commit_hooks(execute=True):
        newsroom.save_article(article)
    assert found("strike") == []
    assert found("timetable") == [article.pk]


def test_unpublished_story_disappears(commit_hooks):
    article = story("Museum reopens its doors")
    assert found("museum") == [article.pk]
    with commit_hooks(execute=True):
        newsroom.unpublish(article)
    assert found("museum") == []


def test_deleted_story_disappears():
    article = story("Comet flyby tonight")
    article.delete()
    assert found("comet") == []
    assert get_backend().count() == 0


def test_scheduled_story_appears_at_its_time(commit_hooks):
    later = timezone.now() + datetime.timedelta(hours=3)
    article = make_article("Embargoed report on tides", status="draft")
    with commit_hooks(execute=True):
        newsroom.schedule(article, at=later)
    assert found("tides") == []
    assert found("tides", now=later + datetime.timedelta(minutes=1)) == [article.pk]


def test_bulk_loaded_stories_are_indexed():
    call_command("seed", articles=40, no_progress=True, stdout=io.StringIO())
    assert get_backend().count() == search.indexable_count() > 0
    assert search.search("said").results


def test_rebuild_command_fills_an_empty_index():
    article = story("Orchestra tour announced")
    get_backend().clear()
    assert found("orchestra") == []
    out = io.StringIO()
    call_command("search", "rebuild", "--no-progress", stdout=out)
    assert "Indexed 1 stories" in out.getvalue()
    assert found("orchestra") == [article.pk]


def test_search_command_without_action_says_what_to_do():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="rebuild"):
        call_command("search")


def test_status_command_reports_counts():
    story("Orchestra tour announced")
    out = io.StringIO()
    call_command("search", "status", stdout=out)
    assert "1 stories indexed, 1 published or scheduled" in out.getvalue()


def test_stories_published_in_the_same_second_with_clashing_keys_are_both_kept():
    from broadsheet.search.base import IndexEntry

    when = timezone.now()
    entries = [
        IndexEntry(
            article_id=n,
            headline="Same second",
            summary="",
            body="",
            section_id=1,
            source_id=None,
            publish_at=when,
        )
        for n in (7, 7 + 2**21, 7 + 2**22)
    ]
    get_backend().index(entries)
    get_backend().index(entries[:1])  # re-indexing one keeps the others
    assert get_backend().count() == 3


def test_a_very_broad_query_ranks_the_newest_matches(settings):
    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 3
    now = timezone.now()
    stories = [story(f"Weather report {n}", publish_at=now - datetime.timedelta(days=n)) for n in range(6)]
    assert sorted(found("weather")) == sorted(s.pk for s in stories[:3])


def test_matches_older_than_the_newest_stories_are_found(settings):
    # With two candidates the newest four stories are tried first; the matches lie further back.
    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 2
    now = timezone.now()
    for n in range(6):
        story(f"Market report {n}", publish_at=now - datetime.timedelta(hours=n + 1))
    older = story("Lighthouse keepers strike", publish_at=now - datetime.timedelta(days=30))
    oldest = story("Lighthouse sold at auction", publish_at=now - datetime.timedelta(days=900))
    assert sorted(found("lighthouse")) == sorted([older.pk, oldest.pk])
    assert found('"lighthouse keepers"') == [older.pk]


def test_a_broad_query_among_many_other_stories_ranks_its_newest_matches(settings):
    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 2
    now = timezone.now()
    for n in range(8):
        story(f"Market report {n}", publish_at=now - datetime.timedelta(hours=n + 1))
    ferries = [
        story(f"Ferry timetable {n}", publish_at=now - age)
        for n, age in enumerate(datetime.timedelta(days=days) for days in (0.1, 40, 200, 700))
    ]
    assert sorted(found("ferry")) == sorted(f.pk for f in ferries[:2])


def test_date_limits_hold_beyond_the_newest_stories(settings):
    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 2
    now = timezone.now()
    for n in range(6):
        story(f"Market report {n}", publish_at=now - datetime.timedelta(days=51 + n))
    inside = [
        story("Tunnel reopens", publish_at=now - datetime.timedelta(days=52, hours=12)),
        story("Tunnel repairs", publish_at=now - datetime.timedelta(days=100)),
    ]
    story("Tunnel closes", publish_at=now - datetime.timedelta(days=300))
    story("Tunnel flooded", publish_at=now - datetime.timedelta(days=10))
    filters = Filters(date_from=now - datetime.timedelta(days=150), date_to=now - datetime.timedelta(days=50))
    assert sorted(found("tunnel", filters=filters)) == sorted(a.pk for a in inside)


def test_a_window_of_days_is_asked_for_by_the_fewest_day_and_block_lexemes():
    from broadsheet.search.postgres import recency_query

    def days_of(lexeme):
        level, block = lexeme.strip("'@").split(":")
        size = 8 ** int(level)
        return set(range(int(block) * size, (int(block) + 1) * size))

    for first, last in [(20000, 20000), (19999, 20513), (-700, 40), (0, 4095), (12345, 20789)]:
        lexemes = recency_query(first, last).split(" | ")
        covered = [days_of(lexeme) for lexeme in lexemes]
        assert set().union(*covered) == set(range(first, last + 1))
        assert sum(len(days) for days in covered) == last - first + 1  # no day twice
        assert len(lexemes) <= 7 * 3 * 2 + (last - first) // 512 + 1


@pytest.mark.postgres(reason="column storage is PostgreSQL's")
def test_a_vector_is_kept_in_its_row_and_the_long_texts_out_of_it():
    """Ranking reads every candidate's vector: in the row it costs no TOAST lookup (migration
    0005). The headline, summary and body, read only for a page's highlights, stay out of it."""
    from django.db import connection

    article = story("Harbour pilots strike", body=" ".join(f"word{n} harbour" for n in range(150)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'search_document'::regclass"
            " AND attname IN ('headline', 'summary', 'body', 'vector') ORDER BY attname"
        )
        assert cursor.fetchall() == [("body", "e"), ("headline", "e"), ("summary", "e"), ("vector", "m")]
        # A vector of over a kilobyte is in the row: what lies out of it is the body's bytes.
        cursor.execute(
            "SELECT pg_column_size(d.vector), pg_column_size(d.body), c.reltoastrelid::regclass::text"
            " FROM search_document d, pg_class c WHERE d.article_id = %s AND c.oid = 'search_document'::regclass",
            [article.pk],
        )
        vector, body, toast = cursor.fetchone()
        cursor.execute(f"SELECT coalesce(sum(octet_length(chunk_data)), 0) FROM {toast}")
        out_of_row = cursor.fetchone()[0]
    assert vector > 1000 and body > 1000
    assert body <= out_of_row < body + 200
    assert found("harbour") == [article.pk]
