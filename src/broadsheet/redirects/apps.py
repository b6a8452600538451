from django.apps import AppConfig


class RedirectsConfig(AppConfig):
    name = "broadsheet.redirects"
    verbose_name = "Redirects"
