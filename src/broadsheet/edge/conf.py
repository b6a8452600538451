"""Settings of the shared cache tier, read here and nowhere else.

BROADSHEET_EDGE_S_MAXAGE                 seconds a shared cache (Varnish, a CDN) keeps a public
                                         page between purges (default 3600: purges do the work)
BROADSHEET_EDGE_MAX_AGE                  seconds a browser keeps it (default 0: asks again)
BROADSHEET_EDGE_STALE_WHILE_REVALIDATE   seconds a stale page may be served while it is fetched
                                         again (default 30)
BROADSHEET_EDGE_STALE_IF_ERROR           seconds a stale page may be served while the origin
                                         fails (default 86400)
BROADSHEET_EDGE_PURGERS                  shared caches told of each purge, a JSON list:
    [{"kind": "varnish", "url": "http://127.0.0.1:6081"},
     {"kind": "fastly", "service": "SERVICE_ID", "token": "API_TOKEN"},
     {"kind": "cloudflare", "zone": "ZONE_ID", "token": "API_TOKEN"}]
    each may also name "api" (the API's address) and "name"; default none.
BROADSHEET_EDGE_PURGE_TIMEOUT            seconds to wait for a purger's answer (default 2)
"""

from django.conf import settings


def _get(name, default):
    return getattr(settings, f"BROADSHEET_EDGE_{name}", default)


def s_maxage():
    return int(_get("S_MAXAGE", 3600))


def max_age():
    return int(_get("MAX_AGE", 0))


def stale_while_revalidate():
    return int(_get("STALE_WHILE_REVALIDATE", 30))


def stale_if_error():
    return int(_get("STALE_IF_ERROR", 86400))


def purgers():
    return list(_get("PURGERS", []) or [])


def purge_timeout():
    return float(_get("PURGE_TIMEOUT", 2))


# Paths never public, whatever they answer (signed-in or personal pages, forms' targets).
PRIVATE_PATHS = (
    "/admin/",
    "/accounts/",
    "/preview/",
    "/publish/",
    "/comments/",
    "/healthz",
    "/static/",
    "/media/",
)
# ...except these under them, the same for everyone.
PUBLIC_UNDER_PRIVATE = ("/comments/feed/",)
# ...and these exact paths (the form page of "Publish Your Article"; not what lies under it).
PUBLIC_PATHS = ("/publish/",)
