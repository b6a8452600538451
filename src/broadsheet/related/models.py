"""Stored related lists, editors' pins and exclusions, and the TF-IDF engine's index.

A page reads RelatedEntry rows joined to their articles: one query. Pins are copied into the
stored list (first, `pinned=True`) whenever they or the list change, so reading never merges.
"""

from django.db import models

from broadsheet.newsroom.models import Article


class RelatedEntry(models.Model):
    """One line of an article's related list: `related` shown under `article` at `rank`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_entries")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0.0)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["article", "rank"]
        verbose_name_plural = "related entries"
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_entry_unique"),
        ]

    def __str__(self):
        return f"{self.article_id} -> {self.related_id} (#{self.rank})"


class RelatedPin(models.Model):
    """An editor's choice: always show `pinned` under `article`, before the computed list."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_pins")
    pinned = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name="related story"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["article", "position", "id"]
        verbose_name = "pinned related story"
        verbose_name_plural = "pinned related stories"
        constraints = [
            models.UniqueConstraint(fields=["article", "pinned"], name="related_pin_unique"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("pinned")), name="related_pin_not_itself"
            ),
        ]

    def __str__(self):
        return f"Pinned under {self.article_id}: {self.pinned_id}"


class RelatedExclusion(models.Model):
    """An editor's choice: never show `excluded` under `article`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_exclusions")
    excluded = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name="story never to show"
    )

    class Meta:
        ordering = ["article", "id"]
        verbose_name = "excluded related story"
        verbose_name_plural = "excluded related stories"
        constraints = [
            models.UniqueConstraint(fields=["article", "excluded"], name="related_exclusion_unique"),
        ]

    def __str__(self):
        return f"Never under {self.article_id}: {self.excluded_id}"


# --- the TF-IDF engine's index (see tfidf.py) ---


class IndexedArticle(models.Model):
    """An article's term vector: heaviest terms and their normalised weights."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    terms = models.BinaryField()  # int32 Term ids
    weights = models.BinaryField()  # float32, same order
    fingerprint = models.BigIntegerField()  # compared in memory, never looked up
    published = models.FloatField(help_text="Seconds since the epoch.")

    def __str__(self):
        return f"Index of {self.article_id}"


class Term(models.Model):
    """A folded term, how many indexed articles use it, and where it weighs most (postings)."""

    text = models.CharField(max_length=100, unique=True)
    documents = models.PositiveIntegerField(default=0)
    postings = models.BinaryField(default=b"")  # int32 article ids then float32 weights

    def __str__(self):
        return self.text


class IndexState(models.Model):
    """One row (pk 1): how many articles the index holds and when it was last rebuilt. It is
    also the lock every writer of the index and the lists takes first (see locking.py)."""

    documents = models.PositiveIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.documents} articles indexed"


class Journal(models.Model):
    """Articles whose lists were updated, kept a day: a rebuild replays those noted after it
    began (see locking.py). No foreign key: a deleted article is noted too."""

    article_id = models.BigIntegerField()
    noted_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.article_id} at {self.noted_at:%Y-%m-%d %H:%M:%S}"
