"""Search response times: p50/p95 per kind of query, on 100,000 seeded stories with SQLite.

    .venv/bin/python bench/bench_search.py [--articles N] [--runs N] [--no-rebuild]
        [--max-candidates N]

Seeds its own SQLite database in BENCH_DATA or BENCH_SEARCH_DATA (default /tmp/bs-search/bench) with
`broadsheet seed --articles N` (kept between runs; only missing stories are added), rebuilds the
search index with `broadsheet search rebuild` and times it, then runs a set of realistic
queries (common and rare words, names, phrases, prefixes, accents, filters, a fallback to "any
word", a query with no match) and prints p50/p95 in milliseconds for each, for each kind, and
for all of them together:

  service  broadsheet.search.services.search(): the index queries and the article fetch,
           wall-clock, and CPU time: this process's (SQLite runs in it) plus, with a local
           PostgreSQL, its server process's (/proc/<pid>/schedstat): the work without the
           waiting, when other jobs share the machine
  page     GET /search/?q=... through Django's test client: form, search, template

To measure an existing database instead (for instance PostgreSQL with a million stories):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bs_1m BENCH_DATA=/tmp/bench-1m \
        .venv/bin/python bench/bench_search.py

That database is only read: no migrate, no seed, no index rebuild (pass --rebuild to rebuild
it), no ANALYZE. BENCH_DATA is the data folder for that run (default /tmp/bs-search/existing).
--max-candidates sets BROADSHEET_SEARCH_MAX_CANDIDATES for the run, to weigh speed against how
many of a broad query's matches are ranked.
"""

import argparse
import datetime
import functools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
EXISTING = os.environ.get("BENCH_DATABASE_URL", "")
if EXISTING:
    os.environ["DATABASE_URL"] = EXISTING
    os.environ["BROADSHEET_DATA"] = os.environ.get("BENCH_DATA", "/tmp/bs-search/existing")
else:
    os.environ.pop("DATABASE_URL", None)  # the default run is about SQLite
    os.environ["BROADSHEET_DATA"] = os.environ.get(
        "BENCH_DATA", os.environ.get("BENCH_SEARCH_DATA", "/tmp/bs-search/bench")
    )
