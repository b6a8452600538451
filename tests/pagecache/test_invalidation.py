"""Publishing, editing, unpublishing, deleting and comment approval show up at once."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, Correction
from broadsheet.pagecache import get_store, invalidation
from broadsheet.pagecache import middleware as pagecache_middleware
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db


def warm(reader, *paths):
    for path in paths:
        reader.get(path)
        assert reader.get(path).cache == "HIT", path


def test_publishing_shows_at_once(reader, committed):
    with committed():
        section = make_section("Weather")
        make_article("Fog delays morning ferries", section=section)
        draft = make_article("Storm warning for the coast", section=section, status="draft")
    warm(reader, "/", section.get_absolute_url(), "/feed/")
    with committed():
        services.publish(draft)
    for path in ("/", section.get_absolute_url(), "/feed/"):
        page = reader.get(path)
        assert page.cache == "MISS", path
        assert "Storm warning for the coast" in page.text, path


def test_editing_shows_at_once(reader, committed):
    with committed():
        story = make_article("Council debates bus lanes")
    warm(reader, "/", story.get_absolute_url())
    story.headline = "Council approves bus lanes"
    with committed():
        services.save_article(story)
    assert "Council approves bus lanes" in reader.get(story.get_absolute_url()).text
    assert "Council approves bus lanes" in reader.get("/").text


def test_unpublishing_shows_at_once(reader, committed):
    with committed():
        story = make_article("Mayor opens new library wing")
    warm(reader, "/", story.get_absolute_url())
    with committed():
        services.unpublish(story)
    assert reader.get(story.get_absolute_url()).status_code == 404
    assert "Mayor opens new library wing" not in reader.get("/").text


def test_deleting_shows_at_once(reader, committed):
    with committed():
        story = make_article("Allotment waiting list shrinks")
    warm(reader, "/", story.get_absolute_url())
    with committed():
        Article.objects.filter(pk=story.pk).delete()
    assert reader.get(story.get_absolute_url()).status_code == 404
    assert "Allotment waiting list shrinks" not in reader.get("/").text


def test_correction_shows_at_once(reader, committed):
    with committed():
        story = make_article("Rail fares rise in spring")
    warm(reader, story.get_absolute_url())
    with committed():
        Correction.objects.create(article=story, text="An earlier version gave the wrong month.")
    assert "gave the wrong month" in reader.get(story.get_absolute_url()).text


def test_uncommitted_change_does_not_empty_the_cache(reader):
    story = make_article("Quiet week at the harbour")
    warm(reader, story.get_absolute_url())
    generation = get_store().state()[0]
    story.headline = "Still quiet at the harbour"
    story.save()  # the test's transaction never commits, so nothing is announced
    assert get_store().state()[0] == generation


def test_comment_approval_shows_at_once(reader, committed):
    comments = pytest.importorskip("broadsheet.comments.services")
    from broadsheet.comments.models import Comment

    with committed():
        story = make_article("Town hall clock restored")
        comment = Comment.objects.create(
            article=story,
            author_name="Morwenna",
            author_email="morwenna@example.org",
            body="Lovely to hear it chime again across the square.",
            status=Comment.Status.PENDING,
        )
    page = reader.get(story.get_absolute_url())
    assert "chime again across the square" not in page.text
    assert reader.get(story.get_absolute_url()).cache == "HIT"
    with committed():
        comments.approve(comment)
    page = reader.get(story.get_absolute_url())
    assert page.cache == "MISS"
    assert "chime again across the square" in page.text
    assert "morwenna@example.org" not in page.text


def test_next_scheduled_time_is_remembered(committed):
    soon = timezone.now() + datetime.timedelta(hours=1)
    later = timezone.now() + datetime.timedelta(hours=5)
    with committed():
        make_article("Later story", publish_at=later)
        make_article("Sooner story", publish_at=soon)
        make_article("Old story")
    assert get_store().state()[1] == soon.timestamp()
    assert invalidation.next_scheduled_at() == soon.timestamp()


def test_without_scheduled_stories_nothing_is_due(committed):
    with committed():
        make_article("Plain story")
    assert get_store().state()[1] == float("inf")


def test_scheduled_story_appears_at_its_time(reader, committed, monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(hours=1)
    following = publish_at + datetime.timedelta(hours=3)
    with committed():
        make_article("Morning news roundup")
        story = make_article("Embargoed budget analysis")
        services.schedule(story, at=publish_at)
        make_article("Evening preview", publish_at=following)
    warm(reader, "/")
    assert "Embargoed budget analysis" not in reader.get("/").text

    # The clock reaches the story's time (for the database query and for the cache alike).
    moment = publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(pagecache_middleware.time, "time", lambda: moment.timestamp())

    page = reader.get("/")
    assert page.cache == "MISS"
    assert "Embargoed budget analysis" in page.text
    assert "Evening preview" not in page.text
    assert reader.get("/").cache == "HIT"
    assert get_store().state()[1] == following.timestamp()
