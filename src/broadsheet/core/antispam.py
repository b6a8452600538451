"""Abuse defence for public forms, without third-party services.

- `client_ip(request)`: the reader's address; behind trusted proxies, the one they added to
  X-Forwarded-For (entries to its left are written by the client and never trusted).
- `SpamDefenceMixin`: a form mixin adding a honeypot field and a signed "form loaded at" stamp;
  a form sent back faster than MIN_SECONDS after it was loaded is refused (people paste, so
  the limit is never longer). Each stamp is unique and works once; a form shown again gets a
  new stamp of its own time (never one dated back, which would let a script skip the wait).
- `hit_rate_limit(scope, key, limit, window)`: a fixed-window counter in the shared cache,
  checked and counted in one atomic step (see core.cache.count_hit).
"""

import hashlib
import ipaddress
import secrets
import time

from django import forms
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

from . import conf
from .cache import count_hit

MIN_SECONDS = 3
MAX_FORM_AGE = 24 * 3600
HONEYPOT_NAME = "website_url_confirm"
STAMP_SALT = "broadsheet.form-stamp"


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return None


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request):
    """The address the request came from, as far as we can know it.

    Each proxy appends the address it was reached from to X-Forwarded-For, so only the entries
    the trusted proxies added are true; anything to their left is whatever the client sent.
    With BROADSHEET_TRUSTED_PROXIES (addresses or networks) the right-most entry that is not a
    trusted proxy is the client; otherwise BROADSHEET_PROXY_COUNT proxies are assumed (1) and
    the entry that many places from the right is taken.
    """
    remote = request.META.get("REMOTE_ADDR", "")[:64] or "unknown"
    if not conf.behind_proxy():
        return remote
    chain = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [entry for entry in chain if entry]
    networks = conf.trusted_proxies()
    if networks:
        if not _is_trusted(remote, networks):
            return remote  # not through our proxies: the header is the client's own
        for entry in reversed(chain):
            if not _is_trusted(entry, networks):
                return _address(entry) or remote
        return (_address(chain[0]) if chain else None) or remote
    count = conf.proxy_count()
    if count < 1 or len(chain) < count:
        return remote  # fewer entries than proxies: the request did not come through them all
    return _address(chain[-count]) or remote


def make_stamp(now=None):
    nonce = secrets.token_urlsafe(9)
    return signing.TimestampSigner(salt=STAMP_SALT).sign(f"{int(now or time.time())}.{nonce}")


def check_stamp(value, *, min_seconds=MIN_SECONDS, now=None):
    """Raise ValidationError unless `value` is a stamp signed by us at least min_seconds ago and
    not used before (this call uses it up)."""
    if not value:
        raise ValidationError(
            "Please check your text and send it again: this keeps automated posts out.", code="no_stamp"
        )
    try:
        signed = signing.TimestampSigner(salt=STAMP_SALT).unsign(value, max_age=MAX_FORM_AGE)
        loaded_at = int(signed.split(".", 1)[0])
    except signing.SignatureExpired:
        raise ValidationError(
            "This form was open for more than a day. Please send it again now.", code="stale"
        ) from None
    except (signing.BadSignature, ValueError):
        raise ValidationError(
            "This form could not be checked. Please send it again.", code="bad_stamp"
        ) from None
    if (now or time.time()) - loaded_at < min_seconds:
        raise ValidationError(
            "That was faster than a person can fill in this form. Please wait a few seconds and send it again.",
            code="too_fast",
        )
    used = "stamp-used:" + hashlib.blake2b(value.encode(), digest_size=16).hexdigest()
    try:
        first_use = cache.add(used, 1, timeout=MAX_FORM_AGE + 60)
    except Exception:  # a cache that is down must not take the form down with it
        first_use = True
    if not first_use:
        raise ValidationError(
            "This form was already sent once. Please check your text and send it again.", code="used"
        )


class SpamDefenceMixin:
    """Add to a Form: a hidden honeypot field and a signed load-time stamp, checked in clean()."""

    min_seconds = MIN_SECONDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_NAME] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["form_stamp"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial["form_stamp"] = make_stamp()

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT_NAME):
            raise ValidationError("Your message looks automated and was not accepted.", code="honeypot")
        check_stamp(data.get("form_stamp"), min_seconds=self.min_seconds)
        return data

    def refresh_stamp(self):
        """A form shown again after an error gets a new stamp but keeps everything typed."""
        if self.is_bound:
            data = self.data.copy()
            data["form_stamp"] = make_stamp()
            self.data = data


def _key(scope, key):
    digest = hashlib.sha256(f"{scope}:{key}".encode("utf-8", "replace")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def hit_rate_limit(scope, key, *, limit, window):
    """Count one hit; return True when `key` has gone over `limit` hits in the current window.

    Counting and checking are one atomic step, so requests arriving together cannot all read
    the same count below the limit."""
    if not key:
        return False
    bucket = int(time.time() // window)
    count = count_hit(cache, f"{_key(scope, key)}:{bucket}", timeout=window + 5)
    if count is None:  # a cache that is down must not take the form down with it
        return False
    return count > limit
