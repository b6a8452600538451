"""How fast `broadsheet seed` fills a fresh database: SQLite always, PostgreSQL when asked.

    .venv/bin/python bench/bench_seed.py                 # 100,000 articles on a fresh SQLite
    BENCH_SEED_ARTICLES=20000 .venv/bin/python bench/bench_seed.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bs .venv/bin/python bench/bench_seed.py
    BENCH_PG=1 BENCH_SEED_ARTICLES=1000000 BENCH_SEED_SQLITE=0 .venv/bin/python bench/bench_seed.py

PostgreSQL is measured too when DATABASE_URL points at it, or when BENCH_PG is set: to 1 for the
local server (postgres://postgres@127.0.0.1:5432), or to a server URL. The seed goes into a
database of its own, <name>_bench_seed (<name> from DATABASE_URL, else "broadsheet"), created
fresh and dropped afterwards unless BENCH_SEED_KEEP=1; DATABASE_URL's own database is not
touched. BENCH_SEED_SQLITE=0 skips SQLite.

Targets: 100,000 articles in under 2 minutes on SQLite; 1,000,000 in under 15 minutes on
PostgreSQL, everything included (articles, tags and authors, the search index and the other
articles_loaded receivers, ANALYZE).

Prints wall time, the CPU time of the seeding process and of the PostgreSQL server process
serving it (both steadier than wall time when the machine is shared; the server's is read from
/proc, so only for a server on this machine), and articles per second. Also checks, on a
sample, that the fast HTML path of the demo bodies gives exactly what render_markdown gives.
The SQLite folder is kept as /tmp/bs-bench-data-<n> for bench_pages.py to reuse.
"""

import os
import random
import resource
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import common

LOCAL_PG = "postgres://postgres@127.0.0.1:5432"
TARGETS = {"SQLite": (100_000, 120), "PostgreSQL": (1_000_000, 900)}  # articles, seconds

# Run in the seeding process: on exit, print the CPU time of its PostgreSQL server process.
SEED = """
import atexit, os, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection

def server_cpu():
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    try:
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return
    print("server-cpu", (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))

atexit.register(server_cpu)
call_command("seed", "--articles", sys.argv[1], "--no-progress")
"""


def check_fast_html(sample):
    """The seed writes demo bodies as HTML without parsing them; it must equal the Markdown output."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    os.environ.setdefault("BROADSHEET_DATA", str(common.TMP / "bs-bench-seed-check"))
    import django

    django.setup()
    from broadsheet.newsroom import demo
    from broadsheet.newsroom.text import render_markdown

    fast = same = 0
    for i in range(sample):
        story = demo.make_story(random.Random(f"1-{i}"), i)
        if story.body_html is not None:
            fast += 1
            same += story.body_html == render_markdown(story.body)
    return fast, same


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_url():
    """The URL of the bench's own seed database, or None when PostgreSQL is not asked for."""
    url = os.environ.get("DATABASE_URL", "")
    flag = os.environ.get("BENCH_PG", "")
    if not url.startswith("postgres"):
        url = "" if flag in ("", "0") else (LOCAL_PG if flag == "1" else flag)
    if not url:
        return None
    parts = urlsplit(url)
    name = parts.path.strip("/") or "broadsheet"
    return urlunsplit(parts._replace(path=f"/{name}_bench_seed"))


def postgres(url, sql, *, maintenance=False):
    """One statement on the server, in the seed database or (CREATE/DROP) the maintenance one."""
    import psycopg

    if maintenance:
        url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def seed(label, articles, database_url=None):
    """Seed a fresh database; return the row of figures and the wall time."""
    data = common.fresh_dir(f"seed-{label.lower()}-{articles}")
    env = common.data_env(data)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
        name = urlsplit(database_url).path.strip("/")
        postgres(database_url, f'DROP DATABASE IF EXISTS "{name}"', maintenance=True)
        postgres(database_url, f'CREATE DATABASE "{name}"', maintenance=True)
    manage = [common.BROADSHEET, "migrate", "--noinput"]
    subprocess.run(manage, env=env, cwd=common.ROOT, check=True, stdout=subprocess.DEVNULL)
    load_before = common.load()
    cpu_before = cpu_of_children()
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", SEED, str(articles)],
        env=env,
        cwd=common.ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    cpu = cpu_of_children() - cpu_before
    load_after = common.load()
    server = [float(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("server-cpu")]
    if database_url:
        size = postgres(database_url, "SELECT pg_size_pretty(pg_database_size(current_database()))")
    else:
        db = data / "broadsheet.sqlite3"
        size = f"{db.stat().st_size / 2**20:.0f} MiB" if db.exists() else "-"
    row = [
        label,
        f"{articles:,}",
        f"{wall:.1f}",
        f"{cpu:.1f}",
        f"{server[0]:.1f}" if server else "-",
        f"{articles / wall:,.0f}",
        size,
        f"{load_before:.1f} -> {load_after:.1f}",
    ]
    return row, wall, data


def main():
    articles = common.env_int("BENCH_SEED_ARTICLES", 100_000)
    sample = common.env_int("BENCH_SEED_CHECK", 2000)
    keep_pg = os.environ.get("BENCH_SEED_KEEP") == "1"
    runs = []
    if os.environ.get("BENCH_SEED_SQLITE", "1") != "0":
        runs.append(("SQLite", None))
    if url := postgres_url():
        runs.append(("PostgreSQL", url))
    rows, verdicts = [], []
    for label, url in runs:
        print(f"Seeding {articles:,} articles on a fresh {label} (seed 1)", flush=True)
        row, wall, data = seed(label, articles, url)
        rows.append(row)
        target_articles, target_seconds = TARGETS[label]
        scaled = wall * target_articles / articles
        verdict = "under" if scaled < target_seconds else "OVER"
        verdicts.append(
            f"{label}: {verdict} the {target_seconds // 60}-minute target for {target_articles:,}"
            f" (scaled from this run: {scaled:.0f}s)"
        )
        if url is None:
            keep = common.TMP / f"bs-bench-data-{articles}"
            shutil.rmtree(keep, ignore_errors=True)
            data.rename(keep)
            verdicts.append(f"Kept the seeded SQLite folder as {keep} for bench_pages.py")
        elif keep_pg:
            verdicts.append(f"Kept the PostgreSQL database {url} (data folder {data})")
        else:
            name = urlsplit(url).path.strip("/")
            postgres(url, f'DROP DATABASE IF EXISTS "{name}"', maintenance=True)
            shutil.rmtree(data, ignore_errors=True)
    headers = ["database", "articles", "wall s", "CPU s", "server CPU s", "articles/s", "size", "load 1m"]
    print(common.table(headers, rows))
    print("\n".join(verdicts))

    fast, same = check_fast_html(sample)
    print(
        f"Fast HTML path: used for {fast}/{sample} sample bodies, identical to render_markdown for {same}/{fast}"
    )
    return 0 if same == fast else 1


if __name__ == "__main__":
    sys.exit(main())
