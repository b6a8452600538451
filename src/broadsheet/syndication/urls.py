from django.urls import path, register_converter

from . import views


class SubjectKind:
    """What a feed can be about: /feed/<kind>/<slug>/."""

    regex = "section|tag|author|source"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SubjectKind, "syndication_subject")

app_name = "syndication"

urlpatterns = [
    path("feed/", views.rss_feed, name="feed"),
    path("feed/atom/", views.atom_feed, name="feed-atom"),
    path("feed/json/", views.json_feed, name="feed-json"),
    path("feed/<syndication_subject:kind>/<slug:slug>/", views.rss_feed, name="subject-feed"),
    path("feed/<syndication_subject:kind>/<slug:slug>/atom/", views.atom_feed, name="subject-feed-atom"),
    path("feed/<syndication_subject:kind>/<slug:slug>/json/", views.json_feed, name="subject-feed-json"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:name>.xml", views.sitemap_page, name="sitemap-page"),
    path("robots.txt", views.robots_txt, name="robots"),
]
