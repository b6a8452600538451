"""Demo comments for `broadsheet seed`: the spread a real news site sees, so the demo and every
benchmark carry comments. Most stories get none or a few, a few get dozens; about a third of
comments are replies. Written in bulk (no moderation, no notifications), all approved."""

import hashlib
import random

from django.db import transaction
from django.utils import timezone

from broadsheet.newsroom.demo import person_name

from .models import Comment, CommentTally, body_fingerprint
from .text import render_comment

OPENINGS = (
    "Thanks for this report.",
    "I live near there and can confirm it.",
    "This is the first I have heard of it.",
    "Good to see this covered at last.",
    "I am not sure the numbers add up.",
    "Could you follow this up next month?",
    "The council should have acted sooner.",
    "My neighbours were talking about this all week.",
)
THOUGHTS = (
    "The timetable changes will hit the early shift hardest.",
    "Nobody asked the people who actually use the harbour.",
    "It would help to know what the plan costs.",
    "The same happened ten years ago and nothing changed.",
    "I hope the school run is not affected.",
    "Well written and fair to both sides.",
    "There is more to this story than the press release says.",
    "Local businesses deserve a say before anything is decided.",
)
BATCH = 2000


def comments_for(rng):
    """How many comments one story gets: none for about half, a long tail for the rest."""
    if rng.random() < 0.45:
        return 0
    return min(80, int(rng.paretovariate(1.3) * 2))


def seed_comments(article_ids, *, seed=1):
    """Approved demo comments on the published ones of `article_ids`; returns how many."""
    from broadsheet.newsroom.models import Article

    rng = random.Random(f"comments-{seed}")
    now = timezone.now()
    stories = list(
        Article.objects.published()
        .filter(pk__in=list(article_ids))
        .values_list("pk", "publish_at")
        .order_by("pk")
    )
    total, counts = 0, {}
    for start in range(0, len(stories), BATCH):
        roots, replies = [], []
        for pk, published in stories[start : start + BATCH]:
            n = comments_for(rng)
            span = max(60.0, (now - published).total_seconds())
            when = sorted(
                published + timezone.timedelta(seconds=rng.uniform(30, min(span, 3 * 86400)))
                for _ in range(n)
            )
            threads = []
            for i, moment in enumerate(when):
                comment = _comment(rng, pk, moment, f"{seed}.{pk}.{i}")
                if threads and rng.random() < 0.3:
                    replies.append((rng.choice(threads), comment))
                else:
                    roots.append(comment)
                    threads.append(comment)
            counts[pk] = n
        with transaction.atomic():
            Comment.objects.bulk_create(roots, batch_size=500)
            for parent, reply in replies:
                reply.parent_id = reply.thread_id = parent.pk
                reply.depth = 2
                if reply.created_at < parent.created_at:
                    reply.created_at = reply.updated_at = parent.created_at + timezone.timedelta(minutes=5)
            Comment.objects.bulk_create([reply for _parent, reply in replies], batch_size=500)
        total += len(roots) + len(replies)
    tallies = [CommentTally(article_id=pk, approved=n) for pk, n in counts.items() if n]
    CommentTally.objects.bulk_create(
        tallies, batch_size=1000, update_conflicts=True, unique_fields=["article"], update_fields=["approved"]
    )
    return total


def _comment(rng, article_id, moment, tag):
    name = person_name(rng)
    body = f"{rng.choice(OPENINGS)} {rng.choice(THOUGHTS)}"
    if rng.random() < 0.4:
        body += f"\n\n{rng.choice(THOUGHTS)}"
    email = f"reader-{hashlib.blake2s(tag.encode(), digest_size=6).hexdigest()}@example.org"
    return Comment(
        article_id=article_id,
        author_name=name,
        author_email=email,
        body=body,
        body_html=render_comment(body),
        fingerprint=body_fingerprint(body),
        status=Comment.Status.APPROVED,
        created_at=moment,
        updated_at=moment,
    )
