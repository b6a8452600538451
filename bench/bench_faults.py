"""Fault drills against the real server: what the site does when a part of it goes away.

1. PostgreSQL restarted in the middle of a comment load run (8 clients, ~20 s): requests sent,
   acknowledged, failed, how long until the site answered again, every acknowledged write stored.
2. Redis stopped under page load (a private redis-server on a free port): pages keep answering
   200 from the database; after Redis is back, the page cache answers HIT again.
3. The task worker SIGKILLed in the middle of a task: the next worker runs it again to the end,
   and the real tasks queued behind it (related lists of newly published stories) run too.
4. SQLite under 32 concurrent writers (~15 s): no response ever says "database is locked".

Loopback only; stops by itself; prints a summary table; exits 0 when every drill held.

    .venv/bin/python bench/bench_faults.py [--only postgres,redis,worker,sqlite] [--seconds 20]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BROADSHEET, ROOT, Server, free_port, load, serve_command, table  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "bs_faults"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
REDIS_DB = 12
STAMPS_PER_SECOND = 10  # form stamps fetched per drill client and drill second (each works once)
RECOVERY_LIMIT = 5.0  # seconds after PostgreSQL is back within which the site must answer again
WORDS = (
    "drill ferry lantern quay budget tide almanac cobbles pier gulls timetable orchard signal "
    "harbour rota kiosk weather ledger bandstand"
).split()

SETUP = """
from broadsheet.newsroom.models import Article, Section
section, _ = Section.objects.get_or_create(name="Drills")
article, _ = Article.objects.get_or_create(
    slug="fault-drill-story",
    defaults={"headline": "The fault drill story", "summary": "Readers reply while parts fail.",
              "body": "The harbour office runs its yearly drill.", "section": section, "status": "published"},
)
print("ARTICLE", article.pk, article.get_absolute_url(), section.get_absolute_url())
"""
STORED = """
import json, re
from broadsheet.comments.models import Comment
bodies = Comment.objects.filter(body__contains="{run}").values_list("body", flat=True)
print("MARKERS", json.dumps(sorted(set(m for b in bodies for m in re.findall(r"{run}x\\d+x\\d+", b)))))
"""


# --- plumbing ---------------------------------------------------------------------------------------


def site_env(data_dir, database_url="", redis_url="", **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        BROADSHEET_DATA=str(data_dir),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        PYTHONPATH=str(ROOT),  # the worker drill's slow task lives in tests/faults/
        BROADSHEET_PLAIN_STATIC="1",
        BROADSHEET_CACHE_PREFIX="bs-faults",
        BROADSHEET_COMMENTS_FLOOD_SECONDS="0",
        EMAIL_URL="dummy://",
        LOG_LEVEL="CRITICAL",
        SECRET_KEY="fault-drill-secret-key-that-is-long-enough-for-django-checks-0123456789",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args):
    result = subprocess.run([BROADSHEET, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"broadsheet {' '.join(args)} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return result.stdout


def prepare_site(env, seed_articles):
    manage(env, "migrate", "--noinput", "-v0")
    if seed_articles:
        manage(env, "seed", "--articles", str(seed_articles), "--if-empty", "--no-progress")
    article_id, article_path, section_path = re.search(
        r"ARTICLE (\d+) (\S+) (\S+)", manage(env, "shell", "-c", SETUP)
    ).groups()
    return int(article_id), article_path, section_path


def stored_markers(env, run):
    out = manage(env, "shell", "-c", STORED.replace("{run}", run))
    return set(json.loads(re.search(r"MARKERS (.*)", out).group(1)))


def recreate_postgres():
    import psycopg

    with psycopg.connect(PG_ADMIN, connect_timeout=3, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def postgres_version():
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*") if p.name.isdigit())
    return versions[-1] if versions else None


def _cookies(response):
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


# --- a write load: readers posting comments through the real form -----------------------------------


class CommentLoad:
    """`clients` threads post comments for `seconds`; every outcome is recorded with its times.

    Each comment carries a unique marker (<run>x<client>x<n>) so the drill can check afterwards
    that every comment the site acknowledged (302 to #comment-N or /comments/held/N/) is in the database.
    """

    def __init__(self, port, article_id, article_path, *, clients, seconds, run):
        self.port, self.article_id, self.article_path = port, article_id, article_path
        self.clients, self.seconds, self.run_id = clients, seconds, run
        self.lock = threading.Lock()
        self.outcomes = []  # (sent_at, done_at, kind, marker, detail)
        self.locked_pages = 0
        self.start_at = None
        self.go = threading.Event()

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def load_form(self, deadline):
        while time.monotonic() < deadline:
            try:
                conn = self.connect()
                conn.request("GET", self.article_path)
                response = conn.getresponse()
                response.read()
                cookies = _cookies(response)
                # A stamp works once: enough for the drill, fetched as comments.js does.
                stamps = []
                for _ in range(max(10, int(self.seconds * STAMPS_PER_SECOND))):
                    conn.request("GET", f"/comments/state/{self.article_id}/")
                    stamps.append(json.loads(conn.getresponse().read())["stamp"])
                return conn, cookies, "", stamps
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("could not load the comment form")

    def fresh_stamp(self, conn):
        """One more stamp when the client used up its own: fetched, then aged as a reader would."""
        conn.request("GET", f"/comments/state/{self.article_id}/")
        stamp = json.loads(conn.getresponse().read())["stamp"]
        time.sleep(3.1)
        return stamp

    def client(self, index, ready):
        conn, cookies, token, stamps = self.load_form(time.monotonic() + 30)
        ready.wait()
        self.go.wait()
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        end = self.start_at + self.seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            marker = f"{self.run_id}x{index}x{n}"
            words = " ".join(WORDS[(index * 5 + n * 3 + k) % len(WORDS)] for k in range(10))
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "form_stamp": stamps.pop() if stamps else self.fresh_stamp(conn),
                    "comment": f"Drill note {marker}: {words}.",
                    "author": f"Drill reader {index}",
                    "email": f"drill{index}@faults.example",
                    "url": "",
                    "parent": "",
                    "website_url_confirm": "",
                }
            )
            sent = time.monotonic()
            try:
                conn.request(
                    "POST",
                    f"/comments/post/{self.article_id}/",
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                )
                response = conn.getresponse()
                content = response.read()
            except Exception as error:
                conn.close()
                conn = self.connect()
                self.record(sent, "failed", marker, f"connection: {type(error).__name__}")
                time.sleep(0.05)
                continue
            location = response.getheader("Location") or ""
            if b"database is locked" in content.lower():
                with self.lock:
                    self.locked_pages += 1
            if response.status == 302 and ("#comment-" in location or "/comments/held/" in location):
                self.record(sent, "ack", marker, "302")
            elif response.status >= 500:
                retry = " +Retry-After" if response.getheader("Retry-After") else ""
                self.record(sent, "failed", marker, f"HTTP {response.status}{retry}")
                time.sleep(0.05)
            else:
                self.record(sent, "refused", marker, f"HTTP {response.status}")
        conn.close()

    def record(self, sent, kind, marker, detail):
        with self.lock:
            self.outcomes.append(
                (sent - self.start_at, time.monotonic() - self.start_at, kind, marker, detail)
            )

    def run(self):
        ready = threading.Barrier(self.clients + 1)
        threads = [
            threading.Thread(target=self.client, args=(i, ready), daemon=True) for i in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        ready.wait()
        # every client has its form and stamps; a stamp must be 3 seconds old before it is used
        self.start_at = time.monotonic() + 3.3
        self.go.set()
        return threads

    def count(self, kind):
        return sum(1 for o in self.outcomes if o[2] == kind)

    def acknowledged(self):
        return {o[3] for o in self.outcomes if o[2] == "ack"}

    def reasons(self):
        return Counter(o[4] for o in self.outcomes if o[2] != "ack")


# --- 1. PostgreSQL restarted under load -------------------------------------------------------------


def drill_postgres(seconds):
    version = postgres_version()
    if version is None:
        return skipped("PostgreSQL restart", "no /etc/postgresql here")
    try:
        recreate_postgres()
    except Exception as error:
        return skipped("PostgreSQL restart", f"PostgreSQL not reachable ({type(error).__name__})")
    data = Path(tempfile.mkdtemp(prefix="bs-faults-pg-"))
    env = site_env(data, database_url=PG_URL)
    try:
        article_id, article_path, _ = prepare_site(env, seed_articles=12)
        port = free_port()
        with Server(serve_command(port, workers=2), env, port):
            run = f"pg{int(time.time())}"
            load_run = CommentLoad(port, article_id, article_path, clients=8, seconds=seconds, run=run)
            threads = load_run.run()
            restart = {}
            time.sleep(max(0.0, load_run.start_at + seconds * 0.4 - time.monotonic()))
            restart["begin"] = time.monotonic() - load_run.start_at
            probe = PostgresProbe(load_run.start_at)
            probe.start()
            result = subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                capture_output=True,
                text=True,
            )
            restart["end"] = time.monotonic() - load_run.start_at
            for thread in threads:
                thread.join(timeout=seconds + 60)
            probe.stopped.set()
            probe.join()
            if result.returncode:
                print(f"  pg_ctlcluster restart failed: {result.stderr.strip()}")
        stored = stored_markers(env, run)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    acked = load_run.acknowledged()
    missing = acked - stored
    failures = sorted((o for o in load_run.outcomes if o[2] != "ack"), key=lambda o: o[1])
    back = probe.back_at if probe.back_at is not None else restart["end"]
    after = sorted((o for o in load_run.outcomes if o[2] == "ack" and o[0] >= back), key=lambda o: o[1])
    answered_again = after[0][1] - back if after else None
    late_failures = [o for o in failures if o[0] > back + RECOVERY_LIMIT]
    sent = len(load_run.outcomes)
    print(
        f"  PostgreSQL {version} restart began at t={restart['begin']:.1f}s; it refused connections from "
        f"t={fmt(probe.down_at)}s and accepted them again at t={fmt(probe.back_at)}s "
        f"(pg_ctlcluster returned at t={restart['end']:.1f}s)"
    )
    print(
        f"  requests sent {sent}, acknowledged {len(acked)}, failed {load_run.count('failed')}, "
        f"refused with a message {load_run.count('refused')}"
    )
    if failures:
        print(
            f"  failures between t={failures[0][1]:.1f}s and t={failures[-1][1]:.1f}s: {dict(load_run.reasons())}"
        )
    print(f"  timeline (answers per second, ack/failed): {timeline(load_run.outcomes)}")
    if answered_again is not None:
        print(f"  first acknowledged write {answered_again:.2f}s after PostgreSQL accepted connections again")
        if failures:
            last = failures[-1][1]
            recovered = min(o[1] for o in load_run.outcomes if o[2] == "ack" and o[1] > last)
            print(
                f"  site unable to save for {recovered - failures[0][1]:.2f}s (first failure to next acknowledged write)"
            )
    print(
        f"  acknowledged writes stored: {len(acked) - len(missing)}/{len(acked)}; "
        f"also stored though the answer was an error: {len(stored - acked)}"
    )
    held = (
        result.returncode == 0
        and answered_again is not None
        and answered_again <= RECOVERY_LIMIT
        and not late_failures
        and not missing
        and load_run.count("refused") == 0
        and not any("500" in o[4] for o in failures)
    )
    figures = (
        f"sent {sent}, acked {len(acked)}, failed {load_run.count('failed')}, "
        f"back in {answered_again if answered_again is None else round(answered_again, 2)}s, "
        f"lost {len(missing)}"
    )
    return ("PostgreSQL restart under load", held, figures)


class PostgresProbe(threading.Thread):
    """Polls PostgreSQL directly: when it stopped accepting connections and when it came back."""

    def __init__(self, origin):
        super().__init__(daemon=True)
        self.origin, self.down_at, self.back_at = origin, None, None
        self.stopped = threading.Event()

    def run(self):
        import psycopg

        while not self.stopped.is_set() and self.back_at is None:
            try:
                with psycopg.connect(PG_ADMIN, connect_timeout=1) as conn:
                    conn.execute("SELECT 1")
                if self.down_at is not None:
                    self.back_at = time.monotonic() - self.origin
            except Exception:
                if self.down_at is None:
                    self.down_at = time.monotonic() - self.origin
            self.stopped.wait(0.05)


def fmt(seconds):
    return "?" if seconds is None else f"{seconds:.1f}"


def timeline(outcomes):
    seconds = {}
    for _sent, done, kind, _marker, _detail in outcomes:
        ack, failed = seconds.setdefault(int(done), [0, 0])
        seconds[int(done)] = [ack + (kind == "ack"), failed + (kind != "ack")]
    return " ".join(f"{s}s:{a}/{f}" for s, (a, f) in sorted(seconds.items()))


# --- 2. Redis stopped under page load ---------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own on a free loopback port (the machine's Redis is shared)."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if self.cli("ping") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def cli(self, *args):
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "-n", str(REDIS_DB), *args], capture_output=True, text=True
        )
        return result.stdout.strip()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def fetch(port, path, nocache=False):
    """(status, X-Cache label) of one GET; nocache sends a cookie the page cache never answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": "bs_nocache=1"} if nocache else {})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("X-Cache") or "-"
    except Exception as error:
        return type(error).__name__, "-"
    finally:
        conn.close()


def page_load(port, paths, seconds, clients=4):
    results, lock = Counter(), threading.Lock()
    end = time.monotonic() + seconds

    def client(i):
        n = i
        while time.monotonic() < end:
            status, label = fetch(port, paths[n % len(paths)])
            n += 1
            with lock:
                results[(status, label)] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def summarise(results):
    return ", ".join(f"{status} {label}: {n}" for (status, label), n in sorted(results.items(), key=str))


def drill_redis(seconds):
    if not shutil.which("redis-server"):
        return skipped("Redis stopped", "no redis-server binary")
    redis = PrivateRedis()
    data = Path(tempfile.mkdtemp(prefix="bs-faults-redis-"))
    env = site_env(data, redis_url=f"redis://127.0.0.1:{redis.port}/{REDIS_DB}")
    try:
        redis.start()
        article_id, article_path, section_path = prepare_site(env, seed_articles=12)
        paths = ["/", article_path, section_path]
        port = free_port()
        with Server(serve_command(port, workers=2), env, port):
            before = page_load(port, paths, seconds / 4)
            keys_before = int(redis.cli("dbsize") or 0)
            redis.stop()
            during = page_load(port, paths, seconds / 2)
            redis.start()
            resumed_after, seen = None, set()
            started = time.monotonic()
            while time.monotonic() - started < 15 and len(seen) < len(paths):
                for path in paths:
                    status, label = fetch(port, path)
                    if status == 200 and label == "HIT":
                        seen.add(path)
                time.sleep(0.1)
            if len(seen) == len(paths):
                resumed_after = time.monotonic() - started
            keys_after = int(redis.cli("dbsize") or 0)
    finally:
        redis.stop()
        shutil.rmtree(data, ignore_errors=True)
    ok_during = sum(n for (status, _), n in during.items() if status == 200)
    total_during = sum(during.values())
    print(f"  Redis up:      {summarise(before)}  ({keys_before} keys in Redis)")
    print(f"  Redis stopped: {summarise(during)}")
    if resumed_after is None:
        print("  Redis back:    the page cache did not answer HIT again within 15 s")
    else:
        print(
            f"  Redis back:    every page answered HIT again after {resumed_after:.2f}s ({keys_after} keys in Redis)"
        )
    held = total_during > 0 and ok_during == total_during and resumed_after is not None and keys_after > 0
    figures = f"{ok_during}/{total_during} pages 200 while down, cache back in {resumed_after and round(resumed_after, 2)}s"
    return ("Redis stopped under page load", held, figures)


# --- 3. the task worker killed in the middle of a task ----------------------------------------------

ENQUEUE = """
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, Section
from tests.core.worker_tasks import slow_mark
slow = slow_mark.using(priority=10).enqueue({marker!r}, 4)
section, _ = Section.objects.get_or_create(name="Drills")
for n in range(5):
    story = Article.objects.create(headline=f"Worker drill story {{n}} about the harbour ferry",
        body="The ferry timetable changes for the winter.", section=section, status="draft")
    services.publish(story)
print("SLOW", slow.id)
"""
TASKS = """
import json
from django_tasks_db.models import DBTaskResult
slow = DBTaskResult.objects.get(pk={slow!r})
others = DBTaskResult.objects.exclude(pk=slow.pk)
print("TASKS", json.dumps({{"slow": slow.status, "workers": len(slow.worker_ids),
    "others": sorted(others.values_list("status", flat=True)), "paths": sorted(set(others.values_list("task_path", flat=True)))}}))
"""


def task_state(env, slow):
    out = manage(env, "shell", "-c", TASKS.format(slow=slow))
    return json.loads(re.search(r"TASKS (.*)", out).group(1))


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def drill_worker(seconds):
    try:
        recreate_postgres()
        database_url = PG_URL
    except Exception:
        database_url = ""  # SQLite in the data folder
    data = Path(tempfile.mkdtemp(prefix="bs-faults-worker-"))
    marker = data / "slow-task.txt"
    env = site_env(data, database_url=database_url, BROADSHEET_WORKER_STALE_SECONDS=3)
    command = [BROADSHEET, "worker", "--interval", "0.2"]
    workers = []
    try:
        manage(env, "migrate", "--noinput", "-v0")
        slow = re.search(r"SLOW (\S+)", manage(env, "shell", "-c", ENQUEUE.format(marker=str(marker)))).group(
            1
        )
        queued = task_state(env, slow)
        first = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        workers.append(first)
        began = wait_until(lambda: marker.exists() and "started" in marker.read_text(), 30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        after_kill = task_state(env, slow)
        second = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        workers.append(second)
        wait_until(lambda: marker.read_text().count("started") >= 2, 30)
        reran_after = time.monotonic() - killed_at
        done = wait_until(
            lambda: (
                (s := task_state(env, slow))["slow"] == "SUCCESSFUL"
                and all(x == "SUCCESSFUL" for x in s["others"])
            ),
            40,
        )
        finished_in = time.monotonic() - killed_at
        final = task_state(env, slow)
        text = marker.read_text() if marker.exists() else ""
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
        shutil.rmtree(data, ignore_errors=True)
    label = "PostgreSQL" if database_url else "SQLite"
    print(
        f"  database: {label}; queued: 1 slow drill task + {len(queued['others'])} real tasks {queued['paths']}"
    )
    print(
        f"  first worker SIGKILLed mid-task: slow task {after_kill['slow']}, "
        f"real tasks {dict(Counter(after_kill['others']))}"
    )
    print(
        f"  second worker (stale after 3 s): slow task started again {reran_after:.1f}s after the kill, "
        f"{final['slow']} after {finished_in:.1f}s "
        f"(started {text.count('started')}x, finished {text.count('finished')}x, by {final['workers']} workers), "
        f"real tasks {dict(Counter(final['others']))}"
    )
    held = (
        began
        and done
        and after_kill["slow"] == "RUNNING"
        and text.count("started") == 2
        and text.count("finished") == 1
        and final["workers"] == 2
    )
    figures = f"ran again {reran_after:.1f}s, done {finished_in:.1f}s after the kill; {len(final['others'])} real tasks done"
    return ("Task worker killed mid-task", held, figures)


# --- 4. SQLite under many concurrent writers --------------------------------------------------------


def drill_sqlite(seconds, clients=32):
    data = Path(tempfile.mkdtemp(prefix="bs-faults-sqlite-"))
    env = site_env(data)
    try:
        article_id, article_path, _ = prepare_site(env, seed_articles=0)
        port = free_port()
        with Server(serve_command(port, workers=2), env, port):
            run = f"lite{int(time.time())}"
            load_run = CommentLoad(port, article_id, article_path, clients=clients, seconds=seconds, run=run)
            for thread in load_run.run():
                thread.join(timeout=seconds + 120)
        stored = stored_markers(env, run)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    acked = load_run.acknowledged()
    missing = acked - stored
    sent = len(load_run.outcomes)
    print(
        f"  {clients} writers for {seconds:.0f}s: sent {sent}, accepted {len(acked)} "
        f"({len(acked) / seconds:.0f}/s), stored {len(acked) - len(missing)}, failed {load_run.count('failed')}, "
        f"refused {load_run.count('refused')}, 'database is locked' shown {load_run.locked_pages}x"
    )
    if load_run.reasons():
        print(f"  not accepted: {dict(load_run.reasons())}")
    held = load_run.locked_pages == 0 and not missing and load_run.count("failed") == 0 and len(acked) > 0
    figures = f"accepted {len(acked)}, stored {len(acked) - len(missing)}, failed {load_run.count('failed')}, locked {load_run.locked_pages}"
    return (f"SQLite, {clients} concurrent writers", held, figures)


# --- the report -------------------------------------------------------------------------------------


def skipped(name, reason):
    print(f"  skipped: {reason}")
    return (name, None, f"skipped: {reason}")


DRILLS = {
    "postgres": ("1. PostgreSQL restarted in the middle of a write load", drill_postgres, 1.0),
    "redis": ("2. Redis stopped under page load", drill_redis, 0.6),
    "worker": ("3. Task worker killed in the middle of a task", drill_worker, 1.0),
    "sqlite": ("4. SQLite under many concurrent writers", drill_sqlite, 0.75),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(DRILLS), help="comma-separated: " + ",".join(DRILLS))
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the load runs")
    args = parser.parse_args(argv)
    rows, everything_held = [], True
    started = time.monotonic()
    for name in args.only.split(","):
        title, drill, share = DRILLS[name]
        print(f"\n{title} (load average {load():.1f})", flush=True)
        try:
            row = drill(args.seconds * share)
        except Exception as error:  # a drill that cannot run is a drill that did not hold
            print(f"  ERROR: {type(error).__name__}: {str(error)[-1500:]}")
            row = (title[3:], False, f"error: {type(error).__name__}")
        rows.append(row)
        if row[1] is False:
            everything_held = False
        sys.stdout.flush()
    print(
        f"\nSummary ({time.monotonic() - started:.0f}s, load average {load():.1f}; the machine may be shared)"
    )
    print(
        table(
            ["drill", "result", "figures"],
            [
                (name, {True: "held", False: "FAILED", None: "skipped"}[held], figures)
                for name, held, figures in rows
            ],
        )
    )
    print("every drill held" if everything_held else "SOME DRILLS FAILED")
    return 0 if everything_held else 1


if __name__ == "__main__":
    sys.exit(main())
