"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the site and each section, tag, author and source."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.newsroom.models import Author, Source
from tests.conftest import make_article, make_section, picture_bytes

from .helpers import get_json_feed, parse_feed

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
FORMATS = ("", "atom/", "json/")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.BROADSHEET_SITE_URL = SITE


def feed_titles(client, url):
    """Entry titles of a feed in any of the three formats, in feed order."""
    if url.endswith("json/"):
        return [item["title"] for item in get_json_feed(client, url)["items"]]
    return [entry.title for entry in parse_feed(client, url).entries]


def test_site_feeds_are_valid_and_list_newest_first(client):
    now = timezone.now()
    make_article("Older ferry story", publish_at=now - datetime.timedelta(hours=3))
    make_article("Newest ferry story", publish_at=now - datetime.timedelta(minutes=1))
    rss = parse_feed(client, "/feed/")
    assert rss.version == "rss20"
    assert [e.title for e in rss.entries] == ["Newest ferry story", "Older ferry story"]
    assert rss.entries[0].link.startswith(f"{SITE}/story/newest-ferry-story")
    assert rss.feed.link == f"{SITE}/"
    atom = parse_feed(client, "/feed/atom/")
    assert atom.version == "atom10"
    assert [e.title for e in atom.entries] == ["Newest ferry story", "Older ferry story"]
    assert all(e.get("updated") and e.get("published") and e.get("id") for e in atom.entries)
    assert feed_titles(client, "/feed/json/") == ["Newest ferry story", "Older ferry story"]


def test_feeds_list_only_published_stories(client):
    make_article("Visible harbour story")
    make_article("Draft harbour story", status="draft")
    make_article("In review harbour story", status="review")
    make_article("Tomorrow's harbour story", publish_at=timezone.now() + datetime.timedelta(days=1))
    for suffix in FORMATS:
        assert feed_titles(client, f"/feed/{suffix}") == ["Visible harbour story"]


def test_feed_lists_the_latest_fifty(client):
    now = timezone.now()
    for n in range(52):
        make_article(f"Tide table {n:02d}", publish_at=now - datetime.timedelta(minutes=100 - n))
    for suffix in FORMATS:
        titles = feed_titles(client, f"/feed/{suffix}")
        assert len(titles) == 50
        assert titles[0] == "Tide table 51" and "Tide table 00" not in titles


def test_each_section_tag_author_and_source_has_its_own_feeds(client):
    world, sport = make_section("World"), make_section("Sport")
    source = Source.objects.create(name="Harbor Ledger", homepage="https://harbor.example/")
    make_article("Summit in the capital", section=world, tags=["summits"], authors=["Ada Quill"])
    make_article("Cup final report", section=sport, tags=["football"], authors=["Ben Rook"], source=source)
    expected = {
        "/feed/section/world/": ["Summit in the capital"],
        "/feed/section/sport/": ["Cup final report"],
        "/feed/tag/summits/": ["Summit in the capital"],
        "/feed/author/ben-rook/": ["Cup final report"],
        "/feed/source/harbor-ledger/": ["Cup final report"],
    }
    for base, titles in expected.items():
        for suffix in FORMATS:
            assert feed_titles(client, base + suffix) == titles, base + suffix
    rss = parse_feed(client, "/feed/section/world/")
    assert rss.feed.title == "World · The Broadsheet"
    assert rss.feed.link == f"{SITE}/section/world/"
    assert get_json_feed(client, "/feed/tag/summits/json/")["feed_url"] == f"{SITE}/feed/tag/summits/json/"


@pytest.mark.parametrize(
    "url",
    ["/feed/section/nowhere/", "/feed/tag/nowhere/atom/", "/feed/author/nobody/json/", "/feed/planet/x/"],
)
def test_feed_of_unknown_subject_is_not_found(client, url):
    make_section("World")
    assert client.get(url).status_code == 404


def test_feeds_carry_the_summary_by_default(client):
    make_article("Lock gates", summary="The gates open on Monday.", body="Secret **body** words here.")
    rss = parse_feed(client, "/feed/")
    assert rss.entries[0].summary == "The gates open on Monday."
    assert "content" not in rss.entries[0]
    assert b"Secret" not in client.get("/feed/atom/").content
    item = get_json_feed(client, "/feed/json/")["items"][0]
    assert item["content_text"] == "The gates open on Monday." and "content_html" not in item


