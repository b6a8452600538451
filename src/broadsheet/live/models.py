"""Live coverage: a story that is also a live page, and the timestamped updates editors post
to it (newest first), some pinned as key points."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.text import render_markdown


class LiveCoverage(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="live_coverage")
    is_open = models.BooleanField("Live now", default=True, help_text="Untick when the coverage ends.")
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "live page"
        verbose_name_plural = "live pages"

    def __str__(self):
        return f"Live: {self.article.headline}"


class LiveUpdate(models.Model):
    coverage = models.ForeignKey(LiveCoverage, on_delete=models.CASCADE, related_name="updates")
    headline = models.CharField(max_length=200, blank=True)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    key_point = models.BooleanField(default=False, help_text="Pin it in the key points at the top.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    byline = models.CharField(max_length=100, blank=True, editable=False)
    posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-posted_at", "-id"]
        indexes = [models.Index(fields=["coverage", "-posted_at", "-id"], name="live_update_recent_idx")]

    def __str__(self):
        return self.headline or self.body[:60]

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if self.author_id and not self.byline:
            self.byline = self.author.get_full_name() or self.author.get_username()
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("live:update", args=[self.pk])
