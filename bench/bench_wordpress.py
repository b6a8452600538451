"""How fast `broadsheet import-wordpress` moves a site in, and how fast a redirect answers.

    .venv/bin/python bench/bench_wordpress.py                     # 10,000 posts on SQLite
    BENCH_WP_POSTS=10000,100000 .venv/bin/python bench/bench_wordpress.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bs .venv/bin/python bench/bench_wordpress.py

Generates an export shaped like the issue's target with make_wxr.py (per post: 3 comments, a
third of them replies; one picture for every 5 posts, in an uploads tarball), imports it into a fresh data
folder (and a fresh PostgreSQL database <name>_wp_<n> when DATABASE_URL is PostgreSQL), then
imports it again (nothing changed). Prints wall time and the peak memory (max RSS) of each run,
and the median server time of a redirect answer (Django's whole stack, in process, 2,000
requests over old permalinks). Targets: 100,000 posts in under 15 minutes, peak memory under
500 MiB whatever the size, a second run under a fifth of the first, a redirect under 2 ms.
"""

import os
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import common
from make_wxr import write_export

MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
result = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
elapsed = time.monotonic() - started
tail = [l for l in result.stdout.splitlines() if l.strip()][-8:]
print("\\n".join(tail))
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("measure", elapsed, usage.ru_maxrss, result.returncode, usage.ru_utime + usage.ru_stime)
"""

REDIRECTS = """
import statistics, sys, time
import django
django.setup()
from django.test import Client
from broadsheet.redirects.models import Redirect
paths = list(Redirect.objects.filter(old_path__startswith="/20").values_list("old_path", flat=True)[:2000])
client = Client()
for path in paths[:50]:
    client.get(path)
times = []
for path in paths:
    started = time.perf_counter()
    response = client.get(path)
    times.append(time.perf_counter() - started)
    assert response.status_code == 301, (path, response.status_code)
times.sort()
print(f"redirect: median {statistics.median(times) * 1000:.2f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms over {len(times)} old permalinks")
"""

def database_for(posts):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'broadsheet'}_wp_{posts}"
    server = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    return urlunsplit(parts._replace(path=f"/{name}"))


def measure(env, *args):
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, common.BROADSHEET, *args], env=env, capture_output=True, text=True
    )
    lines = result.stdout.strip().splitlines()
    _, elapsed, rss, code, cpu = lines[-1].split()
    return float(elapsed), int(rss) / 1024, int(code), "\n".join(lines[:-1]), float(cpu)


def run(posts):
    data = common.TMP / f"bs-bench-wp-{posts}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    export, uploads = data / "export.xml", data / "uploads.tar.gz"
    started = time.monotonic()
    pictures, comments = write_export(export, uploads, posts)
    size = export.stat().st_size / 1024 / 1024
    print(f"{posts:,} posts, {comments:,} comments, {pictures:,} pictures: export {size:.0f} MiB, written in {time.monotonic() - started:.0f}s")
    env = {**os.environ, "BROADSHEET_DATA": str(data), "DJANGO_SETTINGS_MODULE": "broadsheet.settings"}
    env.pop("DATABASE_URL", None)
    database = database_for(posts)
    if database:
        env["DATABASE_URL"] = database
    subprocess.run([common.BROADSHEET, "migrate", "-v0"], env=env, check=True)
    kind = "PostgreSQL" if database else "SQLite"
    first = measure(env, "import-wordpress", str(export), "--uploads", str(uploads), "--no-progress")
    print(first[3])
    print(f"{kind} first run: {first[0]:.0f}s ({posts / first[0]:.0f} posts/s), CPU {first[4]:.0f}s, peak memory {first[1]:.0f} MiB, load {common.load():.1f}")
    second = measure(env, "import-wordpress", str(export), "--uploads", str(uploads), "--no-progress")
    print(
        f"{kind} second run (nothing changed): {second[0]:.0f}s ({second[0] / first[0] * 100:.0f}% of the first), "
        f"CPU {second[4]:.0f}s ({second[4] / first[4] * 100:.0f}% of the first's CPU), peak memory {second[1]:.0f} MiB, "
        f"load {common.load():.1f}"
    )
    subprocess.run([sys.executable, "-c", REDIRECTS], env=env, check=True)
    if os.environ.get("BENCH_WP_KEEP") != "1":
        shutil.rmtree(data, ignore_errors=True)


def main():
    for posts in common.env_list("BENCH_WP_POSTS", "10000"):
        run(posts)


if __name__ == "__main__":
    main()
