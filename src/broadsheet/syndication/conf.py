"""Syndication settings, read here and nowhere else. Each is read when used, so tests can change it.

| setting | default | meaning |
| --- | --- | --- |
| BROADSHEET_FEED_FULL_TEXT | False | feeds carry the whole story (True) or its summary and a link (False) |
| BROADSHEET_FEED_SIZE | 50 | how many of the latest stories a feed lists |
| BROADSHEET_CANONICAL_REPUBLISHED | "original" | canonical link of a republished story: "original" or "ours" |
| BROADSHEET_SYNDICATION_CACHE_SECONDS | 300 | longest time a rendered feed or sitemap is kept (0: never) |

The feed default is the summary: a third of the stories are other outlets' work, and a summary
with a link sends readers to the page that names the source.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from broadsheet.core import site

CANONICAL_CHOICES = ("original", "ours")
DEFAULT_DESCRIPTION = "Independent news, analysis and stories from around the world."


site_url, site_name = site.site_url, site.site_name  # one rule for every app, in core


def feed_full_text():
    return bool(getattr(settings, "BROADSHEET_FEED_FULL_TEXT", False))


def feed_size():
    return int(getattr(settings, "BROADSHEET_FEED_SIZE", 50))


def canonical_republished():
    value = getattr(settings, "BROADSHEET_CANONICAL_REPUBLISHED", "original")
    if value not in CANONICAL_CHOICES:
        raise ImproperlyConfigured(
            f"BROADSHEET_CANONICAL_REPUBLISHED must be one of {CANONICAL_CHOICES}, not {value!r}"
        )
    return value


def cache_seconds():
    return int(getattr(settings, "BROADSHEET_SYNDICATION_CACHE_SECONDS", 300))
