from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "broadsheet.related"
    label = "related"
    verbose_name = "Related stories"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from broadsheet.core import hooks
        from broadsheet.newsroom import signals, slots
        from broadsheet.newsroom.models import Article

        from . import receivers, services
        from .models import RelatedExclusion, RelatedPin

        hooks.register(slots.ARTICLE_BLOCK, services.related_block, order=10, name="related", shared=True)
        signals.article_changed.connect(receivers.article_changed, dispatch_uid="related.changed")
        signals.articles_deleted.connect(receivers.articles_deleted, dispatch_uid="related.deleted")
        pre_delete.connect(receivers.article_deleting, sender=Article, dispatch_uid="related.deleting")
        signals.articles_loaded.connect(receivers.articles_loaded, dispatch_uid="related.loaded")
        for model in (RelatedPin, RelatedExclusion):
            post_save.connect(
                receivers.choices_changed, sender=model, dispatch_uid=f"related.{model.__name__}.s"
            )
            post_delete.connect(
                receivers.choices_changed, sender=model, dispatch_uid=f"related.{model.__name__}.d"
            )
        from .admin import add_article_inlines

        add_article_inlines()
