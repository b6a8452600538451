"""Settings for worker processes started by tests/core/test_periodic.py: the project's own, plus
an app that registers a slow test job."""

from broadsheet.settings import *  # noqa: F403
from broadsheet.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.core.periodic_app"]
