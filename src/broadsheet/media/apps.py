"""The media library: one picture model for the whole product (stories, contributors, imports)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "broadsheet.media"
    label = "media"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from broadsheet.newsroom.exporting import register_part
        from broadsheet.newsroom.text import register_body_filter

        from .portable import Pictures
        from .rendering import add_srcset

        register_body_filter(add_srcset)
        register_part(Pictures())  # pictures travel in our own export and come back on import
