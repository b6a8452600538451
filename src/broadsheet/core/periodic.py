"""Periodic jobs: work the task workers do every so often (polling feeds, moving read counts to
the database, expiring held uploads, building the daily digest). The one registry of them.

An app registers its jobs in AppConfig.ready():

    periodic.register("wire-poll", services.poll_due, every=60)
    periodic.register("readership-flush", services.flush, every=conf.flush_seconds)  # read at call time
    periodic.register("newsletters-digest-daily", digests.send_daily, at=periodic.At(hour=conf.daily_hour))

Every `broadsheet worker` runs the due jobs in a thread beside its task queue. Each job has a
row (core.PeriodicJob) with its next run, last run and last error. A worker takes a due job with
one conditional UPDATE that sets a lease on the row, so across all workers and servers one
process at a time runs a job; the worker's heartbeat renews the lease while the job runs, and a
worker that dies mid-job stops renewing it, so the job is free again LEASE seconds later. A
failing job is logged and its error kept on the row (shown by /healthz and the back office); it
runs again at its next time.

Something to do once, at a given time (a scheduled newsletter) is a task queued with
`core.workers.enqueue_at`, not a periodic job.
"""

import datetime
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

Seconds = float | Callable[[], float]


def _value(value):
    return value() if callable(value) else value


class At:
    """A time of day in the site's time zone (settings.TIME_ZONE), every day or on one weekday
    (0 = Monday). Each part may be a function, read when the next run is worked out."""

    def __init__(self, *, hour, minute=0, weekday=None):
        self.hour, self.minute, self.weekday = hour, minute, weekday

    def _on(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(int(_value(self.hour)), int(_value(self.minute))))
        return timezone.make_aware(moment, timezone.get_default_timezone())

    def _period_start(self, moment: datetime.datetime) -> datetime.date:
        day = timezone.localtime(moment, timezone.get_default_timezone()).date()
        weekday = _value(self.weekday)
        if weekday is not None:
            day -= datetime.timedelta(days=(day.weekday() - int(weekday)) % 7)
        return day

    @property
    def _step(self) -> datetime.timedelta:
        return datetime.timedelta(days=1 if _value(self.weekday) is None else 7)

    def first(self, now: datetime.datetime) -> datetime.datetime:
        """This day's (or week's) time: past already on a new install, so it runs at once."""
        return self._on(self._period_start(now))

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        due = self.first(moment)
        while due <= moment:
            due = self._on(timezone.localtime(due, timezone.get_default_timezone()).date() + self._step)
        return due


@dataclass
class Job:
    name: str
    fn: Callable[[], Any]
    every: Seconds | None = None
    at: At | None = None

    def first_run(self, now):
        return self.at.first(now) if self.at else now

    def next_run(self, *, started, finished):
        if self.at:
            return self.at.next_after(started)
        return finished + datetime.timedelta(seconds=float(_value(self.every)))


_jobs: dict[str, Job] = {}


def register(name: str, fn: Callable[[], Any], *, every: Seconds | None = None, at: At | None = None) -> None:
    """Run `fn()` every `every` seconds (a number, or a function giving it), or at `at`."""
    if (every is None) == (at is None):
        raise ValueError("A periodic job runs either every so many seconds or at a time of day.")
    if len(name) > 64:
        raise ValueError("A periodic job's name has at most 64 characters.")
    _jobs[name] = Job(name, fn, every, at)


def registered() -> dict[str, Job]:
    return dict(_jobs)


def lease_seconds() -> float:
    """How long a taken job stays taken without its worker's heartbeat renewing it."""
    from . import conf

    return max(2.0, 2.0 * conf.worker_stale_seconds())


def ensure_rows(now=None):
    """A row for every registered job (the first run of a new job: now, or today's time)."""
    from .models import PeriodicJob

    now = now or timezone.now()
    existing = set(PeriodicJob.objects.filter(name__in=list(_jobs)).values_list("name", flat=True))
    missing = [PeriodicJob(name=job.name, next_run_at=job.first_run(now)) for job in _jobs.values() if job.name not in existing]
    if missing:
        try:
            with transaction.atomic():
                PeriodicJob.objects.bulk_create(missing, ignore_conflicts=True)
        except IntegrityError:  # another worker created them at the same moment
            pass


