"""Search at two archive sizes side by side, with queries drawn from the whole archive.

    .venv/bin/python bench/bench_search_scale.py                        # 10k and 100k, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench BENCH_SEARCH_SIZES=10000,1000000 \\
        .venv/bin/python bench/bench_search_scale.py                    # PostgreSQL, 10k and 1M

Each size is a seeded data folder of its own, made once and reused (searched_dir: like
common.seeded_dir's, named bs-bench-{data,pg}-search-N, a PostgreSQL one in its own database
DATABASE_URL's name_N). Seeded for search only: `broadsheet seed --no-comments` with only the
search index listening to the bulk load (the related lists, fingerprints, citations and purges
are left out, not queued: search never reads them), a few times faster at a million stories
(about 10 minutes), then vacuumed on PostgreSQL.
`python bench/bench_search_scale.py --seed-only` seeds the sizes and stops. From each archive
SEARCH_QUERIES_STORIES (12) stories are drawn at random over every id, and from each a rare
word, a quoted phrase, a name and two headline words (search_queries.py); every size runs the
union of those queries. BENCH_SEARCH_JSON=path also writes every timing there.
BENCH_SEARCH_RESULTS=path keeps every query's results (first page, ranked ids and scores) at
both sizes the first time, and compares with them on later runs (check_results): a faster
search must find the same stories in the same order. `--check-only` compares and stops.

Paired: one timing process per size (common.Timer, in process, page cache and fragment cache
off) and, for every query and every run, both sizes answer it one right after the other (in
alternating order), so a change in the machine's load falls on both alike. Each query is warmed
up once, then timed BENCH_SEARCH_RUNS (5) times at each size, three ways: the service
(services.search: index queries, the article fetch, highlights), the search page (GET
/search/?q=) and the API (GET /api/articles?q=). Wall time, and CPU time of the timing process
plus its PostgreSQL server process (steadier on a shared machine). Printed: p50/p95 by kind of
query (the same queries at both sizes), and by how many stories a query matches at that size
(the top bucket is the number ranked at most, BROADSHEET_SEARCH_MAX_CANDIDATES), with the ratio
of the larger size to the smaller.
"""

import datetime
import json
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

import common
import search_queries

SETUP = r"""
from django.utils import timezone
from broadsheet.search import conf, get_backend, services
from broadsheet.search.base import Filters

def matches(text):
    outcome = services.search(text)
    if not outcome.query:
        return 0
    found = get_backend().search(outcome.query, Filters(), now=timezone.now(), limit=conf.max_candidates(), match=outcome.match)
    return len(found)

def results(texts, now):
    # For each query: the ids on its first page (services.search) and every ranked hit
    # (id, score) at the cap, at the moment `now` (ISO 8601) so two runs rank alike.
    import datetime
    now = datetime.datetime.fromisoformat(now)
    out = {}
    for text in texts:
        outcome = services.search(text, now=now)
        found = []
        if outcome.query:
            found = get_backend().search(outcome.query, Filters(), now=now, limit=conf.max_candidates(), match=outcome.match)
        out[text] = {"page": [r.article.pk for r in outcome.results], "ranked": [[h.article_id, h.score] for h in found]}
    return out
"""

WAYS = {
    "service": "services.search",
    "page": "GET /search/?q=",
    "api": "GET /api/articles?q=",
}


# Run in a data folder: `broadsheet seed` with only the search index listening to articles_loaded.
SEED_FOR_SEARCH = r"""
from django.core.management import call_command
from broadsheet.newsroom.signals import articles_loaded
for uid in ("related.loaded", "submissions-fingerprint-bulk", "wire.loaded", "edge.articles_loaded"):
    articles_loaded.disconnect(dispatch_uid=uid)
call_command("seed", articles={articles}, no_progress=True, no_comments=True)
"""

VACUUM = r"""
from django.db import connection
with connection.cursor() as cursor:
    for table in ("search_document", "newsroom_article"):
        cursor.execute(f"VACUUM (ANALYZE) {table}")
"""


