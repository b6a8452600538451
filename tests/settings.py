"""Test settings: the project's settings, with a data folder of its own and tasks run in-line."""

import os
from pathlib import Path

if not os.environ.get("BROADSHEET_DATA"):
    os.environ["BROADSHEET_DATA"] = str(Path(__file__).resolve().parent.parent / "var" / "test")
# Parallel test processes (pytest -n) each get a data folder of their own: the page cache's
# generation file and the file cache are per folder, and one process's content change must not
# make another's cached pages stale half-way through a test.
if os.environ.get("PYTEST_XDIST_WORKER") and not os.environ["BROADSHEET_DATA"].endswith(os.environ["PYTEST_XDIST_WORKER"]):
    os.environ["BROADSHEET_DATA"] = str(Path(os.environ["BROADSHEET_DATA"]) / os.environ["PYTEST_XDIST_WORKER"])
os.environ.setdefault("BROADSHEET_CACHE_PREFIX", f"bs-test-{os.getpid()}")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Each xdist worker has a database of its own, so its cache (cache.clear() empties the whole
    # file cache folder), cached pages and purge marks too.
    for name in ("BROADSHEET_DATA", "BROADSHEET_CACHE_PREFIX"):
        os.environ[name] += "-" + os.environ["PYTEST_XDIST_WORKER"]

from broadsheet.settings import *  # noqa: E402,F403
from broadsheet.settings import CACHES, DATA_DIR  # noqa: E402

# A file cache of its own per xdist worker (and the processes it starts): every test empties the
# cache, and another worker's clear() would otherwise reset this one's counters mid-test.
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["default"]["LOCATION"] = str(DATA_DIR / f"cache-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")

# Background tasks run at once, inside the request or command that queued them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = DATA_DIR / "media"

# Fragments are keyed on the page cache's generation, which moves when a transaction commits;
# a TestCase never commits, so most tests render every page in full. tests/pagecache/
# test_fragments.py and the browser tests (a live server, real commits) turn them on.
if "BROADSHEET_FRAGMENTS" not in os.environ:
    BROADSHEET_FRAGMENTS = False
