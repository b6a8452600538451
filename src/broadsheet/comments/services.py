"""Comment operations: posting, moderating, replying as an editor, and what pages and the API show."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponseBase

from broadsheet.core.prepared import PreparedQuery
from broadsheet.core.queue import enqueue_or_log
from broadsheet.core.text import as_number
from broadsheet.newsroom.models import Article

from . import moderation, notifications, spam
from .models import (
    Comment,
    CommentTally,
    ModerationSettings,
    ThreadComment,
    body_fingerprint,
    normalise_email,
)
from .signals import comments_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)
PUBLIC_FIELDS = ("id", "parent_id", "author_name", "author_url", "body", "body_html", "created_at")
PRIVATE_FIELDS = ("author_email", "ip_address", "user_agent")


class CommentRefused(Exception):
    """A comment that could not be taken; `message` is for the reader, `field` where to show it."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


# --- what readers and the API see -------------------------------------------------------------


def public_comments(article: Article) -> QuerySet[Comment, dict[str, Any]]:
    """The approved comments of `article`, oldest first, as dicts without any private field."""
    return (
        Comment.objects.approved().filter(article=article).order_by("created_at", "id").values(*PUBLIC_FIELDS)
    )


def annotate_comment_counts(articles: list[Article]) -> list[Article]:
    """Set article.comment_count (approved comments) on each of `articles` with one query."""
    counts = CommentTally.counts_for([a.pk for a in articles])
    for article in articles:
        article.comment_count = counts.get(article.pk, 0)  # type: ignore[attr-defined]  # shown by listings
    return articles


def _root_order(rules: ModerationSettings) -> list[str]:
    return ["-created_at", "-id"] if rules.newest_first else ["created_at", "id"]


def _threads(
    article: Article, page_number: int | str, rules: ModerationSettings, read: list[ThreadComment] | None
) -> Page:
    """One page of threads: top-level approved comments with their replies nested as
    `.children`; paged here from `read` (the story's approved comments, oldest first) when
    given, else by the database (the count, the page of top-level comments, their replies)."""
    per_page = max(rules.per_page, 1)
    if read is not None:
        roots = [c for c in read if c.parent_id is None]
        if rules.newest_first:
            roots.reverse()
        page = Paginator(roots, per_page).get_page(page_number)
        top = list(page.object_list)
        top_ids = {c.pk for c in top}
        replies = [c for c in read if c.parent_id is not None and c.thread_id in top_ids]
    else:
        rows = (
            Comment.objects.approved()
            .filter(article=article, parent__isnull=True)
            .order_by(*_root_order(rules))
            .values_list(*ThreadComment.FIELDS)
        )
        page = Paginator(rows, per_page).get_page(page_number)
        top = [ThreadComment(row) for row in page.object_list]
        replies = (
            [
                ThreadComment(row)
                for row in Comment.objects.approved()
                .filter(thread_id__in=[c.pk for c in top])
                .order_by("created_at", "id")
                .values_list(*ThreadComment.FIELDS)
            ]
            if top
            else []
        )
    by_id = {c.pk: c for c in top}
    for comment in [*top, *replies]:
        comment.children = []
        comment.can_reply = comment.depth < rules.max_depth
    for reply in replies:
        by_id[reply.pk] = reply
    for reply in replies:
        parent = by_id.get(reply.parent_id) if reply.parent_id else None
        if parent is not None:
            parent.children.append(reply)
    page.object_list = top
    return page


def awaiting_moderation(article_id: int, mine_ids: Iterable[int]) -> list[Comment]:
    """The reader's own comments on a story still held for moderation (ids from their cookie)."""
    return list(
        Comment.objects.filter(article_id=article_id, pk__in=list(mine_ids), status=Comment.Status.PENDING)
        .defer(*PRIVATE_FIELDS)
        .order_by("created_at", "id")
    )


def story_discussion(
    article: Article, *, page_number: int | str = 1, rules: ModerationSettings
) -> tuple[Page, int]:
    """The page of threads under a story for readers and its approved comments' count.

    Most stories have no more approved comments than one page shows: those are read at once
    with the story's tally beside each (one query, at most a page and one more row). A
    discussion of up to READ_AT_ONCE pages is read whole by one more query and paged here; a
    longer one is paged by the database (three more)."""
    per_page = max(rules.per_page, 1)
    first = FIRST_APPROVED.all(article_id=article.pk, limit=per_page + 1)
    if len(first) <= per_page:
        read: list[ThreadComment] | None = [ThreadComment(row[:-1]) for row in first]
        count = len(first)
    else:
        count = first[0][-1] or 0
        read = None
        if count <= READ_AT_ONCE * per_page:
            read = [ThreadComment(row) for row in STORY_APPROVED.all(article_id=article.pk)]
    return _threads(article, page_number, rules, read), count


