"""How the submissions app hears from the newsroom: dashboard counts and article fingerprints."""

import logging

from django.urls import reverse

log = logging.getLogger(__name__)
CHUNK = 500


def dashboard_counts():
    from .models import Submission

    counts = Submission.objects.counts_by_status()
    url = reverse("admin:submissions_submission_changelist")
    return [
        {
            "label": "Submissions awaiting review",
            "count": counts.get(Submission.Status.NEW, 0),
            "url": f"{url}?status__exact={Submission.Status.NEW}",
        },
        {
            "label": "Submissions sent back for changes",
            "count": counts.get(Submission.Status.CHANGES_REQUESTED, 0),
            "url": f"{url}?status__exact={Submission.Status.CHANGES_REQUESTED}",
        },
    ]


def _enqueue(article_ids):
    from .tasks import fingerprint_articles

    ids = [int(pk) for pk in article_ids]
    for start in range(0, len(ids), CHUNK):
        try:
            fingerprint_articles.enqueue(ids[start : start + CHUNK])
        except Exception:  # the duplicate check may lag; the newsroom must not fail for it
            log.exception("Could not queue fingerprints for %d articles", len(ids[start : start + CHUNK]))


def article_changed(sender, article, **kwargs):
    _enqueue([article.pk])


def articles_loaded(sender, article_ids, in_process=False, **kwargs):
    if not in_process:
        _enqueue(article_ids)
        return
    from .duplicates import fingerprint_articles

    ids = [int(pk) for pk in article_ids]
    for start in range(0, len(ids), CHUNK):
        fingerprint_articles(ids[start : start + CHUNK])


def articles_deleted(sender, article_ids, **kwargs):
    from .models import Fingerprint

    Fingerprint.objects.filter(article_id__in=list(article_ids)).delete()
