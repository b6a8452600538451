"""Reads per story per hour: the only thing kept about readers (no address, no cookie, no id)."""

from django.db import models

from broadsheet.newsroom.models import Article


class StoryReads(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(help_text="The start of the hour (UTC).")
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "story reads"
        verbose_name_plural = "what readers read"
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="reads_once_per_story_hour")]
        indexes = [models.Index(fields=["hour", "article"], name="reads_recent_idx")]

    def __str__(self):
        return f"{self.reads} reads at {self.hour:%Y-%m-%d %H:00}"
