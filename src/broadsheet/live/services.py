"""Posting to a live page, and what its readers' pages and polls read. Every change purges
cached pages once it commits (see apps.py)."""

import json

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from .models import LiveCoverage, LiveUpdate

POLL_UPDATES = 20
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


def page_data(coverage):
    updates = list(coverage.updates.all().only("id", "headline", "body_html", "key_point", "byline", "posted_at", "coverage_id"))
    return {"coverage": coverage, "updates": updates, "key_points": [u for u in updates if u.key_point]}


def render_updates(updates):
    return render_to_string("live/_updates.html", {"updates": updates})


def poll(coverage):
    """What a reader's page asks for every few seconds: the newest updates and key points."""
    updates = list(coverage.updates.all()[:POLL_UPDATES])
    key_points = list(coverage.updates.filter(key_point=True))
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
                "headline": u.headline or strip_tags(u.body_html)[:110],
                "datePublished": u.posted_at.isoformat(),
                "url": f"{url}#update-{u.pk}",
                "articleBody": strip_tags(u.body_html)[:500],
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
