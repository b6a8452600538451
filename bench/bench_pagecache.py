"""Page-cache hit path: requests/s of cached pages through the WSGI wrapper.

1. In this process: the wrapped application called directly (no server, no sockets), beside a
   bare WSGI app returning the same bytes (the ceiling) and Django without the cache.
2. Under the real server (granian, 2 workers) with wrk, 32 connections, when wrk is installed:
   the cached home page, a cached article page (it carries a per-reader CSRF token) and the
   bare WSGI app, in the same run.

Data: BROADSHEET_DATA (default /tmp/bs-bench-pagecache), SQLite unless DATABASE_URL is set,
Redis when REDIS_URL is set. BENCH_SECONDS sets each wrk run's length (default 5).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = os.environ.setdefault("BROADSHEET_DATA", "/tmp/bs-bench-pagecache")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
SECONDS = int(os.environ.get("BENCH_SECONDS") or 5)
BARE_BODY = Path(DATA) / "bare-body.html"


def bare_app(environ, start_response):
    """The ceiling: a WSGI app returning a page from memory (served by granian in part 2)."""
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", _LEN)])
    return [_BODY]


_BODY = BARE_BODY.read_bytes() if BARE_BODY.exists() else b"x" * 36000
_LEN = str(len(_BODY))


def prepare():
    run = {"env": {**os.environ}, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([str(BIN / "broadsheet"), "migrate", "--noinput"], **run)
    subprocess.run([str(BIN / "broadsheet"), "seed", "--articles", "300", "--if-empty"], **run)
    subprocess.run([str(BIN / "broadsheet"), "collectstatic", "--noinput"], **run)


def in_process():
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from broadsheet.newsroom.models import Article
    from broadsheet.pagecache.middleware import PageCache

    django_app = WSGIHandler()
    cached = PageCache(django_app)
    article = Article.objects.published().latest_first().first().get_absolute_url()
    base = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }

    def call(app, path, **extra):
        out = []
        body = b"".join(app({**base, "PATH_INFO": path, **extra}, lambda s, h, e=None: out.append(h)))
        return dict(out[0]), body

    headers, home = call(cached, "/")
    BARE_BODY.write_bytes(home)
    global _BODY, _LEN
    _BODY, _LEN = home, str(len(home))
    article_headers, _ = call(cached, article)
    secret = re.search(r"csrftoken=([A-Za-z0-9]+)", article_headers.get("Set-Cookie", ""))
    cookie = {"HTTP_COOKIE": f"csrftoken={secret.group(1)}"} if secret else {}

    def rate(app, path, n, **extra):
        call(app, path, **extra)
        started = time.perf_counter()
        for _ in range(n):
            call(app, path, **extra)
        return n / (time.perf_counter() - started)

    rows = [
        ("bare WSGI app, same bytes (ceiling)", rate(bare_app, "/", 20000)),
        ("cached home, identity", rate(cached, "/", 20000)),
        ("cached home, gzip", rate(cached, "/", 20000, HTTP_ACCEPT_ENCODING="gzip, br")),
        ("cached home, 304 to If-None-Match", rate(cached, "/", 20000, HTTP_IF_NONE_MATCH=headers["ETag"])),
        ("cached article (token), returning reader", rate(cached, article, 10000, **cookie)),
        (
            "cached article (token), gzip",
            rate(cached, article, 10000, HTTP_ACCEPT_ENCODING="gzip", **cookie),
        ),
        ("cached article (token), new reader", rate(cached, article, 10000)),
        *redis_state_reuse(cached, rate),
        ("Django without the cache, home", rate(django_app, "/", 300)),
        ("Django without the cache, article", rate(django_app, article, 300)),
    ]
    print(f"\nIn-process, one thread (home page {len(home)} bytes, load {os.getloadavg()[0]:.1f})")
    for label, value in rows:
        print(f"  {label:45s} {value:10,.0f} req/s")
    return article, cookie.get("HTTP_COOKIE", "")


def redis_state_reuse(cached, rate):
    """With Redis: the same hit when a worker may reuse the state for 50 ms (not the default)."""
    if not hasattr(cached.store, "state_max_age"):
        return []
    cached.store.state_max_age = 0.05
    try:
        return [("cached home, Redis state reused for 50 ms", rate(cached, "/", 20000))]
    finally:
        cached.store.state_max_age = 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(target, port, workdir=ROOT):
    command = [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-ws",
        "--log-level",
        "warning",
        "--working-dir",
        str(workdir),
        target,
    ]
    process = subprocess.Popen(command, env={**os.environ}, cwd=workdir, stdout=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"server for {target} did not start")


def wrk(url, *headers):
    args = ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, float(p99.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0


def under_server(article, cookie):
    if not shutil.which("wrk"):
        print("\nwrk not found (apt-get install wrk): server figures skipped")
        return
    print(f"\ngranian, 2 workers, wrk 32 connections, {SECONDS}s each (load {os.getloadavg()[0]:.1f})")
    rows = []
    port = free_port()
    server = serve("bench_pagecache:bare_app", port, workdir=ROOT / "bench")
    try:
        rows.append(("bare WSGI app, same bytes (ceiling)", *wrk(f"http://127.0.0.1:{port}/")))
    finally:
        server.terminate()
        server.wait()
    port = free_port()
    server = serve("broadsheet.wsgi:application", port)
    try:
        base = f"http://127.0.0.1:{port}"
        for path in ("/", article):
            subprocess.run(["curl", "-s", "-o", "/dev/null", base + path], check=False)
        rows.append(("cached home, identity", *wrk(base + "/")))
        rows.append(("cached home, gzip", *wrk(base + "/", "Accept-Encoding: gzip")))
        rows.append(("cached article (token), returning reader", *wrk(base + article, f"Cookie: {cookie}")))
        rows.append(("cached article (token), new reader", *wrk(base + article)))
    finally:
        server.terminate()
        server.wait()
    for label, rate, p99, errors in rows:
        note = f"  ({errors} non-2xx)" if errors else ""
        print(f"  {label:45s} {rate:10,.0f} req/s   p99 {p99:6.2f} ms{note}")


def main():
    prepare()
    backend = "Redis" if os.environ.get("REDIS_URL") else "local (mmap state + file cache)"
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"Page cache hit path; store: {backend}; database: {database}; data: {DATA}")
    article, cookie = in_process()
    under_server(article, cookie)


if __name__ == "__main__":
    main()
