"""Signed-in editors, readers with a comment awaiting moderation and private pages bypass the cache."""

import pytest
from django.test import Client

from tests.conftest import make_article
from tests.pagecache.conftest import Reader

pytestmark = pytest.mark.django_db


def signed_in(site, user):
    client = Client()
    client.force_login(user)
    return Reader(site, cookies={name: morsel.value for name, morsel in client.cookies.items()})


def test_signed_in_editor_never_gets_a_cached_page(site, editor):
    make_article("Harbour dredging begins")
    anonymous = Reader(site)
    anonymous.get("/")
    assert anonymous.get("/").cache == "HIT"
    editor_browser = signed_in(site, editor)
    page = editor_browser.get("/")
    assert (page.status_code, page.cache) == (200, "BYPASS")
    assert editor_browser.get("/").cache == "BYPASS"


def test_signed_in_editor_never_fills_the_cache(site, editor):
    make_article("Lifeboat crew honoured")
    editor_browser = signed_in(site, editor)
    editor_browser.get("/")
    editor_browser.get("/")
    assert Reader(site).get("/").cache == "MISS"


def test_admin_is_never_cached(site, editor):
    reader = Reader(site)
    assert reader.get("/admin/login/").cache == "BYPASS"
    assert reader.get("/admin/login/").cache == "BYPASS"
    assert signed_in(site, editor).get("/admin/").cache == "BYPASS"


@pytest.mark.parametrize("cookie", ["messages", "bs_nocache_draft", "bs_read_primary"])
def test_reader_with_a_cookie_of_their_own_is_never_served_anothers_page(site, cookie):
    make_article("Bakery wins award")
    Reader(site).get("/")
    assert Reader(site).get("/").cache == "HIT"
    mine = Reader(site, cookies={cookie: "abc123"})
    page = mine.get("/")
    assert (page.status_code, page.cache) == (200, "BYPASS")
    # ...and what they were shown never reaches anyone else.
    assert Reader(site).get("/").cache == "HIT"


@pytest.mark.parametrize("cookie", ["bs_my_comments", "bs_commenter"])
def test_commenter_cookies_get_the_page_everyone_gets(site, cookie):
    # The commenter's own parts come from comments.js, so their story page is the shared one.
    make_article("Bakery wins award")
    shared = Reader(site).get("/")
    page = Reader(site, cookies={cookie: "abc123"}).get("/")
    assert (page.status_code, page.cache) == (200, "HIT")
    assert page.body == shared.body


def test_bypass_cookie_names_are_a_setting(settings, db):
    from django.core.handlers.wsgi import WSGIHandler

    from broadsheet.pagecache import conf, get_store
    from broadsheet.pagecache.middleware import PageCache

    settings.BROADSHEET_PAGECACHE_BYPASS_COOKIES = ["my_draft"]
    site = PageCache(WSGIHandler(), store=get_store(), conf=conf.load())
    assert Reader(site, cookies={"my_draft": "1"}).get("/").cache == "BYPASS"
    assert Reader(site, cookies={"bs_nocache": "1"}).get("/").cache == "BYPASS"
    assert Reader(site, cookies={"sessionid": "1"}).get("/").cache == "MISS"  # no longer listed


def test_render_for_an_unknown_cookie_is_served_but_never_stored(site):
    make_article("Pier lights switched on")
    stranger = Reader(site, cookies={"theme": "dark"})
    assert stranger.get("/").cache == "MISS"
    assert stranger.get("/").cache == "MISS"
    plain = Reader(site)
    assert plain.get("/").cache == "MISS"
    # Once a cookie-less reader filled the cache, the stranger is served from it too.
    assert stranger.get("/").cache == "HIT"


def test_commenter_details_never_reach_another_reader(site, committed):
    comments_conf = pytest.importorskip("broadsheet.comments.conf")
    with committed():
        story = make_article("Coastal path reopens")
    commenter = Reader(site, cookies={comments_conf.commenter_cookie(): "anything"})
    first = commenter.get(story.get_absolute_url())
    assert first.cache == "MISS" and "anything" not in first.text
    assert Reader(site).get(story.get_absolute_url()).body == first.body


def test_post_is_never_cached(reader):
    reader.get("/test-pagecache/form/")
    answer = reader.post("/test-pagecache/submit/", {"csrfmiddlewaretoken": "x"})
    assert answer.cache == "BYPASS"


def test_preview_links_are_never_cached(reader):
    story = make_article("Secret plans for the pier", status="draft")
    first = reader.get(story.get_preview_url())
    assert (first.status_code, first.cache) == (200, "BYPASS")
    assert reader.get(story.get_preview_url()).cache == "BYPASS"


def test_page_marked_never_cache_is_not_stored(reader):
    reader.get("/test-pagecache/private/")
    assert reader.get("/test-pagecache/private/").cache == "MISS"


def test_page_setting_its_own_cookie_is_not_stored(reader):
    reader.get("/test-pagecache/cookie/")
    assert Reader(reader.app).get("/test-pagecache/cookie/").cache == "MISS"


def test_authorization_header_bypasses(reader):
    make_article("Tram line extension approved")
    reader.get("/")
    assert reader.get("/", authorization="Bearer abc").cache == "BYPASS"


def test_a_broken_store_only_slows_pages_down(site, monkeypatch):
    make_article("Power cut hits the old town")

    def down():
        raise ConnectionError("store is down")

    monkeypatch.setattr(site.store, "state", down)
    page = Reader(site).get("/")
    assert (page.status_code, page.cache) == (200, "BYPASS")
    assert "Power cut hits the old town" in page.text
    # For a moment the store is not even asked, so a stopped Redis cannot slow every request.
    monkeypatch.setattr(site.store, "state", lambda: pytest.fail("asked a store known to be down"))
    assert Reader(site).get("/").status_code == 200


def test_uncached_page_still_answers_304_to_its_etag(site):
    make_article("Sea wall inspection complete")
    mine = Reader(site, cookies={"bs_nocache": "abc"})
    page = mine.get("/")
    assert (page.cache, page.status_code) == ("BYPASS", 200)
    again = mine.get("/", if_none_match=page.headers["etag"])
    assert (again.cache, again.status_code) == ("BYPASS", 304)
