"""Search response times on 100,000 seeded stories with SQLite FTS5.

    .venv/bin/python bench/bench_search.py [--articles N] [--runs N] [--no-rebuild]

Seeds its own SQLite database in BENCH_SEARCH_DATA (default /tmp/bs-search/bench) with
`broadsheet seed --articles N` (kept between runs; only missing stories are added), rebuilds the
search index with `broadsheet search rebuild` and times it, then runs a set of realistic
queries (common and rare words, phrases, prefixes, accents, filters, a query with no match)
and prints p50/p95 in milliseconds for each and for all of them together:

  service  broadsheet.search.services.search(): the index queries and the article fetch,
           wall-clock, and CPU time of this process (SQLite runs in it: the work without
           the waiting, when other jobs share the machine)
  page     GET /search/?q=... through Django's test client: form, search, template

BENCH_SEARCH_PG_1M=1 runs the same queries on PostgreSQL with 1,000,000 stories instead
(database BENCH_SEARCH_PG_URL, default postgres://postgres@127.0.0.1:5432/bs_search_bench;
seeding a million stories with the seed command takes hours on a small machine).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_1M = os.environ.get("BENCH_SEARCH_PG_1M") == "1"
os.environ["BROADSHEET_DATA"] = os.environ.get("BENCH_SEARCH_DATA", "/tmp/bs-search/bench")
if PG_1M:
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_SEARCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bs_search_bench"
    )
else:
    os.environ.pop("DATABASE_URL", None)  # the 100,000-story figure is about SQLite
os.environ.pop("REDIS_URL", None)
os.environ["BROADSHEET_PLAIN_STATIC"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from broadsheet.newsroom.models import Article, Section  # noqa: E402
from broadsheet.search import get_backend, services  # noqa: E402
from broadsheet.search.base import Filters  # noqa: E402

# What readers type: words from the demo vocabulary, some rare, some in every other story.
QUERIES = [
    "flood relief",
    "coral bleaching",
    '"literary prize"',
    "vaccine trial",
    "sao tavio",
    "São Tavio drought",
    "port amsel rovers",
    "harb*",
    "museum reop",
    "data breach veldhaven",
    "okafor",
    "cabinet reshuffle referendum",
    "emergency meeting",
    "said",
    "interest rates merger",
    "zeppelin",
    "glacier study estavia",
    '"a transfer saga" nyberg',
]
FILTERED = [("flood relief", "section"), ("merger", "dates"), ("said", "section")]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, runs):
    """Wall-clock and CPU milliseconds of each run. SQLite runs inside this process, so CPU time
    is the work itself; on a machine shared with other jobs wall time also counts the waiting."""
    fn()  # warm the page cache of the database file
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def ensure_articles(count):
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1_000_000 if PG_1M else 100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-rebuild", action="store_true")
    args = parser.parse_args()

    total = ensure_articles(args.articles)
    backend = get_backend()
    print(
        f"{connection.vendor}: {total} articles, backend {type(backend).__name__}, load {os.getloadavg()[0]:.1f}"
    )
    if not args.no_rebuild or backend.count() == 0:
        started = time.monotonic()
        indexed = services.rebuild()
        print(f"search rebuild: {indexed} stories in {time.monotonic() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as one should after a bulk load: the planner needs the figures

    world = Section.objects.filter(slug="world").first()
    newest = Article.objects.published().latest_first().values_list("publish_at", flat=True).first()
    filters = {
        "section": Filters(section_id=world.pk if world else None),
        "dates": Filters(date_from=newest - datetime.timedelta(days=365), date_to=newest),
    }
    client = Client()
    service_all, page_all, cpu_all = [], [], []
    print(
        f"\n{'query':<34} {'hits':>5} {'service p50':>12} {'p95':>7} {'cpu p50':>8} {'p95':>7}"
        f" {'page p50':>9} {'p95':>7}"
    )
    cases = [(q, None) for q in QUERIES] + FILTERED
    for text, filter_name in cases:
        chosen = filters[filter_name] if filter_name else Filters()
        hits = len(services.search(text, filters=chosen).results)
        service, cpu = timed(
            lambda text=text, chosen=chosen: services.search(text, filters=chosen), args.runs
        )
        params = {"q": text}
        if filter_name == "section" and world:
            params["section"] = world.slug
        page, _ = timed(lambda params=params: client.get("/search/", params), args.runs)
        service_all += service
        cpu_all += cpu
        page_all += page
        label = text + (f" [{filter_name}]" if filter_name else "")
        print(
            f"{label[:34]:<34} {hits:>5} {statistics.median(service):>12.1f} {percentile(service, 95):>7.1f}"
            f" {statistics.median(cpu):>8.1f} {percentile(cpu, 95):>7.1f}"
            f" {statistics.median(page):>9.1f} {percentile(page, 95):>7.1f}"
        )
    print(
        f"\nALL ({len(cases)} queries x {args.runs} runs): service p50 {statistics.median(service_all):.1f} ms,"
        f" p95 {percentile(service_all, 95):.1f} ms (cpu p50 {statistics.median(cpu_all):.1f},"
        f" p95 {percentile(cpu_all, 95):.1f}); page p50 {statistics.median(page_all):.1f} ms,"
        f" p95 {percentile(page_all, 95):.1f} ms; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
