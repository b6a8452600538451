"""Polling feeds over real HTTP: conditional GET, new items only, bad feeds recorded on health."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.wire import services
from broadsheet.wire.models import Feed, WireItem

from . import feeds

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "title": "Harbour council approves new sea wall",
        "link": "https://herald.example/2026/12/sea-wall/",
        "summary": "The council voted 7-2 for a new sea wall after winter floods.",
    },
    {
        "title": "Ferry timetable changes from Monday",
        "link": "https://herald.example/2026/12/ferry/",
        "summary": "Morning crossings move half an hour earlier.",
    },
]


def poll(capsys=None):
    call_command("wire", "poll")
    return capsys.readouterr().out if capsys else None


def test_add_feed_command_creates_the_source_and_poll_reports_new_items(feed_server, capsys):
    url = feed_server.add("/feed/", feeds.wordpress_rss(ITEMS), etag='"v1"')
    call_command("wire", "add-feed", "Harbour Herald", url)
    out = poll(capsys)
    assert "Harbour Herald" in out and out.strip().endswith("2 new")
    assert WireItem.objects.filter(source__name="Harbour Herald").count() == 2


def test_second_poll_sends_the_etag_and_a_304_brings_nothing(feed_server, capsys):
    url = feed_server.add("/feed/", feeds.wordpress_rss(ITEMS), etag='"v1"')
    feed = services.add_feed("Harbour Herald", url)
    services.poll_feed(feed)
    feed.refresh_from_db()
    result = services.poll_feed(feed)
    assert result.not_modified and result.new == 0
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert result.line().endswith("0 new")


def test_only_due_feeds_are_polled(feed_server, capsys):
    url = feed_server.add("/feed/", feeds.wordpress_rss(ITEMS))
    feed = services.add_feed("Harbour Herald", url)
    services.poll_due()
    feed.refresh_from_db()
    assert feed.next_poll_at > timezone.now()
    out = poll(capsys)
    assert "No feed is due" in out


def test_the_same_story_twice_is_kept_once(feed_server):
    tracked = dict(ITEMS[0], link=ITEMS[0]["link"] + "?utm_source=rss&utm_medium=feed#top", guid="other-id")
    copy_words = dict(ITEMS[1], link="https://mirror.example/ferry", guid="copy")
    url = feed_server.add("/feed/", feeds.wordpress_rss([*ITEMS, tracked, copy_words]))
    result = services.poll_feed(services.add_feed("Harbour Herald", url))
    assert result.new == 2


def test_items_that_change_ids_every_poll_are_not_new_again(feed_server):
    counter = iter(range(100))
    feed_server.add(
        "/feed/", lambda: feeds.wordpress_rss([dict(i, guid=f"id-{next(counter)}") for i in ITEMS])
    )
    feed = services.add_feed("Harbour Herald", feed_server.url("/feed/"))
    assert services.poll_feed(feed).new == 2
    assert services.poll_feed(feed).new == 0


def test_atom_and_json_feed_are_read(feed_server):
    atom_url = feed_server.add(
        "/atom",
        feeds.atom([{"title": "Valley dam opens", "link": "https://courier.example/dam"}]),
        content_type="application/atom+xml",
    )
    json_url = feed_server.add(
        "/json",
        feeds.json_feed(
            [
                {
                    "title": "Coast road reopens",
                    "link": "https://coast.example/road",
                    "summary": "After the landslide.",
                }
            ],
            language="fr",
        ),
        content_type="application/feed+json",
    )
    assert services.poll_feed(services.add_feed("Valley Courier", atom_url)).new == 1
    assert services.poll_feed(services.add_feed("Coast Daily", json_url)).new == 1
    item = WireItem.objects.get(source__name="Coast Daily")
    assert (
        item.headline == "Coast road reopens"
        and item.language == "fr"
        and item.url == "https://coast.example/road"
    )


def test_scripts_in_items_never_reach_the_queue(feed_server, admin_client):
    evil = {
        "title": "Budget <script>alert(1)</script>passes",
        "link": "https://herald.example/budget",
        "summary": "<p onclick='x()'>Money <img src=x onerror=alert(2)> for schools</p><script>steal()</script>",
        "content": "<p>Full</p><script>steal()</script><iframe src='https://evil.example'></iframe>",
    }
    url = feed_server.add("/feed/", feeds.wordpress_rss([evil]))
    feed = services.add_feed("Harbour Herald", url, full_text_allowed=True)
    services.poll_feed(feed)
    item = WireItem.objects.get()
    for text in (item.headline, item.summary, item.body_html):
        assert "<script" not in text and "onerror" not in text and "iframe" not in text
    page = admin_client.get("/wire/").content.decode()
    assert "Money for schools" in page or "Money  for schools" in page
    assert "<script>alert" not in page and "steal()" not in page


def test_dates_in_the_future_or_year_one_are_not_believed(feed_server):
    items = [
        dict(ITEMS[0], date="Fri, 05 Dec 2036 10:00:00 +0000"),
        dict(ITEMS[1], date="Mon, 01 Jan 0001 00:00:00 +0000"),
    ]
    url = feed_server.add("/feed/", feeds.wordpress_rss(items))
    services.poll_feed(services.add_feed("Harbour Herald", url))
    future = WireItem.objects.get(url__contains="sea-wall")
    ancient = WireItem.objects.get(url__contains="ferry")
    assert future.published_at <= timezone.now()
    assert ancient.published_at is None


BAD_FEEDS = {
    "/500": ({"body": b"oops", "status": 500}, "500"),
    "/slow": ({"body": feeds.wordpress_rss(ITEMS), "delay": 2.0}, "within"),
    "/loop": ({"status": 302, "location": "/loop2"}, "redirect"),
    "/huge": ({"body": b"<rss>" + b"x" * 300_000 + b"</rss>"}, "Too large"),
    "/endless": ({"endless": True}, "Too large"),
    "/trickle": ({"trickle": True}, "did not finish"),
    "/bomb": ({"body": feeds.BILLION_LAUGHS}, "entities"),
    "/xxe": ({"body": feeds.EXTERNAL_ENTITY}, "entities"),
    "/not-xml": ({"body": b"\x89PNG\r\n\x1a\n not a feed at all", "content_type": "image/png"}, "feed"),
    "/html": ({"body": b"<html><body><p>Hello</p></body></html>", "content_type": "text/html"}, "feed"),
    "/bad-json": ({"body": b"{not json", "content_type": "application/feed+json"}, "JSON"),
}


@pytest.mark.parametrize("path", BAD_FEEDS)
def test_a_bad_feed_is_recorded_on_its_health_and_backs_off(feed_server, wire_limits, path):
    route, message = BAD_FEEDS[path]
    feed_server.add(path, **route)
    if path == "/loop":
        feed_server.add("/loop2", status=302, location="/loop")
    feed = services.add_feed("Broken Outlet", feed_server.url(path), every_minutes=10)
    good = services.add_feed("Harbour Herald", feed_server.add("/good", feeds.wordpress_rss(ITEMS)))
    results = services.poll_due()
    bad_result = next(r for r in results if r.feed.pk == feed.pk)
    assert message.lower() in bad_result.error.lower()
    feed.refresh_from_db()
    assert feed.failures == 1 and message.lower() in feed.last_error.lower()
    assert feed.next_poll_at >= timezone.now() + datetime.timedelta(minutes=19)
    assert WireItem.objects.filter(feed=good).count() == 2  # the others keep flowing
    assert not WireItem.objects.filter(feed=feed).exists()


def test_back_off_grows_with_each_failure_and_resets_on_success(feed_server, wire_limits):
    url = feed_server.add("/flaky", b"down", status=503)
    feed = services.add_feed("Flaky", url, every_minutes=5)
    waits = []
    for _ in range(3):
        before = timezone.now()
        services.poll_feed(feed)
        waits.append((feed.next_poll_at - before).total_seconds() / 60)
    assert waits[0] < waits[1] < waits[2]
    feed_server.add("/flaky", feeds.wordpress_rss(ITEMS))
    services.poll_feed(feed)
    assert feed.failures == 0 and feed.last_success_at is not None


def test_unknown_encoding_is_read_or_recorded_never_crashes(feed_server):
    body = feeds.wordpress_rss(ITEMS).replace(b'encoding="UTF-8"', b'encoding="x-klingon-7"')
    url = feed_server.add("/enc", body, content_type="application/rss+xml; charset=x-klingon-7")
    feed = services.add_feed("Odd Encoding", url)
    result = services.poll_feed(feed)
    feed.refresh_from_db()
    # feedparser falls back to a known encoding; the feed's health says the document was odd.
    assert result.new == 2 and not result.error
    assert "despite errors" in feed.last_error


def test_deleting_a_source_keeps_its_published_stories(feed_server):
    from broadsheet.newsroom.models import Article, Section

    url = feed_server.add("/feed/", feeds.wordpress_rss(ITEMS))
    feed = services.add_feed("Harbour Herald", url)
    services.poll_feed(feed)
    article = services.republish(WireItem.objects.first(), section=Section.objects.create(name="News"))
    feed.source.delete()
    assert Article.objects.filter(pk=article.pk).exists()
    assert not Feed.objects.exists()
