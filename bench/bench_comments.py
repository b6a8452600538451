"""Comment stress run: many readers commenting at once on one story, against the real server.

Starts `broadsheet serve --no-worker` (the production server) on a free port with its own data
folder and flood protection switched off, then posts N comments from C concurrent clients. Each
client first loads the article page (CSRF cookie + the signed form stamp), waits until the stamp
is 3 seconds old as a person would, then posts its share. Prints accepted / stored / failed for
SQLite and, when PostgreSQL answers on 127.0.0.1:5432, for PostgreSQL.

    .venv/bin/python bench/bench_comments.py [--comments 2000] [--clients 32] [--db sqlite,postgres]
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_URL = "postgres://postgres@127.0.0.1:5432/bs_comments_bench"
WORDS = (
    "harbour council tide ferry lighthouse budget library school bridge market weather dunes "
    "fishermen timetable museum festival river orchard station square"
).split()

SETUP = """
from broadsheet.comments.models import ModerationSettings
from broadsheet.newsroom.models import Article, Section
section, _ = Section.objects.get_or_create(name="Bench")
article, _ = Article.objects.get_or_create(
    slug="comment-stress-story",
    defaults={"headline": "Comment stress story", "body": "Words.", "section": section, "status": "published"},
)
rules = ModerationSettings.load()
rules.flood_seconds = 0
rules.save()
print("ARTICLE", article.pk, article.get_absolute_url())
"""
COUNT = """
from broadsheet.comments.models import Comment
print("STORED", Comment.objects.filter(article__slug="comment-stress-story").count())
"""


# --- the clients ----------------------------------------------------------------------------------


def _cookies(response):
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def load_form(host, port, article_path, article_id, count):
    """The story page as a reader loads it, and a stamp per comment to send (the story page is
    the same for everyone; comments.js fetches a stamp from /comments/state/)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", article_path)
    response = conn.getresponse()
    html = response.read().decode("utf-8", "replace")
    cookies = _cookies(response)
    assert 'name="form_stamp"' in html
    return conn, cookies, None, common.fetch_stamps(conn, article_id, count)


def post_many(host, port, article_path, article_id, *, total, clients, stamp_age=3.2):
    """Post `total` comments from `clients` threads; return a dict of counts and latencies."""
    shares = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    lock = threading.Lock()
    stats = {"accepted": 0, "failed": 0, "locked": 0, "latencies": [], "reasons": Counter()}
    ready = threading.Barrier(clients)

    def client(index, count):
        try:
            conn, cookies, token, stamps = load_form(host, port, article_path, article_id, count)
        except Exception as error:  # a client that cannot load the form fails all its comments
            with lock:
                stats["failed"] += count
                stats["reasons"][f"form: {type(error).__name__}"] += count
            ready.wait()
            return
        loaded = time.monotonic()
        ready.wait()
        time.sleep(max(0.0, loaded + stamp_age - time.monotonic()))
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        for n in range(count):
            words = " ".join(WORDS[(index * 7 + n * 3 + k) % len(WORDS)] for k in range(12))
            body = common.comment_body(
                token,
                stamps[n],
                comment=f"Reader {index} remark {n}: {words}.",
                author=f"Reader {index}",
                email=f"reader{index}.{n}@bench.example",
            )
            started = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    f"/comments/post/{article_id}/",
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header},
                )
                response = conn.getresponse()
                content = response.read()
                location = response.getheader("Location") or ""
            except Exception as error:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                with lock:
                    stats["failed"] += 1
                    stats["reasons"][type(error).__name__] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                stats["latencies"].append(elapsed)
                if response.status == 302 and ("#comment-" in location or "/comments/held/" in location):
                    stats["accepted"] += 1
                else:
                    stats["failed"] += 1
                    if b"database is locked" in content:
                        stats["locked"] += 1
                    stats["reasons"][f"HTTP {response.status}"] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i, c)) for i, c in enumerate(shares)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats["seconds"] = time.monotonic() - started
    return stats


# --- the server -----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False):
    result = subprocess.run(
        [str(BIN / "broadsheet"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"broadsheet {args[0]} failed")
    return result.stdout


def postgres_reachable():
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3, autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS bs_comments_bench")
            conn.execute("CREATE DATABASE bs_comments_bench")
        return True
    except Exception as error:
        print(f"PostgreSQL not reachable, skipped ({type(error).__name__})")
        return False


def drop_postgres():
    import psycopg

    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3, autocommit=True
    ) as conn:
        conn.execute("DROP DATABASE IF EXISTS bs_comments_bench WITH (FORCE)")


def run(backend, *, comments, clients):
    data = Path(tempfile.mkdtemp(prefix=f"bs-comments-bench-{backend}-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        BROADSHEET_DATA=str(data),
        BROADSHEET_PLAIN_STATIC="1",
        BROADSHEET_CACHE_PREFIX=f"bench-comments-{backend}",
        EMAIL_URL="dummy://",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
    )
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        article_id, article_path = re.search(
            r"ARTICLE (\d+) (\S+)", manage(env, "shell", "-c", SETUP)
        ).groups()
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "broadsheet"), "serve", "--no-worker", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        stats = post_many("127.0.0.1", port, article_path, int(article_id), total=comments, clients=clients)
        stored = int(re.search(r"STORED (\d+)", manage(env, "shell", "-c", COUNT)).group(1))
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)
    latencies = sorted(stats["latencies"]) or [0.0]
    p95 = latencies[int(len(latencies) * 0.95) - 1] if len(latencies) > 1 else latencies[0]
    print(
        f"{backend:<9} comments={comments} clients={clients} accepted={stats['accepted']} stored={stored} "
        f"failed={stats['failed']} locked={stats['locked']} "
        f"rate={stats['accepted'] / max(stats['seconds'], 0.001):.0f}/s "
        f"p50={statistics.median(latencies) * 1000:.0f}ms p95={p95 * 1000:.0f}ms",
        flush=True,
    )
    if stats["reasons"]:
        print(f"          failures: {dict(stats['reasons'])}")
    return stats["accepted"] == stored and stats["failed"] == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args(argv)
    ok = True
    for backend in args.db.split(","):
        if backend == "postgres":
            if not postgres_reachable():
                continue
            try:
                ok &= run(backend, comments=args.comments, clients=args.clients)
            finally:
                drop_postgres()
        else:
            ok &= run(backend, comments=args.comments, clients=args.clients)
    print("every accepted comment stored, none failed" if ok else "SOME COMMENTS FAILED OR WERE LOST")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
