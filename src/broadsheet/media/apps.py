"""The media library: one picture model for the whole product (stories, contributors, imports)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "broadsheet.media"
    label = "media"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from broadsheet.core import hooks
        from broadsheet.newsroom.text import BODY_FILTER

        from .rendering import add_srcset

        hooks.register(BODY_FILTER, add_srcset, name="srcset")
