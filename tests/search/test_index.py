"""The index follows the newsroom: publish, edit, unpublish, delete, schedule, bulk loads."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.newsroom import services as newsroom
from broadsheet.search import get_backend
from broadsheet.search import services as search
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
