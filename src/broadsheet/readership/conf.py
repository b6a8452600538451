"""Readership settings, read here and nowhere else.

BROADSHEET_READERSHIP_COUNTER      dotted path of the counter backend (default: Redis when the
                                   default cache is Redis, else an append-only spool file)
BROADSHEET_READERSHIP_FLUSH_SECONDS  how often the worker moves counts to the database (60)
BROADSHEET_READERSHIP_CLIENT_LIMIT   reads one client may count per minute before it looks
                                   like a robot and is ignored (30)
BROADSHEET_READERSHIP_HOURS        the window "Most read" covers (24)
"""

from django.conf import settings


def _get(name, default):
    return getattr(settings, f"BROADSHEET_READERSHIP_{name}", default)


def counter_path():
    configured = _get("COUNTER", None)
    if configured:
        return configured
    from broadsheet.pagecache.conf import uses_redis

    return "broadsheet.readership.counters.redis.RedisCounter" if uses_redis() else "broadsheet.readership.counters.spool.SpoolCounter"


def flush_seconds():
    return int(_get("FLUSH_SECONDS", 60))


def client_limit():
    return int(_get("CLIENT_LIMIT", 30))


def window_hours():
    return int(_get("HOURS", 24))


def spool_dir():
    return settings.DATA_DIR / "readership"


def cache_prefix():
    return settings.CACHE_KEY_PREFIX
