from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "broadsheet.readership"
    label = "readership"
    verbose_name = "Readership"

    def ready(self):
        from broadsheet.core import periodic
        from broadsheet.newsroom import slots

        from . import blocks, conf, services

        periodic.register("readership-flush", services.flush, every=conf.flush_seconds)

        slots.register_article_block("read-beacon", blocks.beacon, order=90, shared=True)
        for place in ("home", "section"):
            slots.register_page_block(place, "most-read", blocks.most_read, order=20, shared=True, freshness=blocks.five_minutes)
