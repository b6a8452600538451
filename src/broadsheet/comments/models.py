"""Reader comments, the editors' moderation settings, and the spam classifier's word counts."""

import hashlib

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from broadsheet.core.prepared import PreparedQuery
from broadsheet.newsroom.models import Article

from .text import clean_comment_text, render_comment


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def spam(self):
        return self.filter(status=Comment.Status.SPAM)

    def on(self, article):
        return self.filter(article=article)

    def by_email(self, email):
        return self.filter(author_email=normalise_email(email))

    def top_level(self):
        return self.filter(parent__isnull=True)


def normalise_email(email):
    return (email or "").strip().lower()


def body_fingerprint(body):
    """Same words, same fingerprint: case and spacing do not make a comment new."""
    words = " ".join((body or "").lower().split())
    return hashlib.sha256(words.encode("utf-8", "replace")).hexdigest()


class ShownComment:
    """What a comment shows of its author, for a Comment and for a ThreadComment alike."""

    __slots__ = ()
    author_name: str
    user_id: int | None

    @property
    def avatar_initials(self):
        return avatar_initials(self.author_name)

    @property
    def avatar_colour(self):
        return avatar_colour(self.author_name)

    @property
    def by_editor(self):
        return self.user_id is not None


def avatar_initials(name):
    words = [w for w in name.split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(name):
    """One of eight colours, from a hash of the name: drawn here, fetched from nowhere."""
    digest = hashlib.blake2s(name.encode("utf-8", "replace"), digest_size=2).digest()
    return digest[0] % 8


class Comment(ShownComment, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread (null for a top-level comment itself): a page of
    # threads is fetched in one query by it.
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread_replies"
    )
    depth = models.PositiveSmallIntegerField(default=1, help_text="1 for a top-level comment.")
    author_name = models.CharField("name", max_length=100)
    # Private: used to recognise a returning commenter and to tell them of replies. Never rendered
    # on a public page, feed or API answer.
    author_email = models.EmailField("email", max_length=254)
    author_url = models.URLField("website", max_length=200, blank=True)
    body = models.TextField("comment")
    body_html = models.TextField(editable=False, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    held_reason = models.CharField(max_length=200, blank=True, help_text="Why it was held or marked spam.")
    spam_score = models.FloatField(null=True, blank=True, help_text="The classifier's guess, 0 to 1.")
    # What the classifier last learned from this comment ("spam", "ham" or ""), so a changed
    # decision is unlearned before it is learned again.
    learned_as = models.CharField(max_length=4, blank=True, editable=False)
    notify_replies = models.BooleanField(default=False)
    announced = models.BooleanField(default=False, editable=False, help_text="Approval emails sent.")
    ip_address = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when an editor wrote it from the back office.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("view_commenter_history", "Can see a commenter's history by email")]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # The replies of a page of threads (thread IN (...) AND status = ... ORDER BY
            # created_at): every column of the query, so the planner takes it whatever its
            # statistics say and a story's cost never grows with other stories' comments.
            models.Index(fields=["thread", "status", "created_at"], name="comment_replies_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author_email", "status"], name="comment_email_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
        ]
        constraints = [
            # The same words from the same person on the same story are stored once, even when
            # two requests race (a double click).
            models.UniqueConstraint(
                fields=["article", "author_email", "fingerprint"], name="comment_no_duplicates"
            ),
        ]

    # Set on the comments a page shows (services.story_discussion, views.held), for the thread.
    children: list["Comment"]
    awaiting: bool
    can_reply: bool

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        for name in ("author_name", "author_url", "user_agent", "held_reason"):
            setattr(self, name, clean_comment_text(getattr(self, name)))
        self.author_email = normalise_email(clean_comment_text(self.author_email))
        self.body = clean_comment_text(self.body)
        self.body_html = render_comment(self.body)
        self.fingerprint = body_fingerprint(self.body)
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"updated_at"}
            if "body" in update_fields:
                kwargs["update_fields"] |= {"body_html", "fingerprint"}
        super().save(*args, **kwargs)
        if self.Status.APPROVED in (self.status, self._saved_status) and self.status != self._saved_status:
            CommentTally.recount(self.article_id)
        self._saved_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.__dict__.get("status")
        return instance

    _saved_status = None

    def is_approved(self):
        return self.status == self.Status.APPROVED

    def is_pending(self):
        return self.status == self.Status.PENDING

    def root_id(self):
        return self.thread_id or self.pk

    def get_absolute_url(self):
        return reverse("comments:permalink", args=[self.pk])


