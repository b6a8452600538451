"""Counting reads without tracking readers, moving the counts to the database, and asking
what is read most.

A read is counted when the story page's small script reports it (after the page was visible
for a moment) or, for a client without scripts, never: robots do not run scripts either.
Nothing about the reader is stored: the per-client limit that stops a robot from inflating
counts lives a minute in the worker's memory under a hash.
"""

import datetime
import hashlib
import logging
import re
import time

from django.db import router, transaction
from django.db.models import F, Sum
from django.utils import timezone

from broadsheet.core import antispam
from broadsheet.core.prepared import PreparedQuery
from broadsheet.newsroom.models import Article

from . import conf
from .counters import get_counter
from .models import StoryReads

logger = logging.getLogger(__name__)
ROBOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|headless|python|curl|wget|httpclient|java/|go-http|"
    r"axios|node-fetch|scrapy|phantom|lighthouse|facebookexternalhit|embedly|whatsapp|telegram",
    re.IGNORECASE,
)


def is_robot(user_agent):
    return not user_agent or len(user_agent) < 20 or bool(ROBOTS.search(user_agent))


def current_hour(now=None):
    return int((now or time.time()) // 3600)


class ClientRates:
    """Reads per client per minute, in this process's memory only, keyed by a hash of the
    client's address that is forgotten within two minutes. Each worker process limits on its
    own: a robot spread over N processes gets N times the limit, which still stops the
    inflation; the shared-cache rate limit would cost a cache round trip per read."""

    def __init__(self):
        self.minute = None
        self.counts = {}

    def over(self, client, limit, now=None):
        minute = int((now or time.time()) // 60)
        if minute != self.minute:
            self.minute, self.counts = minute, {}
        key = hashlib.blake2b(client.encode(), digest_size=8).digest()
        count = self.counts[key] = self.counts.get(key, 0) + 1
        return count > limit


_rates = ClientRates()


def forget_clients():
    """Start every client's count afresh (tests)."""
    _rates.__init__()


def count_read(article_id, *, request):
    """Count one read if it looks like a person's; returns True when counted."""
    if is_robot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if _rates.over(antispam.client_ip(request), conf.client_limit()):
        return False
    try:
        get_counter().add(int(article_id), current_hour())
    except Exception:  # counting is never worth failing a request over
        logger.exception("readership: could not count a read")
        return False
    return True


def flush():
    """The "readership-flush" periodic job (see apps.py). Move the counted reads to per-story per-hour rows: one statement per row touched,
    never one per read. Returns the number of reads moved."""
    counter = get_counter()
    counts = counter.drain()
    if not counts:
        return 0
    existing_ids = set(Article.objects.filter(pk__in={a for a, _ in counts}).values_list("pk", flat=True))
    counts = {key: n for key, n in counts.items() if key[0] in existing_ids}
    try:
        with transaction.atomic():
            for (article_id, hour), reads in counts.items():
                start = datetime.datetime.fromtimestamp(hour * 3600, tz=datetime.UTC)
                updated = StoryReads.objects.filter(article_id=article_id, hour=start).update(
                    reads=F("reads") + reads
                )
                if not updated:
                    StoryReads.objects.create(article_id=article_id, hour=start, reads=reads)
    except Exception:
        counter.restore(counts)
        raise
    return sum(counts.values())


def _most_read_query(since, now, section_id=None, *, limit):
    rows = StoryReads.objects.filter(hour__gte=since, article__in=Article.objects.published(now=now))
    if section_id is not None:
        rows = rows.filter(article__section_id=section_id)
    return (
        rows.values_list("article", "article__headline", "article__slug")
        .annotate(total=Sum("reads"))
        .order_by("-total", "-article")[:limit]
    )


# Built once (core.prepared; a page runs it whenever "Most read" is rendered): everywhere, and
# in a section.
MOST_READ = PreparedQuery(
    lambda since, now, limit: _most_read_query(since, now, limit=limit), fixed=["limit"]
)
MOST_READ_IN_SECTION = PreparedQuery(_most_read_query, fixed=["limit"])
_SHOWN = ["id", "headline", "slug"]


def most_read(*, hours=None, section=None, limit=5, now=None):
    """The published stories read most in the last `hours`, most first: Articles with their
    headline, address and `reads` (one query, the other fields left unread)."""
    now = now or timezone.now()
    since = (now - datetime.timedelta(hours=hours or conf.window_hours())).replace(
        minute=0, second=0, microsecond=0
    )
    if section is None:
        rows = MOST_READ.all(since=since, now=now, limit=limit)
    else:
        rows = MOST_READ_IN_SECTION.all(since=since, now=now, section_id=section.pk, limit=limit)
    alias = router.db_for_read(Article)
    found = []
    for pk, headline, slug, total in rows:
        article = Article.from_db(alias, _SHOWN, (pk, headline, slug))
        article.reads = total
        found.append(article)
    return found


def reads_by_hour(*, hours=48, now=None):
    """[(hour start, reads)] for the last `hours`, oldest first, every hour present."""
    now = now or timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(hours=hours - 1)
    totals = dict(
        StoryReads.objects.filter(hour__gte=start).values_list("hour").annotate(total=Sum("reads")).order_by()
    )
    return [
        (start + datetime.timedelta(hours=i), totals.get(start + datetime.timedelta(hours=i), 0))
        for i in range(hours)
    ]
