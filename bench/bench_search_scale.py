"""Search at two archive sizes side by side, with queries drawn from the whole archive.

    .venv/bin/python bench/bench_search_scale.py                        # 10k and 100k, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench BENCH_SEARCH_SIZES=10000,1000000 \\
        .venv/bin/python bench/bench_search_scale.py                    # PostgreSQL, 10k and 1M

Each size is a seeded data folder (common.seeded_dir: made once, reused). From each archive
SEARCH_QUERIES_STORIES (12) stories are drawn at random over every id, and from each a rare
word, a quoted phrase, a name and two headline words (search_queries.py); every size runs the
union of those queries. Sizes take turns, BENCH_SEARCH_ROUNDS (2) rounds, so a change in the
machine's load falls on both. Each query is timed BENCH_SEARCH_RUNS (5) times after one warm-up:
the service (services.search: index queries and the article fetch; wall and CPU, the CPU of
the local PostgreSQL server process included) and the page (GET /search/?q= through Django's
test client). Printed: p50/p95 by kind of query (the same queries at both sizes), and by how
many stories a query matches at that size (the top bucket is the number ranked at most,
BROADSHEET_SEARCH_MAX_CANDIDATES), with the ratio of the larger size to the smaller.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import common
import search_queries

MEASURE = r"""
import json, os, time
from pathlib import Path
from django.db import connection
from django.test import Client
from django.utils import timezone
from broadsheet.search import conf, get_backend, services
from broadsheet.search.base import Filters

def server_cpu():
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0

queries = json.loads(Path(os.environ["SEARCH_QUERIES_FILE"]).read_text())
runs = int(os.environ.get("BENCH_SEARCH_RUNS", "5"))
cap = conf.max_candidates()
backend = get_backend()
client = Client()
out = []
for kind, text in queries:
    outcome = services.search(text)
    matches = len(backend.search(outcome.query, Filters(), now=timezone.now(), limit=cap, match=outcome.match)) if outcome.query else 0
    service, cpu, page = [], [], []
    services.search(text); client.get("/search/", {"q": text})
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time() + server_cpu()
        services.search(text)
        service.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() + server_cpu() - started_cpu) * 1000)
        started = time.perf_counter()
        client.get("/search/", {"q": text})
        page.append((time.perf_counter() - started) * 1000)
    out.append({"kind": kind, "text": text, "matches": matches, "service": service, "cpu": cpu, "page": page})
print(json.dumps({"cap": cap, "vendor": connection.vendor, "results": out}))
"""


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(data, queries_file):
    env = common.data_env(data, SEARCH_QUERIES_FILE=str(queries_file), LOG_LEVEL="WARNING")
    env["BROADSHEET_PLAIN_STATIC"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + MEASURE],
        env=env,
        cwd=common.ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit("measuring failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(label, small, large):
    cells = [label]
    for runs in (small, large):
        cells.append(
            f"{statistics.median(runs['service']):.1f} / {percentile(runs['service'], 95):.1f}"
            f" (cpu {percentile(runs['cpu'], 95):.1f}; page {percentile(runs['page'], 95):.1f})"
        )
    ratio = percentile(large["service"], 95) / max(percentile(small["service"], 95), 1e-9)
    page_ratio = percentile(large["page"], 95) / max(percentile(small["page"], 95), 1e-9)
    cells += [f"{ratio:.2f}x", f"{page_ratio:.2f}x", f"{small['n']} / {large['n']}"]
    return cells


def grouped(results, key):
    groups = {}
    for r in results:
        g = groups.setdefault(key(r), {"service": [], "cpu": [], "page": [], "n": 0})
        for name in ("service", "cpu", "page"):
            g[name].extend(r[name])
        g["n"] += 1
    return groups


def main():
    sizes = common.env_list("BENCH_SEARCH_SIZES", "10000,100000")
    rounds = common.env_int("BENCH_SEARCH_ROUNDS", 2)
    small, large = min(sizes), max(sizes)
    print(f"Search at {small:,} and {large:,} stories side by side ({common.database_label()})", flush=True)
    folders = {size: common.seeded_dir(size) for size in (small, large)}
    queries = []
    for data in folders.values():
        queries += search_queries.parse(common.query(data, search_queries.DRAW))
    queries = list(dict.fromkeys(map(tuple, queries)))
    kinds = {}
    for kind, _ in queries:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"  {len(queries)} queries drawn from both archives: {kinds}", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(queries, f)
    merged = {size: {} for size in (small, large)}
    cap = None
    for turn in range(rounds):
        for size in (small, large) if turn % 2 == 0 else (large, small):
            answer = measure(folders[size], f.name)
            cap = answer["cap"]
            for r in answer["results"]:
                kept = merged[size].setdefault(r["text"], r)
                if kept is not r:
                    for name in ("service", "cpu", "page"):
                        kept[name] += r[name]
            print(f"  round {turn + 1}: {size:,} measured (load {common.load():.1f})", flush=True)
    os.unlink(f.name)
    headers = [
        "",
        f"{small:,}: service p50 / p95 ms",
        f"{large:,}: service p50 / p95 ms",
        "service p95 ratio",
        "page p95 ratio",
        "queries",
    ]
    results = {size: list(merged[size].values()) for size in merged}
    by_kind = {size: grouped(results[size], lambda r: r["kind"]) for size in merged}
    everything = {size: grouped(results[size], lambda r: "all queries") for size in merged}
    print("\nThe same queries at both sizes, by kind:")
    rows = [row(k, by_kind[small][k], by_kind[large][k]) for k in by_kind[small] if k in by_kind[large]]
    rows.append(row("all queries", everything[small]["all queries"], everything[large]["all queries"]))
    print(common.table(headers, rows))

    def bucket_of(r):
        return search_queries.bucket(r["matches"], cap)

    by_bucket = {size: grouped(results[size], bucket_of) for size in merged}
    order = ["0 matches", "1-20 matches", f"21-{cap - 1} matches", f"{cap}+ matches (ranked cap)"]
    print("\nBy how many stories a query matches at that size (like for like):")
    rows = [
        row(b, by_bucket[small][b], by_bucket[large][b])
        for b in order
        if b in by_bucket[small] and b in by_bucket[large]
    ]
    print(common.table(headers, rows))
    moved = sum(1 for text, r in merged[large].items() if bucket_of(r) != bucket_of(merged[small][text]))
    print(
        f"({moved} of {len(queries)} queries match more stories at {large:,} and moved up a bucket; "
        f"cpu and page are p95 ms; target: p95 within 1.2x; load now {common.load():.1f}, "
        f"{os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
