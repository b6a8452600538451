"""Keep cached feeds and sitemaps in step with the newsroom."""

from django.db.models.signals import post_delete, post_save

from broadsheet.newsroom import signals
from broadsheet.newsroom.models import Article, Author, Section, Source, Tag

from .cache import articles_changed, site_changed
from .sitemaps import ArticleSitemap


def article_saved(sender, instance=None, article=None, seen_by_readers=True, **kwargs):
    if not seen_by_readers:  # in no feed or sitemap before or after
        return
    article = article or instance
    articles_changed([article.pk], ArticleSitemap.limit)


def articles_bulk(sender, article_ids=(), **kwargs):
    articles_changed(article_ids, ArticleSitemap.limit)


def connect():
    signals.article_changed.connect(article_saved, dispatch_uid="syndication.article_changed")
    signals.articles_deleted.connect(articles_bulk, dispatch_uid="syndication.articles_deleted")
    signals.articles_loaded.connect(articles_bulk, dispatch_uid="syndication.articles_loaded")
    for signal in (post_save, post_delete):
        signal.connect(article_saved, sender=Article, dispatch_uid=f"syndication.article.{id(signal)}")
        for model in (Section, Tag, Author, Source):
            signal.connect(
                site_changed, sender=model, dispatch_uid=f"syndication.{model.__name__}.{id(signal)}"
            )
