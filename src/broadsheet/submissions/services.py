"""What happens to a submission: sent, resent, accepted, sent back, rejected, spam, deleted."""

import logging
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article, Author, Source, Tag
from broadsheet.newsroom.text import clean_text, render_markdown

from . import duplicates, pictures
from .models import Submission, SubmissionEvent

log = logging.getLogger(__name__)

CONTENT_FIELDS = (
    "headline",
    "summary",
    "body",
    "section",
    "tags",
    "image_caption",
    "image_credit",
    "original_source",
    "original_url",
    "contributor_bio",
)
CONTRIBUTOR_FIELDS = ("contributor_name", "contributor_email")


class DecisionError(Exception):
    """The submission is not in a state where this decision can be taken."""


class AlreadySent(Exception):
    """This form was sent before (a second click on Send); `submission` is the first one."""

    def __init__(self, submission):
        super().__init__("already sent")
        self.submission = submission


def _notify(submission, kind):
    from .tasks import send_submission_mail

    def enqueue():
        try:
            send_submission_mail.enqueue(submission.pk, kind)
        except Exception:  # a queue that is down must not undo what was saved
            log.exception("Could not queue the %s mail for submission %s", kind, submission.pk)

    transaction.on_commit(enqueue, robust=True)


def _apply(submission, data):
    for name in CONTENT_FIELDS:
        if name in data:
            value = data[name]
            setattr(submission, name, clean_text(value) if isinstance(value, str) else value)


def _set_picture(submission, held_picture, remove_picture=False):
    """Move a held picture (already verified and re-encoded) into the submission."""
    old = submission.image.name if submission.image else ""
    if held_picture:
        content = pictures.read_held(held_picture)
        if content is not None:
            submission.image.save(os.path.basename(held_picture), ContentFile(content), save=False)
            transaction.on_commit(lambda: pictures.discard_held(held_picture))
    elif remove_picture:
        submission.image = ""
    new = submission.image.name if submission.image else ""
    if old and old != new:
        transaction.on_commit(lambda: default_storage.delete(old))


def create_submission(*, data, held_picture=None, form_key=None):
    """Store a new submission from the public form, then tell the contributor and the editors."""
    existing = Submission.objects.filter(form_key=form_key).first() if form_key else None
    if existing:
        raise AlreadySent(existing)
    try:
        with transaction.atomic():
            submission = Submission(form_key=form_key or None, rights_confirmed=True)
            _apply(submission, data)
            for name in CONTRIBUTOR_FIELDS:
                setattr(submission, name, clean_text(data[name]))
            submission.body_hash = duplicates.text_hash(submission.body)
            _set_picture(submission, held_picture)
            submission.save()
            SubmissionEvent.objects.create(submission=submission, kind=SubmissionEvent.Kind.SENT)
            duplicates.fingerprint_submission(submission)
            submission.duplicate_score = duplicates.closest_score(submission)
            submission.save(update_fields=["duplicate_score"])
            _notify(submission, "sent")
    except IntegrityError:
        existing = Submission.objects.filter(form_key=form_key).first() if form_key else None
        if existing:
            raise AlreadySent(existing) from None
        raise
    pictures.purge_stale_held()
    return submission


