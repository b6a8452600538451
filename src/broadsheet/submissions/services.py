"""What happens to a submission: sent, resent, accepted, sent back, rejected, spam, deleted."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from broadsheet.core.queue import enqueue_or_log
from broadsheet.core.text import clean_text
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article, Author, Source, Tag
from broadsheet.newsroom.text import render_markdown

from . import duplicates, pictures
from .models import Submission, SubmissionEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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

    def __init__(self, submission: Submission) -> None:
        super().__init__("already sent")
        self.submission = submission


def _notify(submission: Submission, kind: str) -> None:
    from .tasks import send_submission_mail

    transaction.on_commit(lambda: enqueue_or_log(send_submission_mail, submission.pk, kind), robust=True)


def _apply(submission: Submission, data: dict[str, Any]) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            value = data[name]
            setattr(submission, name, clean_text(value) if isinstance(value, str) else value)


def _set_picture(submission: Submission, held_picture: str | None, remove_picture: bool = False) -> None:
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


def create_submission(
    *, data: dict[str, Any], held_picture: str | None = None, form_key: str | None = None
) -> Submission:
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
    return submission


@transaction.atomic
def resend(
    submission: Submission,
    *,
    data: dict[str, Any],
    held_picture: str | None = None,
    remove_picture: bool = False,
) -> Submission:
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


def _decide(
    submission: Submission,
    *,
    editor: User,
    status: str,
    kind: str,
    message: str = "",
    shown: bool = True,
    mail: str | None = None,
) -> Submission:
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


def _guest_author(submission: Submission) -> Author:
    author = Author(
        name=submission.contributor_name[:120],
        bio=submission.contributor_bio,
        is_guest=True,
        contact_email=submission.contributor_email,
    )
    author.save()
    return author


def _tags(names: Iterable[str]) -> list[Tag]:
    return [tag for tag in (Tag.objects.find_or_create(name) for name in names) if tag is not None]


@transaction.atomic
def accept(submission: Submission, *, editor: User, note: str = "") -> Article:
    """Make a draft article of the submission, credited to the contributor as a guest author.

    `note` is the editor's word to the contributor; it is kept in the submission's history,
    sent with the acceptance email and shown on the status page, before and after publication.
    """
    submission = _decide(
        submission,
        editor=editor,
        status=Submission.Status.ACCEPTED,
        kind=SubmissionEvent.Kind.ACCEPTED,
        message=clean_text(note or "").strip() or SubmissionEvent.ACCEPTED_MESSAGE,
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
        source=Source.objects.find_or_create(submission.original_source),
        source_url=submission.original_url,
        created_by=editor,
    )
    if submission.image and submission.image.name:
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
def request_changes(submission: Submission, *, editor: User, message: str) -> Submission:
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
def reject(submission: Submission, *, editor: User, reason: str) -> Submission:
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
def mark_spam(submission: Submission, *, editor: User) -> Submission:
    """Spam: out of the queue, no email to whoever sent it."""
    return _decide(
        submission, editor=editor, status=Submission.Status.SPAM, kind=SubmissionEvent.Kind.SPAM, shown=False
    )


@transaction.atomic
def delete_for_contributor(submission: Submission) -> None:
    """The contributor asked: remove the submission, its picture, and their email from a guest author."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.guest_author_id:
        Author.objects.filter(pk=submission.guest_author_id, is_guest=True).update(contact_email="")
    picture = submission.image.name if submission.image else ""
    submission.delete()
    if picture:
        transaction.on_commit(lambda: default_storage.delete(picture))


def tell_contributor_story_is_live(*, article_id: int) -> int:
    """The story made of a submission is live: tell its contributor, once ever.

    Safe to call for any article, any number of times, from any process: the first caller
    claims the notice with one conditional UPDATE and only that caller sends the email (a
    re-publish, a second worker or a second signal finds it claimed). Returns how many
    contributors were told (0 or 1 in practice).
    """
    told = 0
    now = timezone.now()
    for submission in Submission.objects.live_but_not_told(now).filter(article_id=article_id):
        claimed = Submission.objects.filter(pk=submission.pk, published_at__isnull=True).update(
            published_at=now
        )
        if not claimed:
            continue
        SubmissionEvent.objects.create(
            submission=submission, kind=SubmissionEvent.Kind.PUBLISHED, shown_to_contributor=False
        )
        from .notifications import send

        send(submission.pk, "published")
        told += 1
    return told


def tell_contributors_of_due_stories() -> int:
    """Worker chore: catch stories that went live at their scheduled time with nobody noticing
    (no reader visit rolled the page cache over); returns how many contributors were told."""
    ids = list(Submission.objects.live_but_not_told().values_list("article_id", flat=True)[:200])
    return sum(tell_contributor_story_is_live(article_id=pk) for pk in ids)
