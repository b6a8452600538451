"""Comment settings, read in one place. Editors change most rules in the back office
(ModerationSettings); these are the deploy-time knobs and fixed limits."""

from django.conf import settings

from broadsheet.core import site


def _get(name, default):
    return getattr(settings, f"BROADSHEET_COMMENTS_{name}", default)


def flood_seconds_override():
    """When set (e.g. 0 for a stress run) it wins over the back-office flood setting."""
    return _get("FLOOD_SECONDS", None)


def max_length():
    return _get("MAX_LENGTH", 10_000)


def spam_threshold():
    """Classifier score at or above which a new comment goes straight to spam."""
    return _get("SPAM_THRESHOLD", 0.95)


def hold_threshold():
    """Classifier score at or above which a new comment is held for an editor."""
    return _get("HOLD_THRESHOLD", 0.7)


def min_training():
    """The classifier scores nothing until it has learned this many spam and this many good comments."""
    return _get("MIN_TRAINING", 5)


def editor_emails():
    return list(getattr(settings, "BROADSHEET_EDITOR_EMAILS", []))


site_url, site_name = site.site_url, site.site_name  # one rule for every app, in core


# Cookies. The "mine" cookie holds only ids of the reader's own recent comments (to show them
# their comment awaiting moderation); the commenter cookie holds name/email/website and is set
# only when the reader ticks "Save my name...". A page cache must not serve a cached page to a
# request carrying the "mine" cookie.
def pending_cookie():
    return _get("PENDING_COOKIE", "bs_my_comments")


def commenter_cookie():
    return _get("COMMENTER_COOKIE", "bs_commenter")


# Signed ids of the comments a browser posted: the proof that lets a regular skip the queue
# (see trust.py). Only the comment views read it, so the browser sends it only under their
# path: story pages never see it and stay cacheable.
def proof_cookie():
    return _get("PROOF_COOKIE", "bs_comment_proof")


PROOF_COOKIE_PATH = "/comments/"
PROOF_MAX_AGE = 365 * 24 * 3600
COOKIE_MAX_AGE = 365 * 24 * 3600
PENDING_MAX_AGE = 30 * 24 * 3600
# How long the unsubscribe link of a reply email works; a later email brings a fresh one.
UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600
FEED_SIZE = 30
