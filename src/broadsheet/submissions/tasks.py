"""Background work: emails about submissions, fingerprints of articles for the duplicate check."""

from django_tasks import task

from . import duplicates, notifications


@task()
def send_submission_mail(submission_id, kind):
    notifications.send(submission_id, kind)


@task()
def fingerprint_articles(article_ids):
    duplicates.fingerprint_articles(article_ids)
