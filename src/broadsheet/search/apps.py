from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "broadsheet.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from broadsheet.newsroom import signals

        from . import receivers

        signals.article_changed.connect(receivers.article_changed, dispatch_uid="search.changed")
        signals.articles_deleted.connect(receivers.articles_deleted, dispatch_uid="search.deleted")
        signals.articles_loaded.connect(receivers.articles_loaded, dispatch_uid="search.loaded")
