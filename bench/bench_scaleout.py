"""Scale-out: two app servers and one task worker sharing one PostgreSQL and one Redis.

    .venv/bin/python bench/bench_scaleout.py
    BENCH_DURATION=3 BENCH_ROUNDS=1 .venv/bin/python bench/bench_scaleout.py

Needs PostgreSQL and Redis: DATABASE_URL (postgres://...) and REDIS_URL, or, when they are unset,
postgres://postgres@127.0.0.1:5432/bench_scaleout and redis://127.0.0.1:6379/13 if those answer;
otherwise it says why and skips (exit 0). The articles (BENCH_ARTICLES=10,000) are seeded into a
database of their own as bench/common.py does for every size (or reused when already there).

1. Starts two app servers exactly as an operator would (`broadsheet serve --no-worker` on two
   ports, BENCH_WORKERS=1 worker process each) and one task worker (`broadsheet worker`), all with
   the same DATABASE_URL and REDIS_URL.
2. Loads both servers at once, one wrk each (BENCH_CONNECTIONS=32 connections in all, for
   BENCH_DURATION=5 s, best of BENCH_ROUNDS=2): article pages from the page cache, the same
   rendered by Django (the bypass cookie), and search pages rendered by Django (the page type
   that works PostgreSQL hardest); then the first server alone with the same connections, for
   comparison. Prints requests/s per server and in total, p99, CPU ms per request of the app
   servers, of their PostgreSQL backends and of Redis, the memory of the largest server worker
   and of the task worker, the PostgreSQL connections held, and the load average (the machine is
   shared: CPU per request is the steadier figure). BENCH_THREADS, when set, is passed as
   `--threads` (each thread holds a PostgreSQL connection per database alias).
3. Coherence: a separate process publishes a story. Both servers must show it on their home page
   at the first request (the page cache's generation lives in Redis), the task worker must write
   its related list (timed by polling the database) and both servers must find it by search.
4. Read replica: restarts the servers with DATABASE_REPLICA_URL set. A real streaming replica
   needs PostgreSQL restarted with replication configured, which a shared machine does not allow,
   so the "replica" is the same database under another connection, told apart by its
   application_name (`?application_name=...` in the URL, passed to PostgreSQL as is). The servers
   run with the fragment cache off, so every page view reads the database. What each connection
   ran is read from pg_stat_activity (a backend's query_start moves when it runs a query; its
   last statement is shown): page and search reads, under load and one at a time, must run on the
   replica connection (the primary sees only what Django sends there by design: get_or_create's
   look-up, health checks, connection set-up); a comment posted through the real form (CSRF
   token, form stamp, the 3-second minimum) must be saved through the primary alone, and the
   commenter's next page, served by the *other* server, must be read from the primary
   (core/db_router.py), while another reader's stays on the replica.

Everything the benchmark adds (one story, its comment, its related lists, its Redis keys) is
removed at the end, so the seeded database keeps its size for the other benchmarks. Exits 1 if a
coherence or routing check fails.
"""

import html
import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import common

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_scaleout"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
APP = "scaleout-app"  # application_name of the app servers' connections: scaleout-app1, ...
WORKER_APP = "scaleout-worker"
HEADLINE_MARK = "Scale-out check"
# Django's get_or_create() reads from the primary whatever the router says: loading the comment
# rules (ModerationSettings.load) does, once per content generation (once per render with the
# fragment cache off). Seen on the primary connection during a page view, it is expected.
# CONN_HEALTH_CHECKS sends "SELECT 1" on a connection's first use in each request, and a new
# connection sets its time zone.
PRIMARY_BY_DESIGN = {"comments_moderationsettings", "(health check)", "(new connection)"}

