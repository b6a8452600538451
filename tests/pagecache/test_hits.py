"""A page is rendered once, then answered from the cache; HTTP validators and gzip."""

import gzip
import time

import pytest
from django.test import Client

from tests.conftest import make_article, wait_for
from tests.pagecache.conftest import Reader

pytestmark = pytest.mark.django_db


def test_second_visit_is_served_from_cache(reader):
    make_article("Lighthouse keeper retires after forty winters")
    first = reader.get("/")
    second = reader.get("/")
    assert (first.status_code, first.cache) == (200, "MISS")
    assert (second.status_code, second.cache) == (200, "HIT")
    assert second.body == first.body
    assert "Lighthouse keeper retires" in second.text


def test_an_answer_from_the_cache_says_how_old_it_is(reader):
    make_article("Harbour crane lifts its last container")
    first = reader.get("/")
    assert first.cache == "MISS" and "age" not in first.headers
    assert int(reader.get("/").headers["age"]) <= 1
    time.sleep(2.1)
    later = reader.get("/")
    assert later.cache == "HIT" and 2 <= int(later.headers["age"]) <= 4
    not_modified = reader.get("/", if_none_match=first.headers["etag"])
    assert not_modified.status_code == 304 and int(not_modified.headers["age"]) >= 2


def test_each_page_has_its_own_entry(reader):
    story = make_article("Ferry timetable changes for the summer")
    reader.get("/")
    page = reader.get(story.get_absolute_url())
    assert page.cache == "MISS"
    assert "Ferry timetable changes" in page.text
    assert reader.get(story.get_absolute_url() + "?page=2").cache == "MISS"


def test_feeds_and_sitemaps_are_cached(reader):
    make_article("Orchard cooperative opens a cider press")
    for path in ("/feed/", "/sitemap.xml", "/robots.txt"):
        assert reader.get(path).cache == "MISS"
        again = reader.get(path)
        assert (again.status_code, again.cache) == (200, "HIT"), path


def test_missing_page_is_cached_briefly_and_stays_missing(reader):
    assert reader.get("/story/no-such-story/").status_code == 404
    again = reader.get("/story/no-such-story/")
    assert (again.status_code, again.cache) == (404, "HIT")


def test_unchanged_page_answers_304_to_its_etag(reader):
    make_article("Night market returns to the old quay")
    page = reader.get("/")
    etag = page.headers["etag"]
    assert etag.startswith('W/"')
    assert "last-modified" in page.headers
    not_modified = reader.get("/", if_none_match=etag)
    assert (not_modified.status_code, not_modified.body) == (304, b"")
    assert not_modified.headers["etag"] == etag
    assert reader.get("/", if_modified_since=page.headers["last-modified"]).status_code == 304
    assert reader.get("/", if_none_match='W/"something-else"').status_code == 200


def test_changed_page_no_longer_matches_old_etag(reader, committed):
    make_article("Bridge repairs finish early")
    etag = reader.get("/").headers["etag"]
    with committed():
        make_article("Choir wins regional contest")
    page = reader.get("/", if_none_match=etag)
    assert page.status_code == 200
    assert "Choir wins regional contest" in page.text


def test_gzip_copy_is_served_to_readers_who_accept_it(reader):
    make_article("Tidal energy trial extended")
    plain = reader.get("/")
    packed = reader.get("/", accept_encoding="gzip, deflate, br")
    assert packed.cache == "HIT"
    assert packed.headers["content-encoding"] == "gzip"
    assert len(packed.raw) < len(plain.raw) / 2
    assert packed.body == plain.body
    assert "Accept-Encoding" in packed.headers["vary"]
    refused = reader.get("/", accept_encoding="gzip;q=0, identity")
    assert "content-encoding" not in refused.headers


def test_head_is_answered_from_cache_without_body(reader):
    make_article("Harbour seals counted from the air")
    page = reader.get("/")
    head = reader.head("/")
    assert (head.status_code, head.cache, head.raw) == (200, "HIT", b"")
    assert head.headers["content-length"] == page.headers["content-length"]


def test_query_strings_and_hosts_are_kept_apart(reader):
    make_article("Museum reopens its map room")
    reader.get("/")
    assert reader.get("/?utm=1").cache == "MISS"
    assert reader.get("/", host="localhost").cache == "MISS"


def test_other_apps_test_client_sees_django_without_the_cache(db):
    # The wrapper sits in the WSGI application only, so Django's test client is unaffected.
    response = Client().get("/")
    assert "X-Cache" not in response.headers


def test_gzip_body_is_valid_for_a_page_with_tokens(reader):
    page = reader.get("/test-pagecache/form/", accept_encoding="gzip")
    again = reader.get("/test-pagecache/form/", accept_encoding="gzip")
    assert again.cache == "HIT"
    assert gzip.decompress(again.raw) == again.body
    assert "More words after the form." in again.text
    assert page.headers["content-encoding"] == "gzip"


def test_a_page_wanted_by_many_workers_at_once_is_rendered_once(db, committed):
    # Two page caches on one store stand for two worker processes; the page is slow to render.
    import threading

    from django.core.handlers.wsgi import WSGIHandler

    from broadsheet.pagecache import conf, get_store
    from broadsheet.pagecache.middleware import PageCache

    with committed():
        make_article("Breaking: the harbour bridge reopens")
    renders, release = [], threading.Event()
    django_app = WSGIHandler()

    def slow_app(environ, start_response):
        renders.append(1)
        release.wait(5)
        return django_app(environ, start_response)

    workers = [PageCache(slow_app, store=get_store(), conf=conf.load()) for _ in range(2)]
    answers = []
    readers = [threading.Thread(target=lambda w=w: answers.append(Reader(w).get("/"))) for w in workers * 3]
    for thread in readers:
        thread.start()
    assert wait_for(lambda: renders, timeout=5)
    time.sleep(0.2)  # the others reach the page while it is being rendered
    release.set()
    for thread in readers:
        thread.join(10)
    assert len(renders) == 1
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.body for a in answers}) == 1


def test_crafted_paths_and_queries_never_share_an_entry(reader):
    make_article("Pier lights switched on")
    odd = reader.get("/search/%7Cq=pier?b")  # the path holds "|q=pier", the query "b"
    plain = reader.get("/search/?q=pier|b")
    assert (odd.status_code, plain.status_code) == (404, 200)
    assert plain.cache == "MISS"


def test_tracking_parameters_and_order_do_not_split_the_cache(reader):
    make_article("Harbour festival dates announced")
    reader.get("/search/?q=harbour&page=1")
    again = reader.get("/search/?utm_source=newsletter&page=1&fbclid=xyz&q=harbour")
    assert again.cache == "HIT"


def test_unknown_host_is_never_looked_up_or_stored(reader):
    make_article("Tram line extension approved")
    answer = reader.get("/", host="evil.example")
    assert (answer.status_code, answer.cache) == (400, "BYPASS")
    assert reader.get("/").cache == "MISS"  # nothing of the refused request was kept
