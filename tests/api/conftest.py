"""A small newsroom for API tests: stories in two sections, a source, tags, authors, a draft."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.newsroom.models import Article, Author, Source
from broadsheet.newsroom.signals import article_changed
from tests.conftest import make_article, make_section


def story(headline, **kw):
    article = make_article(headline, **kw)
    article_changed.send(sender=Article, article=article)
    return article


@pytest.fixture(autouse=True)
def empty_search_index(db):
    """Start from an empty index: Django's flush after transactional tests elsewhere in the suite
    empties the newsroom's tables but not the search index, which is not a Django model."""
    from broadsheet.search import get_backend

    get_backend().clear()


@pytest.fixture
def newsroom(db):
    now = timezone.now()
    world, sport = make_section("World"), make_section("Sport")
    outlet = Source.objects.create(
        name="Harbor Ledger", homepage="https://harbor.example/", country="Norland"
    )
    Author.objects.create(name="Ana Reis", contact_email="ana.private@example.org", is_guest=True)
    stories = {
        "flood": story(
            "Flood barrier holds in Port Amsel",
            section=world,
            tags=["Weather"],
            authors=["Ana Reis"],
            publish_at=now - datetime.timedelta(days=3),
            external_id="wire-1",
            body="Engineers said the **barrier** held through the night.",
        ),
        "final": story(
            "Cup final goes to extra time",
            section=sport,
            source=outlet,
            source_url="https://harbor.example/final",
            tags=["Football"],
            # Two days back: never on the same calendar day as the story of five hours ago,
            # whatever time of day the tests run (one day back was, between 00:00 and 05:00).
            publish_at=now - datetime.timedelta(days=2),
        ),
        "erdogan": story(
            "Erdoğan meets port workers", section=world, publish_at=now - datetime.timedelta(hours=5)
        ),
    }
    stories["draft"] = make_article("Unpublished flood memo", section=world, status="draft")
    stories["scheduled"] = story(
        "Embargoed flood report", section=world, publish_at=now + datetime.timedelta(days=2)
    )
    return stories
