"""The wire's words: a Feed of a Source, the WireItems it brings, StoryGroups of items about one
story, the other names of an outlet (SourceAlias), the outlets a story cites (Citation) and the
people and places it names (Entity, EntityName, Mention)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from broadsheet.newsroom.models import Article, Section, Source, unique_slug


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(active=True, next_poll_at__lte=now or timezone.now())


class Feed(models.Model):
    """One RSS, Atom or JSON feed of an outlet, polled on its own schedule."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    every_minutes = models.PositiveIntegerField(default=15, help_text="How often it is polled.")
    full_text_allowed = models.BooleanField(
        default=False,
        help_text="The outlet's licence lets us carry whole stories. Otherwise only headline, summary and link.",
    )
    licence_note = models.CharField(max_length=300, blank=True)
    # Rules: what happens to this feed's items as they arrive.
    auto_draft_section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Make a draft in this section of every new item.",
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The section this feed's items usually belong to: the desk filters by it and offers it first.",
    )
    ignore_matching = models.TextField(
        blank=True,
        help_text="Words or phrases, one a line: items whose headline or summary has one are ignored.",
    )
    # Conditional GET and schedule.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    failures = models.PositiveIntegerField(default=0, help_text="Failed polls in a row.")
    # Health.
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_new_items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "url"]

    def __str__(self):
        return f"{self.source} · {self.url}"

    def ignore_phrases(self):
        return [line.strip().lower() for line in self.ignore_matching.splitlines() if line.strip()]

    def items_per_day(self, days=7):
        since = timezone.now() - datetime.timedelta(days=days)
        return round(self.items.filter(fetched_at__gte=since).count() / days, 1)

    def is_healthy(self):
        return self.failures == 0

    @property
    def items_section_id(self):
        """The section of this feed's items: its auto-draft rule's, else its default section."""
        return self.auto_draft_section_id or self.section_id


class StoryGroup(models.Model):
    """Wire items from one or several outlets about the same story."""

    headline = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.headline


class WireItemQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=WireItem.Status.NEW)

    def in_section(self, section):
        """Items whose feed's rule drafts them in `section`, or, without a rule, whose feed's
        default section it is."""
        return self.filter(
            models.Q(feed__auto_draft_section=section)
            | models.Q(feed__auto_draft_section__isnull=True, feed__section=section)
        )


class WireItem(models.Model):
    """One story another outlet published, as its feed described it. Never shown to readers."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        DRAFTED = "drafted", "Drafted"
        IGNORED = "ignored", "Ignored"

    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="wire_items")
    guid = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    # Duplicates: the same story at the same address (tracking parameters off) or with the same words.
    url_key = models.CharField(max_length=64, unique=True)
    text_key = models.CharField(max_length=64, unique=True)
    headline = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body_html = models.TextField(blank=True, help_text="Whole story, only when the licence allows.")
    author = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    group = models.ForeignKey(
        StoryGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # The folded words grouping compares, {term: weight}, kept so later items are compared without re-reading.
    terms = models.JSONField(default=dict, blank=True)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = WireItemQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["status", "-fetched_at"], name="wire_item_queue_idx")]

    def __str__(self):
        return self.headline

    def when(self):
        return self.published_at or self.fetched_at


class SourceAlias(models.Model):
    """Another name an outlet goes by ("NYT", "nytimes.com"): found, cited and listed as that Source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["source__name", "name"]
        verbose_name_plural = "source aliases"

    def __str__(self):
        return f"{self.name} → {self.source}"

    def save(self, *args, **kwargs):
        from .outlets import name_key

        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class Citation(models.Model):
    """An outlet a story cites as reporting ("according to Haaretz"), found by the machine or an editor."""

    class Status(models.TextChoices):
        FOUND = "found", "Found by the machine"
        CONFIRMED = "confirmed", "Confirmed by an editor"
        ADDED = "added", "Added by an editor"
        REMOVED = "removed", "Removed by an editor"

    SHOWN = (Status.FOUND, Status.CONFIRMED, Status.ADDED)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FOUND)
    sentence = models.TextField(blank=True, help_text="Where the story cites it.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["source__name"]
        constraints = [models.UniqueConstraint(fields=["article", "source"], name="wire_citation_once")]

    def __str__(self):
        return f"{self.article_id} cites {self.source}"


class EntityQuerySet(models.QuerySet):
    def confirmed(self):
        """The entities readers see: named by an editor, or suggested by the machine and confirmed."""
        return self.filter(status=Entity.Status.CONFIRMED)

    def suggested(self):
        return self.filter(status=Entity.Status.SUGGESTED)


class Entity(models.Model):
    """A person or place stories name, however each outlet spells it."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PLACE = "place", "Place"
        ORGANISATION = "organisation", "Organisation"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        SUGGESTED = "suggested", "Suggested by the machine"
        REJECTED = "rejected", "Rejected (never suggested again)"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, blank=True)
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.PERSON)
    description = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.CONFIRMED,
        db_index=True,
        help_text="Only confirmed entities are linked to stories and have a page.",
    )
    # Where the machine found a suggested one, for the editor who decides.
    found_in = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    found_sentence = models.TextField(blank=True, editable=False)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Entity, self.name, instance_pk=self.pk, max_length=220)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("wire:entity", args=[self.slug])


class EntityName(models.Model):
    """One spelling of an entity ("Qasem Soleimani", "Kassem Suleimani")."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    # Only counted when the entity's other names are in the same story (a translation slip like "Süleyman").
    in_context_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="wire_entity_name_once")]

    def __str__(self):
        return self.name


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "entity"], name="wire_mention_once")]

    def __str__(self):
        return f"{self.article_id} names {self.entity}"