PUBLISH = """
import json, time
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article
model = Article.objects.published().order_by("-publish_at")[3]
article = Article(
    headline="{mark} {word}: " + model.headline[:120],
    summary="A story published by the scale-out benchmark. " + model.summary[:400],
    body=model.body + "\\n\\nThe word {word} appears in no other story.",
    section=model.section,
)
started = time.time()
services.publish(article)
print(json.dumps({{"pk": article.pk, "url": article.get_absolute_url(),
    "headline": article.headline, "started": started, "published": time.time()}}), flush=True)
"""

REMOVE = """
from broadsheet.newsroom.models import Article
print(Article.objects.filter(headline__startswith="{mark}").delete()[0])
"""


# --- PostgreSQL, Redis and the processes ---------------------------------------------------------


def services_or_skip():
    """(database URL, Redis URL) to use, or None after printing why the benchmark is skipped."""
    database = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if not database.startswith("postgres"):
        print(f"SKIPPED: scale-out needs PostgreSQL; DATABASE_URL is {database.split(':')[0]}")
        return None
    try:
        import psycopg

        psycopg.connect(admin_url(database), connect_timeout=3).close()
    except Exception as error:
        print(f"SKIPPED: PostgreSQL does not answer at {database} ({type(error).__name__}); set DATABASE_URL")
        return None
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as error:
        print(f"SKIPPED: Redis does not answer at {redis_url} ({type(error).__name__}); set REDIS_URL")
        return None
    return database, redis_url


def admin_url(url):
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres", query=""))


def named(url, application_name):
    """The same database URL, its connections named `application_name` in pg_stat_activity."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "application_name"]
    query.append(("application_name", application_name))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


class TaskWorker:
    """`broadsheet worker` in a process group of its own, stopped on exit."""

    def __init__(self, env):
        self.env = env
        self.proc = None
        self.log = tempfile.TemporaryFile()

    def __enter__(self):
        self.proc = subprocess.Popen(
            [common.BROADSHEET, "worker"],
            env=self.env,
            cwd=common.ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def memory(self):
        """(peak RSS, private RSS) in MiB."""
        _name, peak, private = common.tree_memory(self.proc.pid).get(self.proc.pid, ("", 0.0, 0.0))
        return peak, private


class Database:
    """The bench's own connection to the seeded database: polling rows and pg_stat_activity."""

    def __init__(self, url):
        import psycopg

        self.conn = psycopg.connect(named(url, "scaleout-bench"), autocommit=True)

    def one(self, sql, *params):
        return self.conn.execute(sql, params).fetchone()

    def backends(self, prefix=APP):
        """{pid: (application_name, query_start, query)} of this database's connections named prefix*."""
        rows = self.conn.execute(
            "SELECT pid, application_name, query_start, query FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name LIKE %s",
            (prefix + "%",),
        ).fetchall()
        return {pid: (name, started, query) for pid, name, started, query in rows}

    def cpu(self):
        """{pid: CPU seconds} of the app servers' PostgreSQL backends."""
        return {pid: common.tree_cpu(pid) for pid in self.backends()}


def ran_queries(before, after):
    """{application_name: [last query]} of the connections that ran a query between two snapshots."""
    ran = {}
    for pid, (name, started, query) in after.items():
        if started is not None and (pid not in before or before[pid][1] != started):
            ran.setdefault(name, []).append(" ".join(query.split()))
    return ran


def role(application_name):
    return "replica" if application_name.endswith("-replica") else "primary"


def roles(ran):
    """'primary', 'replica' or both, from the application_names of the connections that ran queries."""
    return " + ".join(sorted({role(name) for name in ran})) or "none"


def table_of(query):
    """The first table a statement names (enough to tell the comment rules from a story)."""
    if query.strip() == "SELECT 1":
        return "(health check)"
    if not query.strip() or query.startswith("SELECT set_config("):
        return "(new connection)"
    match = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"?([a-z][a-z0-9_]*)', query)
    return match.group(1) if match else query.split(" ", 1)[0]


def read_from_replica(ran):
    """True when the replica ran queries and the primary at most Django's get_or_create() look-ups."""
    on_primary = {table_of(q) for name, queries in ran.items() if role(name) == "primary" for q in queries}
    return any(role(name) == "replica" for name in ran) and on_primary <= PRIMARY_BY_DESIGN


