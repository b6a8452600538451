"""Cached pages with forms: every reader gets a token of their own, and it works."""

import pytest
from django.middleware.csrf import _unmask_cipher_token

from tests.pagecache.conftest import Reader

pytestmark = pytest.mark.django_db

FORM = "/test-pagecache/form/"


def tokens_in(page):
    import re

    return re.findall(r'name="(?:csrfmiddlewaretoken|again)" value="([A-Za-z0-9]+)"', page.text)


def test_each_visitor_gets_a_token_of_their_own(site):
    first, second, third = Reader(site), Reader(site), Reader(site)
    pages = [first.get(FORM), second.get(FORM), third.get(FORM)]
    assert [p.cache for p in pages] == ["MISS", "HIT", "HIT"]
    secrets = {first.cookies["csrftoken"], second.cookies["csrftoken"], third.cookies["csrftoken"]}
    assert len(secrets) == 3
    for reader, page in zip((first, second, third), pages, strict=True):
        for token in tokens_in(page):
            assert _unmask_cipher_token(token) == reader.cookies["csrftoken"]
    assert len({tokens_in(p)[0] for p in pages}) == 3


def test_returning_visitor_keeps_their_secret(site):
    reader = Reader(site)
    reader.get(FORM)
    secret = reader.cookies["csrftoken"]
    page = reader.get(FORM)
    assert page.cache == "HIT"
    assert "csrftoken" not in page.cookies()
    assert all(_unmask_cipher_token(t) == secret for t in tokens_in(page))


def test_post_with_the_served_token_passes_csrf(site):
    Reader(site).get(FORM)  # the page is now cached
    reader = Reader(site)
    page = reader.get(FORM)
    assert page.cache == "HIT"
    answer = reader.post("/test-pagecache/submit/", {"csrfmiddlewaretoken": tokens_in(page)[0]})
    assert (answer.status_code, answer.text) == (200, "accepted")


def test_post_with_someone_elses_token_fails_csrf(site):
    owner, other = Reader(site), Reader(site)
    owner.get(FORM)
    stolen = tokens_in(owner.get(FORM))[0]
    other.get(FORM)
    answer = other.post("/test-pagecache/submit/", {"csrfmiddlewaretoken": stolen})
    assert answer.status_code == 403


def test_bad_csrf_cookie_gets_a_new_secret(site):
    Reader(site).get(FORM)
    reader = Reader(site, cookies={"csrftoken": "<script>"})
    page = reader.get(FORM)
    assert page.cache == "HIT"
    secret = page.cookies()["csrftoken"]
    assert len(secret) == 32
    answer = reader.post("/test-pagecache/submit/", {"csrfmiddlewaretoken": tokens_in(page)[0]})
    assert answer.status_code == 200


def test_etag_of_a_form_page_is_per_visitor(site):
    first, second = Reader(site), Reader(site)
    page = first.get(FORM)
    again = first.get(FORM, if_none_match=page.headers["etag"])
    assert again.status_code == 304
    other = second.get(FORM, if_none_match=page.headers["etag"])
    assert other.status_code == 200
    assert other.headers["etag"] != page.headers["etag"]
    assert "private" in page.headers["cache-control"]


def test_gzip_form_page_carries_a_working_token(site):
    Reader(site).get(FORM)
    reader = Reader(site)
    page = reader.get(FORM, accept_encoding="gzip")
    assert (page.cache, page.headers["content-encoding"]) == ("HIT", "gzip")
    answer = reader.post("/test-pagecache/submit/", {"csrfmiddlewaretoken": tokens_in(page)[0]})
    assert answer.text == "accepted"
