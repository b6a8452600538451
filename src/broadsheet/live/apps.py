from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "broadsheet.live"
    label = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from broadsheet.newsroom import slots
        from broadsheet.sitesettings.services import purge_pages

        from . import blocks
        from .models import LiveCoverage, LiveUpdate

        def live_changed(sender, **kwargs):
            transaction.on_commit(purge_pages)

        for model in (LiveCoverage, LiveUpdate):
            post_save.connect(live_changed, sender=model, dispatch_uid=f"live.{model.__name__}.save", weak=False)
            post_delete.connect(live_changed, sender=model, dispatch_uid=f"live.{model.__name__}.delete", weak=False)

        slots.register_article_block("live", blocks.live_block, order=0, shared=True)