def redis_cpu(redis_url):
    """CPU seconds used so far by the Redis server (shared with other work: an upper bound)."""
    import redis

    try:
        pid = redis.Redis.from_url(redis_url).info("server")["process_id"]
        return common.tree_cpu(int(pid))
    except Exception:
        return float("nan")


# --- load -----------------------------------------------------------------------------------------


def load_at_once(servers, db, redis_url, script, headers, duration, connections):
    """Load every server at the same time (one wrk each); per-server results and the total."""
    each = max(1, connections // len(servers))
    app_before = [s.cpu() for s in servers]
    db_before, redis_before = db.cpu(), redis_cpu(redis_url)
    with ThreadPoolExecutor(len(servers)) as pool:
        runs = list(
            pool.map(
                lambda s: common.wrk(
                    s.base + "/",
                    duration=duration,
                    connections=each,
                    threads=1,
                    script=script,
                    headers=headers,
                ),
                servers,
            )
        )
    db_after = db.cpu()
    db_used = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    redis_used = redis_cpu(redis_url) - redis_before
    for server, run, before in zip(servers, runs, app_before, strict=True):
        run["cpu_ms"] = 1000 * (server.cpu() - before) / max(1, run["requests"])
    requests = sum(r["requests"] for r in runs)
    total = {
        "rps": sum(r["rps"] for r in runs),
        "p99": max(r["p99"] for r in runs),
        "requests": requests,
        "cpu_ms": sum(r["cpu_ms"] * r["requests"] for r in runs) / max(1, requests),
        "db_ms": 1000 * db_used / max(1, requests),
        "redis_ms": 1000 * redis_used / max(1, requests),
        "bad": sum(r["non2xx"] + r["errors"] for r in runs),
        "load": max(r["load"] for r in runs),
    }
    return runs, total


def measure(servers, db, redis_url, modes, *, duration, rounds, connections):
    """{mode: (runs, total)}: the best of `rounds` for each mode ({mode: (wrk script, headers)}),
    modes taken in turn each round."""
    best = {}
    for _ in range(rounds):
        for mode, (script, headers) in modes.items():
            got = load_at_once(servers, db, redis_url, script, headers, duration, connections)
            if mode not in best or got[1]["rps"] > best[mode][1]["rps"]:
                best[mode] = got
    return best


def search_paths(paths):
    """Search pages for a word from each sampled story's address (the seed's own words)."""
    words = []
    for path in paths:
        words += [w for w in path.strip("/").split("/")[-1].split("-") if len(w) >= 5 and w.isalpha()][:1]
    return ["/search/?" + urllib.parse.urlencode({"q": w}) for w in dict.fromkeys(words)] or [
        "/search/?q=harbour"
    ]


def warm(servers, paths, script):
    for server in servers:
        for path in paths:  # one render of each page fills the page cache and the fragments
            server.get(path)
    with ThreadPoolExecutor(len(servers)) as pool:
        list(
            pool.map(
                lambda s: common.wrk(s.base + "/", duration=2, connections=8, threads=1, script=script),
                servers,
            )
        )


# --- the reader's side ----------------------------------------------------------------------------


class Reader:
    """A browser of sorts: keeps its cookies, does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, *headers):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )
        self.headers = dict(h.split(": ", 1) for h in headers)

    def open(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=dict(self.headers))
        try:
            with self.opener.open(request, timeout=15) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers, answer.read().decode(errors="replace")

    def cookies(self):
        return {c.name for c in self.jar}


def form_fields(page):
    """The comment form's hidden fields as the page gave them."""
    form = re.search(r'<form id="comment-form".*?</form>', page, re.S).group()
    fields = {}
    for name in ("csrfmiddlewaretoken", "form_stamp", "parent"):
        match = re.search(rf'<input type="hidden" name="{name}"[^>]*value="([^"]*)"', form)
        fields[name] = html.unescape(match.group(1)) if match else ""
    return fields


# --- the parts of the benchmark -------------------------------------------------------------------


def publish_and_follow(servers, db, data, worker):
    """Publish through a separate process; check both servers and the worker keep up."""
    checks, facts = [], {}
    word = "quorvalline" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(5))
    for server in servers:  # both servers have the home page cached before the story goes out
        server.get("/")
    homes = [server_get(s, "/")[1].get("X-Cache", "?") for s in servers]
    publisher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n" + PUBLISH.format(mark=HEADLINE_MARK, word=word),
        ],
        env=common.data_env(data),
        cwd=common.ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    # The publisher prints as soon as publish() has returned; the servers are asked at once.
    story = json.loads(publisher.stdout.readline())
    replies = [server_get(server, "/") for server in servers]
    asked_after = 1000 * (time.time() - story["published"])
    publisher.communicate(timeout=60)
    facts["story"] = story
    facts["homes_before"] = homes
    facts["publish_ms"] = 1000 * (story["published"] - story["started"])
    for name, (_status, headers, body) in zip(("app1", "app2"), replies, strict=True):
        seen = story["url"] in body
        facts[f"{name}_home"] = (seen, headers.get("X-Cache", "?"), asked_after)
        checks.append((f"{name} home page shows the new story at its first request", seen))
    # Readers open the story at once, before the worker has written its related list.
    facts["early_story"] = [related_shown(server_get(server, story["url"])) for server in servers]

    started, entries, task = story["published"], 0, None
    while time.time() - started < 90:
        entries = db.one("SELECT count(*) FROM related_relatedentry WHERE article_id = %s", story["pk"])[0]
        if entries:
            break
        task = related_task(db, story["pk"])
        if task and task[0] in ("SUCCESSFUL", "FAILED"):  # done, and wrote no list
            break
        time.sleep(0.05)
    facts["related_s"] = time.time() - started
    facts["related_entries"] = entries
    task = related_task(db, story["pk"])
    by_worker = bool(task and task[1] and f"-{worker.proc.pid}-" in task[1][-1])
    facts["task"] = task
    checks.append(("the task worker process wrote the story's related list", bool(entries) and by_worker))

    time.sleep(0.5)  # whatever the worker's write announces, give it a moment to arrive
    for name, server in zip(("app1", "app2"), servers, strict=True):
        facts[f"{name}_related_block"] = shown = related_shown(server_get(server, story["url"]))
        checks.append((f"{name} story page shows the related list once the worker has written it", shown[0]))
        _status, _headers, found = server_get(server, "/search/?" + urllib.parse.urlencode({"q": word}))
        facts[f"{name}_search"] = story["url"] in found
        checks.append((f"{name} search finds the new story", story["url"] in found))
    facts["word"] = word
    return checks, facts


