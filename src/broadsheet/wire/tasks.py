"""Background work: polling due feeds (a task that schedules its next run), finding provenance."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
POLL_EVERY_SECONDS = 60


@task()
def poll_due_feeds() -> int:
    """Poll the due feeds, then queue the next run. Safe to run twice: a feed polled a moment ago
    is not due."""
    from . import services

    try:
        results = services.poll_due()
    finally:
        schedule_next_poll()
    return sum(r.new for r in results)


def schedule_next_poll(seconds=POLL_EVERY_SECONDS):
    """Queue poll_due_feeds to run in `seconds`, unless a run is already waiting."""
    try:
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: whoever runs it schedules polls
        return
    from django.conf import settings

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        return
    name = f"{poll_due_feeds.module_path}"
    waiting = DBTaskResult.objects.filter(task_path=name, status=TaskResultStatus.READY).exists()
    if not waiting:
        poll_due_feeds.using(run_after=timezone.now() + datetime.timedelta(seconds=seconds)).enqueue()


@task()
def refresh_provenance(article_ids: list[int]) -> int:
    from broadsheet.core import surrogates
    from broadsheet.newsroom.models import Article

    from . import entities, provenance

    done = []
    suggester = None
    for article in Article.objects.filter(pk__in=article_ids):
        provenance.refresh_citations(article)
        entities.refresh_mentions(article)
        if article.status == Article.Status.PUBLISHED:  # people in drafts wait for publication
            suggester = suggester or entities.Suggester()
            suggester.suggest_people(article)
        done.append(article.pk)
    # The story pages show the citations and names: shared caches keep them until purged.
    if done:
        surrogates.request_purge(*(surrogates.story(pk) for pk in done))
    return len(done)


@task()
def link_entity(entity_id: int) -> int:
    """An editor added or changed an entity: link the published stories that name it."""
    from broadsheet.newsroom.models import Article

    from . import entities

    articles = Article.objects.published().only("pk", "headline", "summary", "body_html", "body")
    entities.refresh_all(articles.iterator(chunk_size=500))
    return entity_id