def test_feeds_carry_the_whole_story_when_full_text_is_on(client, settings):
    settings.BROADSHEET_FEED_FULL_TEXT = True
    make_article("Lock gates", summary="The gates open on Monday.", body="Whole **body** words here.")
    for url in ("/feed/", "/feed/atom/"):
        entry = parse_feed(client, url).entries[0]
        assert "<strong>body</strong>" in entry.content[0].value
        assert entry.summary == "The gates open on Monday."
    item = get_json_feed(client, "/feed/json/")["items"][0]
    assert "<strong>body</strong>" in item["content_html"]


def test_story_without_summary_is_summarised_from_its_body(client):
    make_article("No standfirst", summary="", body="First words of the body. " * 40)
    entry = parse_feed(client, "/feed/").entries[0]
    assert entry.summary.startswith("First words of the body.") and entry.summary.endswith("…")


def test_feeds_name_authors_and_never_their_email(client):
    guest = Author.objects.create(
        name="Guest Writer", is_guest=True, contact_email="guest.writer@example.org"
    )
    article = make_article("Guest column on ferries", authors=["Ada Quill"])
    article.authors.add(guest)
    for url in ("/feed/", "/feed/atom/", "/feed/json/", "/feed/author/guest-writer/"):
        body = client.get(url).content.decode()
        assert "guest.writer@example.org" not in body and "example.org" not in body.replace(SITE, "")
        assert "Guest Writer" in body
    assert parse_feed(client, "/feed/").entries[0].author == "Ada Quill and Guest Writer"
    item = get_json_feed(client, "/feed/json/")["items"][0]
    assert item["authors"] == [
        {"name": "Ada Quill", "url": f"{SITE}/author/ada-quill/"},
        {"name": "Guest Writer", "url": f"{SITE}/author/guest-writer/"},
    ]


def test_json_feed_has_every_field_version_1_1_requires(client):
    source = Source.objects.create(name="Harbor Ledger")
    make_article(
        "Republished pier story", source=source, source_url="https://harbor.example/pier", tags=["piers"]
    )
    make_article("Our own pier story")
    feed = get_json_feed(client, "/feed/json/")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and isinstance(feed["items"], list)
    assert feed["home_page_url"] == f"{SITE}/" and feed["feed_url"] == f"{SITE}/feed/json/"
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert ("content_html" in item) or ("content_text" in item)
        assert item["url"].startswith(f"{SITE}/story/")
        datetime.datetime.fromisoformat(item["date_published"])
        datetime.datetime.fromisoformat(item["date_modified"])
        for author in item.get("authors", []):
            assert set(author) <= {"name", "url", "avatar"}
    republished = next(i for i in feed["items"] if i["title"] == "Republished pier story")
    assert republished["external_url"] == "https://harbor.example/pier"
    assert "piers" in republished["tags"]
    own = next(i for i in feed["items"] if i["title"] == "Our own pier story")
    assert "external_url" not in own


def test_lead_picture_travels_as_an_enclosure(client):
    article = make_article("Pier at dawn", image_alt="The pier")
    article.image.save("pier.jpg", ContentFile(picture_bytes()), save=True)
    for url in ("/feed/", "/feed/atom/"):
        enclosure = parse_feed(client, url).entries[0].enclosures[0]
        assert enclosure.href.startswith(f"{SITE}/media/") and enclosure.type == "image/jpeg"
        assert int(enclosure.length) > 0
    assert get_json_feed(client, "/feed/json/")["items"][0]["image"].startswith(f"{SITE}/media/")


@pytest.mark.parametrize(
    "headline",
    [
        "Bell\x01rings\x0b at\x1f dawn",
        "<script>alert('x')</script> & <b>bold</b>",
        "Ünïcödé ferry 🚢 ‮reversed‬",
        "x" * 300,
    ],
)
def test_hostile_text_keeps_every_feed_valid(client, headline):
    make_article(headline, summary=headline, body=headline, tags=[headline[:60] + " tag"])
    for suffix in ("", "atom/"):
        title = parse_feed(client, f"/feed/{suffix}").entries[0].title
        assert title.replace("\n", "") == "".join(c for c in headline if c >= " ")
    item = get_json_feed(client, "/feed/json/")["items"][0]
    assert item["title"] == "".join(c for c in headline if c >= " ")


def test_feed_queries_do_not_grow_with_the_number_of_stories(client):
    def count(n):
        for i in range(n):
            make_article(f"Story {n}-{i}", tags=[f"t{i}", "shared"], authors=[f"Writer {i}"])
        with CaptureQueriesContext(connection) as ctx:
            client.get("/feed/")
        return len(ctx.captured_queries)

    assert count(2) == count(8)


