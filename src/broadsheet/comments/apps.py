from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "broadsheet.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django.db.models import F
        from django.db.models.signals import post_delete
        from django.urls import reverse

        from broadsheet.core import hooks
        from broadsheet.newsroom import slots
        from broadsheet.pagecache.conf import HARMLESS_COOKIES

        from . import conf, services, views
        from .models import Comment, CommentTally

        def comment_deleted(sender, instance, **kwargs):
            # No recount here: when a whole article goes, its tally row is going too.
            if instance.status == Comment.Status.APPROVED:
                CommentTally.objects.filter(article_id=instance.article_id, approved__gt=0).update(
                    approved=F("approved") - 1
                )

        post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="comments.tally", weak=False)

        hooks.register(slots.ARTICLE_BLOCK, views.article_block, order=50, name="comments")
        # A commenter's saved details and their held comments reach the page through
        # comments.js, so these cookies change nothing in a cached page.
        hooks.register(HARMLESS_COOKIES, lambda: [conf.pending_cookie(), conf.commenter_cookie()], name="comments")
        hooks.register(slots.LISTING_ANNOTATOR, services.annotate_comment_counts, name="comments")
        from .demo import seed_comments

        hooks.register(slots.SEED_STEP, seed_comments, name="comments")

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

        hooks.register(slots.DASHBOARD_PANEL, moderation_counts, order=30, name="comments")