def related_shown(reply):
    """(whether the page has the "Related posts" block, its X-Cache header)."""
    _status, headers, body = reply
    return 'id="related-heading"' in body, headers.get("X-Cache", "?")


def related_task(db, article_id):
    """(status, worker ids) of the newest task queued for this article."""
    return db.one(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        " WHERE args_kwargs->'args' @> %s::jsonb ORDER BY enqueued_at DESC LIMIT 1",
        json.dumps([[article_id]]),
    )


def server_get(server, path, *headers):
    request = urllib.request.Request(server.base + path, headers=dict(h.split(": ", 1) for h in headers))
    with urllib.request.urlopen(request, timeout=15) as answer:
        return answer.status, answer.headers, answer.read().decode()


def sample_during(db, seconds, every=0.05):
    """While load runs, every `every` s: how many samples saw each connection run a new query (its
    query_start moved), {role: {table: samples}} of those queries, an example of each, and
    {application_name: (connections seen, most at once)}."""
    counts, tables, examples, seen, most = {}, {}, {}, {}, {}
    stop = time.monotonic() + seconds
    previous = db.backends()
    while time.monotonic() < stop:
        time.sleep(every)
        now = db.backends()
        at_once = {}
        for pid, (name, started, query) in now.items():
            seen.setdefault(name, set()).add(pid)
            at_once[name] = at_once.get(name, 0) + 1
            if pid not in previous or previous[pid][1] != started:
                counts[name] = counts.get(name, 0) + 1
                table = table_of(query)
                by_table = tables.setdefault(role(name), {})
                by_table[table] = by_table.get(table, 0) + 1
                examples.setdefault((role(name), table), " ".join(query.split()))
        for name, n in at_once.items():
            most[name] = max(most.get(name, 0), n)
        previous = now
    return counts, tables, examples, {name: (len(pids), most[name]) for name, pids in sorted(seen.items())}


