from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "broadsheet.pages"
    verbose_name = "Static pages"
