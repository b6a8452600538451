"""Listening to the newsroom, and the wire's blocks on newsroom pages."""

import logging

from django.db import transaction
from django.urls import reverse

from broadsheet.core import surrogates

from . import provenance, tasks
from .models import WireItem

logger = logging.getLogger(__name__)


def article_changed(sender, article, seen_by_readers=True, **kwargs):
    if not seen_by_readers:  # provenance is shown for public stories; found again when it is
        return
    # An editor's citations (the article form's inline, add_citation) come with the change.
    surrogates.request_purge(surrogates.PROVENANCE)
    tasks.refresh_provenance.enqueue([article.pk])


BULK_LIMIT = 2000  # a larger bulk load is left to `broadsheet wire cite`


def articles_loaded(sender, article_ids, in_process=False, **kwargs):
    ids = [int(i) for i in article_ids]
    if in_process and 0 < len(ids) <= BULK_LIMIT:
        # The loader (the seed) asked for the work to be done now, leaving nothing queued.
        tasks.refresh_provenance.func(ids)
    elif 0 < len(ids) <= BULK_LIMIT:
        transaction.on_commit(lambda: tasks.refresh_provenance.enqueue(ids))
    elif ids:
        logger.info("%s articles loaded: run `broadsheet wire cite` to find their citations", len(ids))


def provenance_block(request, article):
    """ "Reporting cited: ..." under a story (newsroom.slots provider)."""
    cited = provenance.cited_sources(article, request)
    from . import entities

    named = entities.entities_of(article, request)
    if not cited and not named:
        return None
    return "wire/_provenance.html", {"cited": cited, "entities": named}


def dashboard_counts():
    from .models import Entity

    return [
        {
            "label": "Wire items waiting",
            "count": WireItem.objects.waiting().count(),
            "url": reverse("wire:desk"),
        },
        {
            "label": "People suggested by the machine",
            "count": Entity.objects.suggested().count(),
            "url": reverse("admin:wire_entity_changelist") + "?status__exact=suggested",
        },
    ]
