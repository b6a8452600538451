"""Settings of "Publish Your Article", read in this one place and when used (each has a default)."""

from django.conf import settings

from broadsheet.core import site


def _get(name, default):
    return getattr(settings, f"BROADSHEET_SUBMISSIONS_{name}", default)


def ip_rate():
    """(hits, seconds): how many articles one address may send in a window."""
    return tuple(_get("IP_RATE", (5, 3600)))


def email_rate():
    """(hits, seconds): how many articles one email address may send in a window."""
    return tuple(_get("EMAIL_RATE", (3, 3600)))


def token_rate():
    """(hits, seconds): how many times a status link may be used to resend or delete."""
    return tuple(_get("TOKEN_RATE", (10, 3600)))


def max_links():
    return int(_get("MAX_LINKS", 10))


def min_body_words():
    return int(_get("MIN_BODY_WORDS", 30))


def max_body_chars():
    return int(_get("MAX_BODY_CHARS", 60_000))


def max_tags():
    return int(_get("MAX_TAGS", 8))


def duplicate_show_at():
    """Near-duplicates at or above this estimated similarity are shown to editors."""
    return float(_get("DUPLICATE_SHOW_AT", 0.2))


def duplicate_matches():
    return int(_get("DUPLICATE_MATCHES", 5))


def held_picture_seconds():
    """Pictures held between a preview (or an error) and the final send are removed after this
    long (by the task worker's periodic job)."""
    return int(_get("HELD_PICTURE_SECONDS", 24 * 3600))


def held_per_client():
    """(pictures, seconds): how many pictures one address may have held for it in a window."""
    return tuple(_get("HELD_PER_CLIENT", (10, 3600)))


def held_total_bytes():
    """The most all held pictures together may take on disk."""
    return int(_get("HELD_TOTAL_BYTES", 200 * 1024 * 1024))


def editor_emails():
    return list(getattr(settings, "BROADSHEET_EDITOR_EMAILS", []))


site_url = site.site_url  # one rule for every app, in core
