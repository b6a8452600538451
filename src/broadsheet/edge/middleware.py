"""Cache headers for a shared cache in front (Varnish, a CDN) and for the built-in page cache.

An anonymous answer that is the same for every reader gets `Cache-Control: public` with
s-maxage, stale-while-revalidate and stale-if-error, and names what it shows in `Surrogate-Key`
(Varnish's xkey, Fastly) and `Cache-Tag` (Cloudflare). Anything else (a signed-in reader, a page
that set a cookie or used a CSRF token, a form) is left as Django made it, never `public`: the
shipped VCL keeps public answers only (the built-in page cache may still keep a page with a CSRF
token, cut around it). Placed first in MIDDLEWARE so that it sees the answer as it leaves Django.
"""

import math
import time

from django.conf import settings
from django.utils.cache import patch_cache_control

from broadsheet.core import surrogates
from broadsheet.pagecache.base import FOREVER
from broadsheet.pagecache.middleware import COUNTER, STORE_DOWN

from . import conf

PUBLIC_STATUSES = {200, 203, 301, 404, 410}
# The Unix time a page stops being current (a scheduled story appears), for the shipped VCL.
UNTIL = "X-Broadsheet-Until"


class SharedCacheHeaders:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        began = purge_counter(request)
        response = self.get_response(request)
        if self.is_public(request, response):
            self.make_public(request, response, began)
        return response

    def is_public(self, request, response):
        if response.status_code not in PUBLIC_STATUSES or response.cookies or response.streaming:
            return False
        path = request.path_info
        if (
            path.startswith(conf.PRIVATE_PATHS)
            and not path.startswith(conf.PUBLIC_UNDER_PRIVATE)
            and path not in conf.PUBLIC_PATHS
        ):
            return False
        if self.session_cookie in request.COOKIES or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        if request.META.get("CSRF_COOKIE_USED"):  # the page holds a CSRF token of this reader's
            return False
        control = response.get("Cache-Control", "").lower()
        return not any(word in control for word in ("private", "no-store", "no-cache"))

    def make_public(self, request, response, began=None):
        keys = surrogates.page_keys(request, response.status_code)
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
        if "max-age" in response.get("Cache-Control", "").lower():
            # The view chose its own lifetimes (a live page's poll, seconds long): keep them.
            patch_cache_control(response, public=True, stale_if_error=conf.stale_if_error())
        else:
            shared = conf.s_maxage()
            due = None if request.META.get(STORE_DOWN) else next_scheduled_story_at()
            if began is not None and purged_since(keys, began):
                # Something this page shows changed while it was being rendered: the purge may
                # have reached the shared cache before this page does, which would then keep the
                # page from before the change for s-maxage. So no shared cache keeps it: the
                # shipped VCL sends the next reader to one fresh render.
                shared, due = 0, time.time()
                response[UNTIL] = f"{due:.3f}"
            elif due is not None and due - time.time() < shared:
                # Kept until the next scheduled story appears, and no longer: whole seconds
                # rounded up for any shared cache, the moment itself for the shipped VCL (which
                # also never serves the page stale past it).
                shared = max(1, math.ceil(due - time.time()))
                response[UNTIL] = f"{due:.3f}"
            patch_cache_control(
                response,
                public=True,
                max_age=conf.max_age(),
                s_maxage=shared,
                stale_while_revalidate=conf.stale_while_revalidate(),
                stale_if_error=conf.stale_if_error(),
            )
        # Nothing in the page depends on a cookie, so a shared cache keeps one copy for all.
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        kept = [v for v in vary if v.lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        elif "Vary" in response:
            del response["Vary"]


def purge_counter(request):
    """The built-in store's purge counter as a render begins (None when the store is down): the
    one the page cache read before this render, or read now."""
    if request.META.get(STORE_DOWN):
        return None
    if COUNTER in request.META:
        return request.META[COUNTER]
    from broadsheet.pagecache import get_store

    try:
        counter, _next_at = get_store().state()
    except Exception:
        return None
    return counter


def purged_since(keys, counter):
    """True when one of `keys` was purged after the store's counter read `counter` (or the store
    cannot say: then the page is treated as fresh, as before)."""
    from broadsheet.pagecache import get_store
    from broadsheet.pagecache.base import slots_of

    try:
        return not get_store().is_current(counter, slots_of(keys))
    except Exception:
        return False


def next_scheduled_story_at():
    """Unix time the next scheduled story appears (a shared cache keeps no page past it), or
    None when none is waiting or the store cannot say."""
    from broadsheet.pagecache import get_store

    try:
        _counter, next_at = get_store().state()
    except Exception:
        return None
    return next_at if next_at and next_at < FOREVER else None
