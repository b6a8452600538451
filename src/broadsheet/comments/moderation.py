"""The moderation rules: is a story open for comments, and what happens to a new comment.

`decide()` returns a Decision (status + the reason an editor sees in the queue). Rules in order:
the disallowed list and a confident classifier send to spam; then manual approval, too many links,
the moderation list and a doubtful classifier hold; then, when "approve known commenters" is
on, a commenter is approved only if `trusted` (they proved it, see trust.py), else held.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from . import conf, spam
from .models import Comment, ModerationSettings, normalise_email
from .text import count_links


@dataclass
class Decision:
    status: str
    reason: str = ""
    score: float | None = None


def effective_flood_seconds(rules=None):
    override = conf.flood_seconds_override()
    if override is not None:
        return int(override)
    return (rules or ModerationSettings.load()).flood_seconds


def closed_reason(article, rules=None, now=None):
    """Why new comments are not taken on `article`, or "" when they are."""
    rules = rules or ModerationSettings.load()
    if not article.is_published(now):
        return "This story is not published, so it cannot take comments."
    if not article.comments_open:
        return "Comments are closed on this story."
    if rules.close_after_days and article.publish_at < (now or timezone.now()) - datetime.timedelta(
        days=rules.close_after_days
    ):
        return "Comments are closed on this story."
    return ""


def _match(words, *fields):
    haystack = [(f or "").lower() for f in fields]
    for word in words:
        for value in haystack:
            if word in value:
                return word
    return None


def decide(*, body, name, email, url, ip, rules=None, trusted=False):
    rules = rules or ModerationSettings.load()
    fields = (body, name, email, url, ip)
    word = _match(rules.word_list("disallowed_words"), *fields)
    if word:
        return Decision(Comment.Status.SPAM, f"Contains “{word}” from the disallowed list.")
    score = spam.score(body=body, name=name, url=url, email=email)
    if score is not None and score >= conf.spam_threshold():
        return Decision(Comment.Status.SPAM, f"The spam filter is sure ({score:.2f}).", score)
    if rules.manual_approval:
        return Decision(Comment.Status.PENDING, "Every comment waits for approval.", score)
    links = count_links(body)
    if rules.hold_link_count and links >= rules.hold_link_count:
        return Decision(Comment.Status.PENDING, f"Has {links} links.", score)
    word = _match(rules.word_list("moderation_words"), *fields)
    if word:
        return Decision(Comment.Status.PENDING, f"Contains “{word}” from the moderation list.", score)
    if score is not None and score >= conf.hold_threshold():
        return Decision(Comment.Status.PENDING, f"The spam filter is unsure ({score:.2f}).", score)
    if rules.auto_approve_known and not trusted:
        # The email alone proves nothing: anyone can type a regular's address.
        return Decision(
            Comment.Status.PENDING,
            "Not a known commenter yet (no approved comment from this browser).",
            score,
        )
    return Decision(Comment.Status.APPROVED, "", score)


def is_flooding(*, email, ip, rules=None, now=None):
    """True when the same IP or email commented within the flood interval."""
    seconds = effective_flood_seconds(rules)
    if not seconds:
        return False
    since = (now or timezone.now()) - datetime.timedelta(seconds=seconds)
    recent = Comment.objects.filter(created_at__gte=since, user__isnull=True)
    return recent.filter(author_email=normalise_email(email)).exists() or (
        bool(ip) and recent.filter(ip_address=ip).exists()
    )
