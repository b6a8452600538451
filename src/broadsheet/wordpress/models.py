"""What came from WordPress: one row per imported item, so a second run updates in place."""

from django.db import models
from django.utils import timezone


class WordPressItem(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Picture"
        COMMENT = "comment", "Comment"
        AUTHOR = "author", "Author"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    wp_id = models.CharField(max_length=200, help_text="The WordPress id (or login, for an author).")
    object_id = models.BigIntegerField(null=True, help_text="Our row: article, page, picture, comment or author.")
    fingerprint = models.CharField(max_length=32, blank=True, help_text="Changes when the exported item changes.")
    wp_status = models.CharField(max_length=20, blank=True)
    is_sticky = models.BooleanField(default=False)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "wp_id"], name="wordpress_item_unique")]

    def __str__(self):
        return f"{self.kind} {self.wp_id} → {self.object_id}"
