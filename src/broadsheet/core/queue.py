"""Queueing background work beside something already saved: a queue that is down is logged,
never raised, so the reader's comment or the editor's story is not undone for an email or an index."""

import logging
from typing import Any

log = logging.getLogger(__name__)


def enqueue_or_log(task: Any, *args: Any) -> bool:
    """Queue `task` with `args`; True when queued, False (and a logged traceback) when not."""
    try:
        task.enqueue(*args)
    except Exception:
        log.exception("could not queue %s%r", getattr(task, "name", task), args)
        return False
    return True