def searched_dir(articles):
    """A data folder holding exactly `articles` stories seeded for search (see the docstring)."""
    kind = "data" if common.database_label() == "SQLite" else "pg"
    path = common.TMP / f"bs-bench-{kind}-search-{articles}"
    if path.exists() and common.article_count(path) == articles:
        print(f"  reusing {path} ({articles:,} articles)", flush=True)
        common.manage(path, "migrate", "--noinput")
        return path
    path = common.fresh_dir(f"{kind}-search-{articles}")
    if kind == "pg":
        (path / "database_url").write_text(common.size_database(articles))
    print(f"  seeding {articles:,} articles for search into {path} ...", flush=True)
    started = time.monotonic()
    common.manage(path, "migrate", "--noinput")
    print(common.query(path, SEED_FOR_SEARCH.format(articles=articles)), flush=True)
    if kind == "pg":  # as autovacuum soon would: every run then measures the same tables
        common.query(path, VACUUM)
    print(f"  seeded in {time.monotonic() - started:.0f}s (load {common.load():.1f})", flush=True)
    return path


def check_results(timers, texts, path):
    """BENCH_SEARCH_RESULTS=path: every query's results at each size (its first page, and every
    ranked id with its score), written to `path` the first time and compared with it after (the
    same moment `now` is used again): a change to the search code must leave them identical.
    Returns the number of queries whose results differ."""
    saved = json.loads(path.read_text()) if path.exists() else {}
    now = saved.get("now") or datetime.datetime.now(datetime.UTC).isoformat()
    found = {
        str(size): timer.ask(code=f"result = results({texts!r}, {now!r})")["result"]
        for size, timer in timers.items()
    }
    if not saved:
        path.write_text(json.dumps({"now": now, "sizes": found}))
        print(f"  results of {len(texts)} queries at {len(found)} sizes written to {path}", flush=True)
        return 0
    differ, compared, worst = 0, 0, 0.0
    for size, answers in found.items():
        before = saved["sizes"].get(size)
        if before is None:
            print(f"  {path} has no results at {int(size):,}", flush=True)
            continue
        for text, answer in answers.items():
            if text not in before:
                continue
            compared += 1
            old = before[text]
            same_ids = answer["page"] == old["page"] and [h[0] for h in answer["ranked"]] == [
                h[0] for h in old["ranked"]
            ]
            worst = max(
                [worst] + [abs(a[1] - b[1]) for a, b in zip(answer["ranked"], old["ranked"], strict=False)]
            )
            if not same_ids:
                differ += 1
                print(f"  results differ at {int(size):,} for {text!r}", flush=True)
    print(
        f"  results compared with {path}: {compared - differ} of {compared} queries identical"
        f" (ids and order; largest score change {worst:.3g})",
        flush=True,
    )
    return differ


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def asks(text):
    """The three ways of timing one query, as Timer requests."""
    return {
        "service": {"code": f"services.search({text!r})"},
        "page": {"path": "/search/?" + urllib.parse.urlencode({"q": text})},
        "api": {"path": "/api/articles?" + urllib.parse.urlencode({"q": text})},
    }


def row(label, small, large, way):
    if small is None or large is None:
        walls, cpus = [], []
        for runs in (small, large):
            walls.append(
                "-"
                if runs is None
                else f"{statistics.median(runs[way]['wall']):.1f} / {percentile(runs[way]['wall'], 95):.1f}"
            )
            cpus.append("-" if runs is None else f"{percentile(runs[way]['cpu'], 95):.1f}")
        counts = f"{small['n'] if small else 0} / {large['n'] if large else 0}"
        return [label, *walls, "-", " / ".join(cpus), "-", counts]
    wall = {size: runs[way]["wall"] for size, runs in (("s", small), ("l", large))}
    cpu = {size: runs[way]["cpu"] for size, runs in (("s", small), ("l", large))}
    return [
        label,
        f"{statistics.median(wall['s']):.1f} / {percentile(wall['s'], 95):.1f}",
        f"{statistics.median(wall['l']):.1f} / {percentile(wall['l'], 95):.1f}",
        f"{percentile(wall['l'], 95) / max(percentile(wall['s'], 95), 1e-9):.2f}x",
        f"{percentile(cpu['s'], 95):.1f} / {percentile(cpu['l'], 95):.1f}",
        f"{percentile(cpu['l'], 95) / max(percentile(cpu['s'], 95), 1e-9):.2f}x",
        f"{small['n']} / {large['n']}",
    ]


def grouped(results, key):
    groups = {}
    for r in results:
        g = groups.setdefault(key(r), {way: {"wall": [], "cpu": []} for way in WAYS} | {"n": 0})
        for way in WAYS:
            for name in ("wall", "cpu"):
                g[way][name].extend(r[way][name])
        g["n"] += 1
    return groups


