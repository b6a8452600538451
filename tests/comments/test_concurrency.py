"""Many readers commenting at once: every accepted comment is stored, none fails as "locked"."""

import importlib.util
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from broadsheet.comments.models import Comment
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def load_bench():
    bench = Path(__file__).resolve().parents[2] / "bench"
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))  # bench_comments imports its neighbour common.py
    path = bench / "bench_comments.py"
    spec = importlib.util.spec_from_file_location("bench_comments", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_concurrent_commenters_all_get_stored(live_server, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    article = make_article("Everyone has an opinion")
    bench = load_bench()
    address = urlsplit(live_server.url)
    stats = bench.post_many(
        address.hostname, address.port, article.get_absolute_url(), article.pk, total=100, clients=8
    )
    assert stats["locked"] == 0
    assert stats["failed"] == 0, stats["reasons"]
    assert stats["accepted"] == 100
    assert Comment.objects.filter(article=article).count() == 100
