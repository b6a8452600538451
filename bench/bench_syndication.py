"""Feed and sitemap render times: every article sitemap page, the index, news, feeds.

    .venv/bin/python bench/bench_syndication.py [--articles N] [--runs N] [--page-runs N]

By default it seeds its own SQLite database with 100,000 stories (--articles) in BENCH_DATA
or BENCH_SYNDICATION_DATA (default /tmp/bs-syndication/bench) once and runs ANALYZE, as one
should after a bulk load, so SQLite's planner knows that almost every story is published and
reads a sitemap page by primary-key range.

To measure an existing database instead (for instance PostgreSQL with a million stories):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bs_1m BENCH_DATA=/tmp/bench-1m \
        .venv/bin/python bench/bench_syndication.py

That database is only read (no migrate, no seed, no ANALYZE); BENCH_DATA is the data folder
for that run (its file cache; default /tmp/bs-syndication/existing).

Each address is asked through Django's test client. "cold" renders every time (cache off),
"warm" is served from the cache (the file cache here; Redis in a multi-process deployment).
Every article sitemap page is rendered cold --page-runs times: the table shows the first, the
middle and the last page, then the median and slowest of all pages. Figures are wall-clock
milliseconds and CPU milliseconds: this process's (SQLite runs in it) plus, with a local
PostgreSQL, its server process's; the load average is printed, since the machine may be shared
and wall time then counts the waiting for a CPU.
"""

import argparse
import functools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
EXISTING = os.environ.get("BENCH_DATABASE_URL", "")
if EXISTING:
    os.environ["DATABASE_URL"] = EXISTING
    os.environ["BROADSHEET_DATA"] = os.environ.get("BENCH_DATA", "/tmp/bs-syndication/existing")
else:
    os.environ.pop("DATABASE_URL", None)  # the default run is about SQLite
    os.environ["BROADSHEET_DATA"] = os.environ.get(
        "BENCH_DATA", os.environ.get("BENCH_SYNDICATION_DATA", "/tmp/bs-syndication/bench")
    )
