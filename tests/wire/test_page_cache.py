"""Citations and entities found in the background reach readers of a page already cached."""

import pytest

from broadsheet.newsroom.models import Source
from broadsheet.wire import entities, provenance
from broadsheet.wire.models import Entity
from tests.conftest import make_article
from tests.pagecache.conftest import committed, reader, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_citations_found_after_the_page_was_cached_reach_readers(reader, committed):  # noqa: F811
    with committed():
        Source.objects.create(name="Haaretz")
        article = make_article(body="Haaretz reported that the talks had stalled.")
    reader.get(article.get_absolute_url())
    assert reader.get(article.get_absolute_url()).cache == "HIT"
    with committed():
        provenance.refresh_citations(article)  # what the background task does
    page = reader.get(article.get_absolute_url())
    assert page.cache == "MISS" and "Reporting cited" in page.text


def test_entities_linked_after_the_page_was_cached_reach_readers(reader, committed):  # noqa: F811
    with committed():
        article = make_article(body="Qasem Soleimani was killed.")
        Entity.objects.create(name="Qassem Soleimani")
    reader.get(article.get_absolute_url())
    assert reader.get(article.get_absolute_url()).cache == "HIT"
    with committed():
        entities.refresh_mentions(article)
    assert "Qassem Soleimani" in reader.get(article.get_absolute_url()).text


def test_polling_feeds_does_not_empty_the_page_cache(reader, committed, feed_server):  # noqa: F811
    from broadsheet.wire import services

    from . import feeds

    with committed():
        article = make_article("Standing story")
        feed = services.add_feed(
            "Harbour Herald",
            feed_server.add(
                "/f", feeds.wordpress_rss([{"title": "Sea wall approved", "link": "https://h.example/1"}])
            ),
        )
    reader.get(article.get_absolute_url())
    with committed():
        services.poll_feed(feed)
    assert reader.get(article.get_absolute_url()).cache == "HIT"