class ThreadComment(ShownComment):
    """A comment as the discussion under a story shows it, read as a row of THREAD_FIELDS rather
    than as a model instance: a long discussion's page built some 120 instances per request, a
    third of its render. Carries what the thread writes (comments/templatetags/comment_tree.py)."""

    FIELDS = (
        "id", "parent_id", "thread_id", "depth", "author_name", "author_url", "body_html",
        "created_at", "user_id",
    )  # fmt: skip
    __slots__ = (*FIELDS[1:], "pk", "children", "can_reply")
    awaiting = False  # only approved comments are read (a reader's own held one comes apart)
    # Set by services.story_discussion(), as on Comment.
    children: list["ThreadComment"]
    can_reply: bool

    def __init__(self, row):
        (
            self.pk, self.parent_id, self.thread_id, self.depth, self.author_name, self.author_url,
            self.body_html, self.created_at, self.user_id,
        ) = row  # fmt: skip


class ModerationSettings(models.Model):
    """The editors' rules for new comments: one row, edited in the back office."""

    manual_approval = models.BooleanField(
        "Comments must be approved by an editor", default=False, help_text="Hold every new comment."
    )
    auto_approve_known = models.BooleanField(
        "Approve commenters with an earlier approved comment",
        default=True,
        help_text="A comment waits unless it comes from the browser that posted an approved comment "
        "under the same email, or from a signed-in editor. The email alone proves nothing.",
    )
    hold_link_count = models.PositiveSmallIntegerField(
        "Hold a comment with this many links or more", default=2, help_text="0 switches the rule off."
    )
    moderation_words = models.TextField(
        "Hold a comment containing",
        blank=True,
        help_text="One word, phrase, address or IP per line. Matched inside words, any case, "
        "against the comment, name, email, website and IP.",
    )
    disallowed_words = models.TextField(
        "Send to spam a comment containing", blank=True, help_text="Same format as the list above."
    )
    flood_seconds = models.PositiveIntegerField(
        "Seconds between two comments from the same IP or email",
        default=15,
        help_text="0 switches flood protection off.",
    )
    close_after_days = models.PositiveIntegerField(
        "Close comments on stories older than this many days",
        default=0,
        help_text="0 keeps comments open on every story whose comments are open.",
    )
    max_depth = models.PositiveSmallIntegerField("Deepest reply level", default=5)
    per_page = models.PositiveSmallIntegerField("Threads per page", default=50)
    newest_first = models.BooleanField("Show newest threads first", default=False)
    notify_editors = models.BooleanField("Email editors when a comment is held", default=True)
    notify_authors = models.BooleanField("Email a story's authors when a comment appears on it", default=True)

    class Meta:
        verbose_name = "moderation settings"
        verbose_name_plural = "moderation settings"

    def __str__(self):
        return "Comment moderation settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The one row (one small query; every process sees an editor's change at once)."""
        # A plain read first: get_or_create() always asks the primary, even when the row is there.
        return cls.objects.filter(pk=1).first() or cls.objects.get_or_create(pk=1)[0]

    def word_list(self, name):
        return [line.strip().lower() for line in getattr(self, name).splitlines() if line.strip()]


class SpamWord(models.Model):
    """How often a token appeared in comments editors called spam and not spam."""

    token = models.CharField(max_length=64, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.token} (spam {self.spam}, not spam {self.ham})"


class CommentTally(models.Model):
    """How many approved comments an article has, kept up to date on every change, so listing
    pages read one small row per article instead of counting comments."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    approved = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.article_id}: {self.approved}"

    @classmethod
    def recount(cls, article_id):
        """Count under a row lock: concurrent writers on PostgreSQL queue here, so the last
        recount always sees every committed change."""
        with transaction.atomic():
            cls.objects.bulk_create([cls(article_id=article_id)], ignore_conflicts=True)
            list(cls.objects.select_for_update().filter(article_id=article_id))
            count = Comment.objects.approved().filter(article_id=article_id).count()
            cls.objects.filter(article_id=article_id).update(approved=count)
        return count

    @classmethod
    def counts_for(cls, article_ids):
        """{article id: approved comments} (ids without comments left out); the SQL is built
        once per number of ids (core.prepared), as every listing asks."""
        article_ids = list(dict.fromkeys(article_ids))
        return dict(TALLIES.all(ids=article_ids)) if article_ids else {}


TALLIES = PreparedQuery(
    lambda ids: CommentTally.objects.filter(article_id__in=ids).values_list("article_id", "approved")
)
