"""Background work: polling due feeds (a periodic job), finding provenance."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)
POLL_EVERY_SECONDS = 60


def poll_due_feeds() -> int:
    """The "wire-poll" periodic job (see apps.py): poll the feeds that are due. Returns the new
    items found."""
    from . import services

    return sum(r.new for r in services.poll_due())


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
