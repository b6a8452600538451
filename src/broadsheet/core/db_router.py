"""Send read-only queries to a replica when DATABASE_REPLICA_URL is set; writes go to the primary.

Inside a transaction (and after a write in the same request) reads stay on the primary so a
reader never misses what they just wrote: see `pin_to_primary`.
"""

import threading

from django.db import transaction

_state = threading.local()


def pin_to_primary():
    _state.pinned = True


def unpin():
    _state.pinned = False


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "pinned", False) or not transaction.get_autocommit("default"):
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinPrimaryAfterWriteMiddleware:
    """Each request starts reading from the replica; a write pins the rest of it to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unpin()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            pin_to_primary()
        try:
            return self.get_response(request)
        finally:
            unpin()
