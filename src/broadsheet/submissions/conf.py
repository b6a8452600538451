"""Settings of "Publish Your Article", read in this one place (each has a default)."""

from django.conf import settings

from broadsheet.core import site


def _get(name, default):
    return getattr(settings, f"BROADSHEET_SUBMISSIONS_{name}", default)


# (hits, seconds): how many articles one address / one email may send in a window.
IP_RATE = _get("IP_RATE", (5, 3600))
EMAIL_RATE = _get("EMAIL_RATE", (3, 3600))
# How many times a status link may be used to resend or delete in a window.
TOKEN_RATE = _get("TOKEN_RATE", (10, 3600))
MAX_LINKS = _get("MAX_LINKS", 10)
MIN_BODY_WORDS = _get("MIN_BODY_WORDS", 30)
MAX_BODY_CHARS = _get("MAX_BODY_CHARS", 60_000)
MAX_TAGS = _get("MAX_TAGS", 8)
# Near-duplicates: matches at or above this estimated similarity are shown to editors.
DUPLICATE_SHOW_AT = _get("DUPLICATE_SHOW_AT", 0.2)
DUPLICATE_MATCHES = _get("DUPLICATE_MATCHES", 5)
# Pictures held between a preview (or an error) and the final send are removed after this long
# (by the task worker's housekeeping).
HELD_PICTURE_SECONDS = _get("HELD_PICTURE_SECONDS", 24 * 3600)


def held_per_client():
    """(pictures, seconds): how many pictures one address may have held for it in a window."""
    return tuple(_get("HELD_PER_CLIENT", (10, 3600)))


def held_total_bytes():
    """The most all held pictures together may take on disk."""
    return int(_get("HELD_TOTAL_BYTES", 200 * 1024 * 1024))


def editor_emails():
    return list(getattr(settings, "BROADSHEET_EDITOR_EMAILS", []))


site_url = site.site_url  # one rule for every app, in core
