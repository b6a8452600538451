from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "broadsheet.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django.urls import reverse

        from broadsheet.newsroom import slots

        from . import services, views
        from .models import Comment

        slots.register_article_block("comments", views.article_block, order=50)
        slots.register_listing_annotator("comments", services.annotate_comment_counts)

        def moderation_counts():
            base = reverse("admin:comments_comment_changelist")
            return [
                {
                    "label": "Comments awaiting moderation",
                    "count": Comment.objects.pending().count(),
                    "url": f"{base}?status__exact=pending",
                },
                {
                    "label": "Comments marked as spam",
                    "count": Comment.objects.spam().count(),
                    "url": f"{base}?status__exact=spam",
                },
            ]

        slots.register_dashboard_panel("comments", moderation_counts, order=30)
