"""A picture in the library: the verified, re-encoded original and what editors say about it."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class PictureQuerySet(models.QuerySet):
    def uploaded_by_user(self, user_id):
        return self.filter(uploaded_by_id=user_id) if user_id else self

    def in_month(self, year, month):
        """Uploaded in that month (a range on created_at, so its index answers)."""
        if not (year and month):
            return self
        start = timezone.make_aware(datetime.datetime(year, month, 1))
        end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
        return self.filter(created_at__gte=start, created_at__lt=end)

    def matching(self, text):
        """Pictures whose title, alt text, caption or credit contain the text."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(title__icontains=text)
            | models.Q(alt_text__icontains=text)
            | models.Q(caption__icontains=text)
            | models.Q(credit__icontains=text)
        )


class Picture(models.Model):
    file = models.ImageField(upload_to="pictures/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    title = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    focal_x = models.FloatField(default=0.5, help_text="Horizontal focal point, 0 (left) to 1 (right).")
    focal_y = models.FloatField(default=0.5, help_text="Vertical focal point, 0 (top) to 1 (bottom).")
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    origin = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="Where an imported picture came from (e.g. wordpress:attachment:123); imports update by it.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Smaller copies made in the background: [{"width", "height", "format", "name"}], the
    # storage name of each; empty until the worker has made them (pages then use the original).
    renditions = models.JSONField(default=list, blank=True, editable=False)

    objects = PictureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="picture_recent_idx")]

    def __str__(self):
        return self.title or self.alt_text or self.file.name

    def srcset(self, format):
        """'url 320w, url 640w, …' of the renditions in `format` ('webp', 'avif'), smallest first."""
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(r['name'])} {r['width']}w"
            for r in sorted(self.renditions, key=lambda r: r["width"])
            if r["format"] == format
        )


class EmbedThumbnail(models.Model):
    """The picture a provider shows for one embedded URL, fetched once by the worker through
    the library's checks (verified, re-encoded, no metadata) and served from here, so a reader's
    placeholder never loads anything from the provider."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the worker"
        STORED = "stored", "Stored"
        NONE = "none", "The provider gives no thumbnail"
        FAILED = "failed", "Could not be fetched"

    key = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the URL.")
    url = models.CharField(max_length=2000)
    provider = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    file = models.ImageField(
        upload_to="embeds/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    title = models.CharField(max_length=300, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    tried_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.url
