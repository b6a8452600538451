"""Search settings, read in one place. Each has a default that runs locally."""

from django.conf import settings


def backend_path():
    """Dotted path of a SearchBackend class; empty means "pick by database vendor"."""
    return getattr(settings, "BROADSHEET_SEARCH_BACKEND", "") or ""


def page_size():
    return int(getattr(settings, "BROADSHEET_SEARCH_PAGE_SIZE", 20))


def recency_boost():
    """How much more a story published today weighs than a very old one (0.3 = up to 30%)."""
    return float(getattr(settings, "BROADSHEET_SEARCH_RECENCY_BOOST", 0.3))


def recency_half_life_days():
    """After this many days a story keeps half of the recency boost."""
    return float(getattr(settings, "BROADSHEET_SEARCH_RECENCY_DAYS", 365))


def max_candidates():
    """How many of the newest matches are ranked; a query matching more ranks the newest ones.

    Ranking reads each candidate's word positions, so this bounds the work of a broad query:
    500 keeps a search on a million stories with PostgreSQL near 20 ms (bench/bench_search.py).
    """
    return int(getattr(settings, "BROADSHEET_SEARCH_MAX_CANDIDATES", 500))


def index_batch_size():
    return int(getattr(settings, "BROADSHEET_SEARCH_BATCH", 1000))


BACKENDS_BY_VENDOR = {
    "sqlite": "broadsheet.search.sqlite.SQLiteBackend",
    "postgresql": "broadsheet.search.postgres.PostgresBackend",
}
