"""Pictures held between a preview (or a refused send) and the final send, so nobody uploads twice.

The form verifies and re-encodes an upload at once, keeps the clean copy under HELD_DIR and puts
a signed reference to it in a hidden field; only a reference we signed can be used.
"""

import os
import secrets
import time

from django.core import signing
from django.core.files.storage import default_storage

from . import conf

HELD_DIR = "submissions/held"
SALT = "submissions.held-picture"


def hold(clean_upload):
    """Store a verified picture; return the signed reference for the form."""
    _stem, ext = os.path.splitext(clean_upload.name)
    name = default_storage.save(f"{HELD_DIR}/{secrets.token_urlsafe(12)}{ext.lower()}", clean_upload)
    return signing.dumps(name, salt=SALT)


def held_name(reference):
    """The stored name behind a signed reference, or None if it is not ours, too old or gone."""
    if not reference:
        return None
    try:
        name = signing.loads(reference, salt=SALT, max_age=conf.HELD_PICTURE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(name, str) or not name.startswith(HELD_DIR + "/") or ".." in name:
        return None
    return name if default_storage.exists(name) else None


def read_held(name):
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def discard_held(name):
    try:
        default_storage.delete(name)
    except OSError:
        pass


def purge_stale_held(max_age=None):
    """Remove held pictures nobody came back for."""
    max_age = conf.HELD_PICTURE_SECONDS if max_age is None else max_age
    try:
        _dirs, files = default_storage.listdir(HELD_DIR)
    except (OSError, NotImplementedError):
        return 0
    removed = 0
    cutoff = time.time() - max_age
    for filename in files:
        name = f"{HELD_DIR}/{filename}"
        try:
            if default_storage.get_modified_time(name).timestamp() < cutoff:
                default_storage.delete(name)
                removed += 1
        except (OSError, NotImplementedError):
            continue
    return removed