@transaction.atomic
def resend(submission, *, data, held_picture=None, remove_picture=False):
    """The contributor made the changes asked for: back to the queue."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.can_be_edited_by_contributor():
        raise DecisionError("This submission cannot be changed now.")
    _apply(submission, data)
    submission.body_hash = duplicates.text_hash(submission.body)
    _set_picture(submission, held_picture, remove_picture)
    submission.status = Submission.Status.NEW
    submission.updated_at = timezone.now()
    submission.save()
    SubmissionEvent.objects.create(submission=submission, kind=SubmissionEvent.Kind.RESENT)
    duplicates.fingerprint_submission(submission)
    submission.duplicate_score = duplicates.closest_score(submission)
    submission.save(update_fields=["duplicate_score"])
    _notify(submission, "resent")
    return submission


def _decide(submission, *, editor, status, kind, message="", shown=True, mail=None):
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not locked.can_be_decided():
        raise DecisionError(f"“{locked.headline}” is already {locked.get_status_display().lower()}.")
    locked.status = status
    locked.decided_at = locked.updated_at = timezone.now()
    locked.decided_by = editor
    locked.save(update_fields=["status", "decided_at", "updated_at", "decided_by"])
    SubmissionEvent.objects.create(
        submission=locked,
        kind=kind,
        message=clean_text(message or "").strip(),
        shown_to_contributor=shown,
        created_by=editor,
    )
    if mail:
        _notify(locked, mail)
    return locked


def _guest_author(submission):
    author = Author(
        name=submission.contributor_name[:120],
        bio=submission.contributor_bio,
        is_guest=True,
        contact_email=submission.contributor_email,
    )
    author.save()
    return author


def _source(name):
    name = " ".join((name or "").split())[:120]
    if not name:
        return None
    return Source.objects.filter(name__iexact=name).first() or Source.objects.create(name=name)


def _tags(names):
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name[:120])
        tags.append(tag)
    return tags


@transaction.atomic
def accept(submission, *, editor):
    """Make a draft article of the submission, credited to the contributor as a guest author."""
    submission = _decide(
        submission,
        editor=editor,
        status=Submission.Status.ACCEPTED,
        kind=SubmissionEvent.Kind.ACCEPTED,
        message="Accepted: an editor will prepare your article for publication.",
        mail="accepted",
    )
    author = _guest_author(submission)
    article = Article(
        headline=submission.headline[:300],
        summary=submission.summary,
        body=render_markdown(submission.body),  # a contribution is Markdown; a story, the body format
        section=submission.section,
        status=Article.Status.DRAFT,
        image_caption=submission.image_caption,
        image_credit=submission.image_credit,
        image_alt=submission.image_caption,
        source=_source(submission.original_source),
        source_url=submission.original_url,
        created_by=editor,
    )
    if submission.image:
        with submission.image.open("rb") as picture:
            article.image.save(
                os.path.basename(submission.image.name), ContentFile(picture.read()), save=False
            )
    article.save()
    article.authors.set([author])
    article.tags.set(_tags(submission.tag_names()))
    newsroom.record_revision(article, by=editor)
    newsroom.announce(article)
    submission.article, submission.guest_author = article, author
    submission.save(update_fields=["article", "guest_author"])
    return article


@transaction.atomic
def request_changes(submission, *, editor, message):
    if not (message or "").strip():
        raise DecisionError("Say what should change: the contributor reads this message.")
    return _decide(
        submission,
        editor=editor,
        status=Submission.Status.CHANGES_REQUESTED,
        kind=SubmissionEvent.Kind.CHANGES_REQUESTED,
        message=message,
        mail="changes",
    )


@transaction.atomic
def reject(submission, *, editor, reason):
    if not (reason or "").strip():
        raise DecisionError("Give a reason: the contributor reads it.")
    return _decide(
        submission,
        editor=editor,
        status=Submission.Status.REJECTED,
        kind=SubmissionEvent.Kind.REJECTED,
        message=reason,
        mail="rejected",
    )


@transaction.atomic
def mark_spam(submission, *, editor):
    """Spam: out of the queue, no email to whoever sent it."""
    return _decide(
        submission, editor=editor, status=Submission.Status.SPAM, kind=SubmissionEvent.Kind.SPAM, shown=False
    )


@transaction.atomic
def delete_for_contributor(submission):
    """The contributor asked: remove the submission, its picture, and their email from a guest author."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.guest_author_id:
        Author.objects.filter(pk=submission.guest_author_id, is_guest=True).update(contact_email="")
    picture = submission.image.name if submission.image else ""
    submission.delete()
    if picture:
        transaction.on_commit(lambda: default_storage.delete(picture))