os.environ.pop("REDIS_URL", None)
os.environ["BROADSHEET_PLAIN_STATIC"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from broadsheet.newsroom.models import Article, Author, Section, Source, Tag  # noqa: E402
from broadsheet.newsroom.text import render_markdown  # noqa: E402
from broadsheet.syndication.sitemaps import ArticleSitemap  # noqa: E402

WORDS = (
    "harbour council ferry budget river bridge school clinic market rail vote inquiry storm "
    "festival museum orchard tunnel reservoir library stadium treaty census drought harvest"
).split()


def seed(count):
    """Write `count` published stories (plus a few drafts and scheduled ones) in bulk."""
    rng = random.Random(6)
    now = timezone.now()
    sections = [Section.objects.get_or_create(name=f"Desk {i}")[0] for i in range(8)]
    tags = Tag.objects.bulk_create([Tag(name=f"topic {i}", slug=f"topic-{i}") for i in range(300)])
    authors = Author.objects.bulk_create([Author(name=f"Writer {i}", slug=f"writer-{i}") for i in range(400)])
    sources = Source.objects.bulk_create([Source(name=f"Outlet {i}", slug=f"outlet-{i}") for i in range(40)])
    body = "Paragraph one of a benchmark story.\n\nParagraph two, with a few more words in it."
    body_html = render_markdown(body)
    made = 0
    batch = 5_000
    while made < count:
        rows = []
        for i in range(made, min(count, made + batch)):
            words = rng.sample(WORDS, 5)
            status = "draft" if i % 97 == 0 else "published"
            # Most stories spread over three years; the newest ~1,500 within the last two days.
            age = rng.uniform(0, 2 * 86400) if i >= count - 1500 else rng.uniform(2 * 86400, 3 * 365 * 86400)
            publish_at = now - timezone.timedelta(seconds=age)
            if i % 211 == 0:
                publish_at = now + timezone.timedelta(days=1)
            republished = i % 3 == 0
            rows.append(
                Article(
                    headline=" ".join(words).capitalize() + f" {i}",
                    slug=f"story-{i}-" + "-".join(words[:3]),
                    summary=f"A short summary of story {i} about {words[0]} and {words[1]}.",
                    body=body,
                    body_html=body_html,
                    status=status,
                    publish_at=publish_at if status == "published" else None,
                    created_at=publish_at,
                    updated_at=publish_at,
                    section=sections[i % 8],
                    source=sources[i % 40] if republished else None,
                    source_url=f"https://outlet.example/{i}" if republished else "",
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            Article.authors.through.objects.bulk_create(
                [Article.authors.through(article_id=a.pk, author_id=rng.choice(authors).pk) for a in created]
            )
            Article.tags.through.objects.bulk_create(
                [
                    Article.tags.through(article_id=a.pk, tag_id=t.pk)
                    for a in created
                    for t in rng.sample(tags, 2)
                ]
            )
        made += len(rows)
        print(f"  seeded {made:,}", end="\r", flush=True)
    print()


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


@functools.cache
def server_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def cpu_seconds():
    """CPU seconds used so far by this process and, with a local PostgreSQL, by the server
    process of this connection (/proc/<pid>/schedstat); SQLite runs in this process."""
    used = time.process_time()
    if connection.vendor == "postgresql":
        try:
            used += int(Path(f"/proc/{server_pid()}/schedstat").read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            pass
    return used


def timed(client, url, runs):
    """Wall-clock ms and CPU ms (see cpu_seconds) of each run, and the size of the answer."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = len(response.content)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), cpu_seconds()
        response = client.get(url)
        response.content  # noqa: B018 - a streamed answer is only done when read
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds() - started_cpu) * 1000)
    return wall, cpu, size


def row(label, wall, cpu, size):
    return (
        f"{label:<40}{statistics.median(wall):>9.1f}{percentile(wall, 0.95):>9.1f}"
        f"{statistics.median(cpu):>9.1f}{size:>12,}"
    )


HEADER = f"{'address':<40}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'bytes':>12}"


def prepare(articles):
    """Seed the benchmark's own SQLite database once; an existing database is only read."""
    if EXISTING:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            print("note: this database has unapplied migrations (left as they are)")
        return
    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < articles:
        if have:
            sys.exit(f"{os.environ['BROADSHEET_DATA']} holds {have:,} stories; remove it to reseed.")
        started = time.perf_counter()
        seed(articles)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {articles:,} stories in {time.perf_counter() - started:.0f}s")


def article_pages(client, runs):
    """Render every article sitemap page cold; print the first, middle and last, then all of them."""
    numbers = [number for number, _ in ArticleSitemap().pages()]
    if not numbers:
        print("no article sitemap pages")
        return
    per_page, every_wall, urls = {}, [], 0
    for number in numbers:
        url = "/sitemap-articles.xml" + (f"?p={number}" if number > 1 else "")
        wall, cpu, size = timed(client, url, runs)
        per_page[number] = (url, wall, cpu, size)
        every_wall += wall
    urls = client.get("/sitemap-articles.xml").content.count(b"<url>")
    shown = dict.fromkeys([numbers[0], numbers[len(numbers) // 2], numbers[-1]])
    for number in shown:
        url, wall, cpu, size = per_page[number]
        print(row(f"{url} (cold)", wall, cpu, size))
    medians = {n: statistics.median(wall) for n, (_, wall, _, _) in per_page.items()}
    cpu_medians = {n: statistics.median(cpu) for n, (_, _, cpu, _) in per_page.items()}
    slowest = max(medians, key=medians.get)
    print(
        f"all {len(numbers)} article pages (cold, {runs} runs each): median of page medians"
        f" {statistics.median(medians.values()):.1f} ms (cpu {statistics.median(cpu_medians.values()):.1f}),"
        f" slowest page p{slowest} {medians[slowest]:.1f} ms (cpu {cpu_medians[slowest]:.1f}),"
        f" highest cpu {max(cpu_medians.values()):.1f} ms, p95 of every run {percentile(every_wall, 0.95):.1f} ms;"
        f" page 1 lists {urls:,} URLs"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="stories to seed (own database only)")
    parser.add_argument("--runs", type=int, default=20, help="runs per feed and small sitemap")
    parser.add_argument("--page-runs", type=int, default=3, help="cold runs per article sitemap page")
    args = parser.parse_args()

    prepare(args.articles)
    published = Article.objects.published().count()
    print(
        f"{connection.vendor}: {Article.objects.count():,} stories, {published:,} published;"
        f" {args.runs} runs per address"
    )
    section = Section.objects.order_by("pk").first()
    client = Client()
    urls = ["/feed/", "/feed/atom/", "/feed/json/"]
    if section:
        urls.append(f"/feed/section/{section.slug}/")
    urls += ["/sitemap.xml", "/sitemap-sections.xml", "/sitemap-tags.xml", "/sitemap-news.xml"]
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(HEADER)
    with override_settings(BROADSHEET_SYNDICATION_CACHE_SECONDS=0):
        for url in urls:
            print(row(f"{url} (cold)", *timed(client, url, args.runs)))
        article_pages(client, args.page_runs)
    with override_settings(BROADSHEET_SYNDICATION_CACHE_SECONDS=300):
        for url in [*urls, "/sitemap-articles.xml"]:
            print(row(f"{url} (warm)", *timed(client, url, args.runs)))
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
