"""Domain signals are sent after commit and robustly: a listener that fails is logged and the
others (the cache purge among them) still run."""

import pytest

from broadsheet.core import surrogates
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.signals import article_changed
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_listener_is_logged_and_the_purge_still_happens(monkeypatch, caplog):
    from broadsheet.pagecache import invalidation

    purged = []
    monkeypatch.setattr(invalidation, "purge", lambda keys, **kw: purged.extend(keys))

    def broken(sender, article, **kwargs):
        raise RuntimeError("search index is away")

    article_changed.connect(broken, dispatch_uid="test.broken")
    try:
        article = newsroom.publish(make_article("Ferry strike ends", status="draft"))
    finally:
        article_changed.disconnect(dispatch_uid="test.broken")
    assert surrogates.story(article.pk) in purged
    assert any("broken" in r.getMessage() and r.exc_info for r in caplog.records)
