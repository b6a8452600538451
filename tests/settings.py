"""Test settings: the project's settings, with a data folder of its own and tasks run in-line."""

import os
from pathlib import Path

if not os.environ.get("BROADSHEET_DATA"):
    os.environ["BROADSHEET_DATA"] = str(Path(__file__).resolve().parent.parent / "var" / "test")
os.environ.setdefault("BROADSHEET_CACHE_PREFIX", f"bs-test-{os.getpid()}")
# Parallel test processes (pytest -n) each get a data folder and a cache prefix of their own (a
# database of their own already): the file cache, the page cache's purge marks and Redis keys are
# per folder or prefix, so one process's cache.clear() or content change never reaches another's.
# The servers a test starts inherit both, so they share the test's cache.
worker = os.environ.get("PYTEST_XDIST_WORKER")
if worker:
    for name in ("BROADSHEET_DATA", "BROADSHEET_CACHE_PREFIX"):
        if not os.environ[name].endswith("-" + worker):
            os.environ[name] += "-" + worker

from broadsheet.settings import *  # noqa: E402,F403
from broadsheet.settings import DATA_DIR  # noqa: E402

# Background tasks run at once, inside the request or command that queued them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = DATA_DIR / "media"
# No test asks a real provider for an embed's thumbnail; tests/media/test_embed_thumbnails.py
# points the providers at a server of its own.
BROADSHEET_OEMBED_ENDPOINTS: dict[str, str] = {}

# Fragments are keyed on the page cache's generation, which moves when a transaction commits;
# a TestCase never commits, so most tests render every page in full. tests/pagecache/
# test_fragments.py and the browser tests (a live server, real commits) turn them on.
if "BROADSHEET_FRAGMENTS" not in os.environ:
    BROADSHEET_FRAGMENTS = False
# Site-wide values (sections, look, comment rules) are kept per worker until a committed
# change purges them: off for the same reason; tests/pagecache/test_site_values.py turns them on.
BROADSHEET_SITE_VALUES = os.environ.get("BROADSHEET_SITE_VALUES", "") == "1"
