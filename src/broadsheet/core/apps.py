from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save

ANALYZE_MIN_ARTICLES = 1000


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(analyze_if_never_analyzed, sender=self, dispatch_uid="core.analyze")
        from django.core.signals import request_finished
        from django.db import close_old_connections

        from .sqlite import optimize_before_close

        # Before Django closes the request's connections, not after.
        request_finished.disconnect(close_old_connections)
        request_finished.connect(optimize_before_close, dispatch_uid="core.sqlite_optimize")
        request_finished.connect(close_old_connections)
        pre_save.connect(clean_stored_text, dispatch_uid="core.clean_stored_text")


def clean_stored_text(sender, instance, **kwargs):
    """Every model's text fields are cleaned before they are written (see core.text)."""
    from .text import clean_text_fields

    clean_text_fields(instance)


def analyze_if_never_analyzed(sender, using="default", **kwargs):
    """SQLite plans its queries from statistics that only ANALYZE gathers. A database that holds
    stories but was never analysed (loaded by an import, say) can pick a full scan of the
    publishing index for a sitemap or a listing; after a migrate, gather them once."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            return
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'newsroom_article'")
        if not cursor.fetchone():
            return
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM newsroom_article LIMIT %s)", [ANALYZE_MIN_ARTICLES]
        )
        if cursor.fetchone()[0] >= ANALYZE_MIN_ARTICLES:
            cursor.execute("ANALYZE")
