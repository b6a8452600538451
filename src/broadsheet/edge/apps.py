from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "broadsheet.edge"
    label = "edge"
    verbose_name = "Shared cache tier"

    def ready(self):
        from . import receivers

        receivers.connect()
