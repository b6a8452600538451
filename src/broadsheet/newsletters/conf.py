"""Newsletter settings, read here and nowhere else.

BROADSHEET_NEWSLETTERS_BATCH           messages one worker claims and sends at a time (200)
BROADSHEET_NEWSLETTERS_CLAIM_SECONDS   a claimed batch not finished after this long belongs to a
                                       worker that died: its unsent rows are sent again (120)
BROADSHEET_NEWSLETTERS_CONNECTIONS   SMTP connections one worker sends through side by side (4)
BROADSHEET_NEWSLETTERS_MAX_ATTEMPTS    tries per recipient on temporary SMTP failures (3)
BROADSHEET_NEWSLETTERS_WEBHOOK_SECRET  shared secret the bounce webhook requires (empty: webhook off)
BROADSHEET_NEWSLETTERS_FROM            From: address of newsletters (DEFAULT_FROM_EMAIL)
BROADSHEET_NEWSLETTERS_ADDRESS_LIMIT   sign-ups for one address per hour (3)
BROADSHEET_NEWSLETTERS_CLIENT_LIMIT    sign-ups from one network address per hour (20)
BROADSHEET_NEWSLETTERS_DIGEST_HOUR     hour the daily and weekly digests go out, site time zone (7)
BROADSHEET_NEWSLETTERS_WEEKLY_DAY      day the weekly digest goes out, 0 = Monday ... 6 = Sunday (0)
BROADSHEET_NEWSLETTERS_DIGEST_STORIES  stories at most in a digest (10)
"""

from django.conf import settings

CONFIRM_MAX_AGE = 7 * 24 * 3600


def _get(name, default):
    return getattr(settings, f"BROADSHEET_NEWSLETTERS_{name}", default)


def batch_size():
    return int(_get("BATCH", 200))


def claim_seconds():
    return float(_get("CLAIM_SECONDS", 120))


def connections():
    return max(1, int(_get("CONNECTIONS", 4)))


def max_attempts():
    return int(_get("MAX_ATTEMPTS", 3))


def webhook_secret():
    return str(_get("WEBHOOK_SECRET", "") or "")


def from_email():
    return _get("FROM", None) or settings.DEFAULT_FROM_EMAIL


def address_limit():
    return int(_get("ADDRESS_LIMIT", 3))


def client_limit():
    return int(_get("CLIENT_LIMIT", 20))


def digest_hour():
    return min(23, max(0, int(_get("DIGEST_HOUR", 7))))


def weekly_day():
    return min(6, max(0, int(_get("WEEKLY_DAY", 0))))


def digest_stories():
    return max(1, int(_get("DIGEST_STORIES", 10)))


def site_url():
    return settings.BROADSHEET_SITE_URL.rstrip("/")


def secret_key():
    return settings.SECRET_KEY
