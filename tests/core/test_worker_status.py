"""The task worker's heartbeat, where operators and editors look: /healthz and the dashboard."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.core import conf, workers
from broadsheet.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_says_when_no_worker_has_run(client):
    answer = client.get("/healthz").json()
    assert answer["status"] == "ok" and answer["worker"]["state"] == "none"


def test_healthz_shows_a_running_worker(client):
    workers.beat("desk-1")
    worker = client.get("/healthz").json()["worker"]
    assert worker["state"] == "running" and worker["workers"] == 1
    assert worker["seconds_ago"] <= 5


def test_healthz_shows_a_stopped_worker_but_the_site_stays_up(client):
    WorkerHeartbeat.objects.create(
        worker_id="gone", last_seen=timezone.now() - datetime.timedelta(seconds=conf.worker_stale_seconds() + 30)
    )
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["worker"]["state"] == "stale"


def test_dashboard_shows_the_worker_heartbeat(client, editor):
    client.force_login(editor)
    assert "no task worker has run" in client.get("/admin/").content.decode()
    WorkerHeartbeat.objects.create(
        worker_id="gone", last_seen=timezone.now() - datetime.timedelta(seconds=conf.worker_stale_seconds() + 30)
    )
    assert "(stopped: emails and related stories wait)" in client.get("/admin/").content.decode()
    workers.beat("desk-1")
    assert "s ago (running)" in client.get("/admin/").content.decode()