def settle(db, quiet=0.5, longest=20):
    """Wait until the servers have answered what the load left queued (no connection runs a query)."""
    deadline, previous = time.monotonic() + longest, db.backends()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = db.backends()
        if not ran_queries(previous, now):
            return
        previous = now


def replica_routing(servers, db, redis_url, script, story, word, *, duration, connections):
    """Reads on the replica connection, a comment on the primary, the commenter pinned to it."""
    checks, facts = [], {}
    with ThreadPoolExecutor(2) as pool:
        sampled = pool.submit(sample_during, db, duration)
        _runs, total = load_at_once(servers, db, redis_url, script, common.UNCACHED, duration, connections)
        counts, tables, examples, connected = sampled.result()
    facts["load"] = (total, counts, tables, connected)
    facts["unexpected"] = {
        table: examples[("primary", table)]
        for table in tables.get("primary", {})
        if table not in PRIMARY_BY_DESIGN
    }
    checks.append(
        (
            "page reads under load ran on the replica connections (the primary: get_or_create only)",
            bool(tables.get("replica")) and set(tables.get("primary", {})) <= PRIMARY_BY_DESIGN,
        )
    )

    app1, app2 = servers
    settle(db)
    search = "/search/?" + urllib.parse.urlencode({"q": word})
    for label, path in (("an article page", story["url"]), ("a search page", search)):
        before = db.backends()
        server_get(app1, path, *common.UNCACHED)
        ran = ran_queries(before, db.backends())
        facts[label] = ran
        checks.append((f"{label} is read from the replica", read_from_replica(ran)))

    commenter = Reader()
    _status, _headers, page = commenter.open(app2.base + story["url"])
    fields = form_fields(page)
    time.sleep(3.5)  # the form refuses what comes back sooner than 3 s (core/antispam.py)
    text = f"A comment sent through app2 at {time.strftime('%H:%M:%S')} by the scale-out benchmark."
    before = db.backends()
    status, headers, _body = commenter.open(
        app2.base + f"/comments/post/{story['pk']}/",
        {
            **fields,
            "comment": text,
            "author": "Bench Reader",
            "email": "bench.reader@example.org",
            "url": "",
            "website_url_confirm": "",
        },
    )
    ran = ran_queries(before, db.backends())
    facts["post"] = (status, ran, sorted(commenter.cookies()))
    saved = db.one(
        "SELECT count(*) FROM comments_comment WHERE article_id = %s AND body = %s", story["pk"], text
    )[0]
    checks.append(
        (
            "the comment is saved through the primary connection only",
            status == 302 and saved == 1 and roles(ran) == "primary",
        )
    )

    # The page the form redirects to, asked of the other server (as a load balancer may).
    location = urllib.parse.urlsplit(headers.get("Location", story["url"]))
    next_url = app1.base + location.path + (f"?{location.query}" if location.query else "")
    before = db.backends()
    _status, _headers, page = commenter.open(next_url)
    ran = ran_queries(before, db.backends())
    facts["next_page"] = (ran, html.escape(text) in page)
    checks.append(("the commenter's next page (on app1) is read from the primary", roles(ran) == "primary"))
    checks.append(("the commenter sees their comment there", html.escape(text) in page))

    before = db.backends()
    _status, _headers, page = Reader(*common.UNCACHED).open(app1.base + story["url"])
    ran = ran_queries(before, db.backends())
    facts["other_reader"] = (ran, html.escape(text) in page)
    checks.append(("another reader's page is read from the replica", read_from_replica(ran)))
    return checks, facts


