"""Full-text search of published stories behind one interface (SQLite FTS5, PostgreSQL)."""

import functools


@functools.cache
def get_backend():
    """The search backend for this site, chosen once: a setting, else the database vendor."""
    from django.db import connection
    from django.utils.module_loading import import_string

    from . import conf

    path = conf.backend_path() or conf.BACKENDS_BY_VENDOR.get(connection.vendor)
    if not path:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"No search backend for the {connection.vendor} database; set BROADSHEET_SEARCH_BACKEND."
        )
    return import_string(path)()
