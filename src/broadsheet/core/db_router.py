"""Send read-only queries to a replica when DATABASE_REPLICA_URL is set; writes go to the primary.

Inside a transaction, and for the rest of a request once it has changed a row, reads stay on the
primary. A request that changed a row also gives the reader a short-lived cookie, so their next
requests (the page a form redirects to, on whichever app server) read from the primary too
while the replica catches up: a reader never misses what they just wrote. See
`PinPrimaryAfterWriteMiddleware`.
"""

import threading

from django.conf import settings
from django.db import connections, transaction

_state = threading.local()

# "bs_" cookies also make the page cache pass the request to Django (pagecache/conf.py), so a
# reader who just wrote gets a page read from the primary, not one rendered from the replica.
PIN_COOKIE = "bs_read_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CHANGES = ("INSERT", "UPDATE", "DELETE", "MERGE")


def pin_seconds():
    """How long a reader reads from the primary after writing: longer than the replica's lag."""
    return int(getattr(settings, "BROADSHEET_REPLICA_PIN_SECONDS", 10))


def pin_to_primary():
    _state.pinned = True


def unpin():
    _state.pinned = False
    _state.wrote = False
    _state.watching = False


def has_written():
    """True once this request has changed a row on the primary."""
    return getattr(_state, "wrote", False)


def _note_changes(execute, sql, params, many, context):
    # Asking the router for the primary is not a change: get_or_create() asks it even when the
    # row is there, as loading the comment rules does on a plain page view. A statement that
    # changes rows is one, whether the ORM or raw SQL sent it.
    if str(sql).lstrip()[:6].upper().startswith(CHANGES):
        _state.wrote = True
        _state.pinned = True
    return execute(sql, params, many, context)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "pinned", False) or not transaction.get_autocommit("default"):
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        if not getattr(_state, "watching", False):
            # Outside a request (the task worker, a command) nothing watches the statements:
            # whatever follows reads from the primary.
            pin_to_primary()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinPrimaryAfterWriteMiddleware:
    """Each request reads from the replica unless it may write (not GET/HEAD/OPTIONS), it has
    changed a row, or its reader changed one in the last `pin_seconds()` (the cookie this
    middleware sets)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unpin()
        if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
            pin_to_primary()
        _state.watching = True
        try:
            with connections["default"].execute_wrapper(_note_changes):
                response = self.get_response(request)
            if has_written():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=pin_seconds(),
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            unpin()
