from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "broadsheet.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from django.urls import reverse

        from broadsheet.core import hooks
        from broadsheet.newsroom import slots

        from .models import Subscriber

        def subscriber_counts():
            base = reverse("admin:newsletters_subscriber_changelist")
            return [
                {
                    "label": "Newsletter subscribers (confirmed)",
                    "count": Subscriber.objects.active().count(),
                    "url": f"{base}?status__exact=active",
                }
            ]

        hooks.register(slots.DASHBOARD_PANEL, subscriber_counts, order=60, name="newsletters")
