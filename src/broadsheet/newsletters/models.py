"""Subscribers and what they agreed to, newsletters and their stories, one delivery row per
recipient per newsletter, and the bounces and complaints mail servers report back."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from broadsheet.newsroom.models import Article, Section


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscriber.Status.ACTIVE)

    def receiving(self, audience, section=None):
        """Active subscribers who asked for `audience` (a Newsletter.Audience)."""
        people = self.active()
        if audience == Newsletter.Audience.DAILY:
            return people.filter(daily=True)
        if audience == Newsletter.Audience.WEEKLY:
            return people.filter(weekly=True)
        if audience == Newsletter.Audience.BREAKING:
            return people.filter(breaking=True)
        if audience == Newsletter.Audience.SECTION:
            return people.filter(sections=section)
        return people


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Address bounced"
        COMPLAINED = "complained", "Marked as spam"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING, db_index=True)
    daily = models.BooleanField("Daily digest", default=False)
    weekly = models.BooleanField("Weekly digest", default=False)
    breaking = models.BooleanField("Breaking news", default=False)
    sections = models.ManyToManyField(Section, blank=True, related_name="+")
    # Bumped on unsubscribe: confirmation and preference links sent before stop working.
    link_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def chosen(self):
        """What this reader asked for, in words (for the consent record and emails)."""
        names = [label for field, label in (("daily", "daily digest"), ("weekly", "weekly digest"),
                                            ("breaking", "breaking news")) if getattr(self, field)]
        names += [f"section: {s.name}" for s in self.sections.all()]
        return ", ".join(names)


class Consent(models.Model):
    """One line of the consent record: what a reader agreed to (or withdrew), when and where."""

    class Action(models.TextChoices):
        SUBSCRIBED = "subscribed", "Asked to subscribe"
        CONFIRMED = "confirmed", "Confirmed by email"
        CHANGED = "changed", "Changed preferences"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        IMPORTED = "imported", "Imported"
        BOUNCED = "bounced", "Stopped: address bounced"
        COMPLAINED = "complained", "Stopped: marked as spam"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=14, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200, blank=True, help_text="The page or import it came from.")
    # A keyed hash of the network address, never the address: it shows two sign-ups came from
    # the same place without keeping where that was.
    client_hash = models.CharField(max_length=32, blank=True)
    wording = models.TextField(blank=True, help_text="What the reader agreed to, word for word.")
    lists = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class Newsletter(models.Model):
    class Audience(models.TextChoices):
        DAILY = "daily", "Daily digest subscribers"
        WEEKLY = "weekly", "Weekly digest subscribers"
        BREAKING = "breaking", "Breaking news subscribers"
        SECTION = "section", "Subscribers of a section"
        EVERYONE = "everyone", "Every confirmed subscriber"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="A few words above the stories (plain text).")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.DAILY)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When it goes out, if scheduled.")
    recipients_queued = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    automatic = models.CharField(
        max_length=20, blank=True, editable=False, help_text="The digest it was built for, e.g. daily:2026-12-06."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["automatic"], condition=~models.Q(automatic=""), name="newsletter_one_digest_per_day"
            )
        ]

    def __str__(self):
        return self.subject


class NewsletterStory(models.Model):
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="stories")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "stories"

    def __str__(self):
        return f"Story {self.position}"


class Delivery(models.Model):
    """One recipient of one newsletter. The unique pair is what makes sending idempotent."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed by a worker"
        SENDING = "sending", "Handed to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (unsubscribed meanwhile)"
        UNKNOWN = "unknown", "Worker stopped while sending: not sent again"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "subscriber"], name="delivery_once_per_reader")
        ]
        indexes = [models.Index(fields=["newsletter", "status", "id"], name="delivery_queue_idx")]

    def __str__(self):
        return f"Delivery {self.pk} ({self.status})"


class Bounce(models.Model):
    class Kind(models.TextChoices):
        HARD = "hard", "Hard bounce"
        SOFT = "soft", "Soft bounce"
        COMPLAINT = "complaint", "Complaint"

    email = models.EmailField(max_length=254, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    newsletter = models.ForeignKey(Newsletter, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces")
    detail = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.email}"
