"""A value kept for every reader of a worker (the story a slug finds) is handed out as a copy:
one request prefetching or annotating it never changes what another thread holds."""

import pytest
from django.test import RequestFactory

from broadsheet.pagecache import fragments
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def test_each_request_gets_its_own_copy_of_a_kept_story(settings):
    settings.BROADSHEET_FRAGMENTS = True
    fragments.reset()
    story = make_article("Harbour dredging begins")
    from broadsheet.newsroom.models import Article

    def lookup():
        return fragments.value(
            RequestFactory().get("/"), "article", story.slug, lambda: Article.objects.get(pk=story.pk)
        )

    first = lookup()
    first.comment_count = 99  # what a listing annotator or prefetch does to its own copy
    first.headline = "changed by one request"
    second = lookup()
    assert second is not first
    assert second.headline == "Harbour dredging begins"
    assert not hasattr(second, "comment_count")
