"""Related posts: quality on bench/data/related_eval.jsonl, rebuild speed and memory, update latency.

    .venv/bin/python bench/bench_related.py            # quality + 100k articles (what `make bench` runs)
    RELATED_BENCH_SIZES=1000000 .venv/bin/python bench/bench_related.py   # quality + 1M articles
    RELATED_BENCH_SIZES=100000,1000000 ...             # both sizes
    RELATED_BENCH_SIZES=0 ...                          # quality only

Each size gets its own SQLite data folder, RELATED_BENCH_DIR/size-N (default
/tmp/bs-related-bench/size-N; DATABASE_URL is ignored so the bench never touches a real
database), seeded once with `broadsheet seed` and kept for the next run: 100k takes about two
minutes to seed, 1M about half an hour. A folder seeded before (BROADSHEET_DATA=... broadsheet
seed --articles N) can be linked in as size-N. RELATED_BENCH_UPDATES (default 40) sets how many
edits and how many new articles are timed. RELATED_BENCH_DATABASE_URL=postgres://.../db measures
rebuild and updates on that PostgreSQL database instead (seeded before; its related tables are
rebuilt, nothing else changes).

Figures are wall-clock and CPU seconds on this machine (CPU includes the rebuild's reader
processes); the 1-minute load average is printed beside them because the machine may be shared.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("RELATED_BENCH_DIR", "/tmp/bs-related-bench"))
EVAL = ROOT / "bench" / "data" / "related_eval.jsonl"
SIZES = [int(x) for x in os.environ.get("RELATED_BENCH_SIZES", "100000").split(",") if x.strip()]
DISTRACTORS = int(os.environ.get("RELATED_BENCH_DISTRACTORS", "3000"))
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
# A PostgreSQL database seeded before (never seeded or dropped here): speed is measured on it.
DATABASE_URL = os.environ.get("RELATED_BENCH_DATABASE_URL", "")
COUNT = "from broadsheet.newsroom.models import Article\nprint(json.dumps(Article.objects.count()))"


def env_for(data_dir, tasks_backend=None, database_url=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(
        BROADSHEET_DATA=str(data_dir),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        PYTHONPATH=str(ROOT / "src"),
        LOG_LEVEL="WARNING",
    )
    if tasks_backend:
        env["BROADSHEET_TASKS_BACKEND"] = tasks_backend
    return env


def child(data_dir, code, *, tasks_backend=None, database_url=None):
    """Run `code` in a fresh Python with Django set up; it prints one JSON line last."""
    prelude = (
        "import json, os, resource, time, django\ndjango.setup()\n"
        "from django.core.management import call_command\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=env_for(data_dir, tasks_backend, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-5000:])
        raise SystemExit(f"bench child failed in {data_dir}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def load():
    return os.getloadavg()[0]


# --- quality -----------------------------------------------------------------------------

QUALITY = r"""
import datetime, sys
from broadsheet.newsroom import importing
from broadsheet.newsroom.models import Article
from broadsheet.related import conf, services

call_command("migrate", verbosity=0)
distractors = int(os.environ["RELATED_DISTRACTORS"])
if distractors and not Article.objects.exists():
    conf.BULK_LIMIT = 0  # the seed's bulk load queues (here: runs) one rebuild
    call_command("seed", articles=distractors, no_progress=True, stdout=open(os.devnull, "w"))
rows = [json.loads(line) for line in open(os.environ["RELATED_EVAL"], encoding="utf-8")]
# The set may be dated ahead of this machine's clock; move it back whole so none is scheduled.
latest = max(datetime.datetime.fromisoformat(r["published"]) for r in rows)
shift = max(datetime.timedelta(0), latest - datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))
for r in rows:
    r["published"] = (datetime.datetime.fromisoformat(r["published"]) - shift).isoformat()
