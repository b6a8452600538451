"""The wire's operations: adding feeds, polling them, and turning items into drafts."""

import datetime
import html
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as format_date

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article

from . import conf, extraction, grouping, outlets, parsing
from .fetching import FetchError, fetch
from .models import Citation, Feed, WireItem

logger = logging.getLogger(__name__)


class WireError(Exception):
    """A wire operation that cannot be done, with a message for the editor."""


@transaction.atomic
def add_feed(source_name, url, **options):
    """Add a feed to the outlet called `source_name` (created when unknown). Adding the same
    address again updates its options."""
    source = outlets.find_or_create_source(source_name)
    feed, created = Feed.objects.get_or_create(url=url, defaults={"source": source, **options})
    if not created:
        for name, value in {"source": source, **options}.items():
            setattr(feed, name, value)
        feed.save()
    return feed


@dataclass
class PollResult:
    feed: Feed
    new: int = 0
    seen: int = 0
    not_modified: bool = False
    error: str = ""

    def line(self):
        if self.error:
            state = f"error: {self.error}"
        elif self.not_modified:
            state = "not modified"
        else:
            state = f"{self.seen} items"
        return f"{self.feed.source.name} · {self.feed.url} · {state} · {self.new} new"


def _fetch_feed(feed):
    try:
        return fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified), None
    except FetchError as error:
        return None, str(error)
    except Exception as error:  # one odd feed must never stop the others
        logger.exception("Fetching %s failed", feed.url)
        return None, f"Unexpected error: {type(error).__name__}"


def poll_due(*, now=None, feeds=None, threads=None):
    """Poll every due feed once (or `feeds`): fetch several at once, store one at a time.
    Returns a PollResult per feed."""
    feeds = list(
        Feed.objects.due(now).select_related("source", "auto_draft_section") if feeds is None else feeds
    )
    results = []
    threads = threads or conf.poll_threads()
    # The recent items' words are read once per cycle, not once per feed.
    grouper = _Lazy(grouping.window_grouper)
    # A few batches of replies in memory at a time, never the whole cycle's bodies.
    step = threads * 2
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for start in range(0, len(feeds), step):
            batch = feeds[start : start + step]
            for feed, (fetched, error) in zip(batch, pool.map(_fetch_feed, batch), strict=True):
                results.append(store_poll(feed, fetched, error, grouper=grouper))
    return results


class _Lazy:
    """Builds its value on first use: a cycle where every feed answers 304 reads no window."""

    def __init__(self, build):
        self.build, self.value = build, None

    def __call__(self):
        if self.value is None:
            self.value = self.build()
        return self.value


def poll_feed(feed):
    fetched, error = _fetch_feed(feed)
    return store_poll(feed, fetched, error)


def _back_off(feed, now):
    minutes = min(feed.every_minutes * 2 ** min(feed.failures, 20), conf.max_backoff_minutes())
    return now + datetime.timedelta(minutes=max(minutes, feed.every_minutes))


def store_poll(feed, fetched, error=None, *, grouper=None):
    """Record what one fetch gave: new items on success, the message and a back-off on failure."""
    now = timezone.now()
    result = PollResult(feed=feed)
    feed.last_polled_at = now
    if fetched is not None and fetched.status == 304:
        result.not_modified = True
    elif fetched is not None:
        try:
            parsed = parsing.parse(fetched.body, content_type=fetched.content_type)
        except parsing.FeedError as problem:
            error = str(problem)
        else:
            result.seen = len(parsed.items)
            try:
                result.new = store_items(feed, parsed, grouper=grouper)
            except Exception as problem:  # a bad item must not stop the other feeds
                logger.exception("Storing items of %s failed", feed.url)
                error = f"Could not store items: {type(problem).__name__}"
            if not error:
                if parsed.title and not feed.title:
                    feed.title = parsed.title
                feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
                if parsed.warning:
                    feed.last_error, feed.last_error_at = parsed.warning, now
    if error:
        result.error = error
        feed.failures += 1
        feed.last_error, feed.last_error_at = error[:500], now
        feed.next_poll_at = _back_off(feed, now)
    else:
        feed.failures = 0
        feed.last_success_at = now
        feed.last_new_items = result.new
        feed.next_poll_at = now + datetime.timedelta(minutes=feed.every_minutes)
    feed.save()
    return result


