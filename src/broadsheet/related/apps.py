from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "broadsheet.related"
    label = "related"
