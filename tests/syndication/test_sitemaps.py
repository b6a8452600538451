"""Sitemaps: index, article pages split at a limit, sections, tags, Google News, robots.txt."""

import datetime
import re

import pytest
from django.utils import timezone

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article
from broadsheet.syndication.sitemaps import ArticleSitemap, NewsSitemap, TagSitemap
from tests.conftest import make_article, make_section

from .helpers import NEWS, SITEMAP, sitemap_locs, sitemap_root

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.BROADSHEET_SITE_URL = SITE


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    monkeypatch.setattr(TagSitemap, "limit", 2)


def page_url(number):
    """Page `number` of the article sitemap, as the index names it."""
    return f"{SITE}/sitemap-articles.xml" + (f"?p={number}" if number > 1 else "")


def page_of(article, limit=2):
    # Ids do not start at 1 on PostgreSQL (sequences survive rolled-back tests).
    return (article.pk - 1) // limit + 1


def all_article_locs(client):
    locs = []
    for page in sitemap_locs(client, "/sitemap.xml"):
        if "/sitemap-articles.xml" in page:
            locs += sitemap_locs(client, page.removeprefix(SITE))
    return locs


def test_index_names_sections_tags_articles_and_news(client):
    make_article("Quay repairs", tags=["quays"])
    index = sitemap_root(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert sitemap_locs(client, "/sitemap.xml") == [
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-news.xml",
    ]


def test_article_sitemap_lists_only_published_stories_with_their_last_change(client):
    visible = make_article("Todays quay news")
    make_article("Draft quay news", status="draft")
    make_article("Tomorrows quay news", publish_at=timezone.now() + datetime.timedelta(days=1))
    root = sitemap_root(client, "/sitemap-articles.xml")
    urls = root.findall(f"{SITEMAP}url")
    assert [u.find(f"{SITEMAP}loc").text for u in urls] == [f"{SITE}/story/todays-quay-news/"]
    lastmod = urls[0].find(f"{SITEMAP}lastmod").text
    assert W3C.match(lastmod)
    visible.refresh_from_db()
    assert lastmod == visible.updated_at.astimezone(datetime.UTC).isoformat(timespec="seconds")


def test_article_sitemap_splits_into_pages_at_the_limit(client, small_pages):
    stories = [make_article(f"Quay story {n}") for n in range(5)]
    pages = [loc for loc in sitemap_locs(client, "/sitemap.xml") if "sitemap-articles" in loc]
    assert len(pages) == 3
    assert pages == [page_url(n) for n in sorted({page_of(a) for a in stories})]
    seen = []
    for page in pages:
        locs = sitemap_locs(client, page.removeprefix(SITE))
        assert 1 <= len(locs) <= 2
        seen += locs
    assert sorted(seen) == sorted(f"{SITE}{a.get_absolute_url()}" for a in stories)
    after_last = page_of(stories[-1]) + 1
    assert client.get(f"/sitemap-articles.xml?p={after_last}").status_code == 404


def test_a_story_keeps_its_sitemap_page_as_new_ones_appear(client, small_pages):
    first = make_article("First quay story")
    url = page_url(page_of(first)).removeprefix(SITE)
    page = sitemap_locs(client, url)
    for n in range(3):
        make_article(f"Later quay story {n}")
    after = sitemap_locs(client, url)
    assert f"{SITE}{first.get_absolute_url()}" in page and set(page) <= set(after) and len(after) <= 2


def test_pages_without_published_stories_are_left_out_of_the_index(client, small_pages):
    early = make_article("Early quay story")
    drafts = [make_article(f"Quay draft {n}", status="draft") for n in range(4)]
    late = make_article("Late quay story")
    pages = [loc for loc in sitemap_locs(client, "/sitemap.xml") if "sitemap-articles" in loc]
    assert pages == [page_url(page_of(early)), page_url(page_of(late))]
    assert all_article_locs(client) == [
        f"{SITE}{early.get_absolute_url()}",
        f"{SITE}{late.get_absolute_url()}",
    ]
    empty = {page_of(d) for d in drafts} - {page_of(early), page_of(late)}
    assert empty
    for number in empty:
        assert client.get(f"/sitemap-articles.xml?p={number}").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e3", "２", "99999999999", ""])
def test_nonsense_page_numbers_are_not_found(client, page):
    make_article("Quay story")
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


def test_unknown_sitemap_is_not_found(client):
    assert client.get("/sitemap-planets.xml").status_code == 404


def test_sections_and_tags_sitemaps(client, small_pages):
    world = make_section("World")
    make_section("Empty Desk")
    make_article("Summit", section=world, tags=["summits", "capitals"])
    make_article("Draft only", status="draft", tags=["drafty"])
    sections = sitemap_locs(client, "/sitemap-sections.xml")
    assert f"{SITE}/section/world/" in sections and f"{SITE}/section/empty-desk/" in sections
    tags = [
        loc
        for page in sitemap_locs(client, "/sitemap.xml")
        if "sitemap-tags" in page
        for loc in sitemap_locs(client, page.removeprefix(SITE))
    ]
    assert sorted(tags) == [f"{SITE}/tag/capitals/", f"{SITE}/tag/summits/"]


def test_news_sitemap_lists_the_last_two_days(client):
    now = timezone.now()
    make_article("Fresh harbour news", publish_at=now - datetime.timedelta(hours=3), language="en")
    make_article("Nouvelles du port", publish_at=now - datetime.timedelta(hours=30), language="fr")
    make_article("Old harbour news", publish_at=now - datetime.timedelta(days=3))
    make_article("Future harbour news", publish_at=now + datetime.timedelta(hours=3))
    root = sitemap_root(client, "/sitemap-news.xml")
    urls = root.findall(f"{SITEMAP}url")
    titles = [u.find(f"{NEWS}news/{NEWS}title").text for u in urls]
    assert titles == ["Fresh harbour news", "Nouvelles du port"]
    news = urls[1].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "The Broadsheet"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "fr"
    assert W3C.match(news.find(f"{NEWS}publication_date").text)
    assert urls[0].find(f"{SITEMAP}loc").text == f"{SITE}/story/fresh-harbour-news/"


def test_news_sitemap_stops_at_its_maximum(client, monkeypatch):
    monkeypatch.setattr(NewsSitemap, "max_items", 2)
    for n in range(4):
        make_article(f"Harbour bulletin {n}")
    assert len(sitemap_locs(client, "/sitemap-news.xml")) == 2


def test_default_limits_stay_within_the_protocols():
    # The sitemap protocol allows 50,000 URLs a page; article pages are smaller so that each renders fast.
    assert ArticleSitemap.limit == 10_000 and TagSitemap.limit == 50_000
    assert NewsSitemap.max_items == 1000 and NewsSitemap.window == datetime.timedelta(days=2)


def test_sitemaps_follow_publishing_and_unpublishing(client):
    make_article("Standing story")
    sitemap_locs(client, "/sitemap-articles.xml")  # now cached
    sitemap_locs(client, "/sitemap.xml")
    draft = make_article("Breaking quay story", status="draft")
    services.publish(draft)
    assert f"{SITE}/story/breaking-quay-story/" in sitemap_locs(client, "/sitemap-articles.xml")
    assert f"{SITE}/story/breaking-quay-story/" in sitemap_locs(client, "/sitemap-news.xml")
    services.unpublish(Article.objects.get(pk=draft.pk))
    assert f"{SITE}/story/breaking-quay-story/" not in sitemap_locs(client, "/sitemap-articles.xml")
    Article.objects.filter(headline="Standing story").delete()
    assert client.get("/sitemap-articles.xml").content.count(b"<url>") == 0


def test_hostile_headline_keeps_news_sitemap_well_formed(client):
    make_article('Bell\x01 <rings> & \x0bthe "quay" 🚢')
    root = sitemap_root(client, "/sitemap-news.xml")
    assert root.find(f"{SITEMAP}url/{NEWS}news/{NEWS}title").text == 'Bell <rings> & the "quay" 🚢'


def test_sitemaps_are_not_indexed_themselves(client):
    make_article("Quay story")
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml"):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/xml")
        assert "noindex" in response["X-Robots-Tag"]


