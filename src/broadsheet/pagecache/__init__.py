"""Page cache: anonymous GET pages answered from a shared store before Django runs.

The WSGI wrapper lives in `middleware.py`; `get_store()` picks the shared store once
(Redis when the default cache is Redis, else a memory-mapped state file plus the default cache).
"""

from django.utils.module_loading import import_string

_store = None


def get_store():
    """The shared page store chosen by settings, created once per process."""
    global _store
    if _store is None:
        from . import conf

        _store = import_string(conf.backend_path())()
    return _store


def invalidate():
    """Make every cached page and fragment stale now."""
    from .invalidation import invalidate as _invalidate

    _invalidate()


def purge(keys):
    """Make the cached pages and fragments that declared any of these surrogate keys stale now."""
    from .invalidation import purge as _purge

    _purge(keys)
