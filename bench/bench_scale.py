"""Does every page stay as fast at a million articles as at ten thousand? (target: within 1.5x)

    .venv/bin/python bench/bench_scale.py                                   # 10k and 100k, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench BENCH_SCALE_SIZES=10000,1000000 \\
        .venv/bin/python bench/bench_scale.py                               # PostgreSQL

Every page is rendered in full on every request: the page cache and the fragment cache are
both off, so each request runs the page's real queries. Each size is a seeded folder (reused as
bench_pages.py does; <BENCH_TMP>/bs-bench-pg-<n>/database_url may name an existing database),
and each page type rotates over several URLs of that type (50 articles spread over the whole
archive, every section, deep listing pages, search queries from the whole archive...).

By default (BENCH_SCALE_MODE=paired) the sizes are timed side by side in process (common.Timer:
Django's test client, the server's own time, no network), taking turns request by request so a
shared machine's load falls on both alike; wall time and CPU time (the timing process and its
PostgreSQL server process) are printed. BENCH_SCALE_MODE=http starts the production server with
2 workers for each size in turn, and one client asks over one keep-alive connection. Prints p50
and p95 per page type and size, and the ratio of the largest size to the smallest.
BENCH_SCALE_REQUESTS (default 200) requests per page type; the first pass over each URL is a
warm-up and is not counted.
"""

import html
import http.client
import os
import re
import statistics
import sys
import time
import urllib.parse

import common
import search_queries

DISCOVER = """
from django.db.models import Count
from broadsheet.newsroom.models import Article, Author, Section, Source, Tag
published = Article.objects.published()
ids = list(published.order_by("-publish_at").values_list("pk", flat=True)[:200000])
step = max(1, len(ids) // 50)
for a in Article.objects.filter(pk__in=ids[::step][:50]).only("slug"):
    print("article", a.get_absolute_url())
    print("api-article", f"/api/articles/{a.pk}")
    print("feed-section", f"/feed/section/{a.section.slug}/")
for s in Section.objects.all():
    print("section", s.get_absolute_url())
for t in Tag.objects.order_by("pk")[:12]:
    print("tag", t.get_absolute_url())
for w in Author.objects.order_by("pk")[:12]:
    print("author", w.get_absolute_url())
for o in Source.objects.order_by("pk")[:12]:
    print("source", o.get_absolute_url())
middle = published.order_by("-publish_at").values_list("publish_at", flat=True)[len(ids) // 2]
print("archive", f"/archive/{middle.year}/{middle.month}/")
print("archive", f"/archive/{middle.year}/{middle.month}/{middle.day}/")
"""

PAGES = [
    "home",
    "article",
    "section",
    "section-deep",
    "tag",
    "author",
    "source",
    "archive",
    "search",
    "feed",
    "feed-section",
    "sitemap-index",
    "sitemap-page",
    "sitemap-news",
    "api-list",
    "api-article",
]


def discover(data):
    urls = {name: [] for name in PAGES}
    out = common.query(data, "import re\n" + DISCOVER)
    for line in out.splitlines():
        kind, _, url = line.partition(" ")
        if kind in urls:
            urls[kind].append(url)
    # Search: rare words, phrases, names and headline words of stories from the whole archive.
    for _kind, text in search_queries.parse(common.query(data, search_queries.DRAW)):
        urls["search"].append("/search/?" + urllib.parse.urlencode({"q": text}))
    urls["home"] = ["/"]
    urls["feed"] = ["/feed/", "/feed/atom/", "/feed/json/"]
    urls["sitemap-index"] = ["/sitemap.xml"]
    urls["sitemap-news"] = ["/sitemap-news.xml"]
    urls["api-list"] = ["/api/articles", "/api/articles?limit=50", "/api/sections"]
    return urls


def fetch(conn, path):
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
    answer = conn.getresponse()
    body = answer.read()
    return answer.status, body, (time.perf_counter() - started) * 1000


