"""The wire's settings, read here when used (every one optional).

Limits on one feed fetch (a feed that breaks one is recorded on its health and skipped):
BROADSHEET_WIRE_FETCH_TIMEOUT        seconds per socket wait (10)
BROADSHEET_WIRE_FETCH_DEADLINE       seconds for a whole reply (30)
BROADSHEET_WIRE_FETCH_MAX_BYTES      largest reply read (5000000)
BROADSHEET_WIRE_FETCH_MAX_REDIRECTS  redirects followed (5)
BROADSHEET_WIRE_USER_AGENT           what the fetcher calls itself

BROADSHEET_WIRE_POLL_THREADS         feeds fetched at once during a poll (network waits, not CPU; 8)
BROADSHEET_WIRE_MAX_BACKOFF_MINUTES  after failures a feed waits every_minutes * 2**failures, at
                                     most this long (1440)
BROADSHEET_WIRE_GROUP_SIMILARITY     items about the same story are grouped when their words are
                                     this similar (cosine 0..1; 0.35) ...
BROADSHEET_WIRE_GROUP_WINDOW_HOURS   ... and were published within this many hours (48)
"""

from django.conf import settings


def fetch_timeout():
    return float(getattr(settings, "BROADSHEET_WIRE_FETCH_TIMEOUT", 10.0))


def fetch_deadline():
    return float(getattr(settings, "BROADSHEET_WIRE_FETCH_DEADLINE", 30.0))


def fetch_max_bytes():
    return int(getattr(settings, "BROADSHEET_WIRE_FETCH_MAX_BYTES", 5_000_000))


def fetch_max_redirects():
    return int(getattr(settings, "BROADSHEET_WIRE_FETCH_MAX_REDIRECTS", 5))


def user_agent():
    return str(getattr(settings, "BROADSHEET_WIRE_USER_AGENT", "Broadsheet-wire/1.0 (+feed reader)"))


def poll_threads():
    return int(getattr(settings, "BROADSHEET_WIRE_POLL_THREADS", 8))


def max_backoff_minutes():
    return int(getattr(settings, "BROADSHEET_WIRE_MAX_BACKOFF_MINUTES", 24 * 60))


def group_similarity():
    return float(getattr(settings, "BROADSHEET_WIRE_GROUP_SIMILARITY", 0.35))


def group_window_hours():
    return float(getattr(settings, "BROADSHEET_WIRE_GROUP_WINDOW_HOURS", 48))
