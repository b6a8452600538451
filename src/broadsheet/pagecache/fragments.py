"""Fragment cache: the parts of a page that are the same for every reader, rendered once.

When a page cannot come whole from the page cache (a signed-in editor, a commenter with a
cookie of their own, the first reader after a change), Django renders it. Most of that page
is the same for everyone: the story, its metadata, the related list, the comment thread, a
listing. Those parts are kept as HTML here and only the reader's own parts (the comment form
with its CSRF token, messages) are rendered for each request.

A fragment names the surrogate keys of what it shows (a story, a section's listing) and goes
stale exactly when a page declaring one of them does (see base.py); it is keyed on a
fingerprint of the code version and the BROADSHEET_* settings, so a deploy that changes either
never serves old HTML.
Each worker keeps recently used fragments in its own memory, in front of the shared cache
(the default cache: a file cache on one machine, Redis when REDIS_URL is set).

    html = fragments.cached(request, "related", article.pk, lambda: render_to_string(...),
                            keys=[surrogates.story(article.pk)])
"""

import copy
import hashlib
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import mark_safe

from broadsheet.core import surrogates

from . import conf, get_store, invalidation
from .base import MemoryLayer, slots_of
from .middleware import RETRY_AFTER, STORE_DOWN

logger = logging.getLogger(__name__)
_OFF = object()
_down_until = 0.0
_memory = None
_salt = None


class _Kept:
    """One fragment (or value) in a worker's memory: the counter read before it was built and
    the purge slots of its keys."""

    __slots__ = ("content", "generation", "slots", "size")

    def __init__(self, content, generation, slots, size):
        self.content = content
        self.generation = generation
        self.slots = slots
        self.size = size


def _slots(keys):
    return slots_of([*keys, surrogates.ALL])


def _current(found):
    try:
        return get_store().is_current(found.generation, found.slots)
    except Exception:
        return False


def memory():
    global _memory
    if _memory is None:
        _memory = MemoryLayer(conf.fragment_memory_bytes())
    return _memory


def reset():
    """Forget every fragment this worker keeps and any note that the store was down (tests)."""
    global _down_until
    _down_until = 0.0
    memory().clear()


def salt():
    """What besides content decides a fragment's HTML: the code and templates, the site settings.

    Every worker of one deployment computes the same value; a deploy that changes a template,
    a module or a BROADSHEET_* setting computes another, so old fragments are never read.
    """
    global _salt
    if _salt is None:
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.blake2b(digest_size=6)
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        names = sorted(n for n in dir(settings) if n.startswith("BROADSHEET_"))
        digest.update(repr([(n, getattr(settings, n)) for n in names]).encode())
        _salt = digest.hexdigest()
    return _salt


def generation(request):
    """The content generation this request sees (read once per request); None: cache nothing."""
    found = getattr(request, "_fragment_generation", None)
    if found is None:
        found = _read_generation(request) if conf.fragments_enabled() else _OFF
        request._fragment_generation = found
    return None if found is _OFF else found


def site_generation(request):
    """The generation a site-wide value (the sections, the look, the comment rules) is checked
    against: read even with the fragment cache off, since such values are precomputed state kept
    current by the same purges, not rendered HTML. None when the store is down or for previews."""
    if getattr(request, "_fragment_generation", None) is _OFF and conf.fragments_enabled():
        return None  # skip(): a preview or a personal page wants everything afresh
    found = getattr(request, "_site_generation", None)
    if found is None:
        found = request._site_generation = _read_generation(request)
    return None if found is _OFF else found


def _read_generation(request):
    global _down_until
    now = time.time()
    if now < _down_until or request.META.get(STORE_DOWN):
        return _OFF
    try:
        store = get_store()
        current, next_at = store.state()
        if time.time() >= next_at:  # a scheduled story is due: the same rollover as the page cache
            current, next_at = invalidation.roll_over(store)
            if time.time() >= next_at:
                return _OFF
        return current
    except Exception as error:  # a store that is down means rendering everything, not failing
        logger.warning("fragment cache: store unavailable (%s); rendering in full", type(error).__name__)
        _down_until = now + RETRY_AFTER
        return _OFF


def skip(request):
    """Render this request's fragments afresh and keep none (previews, personal pages)."""
    request._fragment_generation = _OFF


def cached(request, name, key, build, *, keys=()):
    """The HTML `build()` returns for (name, key), from memory or the shared cache when current.

    `keys` are the surrogate keys of what the fragment shows (the page showing it declares them
    too). When several requests of one worker want the same missing fragment at once (a story
    just published and shared everywhere), one builds it and the others wait for it.
    """
    current = generation(request)
    if current is None:
        return mark_safe(build())
    local_key = f"{name}:{key}"
    found = memory().get(local_key)
    if found is not None and _current(found):
        return mark_safe(found.content)
    with _single_flight(local_key) as built:
        if built is not None:
            return mark_safe(built)
        shared_key = f"frag:{salt()}:{name}:{key}"
        store = caches["default"]
        kept = None
        try:
            kept = store.get(shared_key)
        except Exception:
            logger.warning("fragment cache: could not read %s", name)
        if kept is not None:
            kept = _Kept(kept[2], kept[0], kept[1], 2 * len(kept[2]) + 100)
            if not _current(kept):
                kept = None
        if kept is None:
            slots = _slots(keys)
            html = str(build())
            kept = _Kept(html, current, slots, 2 * len(html) + 100)
            try:
                store.set(shared_key, (current, slots, html), conf.fragment_ttl())
            except Exception:
                logger.warning("fragment cache: could not store %s", name)
        memory().set(local_key, kept)
        return mark_safe(kept.content)


_building = {}
_building_lock = threading.Lock()
BUILD_WAIT = 5.0


@contextmanager
def _single_flight(local_key):
    """Yield None when this request should build the fragment, or the HTML another request of
    this worker built meanwhile (after waiting for it, at most BUILD_WAIT seconds)."""
    with _building_lock:
        busy = _building.get(local_key)
        if busy is None:
            _building[local_key] = done = threading.Event()
    if busy is not None:
        busy.wait(BUILD_WAIT)
        found = memory().get(local_key)
        if found is not None and _current(found):
            yield found.content
            return
        yield None  # it failed or took too long: build it here too
        return
    try:
        yield None
    finally:
        with _building_lock:
            _building.pop(local_key, None)
        done.set()


def keeps_site_values():
    """True when site-wide values are kept (a value asked to spare queries is worth reading)."""
    return conf.site_values_enabled() or conf.fragments_enabled()


def value(request, name, key, build, *, size=1000, keys=(), site=False):
    """Like cached(), for a small Python value (a list of sections) kept in this worker only.
    `keys` may be a function of the value (the story a slug found). A value is handed out as a
    copy, so a request that changes it (prefetching, say) never changes another thread's.
    `site`: a site-wide value that changes rarely (sections, look, rules), kept even when the
    fragment cache is off (BROADSHEET_FRAGMENTS), stale exactly when the same purges say so."""
    if site and conf.site_values_enabled():
        current = site_generation(request)
    else:
        current = generation(request)
    if current is None:
        return build()
    local_key = f"value:{name}:{key}"
    found = memory().get(local_key)
    if found is not None and _current(found):
        return copy.copy(found.content)
    result = build()
    named = keys(result) if callable(keys) else keys
    memory().set(local_key, _Kept(copy.copy(result), current, _slots(named), size))
    return result
