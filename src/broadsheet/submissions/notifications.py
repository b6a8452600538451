"""Emails to contributors (with their private status link) and to the editors."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from . import conf
from .models import Submission, SubmissionEvent

log = logging.getLogger(__name__)

# kind -> (template, to the contributor?, to the editors?)
MAILS = {
    "sent": [
        ("submissions/mail/received.txt", "contributor"),
        ("submissions/mail/editors_new.txt", "editors"),
    ],
    "resent": [("submissions/mail/editors_resent.txt", "editors")],
    "changes": [("submissions/mail/changes_requested.txt", "contributor")],
    "accepted": [("submissions/mail/accepted.txt", "contributor")],
    "rejected": [("submissions/mail/rejected.txt", "contributor")],
    "published": [("submissions/mail/published.txt", "contributor")],
}
SUBJECTS = {
    "submissions/mail/received.txt": "We received your article: {headline}",
    "submissions/mail/editors_new.txt": "New submission to review: {headline}",
    "submissions/mail/editors_resent.txt": "Submission resent after changes: {headline}",
    "submissions/mail/changes_requested.txt": "Changes requested: {headline}",
    "submissions/mail/accepted.txt": "Your article was accepted: {headline}",
    "submissions/mail/rejected.txt": "About your article: {headline}",
    "submissions/mail/published.txt": "Your story is live: {headline}",
}


def send(submission_id, kind):
    """Send the mails for one event. A failure is logged and noted; it never raises."""
    submission = Submission.objects.filter(pk=submission_id).select_related("section", "article").first()
    if submission is None:  # deleted at the contributor's request before the mail went out
        return
    article = submission.article if submission.article_id else None
    context = {
        "submission": submission,
        "story_url": conf.site_url() + article.get_absolute_url() if article else "",
        "headline": article.headline if article else submission.headline,
        "status_url": conf.site_url() + submission.get_status_url(),
        "admin_url": conf.site_url() + reverse("admin:submissions_submission_change", args=[submission.pk]),
        "message": (
            submission.events.filter(shown_to_contributor=True)
            .exclude(message="")
            .order_by("-created_at", "-id")
            .values_list("message", flat=True)
            .first()
            or ""
        ),
    }
    if context["message"] == SubmissionEvent.ACCEPTED_MESSAGE:  # the mail says it already
        context["message"] = ""
    for template, audience in MAILS.get(kind, []):
        recipients = [submission.contributor_email] if audience == "contributor" else conf.editor_emails()
        recipients = [r for r in recipients if r]
        if not recipients:
            continue
        subject = SUBJECTS[template].format(headline=" ".join(context["headline"].split())[:120])
        try:
            send_mail(subject, render_to_string(template, context), None, recipients)
        except Exception as error:  # the submission is safe; an editor can see the failure in its history
            log.warning("Submission %s: %s mail failed: %s", submission.pk, kind, error.__class__.__name__)
            SubmissionEvent.objects.create(
                submission=submission,
                kind=SubmissionEvent.Kind.NOTIFY_FAILED,
                message=f"The {audience} email ({kind}) could not be sent: {error.__class__.__name__}.",
            )
