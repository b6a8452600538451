"""Site-wide records: task-worker heartbeats (so a task whose worker died runs again)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"
