"""The media library: one picture model for the whole product (stories, contributors, imports)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "broadsheet.media"
    label = "media"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from broadsheet.newsroom import slots
        from broadsheet.newsroom.text import register_body_filter

        from .rendering import add_lead_pictures, add_srcset

        register_body_filter(add_srcset)
        slots.register_listing_annotator("lead-pictures", add_lead_pictures)
