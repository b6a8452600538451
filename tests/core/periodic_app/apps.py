"""A test-only app for the worker-process tests of core.periodic: one slow job that writes
"started <pid>" and "finished <pid>" lines to the file BROADSHEET_TEST_JOB_MARKER names."""

import os
import time

from django.apps import AppConfig


def slow_job():
    marker = os.environ["BROADSHEET_TEST_JOB_MARKER"]
    with open(marker, "a") as handle:
        handle.write(f"started {os.getpid()}\n")
    time.sleep(float(os.environ.get("BROADSHEET_TEST_JOB_SECONDS", "2")))
    with open(marker, "a") as handle:
        handle.write(f"finished {os.getpid()}\n")


class PeriodicTestConfig(AppConfig):
    name = "tests.core.periodic_app"
    label = "periodic_test"

    def ready(self):
        from broadsheet.core import periodic

        periodic.register("test-slow-job", slow_job, every=3600)
