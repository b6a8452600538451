"""Sitemaps: an index, article pages of 10,000 URLs at most, sections, tags, Google News.

Article and tag pages are id ranges: page n lists the rows whose id is in ((n-1)*limit, n*limit].
A page is a range on the primary key, never an OFFSET over the rows before it; it is read from
a database cursor a chunk at a time; and a story keeps its page as new ones are published, so
older pages stay cached (see cache.py). A range where many stories are drafts or deleted lists
fewer URLs, never more than `limit`. (SQLite picks the primary-key range only when it has table
statistics, i.e. after ANALYZE / PRAGMA optimize; without them it walks the publishing index.)

The protocol allows 50,000 URLs a page; article pages stop at 10,000 so that a page nobody has
asked for yet renders in a few tens of milliseconds (a 50,000-URL page took about 200 ms), and
a million stories still make only 100 pages.
"""

import datetime
from xml.sax.saxutils import escape, quoteattr

from django.db import connections
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from broadsheet.newsroom.models import Article, Section, Tag

from . import conf
from .services import absolute_url, xml_text

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
CHUNK = 5_000
_SLUG = "slug-placeholder"


def w3c_datetime(value):
    """W3C datetime (UTC, whole seconds) of an aware datetime."""
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds") if value else ""


def url_pattern(view_name):
    """(before, after) around a slug in the absolute URL of `view_name`, to join without reverse()."""
    before, after = reverse(view_name, args=[_SLUG]).split(_SLUG)
    return absolute_url(before), after


def text(value):
    return escape(xml_text(value))