# --- printing -------------------------------------------------------------------------------------


def load_rows(label, runs, total):
    """One row per server (when there are several), then the total with the shared services' CPU."""
    rows = []
    if len(runs) > 1:
        for i, run in enumerate(runs):
            rows.append(
                [
                    f"{label}: app{i + 1}",
                    f"{run['rps']:,.0f}",
                    f"{run['p99']:.1f}",
                    f"{run['cpu_ms']:.2f}",
                    "",
                    "",
                    str(run["non2xx"] + run["errors"]),
                    f"{run['load']:.1f}",
                ]
            )
    rows.append(
        [
            f"{label}: total" if len(runs) > 1 else label,
            f"{total['rps']:,.0f}",
            f"{total['p99']:.1f}",
            f"{total['cpu_ms']:.2f}",
            f"{total['db_ms']:.2f}",
            f"{total['redis_ms']:.2f}",
            str(total["bad"]),
            f"{total['load']:.1f}",
        ]
    )
    return rows


def print_load(title, results):
    print(f"\n{title}")
    headers = [
        "servers",
        "req/s",
        "p99 ms",
        "app CPU ms/req",
        "PG CPU ms/req",
        "Redis CPU ms/req*",
        "errors",
        "load 1m",
    ]
    rows = []
    for mode, per_config in results.items():
        for label, (runs, total) in per_config.items():
            rows += load_rows(f"{mode}, {label}", runs, total)
    print(common.table(headers, rows))
    print("(* the Redis server is shared with other work on this machine: an upper bound. PG CPU: the app")
    print(
        " servers' own PostgreSQL backends, read from /proc. CPU ms/req is steadier than req/s on a shared machine.)"
    )


def remove_what_we_added(data, db, redis_url, prefix):
    removed = common.query(data, REMOVE.format(mark=HEADLINE_MARK))
    deadline = time.time() + 30  # let the worker take the story out of the related lists
    while (
        time.time() < deadline
        and db.one(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        )[0]
    ):
        time.sleep(0.2)
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    return removed