def test_robots_txt_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


def test_a_new_story_leaves_older_sitemap_pages_cached(client, small_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = [make_article(f"Old quay story {n}") for n in range(2)]
    old_page = page_url(page_of(old[0])).removeprefix(SITE)
    before = client.get(old_page).content
    new = [make_article(f"New quay story {n}") for n in range(3)]
    assert page_of(new[-1]) != page_of(old[0])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(old_page).content == before
    assert not [q for q in ctx.captured_queries if "newsroom_article" in q["sql"]]
    assert f"{SITE}{new[-1].get_absolute_url()}" in all_article_locs(client)


def test_editing_an_old_story_refreshes_its_page(client, small_pages):
    old = make_article("Old quay story")
    old_page = page_url(page_of(old)).removeprefix(SITE)
    client.get(old_page)
    old.headline = "Old quay story, corrected"
    old.slug = "old-quay-story-corrected"
    services.save_article(old)
    assert f"{SITE}/story/old-quay-story-corrected/" in sitemap_locs(client, old_page)


def test_empty_site_has_a_valid_index(client):
    assert sitemap_locs(client, "/sitemap.xml") == [
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-news.xml",
    ]
    assert sitemap_locs(client, "/sitemap-articles.xml") == []
    assert sitemap_locs(client, "/sitemap-news.xml") == []
