from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "broadsheet.live"
    label = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from broadsheet.core import hooks, surrogates
        from broadsheet.newsroom import slots

        from . import blocks
        from .models import LiveCoverage, LiveUpdate

        def live_changed(sender, instance, **kwargs):
            # The live story's page and its polling answer show the change; nothing else does.
            article_id = (
                getattr(instance, "article_id", None)
                or LiveCoverage.objects.filter(pk=getattr(instance, "coverage_id", None))
                .values_list("article_id", flat=True)
                .first()
            )
            keys = [surrogates.story(article_id)] if article_id else [surrogates.ALL]
            if isinstance(instance, LiveCoverage):  # a coverage started or ended
                keys.append(blocks.COVERED_KEY)
            transaction.on_commit(lambda: surrogates.request_purge(*keys))

        for model in (LiveCoverage, LiveUpdate):
            post_save.connect(
                live_changed, sender=model, dispatch_uid=f"live.{model.__name__}.save", weak=False
            )
            post_delete.connect(
                live_changed, sender=model, dispatch_uid=f"live.{model.__name__}.delete", weak=False
            )

        hooks.register(slots.ARTICLE_BLOCK, blocks.live_block, order=0, name="live", shared=True)
