from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "broadsheet.readership"
    label = "readership"
    verbose_name = "Readership"

    def ready(self):
        from broadsheet.newsroom import slots

        from . import blocks

        slots.register_article_block("read-beacon", blocks.beacon, order=90, shared=True)
        for place in ("home", "section"):
            slots.register_page_block(place, "most-read", blocks.most_read, order=20, shared=True, freshness=blocks.five_minutes)