@transaction.atomic
def store_items(feed, parsed, *, grouper=None):
    """Store the items not seen before (by address or words); group, apply rules. Returns the count.
    One transaction per feed: one disk flush for fifty items, and never half a feed stored."""
    now = timezone.now()
    candidates = []
    for entry in parsed.items:
        candidates.append(
            (
                grouping.url_key(entry.url, fallback=f"{feed.pk}:{entry.guid or entry.headline}"),
                grouping.text_key(entry.headline, entry.summary),
                entry,
            )
        )
    url_keys = {c[0] for c in candidates}
    text_keys = {c[1] for c in candidates}
    seen_urls = set(WireItem.objects.filter(url_key__in=url_keys).values_list("url_key", flat=True))
    seen_texts = set(WireItem.objects.filter(text_key__in=text_keys).values_list("text_key", flat=True))
    ignore = feed.ignore_phrases()
    created = []
    for u_key, t_key, entry in candidates:
        if u_key in seen_urls or t_key in seen_texts:
            continue
        seen_urls.add(u_key)
        seen_texts.add(t_key)
        words = f"{entry.headline} {entry.summary}".lower()
        item = WireItem(
            feed=feed,
            source_id=feed.source_id,
            guid=entry.guid,
            url=entry.url if entry.url.lower().startswith(("http://", "https://")) else "",
            url_key=u_key,
            text_key=t_key,
            headline=entry.headline or entry.summary[:120],
            summary=entry.summary,
            author=entry.author,
            language=entry.language or feed.source.language or "",
            published_at=parsing.sensible_time(entry.published_at, now),
            fetched_at=now,
            terms=grouping.item_terms(entry.headline, entry.summary),
            status=WireItem.Status.IGNORED if any(p in words for p in ignore) else WireItem.Status.NEW,
        )
        if feed.full_text_allowed and item.status == WireItem.Status.NEW:
            item.body_html = extraction.full_text(entry.content_html, item.url, feed_url=feed.url)
        created.append(item)
    created = _insert(created)
    if created:
        grouping.group_items(created, now=now, grouper=grouper() if grouper else None)
    if feed.auto_draft_section_id:
        for item in created:
            if item.status == WireItem.Status.NEW:
                republish(item, section=feed.auto_draft_section)
    return len(created)


def _insert(items):
    """Insert new items in one statement; if another poll stored one of them a moment ago, one by
    one, leaving that one out. Returns the items stored."""
    try:
        with transaction.atomic():
            return WireItem.objects.bulk_create(items)
    except IntegrityError:
        stored = []
        for item in items:
            try:
                with transaction.atomic():
                    item.save()
            except IntegrityError:
                continue
            stored.append(item)
        return stored


# --- from the wire to the newsroom ------------------------------------------------------------


def credit_line(item):
    when = item.published_at or item.fetched_at
    source = html.escape(item.source.name)
    named = f'<a href="{html.escape(item.url)}">{source}</a>' if item.url else source
    return f"<p><em>First published by {named} on {format_date(when, 'j F Y, H:i')} UTC.</em></p>"


def _paragraphs(text):
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


@transaction.atomic
def republish(item, *, section, by=None):
    """Make a draft of a wire item with its Source, original address, time, language and credit.
    The canonical link follows the site's setting (BROADSHEET_CANONICAL_REPUBLISHED)."""
    item = WireItem.objects.select_for_update().select_related("source").get(pk=item.pk)
    if item.article_id:
        raise WireError("This item is already a draft.")
    body = item.body_html or _paragraphs(item.summary)
    article = Article(
        headline=item.headline,
        summary=item.summary[:1000],
        body=body + credit_line(item),
        section=section,
        status=Article.Status.DRAFT,
        source=item.source,
        source_url=item.url,
        language=item.language or "en",
        external_id=f"wire:{item.pk}",
        created_by=by,
    )
    newsroom.save_article(article, by=by)
    item.article = article
    item.status = WireItem.Status.DRAFTED
    item.save(update_fields=["article", "status"])
    return article


@transaction.atomic
def write_from_group(group, *, section, by=None):
    """A draft of our own about a story group, with every outlet in it attached as reporting cited."""
    items = list(group.items.select_related("source").order_by("published_at", "fetched_at"))
    if not items:
        raise WireError("This group has no items.")
    links = "".join(
        f'<li><a href="{html.escape(i.url)}">{html.escape(i.source.name)}: {html.escape(i.headline)}</a></li>'
        if i.url
        else f"<li>{html.escape(i.source.name)}: {html.escape(i.headline)}</li>"
        for i in items
    )
    article = Article(
        headline=group.headline,
        summary=items[0].summary[:1000],
        body=f"<p>{html.escape(items[0].summary)}</p><h2>Reporting</h2><ul>{links}</ul>",
        section=section,
        status=Article.Status.DRAFT,
        language=items[0].language or "en",
        created_by=by,
    )
    newsroom.save_article(article, by=by)
    for source_id in dict.fromkeys(i.source_id for i in items):
        Citation.objects.get_or_create(
            article=article, source_id=source_id, defaults={"status": Citation.Status.ADDED, "decided_by": by}
        )
    group.items.filter(status=WireItem.Status.NEW).update(status=WireItem.Status.DRAFTED)
    return article


def ignore(item):
    WireItem.objects.filter(pk=item.pk).update(status=WireItem.Status.IGNORED)


def queue(*, source=None, section=None, language="", keyword="", status=WireItem.Status.NEW, limit=200):
    """Groups of waiting items, newest first: [(group, [items])], filtered."""
    items = WireItem.objects.filter(status=status).select_related("source", "feed", "group")
    if source:
        items = items.filter(source=source)
    if section:
        items = items.in_section(section)
    if language:
        items = items.filter(language__istartswith=language)
    if keyword:
        items = items.filter(Q(headline__icontains=keyword) | Q(summary__icontains=keyword))
    groups = {}
    for item in items.order_by("-fetched_at", "-id")[:limit]:
        groups.setdefault(item.group_id or -item.pk, (item.group, []))[1].append(item)
    return list(groups.values())
