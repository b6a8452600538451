"""Related-stories test helpers: the labelled story set, loaded and indexed."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.related import services
from tests.conftest import make_article, make_section

from .stories import STORIES


def load_stories(keys=None):
    """Create the labelled stories as published articles; returns {key: article}."""
    section = make_section("World")
    now = timezone.now()
    articles = {}
    for key, _cluster, headline, summary, body, tags, days in STORIES:
        if keys is not None and key not in keys:
            continue
        articles[key] = make_article(
            headline,
            summary=summary,
            body=body,
            tags=tags,
            section=section,
            external_id=key,
            publish_at=now - datetime.timedelta(days=days, hours=1),
        )
    return articles


@pytest.fixture
def stories(db):
    articles = load_stories()
    services.rebuild_related()
    return articles


def keys_of(articles, by_key):
    names = {a.pk: k for k, a in by_key.items()}
    return [names.get(a.pk, a.pk) for a in articles]
