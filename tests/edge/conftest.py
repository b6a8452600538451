"""The real thing for the shared-cache tests: `broadsheet serve` (granian) on the test database,
Debian's Varnish with the shipped VCL in front, and a fake purge API that records requests."""

import json
import os
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from broadsheet.edge import varnish
from tests.faults.conftest import test_database_url

ROOT = Path(__file__).resolve().parents[2]
# This suite's own range on the shared machine, split between xdist workers so that two tests
# running side by side never pick the same port between checking it and binding it.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORTS = range(8700 + 25 * (_WORKER % 4), 8700 + 25 * (_WORKER % 4) + 25)


def free_port():
    from bench.common import free_port as any_free_port

    return any_free_port(PORTS)


def fetch(port, path, *, headers=None, method="GET"):
    """(status, headers, body) of one request; errors are answers too."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Site:
    """The app server and Varnish in front; `purge_url` is what BROADSHEET_EDGE_PURGERS names."""

    def __init__(self, data_dir, **env):
        self.data_dir = data_dir
        self.extra = env
        self.app = self.varnish = None

    def start(self):
        from bench.common import Server, serve_command

        self.app_port, self.port = free_port(), None
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        env.update(
            # The test's own data folder and cache: the app server and the test share the
            # built-in caches' purge marks, as the servers and the worker of one site do.
            BROADSHEET_DATA=str(settings.DATA_DIR),
            DATABASE_URL=test_database_url(),
            DJANGO_SETTINGS_MODULE="broadsheet.settings",
            BROADSHEET_PLAIN_STATIC="1",
            BROADSHEET_CACHE_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", ""),
            BROADSHEET_COMMENTS_FLOOD_SECONDS="0",
            EMAIL_URL="dummy://",
            LOG_LEVEL="WARNING",
            SECRET_KEY=settings.SECRET_KEY,
        )
        env.update({k: str(v) for k, v in self.extra.items()})
        self.app = Server(serve_command(self.app_port, workers=1), env, self.app_port).__enter__()
        self.port = free_port()
        self.varnish, self.workdir = varnish.start(
            listen_host="127.0.0.1",
            listen_port=self.port,
            backend_host="127.0.0.1",
            backend_port=self.app_port,
            hosts=["127.0.0.1", "localhost"],
            stdout=open(self.data_dir / "varnish.log", "wb"),
            stderr=open(self.data_dir / "varnish.err", "wb"),
        )
        wait_for_varnish(self.port)
        return self

    @property
    def purge_url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, **headers):
        return fetch(self.port, path, headers=headers)

    def purge(self, *keys):
        return fetch(self.port, "/", method="PURGE", headers={"xkey-purge": " ".join(keys)})

    def stop_origin(self):
        self.app.stop()

    def stop(self):
        if self.varnish is not None and self.varnish.poll() is None:
            self.varnish.terminate()
            self.varnish.wait(timeout=15)
        if self.app is not None:
            self.app.stop()


def wait_for_varnish(port, timeout=30):
    """Until Varnish on `port` answers /healthz from its app (200)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz")[0] == 200:
                return
        except urllib.error.URLError:
            pass
        time.sleep(0.2)
    raise RuntimeError("Varnish did not answer")


def need_varnish():
    """Skip the test without Varnish and xkey, or fail it where CI requires them."""
    if varnish.find_varnishd() is None:
        message = "Varnish with the xkey module is not installed (apt-get install varnish varnish-modules)"
        if os.environ.get("BROADSHEET_REQUIRE_VARNISH") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def running_site(data_dir, **env):
    need_varnish()
    site = Site(data_dir, **env)
    try:
        yield site.start()
    finally:
        site.stop()


class FakePurgeApi:
    """A local HTTP server that records every request and answers as told (Fastly, Cloudflare)."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.body = b'{"status": "ok", "success": true}'
        self.hold = threading.Event()  # while cleared, answers wait (a slow purger)
        self.hold.set()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                payload = self.rfile.read(length) if length else b""
                owner.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": payload,
                    }
                )
                owner.hold.wait(30)
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            do_POST = do_PURGE = do_GET = _any

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def keys(self):
        found = []
        for request in self.requests:
            if "surrogate-key" in request["headers"]:
                found += request["headers"]["surrogate-key"].split()
            elif "xkey-purge" in request["headers"]:
                found += request["headers"]["xkey-purge"].split()
            elif request["body"]:
                found += json.loads(request["body"]).get("tags", [])
        return found

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def purge_api():
    api = FakePurgeApi()
    yield api
    api.close()
