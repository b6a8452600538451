"""Sitemaps: every published article, and the section pages."""

from django.contrib.sitemaps import Sitemap

from broadsheet.newsroom.models import Article, Section


class ArticleSitemap(Sitemap):
    limit = 50_000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap}
