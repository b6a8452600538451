from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "broadsheet.syndication"
    label = "syndication"
    verbose_name = "Feeds, sitemaps and metadata"

    def ready(self):
        from . import receivers

        receivers.connect()
