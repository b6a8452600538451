from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "broadsheet.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate

        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="newsroom.ensure_roles")

        from .models import Article
        from .signals import articles_deleted, send_robustly

        def deleted(sender, instance, **kwargs):
            # At once: the search index and fingerprints go in the same transaction as the row.
            send_robustly(articles_deleted, article_ids=[instance.pk])

        post_delete.connect(deleted, sender=Article, dispatch_uid="newsroom.article_deleted", weak=False)

        from django.urls import reverse

        from broadsheet.core import hooks

        from . import slots

        def desk_counts():
            base = reverse("admin:newsroom_article_changelist")
            return [
                {
                    "label": "Stories in review",
                    "count": Article.objects.filter(status=Article.Status.REVIEW).count(),
                    "url": f"{base}?status__exact=review",
                },
                {
                    "label": "Drafts",
                    "count": Article.objects.filter(status=Article.Status.DRAFT).count(),
                    "url": f"{base}?status__exact=draft",
                },
                {
                    "label": "Scheduled stories",
                    "count": Article.objects.scheduled().count(),
                    "url": f"{base}?status__exact=published",
                },
            ]

        hooks.register(slots.DASHBOARD_PANEL, desk_counts, order=10, name="newsroom")
