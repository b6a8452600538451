from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "broadsheet.readership"
    label = "readership"
    verbose_name = "Readership"

    def ready(self):
        from broadsheet.core import hooks, periodic
        from broadsheet.newsroom import slots

        from . import blocks, conf, services

        periodic.register("readership-flush", services.flush, every=conf.flush_seconds)

        hooks.register(slots.ARTICLE_BLOCK, blocks.beacon, order=90, name="read-beacon", shared=True)
        for hook_name in (slots.HOME_BLOCK, slots.SECTION_BLOCK):
            hooks.register(
                hook_name, blocks.most_read, order=20, name="most-read", shared=True, freshness=blocks.five_minutes
            )
