"""Feed polling is the "wire-poll" periodic job the task worker runs (core.periodic)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.core.models import PeriodicJob
from broadsheet.wire import services
from broadsheet.wire.models import WireItem

from . import feeds

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_worker_polls_due_feeds_and_schedules_the_next_poll(feed_server, settings):
    settings.TASKS = DB_TASKS
    url = feed_server.add(
        "/feed/", feeds.wordpress_rss([{"title": "Sea wall approved", "link": "https://h.example/1"}])
    )
    services.add_feed("Harbour Herald", url)
    call_command("worker", "--batch", "--interval", "0")
    assert WireItem.objects.count() == 1
    job = PeriodicJob.objects.get(name="wire-poll")
    assert job.runs == 1 and job.last_error == ""
    assert job.next_run_at > timezone.now() + datetime.timedelta(seconds=30)
    call_command("worker", "--batch", "--interval", "0")
    assert PeriodicJob.objects.get(name="wire-poll").runs == 1, "not due again yet"
