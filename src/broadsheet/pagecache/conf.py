"""Page-cache settings, read here and nowhere else.

BROADSHEET_PAGECACHE                 on/off for the WSGI wrapper (default on)
BROADSHEET_PAGECACHE_TTL             seconds a 200 page is kept at most (default 300)
BROADSHEET_PAGECACHE_SHORT_TTL       seconds a 301 or 404 is kept at most (default 60)
BROADSHEET_PAGECACHE_BYPASS_COOKIES  cookie names that mean "this reader may see a page of
                                     their own" (default: the session and messages cookies);
                                     any cookie whose name starts with a prefix in
                                     BROADSHEET_PAGECACHE_BYPASS_COOKIE_PREFIXES (default "bs_",
                                     so Broadsheet's own cookies and "bs_nocache...") also bypasses
BROADSHEET_PAGECACHE_HARMLESS_COOKIES cookies that never change a page: a render for a request
                                     carrying any other cookie (but CSRF's) is served, not stored
                                     (default: those the apps name through the harmless_cookies hook)
BROADSHEET_PAGECACHE_EXCLUDED_PATHS  path prefixes never cached
BROADSHEET_PAGECACHE_MEMORY          bytes of pages each worker keeps in its own memory
BROADSHEET_PAGECACHE_REDIS_STATE_SECONDS  with Redis, how long a worker may reuse the state it
                                     read (default 0: read it on every request)
BROADSHEET_PAGECACHE_REDIS_WATCH     with Redis, keep the state up to date through a subscription
                                     instead of reading it on every request (default on)
BROADSHEET_PAGECACHE_BACKEND         dotted path of the store class (default: chosen from CACHES)
BROADSHEET_FRAGMENTS                 on/off for the fragment cache Django renders pages with
                                     (default on; see fragments.py)
BROADSHEET_FRAGMENTS_MEMORY          bytes of fragments each worker keeps in its own memory
"""

from dataclasses import dataclass

from django.conf import settings

from broadsheet.core import hooks

HARMLESS_COOKIES = hooks.define(
    "harmless_cookies",
    "cookie_names() -> names of an app's cookies that change nothing in a page (what they carry "
    "reaches the page through JavaScript), so a page rendered for a request with them may be kept.",
)


@dataclass(frozen=True)
class PageCacheConf:
    enabled: bool
    ttl: int
    short_ttl: int
    bypass_cookies: frozenset
    bypass_cookie_prefixes: tuple
    harmless_cookies: frozenset
    excluded_paths: tuple
    memory_bytes: int
    max_body_bytes: int
    browser_max_age: int


def load():
    """The settings as they are now (tests override settings, then build a new wrapper)."""
    return PageCacheConf(
        enabled=bool(getattr(settings, "BROADSHEET_PAGECACHE", True)),
        ttl=int(getattr(settings, "BROADSHEET_PAGECACHE_TTL", 300)),
        short_ttl=int(getattr(settings, "BROADSHEET_PAGECACHE_SHORT_TTL", 60)),
        bypass_cookies=frozenset(
            getattr(
                settings, "BROADSHEET_PAGECACHE_BYPASS_COOKIES", [settings.SESSION_COOKIE_NAME, "messages"]
            )
        ),
        bypass_cookie_prefixes=tuple(
            getattr(settings, "BROADSHEET_PAGECACHE_BYPASS_COOKIE_PREFIXES", ["bs_"])
        ),
        harmless_cookies=frozenset(harmless_cookies()),
        excluded_paths=tuple(
            getattr(
                settings,
                "BROADSHEET_PAGECACHE_EXCLUDED_PATHS",
                [
                    "/admin/",
                    "/accounts/",
                    "/preview/",
                    "/publish/status/",
                    "/healthz",
                    "/comments/held/",
                    "/comments/state/",
                    "/static/",
                    "/media/",
                ],
            )
        ),
        memory_bytes=int(getattr(settings, "BROADSHEET_PAGECACHE_MEMORY", 32 * 1024 * 1024)),
        max_body_bytes=int(getattr(settings, "BROADSHEET_PAGECACHE_MAX_BODY", 2 * 1024 * 1024)),
        browser_max_age=int(getattr(settings, "BROADSHEET_PAGECACHE_BROWSER_MAX_AGE", 0)),
    )


def fragments_enabled():
    return bool(getattr(settings, "BROADSHEET_FRAGMENTS", True))


def site_values_enabled():
    """Keep site-wide values (sections, look, comment rules) per worker, even with fragments off."""
    return bool(getattr(settings, "BROADSHEET_SITE_VALUES", True))


def fragment_memory_bytes():
    return int(getattr(settings, "BROADSHEET_FRAGMENTS_MEMORY", 32 * 1024 * 1024))


def fragment_ttl():
    return int(getattr(settings, "BROADSHEET_PAGECACHE_TTL", 300))


def harmless_cookies():
    configured = getattr(settings, "BROADSHEET_PAGECACHE_HARMLESS_COOKIES", None)
    if configured is not None:
        return list(configured)
    return [name for cookie_names in hooks.get_hooks(HARMLESS_COOKIES) for name in cookie_names()]


def backend_path():
    configured = getattr(settings, "BROADSHEET_PAGECACHE_BACKEND", None)
    if configured:
        return configured
    if uses_redis():
        return "broadsheet.pagecache.redis.RedisStore"
    return "broadsheet.pagecache.local.LocalStore"


def redis_watch():
    return bool(getattr(settings, "BROADSHEET_PAGECACHE_REDIS_WATCH", True))


def redis_state_seconds():
    return float(getattr(settings, "BROADSHEET_PAGECACHE_REDIS_STATE_SECONDS", 0))


def uses_redis(alias="default"):
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    return issubclass(import_string(settings.CACHES[alias]["BACKEND"]), RedisCache)


def state_path():
    # One file per cache prefix: processes sharing a cache share the purge marks, others (test
    # runs side by side) do not disturb each other.
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "") or "default"
    return settings.DATA_DIR / f"pagecache-{prefix}.keys"
