"""Listening to the newsroom, and the wire's blocks on newsroom pages."""

from django.urls import reverse

from . import provenance, tasks
from .models import WireItem


def article_changed(sender, article, **kwargs):
    tasks.refresh_provenance.enqueue([article.pk])


def worker_started(sender, **kwargs):
    """A worker is starting: make sure feed polling is queued (it then queues itself)."""
    tasks.schedule_next_poll(seconds=0)


def provenance_block(request, article):
    """ "Reporting cited: ..." under a story (newsroom.slots provider)."""
    cited = provenance.cited_sources(article)
    from . import entities

    named = entities.entities_of(article)
    if not cited and not named:
        return None
    return "wire/_provenance.html", {"cited": cited, "entities": named}


def dashboard_counts():
    return [
        {
            "label": "Wire items waiting",
            "count": WireItem.objects.waiting().count(),
            "url": reverse("wire:desk"),
        }
    ]