def _free(now):
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def take(name: str, *, worker: str, now=None, force=False) -> bool:
    """Lease the job for `worker` if it is due and nobody holds it: one UPDATE, so of two
    workers asking at once exactly one gets it."""
    from .models import PeriodicJob

    now = now or timezone.now()
    rows = PeriodicJob.objects.filter(_free(now), name=name)
    if not force:
        rows = rows.filter(next_run_at__lte=now)
    until = now + datetime.timedelta(seconds=lease_seconds())
    return rows.update(leased_by=worker, lease_until=until, last_started_at=now) == 1


def run(job: Job, *, worker: str) -> str:
    """Run a job this worker has taken, then record how it went and free it. Returns the
    error ("" when it went well)."""
    from .models import PeriodicJob

    started = timezone.now()
    error = ""
    try:
        job.fn()
    except Exception:
        logger.exception("Periodic job %s failed", job.name)
        error = traceback.format_exc(limit=4)[-2000:]
    finished = timezone.now()
    changes = {
        "leased_by": "",
        "lease_until": None,
        "last_finished_at": finished,
        "last_run_by": worker,
        "runs": F("runs") + 1,
        "next_run_at": job.next_run(started=started, finished=finished),
        "last_error": error,
    }
    if error:
        changes["last_error_at"] = finished
    if not PeriodicJob.objects.filter(name=job.name, leased_by=worker).update(**changes):
        logger.warning("Periodic job %s outlived its lease; another worker may have run it too", job.name)
    return error


def run_due(*, worker: str, now=None) -> list[str]:
    """Take and run every due job nobody else holds; returns the names this call ran."""
    from .models import PeriodicJob

    if not _jobs:
        return []
    now = now or timezone.now()
    ensure_rows(now)
    due = PeriodicJob.objects.filter(_free(now), name__in=list(_jobs), next_run_at__lte=now).order_by("next_run_at")
    ran = []
    for name in list(due.values_list("name", flat=True)):
        job = _jobs.get(name)
        if job is not None and take(name, worker=worker, now=now):
            run(job, worker=worker)
            ran.append(name)
    return ran


def run_now(name: str, *, worker: str) -> bool:
    """Run one job now, whatever its time, unless another worker is running it."""
    job = _jobs[name]
    ensure_rows()
    if not take(name, worker=worker, force=True):
        return False
    run(job, worker=worker)
    return True


def renew_leases(*, worker: str, now=None) -> int:
    """Keep the jobs this worker is running taken (called by its heartbeat)."""
    from .models import PeriodicJob

    now = now or timezone.now()
    until = now + datetime.timedelta(seconds=lease_seconds())
    return PeriodicJob.objects.filter(leased_by=worker, lease_until__isnull=False).update(lease_until=until)


def status(*, with_errors=False, now=None) -> list[dict]:
    """Each registered job: last run, next run, whether it is running, its last error."""
    from .models import PeriodicJob

    now = now or timezone.now()
    rows = {row.name: row for row in PeriodicJob.objects.filter(name__in=list(_jobs))}
    found = []
    for name in sorted(_jobs):
        row = rows.get(name)
        item: dict[str, Any] = {"name": name, "last_run": None, "next_run": None, "running": False, "failing": False}
        if row is not None:
            item.update(
                last_run=row.last_finished_at.isoformat() if row.last_finished_at else None,
                next_run=row.next_run_at.isoformat(),
                running=bool(row.lease_until and row.lease_until >= now),
                failing=bool(row.last_error),
                runs=row.runs,
            )
            if with_errors:
                item["last_error"] = row.last_error.strip().splitlines()[-1] if row.last_error else ""
                item["last_error_at"] = row.last_error_at.isoformat() if row.last_error_at else None
        found.append(item)
    return found
