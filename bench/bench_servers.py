"""Which production server, with how many workers, on this machine: granian or gunicorn.

    .venv/bin/python bench/bench_servers.py
    BENCH_DURATION=3 BENCH_ROUNDS=1 BENCH_SERVERS=granian:2,gunicorn:2 .venv/bin/python bench/bench_servers.py

Each configuration is started exactly as `broadsheet serve --no-worker --server S --workers N
[--threads T]` starts it, on a free loopback port, against a folder seeded with BENCH_ARTICLES
(10,000) articles, and measured with wrk (32 connections, 2 threads, BENCH_DURATION=4 s) on the
article page (rotating over 50 stories), uncached (bypass cookie: the full Django stack) and
cached (answered by the page cache). Configurations are measured in turn, BENCH_ROUNDS=2
rounds, so a burst of other work on the machine hurts one round of each rather than all rounds
of one; the best round counts. A bare WSGI app returning a 36 KB page from memory (bare_wsgi.py)
under granian and gunicorn with 2 workers gives the ceiling of each server.

Configuration syntax for BENCH_SERVERS: server:workers[:threads], comma-separated; "gthread"
as the server means gunicorn with threads (default 4).
"""

import os
import sys

import common

DEFAULT_CONFIGS = (
    "granian:1,granian:2,granian:3,granian:4,granian:2:1,"
    "gunicorn:1,gunicorn:2,gunicorn:3,gunicorn:4,gthread:2:4"
)
CURRENT = ("granian", 2, None)  # what serve.py starts by default


def parse(spec):
    parts = spec.split(":")
    server, workers = parts[0], int(parts[1])
    threads = int(parts[2]) if len(parts) > 2 else None
    if server == "gthread":
        server, threads = "gunicorn", threads or 4
    return server, workers, threads


def label(config):
    server, workers, threads = config
    if server == "gunicorn":
        kind = f"gthread x{threads}" if threads else "sync"
        return f"gunicorn {kind}, {workers}w"
    return f"granian, {workers}w" + (f", {threads} blocking thr." if threads else "")


def mib(runs):
    """Private / peak RSS of the largest worker, the largest over the rounds."""
    peak = max(r["rss"][0] for r in runs)
    private = max(r["rss"][1] for r in runs)
    return f"{private:.0f} / {peak:.0f}"


def run_config(cmd, env, paths, script, load, modes):
    port = (
        int(cmd[cmd.index("--port") + 1])
        if "--port" in cmd
        else int(cmd[cmd.index("--bind") + 1].split(":")[1])
    )
    with common.Server(cmd, env, port, ready_path=paths[0]) as server:
        for path in paths:  # one render of each page, one at a time, fills the page cache
            server.get(path)
        results = {}
        for mode, headers in modes.items():
            common.wrk(server.base + paths[0], duration=2, script=script, headers=headers)  # warm up
            cpu = server.cpu()
            results[mode] = got = common.wrk(server.base + paths[0], script=script, headers=headers, **load)
            # CPU the server spent per answer: steadier than requests/s when others share the CPUs.
            got["cpu_ms"] = 1000 * (server.cpu() - cpu) / max(1, got["requests"])
        results["rss"] = server.memory()
    return results


