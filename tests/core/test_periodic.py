"""Periodic jobs: one registry, one run at a time across workers, a dead worker's job runs again,
errors recorded and shown, times of day in the site's time zone."""

import datetime
import signal
import subprocess
import sys
import time
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from broadsheet.core import periodic
from broadsheet.core.models import PeriodicJob
from tests.conftest import wait_for
from tests.core.test_worker_recovery import worker_env


@pytest.fixture
def job(request):
    """Register a job for one test (and take it away after)."""
    names = []

    def add(name, fn, **kwargs):
        periodic.register(name, fn, **kwargs)
        names.append(name)

    yield add
    for name in names:
        periodic._jobs.pop(name, None)


def test_apps_register_their_jobs_in_the_one_registry():
    assert {"wire-poll", "readership-flush", "submissions-held-pictures"} <= set(periodic.registered())


@pytest.mark.django_db
def test_due_job_runs_once_then_waits_for_its_interval(job):
    runs = []
    job("test-count", lambda: runs.append(1), every=600)
    now = timezone.now()
    assert "test-count" in periodic.run_due(worker="w1", now=now)
    assert "test-count" not in periodic.run_due(worker="w2", now=now + datetime.timedelta(seconds=30))
    assert len(runs) == 1
    row = PeriodicJob.objects.get(name="test-count")
    assert row.runs == 1 and row.last_run_by == "w1" and row.leased_by == "" and row.lease_until is None
    assert row.next_run_at > timezone.now() + datetime.timedelta(seconds=590)
    assert "test-count" in periodic.run_due(worker="w2", now=row.next_run_at)
    assert len(runs) == 2


@pytest.mark.django_db
def test_a_job_another_worker_holds_is_left_alone_until_its_lease_lapses(job):
    runs = []
    job("test-held", lambda: runs.append(1), every=60)
    periodic.ensure_rows()
    now = timezone.now()
    assert periodic.take("test-held", worker="w1", now=now)
    assert not periodic.take("test-held", worker="w2", now=now), "two workers never hold one job"
    assert "test-held" not in periodic.run_due(worker="w2", now=now)
    later = now + datetime.timedelta(seconds=periodic.lease_seconds() + 1)
    assert "test-held" in periodic.run_due(worker="w2", now=later), "w1 died: its lease lapsed"
    assert runs == [1]


@pytest.mark.django_db
def test_a_failing_job_keeps_its_error_and_runs_again_at_its_next_time(job, client, admin_client):
    def broken():
        raise ConnectionError("feed host unreachable")

    job("test-broken", broken, every=60)
    assert "test-broken" in periodic.run_due(worker="w1")
    row = PeriodicJob.objects.get(name="test-broken")
    assert "ConnectionError: feed host unreachable" in row.last_error and row.lease_until is None
    assert row.next_run_at > timezone.now()

    public = {j["name"]: j for j in client.get("/healthz").json()["jobs"]}
    assert public["test-broken"]["failing"] is True and "last_error" not in public["test-broken"]
    assert public["wire-poll"]["next_run"] is not None
    staff = {j["name"]: j for j in admin_client.get("/healthz").json()["jobs"]}
    assert staff["test-broken"]["last_error"] == "ConnectionError: feed host unreachable"


@pytest.mark.django_db
def test_job_at_a_time_of_day_runs_at_that_hour_in_the_site_time_zone(job, settings):
    settings.TIME_ZONE = "Europe/Paris"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    at = periodic.At(hour=7)
    morning = datetime.datetime(2026, 12, 6, 6, 30, tzinfo=paris)
    assert at.first(morning) == datetime.datetime(2026, 12, 6, 7, 0, tzinfo=paris)
    assert at.next_after(datetime.datetime(2026, 12, 6, 7, 0, tzinfo=paris)) == datetime.datetime(2026, 12, 7, 7, 0, tzinfo=paris)
    weekly = periodic.At(hour=8, weekday=0)  # Mondays
    sunday = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=paris)
    assert weekly.next_after(sunday) == datetime.datetime(2026, 12, 7, 8, 0, tzinfo=paris)
    summer = periodic.At(hour=7).next_after(datetime.datetime(2026, 3, 28, 9, 0, tzinfo=paris))
    assert summer.utcoffset() == datetime.timedelta(hours=2) and summer.hour == 7, "across the clock change"


@pytest.mark.django_db
def test_periodic_command_lists_jobs_and_runs_one(job, capsys):
    runs = []
    job("test-listed", lambda: runs.append(1), every=3600)
    call_command("periodic", "run", "test-listed")
    call_command("periodic")
    out = capsys.readouterr().out
    assert "test-listed: ran" in out and "test-listed: last run 20" in out and runs == [1]


# --- real worker processes -----------------------------------------------------------------


def start_worker(env):
    return subprocess.Popen([sys.executable, "-m", "broadsheet", "worker", "--interval", "0.2"], env=env)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def periodic_env(tmp_path, **extra):
    return {
        **worker_env(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.core.periodic_settings",
        "BROADSHEET_TEST_JOB_MARKER": str(tmp_path / "marker.txt"),
        **extra,
    }


@pytest.mark.django_db(transaction=True)
def test_two_workers_run_a_job_once(tmp_path):
    connection.close()
    env = periodic_env(tmp_path, BROADSHEET_TEST_JOB_SECONDS="3")
    marker = tmp_path / "marker.txt"
    workers = [start_worker(env), start_worker(env)]
    try:
        assert wait_for(lambda: marker.exists() and "finished" in marker.read_text(), timeout=60)
        time.sleep(3)  # both workers have looked at the job several times since
    finally:
        for process in workers:
            stop(process)
    lines = marker.read_text().split()
    assert lines.count("started") == 1 and lines.count("finished") == 1, marker.read_text()
    row = PeriodicJob.objects.get(name="test-slow-job")
    assert row.runs == 1 and row.lease_until is None and row.last_error == ""


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_was_killed_runs_again_under_another(tmp_path):
    connection.close()
    env = periodic_env(tmp_path, BROADSHEET_TEST_JOB_SECONDS="6")
    marker = tmp_path / "marker.txt"
    first = start_worker(env)
    try:
        assert wait_for(lambda: marker.exists() and "started" in marker.read_text(), timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    held = PeriodicJob.objects.get(name="test-slow-job")
    assert held.leased_by and held.runs == 0, "the dead worker still holds it"
    second = start_worker(env)
    try:
        assert wait_for(lambda: "finished" in marker.read_text(), timeout=60), "the job never ran again"
    finally:
        stop(second)
    lines = marker.read_text().split()
    assert lines.count("started") == 2 and lines.count("finished") == 1
    row = PeriodicJob.objects.get(name="test-slow-job")
    assert row.runs == 1 and row.last_run_by != held.leased_by and row.lease_until is None
