"""Full-text search of published stories behind one interface (SQLite FTS5, PostgreSQL)."""

import functools


def get_backend():
    """The search backend for this site: a setting, else the database vendor's (read per call,
    like every setting; one instance per process and backend)."""
    from django.db import connection

    from . import conf

    path = conf.backend_path() or conf.BACKENDS_BY_VENDOR.get(connection.vendor)
    if not path:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"No search backend for the {connection.vendor} database; set BROADSHEET_SEARCH_BACKEND."
        )
    return _backend(path)


@functools.cache
def _backend(dotted_path):
    from django.utils.module_loading import import_string

    return import_string(dotted_path)()