class IdRangeSitemap:
    """Rows listed in pages of at most `limit` URLs, each page a range of ids."""

    name = ""
    limit = 50_000
    view_name = ""
    lastmod_field = None

    def rows(self):
        """The QuerySet of rows to list (a filter; no ordering needed)."""
        raise NotImplementedError

    def page_range(self, number):
        return (number - 1) * self.limit, number * self.limit

    def pages(self):
        """[(page number, None)] for every page that lists at least one URL, in one query.

        The query hops along the primary key: from the end of one listed page it reads the
        first listed id above it, whose page is the next one to list, and so on. Each hop is
        one short index lookup, so a million stories cost 100 lookups, not a count of the table.
        """
        # page.high: the last id of the page found so far (0 before the first page).
        first_above = self.rows().filter(id__gt=RawSQL("page.high", [])).order_by("id").values("id")[:1]
        subquery, params = first_above.query.sql_with_params()
        limit = int(self.limit)
        sql = (
            "WITH RECURSIVE page(high) AS ("
            " SELECT CAST(0 AS BIGINT)"
            f" UNION ALL SELECT (({subquery}) - 1) / {limit} * {limit} + {limit}"
            " FROM page WHERE page.high IS NOT NULL"
            f") SELECT high / {limit} FROM page WHERE high > 0"
        )
        with connections[first_above.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [(number, None) for (number,) in cursor.fetchall()]

    def in_page(self, number):
        low, high = self.page_range(number)
        return Q(id__gt=low, id__lte=high)

    def url(self, number):
        path = reverse("syndication:sitemap-page", args=[self.name])
        return absolute_url(path if number == 1 else f"{path}?p={number}")

    def entries(self, number):
        """(loc, W3C lastmod or "") of each row on page `number`, read a chunk at a time."""
        before, after = url_pattern(self.view_name)
        rows = self.rows().filter(self.in_page(number)).order_by("id")
        if not self.lastmod_field:
            for slug in rows.values_list("slug", flat=True).iterator(CHUNK):
                yield before + slug + after, ""
            return
        # The time as the database writes it, in UTC ("2026-01-31 08:15:00.123456" on SQLite,
        # "2026-01-31 08:15:00.123456+00" on PostgreSQL): 50,000 datetime objects would cost
        # more than the rest of the page together.
        rows = rows.values_list("slug", Cast(self.lastmod_field, CharField()))
        for slug, lastmod in rows.iterator(CHUNK):
            yield before + slug + after, f"{lastmod[:10]}T{lastmod[11:19]}+00:00" if lastmod else ""


class ArticleSitemap(IdRangeSitemap):
    name = "articles"
    limit = 10_000
    view_name = "newsroom:article"
    lastmod_field = "updated_at"

    def rows(self):
        return Article.objects.published()


class TagSitemap(IdRangeSitemap):
    """Tags that name at least one published story."""

    name = "tags"
    view_name = "newsroom:tag"

    def rows(self):
        # "Its first published story, if any" rather than EXISTS: with LIMIT 1 PostgreSQL stops
        # at that story, where for EXISTS it may first gather every story of a big tag.
        first_story = Article.objects.published().filter(tags=OuterRef("pk")).order_by().values("pk")[:1]
        return Tag.objects.annotate(first_story=Subquery(first_story)).filter(first_story__isnull=False)


class SectionSitemap:
    """Every section; a section page changes when a story appears on it."""

    name = "sections"

    def pages(self):
        return [(1, None)]

    def entries(self, number):
        if number != 1:
            return
        newest = Article.objects.published().filter(section=OuterRef("pk")).order_by("-publish_at")
        sections = Section.objects.annotate(newest=Subquery(newest.values("publish_at")[:1]))
        before, after = url_pattern("newsroom:section")
        for slug, newest_at in sections.order_by("position", "name").values_list("slug", "newest"):
            yield before + slug + after, w3c_datetime(newest_at)

    def url(self, number):
        return absolute_url(reverse("syndication:sitemap-page", args=[self.name]))


SITEMAPS = {s.name: s for s in (SectionSitemap, TagSitemap, ArticleSitemap)}


class NewsSitemap:
    """Google News: stories of the last two days, newest first, at most 1000."""

    max_items = 1000
    window = datetime.timedelta(days=2)

    def entries(self):
        now = timezone.now()
        before, after = url_pattern("newsroom:article")
        rows = (
            Article.objects.published(now=now)
            .filter(publish_at__gte=now - self.window)
            .latest_first()
            .values_list("slug", "headline", "publish_at", "language")[: self.max_items]
        )
        for slug, headline, publish_at, language in rows:
            yield before + slug + after, headline, publish_at, (language or "en").strip().lower()


# --- writing XML ----------------------------------------------------------------------------


def render_urlset(entries):
    """A <urlset> document from (loc, W3C lastmod or ""), and the number of URLs in it."""
    parts = [XML_HEAD, f'<urlset xmlns="{SITEMAP_NS}">\n']
    append = parts.append
    for loc, lastmod in entries:
        if "&" in loc or "<" in loc or ">" in loc:
            loc = escape(loc)
        if lastmod:
            append(f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>\n")
        else:
            append(f"<url><loc>{loc}</loc></url>\n")
    parts.append("</urlset>\n")
    return "".join(parts), len(parts) - 3


def render_index():
    parts = [XML_HEAD, f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for sitemap_class in SITEMAPS.values():
        sitemap = sitemap_class()
        for number, lastmod in sitemap.pages():
            parts.append(f"<sitemap><loc>{escape(sitemap.url(number))}</loc>")
            if lastmod:
                parts.append(f"<lastmod>{w3c_datetime(lastmod)}</lastmod>")
            parts.append("</sitemap>\n")
    parts.append(
        f"<sitemap><loc>{escape(absolute_url(reverse('syndication:sitemap-news')))}</loc></sitemap>\n"
    )
    parts.append("</sitemapindex>\n")
    return "".join(parts)


def render_news():
    publication = text(conf.site_name())
    parts = [XML_HEAD, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news={quoteattr(NEWS_NS)}>\n']
    for loc, headline, publish_at, language in NewsSitemap().entries():
        parts.append(
            f"<url><loc>{escape(loc)}</loc><news:news><news:publication>"
            f"<news:name>{publication}</news:name><news:language>{text(language)}</news:language>"
            f"</news:publication><news:publication_date>{w3c_datetime(publish_at)}</news:publication_date>"
            f"<news:title>{text(headline)}</news:title></news:news></url>\n"
        )
    parts.append("</urlset>\n")
    return "".join(parts)