# Read under every story: their SQL is built once (core.prepared).
FIRST_APPROVED = PreparedQuery(
    lambda article_id, limit: (
        Comment.objects.approved()
        .filter(article_id=article_id)
        .annotate(
            story_tally=Subquery(
                CommentTally.objects.filter(article_id=OuterRef("article_id")).values("approved")[:1]
            )
        )
        .order_by("created_at", "id")
        .values_list(*ThreadComment.FIELDS, "story_tally")[:limit]
    ),
    fixed=["limit"],
)
STORY_APPROVED = PreparedQuery(
    lambda article_id: (
        Comment.objects.approved()
        .filter(article_id=article_id)
        .order_by("created_at", "id")
        .values_list(*ThreadComment.FIELDS)
    )
)
# A discussion of up to this many pages is read whole (one query) and paged in Python.
READ_AT_ONCE = 4


def page_of(comment: Comment, rules: ModerationSettings | None = None) -> int:
    """The page of its article's discussion on which `comment` appears."""
    rules = rules or ModerationSettings.load()
    root = comment.thread or comment
    before = Comment.objects.approved().filter(article_id=comment.article_id, parent__isnull=True)
    if rules.newest_first:
        before = before.filter(
            Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, id__gt=root.pk)
        )
    else:
        before = before.filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk)
        )
    return before.count() // max(rules.per_page, 1) + 1


def reply_target(
    article: Article, parent_id: object, rules: ModerationSettings | None = None
) -> Comment | None:
    """The approved comment of `article` a reply may hang under, or None."""
    rules = rules or ModerationSettings.load()
    parent_id = as_number(parent_id)
    if parent_id is None:
        return None
    parent = Comment.objects.approved().filter(pk=parent_id, article=article).defer(*PRIVATE_FIELDS).first()
    return parent


# --- posting -----------------------------------------------------------------------------------


def announce_change(article_id: int) -> None:
    """Tell listeners (e.g. a page cache) that an article's visible comments changed; a failing
    listener is logged, never shown to the reader whose comment is already saved."""
    for receiver, result in comments_changed.send_robust(sender=Comment, article_id=article_id):
        if isinstance(result, Exception):
            log.error("comments_changed listener %r failed: %s", receiver, result)


def _after_commit(comment: Comment) -> None:
    def run() -> None:
        if comment.status == Comment.Status.PENDING:
            enqueue_or_log(notifications.tell_editors_of_held_comment, comment.pk)
        elif comment.status == Comment.Status.APPROVED:
            enqueue_or_log(notifications.announce_approved_comment, comment.pk)
            announce_change(comment.article_id)

    transaction.on_commit(run)


