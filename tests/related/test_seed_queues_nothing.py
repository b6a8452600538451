"""`broadsheet seed` does its bulk load's follow-up work itself: nothing waits in the task
queue afterwards (no fingerprint tasks, no related rebuild for the first worker to repeat)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir, *args, **extra_env):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "BROADSHEET_DATA": str(data_dir),
        "BROADSHEET_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
        **extra_env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "broadsheet", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("bulk_limit", ["2000", "50"], ids=["batched update", "full rebuild"])
def test_seed_leaves_no_task_queued_and_its_work_done(tmp_path, bulk_limit):
    run(tmp_path, "migrate", "-v0")
    run(tmp_path, "seed", "--articles", "120", "--no-progress", BROADSHEET_RELATED_BULK_LIMIT=bulk_limit)
    db = sqlite3.connect(tmp_path / "broadsheet.sqlite3")
    waiting = db.execute(
        "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
    ).fetchall()
    assert waiting == []
    published = db.execute("SELECT count(*) FROM newsroom_article WHERE status = 'published'").fetchone()[0]
    indexed = db.execute("SELECT count(*) FROM related_indexedarticle").fetchone()[0]
    listed = db.execute("SELECT count(DISTINCT article_id) FROM related_relatedentry").fetchone()[0]
    fingerprinted = db.execute(
        "SELECT count(*) FROM submissions_fingerprint WHERE article_id IS NOT NULL"
    ).fetchone()[0]
    assert indexed == published > 0
    assert listed > published // 2
    assert fingerprinted >= published
