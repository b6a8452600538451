"""The wire's settings, read once here (every one optional)."""

from django.conf import settings

# Limits on one feed fetch: a feed that breaks one is recorded on its health and skipped.
FETCH_TIMEOUT = getattr(settings, "BROADSHEET_WIRE_FETCH_TIMEOUT", 10.0)  # seconds per socket wait
FETCH_DEADLINE = getattr(settings, "BROADSHEET_WIRE_FETCH_DEADLINE", 30.0)  # seconds for a whole reply
FETCH_MAX_BYTES = getattr(settings, "BROADSHEET_WIRE_FETCH_MAX_BYTES", 5_000_000)
FETCH_MAX_REDIRECTS = getattr(settings, "BROADSHEET_WIRE_FETCH_MAX_REDIRECTS", 5)
# Feeds fetched at once during a poll (network waits, not CPU).
POLL_THREADS = getattr(settings, "BROADSHEET_WIRE_POLL_THREADS", 8)
# After failures a feed waits every_minutes * 2**failures, at most this long.
MAX_BACKOFF_MINUTES = getattr(settings, "BROADSHEET_WIRE_MAX_BACKOFF_MINUTES", 24 * 60)
# Items about the same story are grouped when their words are this similar (cosine 0..1) ...
GROUP_SIMILARITY = getattr(settings, "BROADSHEET_WIRE_GROUP_SIMILARITY", 0.35)
# ... and were published within this many hours of each other.
GROUP_WINDOW_HOURS = getattr(settings, "BROADSHEET_WIRE_GROUP_WINDOW_HOURS", 48)
USER_AGENT = getattr(settings, "BROADSHEET_WIRE_USER_AGENT", "Broadsheet-wire/1.0 (+feed reader)")
