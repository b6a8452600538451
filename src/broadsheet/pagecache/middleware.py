"""The page cache as a WSGI wrapper around Django: a hit is answered before Django runs.

Only anonymous GET/HEAD requests are looked up: no session or other bypass cookie, no
Authorization header, not under an excluded path. A page is stored when Django answered 200
(or 301/404, for a shorter time) to a GET, in full (not streamed), with no cookie but the CSRF
one, no `Cache-Control: private/no-cache/no-store`, a text content type and no Vary beyond
Cookie and Accept-Encoding. `Vary: Cookie` is accepted on purpose: for a request without any
bypass cookie the only cookie that can change the page is the CSRF one, and each reader gets
a token of their own.
"""

import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.http import HttpResponse

from broadsheet.core import surrogates

from . import conf as conf_module
from . import csrf, entry, get_store, invalidation
from .base import MemoryLayer, slots_of

logger = logging.getLogger(__name__)
# After the store fails, answer without it for this long (a stopped Redis then costs one
# refused connection per second, not a timeout per request).
RETRY_AFTER = 1.0
STORE_DOWN = "broadsheet.pagecache.store_down"
# The store's purge counter as read before this request's render (the edge headers compare it).
COUNTER = "broadsheet.pagecache.counter"
# How long a request waits for another worker's render of the same page before rendering itself.
RENDER_WAIT = 5.0

_CACHEABLE_TYPES = {
    "application/json",
    "application/xml",
    "application/javascript",
}
_NOT_MODIFIED_HEADERS = {"cache-control", "vary", "last-modified", "expires", "content-location"}


def wrap(app):
    """`app` wrapped in the page cache, or `app` itself when BROADSHEET_PAGECACHE is off."""
    settings_now = conf_module.load()
    return PageCache(app, conf=settings_now) if settings_now.enabled else app


