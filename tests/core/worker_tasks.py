"""A task for the worker-recovery test: slow enough to be killed in the middle."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_mark(path, seconds):
    marker = Path(path)
    with marker.open("a") as handle:
        handle.write("started\n")
    time.sleep(seconds)
    with marker.open("a") as handle:
        handle.write("finished\n")
    return "done"