def main():
    found = services_or_skip()
    if found is None:
        return 0
    database, redis_url = found
    articles = common.env_int("BENCH_ARTICLES", 10_000)
    duration = common.env_int("BENCH_DURATION", 5)
    rounds = common.env_int("BENCH_ROUNDS", 2)
    workers = common.env_int("BENCH_WORKERS", 1)
    threads = common.env_int("BENCH_THREADS", 0) or None  # None: `broadsheet serve`'s default
    connections = common.env_int("BENCH_CONNECTIONS", 32)
    prefix = f"scaleout-{os.getpid()}"
    # Every process started below (servers, worker, the publishing snippet) inherits these.
    os.environ.update(DATABASE_URL=database, REDIS_URL=redis_url, BROADSHEET_CACHE_PREFIX=prefix)
    common.ensure_wrk()
    print(
        f"Scale-out on PostgreSQL + Redis ({redis_url}), {articles:,} articles, {os.cpu_count()} CPUs, "
        f"load {common.load():.1f}: 2 app servers x {workers} worker(s) x {threads or 'the default'} "
        "thread(s) + 1 task worker; "
        f"wrk {connections} connections in all, {duration}s, best of {rounds}",
        flush=True,
    )
    leftover = common.TMP / f"bs-bench-pg-{articles}"
    if (leftover / "database_url").exists():  # a run that was stopped half-way leaves its story
        try:
            common.query(leftover, REMOVE.format(mark=HEADLINE_MARK))
        except subprocess.CalledProcessError:
            pass  # that database is gone or unfinished: seeded_dir() seeds it again
    data = common.seeded_dir(articles)
    common.prepare_static(data)
    primary = (Path(data) / "database_url").read_text().strip()
    db = Database(primary)
    if not db.one("SELECT count(*) FROM related_relatedentry")[0]:  # a seed whose related step failed
        print("  building the related lists ...", flush=True)
        try:
            common.manage(data, "related", "rebuild")
        except subprocess.CalledProcessError:
            print("  `broadsheet related rebuild` failed: no story has a related list to join", flush=True)
    from bench_pages import page_paths

    paths, _section = page_paths(data, common.env_int("BENCH_PAGES", 10))
    pages, searches = common.rotate_script(paths), common.rotate_script(search_paths(paths))
    modes = {
        "cached": (pages, ()),
        "uncached": (pages, common.UNCACHED),
        "search, uncached": (searches, common.UNCACHED),
    }

    def servers(replica=False, **settings):
        """Two app servers, app1 and app2, each on a free port with its connections named."""
        started = []
        for n in (1, 2):
            port = common.free_port()
            settings["DATABASE_URL"] = named(primary, f"{APP}{n}")
            if replica:
                settings["DATABASE_REPLICA_URL"] = named(primary, f"{APP}{n}-replica")
            env = common.data_env(data, **settings)
            started.append(common.Server(common.serve_command(port, workers, threads=threads), env, port))
        return started

    checks, facts = [], None
    try:
        with TaskWorker(common.data_env(data, DATABASE_URL=named(primary, WORKER_APP))) as worker:
            app1, app2 = servers()
            with app1, app2:
                warm([app1, app2], paths, pages)
                both = measure(
                    [app1, app2],
                    db,
                    redis_url,
                    modes,
                    duration=duration,
                    rounds=rounds,
                    connections=connections,
                )
                alone = measure(
                    [app1], db, redis_url, modes, duration=duration, rounds=rounds, connections=connections
                )
                results = {mode: {"two servers": both[mode], "app1 alone": alone[mode]} for mode in modes}
                print_load(
                    f"Load on article pages (x{len(paths)}) and search pages (x{len(search_paths(paths))}), "
                    "both servers at once, then app1 alone with the same connections:",
                    results,
                )
                print_memory(db, [app1, app2], worker)
                try:
                    found_checks, facts = publish_and_follow([app1, app2], db, data, worker)
                    checks += found_checks
                    print_coherence(facts, worker)
                except Exception as error:  # the figures above still count; say what went wrong
                    checks.append((f"coherence after publishing ({type(error).__name__}: {error})", False))
            if facts is not None:
                # Fragments off: every page view then reads the database, so the routing shows.
                app1, app2 = servers(replica=True, BROADSHEET_FRAGMENTS="false")
                with app1, app2:
                    warm([app1, app2], paths, pages)
                    try:
                        found_checks, routing = replica_routing(
                            [app1, app2],
                            db,
                            redis_url,
                            pages,
                            facts["story"],
                            facts["word"],
                            duration=duration,
                            connections=connections,
                        )
                        checks += found_checks
                        print_routing(routing)
                    except Exception as error:
                        checks.append((f"read replica routing ({type(error).__name__}: {error})", False))
    finally:
        os.unlink(pages)
        os.unlink(searches)
        removed = remove_what_we_added(data, db, redis_url, prefix)
        print(
            f"\nremoved what the benchmark added ({removed} rows with the story); "
            f"{common.article_count(data):,} articles remain"
        )
    print("\nChecks:")
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'FAILED'}] {text}")
    return 0 if all(ok for _text, ok in checks) else 1


def print_memory(db, servers, worker):
    held = {}
    for name, _started, _query in db.backends().values():
        held[name] = held.get(name, 0) + 1
    print(
        "largest server worker: "
        + ", ".join(
            f"app{i + 1} {private:.0f} MiB private / {peak:.0f} MiB peak"
            for i, (peak, private) in enumerate(server.memory() for server in servers)
        )
        + f"; task worker: {worker.memory()[1]:.0f} MiB private / {worker.memory()[0]:.0f} MiB peak"
    )
    print(
        "PostgreSQL connections the app servers held after the load (one per server thread): "
        + ", ".join(f"{name} {n}" for name, n in sorted(held.items()))
    )


