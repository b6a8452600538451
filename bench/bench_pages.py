"""Home, article and section pages under load, served as `broadsheet serve --no-worker` serves them.

    .venv/bin/python bench/bench_pages.py
    BENCH_SIZES=10000 BENCH_DURATION=5 BENCH_REPEAT=1 .venv/bin/python bench/bench_pages.py

For each size (articles seeded; data folders /tmp/bs-bench-data-<n> are reused when they hold
the right number), starts the production server on a free loopback port, warms it up, then
runs wrk (BENCH_CONNECTIONS=32 connections, BENCH_THREADS=2 threads, BENCH_DURATION=10 s) on
each page BENCH_REPEAT=2 times, cached (a plain anonymous request), uncached (a request with a
bypass cookie, so Django renders every page, reusing shared fragments) and rendered in full
(the same on a server with the fragment cache off). The bare-WSGI ceiling of the server on this
machine is measured first, in the same run. The article page rotates over
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


def measure(server, pages, repeat, modes, **load):
    rows = []
    for mode, headers in modes.items():
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


def ceiling(workers, repeat, **load):
    """The bare WSGI app under granian: what the server itself can do on this machine, now."""
    port = common.free_port()
    with common.Server(
        common.bare_command("granian", port, workers), dict(os.environ), port, ready_path="/"
    ) as bare:
        runs = []
        for _ in range(repeat):
            cpu = bare.cpu()
            run = common.wrk(bare.base + "/", **load)
            run["cpu_ms"] = 1000 * (bare.cpu() - cpu) / max(1, run["requests"])
            runs.append(run)
        return [("bare WSGI 36 KB (ceiling)", "-", common.best_of(runs), runs, 0)], bare.memory()


def row(size, name, mode, best, runs, bad, rss):
    return [
        f"{size:,}" if isinstance(size, int) else size,
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
    store = "Redis" if os.environ.get("REDIS_URL") else "the file cache"
    common.ensure_wrk()
    print(
        f"Pages on {common.database_label()} with {store}, {server_name} with {workers} workers "
        f"(as `broadsheet serve --no-worker`); wrk -t{load['threads']} -c{load['connections']} "
        f"-d{load['duration']}s, best of {repeat}",
        flush=True,
    )
    results, rss = ceiling(workers, repeat, **load)
    table = [row("-", *r, rss) for r in results]
    print("   ", " | ".join(str(c) for c in table[-1][1:]), flush=True)
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
        # The production set-up, then the same server with the fragment cache off: every
        # request that bypasses the page cache then renders the whole page from the database.
        setups = [
            ({}, MODES),
            ({"BROADSHEET_FRAGMENTS": "false"}, {"rendered in full": common.UNCACHED}),
        ]
        try:
            for extra, modes in setups:
                port = common.free_port()
                cmd = common.serve_command(port, workers=workers, server=server_name)
                with common.Server(cmd, common.data_env(data, **extra), port) as server:
                    for path in ["/", section, *articles]:
                        status, _ = server.get(path)
                        assert status == 200, (path, status)
                    warm = {**load, "duration": 2}
                    for _name, path, page_script in pages:  # warm up every worker, fill the caches
                        for headers in modes.values():
                            common.wrk(server.base + path, script=page_script, headers=headers, **warm)
                    results = measure(server, pages, repeat, modes, **load)
                    rss = server.memory()
                table.extend(row(size, *r, rss) for r in results)
                for line in table[-len(results) :]:
                    print("   ", " | ".join(str(c) for c in line[1:]), flush=True)
        finally:
            os.unlink(script)
        print(f"  {size:,} articles measured", flush=True)
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
    print("(cached: answered by the page cache; uncached: a bs_nocache cookie sends each request to")
    print(" Django, which renders the reader's own parts and takes the rest from the fragment cache;")
    print(" rendered in full: the same with the fragment cache off, every query and template run;")
    print(" req/s and latency: best run; CPU ms/req: server CPU time per answer, lowest run;")
    print(" worker MiB: private RSS / peak RSS of the largest worker;")
    print(" errors: non-2xx answers + socket errors; load 1m: the machine's load average per run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