started = time.perf_counter()
report = importing.import_lines([json.dumps(r) for r in rows])  # one batched update task for all
incremental_seconds = time.perf_counter() - started
assert not report.errors, report.errors
by_ext = {a.external_id: a for a in Article.objects.filter(external_id__in=[r["external_id"] for r in rows])}
clusters = {}
for r in rows:
    if r.get("cluster"):
        clusters.setdefault(r["cluster"], []).append(r["external_id"])

def measure():
    rp, r5, singles_top_score = [], [], 0
    for members in clusters.values():
        for ext in members:
            relevant = {by_ext[m].pk for m in members if m != ext}
            R = len(relevant)
            got = [a.pk for a in services.related_for(by_ext[ext], limit=max(R, 5))]
            rp.append(len(set(got[:R]) & relevant) / R)
            r5.append(len(set(got[:5]) & relevant) / R)
    return sum(rp) / len(rp), sum(r5) / len(r5), len(rp)

inc = measure()
started = time.perf_counter()
services.rebuild_related()
rebuild_seconds = time.perf_counter() - started
full = measure()
print(json.dumps({"incremental": inc, "rebuild": full, "articles": Article.objects.count(),
                  "clusters": len(clusters), "import_seconds": incremental_seconds,
                  "rebuild_seconds": rebuild_seconds}))
"""


def quality():
    print(f"Evaluation set: {EVAL.relative_to(ROOT)}")
    for distractors in (0, DISTRACTORS):
        data_dir = WORK / f"quality-{distractors}"
        if data_dir.exists():
            subprocess.run(["rm", "-rf", str(data_dir)], check=True)
        data_dir.mkdir(parents=True)
        env_code = f"os.environ['RELATED_EVAL'] = {str(EVAL)!r}\nos.environ['RELATED_DISTRACTORS'] = '{distractors}'\n"
        r = child(data_dir, env_code + QUALITY, tasks_backend=IMMEDIATE)
        label = (
            f"eval set alone ({r['articles']} articles)"
            if not distractors
            else (f"eval set + {distractors} seeded demo stories ({r['articles']} articles)")
        )
        print(f"  {label}, {r['clusters']} clusters, {r['rebuild'][2]} clustered articles scored:")
        print(
            f"    after the import's batched update:    R-precision {r['incremental'][0]:.3f}, "
            f"recall@5 {r['incremental'][1]:.3f}"
        )
        print(
            f"    after `related rebuild`:              R-precision {r['rebuild'][0]:.3f}, recall@5 {r['rebuild'][1]:.3f}"
        )


# --- speed -------------------------------------------------------------------------------

REBUILD = r"""
def cpu():
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime
cpu_before = cpu()
started = time.perf_counter()
call_command("related", "rebuild", "--no-progress", stdout=open(os.devnull, "w"))
wall = time.perf_counter() - started
own, workers = (after - before for after, before in zip(cpu(), cpu_before))
from broadsheet.related.models import IndexState, RelatedEntry, Term
print(json.dumps({"wall": wall, "cpu": own, "workers_cpu": workers,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "indexed": IndexState.objects.get().documents, "entries": RelatedEntry.objects.count(),
                  "terms": Term.objects.count()}))
"""

UPDATES = r"""
import random, statistics
from django.utils import timezone
from broadsheet.newsroom.models import Article
from broadsheet.related import services
from broadsheet.related.base import get_backend

backend = get_backend()
rng = random.Random(7)
top = Article.objects.order_by("-id").values_list("id", flat=True).first()
N = int(os.environ.get("RELATED_BENCH_UPDATES", "40"))
sample = list(Article.objects.filter(status="published", id__in=[rng.randint(1, top) for _ in range(5 * N)])[:2 * N])

def timed(fn):
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000

edits = [timed(lambda a=a: backend.update([a.pk])) for a in sample[:N]]
created = []
for a in sample[N:]:
    new = Article.objects.create(
        headline=a.headline + " (follow-up)", summary=a.summary, body=a.body + "\n\nMore to follow.",
        section_id=a.section_id, source_id=a.source_id, status="published", publish_at=timezone.now(),
    )
    created.append(new)
