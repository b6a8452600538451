"""Signed links in newsletter emails: confirm, preferences, unsubscribe. No account, no login.

Confirmation and preference links carry the subscriber's link version, so those sent before an
unsubscribe stop working; the unsubscribe link does not, so clicking it again (or a mail client
replaying the one-click POST) only says "already unsubscribed". A changed character anywhere
makes the signature fail.
"""

import functools

from django.core import signing
from django.urls import get_script_prefix

from . import conf

SALT = "broadsheet.newsletters"
CONFIRM, PREFERENCES, UNSUBSCRIBE = "c", "p", "u"


class BadLink(Exception):
    """The link was tampered with, has expired or no longer applies."""


def make(subscriber, purpose):
    version = 0 if purpose == UNSUBSCRIBE else subscriber.link_version
    return signing.dumps([subscriber.pk, purpose, version], salt=SALT)


def read(token, purpose):
    """The subscriber a link is for; BadLink when it is not a valid link for `purpose`."""
    from .models import Subscriber

    max_age = conf.CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        pk, found_purpose, version = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink("This confirmation link has expired. Please sign up again.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink("This link is not valid. It may have been cut short or changed.") from None
    if found_purpose != purpose:
        raise BadLink("This link is not valid here.")
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        raise BadLink("This subscription no longer exists.")
    if purpose != UNSUBSCRIBE and version != subscriber.link_version:
        raise BadLink("This link was replaced by a newer one (after an unsubscribe). Please sign up again.")
    return subscriber


_NAMES = {CONFIRM: "confirm", PREFERENCES: "preferences", UNSUBSCRIBE: "unsubscribe"}


def url(subscriber, purpose):
    prefix, suffix = _around_token(purpose, get_script_prefix())
    return conf.site_url() + prefix + make(subscriber, purpose) + suffix


@functools.lru_cache(maxsize=16)
def _around_token(purpose, script_prefix):
    """The link's path before and after the token, reversed once (a newsletter makes two links
    per reader)."""
    from django.urls import reverse

    return tuple(reverse(f"newsletters:{_NAMES[purpose]}", args=["TOKEN"]).split("TOKEN", 1))
