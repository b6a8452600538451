"""Periodic chores the task worker runs beside its queue (expiring held uploads, ...).

An app registers a chore in its AppConfig.ready(): `register("name", fn, every=600)`. Every
`broadsheet worker` runs the chores that are due at start and then at each heartbeat; a chore
must be safe to run in several workers at once. A failing chore is logged, never fatal.
"""

import logging
import time

logger = logging.getLogger(__name__)

_chores = {}
_last_run = {}


def register(name, fn, *, every):
    _chores[name] = (fn, every)


def run_due(now=None):
    """Run every chore whose interval has passed in this process; return the names run."""
    now = time.monotonic() if now is None else now
    ran = []
    for name, (fn, every) in list(_chores.items()):
        last = _last_run.get(name)
        if last is not None and now - last < every:
            continue
        _last_run[name] = now
        try:
            fn()
        except Exception:
            logger.exception("Housekeeping chore %s failed", name)
        ran.append(name)
    return ran
