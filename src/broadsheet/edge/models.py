"""The purge queue: surrogate keys a shared cache has still to be told about."""

from django.db import models


class PendingPurge(models.Model):
    """One key for one purger. Queuing a key again only moves `queued_at`, so a storm of changes
    to one story queues it once; a row is removed when the purge sent after `queued_at` succeeded."""

    purger = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    queued_at = models.FloatField()
    not_before = models.FloatField(default=0)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["purger", "key"], name="edge_purge_once")]
        indexes = [models.Index(fields=["purger", "not_before"], name="edge_purge_due")]

    def __str__(self):
        return f"{self.purger}: {self.key}"
