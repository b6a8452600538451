"""The shipped VCL when the app answers an error, with real Varnish in front of a small origin
that answers as each test tells it: a kept page purged and then failing is served from its stale
copy, a page never kept gets the app's own error page, and a form's error goes out at once."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from broadsheet.edge import varnish
from tests.conftest import wait_for

from .conftest import fetch, free_port, need_varnish, wait_for_varnish


class Origin:
    """Answers `pages[path] = (status, body, public?)`; counts requests per (method, path)."""

    def __init__(self):
        self.pages = {"/healthz": (200, b"ok", False)}
        self.asked = []
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                origin.asked.append((self.command, self.path))
                status, body, public = origin.pages.get(self.path, (404, b"missing", False))
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                if public:
                    self.send_header("Cache-Control", "public, max-age=0, s-maxage=3600")
                    self.send_header("Surrogate-Key", "all page")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, method, path):
        return sum(1 for asked in self.asked if asked == (method, path))


@pytest.fixture
def front(tmp_path):
    need_varnish()
    origin = Origin()
    port = free_port()
    process, _workdir = varnish.start(
        listen_host="127.0.0.1",
        listen_port=port,
        backend_host="127.0.0.1",
        backend_port=origin.server.server_address[1],
        hosts=["127.0.0.1"],
        stdout=open(tmp_path / "varnish.log", "wb"),
        stderr=open(tmp_path / "varnish.err", "wb"),
    )
    try:
        wait_for_varnish(port)
        time.sleep(1)  # the health probe's first rounds
        yield origin, port
    finally:
        process.terminate()
        process.wait(timeout=15)
        origin.server.shutdown()


def test_a_purged_page_whose_fetch_fails_is_served_from_its_stale_copy(front):
    origin, port = front
    origin.pages["/page"] = (200, b"the page as kept", True)
    assert fetch(port, "/page")[2] == b"the page as kept"
    assert fetch(port, "/page")[1]["X-Varnish-Cache"] == "HIT"

    assert fetch(port, "/", method="PURGE", headers={"xkey-purge": "page"})[0] == 200
    origin.pages["/page"] = (500, b"app error", False)

    status, _headers, body = fetch(port, "/page")
    assert (status, body) == (200, b"the page as kept")

    # Once the app answers again, its page replaces the stale copy.
    origin.pages["/page"] = (200, b"the page after the change", True)
    assert wait_for(lambda: fetch(port, "/page")[2] == b"the page after the change", timeout=10)


def test_a_page_never_kept_gets_the_apps_own_error_page(front):
    origin, port = front
    origin.pages["/broken"] = (500, b"<h1>Something broke on our side</h1>", False)

    status, _headers, body = fetch(port, "/broken")
    assert (status, body) == (500, b"<h1>Something broke on our side</h1>")
    assert origin.count("GET", "/broken") == 2  # once as a page that may be kept, once on the retry


def test_a_form_gets_the_apps_error_at_once(front):
    origin, port = front
    origin.pages["/comments/post/1/"] = (500, b"<p>Your comment could not be saved</p>", False)

    status, _headers, body = fetch(port, "/comments/post/1/", method="POST")
    assert (status, body) == (500, b"<p>Your comment could not be saved</p>")
    assert origin.count("POST", "/comments/post/1/") == 1
