"""Shared test helpers: small factories, an empty cache per test, uploads in a temp folder."""

import datetime
import io
import itertools
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from PIL import Image

_counter = itertools.count(1)


def pytest_sessionstart(session):
    """Start with no collected static files: a server a test starts (`broadsheet serve`) collects
    them into the test data folder, and an earlier run's copy would change what WhiteNoise serves."""
    import shutil

    from django.conf import settings

    if settings.STATIC_ROOT:
        shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from broadsheet.core.cache import ResilientRedisCache

    settings.MEDIA_ROOT = tmp_path / "media"
    # An outage simulated by an earlier test must not leave this one's cache "down" for a second.
    ResilientRedisCache._down_until = 0.0
    cache.clear()
    yield
    cache.clear()


def make_section(name=None, **kw):
    from broadsheet.newsroom.models import Section

    name = name or f"Section {next(_counter)}"
    return Section.objects.get_or_create(name=name, defaults=kw)[0]


def make_article(
    headline=None, *, section=None, status="published", publish_at=None, tags=(), authors=(), **kw
):
    from broadsheet.newsroom.models import Article, Author, Tag

    n = next(_counter)
    if publish_at is None and status == "published":
        publish_at = timezone.now() - datetime.timedelta(minutes=n)
    article = Article(
        headline=headline or f"Harbour council approves plan number {n}",
        summary=kw.pop("summary", f"A summary of story {n}."),
        body=kw.pop("body", f"The body of story {n}.\n\nA second paragraph."),
        section=section or make_section("News"),
        status=status,
        publish_at=publish_at,
        **kw,
    )
    article.save()
    if tags:
        article.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    if authors:
        article.authors.set([Author.objects.get_or_create(name=a)[0] for a in authors])
    return article


def make_user(username, *, role=None, superuser=False):
    user = get_user_model().objects.create_user(
        username, password="a-long-test-password", is_staff=True, is_superuser=superuser
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def picture_bytes(fmt="JPEG", size=(64, 48), exif=False):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "SecretCameraMaker"
        ex[0x8825] = {1: "N"}
        kwargs["exif"] = ex.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def editor(db):
    return make_user("editor", role="Editor")


@pytest.fixture
def writer(db):
    return make_user("writer", role="Writer")


def wait_for(predicate, timeout=15, interval=0.1):
    """Poll `predicate` until it is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def is_postgres():
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if "postgres" in item.keywords and "postgresql" not in engine:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "sqlite" in item.keywords and "sqlite" not in engine:
            item.add_marker(pytest.mark.skip(reason="needs SQLite"))


@pytest.fixture
def smtp(settings):
    """Email goes through a real SMTP server on 127.0.0.1, configured as EMAIL_URL would be;
    yields its inbox."""
    from broadsheet.settings import _email_settings
    from tests.newsletters.smtp import LocalSMTP

    with LocalSMTP() as server:
        for name, value in _email_settings(server.url).items():
            setattr(settings, name, value)
        yield server.inbox


@pytest.fixture
def site_values(settings):
    """Full renders with the site-wide values kept per worker (as in production), the fragment
    cache off; the kept values are forgotten before and after."""
    from broadsheet.pagecache import fragments

    settings.BROADSHEET_FRAGMENTS = False
    settings.BROADSHEET_SITE_VALUES = True
    fragments.reset()
    yield
    fragments.reset()
