from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "broadsheet.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from broadsheet.newsroom import slots

        from . import fragments

        slots.register_fragment_cache(fragments)
