"""How the submissions app hears from the newsroom: dashboard counts, article fingerprints and
stories made of submissions going live (the contributor is told, once)."""

from django.urls import reverse

from broadsheet.core.queue import enqueue_or_log

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
        # The duplicate check may lag behind; the newsroom must not fail for it.
        enqueue_or_log(fingerprint_articles, ids[start : start + CHUNK])


def article_changed(sender, article, seen_by_readers=True, **kwargs):
    if seen_by_readers:  # a draft's autosaves are fingerprinted when it goes to review or out
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


def _tell_contributors(article_ids):
    from .models import Submission
    from .tasks import tell_contributor_story_is_live

    ids = list(
        Submission.objects.live_but_not_told()
        .filter(article_id__in=list(article_ids))
        .values_list("article_id", flat=True)
    )
    for pk in ids:
        enqueue_or_log(tell_contributor_story_is_live, pk)


def story_published(sender, article, **kwargs):
    """article_changed: a story that is live now may be a contributor's (a draft never is)."""
    if article.is_published():
        _tell_contributors([article.pk])


def stories_due(sender, article_ids, **kwargs):
    """articles_due: scheduled stories reached their time."""
    _tell_contributors(article_ids)
