"""Public pages show what a reader expects, with a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.newsroom.models import Author, Correction, Source
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db


def test_article_page_shows_everything_a_reader_expects(client):
    source = Source.objects.create(name="Harbor Ledger", homepage="https://harbor.example/")
    article = make_article(
        "Council votes to rebuild the old pier",
        tags=["harbours", "councils"],
        authors=["Ada Quill", "Ben Rook"],
        source=source,
        source_url="https://harbor.example/pier-vote",
        image_caption="The pier at dawn.",
        image_credit="Cleo Marsh",
        body="The council **voted** on Tuesday.",
    )
    Correction.objects.create(article=article, text="An earlier version misstated the cost.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1" in html and "Council votes to rebuild the old pier" in html
    assert "Ada Quill" in html and "Ben Rook" in html
    assert 'Source: <a href="https://harbor.example/pier-vote"' in html and "Harbor Ledger</a>" in html
    assert "<strong>voted</strong>" in html
    assert "harbours" in html and "councils" in html
    assert "An earlier version misstated the cost." in html
    assert '<meta property="og:type" content="article">' in html
    assert "Publish Your Article" in html and 'href="/publish/"' in html
    assert '<time datetime="' in html


def test_own_story_has_no_source_line(client):
    article = make_article("Our own reporting")
    assert "Source:" not in client.get(article.get_absolute_url()).content.decode()


def test_home_page_has_lead_latest_and_section_blocks(client):
    world = make_section("World")
    sport = make_section("Sport")
    for i in range(3):
        make_article(f"World story {i}", section=world)
        make_article(f"Sport story {i}", section=sport)
    html = client.get("/").content.decode()
    assert "World story 0" in html and "Sport story 2" in html
    assert 'href="/section/world/"' in html and 'href="/section/sport/"' in html


def test_home_page_queries_do_not_grow_with_sections(client, settings):
    settings.BROADSHEET_FRAGMENTS = False  # every request renders the page in full

    def count():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/", HTTP_COOKIE="bs_nocache=1").content.decode()
        return len(ctx.captured_queries), html

    for name in ("World", "Sport"):
        section = make_section(name)
        for i in range(20):
            make_article(f"{name} story {i:02d}", section=section)
    few, html = count()
    # The newest 13 lead the page (World 00-12); each section's block shows its next four.
    assert html.count(">World story 12<") == 1 and ">World story 16<" in html and "World story 17" not in html
    assert ">Sport story 00<" in html and ">Sport story 03<" in html and "Sport story 04" not in html
    for name in ("Science", "Culture", "Travel", "Money"):
        section = make_section(name)
        for i in range(6):
            make_article(f"{name} story {i:02d}", section=section)
    more, html = count()
    assert more == few
    assert "Science story 03" in html and "Science story 04" not in html


def test_listing_pages_are_paginated(client, settings):
    import re

    section = make_section("Science")
    for i in range(45):
        make_article(f"Comet note {i:02d}", section=section, tags=["comets"], authors=["Vera Lune"])
    page1 = client.get("/section/science/").content.decode()
    assert "Comet note 00" in page1 and "Comet note 24" not in page1
    older = re.search(r'href="(\?before=[^"]+)"', page1).group(1)
    page2 = client.get("/section/science/" + older).content.decode()
    assert "Comet note 24" in page2 and "Comet note 00" not in page2
    older = re.search(r'href="(\?before=[^"]+)"', page2).group(1)
    page3 = client.get("/section/science/" + older).content.decode()
    assert "Comet note 44" in page3 and "Older stories" not in page3
    newer = re.search(r'href="(\?after=[^"]+)"', page3).group(1)
    assert "Comet note 24" in client.get("/section/science/" + newer).content.decode()
    for junk in [
        "?page=abc",
        "?before=abc",
        "?before=99999999999999999999999-1",
        "?after=-5--5",
        "?before=" + "9" * 500,
    ]:
        assert client.get("/section/science/" + junk).status_code == 200
    assert client.get("/tag/comets/").status_code == 200
    assert client.get("/author/vera-lune/").status_code == 200
    today = timezone.now()
    assert "Comet note" in client.get(f"/archive/{today.year}/{today.month}/").content.decode()
    for bad in [
        "/archive/2026/13/",
        "/archive/9999/12/",
        "/archive/9999/",
        "/archive/0/",
        "/archive/2026/2/30/",
        "/archive/99999999999999999999/",
    ]:
        assert client.get(bad).status_code == 404, bad


def test_listing_pages_never_count_the_whole_table(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section = make_section("Culture")
    for i in range(3):
        make_article(f"Gallery {i}", section=section)
    for url in ["/", "/section/culture/", f"/archive/{timezone.now().year}/"]:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()], url


def test_source_page_lists_republished_stories(client):
    source = Source.objects.create(name="Meridian Wire", homepage="https://meridian.example/")
    make_article("Wire story", source=source)
    assert "Wire story" in client.get(source.get_absolute_url()).content.decode()


def test_article_page_query_count_is_constant(client):
    source = Source.objects.create(name="Copper Post")
    small = make_article("Small story", tags=["a"], authors=["One Writer"])
    big = make_article(
        "Big story",
        tags=[f"tag{i}" for i in range(12)],
        authors=[f"Writer {i}" for i in range(6)],
        source=source,
        source_url="https://copper.example/x",
    )
    for i in range(5):
        Correction.objects.create(article=big, text=f"Correction {i}")

    def count(article):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    assert count(small) == count(big)


def test_missing_pages_are_friendly_404s(client):
    response = client.get("/story/no-such-story/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_future_article_not_in_sitemap_or_home(client):
    make_article("Tomorrow's news", publish_at=timezone.now() + datetime.timedelta(days=1))
    make_article("Today's news")
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert "todays-news" in sitemap and "tomorrows-news" not in sitemap
    assert "sitemap-articles.xml" in client.get("/sitemap.xml").content.decode()


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "up"


def test_preview_link_shows_unpublished_story_to_anyone_with_the_link(client):
    article = make_article("Embargoed report", status="draft")
    response = client.get(article.get_preview_url())
    assert response.status_code == 200
    assert "Embargoed report" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/preview/forged-token/").status_code == 404


def test_security_headers_are_set(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_author_contact_email_never_public(client):
    author = Author.objects.create(
        name="Guest Writer", is_guest=True, contact_email="guest.writer@example.org"
    )
    article = make_article("Guest story")
    article.authors.add(author)
    for url in ["/", article.get_absolute_url(), author.get_absolute_url(), "/sitemap-articles.xml"]:
        assert "guest.writer@example.org" not in client.get(url).content.decode()
