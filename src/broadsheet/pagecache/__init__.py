"""Page cache: anonymous GET pages answered from a shared store before Django runs.

The WSGI wrapper lives in `middleware.py`; `get_store()` picks the shared store the settings
name (Redis when the default cache is Redis, else a memory-mapped state file plus the default
cache).
"""

from django.utils.module_loading import import_string

_stores: dict = {}


def get_store():
    """The shared page store the settings choose now, created once per process for each store
    class and cache it lives in (one kept from an earlier setting, e.g. a test's stopped Redis,
    must not outlive that setting)."""
    from django.conf import settings

    from . import conf

    path = conf.backend_path()
    cache = settings.CACHES["default"]
    key = (path, str(cache.get("LOCATION", "")), cache.get("KEY_PREFIX", ""))
    store = _stores.get(key)
    if store is None:
        store = _stores.setdefault(key, import_string(path)())
    return store


def invalidate():
    """Make every cached page and fragment stale now."""
    from .invalidation import invalidate as _invalidate

    _invalidate()


def purge(keys):
    """Make the cached pages and fragments that declared any of these surrogate keys stale now."""
    from .invalidation import purge as _purge

    _purge(keys)
