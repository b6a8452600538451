"""Home, article and section pages under load, served as `broadsheet serve --no-worker` serves them.

    .venv/bin/python bench/bench_pages.py
    BENCH_SIZES=10000 BENCH_DURATION=5 BENCH_REPEAT=1 .venv/bin/python bench/bench_pages.py

For each size (articles seeded; data folders /tmp/bs-bench-data-<n> are reused when they hold
the right number), starts the production server on a free loopback port, warms it up, then
runs wrk (BENCH_CONNECTIONS=32 connections, BENCH_THREADS=2 threads, BENCH_DURATION=10 s) on
each page BENCH_REPEAT=2 times, cached (a plain anonymous request) and uncached (a request
with a bypass cookie, so Django renders every page). The article page rotates over
BENCH_ARTICLES=50 stories spread over the whole archive. Prints requests/s (best run, and every
run), p50 and p99 latency of the best run, the 1-minute load average during each run, and the
peak memory of a server worker. WEB_CONCURRENCY and BROADSHEET_SERVER pick the server as for
`broadsheet serve`.
"""

import os
import sys

import common

SAMPLE_ARTICLES = """
from broadsheet.newsroom.models import Article, Section
ids = list(Article.objects.published().order_by("-publish_at").values_list("pk", flat=True))
step = max(1, len(ids) // {count})
chosen = Article.objects.filter(pk__in=ids[::step][:{count}]).order_by("-publish_at")
for a in chosen:
    print(a.get_absolute_url())
print("SECTION", Section.objects.order_by("position").first().get_absolute_url())
"""

MODES = {"cached": (), "uncached": common.UNCACHED}


def page_paths(data, count):
    out = common.query(data, SAMPLE_ARTICLES.format(count=count)).splitlines()
    articles = [line for line in out if line.startswith("/")]
    section = next(line.split()[1] for line in out if line.startswith("SECTION "))
    return articles, section


def measure(server, pages, repeat, **load):
    rows = []
    for mode, headers in MODES.items():
        for name, path, script in pages:
            runs = []
            for _ in range(repeat):
                cpu = server.cpu()
                run = common.wrk(server.base + path, script=script, headers=headers, **load)
                # Server CPU per answer: steadier than requests/s when other work shares the CPUs.
                run["cpu_ms"] = 1000 * (server.cpu() - cpu) / max(1, run["requests"])
                runs.append(run)
            bad = sum(r["non2xx"] + r["errors"] for r in runs)
            rows.append((name, mode, common.best_of(runs), runs, bad))
    return rows


def main():
    sizes = common.env_list("BENCH_SIZES", "10000,100000")
    load = {
        "duration": common.env_int("BENCH_DURATION", 10),
        "connections": common.env_int("BENCH_CONNECTIONS", 32),
        "threads": common.env_int("BENCH_THREADS", 2),
    }
    repeat = common.env_int("BENCH_REPEAT", 2)
    workers = common.env_int("WEB_CONCURRENCY", 2)
    server_name = os.environ.get("BROADSHEET_SERVER", "granian")
    common.ensure_wrk()
    print(
        f"Pages on {common.database_label()}, {server_name} with {workers} workers "
        f"(as `broadsheet serve --no-worker`); wrk -t{load['threads']} -c{load['connections']} "
        f"-d{load['duration']}s, best of {repeat}",
        flush=True,
    )
    table = []
    for size in sizes:
        data = common.seeded_dir(size)
        common.prepare_static(data)
        articles, section = page_paths(data, common.env_int("BENCH_ARTICLES", 50))
        script = common.rotate_script(articles)
        pages = [
            ("home /", "/", None),
            (f"article (x{len(articles)})", articles[0], script),
            (f"section {section}", section, None),
        ]
        port = common.free_port()
        cmd = common.serve_command(port, workers=workers, server=server_name)
        try:
            with common.Server(cmd, common.data_env(data), port) as server:
                for path in ["/", section, *articles]:
                    status, _ = server.get(path)
                    assert status == 200, (path, status)
                warm = {**load, "duration": 2}
                for _name, path, page_script in pages:  # warm up every worker, fill the cache
                    for headers in MODES.values():
                        common.wrk(server.base + path, script=page_script, headers=headers, **warm)
                results = measure(server, pages, repeat, **load)
                rss = server.memory()
        finally:
            os.unlink(script)
        for name, mode, best, runs, bad in results:
            table.append(
                [
                    f"{size:,}",
                    name,
                    mode,
                    f"{best['rps']:,.0f}",
                    " / ".join(f"{r['rps']:,.0f}" for r in runs),
                    f"{best['p50']:.1f}",
                    f"{best['p99']:.1f}",
                    f"{min(r['cpu_ms'] for r in runs):.2f}",
                    f"{rss[1]:.0f} / {rss[0]:.0f}",
                    bad,
                    " / ".join(f"{r['load']:.1f}" for r in runs),
                ]
            )
        print(f"  {size:,} articles measured", flush=True)
        for row in table[-len(results) :]:
            print("   ", " | ".join(str(c) for c in row[1:]), flush=True)
    print()
    headers = [
        "articles",
        "page",
        "cache",
        "req/s",
        "runs req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/req",
        "worker MiB",
    ]
    print(common.table([*headers, "errors", "load 1m"], table))
    print("(uncached: each request carries a bs_nocache cookie, so the page cache passes it to Django;")
    print(" req/s and latency: best run; CPU ms/req: server CPU time per answer, lowest run;")
    print(" worker MiB: private RSS / peak RSS of the largest worker;")
    print(" errors: non-2xx answers + socket errors; load 1m: the machine's load average per run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
