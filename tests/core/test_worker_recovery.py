"""A task worker killed in the middle of a task: the task runs again under the next worker."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def worker_env(tmp_path):
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        "DATABASE_URL": url,
        "BROADSHEET_DATA": str(tmp_path),
        "BROADSHEET_WORKER_STALE_SECONDS": "2",
        "BROADSHEET_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("REDIS_URL", None)
    return env


def enqueue_slow_task(marker):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=TaskResultStatus.READY,
        args_kwargs={"args": [str(marker), 4], "kwargs": {}},
        task_path="tests.core.worker_tasks.slow_mark",
        backend_name="default",
        queue_name="default",
        priority=0,
    )


def test_task_runs_again_after_its_worker_is_killed(tmp_path):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    marker = tmp_path / "marker.txt"
    result = enqueue_slow_task(marker)
    connection.close()
    command = [sys.executable, "-m", "broadsheet", "worker", "--interval", "0.2"]
    first = subprocess.Popen(command, env=worker_env(tmp_path))
    try:
        assert wait_for(lambda: marker.exists() and "started" in marker.read_text(), timeout=30), (
            "the first worker never started the task"
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert DBTaskResult.objects.get(pk=result.pk).status == TaskResultStatus.RUNNING
    assert "finished" not in marker.read_text()

    time.sleep(2.5)  # the dead worker's heartbeat goes stale
    second = subprocess.Popen(command, env=worker_env(tmp_path))
    try:
        assert wait_for(
            lambda: DBTaskResult.objects.get(pk=result.pk).status == TaskResultStatus.SUCCESSFUL, timeout=40
        )
    finally:
        second.terminate()
        second.wait(timeout=15)
    done = DBTaskResult.objects.get(pk=result.pk)
    assert marker.read_text().count("started") == 2
    assert marker.read_text().count("finished") == 1
    assert len(done.worker_ids) == 2 and done.worker_ids[0] != done.worker_ids[1]
    assert json.loads(json.dumps(done.return_value)) == "done"
