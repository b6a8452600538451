from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "broadsheet.syndication"
    label = "syndication"
    verbose_name = "Feeds, sitemaps and metadata"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from broadsheet.newsroom import signals
        from broadsheet.newsroom.models import Article, Section, Tag

        from .cache import newsroom_changed

        for signal in (signals.article_changed, signals.articles_deleted, signals.articles_loaded):
            signal.connect(newsroom_changed, dispatch_uid=f"syndication.{id(signal)}", weak=False)
        for model in (Article, Section, Tag):
            for signal in (post_save, post_delete):
                signal.connect(
                    newsroom_changed,
                    sender=model,
                    dispatch_uid=f"syndication.{model.__name__}.{id(signal)}",
                    weak=False,
                )