def test_feeds_refuse_writes(client):
    assert client.post("/feed/").status_code == 405
    assert client.post("/feed/json/").status_code == 405


def test_feed_reader_gets_not_modified_until_a_story_appears(client):
    make_article("First tide story")
    for url in ("/feed/", "/feed/atom/", "/feed/json/"):
        first = client.get(url)
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    etag = client.get("/feed/")["ETag"]
    make_article("Second tide story")
    response = client.get("/feed/", headers={"if-none-match": etag})
    assert response.status_code == 200 and b"Second tide story" in response.content


def test_feeds_follow_edits_and_unpublishing(client):
    from broadsheet.newsroom import services

    article = make_article("Original tide headline")
    assert feed_titles(client, "/feed/json/") == ["Original tide headline"]
    article.headline = "Corrected tide headline"
    services.save_article(article)
    assert feed_titles(client, "/feed/json/") == ["Corrected tide headline"]
    services.unpublish(article)
    assert feed_titles(client, "/feed/") == []


def test_empty_site_still_has_valid_feeds(client):
    make_section("Quiet Desk")
    for url in ("/feed/", "/feed/atom/", "/feed/section/quiet-desk/", "/feed/section/quiet-desk/atom/"):
        assert parse_feed(client, url).entries == []
    assert get_json_feed(client, "/feed/json/")["items"] == []


def test_subject_with_markup_in_its_name_keeps_feeds_valid(client):
    section = make_section("Arts & <Letters>\x02", description="Books & <i>plays</i>")
    make_article("Opening night", section=section)
    rss = parse_feed(client, f"/feed/section/{section.slug}/")
    assert rss.feed.title == "Arts & <Letters> · The Broadsheet"
    assert (
        get_json_feed(client, f"/feed/section/{section.slug}/json/")["description"] == "Books & <i>plays</i>"
    )


def test_full_text_links_point_back_to_this_site(client, settings):
    settings.BROADSHEET_FEED_FULL_TEXT = True
    make_article(
        "Linked story",
        body="See [the archive](/archive/2026/), ![map](/media/map.png) and [elsewhere](https://other.example/x).",
    )
    content = parse_feed(client, "/feed/").entries[0].content[0].value
    assert f'href="{SITE}/archive/2026/"' in content and f'src="{SITE}/media/map.png"' in content
    assert 'href="https://other.example/x"' in content


def test_cached_feed_is_kept_no_longer_than_the_wait_for_a_scheduled_story(client, monkeypatch):
    from broadsheet.syndication import cache as syndication_cache

    real, timeouts = syndication_cache.cache, []

    class RecordingCache:
        def __getattr__(self, name):
            return getattr(real, name)

        def set(self, key, value, timeout):
            timeouts.append(timeout)
            real.set(key, value, timeout)

    monkeypatch.setattr(syndication_cache, "cache", RecordingCache())
    make_article("Standing tide story")
    make_article("Scheduled tide story", publish_at=timezone.now() + datetime.timedelta(seconds=30))
    assert feed_titles(client, "/feed/json/") == ["Standing tide story"]
    assert timeouts and all(1 <= t <= 30 for t in timeouts)


def _raw_summaries(client, url, tag):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get(url).content)
    return [(el.get("type"), el.text) for el in root.iter(tag)]


def test_plain_summaries_are_never_rendered_as_markup_by_a_feed_reader(client):
    make_article("Markup in words", summary="Use <b>bold</b> & <script>x()</script> sparingly.")
    make_article("Entities in body", summary="", body="Fish & chips <em>tonight</em>.")
    rss = _raw_summaries(client, "/feed/", "description")[1:]  # the first is the channel's
    # RSS 2.0: the description is HTML, so the plain text arrives escaped.
    assert (None, "Fish &amp; chips tonight.") in rss
    assert (None, "Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt; sparingly.") in rss
    atom = _raw_summaries(client, "/feed/atom/", "{http://www.w3.org/2005/Atom}summary")
    # Atom: the summary says it is text, and is the text itself.
    assert ("text", "Fish & chips tonight.") in atom
    assert ("text", "Use <b>bold</b> & <script>x()</script> sparingly.") in atom
    entries = {e.title: e for e in parse_feed(client, "/feed/atom/").entries}
    assert entries["Markup in words"].summary_detail.type == "text/plain"
