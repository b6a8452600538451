"""Page cache: anonymous GET pages answered from a shared store before Django runs.

The WSGI wrapper lives in `middleware.py`; `get_store()` picks the shared store the settings
name (Redis when the default cache is Redis, else a memory-mapped state file plus the default
cache).
"""

from django.utils.module_loading import import_string

_stores: dict = {}


def get_store():
    """The shared page store the settings choose now, created once per process and backend (a
    store kept from an earlier setting, e.g. a test's Redis, must not outlive it)."""
    from . import conf

    path = conf.backend_path()
    store = _stores.get(path)
    if store is None:
        store = _stores.setdefault(path, import_string(path)())
    return store


def invalidate():
    """Make every cached page and fragment stale now."""
    from .invalidation import invalidate as _invalidate

    _invalidate()


def purge(keys):
    """Make the cached pages and fragments that declared any of these surrogate keys stale now."""
    from .invalidation import purge as _purge

    _purge(keys)