def main():
    duration = common.env_int("BENCH_DURATION", 4)
    rounds = common.env_int("BENCH_ROUNDS", 2)
    articles = common.env_int("BENCH_ARTICLES", 10_000)
    configs = [parse(s) for s in (os.environ.get("BENCH_SERVERS") or DEFAULT_CONFIGS).split(",")]
    load = {"duration": duration, "connections": 32, "threads": 2}
    common.ensure_wrk()
    print(
        f"Servers on {common.database_label()}, {articles:,} articles, {os.cpu_count()} CPUs; "
        f"wrk -t2 -c32 -d{duration}s on the article page (x{common.env_int('BENCH_PAGES', 10)}), best of {rounds} rounds",
        flush=True,
    )
    data = common.seeded_dir(articles)
    common.prepare_static(data)
    from bench_pages import page_paths

    paths, _section = page_paths(data, common.env_int("BENCH_PAGES", 10))
    script = common.rotate_script(paths)
    env = common.data_env(data)
    # Cached first: a server that queues deeply may still be working off the uncached run.
    modes = {"cached": (), "uncached": common.UNCACHED}
    results = {c: [] for c in configs}
    bare = {"granian": [], "gunicorn": []}
    try:
        for round_no in range(rounds):
            for server in bare:
                port = common.free_port()
                got = run_config(common.bare_command(server, port), env, ["/"], None, load, {"bare": ()})
                bare[server].append(got)
            for config in configs:
                server, workers, threads = config
                cmd = common.serve_command(common.free_port(), workers, server, threads)
                results[config].append(run_config(cmd, env, paths, script, load, modes))
                print(f"  round {round_no + 1}: {label(config)} done (load {common.load():.1f})", flush=True)
    finally:
        os.unlink(script)

    def rounds_rps(runs, mode):
        return " / ".join(f"{r[mode]['rps']:,.0f}" for r in runs)

    def cpu_ms(runs, mode):
        return f"{min(r[mode]['cpu_ms'] for r in runs):.2f}"

    rows = []
    for server, runs in bare.items():
        best = common.best_of([r["bare"] for r in runs])
        rows.append(
            [f"bare WSGI 36 KB, {server}, 2w", "-", "-", "-", "-", rounds_rps(runs, "bare")]
            + [f"{best['p99']:.1f}", cpu_ms(runs, "bare"), mib(runs)]
            + [" / ".join(f"{r['bare']['load']:.1f}" for r in runs)]
        )
    summary = {}
    for config, runs in results.items():
        unc = common.best_of([r["uncached"] for r in runs])
        hit = common.best_of([r["cached"] for r in runs])
        summary[config] = (unc["rps"], hit["rps"])
        bad = sum(r[m]["non2xx"] + r[m]["errors"] for r in runs for m in modes)
        rows.append(
            [
                label(config) + (" *" if config == CURRENT else "") + (f" ({bad} errors)" if bad else ""),
                rounds_rps(runs, "uncached"),
                f"{unc['p50']:.1f}",
                f"{unc['p99']:.1f}",
                cpu_ms(runs, "uncached"),
                rounds_rps(runs, "cached"),
                f"{hit['p99']:.1f}",
                cpu_ms(runs, "cached"),
                mib(runs),
                " / ".join(f"{r['uncached']['load']:.1f}" for r in runs),
            ]
        )
    print()
    headers = ["configuration", "uncached req/s", "p50 ms", "p99 ms", "CPU ms/req"]
    headers += ["cached req/s", "p99 ms", "CPU ms/req", "worker MiB", "load 1m"]
    print(common.table(headers, rows))
    print("(* the current default. uncached: full Django render; cached: page-cache hit; req/s of each")
    print(" round, latency of the best round; CPU ms/req: server CPU time per answer, lowest round;")
    print(" worker MiB: private / peak RSS of the largest worker; load 1m: machine load per round)")

    # The choice: the most uncached requests/s (Django's work is what a small machine runs out of);
    # cached requests/s breaks ties. Differences under 10% are within this machine's noise, so the
    # current default stays unless another configuration beats it by more than that on both.
    best = max(summary, key=lambda c: summary[c])
    current = summary.get(CURRENT)
    if (
        current
        and best != CURRENT
        and not (summary[best][0] > 1.1 * current[0] and summary[best][1] > 1.1 * current[1])
    ):
        print(f"Choice: keep {label(CURRENT)} (best was {label(best)}, within 10% on at least one measure)")
    else:
        print(f"Choice: {label(best)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(common.ROOT / "bench"))
    sys.exit(main())