class PageCache:
    def __init__(self, app, *, store=None, conf=None):
        self.app = app
        self.conf = conf or conf_module.load()
        self._store = store
        self.memory = MemoryLayer(self.conf.memory_bytes)
        self.csrf_cookie_name = csrf.cookie_name()
        self.csrf_in_cookie = csrf.uses_cookie()
        self._store_down_until = 0.0
        self._hosts = {}

    @property
    def store(self):
        if self._store is None:
            self._store = get_store()
        return self._store

    # --- the request ------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            return self.pass_through(environ, start_response, "BYPASS")
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.conf.excluded_paths) or "HTTP_AUTHORIZATION" in environ:
            return self.pass_through(environ, start_response, "BYPASS")
        secret = None
        may_store = True
        cookies = environ.get("HTTP_COOKIE")
        if cookies:
            bypass, csrf_value, may_store = self.read_cookies(cookies)
            if bypass:
                return self.pass_through(environ, start_response, "BYPASS")
            secret = csrf.secret_from_cookie(csrf_value)

        host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
        if not self.known_host(host):
            return self.pass_through(environ, start_response, "BYPASS")  # Django answers 400
        query = environ.get("QUERY_STRING", "")
        if query:
            # Django renders what the key names: tracking parameters gone, the rest sorted.
            query = environ["QUERY_STRING"] = normal_query(query)
        # repr() of the parts: no two requests share a key (a "|" or "?" inside the decoded path
        # cannot pass for the boundary between path and query).
        key = repr(
            (
                environ.get("wsgi.url_scheme", ""),
                environ.get("HTTP_X_FORWARDED_PROTO", ""),
                host,
                environ.get("SCRIPT_NAME", ""),
                path,
                query,
            )
        )
        now = time.time()
        if now < self._store_down_until:
            environ[STORE_DOWN] = True  # the fragment cache does not ask it either
            return self.pass_through(environ, start_response, "BYPASS")
        try:
            store = self.store
            generation, next_at = store.state()
            if now >= next_at:
                generation, next_at = self.roll_over()
                if now >= next_at:
                    return self.pass_through(environ, start_response, "MISS")
            found = self.memory.get(key)
            if found is None or now >= found.expires or not store.is_current(found.generation, found.slots):
                found = self.store.get(shared_key(key))
                if found is not None and store.is_current(found.generation, found.slots):
                    self.memory.set(key, found)
                else:
                    found = None
        except Exception as error:
            logger.warning("page cache: store unavailable (%s); answering without it", type(error).__name__)
            self._store_down_until = now + RETRY_AFTER
            environ[STORE_DOWN] = True
            return self.pass_through(environ, start_response, "BYPASS")
        if found is not None and now < found.expires:
            return self.serve(found, "HIT", environ, start_response, secret)
        if method == "HEAD" or not may_store:
            # A render for a request with an unknown cookie might be personal: serve it, keep it not.
            return self.pass_through(environ, start_response, "MISS")
        if not self.claim_render(key):
            # Another worker (or thread) is rendering this page: wait for its copy.
            found = self.wait_for_render(key, store)
            if found is not None:
                return self.serve(found, "HIT", environ, start_response, secret)
        environ[COUNTER] = generation
        try:
            return self.render_and_store(environ, start_response, key, generation, now)
        finally:
            self.release_render(key)

    # --- one render per page across workers (a purged hot page is rendered once) ---------------

    def claim_render(self, key):
        try:
            return self.store.claim(shared_key(key), RENDER_WAIT)
        except Exception:
            return True

    def release_render(self, key):
        try:
            self.store.release(shared_key(key))
        except Exception:
            pass

    def wait_for_render(self, key, store):
        deadline = time.monotonic() + RENDER_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.01)
            try:
                found = store.get(shared_key(key))
            except Exception:
                return None
            if found is not None and time.time() < found.expires and store.is_current(found.generation, found.slots):
                self.memory.set(key, found)
                return found
        return None  # it failed or took too long: render here too

    def known_host(self, host):
        """Is `host` one Django serves (ALLOWED_HOSTS)? Others are never looked up or stored."""
        known = self._hosts.get(host)
        if known is None:
            from django.conf import settings
            from django.http.request import split_domain_port, validate_host

            domain, _port = split_domain_port(host)
            allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
            known = bool(domain) and validate_host(domain, allowed)
            if len(self._hosts) < 1000:
                self._hosts[host] = known
        return known

    def read_cookies(self, header):
        """(bypass?, CSRF cookie value, may a render for this request be stored?) from a Cookie header."""
        csrf_value, may_store = None, True
        conf = self.conf
        for part in header.split(";"):
            name, _, value = part.partition("=")
            name = name.strip()
            if name in conf.harmless_cookies:
                continue
            if name in conf.bypass_cookies or name.startswith(conf.bypass_cookie_prefixes):
                return True, None, False
            if name == self.csrf_cookie_name:
                csrf_value = value.strip().strip('"')
            elif name:
                may_store = False
        return False, csrf_value, may_store

    def roll_over(self):
        """The next scheduled story is due: one process refreshes the state, the others wait."""
        return invalidation.roll_over(self.store)

    def pass_through(self, environ, start_response, label):
        def start(status, headers, exc_info=None):
            headers = [*headers, ("X-Cache", label)]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, start)

    # --- a miss -----------------------------------------------------------------------------

    def render_and_store(self, environ, start_response, key, generation, now):
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return _no_write

        result = self.app(environ, capture)
        status, headers = captured
        ttl, csrf_cookie = self.storable_for(status, headers, result)
        if not ttl:
            start_response(status, [*headers, ("X-Cache", "MISS")])
            return result
        body = result.content
        result.close()
        secret = environ.get("CSRF_COOKIE") if csrf_cookie else None
        page = entry.build(
            status,
            headers,
            body,
            secret=secret,
            sets_csrf_cookie=csrf_cookie is not None,
            generation=generation,
            now=now,
            expires=now + ttl,
            browser_max_age=self.conf.browser_max_age,
            slots=slots_of(surrogate_keys(headers)),
        )
        try:
            self.store.set(shared_key(key), page, ttl)
            self.memory.set(key, page)
        except Exception:
            logger.exception("page cache: could not store a page")
        return self.serve(page, "MISS", environ, start_response, secret, set_cookie=csrf_cookie)

    def storable_for(self, status, headers, result):
        """(seconds to keep, CSRF Set-Cookie value or None); 0 seconds means do not store."""
        if not isinstance(result, HttpResponse):
            return 0, None
        code = status[:3]
        ttl = self.conf.ttl if code == "200" else self.conf.short_ttl if code in ("301", "404") else 0
        if not ttl or len(result.content) > self.conf.max_body_bytes:
            return 0, None
        csrf_cookie, typed = None, False
        for name, value in headers:
            name = name.lower()
            if name == "set-cookie":
                value = value.strip()
                if not self.csrf_in_cookie or value.split("=", 1)[0] != self.csrf_cookie_name:
                    return 0, None
                csrf_cookie = value
            elif name == "cache-control":
                # For a shared cache s-maxage wins over max-age (a browser may be told to ask
                # again every time while the shared copy is kept).
                ages = {}
                for directive in value.lower().split(","):
                    word, _, amount = directive.strip().partition("=")
                    if word in ("private", "no-store", "no-cache"):
                        return 0, None
                    ages[word] = amount.strip()
                if ages.get("s-maxage", ages.get("max-age")) == "0":
                    return 0, None
            elif name == "content-type":
                kind = value.split(";", 1)[0].strip().lower()
                typed = (
                    kind.startswith("text/")
                    or kind in _CACHEABLE_TYPES
                    or kind.endswith("+xml")
                    or kind.endswith("+json")
                )
                if not typed:
                    return 0, None
            elif name == "content-encoding":
                return 0, None
            elif name == "vary":
                if any(v.strip().lower() not in ("cookie", "accept-encoding") for v in value.split(",")):
                    return 0, None
        return (ttl if typed else 0), csrf_cookie

    # --- an answer from the cache ---------------------------------------------------------------

    def serve(self, page, label, environ, start_response, secret, *, set_cookie=None):
        wants_gzip = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
        token = None
        extra = []
        if page.has_tokens or page.sets_csrf_cookie:
            if secret is None:
                secret = csrf.new_secret()
                set_cookie = csrf.cookie_header(secret)
            if set_cookie:
                extra.append(("Set-Cookie", set_cookie))
        if page.has_tokens:
            # Each reader has their own token, so the validator names their secret too.
            etag = f'W/{page.etag[:-1]}-{hashlib.blake2b(secret.encode(), digest_size=4).hexdigest()}"'
            if not set_cookie and self.not_modified(page, environ, etag, dates=False):
                return self.answer_not_modified(page, etag, label, start_response)
            token = csrf.mask(secret)
            headers, body = page.answer(label, token=token, accepts_gzip=wants_gzip)
            headers.append(("ETag", etag))
        else:
            if self.not_modified(page, environ, page.etag, dates=True):
                return self.answer_not_modified(page, "W/" + page.etag, label, start_response)
            headers, body = page.answer(label, accepts_gzip=wants_gzip)
        if extra:
            headers.extend(extra)
        if label == "HIT":
            headers.append(("Age", age_of(page)))
        start_response(page.status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [body]

    def not_modified(self, page, environ, etag, *, dates):
        if page.status[:3] != "200":
            return False
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            opaque = etag[2:] if etag.startswith("W/") else etag
            return if_none_match.strip() == "*" or opaque in if_none_match
        if dates:
            since = environ.get("HTTP_IF_MODIFIED_SINCE")
            if since:
                from django.utils.http import parse_http_date_safe

                when = parse_http_date_safe(since)
                return when is not None and page.last_modified <= when
        return False

    def answer_not_modified(self, page, etag, label, start_response):
        headers = [(n, v) for n, v in page.headers if n.lower() in _NOT_MODIFIED_HEADERS]
        headers += [("ETag", etag), ("X-Cache", label)]
        if label == "HIT":
            headers.append(("Age", age_of(page)))
        start_response("304 Not Modified", headers)
        return [b""]


def age_of(page):
    """Seconds since `page` was rendered (RFC 9111's Age, which a cache sends with a stored answer):
    a shared cache in front counts its s-maxage from then, not from when it asked."""
    return str(max(0, int(time.time() - page.last_modified)))


def surrogate_keys(headers):
    """The keys a page declared in its Surrogate-Key header; a page without one shows anything."""
    for name, value in headers:
        if name.lower() == "surrogate-key":
            return value.split()
    return [surrogates.ANY, surrogates.ALL]


# Added by mail programs and social sites; they never change a page.
TRACKING_PREFIXES = ("utm_", "mc_", "_ga", "_gl", "pk_", "mtm_")
TRACKING_NAMES = frozenset({"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ref_src"})


def normal_query(query):
    """The query string with tracking parameters removed and the others sorted."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = sorted(
        (name, value)
        for name, value in pairs
        if name not in TRACKING_NAMES and not name.startswith(TRACKING_PREFIXES)
    )
    return urlencode(kept)


def shared_key(key):
    return hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def accepts_gzip(header):
    if not header or "gzip" not in header:
        return False
    for item in header.split(","):
        coding, _, params = item.partition(";")
        if coding.strip().lower() == "gzip":
            params = params.replace(" ", "")
            return not (params.startswith("q=0") and params.strip("q=0.") == "")
    return False


def _no_write(data):
    raise RuntimeError("the page cache does not support the WSGI write() callable")
