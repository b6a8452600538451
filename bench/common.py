"""Shared helpers for the benchmarks: data folders, servers on free ports, wrk, memory.

Everything runs on the loopback interface and stops by itself. Data lives under
/tmp/bs-bench-* (never ./var). The database is SQLite in that folder unless DATABASE_URL is
set in the environment: then each size gets a PostgreSQL database of its own, named after the
one in DATABASE_URL with the size appended (bench -> bench_10000), created when missing. A data
folder may name its database in a file `database_url` (that is how a seeded folder remembers
it, and how an existing database, such as one seeded with a million articles, is reused).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BROADSHEET = str(BIN / "broadsheet")
TMP = Path(os.environ.get("BENCH_TMP", "/tmp"))


def env_int(name, default):
    return int(os.environ.get(name) or default)


def env_list(name, default):
    return [int(x) for x in (os.environ.get(name) or default).split(",") if x.strip()]


def load():
    """The 1-minute load average, to print beside each figure (the machine may be shared)."""
    return os.getloadavg()[0]


def data_env(data_dir, **extra):
    env = {**os.environ, "BROADSHEET_DATA": str(data_dir), "DJANGO_SETTINGS_MODULE": "broadsheet.settings"}
    env.setdefault("REDIS_URL", "")
    named = Path(data_dir) / "database_url"
    if named.exists():
        env["DATABASE_URL"] = named.read_text().strip()
    env.update({k: str(v) for k, v in extra.items()})
    return env


def database_label():
    url = os.environ.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def manage(data_dir, *args, quiet=True):
    """Run `broadsheet <args>` against a data folder; raise if it fails."""
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([BROADSHEET, *args], env=data_env(data_dir), cwd=ROOT, check=True, stdout=out)


def query(data_dir, code):
    """Run Python with Django set up against a data folder; return what it prints."""
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=data_env(data_dir),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def article_count(data_dir):
    try:
        return int(
            query(
                data_dir,
                "from broadsheet.newsroom.models import Article; print(Article.objects.count())",
            )
        )
    except (subprocess.CalledProcessError, ValueError):
        return -1


def fresh_dir(name):
    path = TMP / f"bs-bench-{name}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def seeded_dir(articles):
    """A data folder holding exactly `articles` seeded articles, reused between runs."""
    kind = "data" if database_label() == "SQLite" else "pg"
    path = TMP / f"bs-bench-{kind}-{articles}"
    if path.exists() and article_count(path) == articles:
        print(f"  reusing {path} ({articles:,} articles)", flush=True)
        manage(path, "migrate", "--noinput")  # other apps may have added tables since
        return path
    path = fresh_dir(f"{kind}-{articles}")
    if kind == "pg":
        url = size_database(articles)
        (path / "database_url").write_text(url)
    print(f"  seeding {articles:,} articles into {path} ...", flush=True)
    started = time.monotonic()
    manage(path, "migrate", "--noinput")
    # The seed builds the search index, the related lists and the fingerprints itself.
    manage(path, "seed", "--articles", str(articles), "--no-progress")
    print(f"  seeded in {time.monotonic() - started:.0f}s (load {load():.1f})", flush=True)
    return path


def size_database(articles):
    """A fresh, empty PostgreSQL database for this size, named after DATABASE_URL's; its URL."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"{parts.path.strip('/') or 'bench'}_{articles}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-qc", sql], check=True, stdout=subprocess.DEVNULL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_static(data_dir):
    manage(data_dir, "collectstatic", "--noinput", "--verbosity", "0")


def free_port(ports=None):
    """A free loopback port: from `ports` (a range kept for this job on a shared machine) when
    given, else any."""
    for port in ports or ():
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(port, workers=2, server="granian", threads=None):
    """What `broadsheet serve --no-worker` runs (the same command, through serve.py)."""
    cmd = [BROADSHEET, "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers), "--server", server]
    if threads:
        cmd += ["--threads", str(threads)]
    return cmd


def fetch_stamps(conn, article_id, count):
    """`count` form stamps for one story's comment form, as comments.js fetches them (one per
    comment: a stamp works once)."""
    import json

    stamps = []
    for _ in range(count):
        conn.request("GET", f"/comments/state/{article_id}/")
        stamps.append(json.loads(conn.getresponse().read())["stamp"])
    return stamps


def comment_body(token, stamp, *, comment, author, email):
    """The "Leave a Reply" form as a reader's browser posts it (form-encoded)."""
    from urllib.parse import urlencode

    return urlencode(
        {
            "csrfmiddlewaretoken": token or "",
            "form_stamp": stamp,
            "comment": comment,
            "author": author,
            "email": email,
            "url": "",
            "parent": "",
            "website_url_confirm": "",
        }
    )


def bare_command(server, port, workers=2):
    """A server running bench/bare_wsgi.py: a 36 KB page from memory, the ceiling of that server."""
    if server == "gunicorn":
        cmd = [str(BIN / "gunicorn"), "--chdir", str(ROOT / "bench")]
        return cmd + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "bare_wsgi:application"]
    cmd = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers), "--no-ws", "--working-dir", str(ROOT / "bench")]
    return cmd + ["bare_wsgi:application"]


