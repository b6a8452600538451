"""SQLite's planner statistics kept fresh, as SQLite recommends for long-lived connections:
`PRAGMA optimize` once a connection has served its first request, then again every few minutes
and before it closes (it analyses only tables whose size changed a lot since, within
`analysis_limit`, so it usually does nothing). Without it, statistics taken on a small site
steer queries to the wrong index once comments or stories pile up."""

import time

from django.db import connections

OPTIMIZE_EVERY = 300.0  # seconds between two runs on one connection


def optimize_before_close(sender, **kwargs):
    """After each request (before Django closes connections that are due): run the optimise on
    each SQLite connection that is new, due for it, or about to close."""
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "sqlite"
            and connection.connection is not None
            and not connection.in_atomic_block
        ):
            last = getattr(connection, "_optimized_at", None)
            closing = connection.close_at is not None and now >= connection.close_at
            if last is not None and now - last < OPTIMIZE_EVERY and not closing:
                continue
            connection._optimized_at = None if closing else now
            try:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA analysis_limit=400")
                    cursor.execute("PRAGMA optimize")
            except Exception:  # statistics are an optimisation: never fail a request for them
                pass
