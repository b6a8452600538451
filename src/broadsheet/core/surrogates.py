"""Surrogate keys: every public page names the content it shows, so a change purges exactly
the pages that show it (the built-in page cache, the fragment cache, Varnish or a CDN).

A view calls `declare(request, story(article.pk))`; the edge app turns the declared keys into
`Surrogate-Key` / `Cache-Tag` headers, and purges keys after a change commits. A page that
declares nothing is treated as showing anything (`ANY`), so it is purged by every change.
Every page also carries `ALL`, which `purge_all()` uses (site settings, renamed sections).
"""

import logging

from django.dispatch import Signal

ALL = "all"
ANY = "any"  # a page that declared nothing: any content change may alter it
HOME = "home"
FEED = "feed"  # the site-wide feeds
COMMENT_FEED = "comments"  # the site-wide comment feed
SEARCH = "search"
ARCHIVE = "archive"
SITEMAP = "sitemap"  # sitemap index, news sitemap, sections and tags sitemaps
API = "api"
PUBLISH = "publish"  # the "Publish Your Article" form page (its guidelines)
CORRECTIONS = "corrections"  # which stories carry corrections (a site-wide value, no page)
TRANSLATIONS = "translations"  # which stories have translations (a site-wide value, no page)
PROVENANCE = "provenance"  # which stories cite outlets or name entities (a site-wide value, no page)
MISSING = "missing"  # any 404: a story published at a slug that was missing must appear


def story(pk):
    return f"story-{pk}"


def section(pk):
    return f"section-{pk}"


def tag(pk):
    return f"tag-{pk}"


def author(pk):
    return f"author-{pk}"


def source(pk):
    return f"source-{pk}"


def sitemap_page(number):
    return f"sitemap-{number}"


def declare(request, *keys):
    """Name what this request's page shows (may be called several times while rendering)."""
    declared = getattr(request, "surrogate_keys", None)
    if declared is None:
        declared = request.surrogate_keys = set()
    declared.update(k for k in keys if k)


def declared(request):
    """The keys this request's page declared so far (an empty set if none)."""
    return getattr(request, "surrogate_keys", None) or set()


def page_keys(request, status_code):
    """What a finished page's header names: its declared keys (or ANY), a 404's MISSING, and ALL."""
    keys = set(declared(request))
    if status_code == 404:
        keys.add(MISSING)
    if not keys:
        keys.add(ANY)
    keys.add(ALL)
    return sorted(keys)


# Any app may ask for a purge without importing the app that does it (site settings changed:
# request_purge(ALL)). Arguments: keys.
purge_requested = Signal()


def request_purge(*keys):
    """Purge pages naming any of `keys` once the current transaction commits."""
    from django.db import transaction

    def send():
        for receiver, result in purge_requested.send_robust(sender=None, keys=list(keys)):
            if isinstance(result, Exception):
                logging.getLogger(__name__).error("purge listener %r failed: %s", receiver, result)

    transaction.on_commit(send)
