"""Background work: emails about submissions (their story going live too), fingerprints of
articles for the duplicate check."""

from django_tasks import task

from . import duplicates, notifications, services


@task()
def send_submission_mail(submission_id, kind):
    notifications.send(submission_id, kind)


@task()
def fingerprint_articles(article_ids):
    duplicates.fingerprint_articles(article_ids)


@task()
def tell_contributor_story_is_live(article_id):
    services.tell_contributor_story_is_live(article_id=article_id)
