"""`broadsheet serve` as an operator meets it: it refuses a port already served, collects static
files itself, links to the address it serves, and keeps its task worker running."""

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bench.common import Server, free_port

from tests.conftest import make_article, wait_for
from tests.faults import conftest as faults

pytestmark = pytest.mark.django_db(transaction=True)


def serve_env(data_dir, **extra):
    env = faults.bench.site_env(data_dir, database_url=faults.test_database_url(), LOG_LEVEL="WARNING", **extra)
    env.pop("BROADSHEET_PLAIN_STATIC")  # the production storage, with its manifest
    env.pop("BROADSHEET_SITE_URL", None)
    env["BROADSHEET_CACHE_PREFIX"] = f"bs-serve-test-{os.getpid()}"
    return env


def serve_command(port, *extra):
    return [sys.executable, "-m", "broadsheet", "serve", "--port", str(port), "--workers", "1", *extra]


def children(pid):
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(name), cmdline))
    return found


def worker_pid(serve_pid):
    pids = [pid for pid, cmdline in children(serve_pid) if "broadsheet worker" in cmdline]
    return pids[0] if pids else None


def test_second_server_on_a_served_port_refuses_and_names_the_holder(tmp_path):
    port = free_port()
    with Server(serve_command(port, "--no-worker"), serve_env(tmp_path / "one"), port):
        second = subprocess.run(
            serve_command(port, "--no-worker"),
            env=serve_env(tmp_path / "two"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert second.returncode != 0
    message = second.stderr
    assert f"Port {port} on 127.0.0.1 is already served by process" in message
    assert re.search(r"process \d+ \(.*(granian|broadsheet)", message), message


def test_serve_without_collectstatic_answers_pages_and_links_to_its_own_port(tmp_path):
    make_article("Harbour ferry returns after repairs")
    port = free_port()
    with Server(serve_command(port, "--no-worker"), serve_env(tmp_path), port, timeout=180) as server:
        status, body = server.get("/")
        assert status == 200
        assert f"http://127.0.0.1:{port}/" in body.decode()
        status, feed = server.get("/feed/")
        assert status == 200 and f"http://127.0.0.1:{port}/" in feed.decode()
        assert b":8000/" not in feed
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_a_task_worker_that_dies_is_started_again_and_healthz_shows_it(tmp_path):
    port = free_port()
    env = serve_env(tmp_path, BROADSHEET_WORKER_STALE_SECONDS="4")
    with Server(serve_command(port), env, port, timeout=180) as server:
        assert wait_for(lambda: worker_pid(server.proc.pid), timeout=60)
        first = worker_pid(server.proc.pid)
        assert wait_for(lambda: health(server)["worker"]["state"] == "running", timeout=60)
        os.kill(first, signal.SIGKILL)
        assert wait_for(lambda: worker_pid(server.proc.pid) not in (None, first), timeout=60)
        assert wait_for(lambda: health(server)["worker"]["seconds_ago"] <= 2, timeout=60)


def health(server):
    with urllib.request.urlopen(server.base + "/healthz", timeout=10) as answer:
        return json.loads(answer.read())
