"""Keyset pagination for story lists: deep pages cost the same as the first, and no COUNT runs.

A page is addressed by a cursor naming the last (or first) story seen: `?before=<µs>-<id>`
for older stories, `?after=<µs>-<id>` for newer ones. Stories are ordered newest first by
(publish_at, id), which the article indexes cover.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def make_cursor(article):
    delta = article.publish_at - EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{article.pk}"


def parse_cursor(value):
    """(publish_at, id) from a cursor, or None when it is missing or malformed."""
    if not value or len(value) > 40:
        return None
    micros, _, pk = value.partition("-")
    try:
        micros, pk = int(micros), int(pk)
        when = EPOCH + datetime.timedelta(microseconds=micros)
    except (ValueError, OverflowError):
        return None
    if pk < 0:
        return None
    return when, pk


@dataclass
class KeysetPage:
    object_list: list
    newer_cursor: str | None
    older_cursor: str | None

    @property
    def has_other_pages(self):
        return bool(self.newer_cursor or self.older_cursor)


def older_page(queryset, before, size):
    """Up to `size` stories of `queryset` older than `before` ((publish_at, id), or None for the
    newest), newest first, and whether more follow. The API's cursors use it too."""
    if before:
        when, pk = before
        queryset = queryset.filter(Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk))
    rows = list(queryset.order_by("-publish_at", "-id")[: size + 1])
    return rows[:size], len(rows) > size


def keyset_page(queryset, params, size):
    """One page of `queryset` (newest first) for the cursor in `params` (a QueryDict)."""

    def fetch(direction, cursor, count):
        stories = queryset
        if direction == "after":
            when, pk = cursor
            stories = stories.filter(Q(publish_at__gt=when) | Q(publish_at=when, pk__gt=pk))
            return list(stories.order_by("publish_at", "id")[:count])
        if cursor:
            when, pk = cursor
            stories = stories.filter(Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk))
        return list(stories.order_by("-publish_at", "-id")[:count])

    return keyset_page_by(fetch, params, size)


def keyset_page_by(fetch, params, size):
    """One page for the cursor in `params`, the stories read by `fetch(direction, cursor, count)`:
    the `count` stories "before" the cursor ((publish_at, id), or None for the newest), newest
    first, or "after" it, oldest first."""
    before = parse_cursor(params.get("before"))
    after = None if before else parse_cursor(params.get("after"))
    if after:
        rows = fetch("after", after, size + 1)
        has_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_older = True
    else:
        rows = fetch("before", before, size + 1)
        rows, has_older = rows[:size], len(rows) > size
        has_newer = before is not None
    if not rows:
        return KeysetPage([], None, None)
    return KeysetPage(
        rows,
        newer_cursor=make_cursor(rows[0]) if has_newer else None,
        older_cursor=make_cursor(rows[-1]) if has_older else None,
    )
