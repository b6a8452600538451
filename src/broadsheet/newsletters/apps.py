from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "broadsheet.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from django.urls import reverse

        from broadsheet.core import hooks, periodic
        from broadsheet.newsroom import slots

        from . import conf, sending
        from .models import Subscriber

        # Digests build themselves from the newest stories at the hour set (site time zone).
        periodic.register("newsletters-digest-daily", sending.send_daily_digest, at=periodic.At(hour=conf.digest_hour))
        periodic.register(
            "newsletters-digest-weekly",
            sending.send_weekly_digest,
            at=periodic.At(hour=conf.digest_hour, weekday=conf.weekly_day),
        )

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