def print_coherence(facts, worker):
    story = facts["story"]
    print(
        f"\nCoherence: story #{story['pk']} published by a separate process "
        f"(publish() took {facts['publish_ms']:.0f} ms, commit included)"
    )
    for name, before in zip(("app1", "app2"), facts["homes_before"], strict=True):
        seen, cache, after = facts[f"{name}_home"]
        print(
            f"  {name} home page, first request after publishing: {'shows it' if seen else 'does NOT show it'} "
            f"(X-Cache {before} before, {cache} now; both servers asked within {after:.0f} ms "
            "of publish() returning)"
        )
    task = facts["task"]
    print(
        f"  related list: {facts['related_entries']} entries written {facts['related_s']:.1f} s after publishing "
        f"by the task worker (pid {worker.proc.pid}; task {task[0] if task else 'not found'}; "
        "the worker polls the queue every 1 s)"
    )
    for name, (early, early_cache) in zip(("app1", "app2"), facts["early_story"], strict=True):
        print(
            f"  {name} story page asked right after publishing: related block {'shown' if early else 'not shown'} "
            f"(X-Cache {early_cache})"
        )
    for name in ("app1", "app2"):
        shown, cache = facts[f"{name}_related_block"]
        print(
            f"  {name} story page then: related block {'shown' if shown else 'NOT shown'} (X-Cache {cache}); "
            f"search for '{facts['word']}': {'found' if facts[f'{name}_search'] else 'NOT found'}"
        )


def print_routing(routing):
    total, counts, tables, connected = routing["load"]
    print("\nRead replica: DATABASE_REPLICA_URL = the same database under another application_name (a real")
    print(
        "streaming replica needs PostgreSQL restarted with replication configured; not done on this shared machine)"
    )
    print(
        f"  article pages rendered in full (fragment cache off), both servers: {total['rps']:,.0f} req/s, p99 {total['p99']:.1f} ms, "
        f"app CPU {total['cpu_ms']:.2f} ms/req, PG CPU {total['db_ms']:.2f} ms/req (load {total['load']:.1f})"
    )
    print(
        "  PostgreSQL connections (one per server thread and database alias), most at once / seen: "
        + (", ".join(f"{name} {most} / {seen}" for name, (seen, most) in connected.items()) or "none")
    )
    print(
        "  samples (every 50 ms) in which a connection ran a new query: "
        + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
    )
    for name, seen in sorted(tables.items()):
        top = sorted(seen.items(), key=lambda item: -item[1])[:6]
        print(f"    tables of the queries seen on the {name}: " + ", ".join(f"{t} {n}" for t, n in top))
    for table, example in routing["unexpected"].items():
        print(f"    on the primary, {table}: {example[:160]!r}")
    for label in ("an article page", "a search page"):
        print(f"  {label} (uncached) read from: {roles(routing[label])}")
        for name, queries in sorted(routing[label].items()):
            print(f"    {name}: last query {queries[0][:70]!r}")
    status, ran, cookies = routing["post"]
    print(f"  comment POST on app2: {status}, queries on {roles(ran)}; cookies now: {', '.join(cookies)}")
    for name, qs in sorted(ran.items()):
        print(f"    {name}: last query {qs[0][:70]!r}")
    ran, shown = routing["next_page"]
    print(
        f"  the commenter's next page, on app1: read from {roles(ran)}; their comment {'shown' if shown else 'NOT shown'}"
    )
    ran, shown = routing["other_reader"]
    print(
        f"  another reader's page, on app1: read from {roles(ran)}; the held comment {'shown' if shown else 'not shown'}"
    )


if __name__ == "__main__":
    sys.exit(main())
