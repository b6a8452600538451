"""Task workers that can die: heartbeats, and requeueing the tasks an absent worker left running.

django-tasks' database worker marks a task RUNNING when it claims it. If the process is killed
before it finishes, the row would stay RUNNING for ever. Each `broadsheet worker` records a
heartbeat; a RUNNING task whose worker has not been seen for BROADSHEET_WORKER_STALE_SECONDS
(core.conf) goes back to READY and runs again (tasks here are written to be safe to run twice).
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from . import conf, periodic
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def new_worker_id():
    return f"{socket.gethostname()[:20]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "last_seen": timezone.now()},
    )


def requeue_abandoned(now=None):
    """Put back to READY every RUNNING task whose worker's heartbeat is stale. Returns the count."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = datetime.timedelta(seconds=conf.worker_stale_seconds())
    alive = set(
        WorkerHeartbeat.objects.filter(
            last_seen__gte=now - stale
        ).values_list("worker_id", flat=True)
    )
    requeued = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "id", "worker_ids", "started_at"
        ):
            last_worker = task.worker_ids[-1] if task.worker_ids else None
            if last_worker in alive:
                continue
            if task.started_at and task.started_at > now - stale:
                continue  # just claimed; its worker may not have beaten yet
            DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            requeued += 1
            logger.warning("Requeued task %s abandoned by worker %s", task.pk, last_worker)
    WorkerHeartbeat.objects.filter(last_seen__lt=now - datetime.timedelta(days=1)).delete()
    return requeued


class _Beside(threading.Thread):
    """A thread beside the worker loop that does `tick()` every beat until stopped, on a database
    connection of its own (closed after each tick on SQLite, and when it stops)."""

    thread_name = ""
    failure = ""

    def __init__(self, worker_id):
        super().__init__(daemon=True, name=self.thread_name)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def tick(self):
        raise NotImplementedError

    def run(self):
        while not self.stopped.is_set():
            try:
                close_old_connections()
                self.tick()
            except Exception:  # the database may be restarting; try again at the next beat
                logger.exception(self.failure)
            finally:
                if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
                    connection.close()
            self.stopped.wait(conf.worker_beat_seconds())
        connection.close()  # this thread's own connection: a stopped worker holds none open


class Heartbeat(_Beside):
    """Beats every few seconds and requeues abandoned tasks, beside the worker loop."""

    thread_name = "worker-heartbeat"
    failure = "Worker heartbeat failed"

    def tick(self):
        beat(self.worker_id)
        periodic.renew_leases(worker=self.worker_id)
        requeue_abandoned()


class PeriodicRunner(_Beside):
    """Runs the due periodic jobs (core.periodic) beside the worker loop, in a thread of its
    own so a long job never delays the heartbeat."""

    thread_name = "worker-periodic"
    failure = "Periodic jobs could not be run"

    def tick(self):
        periodic.run_due(worker=self.worker_id)


def status(now=None):
    """What the newest heartbeat says: {"state": "running" | "stale" | "none", "last_seen",
    "seconds_ago", "workers"} (workers: how many beat within the stale time)."""
    now = now or timezone.now()
    fresh_since = now - datetime.timedelta(seconds=conf.worker_stale_seconds())
    latest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    if latest is None:
        return {"state": "none", "last_seen": None, "seconds_ago": None, "workers": 0}
    return {
        "state": "running" if latest >= fresh_since else "stale",
        "last_seen": latest.isoformat(),
        "seconds_ago": max(0, round((now - latest).total_seconds())),
        "workers": WorkerHeartbeat.objects.filter(last_seen__gte=fresh_since).count(),
    }


def enqueue_at(task_function, at, *args):
    """Queue `task_function(*args)` to run at `at`. Returns False, queueing nothing, when the
    task backend cannot defer (the tests' immediate backend): the caller then runs it itself
    or leaves it to its periodic command."""
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return False
    task_function.using(run_after=at).enqueue(*args)
    return True
