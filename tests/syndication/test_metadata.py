"""Metadata on every page: canonical link, OpenGraph, Twitter card, JSON-LD, feed links."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.newsroom.conf import page_size
from broadsheet.newsroom.models import Author, Source
from broadsheet.syndication import conf
from tests.conftest import make_article, make_section, picture_bytes

from .helpers import read_head

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.BROADSHEET_SITE_URL = SITE


@pytest.fixture
def pier_story():
    article = make_article(
        "Council votes to rebuild the old pier",
        summary="The vote was close.",
        section=make_section("Politics"),
        tags=["piers", "councils"],
        authors=["Ada Quill", "Ben Rook"],
        image_alt="The old pier at low tide",
    )
    article.image.save("pier.jpg", ContentFile(picture_bytes()), save=True)
    return article


def test_article_page_has_canonical_opengraph_and_twitter_tags(client, pier_story):
    head, _ = read_head(client, pier_story.get_absolute_url())
    url = f"{SITE}/story/council-votes-to-rebuild-the-old-pier/"
    assert head.link("canonical")["href"] == url
    assert head.first("og:type") == "article"
    assert head.first("og:title") == "Council votes to rebuild the old pier"
    assert head.first("og:description") == "The vote was close."
    assert head.first("og:url") == url
    assert head.first("og:site_name") == "The Broadsheet"
    assert head.first("og:image").startswith(f"{SITE}/media/")
    assert head.first("og:image:alt") == "The old pier at low tide"
    assert head.first("article:section") == "Politics"
    assert head.meta["article:tag"] == ["councils", "piers"]
    assert head.first("article:published_time") and head.first("article:modified_time")
    assert head.first("twitter:card") == "summary_large_image"
    assert head.first("twitter:title") == "Council votes to rebuild the old pier"
    assert head.first("twitter:image") == head.first("og:image")


def test_article_page_has_news_article_and_breadcrumbs_json_ld(client, pier_story):
    head, _ = read_head(client, pier_story.get_absolute_url())
    (news,) = head.json_ld_of_type("NewsArticle")
    pier_story.refresh_from_db()
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == "Council votes to rebuild the old pier"
    assert news["datePublished"] == pier_story.publish_at.isoformat()
    assert news["dateModified"] == pier_story.updated_at.isoformat()
    assert [a["name"] for a in news["author"]] == ["Ada Quill", "Ben Rook"]
    assert news["author"][0]["url"] == f"{SITE}/author/ada-quill/"
    assert news["publisher"]["name"] == "The Broadsheet" and news["publisher"]["url"] == f"{SITE}/"
    assert news["image"][0].startswith(f"{SITE}/media/")
    assert news["articleSection"] == "Politics"
    assert "isBasedOn" not in news
    (crumbs,) = head.json_ld_of_type("BreadcrumbList")
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "The Broadsheet", f"{SITE}/"),
        (2, "Politics", f"{SITE}/section/politics/"),
        (3, "Council votes to rebuild the old pier", f"{SITE}/story/council-votes-to-rebuild-the-old-pier/"),
    ]


def test_article_page_links_its_section_feeds(client, pier_story):
    head, _ = read_head(client, pier_story.get_absolute_url())
    assert head.link("alternate", type="application/rss+xml", href=f"{SITE}/feed/section/politics/")
    assert head.link("alternate", type="application/atom+xml", href=f"{SITE}/feed/section/politics/atom/")
    assert head.link("alternate", type="application/feed+json", href=f"{SITE}/feed/section/politics/json/")


@pytest.mark.parametrize("choice", ["original", "ours"])
def test_republished_story_canonical_follows_the_setting(client, settings, choice):
    settings.BROADSHEET_CANONICAL_REPUBLISHED = choice
    source = Source.objects.create(name="Harbor Ledger", homepage="https://harbor.example/")
    article = make_article("Pier vote", source=source, source_url="https://harbor.example/pier-vote")
    head, _ = read_head(client, article.get_absolute_url())
    ours = f"{SITE}/story/pier-vote/"
    expected = "https://harbor.example/pier-vote" if choice == "original" else ours
    assert head.link("canonical")["href"] == expected
    assert head.first("og:url") == ours
    (news,) = head.json_ld_of_type("NewsArticle")
    assert news["isBasedOn"] == "https://harbor.example/pier-vote"
    assert news["url"] == ours


def test_republished_story_without_a_web_address_keeps_our_canonical(client, settings):
    settings.BROADSHEET_CANONICAL_REPUBLISHED = "original"
    source = Source.objects.create(name="Harbor Ledger")
    article = make_article("Quay vote", source=source, source_url="")
    head, _ = read_head(client, article.get_absolute_url())
    assert head.link("canonical")["href"] == f"{SITE}/story/quay-vote/"
    (news,) = head.json_ld_of_type("NewsArticle")
    assert news["isBasedOn"]["publisher"]["name"] == "Harbor Ledger"


def test_unknown_canonical_setting_is_a_configuration_error(settings):
    settings.BROADSHEET_CANONICAL_REPUBLISHED = "theirs"
    with pytest.raises(ImproperlyConfigured):
        conf.canonical_republished()


@pytest.mark.parametrize(
    "headline",
    [
        "</script><script>alert('pwned')</script>",
        "<!-- comment --> & \"quotes\" 'single' <b>bold</b>",
        "Ünïcödé ferry 🚢 \u2028 line \u2029 separators",
    ],
)
def test_hostile_text_cannot_escape_the_metadata(client, headline):
    article = make_article(headline, summary=headline, tags=[f"{headline[:40]} tag"])
    head, html = read_head(client, article.get_absolute_url())
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    (news,) = head.json_ld_of_type("NewsArticle")
    assert news["headline"] == " ".join(headline.split())
    assert news["description"] == " ".join(headline.split())
    assert head.first("og:title") == headline


def test_metadata_never_shows_an_email(client):
    guest = Author.objects.create(
        name="Guest Writer", is_guest=True, contact_email="guest.writer@example.org"
    )
    article = make_article("Guest column")
    article.authors.add(guest)
    for url in (article.get_absolute_url(), guest.get_absolute_url(), "/"):
        head, html = read_head(client, url)
        assert "guest.writer@example.org" not in html
    head, _ = read_head(client, article.get_absolute_url())
    (news,) = head.json_ld_of_type("NewsArticle")
    assert news["author"] == [
        {"@type": "Person", "name": "Guest Writer", "url": f"{SITE}/author/guest-writer/"}
    ]


def test_article_metadata_adds_no_queries(client):
    client.get(make_article(headline="Warm-up story").get_absolute_url())

    def count(**kw):
        article = make_article(**kw)
        with CaptureQueriesContext(connection) as ctx:
            client.get(article.get_absolute_url())
        return len(ctx.captured_queries)

    assert count(headline="Bare story") == count(
        headline="Full story", tags=["a", "b", "c"], authors=["Ada Quill", "Ben Rook", "Cleo Marsh"]
    )


def test_preview_is_kept_out_of_search_engines(client):
    article = make_article("Embargoed pier report", status="draft")
    head, _ = read_head(client, article.get_preview_url())
    assert head.first("robots") == "noindex, nofollow"
    (news,) = head.json_ld_of_type("NewsArticle")
    assert "datePublished" not in news


def test_section_page_has_canonical_breadcrumbs_and_its_feeds(client):
    world = make_section("World", description="Reporting from every continent.")
    make_article("World story", section=world)
    head, _ = read_head(client, "/section/world/")
    assert head.link("canonical")["href"] == f"{SITE}/section/world/"
    assert head.first("og:type") == "website" and head.first("og:title") == "World"
    assert head.first("og:description") == "Reporting from every continent."
    assert head.first("twitter:card") == "summary"
    assert head.link("alternate", type="application/rss+xml", href=f"{SITE}/feed/section/world/")
    (crumbs,) = head.json_ld_of_type("BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["The Broadsheet", "World"]


@pytest.mark.parametrize("kind", ["tag", "author", "source"])
def test_tag_author_and_source_pages_link_their_feeds(client, kind):
    source = Source.objects.create(name="Harbor Ledger")
    make_article("Pier vote", tags=["Harbor Ledger"], authors=["Harbor Ledger"], source=source)
    head, _ = read_head(client, f"/{kind}/harbor-ledger/")
    assert head.link("canonical")["href"] == f"{SITE}/{kind}/harbor-ledger/"
    for suffix in ("", "atom/", "json/"):
        assert any(link.get("href") == f"{SITE}/feed/{kind}/harbor-ledger/{suffix}" for link in head.links)


def test_paginated_listing_is_its_own_canonical(client):
    world = make_section("World")
    for n in range(page_size() + 1):
        make_article(f"World story {n}", section=world)
    _, html = read_head(client, "/section/world/")
    older = re.search(r'href="\?before=([0-9-]+)"', html).group(1)
    head, _ = read_head(client, f"/section/world/?before={older}&utm_source=x")
    assert head.link("canonical")["href"] == f"{SITE}/section/world/?before={older}"
    head, _ = read_head(client, "/section/world/?before=<script>&utm_source=x")
    assert head.link("canonical")["href"] == f"{SITE}/section/world/"


def test_home_page_describes_the_site(client):
    make_article("Front page story")
    head, _ = read_head(client, "/")
    assert head.link("canonical")["href"] == f"{SITE}/"
    (website,) = head.json_ld_of_type("WebSite")
    assert website["name"] == "The Broadsheet" and website["url"] == f"{SITE}/"
    assert website["potentialAction"]["target"]["urlTemplate"] == f"{SITE}/search/?q={{search_term_string}}"
    assert head.first("og:type") == "website"
    assert head.link("alternate", type="application/atom+xml", href="/feed/atom/")
    assert head.link("alternate", type="application/feed+json", href="/feed/json/")


def test_archive_page_has_metadata(client):
    article = make_article("Archived story")
    year = article.publish_at.year
    head, _ = read_head(client, f"/archive/{year}/")
    assert head.link("canonical")["href"] == f"{SITE}/archive/{year}/"
    assert head.first("og:title") == f"Archive: {year}"
