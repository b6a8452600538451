"""Time-based one-time passwords (RFC 6238, on RFC 4226 HOTP) with the standard library only.

Defaults match every authenticator app: SHA-1, 6 digits, 30-second steps.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
import unicodedata
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30


def new_secret():
    """A random 160-bit key in unpadded base32, the form authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret):
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret, counter, digits=DIGITS):
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at=None):
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret, at=None):
    return hotp(secret, time_step(at))


def matching_step(secret, code, *, at=None, drift=1):
    """The time step whose code equals `code` (allowing `drift` steps either way), or None."""
    # NFKC turns full-width digits typed on some phone keyboards into ASCII ones.
    code = "".join(unicodedata.normalize("NFKC", code or "").split())
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    now = time_step(at)
    for step in range(now - drift, now + drift + 1):
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret, *, account, issuer):
    """The otpauth:// address an authenticator app reads (Key URI Format)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
