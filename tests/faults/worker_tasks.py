"""A slow task for the fault drills: long enough for a worker to be killed in the middle of it."""

import time
from pathlib import Path

from django_tasks import task


@task(priority=10)
def slow_drill(path, seconds):
    """Note the start, sleep, note the end: a task run twice shows two starts and one end."""
    marker = Path(path)
    with marker.open("a") as handle:
        handle.write("started\n")
    time.sleep(seconds)
    with marker.open("a") as handle:
        handle.write("finished\n")
    return "done"
