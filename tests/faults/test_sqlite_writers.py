"""SQLite under many concurrent writers: no reader is ever shown "database is locked"."""

import re

import pytest

from broadsheet.comments.models import Comment
from tests.conftest import make_article

from .conftest import bench

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.sqlite(reason="SQLite's single writer is what this test loads; PostgreSQL has no such lock")
def test_many_concurrent_commenters_never_see_database_is_locked(live_server, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    article = make_article("Everyone writes at once")
    port = int(live_server.url.rsplit(":", 1)[1])
    load = bench.CommentLoad(port, article.pk, article.get_absolute_url(), clients=16, seconds=3, run="crowd")
    for thread in load.run():
        thread.join(timeout=120)
    bodies = Comment.objects.filter(article=article).values_list("body", flat=True)
    stored = {marker for body in bodies for marker in re.findall(r"crowdx\d+x\d+", body)}
    assert load.locked_pages == 0
    assert load.count("failed") == 0, load.reasons()
    assert load.count("refused") == 0, load.reasons()
    assert load.acknowledged()
    assert load.acknowledged() <= stored
