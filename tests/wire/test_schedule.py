"""Feed polling runs as a task of the existing worker and queues its own next run."""

import pytest
from django.core.management import call_command

from broadsheet.wire import services
from broadsheet.wire.models import WireItem

from . import feeds

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_worker_polls_due_feeds_and_queues_the_next_poll(feed_server, settings):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    url = feed_server.add(
        "/feed/", feeds.wordpress_rss([{"title": "Sea wall approved", "link": "https://h.example/1"}])
    )
    services.add_feed("Harbour Herald", url)
    call_command("worker", "--batch", "--interval", "0")
    assert WireItem.objects.count() == 1
    waiting = DBTaskResult.objects.filter(task_path__endswith="poll_due_feeds", status=TaskResultStatus.READY)
    assert waiting.count() == 1 and waiting.get().run_after is not None