os.environ.pop("REDIS_URL", None)
os.environ["BROADSHEET_PLAIN_STATIC"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from broadsheet.newsroom.models import Article, Section  # noqa: E402
from broadsheet.search import conf, get_backend, services  # noqa: E402
from broadsheet.search.base import Filters  # noqa: E402

# What readers type, by kind: words from the demo vocabulary, some in most stories, some rare.
# (text, kind, filter name or None)
CASES = [
    ("said", "common", None),
    ("flood relief", "common", None),
    ("emergency meeting", "common", None),
    ("interest rates merger", "common", None),
    ("coral bleaching", "rare", None),
    ("vaccine trial", "rare", None),
    ("glacier study estavia", "rare", None),
    ("okafor", "name", None),
    ("sao tavio", "name", None),
    ("port amsel rovers", "name", None),
    ("data breach veldhaven", "name", None),
    ("São Tavio drought", "accents", None),
    ('"literary prize"', "phrase", None),
    ('"a transfer saga" nyberg', "phrase", None),
    ("transf*", "prefix", None),
    ("museum reop", "prefix", None),
    ("cabinet reshuffle referendum", "any word", None),
    ("zeppelin", "no match", None),
    ("flood relief", "filter", "section"),
    ("merger", "filter", "dates"),
    ("said", "filter", "section"),
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@functools.cache
def server_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def database_cpu_seconds():
    """CPU seconds used so far by the PostgreSQL process serving this connection, when it runs
    on this machine (from /proc/<pid>/schedstat); 0 for SQLite, which runs in this process."""
    if connection.vendor != "postgresql":
        return 0.0
    try:
        return int(Path(f"/proc/{server_pid()}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_seconds():
    return time.process_time() + database_cpu_seconds()


def timed(fn, runs):
    """Wall-clock and CPU milliseconds of each run. CPU time is this process's and, with a local
    PostgreSQL, its server process's: the work itself, without the waiting for a CPU that wall
    time also counts when other jobs share the machine."""
    fn()  # warm the page cache of the database file
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), cpu_seconds()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds() - started_cpu) * 1000)
    return wall, cpu


def ensure_articles(count):
    if EXISTING:
        return Article.objects.count()  # only read
    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < count:
        print(
            f"seeding {count - have} stories (once; kept in {os.environ['BROADSHEET_DATA']}) ...", flush=True
        )
        started = time.monotonic()
        call_command("seed", articles=count, no_progress=True, stdout=open(os.devnull, "w"))
        print(f"seeded in {time.monotonic() - started:.0f}s", flush=True)
    return Article.objects.count()


def figures(service, cpu, page):
    """service p50/p95, cpu p50/p95 and page p50/p95 in ms, as table columns."""
    return (
        f"{statistics.median(service):>12.1f} {percentile(service, 95):>7.1f}"
        f" {statistics.median(cpu):>8.1f} {percentile(cpu, 95):>7.1f}"
        f" {statistics.median(page):>9.1f} {percentile(page, 95):>7.1f}"
    )


COLUMNS = f"{'service p50':>12} {'p95':>7} {'cpu p50':>8} {'p95':>7} {'page p50':>9} {'p95':>7}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000, help="stories to seed (own database only)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-rebuild", action="store_true", help="keep the index (own database)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index of an existing database")
    parser.add_argument("--max-candidates", type=int, help="BROADSHEET_SEARCH_MAX_CANDIDATES for this run")
    args = parser.parse_args()
    if args.max_candidates:
        settings.BROADSHEET_SEARCH_MAX_CANDIDATES = args.max_candidates

    total = ensure_articles(args.articles)
    backend = get_backend()
    print(
        f"{connection.vendor}: {total} articles, {backend.count()} indexed, backend {type(backend).__name__},"
        f" load {os.getloadavg()[0]:.1f}"
    )
    rebuild = args.rebuild if EXISTING else not args.no_rebuild or backend.count() == 0
    if rebuild:
        started = time.monotonic()
        indexed = services.rebuild()
        print(f"search rebuild: {indexed} stories in {time.monotonic() - started:.1f}s")
    if not EXISTING:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as one should after a bulk load: the planner needs the figures

    world = Section.objects.filter(slug="world").first()
    newest = Article.objects.published().latest_first().values_list("publish_at", flat=True).first()
    filters = {
        "section": Filters(section_id=world.pk if world else None),
        "dates": Filters(date_from=newest - datetime.timedelta(days=365), date_to=newest),
    }
    client = Client()
    by_kind = {}
    print(f"\n{'query':<28} {'hits':>5} {COLUMNS}")
    for text, kind, filter_name in CASES:
        chosen = filters[filter_name] if filter_name else Filters()
        hits = len(services.search(text, filters=chosen).results)
        service, cpu = timed(
            lambda text=text, chosen=chosen: services.search(text, filters=chosen), args.runs
        )
        params = {"q": text}
        if filter_name == "section" and world:
            params["section"] = world.slug
        elif filter_name == "dates":
            params["date_from"] = filters["dates"].date_from.date().isoformat()
            params["date_to"] = filters["dates"].date_to.date().isoformat()
        page, _ = timed(lambda params=params: client.get("/search/", params), args.runs)
        for key in (kind, "ALL"):
            runs = by_kind.setdefault(key, ([], [], []))
            runs[0].extend(service)
            runs[1].extend(cpu)
            runs[2].extend(page)
        label = text + (f" [{filter_name}]" if filter_name else "")
        print(f"{label[:28]:<28} {hits:>5} {figures(service, cpu, page)}")
    print(f"\n{'kind':<34} {COLUMNS}")
    by_kind["ALL"] = by_kind.pop("ALL")
    for kind, (service, cpu, page) in by_kind.items():
        print(f"{kind:<34} {figures(service, cpu, page)}")
    print(
        f"\n{connection.vendor}, {total:,} articles, {len(CASES)} queries x {args.runs} runs,"
        f" {conf.max_candidates()} candidates ranked at most;"
        f" load {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
