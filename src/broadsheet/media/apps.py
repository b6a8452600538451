"""The media library: one picture model for the whole product (stories, contributors, imports)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "broadsheet.media"
    label = "media"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from broadsheet.core import hooks
        from broadsheet.newsroom import signals, slots
        from broadsheet.newsroom.exporting import EXPORT_PART
        from broadsheet.newsroom.text import BODY_FILTER

        from . import embeds
        from .portable import Pictures
        from .rendering import add_lead_pictures, add_srcset

        hooks.register(BODY_FILTER, add_srcset, order=0, name="srcset")
        hooks.register(BODY_FILTER, embeds.add_thumbnails, order=10, name="embed-thumbnails")
        hooks.register(slots.LISTING_ANNOTATOR, add_lead_pictures, name="lead-pictures")
        # Pictures travel in our own export and come back on import.
        hooks.register(EXPORT_PART, Pictures(), name="pictures")
        signals.article_changed.connect(queue_embed_thumbnails, dispatch_uid="media-embed-thumbnails")


def queue_embed_thumbnails(sender, article, **kwargs):
    """A story's body was saved: the worker fetches the thumbnails of embeds it has not seen."""
    from . import embeds

    embeds.queue_thumbnails(article.body)
