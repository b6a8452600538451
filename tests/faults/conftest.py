"""Helpers for the fault tests: the real production server on the test database, a private
Redis, and the comment load of bench/bench_faults.py."""

import importlib.util
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_faults", ROOT / "bench" / "bench_faults.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_bench()


def test_database_url():
    """The URL of the database this test run uses, for a server in another process."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def real_server(data_dir, **extra):
    """`broadsheet serve --no-worker` (granian) on a free port, on the test database."""
    from bench.common import Server, free_port, serve_command

    env = bench.site_env(data_dir, database_url=test_database_url(), **extra)
    env["BROADSHEET_CACHE_PREFIX"] = f"bs-faults-test-{os.getpid()}"
    port = free_port()
    with Server(serve_command(port, workers=1), env, port) as server:
        yield server


class PrivateRedis(bench.PrivateRedis):
    def url(self):
        return f"redis://127.0.0.1:{self.port}/{bench.REDIS_DB}"


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server") or not shutil.which("redis-cli"):
        pytest.skip("redis-server is not installed: the Redis outage test needs a Redis of its own to stop")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def stop_quietly(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