def main():
    sizes = common.env_list("BENCH_SEARCH_SIZES", "10000,100000")
    runs = common.env_int("BENCH_SEARCH_RUNS", 5)
    small, large = min(sizes), max(sizes)
    print(f"Search at {small:,} and {large:,} stories side by side ({common.database_label()})", flush=True)
    folders = {size: searched_dir(size) for size in sorted(set(sizes))}
    if "--seed-only" in sys.argv:
        return 0
    queries = []
    for data in (folders[small], folders[large]):
        queries += search_queries.parse(common.query(data, search_queries.DRAW))
    queries = list(dict.fromkeys(map(tuple, queries)))
    kinds = {}
    for kind, _ in queries:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"  {len(queries)} queries drawn from both archives: {kinds}", flush=True)
    env = {"BROADSHEET_PAGECACHE": "false", "BROADSHEET_FRAGMENTS": "false"}
    timers = {size: common.Timer(folders[size], SETUP, **env) for size in (small, large)}
    results = {size: {} for size in (small, large)}
    load_seen, failed, differ = [common.load()], [], 0
    try:
        if os.environ.get("BENCH_SEARCH_RESULTS"):
            path = Path(os.environ["BENCH_SEARCH_RESULTS"])
            differ = check_results(timers, [text for _, text in queries], path)
            if "--check-only" in sys.argv:
                return 1 if differ else 0
        cap = timers[small].ask(code="result = conf.max_candidates()")["result"]
        for size, timer in timers.items():
            for kind, text in queries:
                r = results[size][text] = {"kind": kind, "text": text}
                r["matches"] = timer.ask(code=f"result = matches({text!r})")["result"]
                r.update({way: {"wall": [], "cpu": []} for way in WAYS})
                for request in asks(text).values():  # warm-up
                    timer.ask(**request)
        for turn in range(runs):
            for number, (_kind, text) in enumerate(queries):
                order = (small, large) if (turn + number) % 2 == 0 else (large, small)
                for way, request in asks(text).items():
                    for size in order:
                        answer = timers[size].ask(**request)
                        if "path" in request and answer["result"] != 200:
                            failed.append((size, request["path"], answer["result"]))
                        results[size][text][way]["wall"].append(answer["wall"])
                        results[size][text][way]["cpu"].append(answer["cpu"])
            load_seen.append(common.load())
            print(f"  run {turn + 1} of {runs} done (load {load_seen[-1]:.1f})", flush=True)
    finally:
        for timer in timers.values():
            timer.close()
    by_size = {size: list(results[size].values()) for size in results}
    if os.environ.get("BENCH_SEARCH_JSON"):  # every timing, for a closer look afterwards
        Path(os.environ["BENCH_SEARCH_JSON"]).write_text(json.dumps({"cap": cap, "results": by_size}))

    def bucket_of(r):
        return search_queries.bucket(r["matches"], cap)

    by_kind = {size: grouped(by_size[size], lambda r: r["kind"]) for size in by_size}
    everything = {size: grouped(by_size[size], lambda r: "all queries") for size in by_size}
    by_bucket = {size: grouped(by_size[size], bucket_of) for size in by_size}
    order = ["0 matches", "1-20 matches", f"21-{cap - 1} matches", f"{cap}+ matches (ranked cap)"]
    for way, label in WAYS.items():
        headers = [
            label,
            f"{small:,} p50 / p95 ms",
            f"{large:,} p50 / p95 ms",
            "p95 ratio",
            "CPU p95 ms",
            "CPU p95 ratio",
            "queries",
        ]
        rows = [
            row(k, by_kind[small][k], by_kind[large][k], way) for k in by_kind[small] if k in by_kind[large]
        ]
        rows.append(
            row("all queries", everything[small]["all queries"], everything[large]["all queries"], way)
        )
        for b in order:  # a bucket found at one size only is shown with that size's figures alone
            if b in by_bucket[small] or b in by_bucket[large]:
                rows.append(row(f"{b} at that size", by_bucket[small].get(b), by_bucket[large].get(b), way))
        print()
        print(common.table(headers, rows))
    for size, path, status in failed[:10]:
        print(f"  {size:,}: {path} answered {status}")
    moved = sum(1 for text, r in results[large].items() if bucket_of(r) != bucket_of(results[small][text]))
    print(
        f"\n({moved} of {len(queries)} queries match more stories at {large:,} and moved up a bucket; "
        f"wall ms and CPU ms (the timing process and its PostgreSQL server process); "
        f"target: p95 within 1.2x; load average {min(load_seen):.1f}-{max(load_seen):.1f}, "
        f"{os.cpu_count()} CPUs)"
    )
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
