"""A real HTTP server on 127.0.0.1 serving fixture feeds, slow replies, errors, redirect loops,
huge and never-ending bodies. Each test sets the routes it needs."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Route:
    def __init__(
        self,
        body=b"",
        *,
        status=200,
        content_type="application/rss+xml; charset=utf-8",
        etag=None,
        headers=None,
        delay=0.0,
        endless=False,
        location=None,
        trickle=False,
    ):
        self.body, self.status, self.content_type = body, status, content_type
        self.etag, self.headers, self.delay = etag, headers or {}, delay
        self.endless, self.location, self.trickle = endless, location, trickle
        self.hits = 0


class FeedServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        handler = self._handler()
        for port in range(8600, 8700):
            try:
                self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
                break
            except OSError:
                continue
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return self.base + path

    def add(self, path, *args, **kwargs):
        self.routes[path] = Route(*args, **kwargs)
        return self.url(path)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route.hits += 1
                if route.delay:
                    time.sleep(route.delay)
                if route.location:
                    self.send_response(route.status)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.trickle:  # a few bytes now and then, for ever
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"<item>")
                            self.wfile.flush()
                            time.sleep(0.1)
                    except OSError:
                        return
                if route.endless:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        self.wfile.write(b"<?xml version='1.0'?><rss><channel>")
                        while True:
                            self.wfile.write(b"<item><title>again</title></item>" * 100)
                            time.sleep(0.001)
                    except OSError:
                        return
                body = route.body() if callable(route.body) else route.body
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        return Handler

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def wire_limits(settings):
    """Small limits so the bad feeds fail fast."""
    from broadsheet.wire import conf

    settings.BROADSHEET_WIRE_FETCH_TIMEOUT = 0.5
    settings.BROADSHEET_WIRE_FETCH_DEADLINE = 2.0
    settings.BROADSHEET_WIRE_FETCH_MAX_BYTES = 200_000
    return conf
