"""Feed and sitemap render times on 100,000 stories with SQLite.

    .venv/bin/python bench/bench_syndication.py [--articles N] [--runs N]

Seeds its own SQLite database in BENCH_SYNDICATION_DATA (default /tmp/bs-syndication/bench) once
and runs ANALYZE, as one should after a bulk load, so SQLite's planner knows that almost every
story is published and reads a sitemap page by primary-key range. Then it asks
each address through Django's test client and prints p50/p95 in milliseconds. Every address is
timed twice: "cold" renders every time (cache off), "warm" is served from the cache
(the file cache here; Redis in a multi-process deployment).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["BROADSHEET_DATA"] = os.environ.get("BENCH_SYNDICATION_DATA", "/tmp/bs-syndication/bench")
os.environ.pop("DATABASE_URL", None)  # this benchmark is about SQLite
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


def timed(client, url, runs):
    """p50 and p95 wall-clock ms, p50 CPU ms of this process (what an idle machine would
    take: the machine may be shared), and the size of the answer."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = len(response.content)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        response.content  # noqa: B018 - a streamed answer is only done when read
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu), size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < args.articles:
        if have:
            sys.exit(f"{os.environ['BROADSHEET_DATA']} holds {have:,} stories; remove it to reseed.")
        started = time.perf_counter()
        seed(args.articles)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {args.articles:,} stories in {time.perf_counter() - started:.0f}s")
    published = Article.objects.published().count()
    print(f"{Article.objects.count():,} stories, {published:,} published; {args.runs} runs per address")

    section = Section.objects.order_by("pk").first()
    client = Client()
    urls = [
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        f"/feed/section/{section.slug}/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(f"{'address':<34}{'p50 ms':>10}{'p95 ms':>10}{'cpu p50':>10}{'bytes':>12}")
    # cold: cache off, every answer is rendered; warm: the answer comes from the cache.
    for label, seconds in (("cold", 0), ("warm", 300)):
        with override_settings(BROADSHEET_SYNDICATION_CACHE_SECONDS=seconds):
            for url in urls:
                big = url == "/sitemap-articles.xml" and label == "cold"
                p50, p95, cpu, size = timed(client, url, max(5, args.runs // 2) if big else args.runs)
                print(f"{url + ' (' + label + ')':<34}{p50:>10.1f}{p95:>10.1f}{cpu:>10.1f}{size:>12,}")
    first_page = Client().get("/sitemap-articles.xml").content.count(b"<url>")
    print(f"first article sitemap page lists {first_page:,} URLs")


if __name__ == "__main__":
    main()
