from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "broadsheet.submissions"
    label = "submissions"
    verbose_name = "Publish Your Article"

    def ready(self):
        from broadsheet.core import hooks, periodic
        from broadsheet.newsroom import signals, slots

        from . import pictures, receivers

        periodic.register("submissions-held-pictures", pictures.purge_stale_held, every=600)

        hooks.register(slots.DASHBOARD_PANEL, receivers.dashboard_counts, order=10, name="submissions")
        signals.article_changed.connect(receivers.article_changed, dispatch_uid="submissions-fingerprint")
        signals.articles_loaded.connect(
            receivers.articles_loaded, dispatch_uid="submissions-fingerprint-bulk"
        )
        signals.articles_deleted.connect(receivers.articles_deleted, dispatch_uid="submissions-forget")