def follow_links(get, urls):
    """Deep listing pages (the fifth page of each section) and the sitemap's article pages.
    `get(path)` answers (status, body as bytes)."""
    for section in urls["section"][:4]:
        path = section
        for _ in range(4):
            status, body = get(path)
            found = re.search(rb'href="(\?before=[^"]+)" rel="next"|rel="next" href="(\?before=[^"]+)"', body)
            if status != 200 or not found:
                break
            path = section + html.unescape((found.group(1) or found.group(2)).decode())
        if path != section:
            urls["section-deep"].append(path)
    status, body = get("/sitemap.xml")
    pages = [html.unescape(u.decode()) for u in re.findall(rb"<loc>([^<]+)</loc>", body)]
    pages = [re.sub(r"^https?://[^/]+", "", u) for u in pages]
    articles = [p for p in pages if "article" in p]
    step = max(1, len(articles) // 5)
    urls["sitemap-page"] = articles[::step][:5] or pages[:3]


def measure(port, urls, requests):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    follow_links(lambda path: fetch(conn, path)[:2], urls)
    results = {}
    for name in PAGES:
        paths = urls.get(name) or []
        if not paths:
            continue
        bad = 0
        for path in paths:  # warm-up: each URL once (connections, compiled templates)
            status, _, _ = fetch(conn, path)
            bad += status != 200
        times = []
        for i in range(requests):
            status, _, ms = fetch(conn, paths[i % len(paths)])
            bad += status != 200
            times.append(ms)
        times.sort()
        results[name] = {
            "p50": statistics.median(times),
            "p95": times[int(len(times) * 0.95) - 1],
            "urls": len(paths),
            "bad": bad,
        }
    conn.close()
    return results


def paired(sizes, requests):
    """Both sizes in one run, in process (common.Timer): each request of each page type is
    answered by the small archive and the large one in turn, so load falls on both alike.
    {size: {page: {"wall": [...], "cpu": [...], "bad": n, "urls": n}}}"""
    env = {"BROADSHEET_PAGECACHE": "false", "BROADSHEET_FRAGMENTS": "false"}
    timers, urls = {}, {}
    try:
        for size in sizes:
            data = common.seeded_dir(size)
            urls[size] = discover(data)
            timers[size] = timer = common.Timer(data, **env)

            def get(path, timer=timer):
                status, body = timer.ask(path=path, body=True)["result"]
                return status, body.encode()

            follow_links(get, urls[size])
        results = {size: {} for size in sizes}
        for name in PAGES:
            for size in sizes:
                paths = urls[size].get(name) or []
                results[size][name] = {"wall": [], "cpu": [], "bad": 0, "urls": len(paths)}
                for path in paths:  # warm-up: each URL once (compiled templates, caches of the database)
                    results[size][name]["bad"] += timers[size].ask(path=path)["result"] != 200
            if not all(urls[size].get(name) for size in sizes):
                continue
            for i in range(requests):
                for size in sizes if i % 2 == 0 else sizes[::-1]:
                    paths = urls[size][name]
                    answer = timers[size].ask(path=paths[i % len(paths)])
                    r = results[size][name]
                    r["bad"] += answer["result"] != 200
                    r["wall"].append(answer["wall"])
                    r["cpu"].append(answer["cpu"])
            print(f"  {name} measured (load {common.load():.1f})", flush=True)
    finally:
        for timer in timers.values():
            timer.close()
    return results


def main_paired(sizes, requests):
    print(
        f"Every page rendered in full (page cache and fragment cache off) on {common.database_label()}, "
        f"in process (Django's test client: the server's own time), {requests} requests per page type, "
        "the sizes taking turns request by request",
        flush=True,
    )
    loads = [common.load()]
    results = paired(sizes, requests)
    loads.append(common.load())
    small, large = min(sizes), max(sizes)
    rows = []

    def p95(values):
        ordered = sorted(values)
        return ordered[max(0, int(len(ordered) * 0.95) - 1)]

    for name in PAGES:
        a, b = results[small].get(name), results[large].get(name)
        if not a or not b or not a["wall"] or not b["wall"]:
            continue
        rows.append(
            [
                name,
                f"{statistics.median(a['wall']):.1f} / {p95(a['wall']):.1f}",
                f"{statistics.median(b['wall']):.1f} / {p95(b['wall']):.1f}",
                f"{p95(b['wall']) / p95(a['wall']):.2f}x",
                f"{statistics.median(a['cpu']):.1f} / {statistics.median(b['cpu']):.1f}",
                f"{p95(a['cpu']):.1f} / {p95(b['cpu']):.1f}",
                f"{p95(b['cpu']) / p95(a['cpu']):.2f}x",
                a["bad"] + b["bad"],
            ]
        )
    print()
    print(
        common.table(
            [
                "page",
                f"{small:,} p50 / p95 ms",
                f"{large:,} p50 / p95 ms",
                "p95 ratio",
                "CPU p50 ms",
                "CPU p95 ms",
                "CPU p95 ratio",
                "not 200",
            ],
            rows,
        )
    )
    print(
        "(wall ms; CPU ms of the timing process and its PostgreSQL server process; "
        f"load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} CPUs; "
        "target: every page at the largest size within 1.5x of the smallest)"
    )
    return 0


def main():
    sizes = common.env_list("BENCH_SCALE_SIZES", "10000,100000")
    requests = common.env_int("BENCH_SCALE_REQUESTS", 200)
    if os.environ.get("BENCH_SCALE_MODE", "paired") == "paired":
        return main_paired(sizes, requests)
    print(
        f"Every page rendered in full (page cache and fragment cache off) on {common.database_label()}, "
        f"granian with 2 workers, one client, {requests} requests per page type",
        flush=True,
    )
    by_size = {}
    for size in sizes:
        data = common.seeded_dir(size)
        common.prepare_static(data)
        urls = discover(data)
        port = common.free_port()
        env = common.data_env(data, BROADSHEET_PAGECACHE="false", BROADSHEET_FRAGMENTS="false")
        with common.Server(common.serve_command(port), env, port) as server:
            by_size[size] = measure(port, urls, requests)
            rss = server.memory()
        print(f"  {size:,} articles measured (worker peak RSS {rss[0]:.0f} MiB, load {common.load():.1f})")
        for name, r in by_size[size].items():
            print(
                f"    {name:14} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  ({r['urls']} URLs, {r['bad']} not 200)"
            )
    small, large = min(sizes), max(sizes)
    rows = []
    for name in PAGES:
        if name not in by_size[small] or name not in by_size[large]:
            continue
        a, b = by_size[small][name], by_size[large][name]
        rows.append(
            [
                name,
                f"{a['p50']:.1f} / {a['p95']:.1f}",
                f"{b['p50']:.1f} / {b['p95']:.1f}",
                f"{b['p50'] / a['p50']:.2f}x",
                f"{b['p95'] / a['p95']:.2f}x",
                a["bad"] + b["bad"],
            ]
        )
    print()
    print(
        common.table(
            [
                "page",
                f"{small:,} p50 / p95 ms",
                f"{large:,} p50 / p95 ms",
                "p50 ratio",
                "p95 ratio",
                "not 200",
            ],
            rows,
        )
    )
    print("(target: every page at the largest size within 1.5x of the smallest)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
