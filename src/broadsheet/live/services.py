"""Posting to a live page, and what its readers' pages and polls read. Every change purges
cached pages once it commits (see apps.py)."""

import json
import re
from html import unescape
from types import SimpleNamespace

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import LiveCoverage, LiveUpdate

POLL_UPDATES = 20
TAG = re.compile(r"<[^>]*>")
STRUCTURED_UPDATES = 100


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


def shown_updates(coverage):
    """The updates as light records (not model instances: a live page may show a thousand)."""
    rows = coverage.updates.order_by("-posted_at", "-id").values_list(*SHOWN_FIELDS)
    return [SimpleNamespace(**dict(zip(SHOWN_FIELDS, row, strict=True))) for row in rows]


def page_data(coverage):
    updates = shown_updates(coverage)
    return {"coverage": coverage, "updates": updates, "key_points": [u for u in updates if u.key_point]}


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
    updates = shown_updates(coverage)
    key_points = [u for u in updates if u.key_point]
    updates = updates[:POLL_UPDATES]
    return {
        "open": coverage.is_open,
        "latest": updates[0].pk if updates else None,
        "updates": [{"id": u.pk, "html": render_updates([u])} for u in updates],
        "key_points_html": render_to_string("live/_key_points.html", {"key_points": key_points}),
    }


def structured_data(coverage, updates, site_url):
    """JSON-LD LiveBlogPosting with its liveBlogUpdate list (the newest STRUCTURED_UPDATES)."""
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
            for u in updates[:STRUCTURED_UPDATES]
        ],
    }
    if article.publish_at:
        data["datePublished"] = article.publish_at.isoformat()
    if not coverage.is_open and updates:
        data["coverageEndTime"] = updates[0].posted_at.isoformat()
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
