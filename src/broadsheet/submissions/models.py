"""Submissions from outside writers, their review history, the guidelines and duplicate fingerprints."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from broadsheet.core import surrogates
from broadsheet.core.text import clean_text
from broadsheet.newsroom.models import Article, Author, Section
from broadsheet.newsroom.text import render_markdown


def new_token():
    return secrets.token_urlsafe(32)


class Guidelines(models.Model):
    """The one page of advice shown above the form; editors change it in the back office."""

    text = models.TextField(blank=True, help_text="Markdown. Shown above the submission form.")
    text_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    DEFAULT_TEXT = (
        "We publish original reporting, analysis and first-hand accounts. Send your own work, or "
        "work you have the right to republish. Editors read every submission; they may shorten "
        "or edit it, and will tell you what they decide."
    )

    class Meta:
        verbose_name = "guidelines"
        verbose_name_plural = "guidelines"

    def __str__(self):
        return "Guidelines for contributors"

    def save(self, *args, **kwargs):
        self.pk = 1
        self.text = clean_text(self.text)
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)
        surrogates.request_purge(surrogates.PUBLISH)  # the form's page shows them

    @classmethod
    def load(cls):
        guidelines = cls.objects.filter(pk=1).first()
        if guidelines is None:
            guidelines = cls(text=cls.DEFAULT_TEXT)
            guidelines.text_html = render_markdown(guidelines.text)
        return guidelines


class SubmissionQuerySet(models.QuerySet):
    def live_but_not_told(self, now=None):
        """Accepted submissions whose story is live and whose contributor was not told yet."""
        now = now or timezone.now()
        return self.filter(
            status=Submission.Status.ACCEPTED,
            published_at__isnull=True,
            article__status=Article.Status.PUBLISHED,
            article__publish_at__lte=now,
        )

    def awaiting_review(self):
        return self.filter(status=Submission.Status.NEW)

    def open(self):
        return self.filter(status__in=[Submission.Status.NEW, Submission.Status.CHANGES_REQUESTED])

    def counts_by_status(self):
        rows = self.values("status").annotate(n=models.Count("id")).order_by()
        return {row["status"]: row["n"] for row in rows}


class Submission(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Awaiting review"
        CHANGES_REQUESTED = "changes", "Changes requested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The random key of the form that sent it: a second click on Send finds the first submission.
    form_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)

    headline = models.CharField(max_length=200)
    summary = models.TextField(max_length=500, blank=True)
    body = models.TextField(help_text="Markdown.")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="submissions")
    tags = models.CharField(max_length=400, blank=True, help_text="Comma-separated.")
    image = models.ImageField(upload_to="submissions/%Y/%m/", blank=True)
    image_caption = models.CharField(max_length=300, blank=True)
    image_credit = models.CharField(max_length=200, blank=True)
    original_source = models.CharField(max_length=120, blank=True)
    original_url = models.URLField(max_length=1000, blank=True)

    contributor_name = models.CharField(max_length=120)
    # Private: editors see it; it is never shown on a public page.
    contributor_email = models.EmailField(max_length=254, db_index=True)
    contributor_bio = models.TextField(max_length=600, blank=True)
    rights_confirmed = models.BooleanField(default=False)

    body_hash = models.CharField(max_length=64, db_index=True, editable=False)
    duplicate_score = models.FloatField(
        default=0.0, editable=False, help_text="Similarity of the closest match found when it was sent."
    )
    editor_notes = models.TextField(blank=True, help_text="For editors only; the contributor never sees it.")

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    guest_author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the contributor was told their story is live: set once, by whoever claims the email
    # first, so a re-publish or a second worker never sends it again.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="submission_queue_idx")]

    def __str__(self):
        return self.headline

    def get_status_url(self):
        return reverse("submissions:status", args=[self.token])

    def get_thanks_url(self):
        return reverse("submissions:thanks", args=[self.token])

    def tag_names(self):
        seen, names = set(), []
        for name in (self.tags or "").split(","):
            name = " ".join(name.split())[:50]
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def masked_email(self):
        """Enough for the contributor to recognise their address, not enough to read it."""
        local, _, domain = (self.contributor_email or "").partition("@")
        if not domain:
            return "•••"
        return f"{local[:1]}•••@{domain[:1]}•••"

    def can_be_edited_by_contributor(self):
        return self.status == self.Status.CHANGES_REQUESTED

    def can_be_decided(self):
        return self.status in {self.Status.NEW, self.Status.CHANGES_REQUESTED}

    def live_article(self):
        """The story made of this submission when readers can see it now, else None."""
        article = self.article if self.article_id else None
        return article if article is not None and article.is_published() else None


class SubmissionEvent(models.Model):
    """One step in a submission's life: sent, resent, changes requested, accepted, rejected..."""

    class Kind(models.TextChoices):
        SENT = "sent", "Sent"
        RESENT = "resent", "Resent after changes"
        CHANGES_REQUESTED = "changes", "Changes requested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Marked as spam"
        PUBLISHED = "published", "Published"
        NOTIFY_FAILED = "mail_failed", "Email could not be sent"

    # What an acceptance says when the editor wrote no note of their own.
    ACCEPTED_MESSAGE = "Accepted: an editor will prepare your article for publication."

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.TextField(blank=True)
    shown_to_contributor = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Fingerprint(models.Model):
    """The MinHash signature of one article or one submission, for the near-duplicate check."""

    article = models.OneToOneField(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="fingerprint"
    )
    signature = models.BinaryField()
    body_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=True, submission__isnull=False)
                | models.Q(article__isnull=False, submission__isnull=True),
                name="fingerprint_of_one_thing",
            )
        ]

    def __str__(self):
        return f"article {self.article_id}" if self.article_id else f"submission {self.submission_id}"


class FingerprintBand(models.Model):
    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self):
        return str(self.key)
