"""Sending queued purges to the shared caches, off the request that made the change.

`queue(keys)` writes the keys to the purge queue (one statement, after commit) and wakes this
process's sender thread, which sends them at once, batched per purger. A purger that is down or
slow leaves its keys queued: the sender tries again with a growing pause (at most a minute; a new
change ends the pause, and its keys, due at once, are sent then), and
the task worker does the same (`drain_purges`), so the queue drains when the purger is back even
if this process has gone. A process that ends (a command, a script) first lets its sender finish
what it was sending, for at most the purge timeout; and the worker is asked to look at the queue
a few seconds after each change, in case this process is stopped before it could send.
"""

import atexit
import logging
import threading
import time

from django.db import connections
from django.db.models import F

from .models import PendingPurge
from .purgers import get_purgers
from .purgers.base import PurgeFailed

logger = logging.getLogger(__name__)
BATCH = 500
MAX_PAUSE = 60.0
FALLBACK_AFTER = 5.0  # seconds: when the worker looks at the queue after a change, in any case


def queue(keys):
    purgers = get_purgers()
    if not purgers:
        return
    now = time.time()
    rows = [PendingPurge(purger=name, key=key[:200], queued_at=now) for name in purgers for key in keys]
    try:
        PendingPurge.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["purger", "key"],
            update_fields=["queued_at", "not_before"],
        )
    except Exception:
        logger.exception("edge: could not queue %d purges", len(rows))
        return
    kick()
    _ask_the_worker(FALLBACK_AFTER)


def drain():
    """Send every due key to its purger; return (sent, seconds until the next retry or None)."""
    purgers = get_purgers()
    sent, wait = 0, None
    PendingPurge.objects.exclude(purger__in=list(purgers)).delete()
    for name, purger in purgers.items():
        while True:
            started = time.time()
            rows = list(
                PendingPurge.objects.filter(purger=name, not_before__lte=started)
                .order_by("queued_at")
                .values_list("id", "key", "attempts")[:BATCH]
            )
            if not rows:
                break
            ids = [row[0] for row in rows]
            try:
                purger.purge([row[1] for row in rows])
            except PurgeFailed as error:
                pause = retry_pause(max(row[2] for row in rows))
                logger.warning("edge: purge failed (%s); %d keys wait %.1fs", error, len(rows), pause)
                PendingPurge.objects.filter(id__in=ids, queued_at__lte=started).update(
                    attempts=F("attempts") + 1, not_before=time.time() + pause
                )
                wait = pause if wait is None else min(wait, pause)
                _ask_the_worker(pause)
                break
            # A key queued again while it was being sent stays for the next round.
            PendingPurge.objects.filter(id__in=ids, queued_at__lte=started).delete()
            sent += len(rows)
    if wait is None:
        later = PendingPurge.objects.order_by("not_before").values_list("not_before", flat=True).first()
        if later is not None:
            wait = max(0.05, later - time.time())
    return sent, wait


def retry_pause(attempts):
    """Seconds before keys that failed `attempts` times before are sent again."""
    return min(MAX_PAUSE, 0.5 * 2**attempts)


def _ask_the_worker(pause):
    """Queue one drain_purges task for the worker, due after `pause` (once per pause)."""
    from django.core.cache import cache
    from django.utils import timezone

    from .tasks import drain_purges

    try:
        if not drain_purges.get_backend().supports_defer or not cache.add("edge:drain-queued", 1, pause):
            return
        drain_purges.using(run_after=timezone.now() + timezone.timedelta(seconds=pause)).enqueue()
    except Exception:
        logger.exception("edge: could not queue a purge retry for the worker")


_lock = threading.Lock()
_running = False
_again = False
# Set by kick() to end the sender's pause before a retry at once: keys queued meanwhile (a story
# just published) are due now, and must not wait for the back-off of keys a purger refused.
_wake = threading.Event()


_exit_hook = False


def kick():
    """Wake this process's sender (start it if it is not running)."""
    global _running, _again, _exit_hook
    with _lock:
        if not _exit_hook:
            atexit.register(finish)
            _exit_hook = True
        if _running:
            _again = True
            _wake.set()
            return
        _running = True
        _again = False
    threading.Thread(target=_send_until_empty, name="edge-purge-sender", daemon=True).start()


def finish(timeout=None):
    """Wait (at most the purge timeout, by default) until this process's sender has nothing left
    to send now; True if it has finished. Run as the process exits: a script that published a
    story and ended at once has still purged it, not left it for the next change to send."""
    from . import conf

    deadline = time.monotonic() + (conf.purge_timeout() + 1 if timeout is None else timeout)
    while time.monotonic() < deadline:
        with _lock:
            if not _running or _waiting:
                return not _running
        time.sleep(0.02)
    return False


_waiting = False  # the sender is pausing before a retry: nothing can be sent now


def _send_until_empty():
    global _running, _again, _waiting
    try:
        while True:
            wait = None
            try:
                _sent, wait = drain()
            except Exception:
                logger.exception("edge: purge sender failed")
                wait = 5.0
            with _lock:
                if _again:
                    _again = False
                    continue
                if wait is None:
                    _running = False
                    return
                _waiting = True
                _wake.clear()  # under the lock: a kick from here on ends the pause
            _wake.wait(min(wait, MAX_PAUSE))
            with _lock:
                _waiting = False
    finally:
        connections.close_all()
        with _lock:
            _running = _waiting = False


def pending():
    return PendingPurge.objects.count()
