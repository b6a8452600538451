"""related_lists_changed names the articles whose shown lists changed, after the commit."""

import pytest

from broadsheet.newsroom import services as newsroom
from broadsheet.related import services
from broadsheet.related.signals import related_lists_changed
from tests.conftest import make_article

from .test_freshness import FERRY_FOLLOW_UP

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    calls = []

    def listener(sender, article_ids, **kwargs):
        calls.append(article_ids)

    related_lists_changed.connect(listener)
    yield calls
    related_lists_changed.disconnect(listener)


def test_publish_names_the_new_story_and_the_lists_it_entered(
    stories, announced, django_capture_on_commit_callbacks
):
    draft = make_article(status="draft", section=stories["ferry-1"].section, **FERRY_FOLLOW_UP)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(draft)
    named = set().union(*announced)
    assert {draft.pk, stories["ferry-1"].pk, stories["ferry-2"].pk, stories["ferry-3"].pk} <= named
    assert stories["single-2"].pk not in named  # its list did not change


def test_saving_a_story_again_unchanged_announces_nothing(
    stories, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.save_article(stories["ferry-2"])
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.save_article(stories["ferry-2"])
    assert announced == []


def test_rebuild_announces_every_list(stories, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.rebuild_related()
    assert announced == [None]


def test_a_failing_listener_does_not_stop_the_others(stories, announced, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("purge failed")

    related_lists_changed.connect(broken, dispatch_uid="broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.rebuild_related()
    finally:
        related_lists_changed.disconnect(dispatch_uid="broken")
    assert announced == [None]
