"""Daily and weekly digests go out by themselves at the hour set, once per day whatever runs
them, through a real SMTP server; no new story, no digest."""

import collections
import datetime
import subprocess
import sys
import time
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone

from broadsheet.core import periodic
from broadsheet.core.models import PeriodicJob
from broadsheet.newsletters import sending
from broadsheet.newsletters.models import Newsletter
from tests.conftest import make_article, wait_for
from tests.core.test_worker_recovery import worker_env

from .helpers import confirmed
from .smtp import LocalSMTP

DAILY = "newsletters-digest-daily"


def run_job(name, worker, capture):
    with capture(execute=True):
        return periodic.run_now(name, worker=worker)


@pytest.mark.django_db
def test_digest_jobs_are_due_at_the_hour_set_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.BROADSHEET_NEWSLETTERS_DIGEST_HOUR = 6
    settings.BROADSHEET_NEWSLETTERS_WEEKLY_DAY = 4  # Friday
    new_york = zoneinfo.ZoneInfo("America/New_York")
    now = datetime.datetime(2026, 12, 8, 3, 0, tzinfo=new_york)  # a Tuesday, before six
    periodic.ensure_rows(now)
    daily = PeriodicJob.objects.get(name=DAILY).next_run_at
    weekly = PeriodicJob.objects.get(name="newsletters-digest-weekly").next_run_at
    assert daily == datetime.datetime(2026, 12, 8, 6, 0, tzinfo=new_york)
    # A fresh site catches up on this week's digest (last Friday's time has passed).
    assert weekly == datetime.datetime(2026, 12, 4, 6, 0, tzinfo=new_york)
    job = periodic.registered()[DAILY]
    assert job.next_run(started=daily, finished=daily) == datetime.datetime(2026, 12, 9, 6, 0, tzinfo=new_york)


@pytest.mark.django_db
def test_daily_digest_goes_out_once_with_the_new_stories_only(smtp, django_capture_on_commit_callbacks):
    confirmed("ana@example.org")
    confirmed("weekly.only@example.org", daily=False, weekly=True)
    make_article("Ferry timetable changes on Monday", publish_at=timezone.now())
    assert run_job(DAILY, "worker-a", django_capture_on_commit_callbacks)
    assert run_job(DAILY, "worker-b", django_capture_on_commit_callbacks), "run again, as after a restart"
    assert [m["To"] for m in smtp.messages] == ["ana@example.org"], "one copy, daily readers only"
    html = smtp.messages[0].get_body(preferencelist=("html",)).get_content()
    assert "Ferry timetable changes on Monday" in html
    letter = Newsletter.objects.get()
    assert letter.status == "sent" and letter.automatic == f"daily:{timezone.localdate().isoformat()}"

    make_article("Library opens on Sundays", publish_at=timezone.now() + datetime.timedelta(minutes=5))
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        second = sending.build_digest("daily", now=tomorrow)
    assert second is not None
    html = smtp.messages[-1].get_body(preferencelist=("html",)).get_content()
    assert "Library opens on Sundays" in html and "Ferry timetable" not in html, "only what is new since"


@pytest.mark.django_db
def test_no_new_story_means_no_digest(smtp, django_capture_on_commit_callbacks):
    confirmed("ana@example.org")
    make_article("Old news", publish_at=timezone.now() - datetime.timedelta(days=3))
    assert run_job(DAILY, "worker-a", django_capture_on_commit_callbacks)
    assert not Newsletter.objects.exists() and smtp.messages == []
    row = PeriodicJob.objects.get(name=DAILY)
    assert row.runs == 1 and row.last_error == "" and row.next_run_at > timezone.now()


def diagnosis(server):
    """What the database says when the mail did not come (a failure message, not a check)."""
    from django_tasks_db.models import DBTaskResult

    jobs = list(PeriodicJob.objects.values_list("name", "next_run_at", "leased_by", "runs", "last_error"))
    letters = list(Newsletter.objects.values_list("automatic", "status"))
    tasks = list(DBTaskResult.objects.values_list("task_path", "status"))
    return f"received {server.inbox.count}; now {timezone.now()}; jobs {jobs}; newsletters {letters}; tasks {tasks}"


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_the_digest_once_to_each_reader(tmp_path):
    readers = [confirmed(f"reader{n}@example.org").email for n in range(5)]
    # make_article dates a story n minutes back (n counts the whole run): this one is new today.
    make_article("Bridge repairs finish early", publish_at=timezone.now())
    connection.close()
    with LocalSMTP() as server:
        env = {
            **worker_env(tmp_path),
            "EMAIL_URL": server.url,
            "BROADSHEET_NEWSLETTERS_DIGEST_HOUR": "0",  # today's time has passed: due at once
        }
        command = [sys.executable, "-m", "broadsheet", "worker", "--interval", "0.2"]
        workers = [subprocess.Popen(command, env=env), subprocess.Popen(command, env=env)]
        try:
            assert wait_for(lambda: server.inbox.count >= len(readers), timeout=90), diagnosis(server)
            assert wait_for(lambda: Newsletter.objects.filter(status="sent").exists(), timeout=30)
            time.sleep(3)  # both workers have looked at the digest job again since
        finally:
            for process in workers:
                process.terminate()
            for process in workers:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        received = collections.Counter(server.inbox.recipients)
    assert received == collections.Counter(readers), "each reader got it exactly once"
    assert Newsletter.objects.filter(automatic__startswith="daily:").count() == 1
    assert not Newsletter.objects.filter(automatic__startswith="weekly:").exists(), "no weekly readers"
    assert PeriodicJob.objects.get(name=DAILY).runs == 1
