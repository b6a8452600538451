"""A reader's browser talking WSGI to Django wrapped in the page cache, in this process."""

import gzip
from contextlib import contextmanager
from http.cookies import SimpleCookie

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from broadsheet.pagecache import conf, fragments, get_store
from broadsheet.pagecache.middleware import PageCache


class Answer:
    def __init__(self, status, headers, body):
        self.status_code = int(status[:3])
        self.header_list = headers
        self.headers = {name.lower(): value for name, value in headers}
        self.raw = body
        self.body = gzip.decompress(body) if self.headers.get("content-encoding") == "gzip" else body
        self.text = self.body.decode("utf-8", "replace")

    @property
    def cache(self):
        return self.headers.get("x-cache")

    def cookies(self):
        jar = SimpleCookie()
        for name, value in self.header_list:
            if name.lower() == "set-cookie":
                jar.load(value)
        return {key: morsel.value for key, morsel in jar.items()}


class Reader:
    """One visitor: keeps the cookies the site gives them, like a browser."""

    def __init__(self, app, cookies=None):
        self.app = app
        self.cookies = dict(cookies or {})

    def get(self, path, **headers):
        return self.request("get", path, headers=headers)

    def head(self, path, **headers):
        return self.request("head", path, headers=headers)

    def post(self, path, data, **headers):
        return self.request("post", path, data=data, headers=headers)

    def request(self, method, path, *, data=None, headers=None):
        extra = {"HTTP_" + k.upper(): v for k, v in (headers or {}).items()}
        if self.cookies:
            extra["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        factory = RequestFactory()
        args = (path, data) if method == "post" else (path,)
        environ = getattr(factory, method)(*args, **extra).environ
        captured = []
        with _test_connections():
            result = self.app(
                environ, lambda status, headers, exc_info=None: captured.extend([status, headers])
            )
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        answer = Answer(captured[0], captured[1], body)
        for name, value in answer.cookies().items():
            self.cookies[name] = value
        return answer


@contextmanager
def _test_connections():
    # As Django's test client does: the test's transaction must stay open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def site(db, settings):
    """Django wrapped in a fresh page cache (its own worker memory), sharing the configured store,
    and rendering with the fragment cache on, as in production."""
    settings.ROOT_URLCONF = "tests.pagecache.urls"
    settings.BROADSHEET_FRAGMENTS = True
    fragments.reset()
    return PageCache(WSGIHandler(), store=get_store(), conf=conf.load())


@pytest.fixture
def reader(site):
    return Reader(site)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block queued for after commit, as a real commit would."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block
