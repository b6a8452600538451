"""Django's CSRF token helpers, in one place: cached pages get a fresh token per reader.

The helpers below are private to django.middleware.csrf but stable through Django 5.2; if they
move, only this module changes.
"""

import os
import re
import time

from django.conf import settings
from django.middleware import csrf as django_csrf
from django.utils.http import http_date

SECRET_LENGTH = django_csrf.CSRF_SECRET_LENGTH
TOKEN_LENGTH = django_csrf.CSRF_TOKEN_LENGTH
# A masked token: 64 letters and digits standing alone (not part of a longer run).
_TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % TOKEN_LENGTH)
_VALID_RE = re.compile(r"[A-Za-z0-9]+\Z")
_ALPHABET = django_csrf.CSRF_ALLOWED_CHARS
_BASE = len(_ALPHABET)
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
# (secret character, mask character) -> cipher character, as in Django's _mask_cipher_secret.
_SUM = {(s, m): _ALPHABET[(_INDEX[s] + _INDEX[m]) % _BASE] for s in _ALPHABET for m in _ALPHABET}
_BYTE_TO_CHAR = bytes(ord(_ALPHABET[b % _BASE]) for b in range(256))
_UNEVEN_BYTES = bytes(range(256 - 256 % _BASE, 256))


def cookie_name():
    return settings.CSRF_COOKIE_NAME


def uses_cookie():
    return not settings.CSRF_USE_SESSIONS


def new_secret():
    return random_string(SECRET_LENGTH)


def mask(secret):
    """A masked token for `secret`: what django.middleware.csrf._mask_cipher_secret returns.

    Django draws each character with its own call to the system's random source, which costs
    hundreds of microseconds per token on a busy machine; this draws the same distribution in
    one call. `unmask` (Django's own) reverses it, and the tests check that Django accepts it.
    """
    mask_chars = random_string(SECRET_LENGTH)
    return mask_chars + "".join(map(_SUM.__getitem__, zip(secret, mask_chars, strict=True)))


def unmask(token):
    return django_csrf._unmask_cipher_token(token)


def random_string(length):
    """`length` characters drawn uniformly from Django's CSRF alphabet, from os.urandom."""
    # Bytes of 248 and over are dropped so that every character is equally likely.
    drawn = os.urandom(length + 8).translate(_BYTE_TO_CHAR, _UNEVEN_BYTES)
    while len(drawn) < length:
        drawn += os.urandom(16).translate(_BYTE_TO_CHAR, _UNEVEN_BYTES)
    return drawn[:length].decode("ascii")


def secret_from_cookie(value):
    """The reader's secret from their CSRF cookie, as Django would accept it; None if unusable."""
    if not value or len(value) not in (SECRET_LENGTH, TOKEN_LENGTH) or not _VALID_RE.match(value):
        return None
    return unmask(value) if len(value) == TOKEN_LENGTH else value


def split_on_tokens(body, secret):
    """Cut `body` where it holds tokens masking `secret`: returns the pieces between them."""
    pieces, start = [], 0
    for match in _TOKEN_RE.finditer(body):
        if unmask(match.group().decode("ascii")) == secret:
            pieces.append(body[start : match.start()])
            start = match.end()
    pieces.append(body[start:])
    return pieces


def cookie_header(secret):
    """The Set-Cookie value Django's CsrfViewMiddleware would send for `secret`."""
    age = settings.CSRF_COOKIE_AGE
    parts = [f"{settings.CSRF_COOKIE_NAME}={secret}"]
    if settings.CSRF_COOKIE_DOMAIN:
        parts.append(f"Domain={settings.CSRF_COOKIE_DOMAIN}")
    if age is not None:
        parts.append(f"expires={_http_date_now(age)}")
    if settings.CSRF_COOKIE_HTTPONLY:
        parts.append("HttpOnly")
    if age is not None:
        parts.append(f"Max-Age={age}")
    parts.append(f"Path={settings.CSRF_COOKIE_PATH}")
    if settings.CSRF_COOKIE_SAMESITE:
        parts.append(f"SameSite={settings.CSRF_COOKIE_SAMESITE}")
    if settings.CSRF_COOKIE_SECURE:
        parts.append("Secure")
    return "; ".join(parts)


_date_memo = [0, 0, ""]


def _http_date_now(offset):
    """http_date(now + offset), worked out at most once a second."""
    now = int(time.time())
    if _date_memo[0] != now or _date_memo[1] != offset:
        _date_memo[:] = [now, offset, http_date(now + offset)]
    return _date_memo[2]
