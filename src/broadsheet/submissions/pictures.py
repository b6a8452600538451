"""Pictures held between a preview (or a refused send) and the final send, so nobody uploads twice.

The form verifies and re-encodes an upload at once, keeps the clean copy under HELD_DIR and puts
a signed reference to it in a hidden field; only a reference we signed can be used. Held
pictures are bounded per client and in total, and the task worker removes those nobody came
back for (a periodic job, core.periodic).
"""

import os
import secrets
import time

from django.core import signing
from django.core.files.storage import default_storage

from broadsheet.core.antispam import hit_rate_limit

from . import conf

HELD_DIR = "submissions/held"
SALT = "submissions.held-picture"


class CannotHold(Exception):
    """This picture cannot be kept for a later send now (too many from this client, or the
    space for held pictures is full)."""


def _held_files():
    try:
        _dirs, files = default_storage.listdir(HELD_DIR)
    except (OSError, NotImplementedError):
        return []
    return [f"{HELD_DIR}/{filename}" for filename in files]


def held_bytes():
    total = 0
    for name in _held_files():
        try:
            total += default_storage.size(name)
        except (OSError, NotImplementedError):
            continue
    return total


def hold(clean_upload, *, client):
    """Store a verified picture; return the signed reference for the form. Raises CannotHold."""
    limit, window = conf.held_per_client()
    if hit_rate_limit("submissions-held", client, limit=limit, window=window):
        raise CannotHold("too many pictures from this client")
    if held_bytes() + clean_upload.size > conf.held_total_bytes():
        purge_stale_held()
        if held_bytes() + clean_upload.size > conf.held_total_bytes():
            raise CannotHold("no room for held pictures")
    _stem, ext = os.path.splitext(clean_upload.name)
    name = default_storage.save(f"{HELD_DIR}/{secrets.token_urlsafe(12)}{ext.lower()}", clean_upload)
    return signing.dumps(name, salt=SALT)


def held_name(reference):
    """The stored name behind a signed reference, or None if it is not ours, too old or gone."""
    if not reference:
        return None
    try:
        name = signing.loads(reference, salt=SALT, max_age=conf.held_picture_seconds())
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
    max_age = conf.held_picture_seconds() if max_age is None else max_age
    removed = 0
    cutoff = time.time() - max_age
    for name in _held_files():
        try:
            if default_storage.get_modified_time(name).timestamp() < cutoff:
                default_storage.delete(name)
                removed += 1
        except (OSError, NotImplementedError):
            continue
    return removed
