"""Old addresses that answer 301 to their new home: exact paths and path prefixes, counted."""

from django.db import models
from django.utils import timezone


class Redirect(models.Model):
    class Match(models.TextChoices):
        EXACT = "exact", "Exact path"
        PREFIX = "prefix", "Path prefix (everything under it)"

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address on this site, from the first slash, e.g. /2024/05/01/a-story/ or "
        "/?p=123 (decoded: /haber/şehir/, not %C5%9F).",
    )
    new_url = models.CharField(max_length=1000, help_text="Where it goes now: /story/a-story/ or a full URL.")
    match = models.CharField(max_length=6, choices=Match.choices, default=Match.EXACT)
    hits = models.PositiveIntegerField(default=0, editable=False)
    last_hit_at = models.DateTimeField(null=True, blank=True, editable=False)
    origin = models.CharField(max_length=40, blank=True, help_text="What made it: wordpress, csv, or empty.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_url}"
