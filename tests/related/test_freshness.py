"""Lists stay right as articles are published, edited, unpublished, deleted and loaded in bulk."""

import pytest

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.signals import articles_deleted, articles_loaded
from broadsheet.related import services
from broadsheet.related.models import IndexedArticle, RelatedEntry
from tests.conftest import make_article

from .conftest import keys_of, load_stories

pytestmark = pytest.mark.django_db

FERRY_FOLLOW_UP = dict(
    headline="Velmora ferry strike ends as crews accept new night-shift rota",
    summary="Sailings from the north pier resume after the seafarers' union backs a deal.",
    body="The Velmora ferry strike is over. Crews voted to accept a night-shift rota with eleven hours "
    "between shifts, and harbour master Ilse Brandvold said the north pier would reopen at dawn.",
)


def test_published_story_gets_a_list_and_enters_the_lists_of_its_story(
    stories, django_capture_on_commit_callbacks
):
    draft = make_article(status="draft", section=stories["ferry-1"].section, **FERRY_FOLLOW_UP)
    assert services.related_for(draft) == []
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(draft)
    assert set(keys_of(services.related_for(draft, limit=3), stories)) == {"ferry-1", "ferry-2", "ferry-3"}
    for key in ("ferry-1", "ferry-2", "ferry-3"):
        assert draft in services.related_for(stories[key], limit=3), key
    assert draft not in services.related_for(stories["single-2"], limit=10)


def test_edit_moves_a_story_to_the_lists_it_now_belongs_in(stories, django_capture_on_commit_callbacks):
    article = make_article(status="draft", section=stories["ferry-1"].section, **FERRY_FOLLOW_UP)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(article)
    assert article in services.related_for(stories["ferry-2"], limit=3)

    article.headline = "Engineers back wind-tunnel tests for Velmora cable-stayed toll bridge"
    article.summary = "The review of the 410 million crown bridge to the outer islands is accepted."
    article.body = (
        "Velmora council accepted the engineering review of the cable-stayed toll bridge to the outer "
        "islands and ordered wind-tunnel tests before the 410 million crown contract is signed."
    )
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.save_article(article)
    assert article not in services.related_for(stories["ferry-2"], limit=3)
    assert article in services.related_for(stories["bridge-3"], limit=3)
    assert "bridge-3" in keys_of(services.related_for(article, limit=3), stories)


def test_unpublished_story_disappears_from_every_list(stories, django_capture_on_commit_callbacks):
    ferry = stories["ferry-2"]
    holders = [k for k, a in stories.items() if ferry in services.related_for(a, limit=10)]
    assert "ferry-1" in holders
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.unpublish(ferry)
    assert not RelatedEntry.objects.filter(related=ferry).exists()
    assert not RelatedEntry.objects.filter(article=ferry).exists()
    assert not IndexedArticle.objects.filter(article=ferry).exists()
    for key in holders:
        assert ferry not in services.related_for(stories[key], limit=10)
    # the lists it left are refilled to their full length
    assert len(services.related_for(stories["ferry-1"], limit=20)) >= 5

    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(ferry)
    assert ferry in services.related_for(stories["ferry-1"], limit=2)


def test_unpublished_story_never_shows_even_before_the_task_runs(stories):
    ferry = stories["ferry-2"]
    Article.objects.filter(pk=ferry.pk).update(status=Article.Status.DRAFT)
    assert ferry not in services.related_for(stories["ferry-1"], limit=10)


def test_scheduled_story_shows_only_once_it_is_out(stories, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    article = make_article(status="draft", section=stories["ferry-1"].section, **FERRY_FOLLOW_UP)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.schedule(article, at=timezone.now() + datetime.timedelta(hours=2))
    assert article not in services.related_for(stories["ferry-1"], limit=10)
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    assert article in services.related_for(stories["ferry-1"], limit=3)


def test_deleted_story_leaves_every_list_and_they_are_refilled(stories, django_capture_on_commit_callbacks):
    from broadsheet.related.models import IndexState, RelatedPin

    ferry = stories["ferry-3"]
    ferry_pk = ferry.pk
    RelatedPin.objects.create(article=ferry, pinned=stories["ferry-1"])
    full = len(services.related_for(stories["ferry-1"], limit=20))
    indexed = IndexState.objects.get().documents
    with django_capture_on_commit_callbacks(execute=True):
        ferry.delete()
        articles_deleted.send(sender=Article, article_ids=[ferry_pk])
    assert not RelatedEntry.objects.filter(related_id=ferry_pk).exists()
    assert ferry_pk not in [a.pk for a in services.related_for(stories["ferry-1"], limit=20)]
    after_delete = [a.pk for a in services.related_for(stories["ferry-1"], limit=20)]
    assert len(after_delete) >= min(full - 1, 5)
    services.rebuild_related()  # the refilled list is the list a rebuild gives
    assert set(after_delete) == {a.pk for a in services.related_for(stories["ferry-1"], limit=20)}
    assert IndexState.objects.get().documents == indexed - 1


def test_small_bulk_load_is_indexed(db, django_capture_on_commit_callbacks):
    articles = load_stories()
    with django_capture_on_commit_callbacks(execute=True):
        articles_loaded.send(sender=Article, article_ids=[a.pk for a in articles.values()])
    assert "ferry-2" in keys_of(services.related_for(articles["ferry-1"], limit=2), articles)
    assert "bridge-2" in keys_of(services.related_for(articles["bridge-1"], limit=2), articles)


def test_large_bulk_load_queues_a_rebuild(db, settings, django_capture_on_commit_callbacks):
    settings.BROADSHEET_RELATED_BULK_LIMIT = 3
    articles = load_stories()
    with django_capture_on_commit_callbacks(execute=True):
        articles_loaded.send(sender=Article, article_ids=[a.pk for a in articles.values()])
    assert "ferry-2" in keys_of(services.related_for(articles["ferry-1"], limit=2), articles)


def test_story_with_no_words_worth_indexing_publishes_without_a_list(
    stories, django_capture_on_commit_callbacks
):
    article = make_article("The", summary="", body="", status="draft", section=stories["ferry-1"].section)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(article)
    assert services.related_for(article) == []
    assert article not in services.related_for(stories["ferry-1"], limit=20)


def test_huge_body_with_odd_characters_is_indexed(stories, django_capture_on_commit_callbacks):
    body = ("Velmora ferry strike \x00 <b>north pier</b> \ud800 " * 20_000) + "night-shift rotas"
    article = make_article(
        "Velmora ferry strike: the night-shift rota dispute explained",
        body=body,
        status="draft",
        section=stories["ferry-1"].section,
    )
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(article)
    assert "ferry-1" in keys_of(services.related_for(article, limit=3), stories)
