"""Posting to a live page, and what its readers' pages and polls read. Every change purges
cached pages once it commits (see apps.py)."""

import json
import re
from html import unescape
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import LiveCoverage, LiveUpdate

POLL_UPDATES = 20
# The story page shows the newest updates; older ones are a link away, each on its own page.
PAGE_UPDATES = 50
TAG = re.compile(r"<[^>]*>")


def start(article):
    coverage, _ = LiveCoverage.objects.get_or_create(article=article)
    return coverage


@transaction.atomic
def post_update(coverage, *, author, body, headline="", key_point=False):
    """A new update, shown on the live page (and to polling readers) once it commits."""
    return LiveUpdate.objects.create(
        coverage=coverage, author=author, body=body, headline=headline, key_point=key_point
    )


SHOWN_FIELDS = ("pk", "headline", "body_html", "key_point", "byline", "posted_at")


def shown_updates(coverage, *, limit=None, before=None):
    """Updates newest first as light records (not model instances), `limit` at most, older
    than the update `before` when given."""
    rows = coverage.updates.order_by("-posted_at", "-id")
    if before is not None:
        rows = rows.filter(Q(posted_at__lt=before.posted_at) | Q(posted_at=before.posted_at, id__lt=before.pk))
    return _records(rows if limit is None else rows[:limit])


def _records(updates):
    return [SimpleNamespace(**dict(zip(SHOWN_FIELDS, row, strict=True))) for row in updates.values_list(*SHOWN_FIELDS)]


def page_data(coverage, *, before=None):
    """The newest PAGE_UPDATES updates (or those older than `before`), whether there are more,
    and the key points (always all of them)."""
    updates = shown_updates(coverage, limit=PAGE_UPDATES + 1, before=before)
    key_points = _records(coverage.updates.filter(key_point=True).order_by("-posted_at", "-id"))
    shown = {u.pk for u in updates[:PAGE_UPDATES]}
    for point in key_points:
        point.shown = point.pk in shown  # else its link goes to the update's own page
    return {
        "coverage": coverage,
        "updates": updates[:PAGE_UPDATES],
        "older": updates[PAGE_UPDATES - 1] if len(updates) > PAGE_UPDATES else None,
        "key_points": key_points,
    }


def plain_text(html):
    """Text of sanitised HTML (nh3 made it well-formed on save), for structured data."""
    return unescape(TAG.sub("", html)).strip()


UPDATE_HTML = (
    '<article class="live-update{key}" id="update-{pk}" data-update="{pk}">\n'
    '<header><a class="live-time" href="#update-{pk}"><time datetime="{iso}">{clock}</time></a>{byline} '
    '<a class="live-permalink" href="/live/update/{pk}/">Link to this update</a></header>\n'
    "{headline}<div class=\"live-body\">{body}</div>\n</article>\n"
)


def render_updates(updates):
    """The updates' HTML, built directly: a live page may hold a thousand of them, and a
    template loop costs about ten times more per update. body_html was sanitised on save."""
    zone = timezone.get_current_timezone()
    return mark_safe(
        "".join(
            UPDATE_HTML.format(
                key=" key-point" if u.key_point else "",
                pk=u.pk,
                iso=u.posted_at.isoformat(),
                clock=u.posted_at.astimezone(zone).strftime("%H:%M"),
                byline=f' <span class="live-byline">{escape(u.byline)}</span>' if u.byline else "",
                headline=f"<h3>{escape(u.headline)}</h3>" if u.headline else "",
                body=u.body_html,
            )
            for u in updates
        )
    )


def poll(coverage):
    """What a reader's page asks for every few seconds: the newest updates and key points."""
    data = page_data(coverage)
    updates, key_points = data["updates"][:POLL_UPDATES], data["key_points"]
    return {
        "open": coverage.is_open,
        "latest": updates[0].pk if updates else None,
        "updates": [{"id": u.pk, "html": render_updates([u])} for u in updates],
        "key_points_html": render_to_string("live/_key_points.html", {"key_points": key_points}),
    }


def structured_data(coverage, updates, site_url):
    """JSON-LD LiveBlogPosting with its liveBlogUpdate list (the updates the page shows)."""
    article = coverage.article
    url = site_url + article.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": article.headline,
        "url": url,
        "coverageStartTime": coverage.started_at.isoformat(),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": u.headline or plain_text(u.body_html)[:110],
                "datePublished": u.posted_at.isoformat(),
                "url": f"{url}#update-{u.pk}",
                "articleBody": plain_text(u.body_html)[:500],
            }
            for u in updates
        ],
    }
    if article.publish_at:
        data["datePublished"] = article.publish_at.isoformat()
    if not coverage.is_open and updates:
        data["coverageEndTime"] = updates[0].posted_at.isoformat()
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
