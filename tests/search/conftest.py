"""Helpers for search tests: stories that go through the newsroom's signals like real ones."""

import pytest

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.signals import article_changed
from tests.conftest import make_article


def story(headline="A quiet day", *, body="Nothing much happened.", summary="A short summary.", **kw):
    """A published article, announced to the other apps as the newsroom's services do."""
    article = make_article(headline, body=body, summary=summary, **kw)
    article_changed.send(sender=Article, article=article)
    return article


@pytest.fixture
def commit_hooks(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the newsroom announces changes after commit)."""
    return django_capture_on_commit_callbacks


@pytest.fixture(autouse=True)
def empty_search_index(db):
    """Start from an empty index: Django's flush after transactional tests elsewhere in the suite
    empties the newsroom's tables but not the search index, which is not a Django model."""
    from broadsheet.search import get_backend

    get_backend().clear()
