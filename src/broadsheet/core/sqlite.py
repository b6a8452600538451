"""SQLite's planner statistics kept fresh, as SQLite recommends: `PRAGMA optimize` as each
short-lived connection closes (it analyses only tables whose size changed a lot since, within
`analysis_limit`, so it usually does nothing). Without it, statistics taken on a small site
steer queries to the wrong index once comments or stories pile up."""

from django.db import connections


def optimize_before_close(sender, **kwargs):
    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "sqlite"
            and connection.connection is not None
            and not connection.in_atomic_block
        ):
            try:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA analysis_limit=400")
                    cursor.execute("PRAGMA optimize")
            except Exception:  # statistics are an optimisation: never fail a request for them
                pass
