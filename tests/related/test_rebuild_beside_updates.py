"""A rebuild running in one process while another publishes stories and updates their lists:
every story published meanwhile ends up indexed and listed, and no update is lost."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from broadsheet.newsroom.models import Article
from broadsheet.related import services
from broadsheet.related.models import IndexedArticle, RelatedEntry
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

# Runs in its own process: publishes follow-ups of seeded stories one by one until told to stop;
# tasks run in-line there, so each publish updates the related lists in that process.
PUBLISHER = r"""
import os, sys, time, django
django.setup()
from django.utils import timezone
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article

stop = os.environ["STOP_FILE"]
originals = list(Article.objects.filter(status="published").order_by("id")[:400:7])
for n, original in enumerate(originals):
    if os.path.exists(stop):
        break
    follow_up = Article(
        headline=f"Follow-up {n}: {original.headline}",
        summary=original.summary,
        body="Our correspondent returned to the story this week.\n\n" + original.body,
        section_id=original.section_id,
        status="draft",
    )
    follow_up.save()
    services.publish(follow_up)
    print(original.pk, follow_up.pk, flush=True)
    time.sleep(0.05)
"""


def child_env(tmp_path):
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": url,
        "BROADSHEET_DATA": str(tmp_path),
        "BROADSHEET_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "BROADSHEET_PAGECACHE": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    return env


def test_stories_published_during_a_rebuild_end_up_in_the_lists(tmp_path):
    call_command("seed", articles=3000, no_progress=True, stdout=open(os.devnull, "w"))
    services.rebuild_related()
    connection.close()
    env = {**child_env(tmp_path), "STOP_FILE": str(tmp_path / "stop")}
    publisher = subprocess.Popen(
        [sys.executable, "-c", PUBLISHER], env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        # The rebuild starts once the publisher is under way, so updates land while it computes.
        assert wait_for(lambda: Article.objects.filter(headline__startswith="Follow-up").exists(), timeout=60)
        before = Article.objects.filter(headline__startswith="Follow-up").count()
        rebuild = subprocess.run(
            [sys.executable, "-m", "broadsheet", "related", "rebuild", "--no-progress"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert rebuild.returncode == 0, rebuild.stderr[-3000:]
        during = Article.objects.filter(headline__startswith="Follow-up").count()
        time.sleep(0.5)
    finally:
        (tmp_path / "stop").touch()
        out, _ = publisher.communicate(timeout=120)
    assert publisher.returncode == 0
    numbers = [int(x) for x in out.split()]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
    assert during - before >= 3, "too few stories were published while the rebuild ran to test anything"

    published = set(Article.objects.filter(status="published").values_list("id", flat=True))
    indexed = set(IndexedArticle.objects.values_list("article_id", flat=True))
    assert indexed == published, f"{len(published - indexed)} published stories are not indexed"
    for original_id, follow_up_id in pairs:
        own = set(RelatedEntry.objects.filter(article_id=follow_up_id).values_list("related_id", flat=True))
        assert original_id in own, f"story {original_id} is missing under its follow-up {follow_up_id}"
        held = set(RelatedEntry.objects.filter(article_id=original_id).values_list("related_id", flat=True))
        assert follow_up_id in held, f"follow-up {follow_up_id} is missing under story {original_id}"