publishes = [timed(lambda a=a: backend.update([a.pk])) for a in created]
reads = [timed(lambda a=a: services.related_for(a)) for a in sample]
found = sum(1 for a in created if services.related_for(a))
removes = [timed(lambda a=a: backend.remove([a.pk])) for a in created]
Article.objects.filter(pk__in=[a.pk for a in created]).delete()

def summary(pairs):
    values, cpu = sorted(w for w, _ in pairs), sorted(c for _, c in pairs)
    return {"median": statistics.median(values), "p95": values[int(len(values) * 0.95) - 1], "max": values[-1],
            "cpu_median": statistics.median(cpu), "cpu_p95": cpu[int(len(cpu) * 0.95) - 1], "n": len(values)}

print(json.dumps({"publish": summary(publishes), "edit": summary(edits), "remove": summary(removes),
                  "read": summary(reads), "new_with_list": found, "new": len(created)}))
"""


def ensure_seeded(size):
    data_dir = WORK / f"size-{size}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = env_for(data_dir, "django_tasks_db.DatabaseBackend")
    subprocess.run(
        [str(BIN / "broadsheet"), "migrate", "-v0", "--skip-checks"], env=env, cwd=ROOT, check=True
    )
    count = child(data_dir, COUNT)
    if count < size:
        print(
            f"  seeding {size - count} articles into {data_dir} (once; kept for later runs) ...", flush=True
        )
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "broadsheet"), "seed", "--articles", str(size), "--no-progress", "--skip-checks"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  seeded in {time.perf_counter() - started:.0f}s")
    return data_dir


def speed(size, database_url=None):
    if database_url:
        data_dir = WORK / "postgresql"
        data_dir.mkdir(parents=True, exist_ok=True)
        count = child(data_dir, COUNT, database_url=database_url)
        print(f"\nRebuild and updates at {count:,} articles (PostgreSQL {database_url.rsplit('/', 1)[-1]}):")
    else:
        print(f"\nRebuild and updates at {size:,} articles (SQLite, `broadsheet seed` demo stories):")
        data_dir = ensure_seeded(size)
    before = load()
    r = child(data_dir, REBUILD, database_url=database_url)
    print(
        f"  rebuild: {r['wall']:.1f}s wall, {r['cpu'] + r['workers_cpu']:.1f}s CPU "
        f"({r['cpu']:.1f}s main process + {r['workers_cpu']:.1f}s reader processes), peak memory "
        f"{r['peak_mib']:.0f} MiB main + {r['workers_peak_mib']:.0f} MiB per reader "
        f"({r['indexed']:,} published articles indexed, {r['entries']:,} list rows, {r['terms']:,} terms; "
        f"load average {before:.1f} -> {load():.1f})"
    )
    u = child(data_dir, UPDATES, database_url=database_url)
    for name in ("publish", "edit", "remove", "read"):
        s = u[name]
        label = {
            "publish": "publish one new article (its list + the lists it enters + index)",
            "edit": "edit one article (same, replacing its old vector)",
            "remove": "unpublish one article (out of every list, lists refilled)",
            "read": "read one related list (related_for, one query)",
        }[name]
        print(
            f"  {label}: median {s['median']:.1f} ms, p95 {s['p95']:.1f} ms, max {s['max']:.1f} ms wall; "
            f"CPU median {s['cpu_median']:.1f} ms, p95 {s['cpu_p95']:.1f} ms ({s['n']} runs)"
        )
    print(f"  new follow-up articles that found a list at once: {u['new_with_list']} of {u['new']}")


def main():
    print(f"load average at start: {load():.1f} (2 cores, shared)")
    quality()
    if DATABASE_URL:
        speed(None, DATABASE_URL)
        return
    for size in SIZES:
        if size > 0:
            speed(size)


if __name__ == "__main__":
    main()