class Server:
    """A server process group on a free loopback port; stopped on exit, whatever happens."""

    def __init__(self, cmd, env, port, ready_path="/healthz", timeout=60):
        self.cmd, self.env, self.port = cmd, env, port
        self.ready_path, self.timeout = ready_path, timeout
        self.proc = None
        self.log = tempfile.TemporaryFile()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        raise RuntimeError(f"server did not start: {' '.join(self.cmd)}\n{self.log.read()[-3000:].decode()}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as answer:
            return answer.status, answer.read()

    def cpu(self):
        """CPU seconds used by the server's processes so far."""
        return tree_cpu(self.proc.pid)

    def memory(self):
        """(peak RSS, private RSS) in MiB of the largest server worker."""
        return worker_memory(self.proc.pid)


def _children(pid):
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids += [int(x) for x in task.read_text().split()]
        except OSError:
            pass
    return kids


def tree_memory(pid):
    """{pid: (name, peak RSS MiB, private memory now MiB)} for a process and its descendants.

    Peak RSS (VmHWM) counts pages of the SQLite file mapped with mmap, which every worker shares
    with the page cache of the system; private memory (RssAnon) is what each worker adds.
    """
    result, todo = {}, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        name = re.search(r"^Name:\s*(.*)$", status, re.M).group(1)
        hwm = re.search(r"^VmHWM:\s*(\d+) kB", status, re.M)
        anon = re.search(r"^RssAnon:\s*(\d+) kB", status, re.M)
        result[p] = (
            name,
            int(hwm.group(1)) / 1024 if hwm else 0.0,
            int(anon.group(1)) / 1024 if anon else 0.0,
        )
        todo += _children(p)
    return result


def tree_cpu(pid):
    """CPU seconds (user + system) used so far by a process and its live descendants."""
    total, todo, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        todo += _children(p)
    return total


def worker_memory(pid):
    """(peak RSS, private RSS) in MiB of the largest serving process (not the `broadsheet serve` wrapper)."""
    sizes = [(hwm, anon) for p, (_name, hwm, anon) in tree_memory(pid).items() if p != pid]
    return max(sizes, key=lambda s: s[1], default=(0.0, 0.0))


# --- wrk --------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    sys.exit("wrk is not installed: apt-get install wrk (or run `make bench`, which installs it)")


def rotate_script(paths):
    """A wrk Lua script that asks for each path in turn (per wrk thread)."""
    body = ",\n".join('  "' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script = (
        "local paths = {\n" + body + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bs-bench-", delete=False)
    handle.write(script)
    handle.close()
    return handle.name


# A cookie the page cache never answers from the store: the request runs the full Django stack.
UNCACHED = ("Cookie: bs_nocache=1",)


def wrk(url, duration=10, connections=32, threads=2, script=None, headers=(), timeout="5s"):
    """Run wrk; return a dict with rps, p50/p90/p99 in ms, requests, errors, non2xx, load."""
    cmd = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    cmd += ["--timeout", timeout]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    before = load()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
    result = {"load": max(before, load()), "raw": out}
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    result["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s*{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        result[f"p{pct}"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"(\d+) requests in", out)
    result["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    result["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = sum(int(x) for x in m.groups()) if m else 0
    return result


def best_of(runs):
    """The run with the highest requests/s (the least disturbed by other work on the machine)."""
    return max(runs, key=lambda r: r["rps"])


def table(headers, rows):
    """A plain-text table, right-aligned numbers."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True))
    )
    out = [line, "-" * len(line)]
    for row in cells:
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(out)


# --- paired, in-process timing ---------------------------------------------------------------

# Run in a child with Django set up against one data folder: answers one JSON line per request
# line. {"path": "/search/?q=..."} times a GET through the whole Django stack (test client, the
# page cache and fragment cache off by the caller's env); {"code": "..."} times Python run with
# `ns` (names the child's SETUP code left). Each answer: wall ms, CPU ms of this process and of
# its PostgreSQL server process (read from /proc: steadier than wall time on a shared machine),
# the status (or the code's `result`; with "body": true, [status, body]).
TIMER = r"""
import json, os, sys, time
from pathlib import Path
from django.db import connection
from django.test import Client

def server_cpu():
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    try:
        return int(Path(f"/proc/{connection.connection.info.backend_pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0

client = Client()
ns = {}
exec(os.environ.get("TIMER_SETUP", ""), ns)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    ask = json.loads(line)
    started_cpu = time.process_time() + server_cpu()
    started = time.perf_counter()
    if "path" in ask:
        answer = client.get(ask["path"])
        result = answer.status_code
        if ask.get("body"):
            content = b"".join(answer.streaming_content) if answer.streaming else answer.content
            result = [result, content.decode("utf-8", "replace")]
    else:
        ns["result"] = None
        exec(ask["code"], ns)
        result = ns["result"]
    wall = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() + server_cpu() - started_cpu) * 1000
    print(json.dumps({"wall": wall, "cpu": cpu, "result": result}), flush=True)
"""


class Timer:
    """A child process with Django set up against one data folder, timing requests one at a
    time in process (no server, no network: the server's own time). Two of them, asked in
    turn, time two archive sizes under the same load (see bench_scale.py, bench_search_scale.py)."""

    def __init__(self, data_dir, setup="", **env):
        env = data_env(data_dir, TIMER_SETUP=setup, LOG_LEVEL="WARNING", **env)
        env.setdefault("BROADSHEET_PLAIN_STATIC", "1")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import django; django.setup()\n" + TIMER],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._read()

    def _read(self):
        import json

        while True:  # lines that are not ours (a log line on stdout) are passed on
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the timing process stopped (its error is above)")
            if line.startswith("{"):
                return json.loads(line)
            sys.stdout.write(line)

    def ask(self, **request):
        """{"wall", "cpu", "result"} for one request: path=... or code=..."""
        import json

        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
