from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "broadsheet.wire"
    label = "wire"
    verbose_name = "The wire"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from broadsheet.core import hooks, periodic
        from broadsheet.newsroom import signals, slots
        from broadsheet.newsroom.models import Source

        from . import outlets, receivers, tasks
        from .models import SourceAlias

        hooks.register(slots.ARTICLE_BLOCK, receivers.provenance_block, order=5, name="provenance", shared=True)
        hooks.register(slots.DASHBOARD_PANEL, receivers.dashboard_counts, order=20, name="wire")
        signals.article_changed.connect(receivers.article_changed, dispatch_uid="wire.changed")
        signals.articles_loaded.connect(receivers.articles_loaded, dispatch_uid="wire.loaded")
        periodic.register("wire-poll", tasks.poll_due_feeds, every=tasks.POLL_EVERY_SECONDS)
        for model in (Source, SourceAlias):
            for signal in (post_save, post_delete):
                signal.connect(
                    outlets.names_changed,
                    sender=model,
                    dispatch_uid=f"wire.names.{model.__name__}.{id(signal)}",
                )
        from .admin import add_article_inlines, add_source_logo_upload

        add_article_inlines()
        add_source_logo_upload()