def post_comment(
    *,
    article: Article,
    body: str,
    name: str,
    email: str,
    url: str = "",
    parent_id: object = None,
    ip: str = "",
    user_agent: str = "",
    notify: bool = False,
    trusted: bool = False,
) -> Comment:
    """Take a reader's comment and apply the moderation rules; raise CommentRefused with a reason.

    `trusted` says the sender proved they are an approved commenter (trust.is_trusted); the
    email they typed never does."""
    rules = ModerationSettings.load()
    with transaction.atomic():
        reason = moderation.closed_reason(article, rules)
        if reason:
            raise CommentRefused(reason, code="closed")
        parent = None
        if parent_id not in (None, ""):
            parent = reply_target(article, parent_id, rules)
            if parent is None:
                raise CommentRefused(
                    "The comment you are replying to is not available any more. "
                    "Your text is kept: send it as a new comment instead.",
                    field="parent",
                    code="bad_parent",
                )
            # Past the deepest level a reply joins its parent's conversation one level up.
            while parent.depth >= max(rules.max_depth, 1) and parent.parent_id:
                parent = Comment.objects.get(pk=parent.parent_id)
            if parent.depth >= max(rules.max_depth, 1):
                parent = None
        email = normalise_email(email)
        existing = Comment.objects.filter(
            article=article, author_email=email, fingerprint=body_fingerprint(body)
        )
        if existing.exists():
            raise CommentRefused(_duplicate_message(), field="comment", code="duplicate")
        if moderation.is_flooding(email=email, ip=ip, rules=rules):
            seconds = moderation.effective_flood_seconds(rules)
            raise CommentRefused(
                f"You are posting comments too quickly. Please wait {seconds} seconds and send it again: "
                "your text is kept below.",
                code="flood",
            )
        decision = moderation.decide(
            body=body, name=name, email=email, url=url, ip=ip, rules=rules, trusted=trusted
        )
        comment = Comment(
            article=article,
            parent=parent,
            thread_id=(parent.thread_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 1,
            author_name=name,
            author_email=email,
            author_url=url or "",
            body=body,
            status=decision.status,
            held_reason=decision.reason,
            spam_score=decision.score,
            notify_replies=bool(notify),
            ip_address=ip or "",
            user_agent=(user_agent or "")[:300],
        )
        try:
            with transaction.atomic():
                comment.save()
        except IntegrityError:
            raise CommentRefused(_duplicate_message(), field="comment", code="duplicate") from None
        _after_commit(comment)
    return comment


def _duplicate_message() -> str:
    return "You have already posted this comment on this story. It looks like it was sent twice."


# --- moderating ---------------------------------------------------------------------------------


def _set_status(comment: Comment, status: str, *, reason: str | None = None) -> Comment:
    was = comment.status
    comment.status = status
    fields = ["status"]
    if reason is not None:
        comment.held_reason = reason
        fields.append("held_reason")
    comment.save(update_fields=fields)
    if status == Comment.Status.APPROVED and was != status:
        transaction.on_commit(lambda: enqueue_or_log(notifications.announce_approved_comment, comment.pk))
    if Comment.Status.APPROVED in (was, status) and was != status:
        transaction.on_commit(lambda: announce_change(comment.article_id))
    return comment


@transaction.atomic
def approve(comment: Comment, *, by: User | None = None) -> Comment:
    """An editor approves: the comment appears, and the classifier learns it is not spam."""
    spam.learn(comment, is_spam=False)
    return _set_status(comment, Comment.Status.APPROVED, reason="")


@transaction.atomic
def unapprove(comment: Comment, *, by: User | None = None) -> Comment:
    return _set_status(comment, Comment.Status.PENDING, reason="Unapproved by an editor.")


@transaction.atomic
def mark_spam(comment: Comment, *, by: User | None = None) -> Comment:
    spam.learn(comment, is_spam=True)
    return _set_status(comment, Comment.Status.SPAM, reason="Marked as spam by an editor.")


@transaction.atomic
def mark_not_spam(comment: Comment, *, by: User | None = None) -> Comment:
    """Back to the queue (not published), and the classifier learns it was not spam."""
    spam.learn(comment, is_spam=False)
    if comment.status == Comment.Status.SPAM:
        return _set_status(comment, Comment.Status.PENDING, reason="Not spam, says an editor.")
    return comment


@transaction.atomic
def trash(comment: Comment, *, by: User | None = None) -> Comment:
    return _set_status(comment, Comment.Status.TRASH, reason="Trashed by an editor.")


@transaction.atomic
def edit(
    comment: Comment,
    *,
    body: str | None = None,
    name: str | None = None,
    url: str | None = None,
    by: User | None = None,
) -> Comment:
    if body is not None:
        comment.body = body
    if name is not None:
        comment.author_name = name
    if url is not None:
        comment.author_url = url
    comment.save()
    if comment.is_approved():
        transaction.on_commit(lambda: announce_change(comment.article_id))
    return comment


@transaction.atomic
def reply_as_editor(parent: Comment, *, body: str, by: Any) -> Comment:
    """An editor answers a comment from the queue; the reply is published at once. Replying to a
    held comment approves it first, as an editor would not answer something readers cannot see."""
    if parent.status != Comment.Status.APPROVED:
        approve(parent, by=by)
    rules = ModerationSettings.load()
    anchor = parent
    while anchor.depth >= max(rules.max_depth, 1) and anchor.parent is not None:
        anchor = anchor.parent
    name = (by.get_full_name() or by.get_username()).strip()
    reply = Comment(
        article=parent.article,
        parent=anchor,
        thread_id=anchor.thread_id or anchor.pk,
        depth=anchor.depth + 1,
        author_name=name,
        author_email=by.email or f"{by.get_username()}@editors.invalid",
        body=body,
        status=Comment.Status.APPROVED,
        user=by,
    )
    reply.save()
    _after_commit(reply)
    return reply


def unsubscribe(comment: Comment) -> int:
    """Stop reply emails for every comment this person left on this story."""
    return Comment.objects.filter(article_id=comment.article_id, author_email=comment.author_email).update(
        notify_replies=False
    )


def commenter_history(email: str) -> tuple[QuerySet[Comment], dict[str, int]]:
    email = normalise_email(email)
    comments = Comment.objects.filter(author_email=email).select_related("article").order_by("-created_at")
    counts = dict(comments.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))
    return comments, counts


# --- the reader's own comments (a signed cookie of ids, nothing personal) ----------------------

MINE_SALT = "comments.mine"


def read_mine(request: HttpRequest, cookie_name: str) -> list[int]:
    try:
        raw = request.get_signed_cookie(cookie_name, salt=MINE_SALT, default="")
    except (signing.BadSignature, ValueError):
        raw = ""
    ids = []
    for part in (raw or "").split(","):
        number = as_number(part)
        if number is not None:
            ids.append(number)
    return ids[-20:]


def remember_mine(
    response: HttpResponseBase, request: HttpRequest, cookie_name: str, comment_id: int, max_age: int
) -> None:
    ids = [i for i in read_mine(request, cookie_name) if i != comment_id] + [comment_id]
    response.set_signed_cookie(
        cookie_name,
        ",".join(str(i) for i in ids[-20:]),
        salt=MINE_SALT,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
